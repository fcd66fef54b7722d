using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Hosting.Internal;

/// <summary>
/// The background worker: polls the checkpoint store, claims runs through their lease, executes at most N at once, and pauses
/// them when the host stops.
/// </summary>
/// <remarks>
/// A run is claimed with <see cref="ICheckpointStore.TryAcquireLeaseAsync"/> under the manager's owner id before anything else,
/// so of several workers sharing a store exactly one gets it (PostgreSQL claims with <c>FOR UPDATE SKIP LOCKED</c>); the
/// manager then takes the same lease again, which succeeds because the owner holds it, and keeps it with its heartbeat.
/// </remarks>
internal sealed class MigrationWorker : BackgroundService, IMigrationWorkerMonitor
{
    private readonly MigrationManager _manager;
    private readonly IConnectorResolver _resolver;
    private readonly MigrationWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = NewSignal();
    private volatile MigrationWorkerStatus _status = MigrationWorkerStatus.NotStarted;
    private DateTimeOffset? _lastPollAt;
    private DateTimeOffset? _startedAt;
    private int _consecutiveFailures;
    private string? _lastError;
    private long _runsClaimed;

    public MigrationWorker(MigrationManager manager, IConnectorResolver resolver, IOptions<MigrationWorkerOptions> options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        _manager = manager;
        _resolver = resolver;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger("NextCart.Migration.Hosting") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public MigrationWorkerSnapshot GetSnapshot()
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            DateTimeOffset? reference = _lastPollAt ?? _startedAt;
            return new MigrationWorkerSnapshot
            {
                Status = _status,
                OwnerId = _manager.OwnerId,
                ActiveRunIds = [.. _active.Keys.Order(StringComparer.Ordinal)],
                MaxConcurrentRuns = _options.MaxConcurrentRuns,
                LastPollAt = _lastPollAt,
                IsPollOverdue = _status == MigrationWorkerStatus.Running && reference is { } r && now - r > 3 * _options.PollInterval,
                ConsecutivePollFailures = _consecutiveFailures,
                LastError = _lastError,
                RunsClaimed = _runsClaimed,
            };
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop claiming first (the loop ends), then pause what runs: each run stops reading, lets its in-flight batches commit
        // and records Paused. The host's token bounds it all (HostOptions.ShutdownTimeout).
        if (_status == MigrationWorkerStatus.Running)
        {
            _status = MigrationWorkerStatus.Stopping;
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        ActiveRun[] runs;
        lock (_gate)
        {
            runs = [.. _active.Values];
        }

        if (runs.Length > 0)
        {
            _logger.ShutdownPausing(runs.Length);
            await Task.WhenAll(runs.Select(run => PauseForShutdownAsync(run, cancellationToken))).ConfigureAwait(false);
        }

        if (_status != MigrationWorkerStatus.Faulted)
        {
            _status = MigrationWorkerStatus.Stopped;
        }

        _logger.WorkerStopped(_manager.OwnerId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _startedAt = _time.GetUtcNow();
            _status = MigrationWorkerStatus.Running;
        }

        _logger.WorkerStarted(_manager.OwnerId, _options.MaxConcurrentRuns, _options.PollInterval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TaskCompletionSource signal = Interlocked.Exchange(ref _wake, NewSignal());
                try
                {
                    await PollAsync(stoppingToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _lastPollAt = _time.GetUtcNow();
                        _consecutiveFailures = 0;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The store may be briefly unreachable; the health check reports it and the next poll tries again.
                    int failures;
                    lock (_gate)
                    {
                        failures = ++_consecutiveFailures;
                        _lastError = ex.Message;
                    }

                    _logger.PollFailed(failures, ex);
                }

                using CancellationTokenSource delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                Task wait = Task.Delay(_options.PollInterval, _time, delay.Token);
                await Task.WhenAny(wait, _wake.Task, signal.Task).ConfigureAwait(false);
                await delay.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; StopAsync pauses the runs.
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _status = MigrationWorkerStatus.Faulted;
                _lastError = ex.Message;
            }

            throw;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int ActiveCount
    {
        get
        {
            lock (_gate)
            {
                return _active.Count;
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        int free = _options.MaxConcurrentRuns - ActiveCount;
        if (free <= 0)
        {
            return;
        }

        IReadOnlyList<RunRecord> runs = await _manager.Store.ListRunsAsync(null, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        foreach (RunRecord run in runs.Where(r => IsCandidate(r, now)).OrderBy(Priority).ThenBy(r => r.CreatedAt))
        {
            if (free <= 0 || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (await TryStartAsync(run, cancellationToken).ConfigureAwait(false))
            {
                free--;
            }
        }
    }

    /// <summary>Interrupted runs first (they hold partial work), then runs paused by a shutdown, then queued runs.</summary>
    private static int Priority(RunRecord run) => run.State switch
    {
        MigrationRunState.Queued => 2,
        MigrationRunState.Paused => 1,
        _ => 0,
    };

    private bool IsCandidate(RunRecord run, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_active.ContainsKey(run.RunId))
            {
                return false;
            }
        }

        return run.State switch
        {
            MigrationRunState.Queued => _options.ExecuteQueuedRuns,

            // Executing states: only a crashed (or lease-losing) process leaves them behind; the lease decides.
            MigrationRunState.Checking or MigrationRunState.Estimating or MigrationRunState.Running or MigrationRunState.Verifying => _options.ResumeInterruptedRuns,

            // A starting manager creates the run as Pending and leases it at once; only an old one was abandoned.
            MigrationRunState.Pending => _options.ResumeInterruptedRuns && now - run.CreatedAt > _manager.LeaseDuration,

            MigrationRunState.Paused => _options.ResumePausedRuns == PausedRunResumption.Always
                || (_options.ResumePausedRuns == PausedRunResumption.PausedByShutdown && string.Equals(run.Message, MigrationWorkerOptions.ShutdownPauseMessage, StringComparison.Ordinal)),

            _ => false,
        };
    }

    private async Task<bool> TryStartAsync(RunRecord listed, CancellationToken cancellationToken)
    {
        RunLease? claim = await _manager.Store.TryAcquireLeaseAsync(listed.RunId, _manager.OwnerId, _time.GetUtcNow(), _manager.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return false;
        }

        ResolvedConnectors? connectors = null;
        try
        {
            // Read the run again under the claim: another worker may have run it between the listing and the claim.
            RunRecord? run = await _manager.Store.GetRunAsync(listed.RunId, cancellationToken).ConfigureAwait(false);
            if (run is null || !IsCandidate(run, _time.GetUtcNow()))
            {
                await _manager.Store.ReleaseLeaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
                return false;
            }

            ProjectRecord project = await _manager.Store.GetProjectAsync(run.ProjectId, cancellationToken).ConfigureAwait(false)
                ?? throw new MigrationConfigurationException(FailureCategory.Configuration, $"Run '{run.RunId}' belongs to project '{run.ProjectId}', which the store does not hold.");
            MigrationProject migrationProject;
            try
            {
                connectors = await _resolver.ResolveAsync(project, cancellationToken).ConfigureAwait(false);
                migrationProject = connectors.CreateProject(project);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Without connectors the run cannot go on here: record why on the run (resumable after the fix).
                string reason = $"The worker could not rebuild the connectors of project '{project.ProjectId}': {ex.Message}";
                await _manager.Store.UpdateRunAsync(run with { State = MigrationRunState.Failed, Message = reason, EndedAt = _time.GetUtcNow() }, claim, CancellationToken.None).ConfigureAwait(false);
                throw new MigrationConfigurationException(FailureCategory.Configuration, reason);
            }

            // Not cancellable by the host's stop: a start cancelled half-way would record the run as Failed. StopAsync pauses it.
            MigrationOperation operation = await _manager.ResumeAsync(migrationProject, run.RunId, null, CancellationToken.None).ConfigureAwait(false);
            ActiveRun active = new(run.RunId, operation, connectors);
            lock (_gate)
            {
                _active[run.RunId] = active;
                _runsClaimed++;
            }

            _logger.RunClaimed(run.RunId, run.ProjectId, run.State);
            active.Monitor = MonitorAsync(active);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                _lastError = ex.Message;
            }

            _logger.RunNotStarted(listed.RunId, ex.Message, ex is MigrationConfigurationException or PlanLimitExceededException ? null : ex);
            if (connectors is not null)
            {
                await connectors.DisposeAsync().ConfigureAwait(false);
            }

            // A failed start already released its lease; this releases the claim when it failed before that (no-op otherwise).
            await _manager.Store.ReleaseLeaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            if (connectors is not null)
            {
                await connectors.DisposeAsync().ConfigureAwait(false);
            }

            await _manager.Store.ReleaseLeaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task MonitorAsync(ActiveRun run)
    {
        try
        {
            MigrationReport report = await run.Operation.WaitForCompletionAsync(CancellationToken.None).ConfigureAwait(false);
            _logger.RunStopped(run.RunId, report.Status);
        }
        catch (Exception ex)
        {
            // The run could not record its final state; it stays claimable once its lease expires.
            lock (_gate)
            {
                _lastError = ex.Message;
            }

            _logger.RunNotStarted(run.RunId, ex.Message, ex);
        }
        finally
        {
            lock (_gate)
            {
                _active.Remove(run.RunId);
            }

            await run.Connectors.DisposeAsync().ConfigureAwait(false);
            _wake.TrySetResult();
        }
    }

    private async Task PauseForShutdownAsync(ActiveRun run, CancellationToken cancellationToken)
    {
        try
        {
            await run.Operation.PauseAsync(MigrationWorkerOptions.ShutdownPauseMessage, cancellationToken).ConfigureAwait(false);
            if (run.Monitor is { } monitor)
            {
                await monitor.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.ShutdownTimedOut(run.RunId);
        }
    }

    private sealed class ActiveRun(string runId, MigrationOperation operation, ResolvedConnectors connectors)
    {
        public string RunId { get; } = runId;

        public MigrationOperation Operation { get; } = operation;

        public ResolvedConnectors Connectors { get; } = connectors;

        public Task? Monitor { get; set; }
    }
}
