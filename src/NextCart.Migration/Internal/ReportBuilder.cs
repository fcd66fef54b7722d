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
        IReadOnlyList<RecordIssue> issues = await store.GetIssuesAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        List<EntityReport> entities = [];
        long processed = 0;
        foreach (EntityType type in options.GetSelectedTypes())
        {
            TypeCounters counters = checkpoints.TryGetValue(type, out TypeCheckpoint? checkpoint) ? checkpoint.Counters : default;
            long mapped = await store.CountMappedAsync(run.ProjectId, type, cancellationToken).ConfigureAwait(false);
            long total = context?.Totals.GetValueOrDefault(type) is { } counted ? Math.Max(counted, counters.Processed) : counters.Processed;
            entities.Add(new EntityReport(type, total, counters.Created, counters.Updated, counters.Skipped, counters.Failed, mapped));
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
            Failures = issues.Where(i => i.Severity == IssueSeverity.Failure).ToArray(),
            Warnings = issues.Where(i => i.Severity == IssueSeverity.Warning).ToArray(),
            Message = run.Message,
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            Duration = duration,
            RecordsPerSecond = duration > TimeSpan.Zero ? processed / duration.TotalSeconds : 0,
        };
    }
}
