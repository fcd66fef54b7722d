using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Checkpoints;

/// <summary>
/// What a run's report shows of its issues (<see cref="ICheckpointStore.GetIssueSummaryAsync"/>): every failure, and the
/// warnings counted by kind with a bounded sample of each, so that a run that warns about every record does not have its
/// warnings read into memory to be reported.
/// </summary>
/// <param name="Failures">Every failure recorded for the run, in the order recorded.</param>
/// <param name="WarningExamples">
/// The first distinct warnings of each kind (entity type and category), at most the number asked for per kind, in the order
/// recorded.
/// </param>
/// <param name="WarningCounts">The number of distinct warnings of each kind, ordered by entity type, then category.</param>
public sealed record IssueSummary(IReadOnlyList<RecordIssue> Failures, IReadOnlyList<RecordIssue> WarningExamples, IReadOnlyList<WarningCount> WarningCounts)
{
    /// <summary>
    /// Summarizes issues in the order they were recorded, as <see cref="ICheckpointStore.GetIssueSummaryAsync"/> does: a warning
    /// recorded twice (the same entity type, source id, category and message, as when a resumed run warns about a record
    /// again) counts once.
    /// </summary>
    /// <param name="issues">The run's issues, in the order recorded.</param>
    /// <param name="maxWarningExamples">How many warnings of each kind to keep as examples; 0 keeps none.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWarningExamples"/> is negative.</exception>
    public static IssueSummary Create(IEnumerable<RecordIssue> issues, int maxWarningExamples)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWarningExamples);
        List<RecordIssue> failures = [];
        HashSet<RecordIssue> seen = [];
        Dictionary<(EntityType Type, FailureCategory Category), long> counts = [];
        List<RecordIssue> examples = [];
        foreach (RecordIssue issue in issues)
        {
            if (issue.Severity != IssueSeverity.Warning)
            {
                failures.Add(issue);
                continue;
            }

            if (!seen.Add(issue))
            {
                continue;
            }

            long count = counts.GetValueOrDefault((issue.EntityType, issue.Category)) + 1;
            counts[(issue.EntityType, issue.Category)] = count;
            if (count <= maxWarningExamples)
            {
                examples.Add(issue);
            }
        }

        WarningCount[] summary = [.. counts.Select(c => new WarningCount(c.Key.Type, c.Key.Category, c.Value)).OrderBy(c => c.Type).ThenBy(c => c.Category)];
        return new IssueSummary(failures.ToArray(), examples.ToArray(), summary);
    }
}
