using Microsoft.Extensions.Logging;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>The shared state of one execution of a run: connectors, store, options, lease, counters and stop signals.</summary>
internal sealed class RunContext
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EntityType, TypeCounters> _counters = [];
    private readonly Dictionary<EntityType, bool> _completed = [];
    private decimal _pointsCharged;
    private decimal _pointsReserved;
    private long _failures;

    public RunContext(
        MigrationProject project,
        RunRecord run,
        MigrationOptions options,
        ICheckpointStore store,
        MigrationManagerOptions managerOptions,
        TimeProvider timeProvider,
        ILogger logger,
        MigrationTelemetry telemetry)
    {
        Project = project;
        Run = run;
        Options = options;
        Store = store;
        ManagerOptions = managerOptions;
        TimeProvider = timeProvider;
        Logger = logger;
        Telemetry = telemetry;
    }

    public MigrationProject Project { get; }

    public RunRecord Run { get; set; }

    public string RunId => Run.RunId;

    public string ProjectId => Project.ProjectId;

    public MigrationOptions Options { get; }

    public ICheckpointStore Store { get; }

    public MigrationManagerOptions ManagerOptions { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>
    /// Logs the issues a commit has just recorded, each once: a failure as <c>RecordFailed</c>, a warning as
    /// <c>RecordWarning</c>. Every committed issue passes here (the type transfers' batches and the deferred link passes),
    /// so no stage that finds an issue logs it itself.
    /// </summary>
    public void LogCommitted(IReadOnlyList<RecordIssue> issues)
    {
        foreach (RecordIssue issue in issues)
        {
            if (issue.Severity == IssueSeverity.Warning)
            {
                Logger.RecordWarning(RunId, issue.EntityType, issue.SourceId, issue.Category, issue.Message);
            }
            else
            {
                Logger.RecordFailed(RunId, issue.EntityType, issue.SourceId, issue.Category, issue.Message);
            }
        }
    }

    public MigrationTelemetry Telemetry { get; }

    public RunLease? Lease { get; set; }

    /// <summary>Gets or sets the target's write slots, shared by the writers of every type running at once.</summary>
    public SemaphoreSlim WriteSlots { get; set; } = new(1);

    /// <summary>Gets or sets the callback that publishes a progress snapshot after each commit.</summary>
    public Action? PublishProgress { get; set; }

    /// <summary>Gets or sets the types whose ID-map rows from earlier runs are ignored because the target was cleared.</summary>
    public HashSet<EntityType> IgnorePriorMappings { get; } = [];

    /// <summary>Gets the selected ids per type in a demo run.</summary>
    public Dictionary<EntityType, HashSet<string>>? DemoSelection { get; set; }

    /// <summary>Gets the per-type totals in scope, from the estimate.</summary>
    public Dictionary<EntityType, long?> Totals { get; } = [];

    public decimal EstimatedPoints { get; set; }

    public volatile bool PauseRequested;

    /// <summary>Gets or sets the stop request another process recorded in the store, once the heartbeat has seen one.</summary>
    public RunStopRequest RemoteStop { get; set; }

    /// <summary>Gets or sets why the run was asked to pause; it is recorded as the paused run's message.</summary>
    public string? PauseReason { get; set; }

    /// <summary>Gets or sets the state last recorded.</summary>
    public MigrationRunState CurrentState { get; set; }

    public volatile bool OverLimit;

    /// <summary>Gets the error that stops the run, once one happened.</summary>
    public Exception? FatalError { get; private set; }

    /// <summary>Gets a value indicating whether the pipeline should stop taking new work.</summary>
    public bool StopRequested => PauseRequested || OverLimit || FatalError is not null;

    public decimal PointsCharged
    {
        get
        {
            lock (_gate)
            {
                return _pointsCharged;
            }
        }
    }

    public DateTimeOffset ExecutionStartedAt { get; set; }

    public void Fail(Exception error)
    {
        lock (_gate)
        {
            FatalError ??= error;
        }
    }

    public void InitializeCounters(IReadOnlyList<TypeCheckpoint> checkpoints)
    {
        lock (_gate)
        {
            foreach (TypeCheckpoint checkpoint in checkpoints)
            {
                _counters[checkpoint.Type] = checkpoint.Counters;
                _completed[checkpoint.Type] = checkpoint.Completed;
                _pointsCharged += checkpoint.PointsCharged;
                _failures += checkpoint.Counters.Failed;
            }
        }
    }

    /// <summary>Reserves points for a new record under the plan limit; returns <see langword="false"/> when it does not fit.</summary>
    public bool TryReservePoints(decimal weight)
    {
        if (weight == 0 || Options.PlanLimit is not { } limit || Options.LimitPolicy != LimitPolicy.MigrateUntilLimit)
        {
            return true;
        }

        lock (_gate)
        {
            if (_pointsCharged + _pointsReserved + weight > limit)
            {
                return false;
            }

            _pointsReserved += weight;
            return true;
        }
    }

    /// <summary>Records a committed batch: its counters, the points it charged and the reservation it releases.</summary>
    /// <returns>The run's total failures so far.</returns>
    public long RecordCommit(EntityType type, TypeCounters delta, decimal charged, decimal releasedReservation, bool completed)
    {
        lock (_gate)
        {
            _counters[type] = _counters.GetValueOrDefault(type) + delta;
            _pointsCharged += charged;
            if (Options.PlanLimit is not null && Options.LimitPolicy == LimitPolicy.MigrateUntilLimit)
            {
                _pointsReserved = Math.Max(0, _pointsReserved - releasedReservation);
            }

            _failures += delta.Failed;
            if (completed)
            {
                _completed[type] = true;
            }

            return _failures;
        }
    }

    public MigrationProgress Snapshot(MigrationRunState state)
    {
        lock (_gate)
        {
            List<EntityProgress> entities = new(Totals.Count);
            long processed = 0;
            long total = 0;
            bool totalsKnown = true;
            foreach (EntityType type in Options.GetSelectedTypes())
            {
                TypeCounters counters = _counters.GetValueOrDefault(type);
                long? typeTotal = Totals.GetValueOrDefault(type);
                entities.Add(new EntityProgress(type, typeTotal, counters, _completed.GetValueOrDefault(type)));
                processed += counters.Processed;
                if (typeTotal is { } t)
                {
                    total += Math.Max(t, counters.Processed);
                }
                else
                {
                    totalsKnown = false;
                }
            }

            double seconds = Math.Max(0.001, (TimeProvider.GetUtcNow() - ExecutionStartedAt).TotalSeconds);
            double rate = processed / seconds;
            TimeSpan? eta = totalsKnown && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - processed) / rate) : null;
            return new MigrationProgress
            {
                RunId = RunId,
                State = state,
                Entities = entities,
                PointsCharged = _pointsCharged,
                RecordsPerSecond = rate,
                EstimatedTimeRemaining = eta,
            };
        }
    }

    /// <summary>Gets the query that selects the records of a type in scope of this run.</summary>
    public SourceQuery BuildBaseQuery(EntityType type)
    {
        SourceQuery query = new()
        {
            CreatedSince = Options.CreatedFrom,
            CreatedBefore = Options.CreatedTo,
            Statuses = type == EntityType.Orders && Options.OrderStatusFilter.Count > 0
                ? System.Collections.Frozen.FrozenSet.ToFrozenSet(Options.OrderStatusFilter, StringComparer.Ordinal)
                : null,
        };

        if (DemoSelection is not null)
        {
            query = query with
            {
                Ids = System.Collections.Frozen.FrozenSet.ToFrozenSet(DemoSelection.GetValueOrDefault(type) ?? [], StringComparer.Ordinal),
            };
        }

        return query;
    }
}
