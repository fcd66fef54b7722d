using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration;

/// <summary>What a run migrates.</summary>
public enum MigrationMode
{
    /// <summary>A few records per type (see <see cref="MigrationOptions.DemoSize"/>), with the records they reference pulled in.</summary>
    Demo = 0,

    /// <summary>Everything in scope; records the ID map already knows are updated, never created again.</summary>
    Full = 1,

    /// <summary>Records created since the project's last completed run, by a compound (creation time, id) cursor.</summary>
    Recent = 2,

    /// <summary>Records that are new or whose content checksum changed since they were last written.</summary>
    SmartUpdate = 3,

    /// <summary>Everything again, updating what the ID map already knows (after a mapping fix).</summary>
    Remigration = 4,
}

/// <summary>The state of a run.</summary>
public enum MigrationRunState
{
    /// <summary>Created, not started.</summary>
    Pending = 0,

    /// <summary>Checking connectors and options.</summary>
    Checking = 1,

    /// <summary>Counting and estimating.</summary>
    Estimating = 2,

    /// <summary>Transferring records.</summary>
    Running = 3,

    /// <summary>Paused; in-flight batches committed. Resumable.</summary>
    Paused = 4,

    /// <summary>Paused at the plan limit; resumes when the limit is raised.</summary>
    OverLimit = 5,

    /// <summary>Counting what landed.</summary>
    Verifying = 6,

    /// <summary>Finished with every record migrated.</summary>
    Completed = 7,

    /// <summary>Finished, with some records failed; see the report.</summary>
    CompletedWithErrors = 8,

    /// <summary>Stopped by an error that needs a fix (configuration, authentication, an exhausted error budget). Resumable after the fix.</summary>
    Failed = 9,

    /// <summary>Cancelled by the user.</summary>
    Cancelled = 10,

    /// <summary>
    /// Created by <see cref="MigrationManager.QueueAsync"/> and waiting for a worker; nothing has been checked or written yet.
    /// A worker starts it with <see cref="MigrationManager.ResumeAsync"/> as a new run.
    /// </summary>
    Queued = 11,
}

/// <summary>Helpers for <see cref="MigrationRunState"/>.</summary>
public static class MigrationRunStates
{
    /// <summary>Gets a value indicating whether a state is final: the run will not continue by itself.</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> for completed, failed, cancelled, paused and over-limit runs.</returns>
    public static bool IsStopped(this MigrationRunState state)
        => state is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors or MigrationRunState.Failed
            or MigrationRunState.Cancelled or MigrationRunState.Paused or MigrationRunState.OverLimit;

    /// <summary>Gets a value indicating whether a run in this state can be resumed.</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> unless the run completed or was cancelled.</returns>
    public static bool IsResumable(this MigrationRunState state)
        => state is not (MigrationRunState.Completed or MigrationRunState.CompletedWithErrors or MigrationRunState.Cancelled);
}

/// <summary>What a run does when it reaches the plan limit.</summary>
public enum LimitPolicy
{
    /// <summary>Refuse to start a run whose chargeable estimate exceeds the limit, naming both numbers.</summary>
    Block = 0,

    /// <summary>Migrate what fits (products, customers, orders, blog posts; oldest first), then stop in <see cref="MigrationRunState.OverLimit"/>.</summary>
    MigrateUntilLimit = 1,
}

/// <summary>The durable pairing of a source and a target store. Connectors are supplied by the host and never stored.</summary>
public sealed class MigrationProject
{
    /// <summary>Initializes a new instance of the <see cref="MigrationProject"/> class.</summary>
    /// <param name="projectId">The project id, stable across runs; it owns the ID map.</param>
    /// <param name="source">The source connector.</param>
    /// <param name="target">The target connector.</param>
    public MigrationProject(string projectId, ISourceConnector source, ITargetConnector target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ProjectId = projectId;
        Source = source;
        Target = target;
    }

    /// <summary>Gets the project id.</summary>
    public string ProjectId { get; }

    /// <summary>Gets the source connector.</summary>
    public ISourceConnector Source { get; }

    /// <summary>Gets the target connector.</summary>
    public ITargetConnector Target { get; }

    /// <summary>Gets the non-secret settings a host needs to rebuild the connectors on resume.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>The estimate of one entity type.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Count">The records in scope, or <see langword="null"/> when the source cannot count.</param>
/// <param name="Weight">The points per record.</param>
/// <param name="AlreadyMigrated">The records in scope the ledger already holds; they are free.</param>
public sealed record EntityEstimate(EntityType Type, long? Count, decimal Weight, long AlreadyMigrated)
{
    /// <summary>Gets the points of every record in scope.</summary>
    public decimal Points => (Count ?? 0) * Weight;

    /// <summary>Gets the records that would be charged: those not yet in the ledger.</summary>
    public long ChargeableCount => Math.Max(0, (Count ?? 0) - AlreadyMigrated);

    /// <summary>Gets the points that would be charged.</summary>
    public decimal ChargeablePoints => ChargeableCount * Weight;
}

/// <summary>The Entity Points estimate of a run, checked against the plan limit.</summary>
/// <param name="Mode">The mode estimated.</param>
/// <param name="Entities">The per-type estimates, in dependency order.</param>
/// <param name="PlanLimit">The plan limit per run, or <see langword="null"/> for none.</param>
/// <param name="Policy">The limit policy.</param>
public sealed record MigrationEstimate(MigrationMode Mode, IReadOnlyList<EntityEstimate> Entities, decimal? PlanLimit, LimitPolicy Policy)
{
    /// <summary>Gets the points of every record in scope.</summary>
    public decimal TotalPoints => Entities.Sum(e => e.Points);

    /// <summary>Gets the points that would be charged.</summary>
    public decimal ChargeablePoints => Entities.Sum(e => e.ChargeablePoints);

    /// <summary>Gets a value indicating whether a type could not be counted, so the estimate is a lower bound.</summary>
    public bool IsIncomplete => Entities.Any(e => e.Count is null);

    /// <summary>Gets a value indicating whether the chargeable points fit the plan limit.</summary>
    public bool FitsPlan => PlanLimit is not { } limit || ChargeablePoints <= limit;
}

/// <summary>Progress of one entity type.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Total">The records in scope, when counted.</param>
/// <param name="Counters">The counters so far.</param>
/// <param name="Completed">Whether the type is complete.</param>
public sealed record EntityProgress(EntityType Type, long? Total, TypeCounters Counters, bool Completed);

/// <summary>A snapshot of a run's progress.</summary>
public sealed record MigrationProgress
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the state.</summary>
    public required MigrationRunState State { get; init; }

    /// <summary>Gets the per-type progress, in dependency order.</summary>
    public required IReadOnlyList<EntityProgress> Entities { get; init; }

    /// <summary>Gets the points charged so far in this run.</summary>
    public decimal PointsCharged { get; init; }

    /// <summary>Gets the records processed per second since the run (re)started.</summary>
    public double RecordsPerSecond { get; init; }

    /// <summary>Gets the estimated time left, when the totals are known.</summary>
    public TimeSpan? EstimatedTimeRemaining { get; init; }
}

/// <summary>The report of one entity type.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Total">The records in scope at the source.</param>
/// <param name="Migrated">The records created.</param>
/// <param name="Updated">The records updated.</param>
/// <param name="Skipped">The records skipped.</param>
/// <param name="Failed">The records that failed.</param>
/// <param name="Mapped">The records of the type the project's ledger holds after the run.</param>
public sealed record EntityReport(EntityType Type, long Total, long Migrated, long Updated, long Skipped, long Failed, long Mapped);

/// <summary>Entity Points of a run.</summary>
/// <param name="Estimated">The chargeable points estimated before the run.</param>
/// <param name="Charged">The points charged.</param>
/// <param name="Limit">The plan limit, when set.</param>
public sealed record PointsReport(decimal Estimated, decimal Charged, decimal? Limit);

/// <summary>How many warnings of one kind a run recorded (<see cref="MigrationReport.WarningCounts"/>).</summary>
/// <param name="Type">The entity type of the records warned about.</param>
/// <param name="Category">The kind of adjustment, such as <see cref="FailureCategory.Unsupported"/> for a feature the target lacks.</param>
/// <param name="Count">The distinct warnings of this kind.</param>
public sealed record WarningCount(EntityType Type, FailureCategory Category, long Count);

/// <summary>The verification report of a run.</summary>
public sealed record MigrationReport
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the project id.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Gets the mode.</summary>
    public required MigrationMode Mode { get; init; }

    /// <summary>Gets the final state.</summary>
    public required MigrationRunState Status { get; init; }

    /// <summary>Gets the per-type report, in dependency order.</summary>
    public required IReadOnlyList<EntityReport> Entities { get; init; }

    /// <summary>Gets the points.</summary>
    public required PointsReport Points { get; init; }

    /// <summary>Gets every record that failed, with its source id, category and message.</summary>
    public IReadOnlyList<RecordIssue> Failures { get; init; } = [];

    /// <summary>
    /// Gets examples of the records that migrated with a reported adjustment: for each kind of warning (entity type and
    /// category, <see cref="WarningCounts"/>), the first <see cref="MaxWarningExamples"/> warnings the run recorded, each with
    /// its source id. A long run can warn once per record, so the report keeps a bounded sample and the counts, not every
    /// warning; the checkpoint store keeps every one, and the engine logs every one as it is recorded
    /// (<see cref="MigrationEventId.RecordWarning"/>, at <c>Debug</c> level).
    /// </summary>
    public IReadOnlyList<RecordIssue> Warnings { get; init; } = [];

    /// <summary>
    /// Gets how many records of each entity type migrated with a warning of each category, every warning counted (a record
    /// warned once per run, even when a resume re-read it); <see cref="Warnings"/> holds examples of each.
    /// </summary>
    public IReadOnlyList<WarningCount> WarningCounts { get; init; } = [];

    /// <summary>The most warnings of one kind (entity type and category) that <see cref="Warnings"/> holds as examples.</summary>
    public const int MaxWarningExamples = 100;

    /// <summary>Gets the reason the run stopped, when it failed or paused at a limit.</summary>
    public string? Message { get; init; }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the run ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the duration of the last execution.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the records processed per second.</summary>
    public double RecordsPerSecond { get; init; }
}
