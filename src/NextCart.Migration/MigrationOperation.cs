using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Internal;

namespace NextCart.Migration;

/// <summary>The handle of a run executing in the background: watch it, pause, resume or cancel it, and wait for its report.</summary>
/// <remarks>All members are thread-safe.</remarks>
public sealed class MigrationOperation
{
    /// <summary>The message of a run paused by a request another process recorded in the store.</summary>
    internal const string RemotePauseMessage = "Paused by a request from another process (pause --run).";

    /// <summary>The message of a run cancelled by a request another process recorded in the store.</summary>
    internal const string RemoteCancelMessage = "Cancelled by a request from another process (cancel --run); the batches in flight were committed.";

    private readonly MigrationManager _manager;
    private readonly MigrationProject _project;
    private readonly Lock _gate = new();
    private readonly List<Channel<MigrationProgress>> _watchers = [];
    private RunContext? _context;
    private CancellationTokenSource? _cts;
    private Task<MigrationReport> _execution = Task.FromException<MigrationReport>(new InvalidOperationException("The run has not started."));
    private volatile bool _cancelRequested;

    internal MigrationOperation(MigrationManager manager, MigrationProject project, string runId)
    {
        _manager = manager;
        _project = project;
        RunId = runId;
    }

    /// <summary>Gets the run id.</summary>
    public string RunId { get; }

    /// <summary>Gets the project id.</summary>
    public string ProjectId => _project.ProjectId;

    /// <summary>Gets the run's current state.</summary>
    public MigrationRunState Status { get; private set; } = MigrationRunState.Pending;

    /// <summary>Gets a value indicating whether the current execution has stopped (completed, failed, cancelled, paused or over the limit).</summary>
    public bool HasCompleted => _execution.IsCompleted;

    /// <summary>Gets a snapshot of the run's progress now.</summary>
    /// <returns>The snapshot.</returns>
    public MigrationProgress GetProgress()
        => _context?.Snapshot(Status) ?? new MigrationProgress { RunId = RunId, State = Status, Entities = [] };

    /// <summary>Streams progress snapshots until the current execution stops. Slow readers see the latest snapshot, never a backlog.</summary>
    /// <param name="cancellationToken">The token to stop watching.</param>
    /// <returns>The snapshots, the first one immediately.</returns>
    public async IAsyncEnumerable<MigrationProgress> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Channel<MigrationProgress> channel = Channel.CreateBounded<MigrationProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (HasCompleted)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }
        }

        try
        {
            yield return GetProgress();
            await foreach (MigrationProgress progress in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return progress;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Asks the run to pause: it stops reading, lets in-flight batches commit, and ends in <see cref="MigrationRunState.Paused"/>.</summary>
    /// <param name="cancellationToken">The token to stop waiting (the pause still happens).</param>
    /// <returns>A task that completes when the run has paused or otherwise stopped.</returns>
    public Task PauseAsync(CancellationToken cancellationToken = default) => PauseAsync(null, cancellationToken);

    /// <summary>
    /// Asks the run to pause, as <see cref="PauseAsync(CancellationToken)"/> does, and records why: the reason becomes the run's
    /// <see cref="RunRecord.Message"/> and the report's <see cref="MigrationReport.Message"/> (a host uses it to recognise the
    /// runs it paused at shutdown).
    /// </summary>
    /// <param name="reason">Why the run pauses, or <see langword="null"/> for no reason.</param>
    /// <param name="cancellationToken">The token to stop waiting (the pause still happens).</param>
    /// <returns>A task that completes when the run has paused or otherwise stopped.</returns>
    public async Task PauseAsync(string? reason, CancellationToken cancellationToken = default)
    {
        if (_context is { } context)
        {
            context.PauseReason ??= reason;
            context.PauseRequested = true;
        }

        try
        {
            await _execution.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (_execution.IsFaulted)
        {
            // The execution's own failure is reported by WaitForCompletionAsync; pausing a failed run is not an error.
            return;
        }
    }

    /// <summary>Resumes a paused, over-limit or failed run from its checkpoint, with its stored options.</summary>
    /// <param name="cancellationToken">The token to cancel the resume.</param>
    /// <returns>A task that completes when the run is executing again.</returns>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (!HasCompleted)
        {
            return;
        }

        await _manager.ResumeAsync(_project, RunId, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels the run. In-flight writes are abandoned; their intents are reconciled if the project runs again.</summary>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>A task that completes when the run is cancelled.</returns>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        _cancelRequested = true;
        if (!HasCompleted && _cts is { } cts)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await _execution.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (_execution.IsFaulted)
            {
                return;
            }

            return;
        }

        // Not executing: record the cancellation under a lease so no worker picks the run up again.
        ICheckpointStore store = _manager.Store;
        RunRecord run = await store.GetRunAsync(RunId, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Run '{RunId}' does not exist.");
        if (!run.State.IsResumable())
        {
            return;
        }

        RunLease lease = await store.TryAcquireLeaseAsync(RunId, _manager.Options.OwnerId, _manager.TimeProvider.GetUtcNow(), _manager.Options.LeaseDuration, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{RunId}' is executing in another worker; cancel it there.");
        await store.UpdateRunAsync(run with { State = MigrationRunState.Cancelled, EndedAt = _manager.TimeProvider.GetUtcNow() }, lease, cancellationToken).ConfigureAwait(false);
        await store.ReleaseLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
        Status = MigrationRunState.Cancelled;
    }

    /// <summary>
    /// Waits until the current execution stops and returns the report. A run stops when it completes, fails, is cancelled,
    /// is paused, or reaches the plan limit: check <see cref="MigrationReport.Status"/>.
    /// </summary>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>The report.</returns>
    /// <exception cref="MigrationException">The store could not record the run's final state.</exception>
    public Task<MigrationReport> WaitForCompletionAsync(CancellationToken cancellationToken = default) => _execution.WaitAsync(cancellationToken);

    internal void Start(RunContext context, RunExecution execution, bool isNewRun, ILogger logger)
    {
        CancellationTokenSource cts = new();
        lock (_gate)
        {
            _context = context;
            _cts = cts;
            _cancelRequested = false;
            Status = context.CurrentState;
            context.PublishProgress = Publish;
        }

        _execution = Task.Run(() => ExecuteAsync(context, execution, isNewRun, cts, logger));
    }

    private async Task<MigrationReport> ExecuteAsync(RunContext context, RunExecution execution, bool isNewRun, CancellationTokenSource cts, ILogger logger)
    {
        using CancellationTokenSource heartbeatCts = new();
        Task heartbeat = HeartbeatAsync(context, cts, heartbeatCts.Token);
        MigrationRunState final;
        string? message = null;
        try
        {
            final = await execution.TransferAsync(isNewRun, cts.Token).ConfigureAwait(false);
            if (final == MigrationRunState.OverLimit)
            {
                message = $"The run reached the plan limit of {context.Options.PlanLimit} Entity Points. Raise the limit and resume to continue from here.";
            }
            else if (final == MigrationRunState.Paused && context.RemoteStop == RunStopRequest.Cancel)
            {
                // Cancelled from another process: stopped like a pause (in-flight batches committed), recorded as cancelled.
                final = MigrationRunState.Cancelled;
                message = RemoteCancelMessage;
            }
            else if (final == MigrationRunState.Paused)
            {
                message = context.PauseReason;
            }
        }
        catch (Exception) when (context.FatalError is LeaseLostException || context.Lease is null)
        {
            logger.LeaseLost(context.RunId);
            final = MigrationRunState.Paused;
        }
        catch (OperationCanceledException) when (_cancelRequested)
        {
            final = MigrationRunState.Cancelled;
        }
        catch (Exception ex)
        {
            logger.RunFailed(context.RunId, ex);
            final = MigrationRunState.Failed;
            message = ex.Message;
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        try
        {
            if (context.Lease is { } lease)
            {
                await execution.SetStateAsync(final, message, CancellationToken.None).ConfigureAwait(false);
                if (context.RemoteStop != RunStopRequest.None)
                {
                    // Honoured: clear it under the lease, so a later resume of the run is not stopped by it again.
                    await context.Store.RequestStopAsync(context.RunId, RunStopRequest.None, CancellationToken.None).ConfigureAwait(false);
                }

                await context.Store.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                context.CurrentState = final;
            }
        }
        catch (Exception ex)
        {
            logger.StoreUpdateFailed(context.RunId, ex);
            Status = MigrationRunState.Failed;
            CompleteWatchers();
            throw new MigrationException($"Run '{context.RunId}' stopped ({final}), but the store could not record it: {ex.Message}", FailureCategory.Connection, isTransient: true, ex);
        }

        Status = final;
        logger.RunStopped(context.RunId, final);
        Publish();
        CompleteWatchers();
        return await _manager.BuildReportAsync(context, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Renews the run's lease every third of its duration (a lost lease stops the run without another write) and, on the
    /// same loop, reads the run's stop request from the store every <see cref="MigrationManagerOptions.StopRequestPollInterval"/>:
    /// a pause or cancel asked by another process stops the run as a local pause does.
    /// </summary>
    private static async Task HeartbeatAsync(RunContext context, CancellationTokenSource run, CancellationToken stop)
    {
        TimeSpan period = context.ManagerOptions.LeaseDuration / 3;
        TimeSpan poll = context.ManagerOptions.StopRequestPollInterval;
        TimeSpan tick = poll > TimeSpan.Zero && poll < period ? poll : period;
        DateTimeOffset renewAt = context.TimeProvider.GetUtcNow() + period;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // The wait ends without an exception when the run ends (every run ends that way, so a thrown and caught
                // TaskCanceledException here was one exception per run); the loop condition then stops the heartbeat.
                await Task.Delay(tick, context.TimeProvider, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                RunLease? current = context.Lease;
                if (current is null)
                {
                    return;
                }

                DateTimeOffset now = context.TimeProvider.GetUtcNow();
                if (now >= renewAt)
                {
                    RunLease? renewed = await context.Store.RenewLeaseAsync(current, now, context.ManagerOptions.LeaseDuration, stop).ConfigureAwait(false);
                    if (renewed is null)
                    {
                        context.Fail(new LeaseLostException(context.RunId));
                        context.Lease = null;
                        await run.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    context.Lease = renewed;
                    renewAt = now + period;
                }

                RunStopRequest request = await context.Store.GetStopRequestAsync(context.RunId, stop).ConfigureAwait(false);
                if (request > context.RemoteStop)
                {
                    context.RemoteStop = request;
                    context.Logger.StopRequested(context.RunId, request);
                    context.PauseReason ??= request == RunStopRequest.Cancel ? RemoteCancelMessage : RemotePauseMessage;
                    context.PauseRequested = true;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The execution ended; the heartbeat stops with it.
        }
    }

    private void Publish()
    {
        RunContext? context = _context;
        if (context is null)
        {
            return;
        }

        Status = context.CurrentState;
        IProgress<MigrationProgress>? progress = context.Options.Progress;
        bool watched;
        lock (_gate)
        {
            watched = _watchers.Count > 0;
        }

        // A snapshot is taken only for someone to send it to: this runs after every committed batch, and a run nobody
        // watches (GetProgress takes its own snapshot when asked) need not build one per batch.
        if (!watched && progress is null)
        {
            return;
        }

        MigrationProgress snapshot = context.Snapshot(Status);
        lock (_gate)
        {
            foreach (Channel<MigrationProgress> watcher in _watchers)
            {
                watcher.Writer.TryWrite(snapshot);
            }
        }

        progress?.Report(snapshot);
    }

    private void CompleteWatchers()
    {
        lock (_gate)
        {
            foreach (Channel<MigrationProgress> watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
        }
    }
}
