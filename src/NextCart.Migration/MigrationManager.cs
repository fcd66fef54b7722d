using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Internal;

namespace NextCart.Migration;

/// <summary>
/// Starts, resumes, estimates and reports migration runs. It is the entry point of the engine.
/// </summary>
/// <remarks>
/// Create one per application (it is registered as a singleton by <c>AddNextCartMigration</c>) and dispose of it at
/// shutdown. All members are thread-safe. Runs execute in the background; each is guarded by a lease in the checkpoint
/// store, so two managers sharing a store never execute the same run at once.
/// </remarks>
public sealed class MigrationManager : IAsyncDisposable
{
    private readonly ICheckpointStore _store;
    private readonly MigrationManagerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MigrationTelemetry _telemetry;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MigrationOperation> _operations = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="MigrationManager"/> class.</summary>
    /// <param name="store">The checkpoint store: the ledger of projects, runs and the ID map.</param>
    /// <param name="options">The engine options, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for no logging.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">The meter factory, or <see langword="null"/> to create the meter directly.</param>
    /// <exception cref="MigrationConfigurationException"><paramref name="options"/> is invalid; every problem is listed.</exception>
    public MigrationManager(
        ICheckpointStore store,
        MigrationManagerOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new MigrationManagerOptions();
        ValidateManagerOptions(_options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NextCart.Migration");
        _telemetry = new MigrationTelemetry(meterFactory);
    }

    /// <summary>Gets the checkpoint store.</summary>
    public ICheckpointStore Store => _store;

    /// <summary>Gets the owner id this manager takes run leases under (<see cref="MigrationManagerOptions.OwnerId"/>).</summary>
    /// <remarks>A host that claims a run's lease before <see cref="ResumeAsync"/> uses this id, so the manager keeps the claim.</remarks>
    public string OwnerId => _options.OwnerId;

    /// <summary>Gets how long this manager's run leases last without a heartbeat (<see cref="MigrationManagerOptions.LeaseDuration"/>).</summary>
    public TimeSpan LeaseDuration => _options.LeaseDuration;

    /// <summary>Estimates a run's Entity Points without writing anything.</summary>
    /// <param name="project">The project.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">The token to cancel the estimate.</param>
    /// <returns>The estimate, with the verdict against the plan limit.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public async Task<MigrationEstimate> EstimateAsync(MigrationProject project, MigrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        RunRecord scratch = new()
        {
            RunId = "estimate", ProjectId = project.ProjectId, Mode = options.Mode, State = MigrationRunState.Estimating, CreatedAt = _timeProvider.GetUtcNow(),
        };
        RunContext context = CreateContext(project, scratch, options);
        RunExecution execution = new(context);
        if (options.Mode == MigrationMode.Demo)
        {
            context.DemoSelection = await DemoSelector.SelectAsync(context, cancellationToken).ConfigureAwait(false);
        }

        return await execution.EstimateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new run. It checks the connectors and options and estimates (refusing under the <c>Block</c> policy when the
    /// plan limit is too small) before it returns, then transfers in the background.
    /// </summary>
    /// <param name="project">The project.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">The token to cancel the start (not the run: use <see cref="MigrationOperation.CancelAsync"/>).</param>
    /// <returns>The handle of the running run.</returns>
    /// <exception cref="MigrationConfigurationException">The options or connectors are not usable; every problem is listed.</exception>
    /// <exception cref="PlanLimitExceededException">The chargeable estimate exceeds the plan limit under <see cref="LimitPolicy.Block"/>.</exception>
    public async Task<MigrationOperation> StartAsync(MigrationProject project, MigrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);

        RunRecord run = await CreateRunAsync(project, options, MigrationRunState.Pending, cancellationToken).ConfigureAwait(false);
        return await LaunchAsync(project, run, options, isNewRun: true, existing: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a new run without executing it: the project and the run (in <see cref="MigrationRunState.Queued"/>, with its
    /// options) are stored, and a worker sharing the store starts it later with <see cref="ResumeAsync"/>.
    /// </summary>
    /// <param name="project">The project; its connectors are not called, only their provider ids and the settings are stored.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The id of the queued run.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    public async Task<string> QueueAsync(MigrationProject project, MigrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        RunRecord run = await CreateRunAsync(project, options, MigrationRunState.Queued, cancellationToken).ConfigureAwait(false);
        return run.RunId;
    }

    /// <summary>
    /// Resumes a run that was paused, stopped at the plan limit, failed, or left running by a crashed process. Pending writes
    /// are reconciled with the target first, so nothing is duplicated. A <see cref="MigrationRunState.Queued"/> run starts
    /// here as a new run.
    /// </summary>
    /// <param name="project">The project, with connectors rebuilt by the host.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="options">New options (for example a raised plan limit), or <see langword="null"/> to reuse the run's stored options.</param>
    /// <param name="cancellationToken">The token to cancel the resume.</param>
    /// <returns>The handle of the running run.</returns>
    /// <exception cref="InvalidOperationException">The run does not exist, belongs to another project, has ended, or is executing elsewhere.</exception>
    public async Task<MigrationOperation> ResumeAsync(MigrationProject project, string runId, MigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        RunRecord run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{runId}' does not exist.");
        if (run.ProjectId != project.ProjectId)
        {
            throw new InvalidOperationException($"Run '{runId}' belongs to project '{run.ProjectId}', not '{project.ProjectId}'.");
        }

        if (!run.State.IsResumable())
        {
            throw new InvalidOperationException($"Run '{runId}' is {run.State} and cannot be resumed.");
        }

        MigrationOptions effective = options ?? PersistedOptions.Deserialize(run.OptionsJson ?? throw new InvalidOperationException($"Run '{runId}' has no stored options."));
        ThrowIfInvalid(effective);
        if (effective.Mode != run.Mode)
        {
            throw new InvalidOperationException($"Run '{runId}' is a {run.Mode} run; it cannot be resumed as {effective.Mode}.");
        }

        run = run with { OptionsJson = PersistedOptions.Serialize(effective) };
        MigrationOperation? existing;
        lock (_gate)
        {
            existing = _operations.GetValueOrDefault(runId);
        }

        if (existing is { HasCompleted: false })
        {
            throw new InvalidOperationException($"Run '{runId}' is already executing in this process.");
        }

        return await LaunchAsync(project, run, effective, isNewRun: run.State == MigrationRunState.Queued, existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the report of a run from the store.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">The run does not exist.</exception>
    public async Task<MigrationReport> GetReportAsync(string runId, CancellationToken cancellationToken = default)
    {
        RunRecord run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{runId}' does not exist.");
        MigrationOptions options = run.OptionsJson is null ? new MigrationOptions() : PersistedOptions.Deserialize(run.OptionsJson);
        return await ReportBuilder.BuildAsync(_store, run, options, null, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses every run this manager executes and waits until their in-flight batches are committed.</summary>
    /// <returns>A task that completes when every run has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        MigrationOperation[] operations;
        lock (_gate)
        {
            operations = [.. _operations.Values];
        }

        foreach (MigrationOperation operation in operations)
        {
            await operation.PauseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _telemetry.Dispose();
    }

    internal async Task<MigrationOperation> LaunchAsync(MigrationProject project, RunRecord run, MigrationOptions options, bool isNewRun, MigrationOperation? existing, CancellationToken cancellationToken)
    {
        RunContext context = CreateContext(project, run, options);
        context.Lease = await _store.TryAcquireLeaseAsync(run.RunId, _options.OwnerId, _timeProvider.GetUtcNow(), _options.LeaseDuration, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{run.RunId}' is executing in another worker (its lease has not expired).");

        // A stop request left from an earlier execution (honoured, or made just before that process died) does not apply to
        // this one: the caller is starting or resuming the run on purpose. Cleared under the lease, so a request made from
        // now on (by a process that finds the lease held) is for this execution.
        if (await _store.GetStopRequestAsync(run.RunId, cancellationToken).ConfigureAwait(false) != RunStopRequest.None)
        {
            await _store.RequestStopAsync(run.RunId, RunStopRequest.None, cancellationToken).ConfigureAwait(false);
        }

        MigrationOperation operation = existing ?? new MigrationOperation(this, project, run.RunId);
        RunExecution execution = new(context);
        try
        {
            await execution.PrepareAsync(isNewRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever stopped the start (a configuration error, the plan limit, a connector that could not be reached)
            // is recorded on the run, the lease is released, and the caller gets the exception.
            await execution.SetStateAsync(MigrationRunState.Failed, ex.Message, CancellationToken.None).ConfigureAwait(false);
            await _store.ReleaseLeaseAsync(context.Lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        lock (_gate)
        {
            _operations[run.RunId] = operation;
        }

        operation.Start(context, execution, isNewRun, _logger);
        return operation;
    }

    internal ValueTask<MigrationReport> BuildReportAsync(RunContext context, CancellationToken cancellationToken)
        => new(ReportBuilder.BuildAsync(_store, context.Run, context.Options, context, _timeProvider, cancellationToken));

    internal TimeProvider TimeProvider => _timeProvider;

    internal MigrationManagerOptions Options => _options;

    private async Task<RunRecord> CreateRunAsync(MigrationProject project, MigrationOptions options, MigrationRunState state, CancellationToken cancellationToken)
    {
        await _store.EnsureProjectAsync(
            new ProjectRecord(project.ProjectId, project.Source.ProviderId, project.Target.ProviderId) { Settings = project.Settings, CreatedAt = _timeProvider.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);

        RunRecord run = new()
        {
            RunId = Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N"),
            ProjectId = project.ProjectId,
            Mode = options.Mode,
            State = state,
            OptionsJson = PersistedOptions.Serialize(options),
            CreatedAt = _timeProvider.GetUtcNow(),
        };
        await _store.CreateRunAsync(run, cancellationToken).ConfigureAwait(false);
        return run;
    }

    private RunContext CreateContext(MigrationProject project, RunRecord run, MigrationOptions options)
        => new(project, run, options, _store, _options, _timeProvider, _logger, _telemetry);

    private static void ThrowIfInvalid(MigrationOptions options)
    {
        List<string> errors = OptionsValidation.Validate(options);
        if (errors.Count > 0)
        {
            throw new MigrationConfigurationException(errors);
        }
    }

    private static void ValidateManagerOptions(MigrationManagerOptions options)
    {
        List<ValidationResult> results = [];
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new MigrationConfigurationException(results.Select(r => $"MigrationManagerOptions: {r.ErrorMessage}").ToArray());
        }
    }
}
