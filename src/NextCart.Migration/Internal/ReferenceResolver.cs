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

    private readonly RunContext _run;
    private readonly Dictionary<EntityRef, ResolvedTarget> _resolved = [];
    private readonly Dictionary<EntityRef, ResolvedTarget> _cache = [];
    private readonly List<DeferredLink> _deferred = [];

    public ReferenceResolver(RunContext run) => _run = run;

    /// <summary>Looks up every reference of the records in bulk.</summary>
    public async Task LoadAsync(IReadOnlyList<Entity> records, CancellationToken cancellationToken)
    {
        _resolved.Clear();
        Dictionary<EntityType, HashSet<string>> wanted = [];
        EntityType ownType = records.Count > 0 ? records[0].Type : default;
        foreach (Entity record in records)
        {
            foreach (EntityReference reference in record.GetReferences())
            {
                EntityRef target = reference.Target;
                if (target.Type != ownType && _cache.TryGetValue(target, out ResolvedTarget cached))
                {
                    _resolved[target] = cached;
                    continue;
                }

                if (!wanted.TryGetValue(target.Type, out HashSet<string>? ids))
                {
                    ids = new HashSet<string>(StringComparer.Ordinal);
                    wanted[target.Type] = ids;
                }

                ids.Add(target.SourceId);
            }
        }

        if (_cache.Count > MaxCachedReferences)
        {
            _cache.Clear();
        }

        foreach ((EntityType type, HashSet<string> ids) in wanted)
        {
            IReadOnlyDictionary<string, IdMapEntry> found = await _run.Store.LookupAsync(_run.ProjectId, type, ids, cancellationToken).ConfigureAwait(false);
            bool ignorePrior = _run.IgnorePriorMappings.Contains(type);
            foreach ((string id, IdMapEntry entry) in found)
            {
                if (ignorePrior && entry.RunId != _run.RunId)
                {
                    continue;
                }

                EntityRef key = new(type, id);
                ResolvedTarget resolved = new(entry.TargetId, entry.TargetUrl);
                _resolved[key] = resolved;

                // Other types are complete before this one starts, so their rows cannot change under us.
                if (type != ownType)
                {
                    _cache[key] = resolved;
                }
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
            if (_resolved.TryGetValue(reference.Target, out ResolvedTarget resolved))
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
        DeferredLink[] links = [.. _deferred];
        _deferred.Clear();
        return links;
    }
}
