using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>Builds a <see cref="MigrationReport"/> from what the store holds about a run.</summary>
internal static class ReportBuilder
{
    public static async Task<MigrationReport> BuildAsync(ICheckpointStore store, RunRecord run, MigrationOptions options, RunContext? context, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Dictionary<EntityType, TypeCheckpoint> checkpoints = (await store.GetCheckpointsAsync(run.RunId, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Type);
        IssueSummary issues = await store.GetIssueSummaryAsync(run.RunId, MigrationReport.MaxWarningExamples, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<RecordIssue> failures = await GetOutstandingFailuresAsync(store, run, issues.Failures, cancellationToken).ConfigureAwait(false);
        Dictionary<EntityType, int> failedByType = failures.GroupBy(f => f.EntityType).ToDictionary(g => g.Key, g => g.Count());
        List<EntityReport> entities = [];
        long processed = 0;
        foreach (EntityType type in options.GetSelectedTypes())
        {
            TypeCounters counters = checkpoints.TryGetValue(type, out TypeCheckpoint? checkpoint) ? checkpoint.Counters : default;
            long mapped = await store.CountMappedAsync(run.ProjectId, type, cancellationToken).ConfigureAwait(false);
            long total = context?.Totals.GetValueOrDefault(type) is { } counted ? Math.Max(counted, counters.Processed) : counters.Processed;
            entities.Add(new EntityReport(type, total, counters.Created, counters.Updated, counters.Skipped, failedByType.GetValueOrDefault(type), mapped));
            processed += counters.Processed;
        }

        DateTimeOffset end = run.EndedAt ?? timeProvider.GetUtcNow();
        TimeSpan duration = run.StartedAt is { } start ? end - start : TimeSpan.Zero;
        return new MigrationReport
        {
            RunId = run.RunId,
            ProjectId = run.ProjectId,
            Mode = run.Mode,
            Status = run.State,
            Entities = entities,
            Points = new PointsReport(run.EstimatedPoints ?? 0, checkpoints.Values.Sum(c => c.PointsCharged), options.PlanLimit),
            Failures = failures,
            Warnings = issues.WarningExamples,
            WarningCounts = issues.WarningCounts,
            Message = run.Message,
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            Duration = duration,
            RecordsPerSecond = duration > TimeSpan.Zero ? processed / duration.TotalSeconds : 0,
        };
    }

    /// <summary>
    /// Gets the failures that still stand: one per record (the latest), leaving out records that failed once and were
    /// migrated later in the same run (after a resume re-read them). A record re-read after a crash that fails again is
    /// therefore reported once, not twice.
    /// </summary>
    public static async Task<IReadOnlyList<RecordIssue>> GetOutstandingFailuresAsync(ICheckpointStore store, RunRecord run, IReadOnlyList<RecordIssue> failures, CancellationToken cancellationToken)
    {
        Dictionary<(EntityType Type, string SourceId), RecordIssue> latest = [];
        foreach (RecordIssue issue in failures)
        {
            latest[(issue.EntityType, issue.SourceId)] = issue;
        }

        List<RecordIssue> outstanding = new(latest.Count);
        foreach (IGrouping<EntityType, RecordIssue> byType in latest.Values.GroupBy(i => i.EntityType))
        {
            IReadOnlyDictionary<string, IdMapEntry> mapped = await store.LookupAsync(run.ProjectId, byType.Key, byType.Select(i => i.SourceId).ToArray(), cancellationToken).ConfigureAwait(false);
            outstanding.AddRange(byType.Where(i => !(mapped.TryGetValue(i.SourceId, out IdMapEntry? entry) && entry.RunId == run.RunId)));
        }

        return outstanding.OrderBy(i => i.EntityType).ThenBy(i => i.SourceId, SourceIdComparer.Instance).ToArray();
    }
}
