using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// Sets the links whose other end was written after the record that holds them (category parents, related, up-sell,
/// cross-sell and grouped products). Links that still cannot be resolved are reported as warnings.
/// </summary>
internal static class DeferredLinkPass
{
    public static async Task RunAsync(RunContext run, EntityType type, int batchSize, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeferredLink> links = await run.Store.GetDeferredLinksAsync(run.RunId, type, cancellationToken).ConfigureAwait(false);
        if (links.Count == 0)
        {
            return;
        }

        int applied = 0;
        int unresolved = 0;
        foreach (IGrouping<string, DeferredLink>[] chunk in links.GroupBy(l => l.SourceId, StringComparer.Ordinal).Chunk(batchSize))
        {
            IReadOnlyDictionary<string, IdMapEntry> owners = await run.Store.LookupAsync(run.ProjectId, type, chunk.Select(g => g.Key).ToArray(), cancellationToken).ConfigureAwait(false);
            Dictionary<EntityRef, ResolvedTarget> targets = [];
            foreach (IGrouping<EntityType, EntityRef> byType in chunk.SelectMany(g => g).Select(l => l.Reference.Target).Distinct().GroupBy(r => r.Type))
            {
                IReadOnlyDictionary<string, IdMapEntry> found = await run.Store.LookupAsync(run.ProjectId, byType.Key, byType.Select(r => r.SourceId).ToArray(), cancellationToken).ConfigureAwait(false);
                foreach ((string id, IdMapEntry entry) in found)
                {
                    targets[new EntityRef(byType.Key, id)] = new ResolvedTarget(entry.TargetId, entry.TargetUrl);
                }
            }

            List<LinkRecord> requests = [];
            List<RecordIssue> issues = [];
            foreach (IGrouping<string, DeferredLink> group in chunk)
            {
                if (!owners.TryGetValue(group.Key, out IdMapEntry? owner))
                {
                    continue; // The record itself failed; its failure is already reported.
                }

                List<ResolvedLink> resolved = [];
                foreach (DeferredLink link in group)
                {
                    if (targets.TryGetValue(link.Reference.Target, out ResolvedTarget target))
                    {
                        resolved.Add(new ResolvedLink(link.Reference, target));
                    }
                    else
                    {
                        unresolved++;
                        issues.Add(new RecordIssue(type, group.Key, FailureCategory.Validation, $"Link {link.Reference.Target} ({link.Reference.Role}) could not be set: that record was not migrated.", IssueSeverity.Warning));
                    }
                }

                if (resolved.Count > 0)
                {
                    requests.Add(new LinkRecord(group.Key, owner.TargetId, resolved));
                }
            }

            if (requests.Count > 0)
            {
                if (run.Project.Target is ITargetLinker linker)
                {
                    BatchOutcome outcome = await LinkResilientlyAsync(run, linker, type, requests, cancellationToken).ConfigureAwait(false);
                    foreach (RecordOutcome result in outcome.Results.Where(r => r.Status == RecordStatus.Failed))
                    {
                        issues.Add(new RecordIssue(type, result.SourceId, result.Category ?? FailureCategory.Validation, $"Links could not be set: {result.Message}", IssueSeverity.Warning));
                    }

                    applied += requests.Count;
                }
                else
                {
                    foreach (LinkRecord request in requests)
                    {
                        issues.Add(new RecordIssue(type, request.SourceId, FailureCategory.Unsupported, $"The target cannot set links after a record is written; {request.Links.Count} links were not set.", IssueSeverity.Warning));
                    }
                }
            }

            await run.Store.CommitBatchAsync(
                new BatchCommit
                {
                    ProjectId = run.ProjectId, RunId = run.RunId, Type = type, Lease = run.Lease, Issues = issues,
                    RemoveLinks = chunk.SelectMany(g => g).ToArray(),
                },
                cancellationToken).ConfigureAwait(false);
            run.LogCommitted(issues);
        }

        run.Logger.DeferredLinksApplied(run.RunId, type, applied, unresolved);
    }

    /// <summary>
    /// Sets links, retrying transient failures with backoff: a link request sets the same values however often it is sent, so
    /// unlike a create it needs no reconciliation first. Records that still fail transiently are returned as failures (warnings).
    /// </summary>
    private static async Task<BatchOutcome> LinkResilientlyAsync(RunContext run, ITargetLinker linker, EntityType type, List<LinkRecord> requests, CancellationToken cancellationToken)
    {
        var final = new Dictionary<string, RecordOutcome>(StringComparer.Ordinal);
        List<LinkRecord> remaining = requests;
        for (int attempt = 0; ; attempt++)
        {
            MigrationException? transient = null;
            try
            {
                BatchOutcome outcome = await linker.LinkAsync(type, remaining, cancellationToken).ConfigureAwait(false);
                var again = new List<LinkRecord>();
                for (int i = 0; i < remaining.Count && i < outcome.Results.Count; i++)
                {
                    RecordOutcome result = outcome.Results[i];
                    if (result.Status == RecordStatus.Failed && result.IsTransient && attempt < run.ManagerOptions.MaxRetries)
                    {
                        again.Add(remaining[i]);
                    }
                    else
                    {
                        final[remaining[i].SourceId] = result;
                    }
                }

                remaining = again;
            }
            catch (MigrationException ex) when ((ex.IsTransient || ex.Category == FailureCategory.RateLimit) && attempt < run.ManagerOptions.MaxRetries)
            {
                transient = ex;
            }

            if (remaining.Count == 0)
            {
                return new BatchOutcome(requests.Select(r => final.TryGetValue(r.SourceId, out RecordOutcome? o) ? o : RecordOutcome.Failed(r.SourceId, FailureCategory.Connection, "The target returned no outcome for these links.")).ToArray());
            }

            TimeSpan delay = transient?.RetryAfter ?? Backoff.Delay(run.ManagerOptions.RetryBaseDelay, attempt + 1);
            run.Telemetry.Retries.Add(1);
            run.Logger.TargetLinkRetry(run.RunId, type, attempt + 1, delay, transient ?? new MigrationException("Some links failed transiently.", FailureCategory.Connection, isTransient: true));
            await Task.Delay(delay, run.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
