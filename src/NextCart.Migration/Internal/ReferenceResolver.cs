using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// Resolves the references of a page of records through the ID map, in one bulk lookup per referenced type, and applies
/// the reference rules: a missing required reference fails the record, a missing optional one is dropped with a warning,
/// and a missing deferred one becomes a deferred link.
/// </summary>
internal sealed class ReferenceResolver
{
    private const int MaxCachedReferences = 50_000;

    // Per referenced type, indexed by the enum's value: ids are looked up as strings with the ordinal comparer rather than
    // as EntityRef structs hashed field by field (a profile of the engine-overhead benchmark put the EntityRef-keyed
    // dictionaries among the resolver's main costs). For string keys with the default or ordinal comparer, Dictionary uses
    // dotnet/runtime's NonRandomizedStringEqualityComparer and moves to randomized hashing only past a collision threshold
    // (that type's own comment), so the common lookup skips the randomized string hash.
    private static readonly int TypeCount = (int)Enum.GetValues<EntityType>().Max() + 1;

    private readonly RunContext _run;
    private readonly Dictionary<string, ResolvedTarget>?[] _resolved = new Dictionary<string, ResolvedTarget>?[TypeCount];
    private readonly Dictionary<string, ResolvedTarget>?[] _cache = new Dictionary<string, ResolvedTarget>?[TypeCount];
    private readonly HashSet<string>?[] _wanted = new HashSet<string>?[TypeCount];
    private readonly List<DeferredLink> _deferred = [];
    private int _cached;

    public ReferenceResolver(RunContext run) => _run = run;

    /// <summary>Looks up every reference of the records in bulk.</summary>
    public async Task LoadAsync(IReadOnlyList<Entity> records, CancellationToken cancellationToken)
    {
        for (int index = 0; index < TypeCount; index++)
        {
            _resolved[index]?.Clear();
            _wanted[index]?.Clear();
        }

        // The cache is bounded between pages, before it is read, so every hit below stays valid until the next page.
        if (_cached > MaxCachedReferences)
        {
            foreach (Dictionary<string, ResolvedTarget>? cache in _cache)
            {
                cache?.Clear();
            }

            _cached = 0;
        }

        bool anyWanted = false;
        EntityType ownType = records.Count > 0 ? records[0].Type : default;
        foreach (Entity record in records)
        {
            foreach (EntityReference reference in record.GetReferences())
            {
                EntityRef target = reference.Target;
                if (target.Type != ownType && _cache[(int)target.Type] is { } cache && cache.ContainsKey(target.SourceId))
                {
                    continue;
                }

                (_wanted[(int)target.Type] ??= new HashSet<string>(StringComparer.Ordinal)).Add(target.SourceId);
                anyWanted = true;
            }
        }

        if (!anyWanted)
        {
            return;
        }

        for (int index = 0; index < TypeCount; index++)
        {
            if (_wanted[index] is not { Count: > 0 } ids)
            {
                continue;
            }

            EntityType type = (EntityType)index;
            IReadOnlyDictionary<string, IdMapEntry> found = await _run.Store.LookupAsync(_run.ProjectId, type, ids, cancellationToken).ConfigureAwait(false);
            bool ignorePrior = _run.IgnorePriorMappings.Contains(type);

            // Other types are complete before this one starts, so their rows cannot change under us and are cached; this
            // type's own rows are resolved for this page only.
            Dictionary<string, ResolvedTarget> into = type != ownType
                ? _cache[index] ??= new Dictionary<string, ResolvedTarget>(StringComparer.Ordinal)
                : _resolved[index] ??= new Dictionary<string, ResolvedTarget>(StringComparer.Ordinal);
            int before = into.Count;
            foreach ((string id, IdMapEntry entry) in found)
            {
                if (ignorePrior && entry.RunId != _run.RunId)
                {
                    continue;
                }

                into[id] = new ResolvedTarget(entry.TargetId, entry.TargetUrl);
            }

            if (type != ownType)
            {
                _cached += into.Count - before;
            }
        }
    }

    /// <summary>Resolves a record's references, recording failures, warnings and deferred links on the batch.</summary>
    /// <returns><see langword="false"/> when a required reference is missing and the record must not be written.</returns>
    public bool TryResolve(Entity entity, WriteBatch batch, out IReadOnlyDictionary<EntityRef, ResolvedTarget>? references)
    {
        Dictionary<EntityRef, ResolvedTarget>? map = null;
        List<DeferredLink>? deferred = null;
        List<RecordIssue>? warnings = null;
        foreach (EntityReference reference in entity.GetReferences())
        {
            if (TryGetResolved(reference.Target, out ResolvedTarget resolved))
            {
                map ??= [];
                map[reference.Target] = resolved;
                continue;
            }

            switch (reference.Kind)
            {
                case ReferenceKind.Required:
                    references = null;
                    batch.Fail(
                        entity.SourceId,
                        entity.Type,
                        FailureCategory.Validation,
                        $"Required reference {reference.Target} ({reference.Role}) has not been migrated: it failed, does not exist at the source, or is outside this run's scope. The record was not written, so that it is not written broken.");
                    return false;

                case ReferenceKind.Optional:
                    // A record may name the same target twice (two order lines of one product): one warning for it.
                    RecordIssue warning = new(
                        entity.Type,
                        entity.SourceId,
                        FailureCategory.Validation,
                        $"Optional reference {reference.Target} ({reference.Role}) could not be resolved (it does not exist or was not migrated); the record migrated without it.",
                        IssueSeverity.Warning);
                    warnings ??= [];
                    if (!warnings.Contains(warning))
                    {
                        warnings.Add(warning);
                    }

                    break;

                case ReferenceKind.Deferred:
                    deferred ??= [];
                    deferred.Add(new DeferredLink(entity.Type, entity.SourceId, reference));
                    break;
            }
        }

        if (warnings is not null)
        {
            batch.Issues.AddRange(warnings);
        }

        if (deferred is not null)
        {
            _deferred.AddRange(deferred);
        }

        references = map;
        return true;
    }

    /// <summary>Returns and forgets the deferred links collected since the last call.</summary>
    public DeferredLink[] TakeDeferred()
    {
        DeferredLink[] links = _deferred.Count == 0 ? [] : [.. _deferred];
        _deferred.Clear();
        return links;
    }

    private bool TryGetResolved(EntityRef target, out ResolvedTarget resolved)
    {
        int index = (int)target.Type;
        if (_resolved[index] is { } page && page.TryGetValue(target.SourceId, out resolved))
        {
            return true;
        }

        if (_cache[index] is { } cache && cache.TryGetValue(target.SourceId, out resolved))
        {
            return true;
        }

        resolved = default;
        return false;
    }
}
