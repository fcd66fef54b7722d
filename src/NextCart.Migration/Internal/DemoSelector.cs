using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// Chooses the records of a demo run: the first N of each selected type, plus every record they reference (required and
/// optional references, and parents), so the demo's relationships are intact. Related products are not pulled in.
/// </summary>
internal static class DemoSelector
{
    public static async Task<Dictionary<EntityType, HashSet<string>>> SelectAsync(RunContext run, CancellationToken cancellationToken)
    {
        IReadOnlyList<EntityType> types = run.Options.GetSelectedTypes();
        Dictionary<EntityType, HashSet<string>> selected = types.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal));

        // Walk from the last type to the first: references always point at the same or an earlier type.
        foreach (EntityType type in types.Reverse())
        {
            HashSet<string> ids = selected[type];
            HashSet<string> visited = new(StringComparer.Ordinal);
            SourceQuery baseQuery = run.BuildBaseQuery(type) with { Ids = null };
            if (type != EntityType.Redirects)
            {
                await CollectAsync(run, type, baseQuery with { Limit = run.Options.DemoSize }, ids, visited, selected, cancellationToken).ConfigureAwait(false);
            }

            // Pull in referenced records (and their own references, such as a category's ancestors) until closed.
            while (true)
            {
                string[] missing = ids.Where(id => !visited.Contains(id)).ToArray();
                if (missing.Length == 0)
                {
                    break;
                }

                visited.UnionWith(missing);
                await CollectAsync(run, type, baseQuery with { Ids = System.Collections.Frozen.FrozenSet.ToFrozenSet(missing, StringComparer.Ordinal) }, ids, visited, selected, cancellationToken).ConfigureAwait(false);
            }
        }

        return selected;
    }

    private static async Task CollectAsync(
        RunContext run,
        EntityType type,
        SourceQuery query,
        HashSet<string> ids,
        HashSet<string> visited,
        Dictionary<EntityType, HashSet<string>> selected,
        CancellationToken cancellationToken)
    {
        await foreach (SourcePage page in run.Project.Source.ReadAsync(type, query, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (Entity record in page.Records)
            {
                ids.Add(record.SourceId);
                visited.Add(record.SourceId);
                foreach (EntityReference reference in record.GetReferences())
                {
                    if (reference.Kind == ReferenceKind.Deferred && reference.Role != ReferenceRole.Parent)
                    {
                        continue;
                    }

                    if (selected.TryGetValue(reference.Target.Type, out HashSet<string>? targetIds))
                    {
                        targetIds.Add(reference.Target.OwnerSourceId);
                    }
                }
            }

            if (page.ResumeToken is null)
            {
                break;
            }
        }
    }
}
