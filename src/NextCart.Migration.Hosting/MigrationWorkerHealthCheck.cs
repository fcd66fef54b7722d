using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NextCart.Migration.Hosting;

/// <summary>
/// Reports the background migration worker's health: healthy while it polls the store, degraded while polls fail or are
/// overdue or while it shuts down, unhealthy when it is not running.
/// </summary>
/// <remarks>Register it with <c>services.AddHealthChecks().AddCheck&lt;MigrationWorkerHealthCheck&gt;("nextcart-migration-worker")</c>.</remarks>
public sealed class MigrationWorkerHealthCheck : IHealthCheck
{
    private readonly IMigrationWorkerMonitor _monitor;

    /// <summary>Initializes a new instance of the <see cref="MigrationWorkerHealthCheck"/> class.</summary>
    /// <param name="monitor">The worker's monitor.</param>
    public MigrationWorkerHealthCheck(IMigrationWorkerMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _monitor = monitor;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        MigrationWorkerSnapshot snapshot = _monitor.GetSnapshot();
        Dictionary<string, object> data = new(StringComparer.Ordinal)
        {
            ["status"] = snapshot.Status.ToString(),
            ["owner"] = snapshot.OwnerId,
            ["activeRuns"] = snapshot.ActiveRunIds.Count,
            ["maxConcurrentRuns"] = snapshot.MaxConcurrentRuns,
            ["consecutivePollFailures"] = snapshot.ConsecutivePollFailures,
            ["runsClaimed"] = snapshot.RunsClaimed,
        };
        if (snapshot.LastPollAt is { } lastPoll)
        {
            data["lastPollAt"] = lastPoll;
        }

        HealthCheckResult result = snapshot.Status switch
        {
            MigrationWorkerStatus.Running when snapshot.ConsecutivePollFailures > 0
                => HealthCheckResult.Degraded($"The worker could not read the store in its last {snapshot.ConsecutivePollFailures} poll(s): {snapshot.LastError}", data: data),
            MigrationWorkerStatus.Running when snapshot.IsPollOverdue
                => HealthCheckResult.Degraded("The worker has not completed a poll of the store for three poll intervals.", data: data),
            MigrationWorkerStatus.Running
                => HealthCheckResult.Healthy($"The worker executes {snapshot.ActiveRunIds.Count} of at most {snapshot.MaxConcurrentRuns} runs.", data),
            MigrationWorkerStatus.Stopping => HealthCheckResult.Degraded("The worker is pausing its runs for a host shutdown.", data: data),
            MigrationWorkerStatus.Faulted => HealthCheckResult.Unhealthy($"The worker stopped with an error: {snapshot.LastError}", data: data),
            _ => HealthCheckResult.Unhealthy($"The worker is {snapshot.Status}.", data: data),
        };
        return Task.FromResult(result);
    }
}
