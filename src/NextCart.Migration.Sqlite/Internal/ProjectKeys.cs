using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// The integer keys that the ID map and the intent log use for project ids (<c>project_keys</c>). An integer in front of
/// every key makes the two largest tables smaller and their B-trees shallower, so lookups and commits touch fewer pages.
/// </summary>
/// <remarks>
/// A key is assigned once and never changes or goes away, so keys read from the database are cached for the store's
/// lifetime. A key created inside a transaction is not cached, because that transaction may still roll back. The table is
/// independent of <c>projects</c>: like the reference store, the ID map accepts rows for a project id never ensured.
/// </remarks>
internal sealed class ProjectKeys
{
    private readonly ConcurrentDictionary<string, long> _known = new(StringComparer.Ordinal);

    /// <summary>Finds the key of a project id, or <see langword="null"/> when the ID map and intent log never saw it.</summary>
    public long? Find(StoreConnection c, string projectId)
    {
        if (_known.TryGetValue(projectId, out long key))
        {
            return key;
        }

        SqliteCommand select = c.Command("SELECT project_key FROM project_keys WHERE project_id = $project");
        select.Parameters.AddWithValue("$project", projectId);
        if (select.ExecuteScalar() is long found)
        {
            _known[projectId] = found;
            return found;
        }

        return null;
    }

    /// <summary>Finds or creates the key of a project id; call it inside a write transaction.</summary>
    public long Ensure(StoreConnection c, string projectId)
    {
        if (Find(c, projectId) is { } key)
        {
            return key;
        }

        SqliteCommand insert = c.Command("INSERT INTO project_keys (project_id) VALUES ($project) RETURNING project_key");
        insert.Parameters.AddWithValue("$project", projectId);
        return (long)insert.ExecuteScalar()!;
    }
}
