using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// The integer keys that the ID map and the intent log use for a text id: project ids (<c>project_keys</c>) and, in the
/// ID map, run ids (<c>run_keys</c>). An integer in place of text repeated in every row makes the two largest tables
/// smaller and their B-trees shallower, so lookups and commits touch fewer pages.
/// </summary>
/// <remarks>
/// A key is assigned once and never changes or goes away, so keys read from the database are cached for the store's
/// lifetime. A key created inside a transaction is not cached, because that transaction may still roll back. The tables
/// are independent of <c>projects</c> and <c>runs</c>: like the reference store, the ID map accepts rows for a project or
/// run id never created.
/// </remarks>
internal sealed class KeyTable
{
    private readonly ConcurrentDictionary<string, long> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _ids = new();
    private readonly string _table;
    private readonly string _select;
    private readonly string _selectId;
    private readonly string _insert;

    private KeyTable(string table, string keyColumn, string idColumn)
    {
        _table = table;
        _select = $"SELECT {keyColumn} FROM {table} WHERE {idColumn} = $id";
        _selectId = $"SELECT {idColumn} FROM {table} WHERE {keyColumn} = $key";
        _insert = $"INSERT INTO {table} ({idColumn}) VALUES ($id) RETURNING {keyColumn}";
    }

    /// <summary>Creates the keys of project ids (<c>project_keys</c>).</summary>
    public static KeyTable Projects() => new("project_keys", "project_key", "project_id");

    /// <summary>Creates the keys of run ids (<c>run_keys</c>, schema version 4).</summary>
    public static KeyTable Runs() => new("run_keys", "run_key", "run_id");

    /// <summary>Finds the key of an id, or <see langword="null"/> when the table never saw it.</summary>
    public long? Find(StoreConnection c, string id)
    {
        if (_known.TryGetValue(id, out long key))
        {
            return key;
        }

        SqliteCommand select = c.Command(_select);
        select.Parameters.AddWithValue("$id", id);
        if (select.ExecuteScalar() is long found)
        {
            _known[id] = found;
            return found;
        }

        return null;
    }

    /// <summary>Gets the id of a key that a row read on <paramref name="c"/> holds.</summary>
    /// <exception cref="InvalidOperationException">The table has no such key: the row refers to a key that was never made.</exception>
    public string IdOf(StoreConnection c, long key)
    {
        if (_ids.TryGetValue(key, out string? id))
        {
            return id;
        }

        // Read in the caller's transaction: a key that its rows refer to is in the same snapshot.
        SqliteCommand select = c.Command(_selectId);
        select.Parameters.AddWithValue("$key", key);
        id = select.ExecuteScalar() as string
            ?? throw new InvalidOperationException($"A row refers to key {key} of {_table}, which {_table} does not hold.");
        _ids[key] = id;
        return id;
    }

    /// <summary>Finds or creates the key of an id; call it inside a write transaction.</summary>
    public long Ensure(StoreConnection c, string id)
    {
        if (Find(c, id) is { } key)
        {
            return key;
        }

        SqliteCommand insert = c.Command(_insert);
        insert.Parameters.AddWithValue("$id", id);
        return (long)insert.ExecuteScalar()!;
    }
}
