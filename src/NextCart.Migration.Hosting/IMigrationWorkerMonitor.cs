namespace NextCart.Migration.Hosting;

/// <summary>Reads the state of the background migration worker, for health checks and dashboards.</summary>
public interface IMigrationWorkerMonitor
{
    /// <summary>Gets a snapshot of the worker's state now.</summary>
    /// <returns>The snapshot.</returns>
    MigrationWorkerSnapshot GetSnapshot();
}

/// <summary>The state of the background migration worker's loop.</summary>
public enum MigrationWorkerStatus
{
    /// <summary>The host has not started the worker.</summary>
    NotStarted = 0,

    /// <summary>Polling the store and executing runs.</summary>
    Running = 1,

    /// <summary>The host is stopping; the worker is pausing its runs.</summary>
    Stopping = 2,

    /// <summary>Stopped with the host.</summary>
    Stopped = 3,

    /// <summary>The loop ended with an error it could not recover from.</summary>
    Faulted = 4,
}

/// <summary>A snapshot of the background migration worker.</summary>
public sealed record MigrationWorkerSnapshot
{
    /// <summary>Gets the loop's state.</summary>
    public required MigrationWorkerStatus Status { get; init; }

    /// <summary>Gets the lease owner id the worker claims runs under.</summary>
    public required string OwnerId { get; init; }

    /// <summary>Gets the ids of the runs executing in this worker.</summary>
    public required IReadOnlyList<string> ActiveRunIds { get; init; }

    /// <summary>Gets how many runs the worker executes at once.</summary>
    public int MaxConcurrentRuns { get; init; }

    /// <summary>Gets when the last successful poll of the store ended.</summary>
    public DateTimeOffset? LastPollAt { get; init; }

    /// <summary>Gets a value indicating whether no poll succeeded for three poll intervals while the worker runs.</summary>
    public bool IsPollOverdue { get; init; }

    /// <summary>Gets the number of polls that failed in a row (the store could not be read).</summary>
    public int ConsecutivePollFailures { get; init; }

    /// <summary>Gets the last error of the loop or of a claim, when there was one.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets the number of runs the worker started or resumed since it started.</summary>
    public long RunsClaimed { get; init; }
}
