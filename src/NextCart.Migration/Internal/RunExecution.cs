using System.Diagnostics;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>One execution of a run: check, estimate, clear, transfer each type, deferred passes, verify and report.</summary>
internal sealed class RunExecution
{
    private readonly RunContext _run;
    private Dictionary<EntityType, HighWaterMark?> _previousMarks = [];
    private DateTimeOffset? _previousStart;

    public RunExecution(RunContext run) => _run = run;

    /// <summary>Checks connectors and options and estimates; throws on anything that must stop the run before it writes.</summary>
    public async Task<MigrationEstimate> PrepareAsync(bool isNewRun, CancellationToken cancellationToken)
    {
        await SetStateAsync(MigrationRunState.Checking, null, cancellationToken).ConfigureAwait(false);
        List<string> errors = [];
        ConnectorCheck source = await _run.Project.Source.CheckAsync(cancellationToken).ConfigureAwait(false);
        ConnectorCheck target = await _run.Project.Target.CheckAsync(cancellationToken).ConfigureAwait(false);
        FailureCategory category = FailureCategory.Configuration;
        if (!source.Succeeded)
        {
            errors.Add($"Source '{_run.Project.Source.ProviderId}': {source.Message ?? "the check failed."}");
            category = source.Category ?? category;
        }

        if (!target.Succeeded)
        {
            errors.Add($"Target '{_run.Project.Target.ProviderId}': {target.Message ?? "the check failed."}");
            category = target.Category ?? category;
        }

        if (errors.Count == 0)
        {
            errors.AddRange(await OptionsValidation.ValidateAgainstConnectorsAsync(_run.Project, _run.Options, cancellationToken).ConfigureAwait(false));
        }

        if (errors.Count > 0)
        {
            throw errors.Count == 1 ? new MigrationConfigurationException(category, errors[0]) : new MigrationConfigurationException(errors);
        }

        await SetStateAsync(MigrationRunState.Estimating, null, cancellationToken).ConfigureAwait(false);
        await LoadPreviousRunAsync(cancellationToken).ConfigureAwait(false);
        if (_run.Options.Mode == MigrationMode.Demo)
        {
            _run.DemoSelection = await DemoSelector.SelectAsync(_run, cancellationToken).ConfigureAwait(false);
        }

        MigrationEstimate estimate = await EstimateAsync(cancellationToken).ConfigureAwait(false);
        foreach (EntityEstimate entity in estimate.Entities)
        {
            _run.Totals[entity.Type] = entity.Count;
        }

        IReadOnlyList<TypeCheckpoint> checkpoints = await _run.Store.GetCheckpointsAsync(_run.RunId, cancellationToken).ConfigureAwait(false);
        decimal chargedSoFar = checkpoints.Sum(c => c.PointsCharged);
        _run.EstimatedPoints = isNewRun ? estimate.ChargeablePoints : (_run.Run.EstimatedPoints ?? estimate.ChargeablePoints);
        if (_run.Options.PlanLimit is { } limit && _run.Options.LimitPolicy == LimitPolicy.Block && chargedSoFar + estimate.ChargeablePoints > limit)
        {
            throw new PlanLimitExceededException(chargedSoFar + estimate.ChargeablePoints, limit);
        }

        _run.Run = _run.Run with { EstimatedPoints = _run.EstimatedPoints };
        return estimate;
    }

    /// <summary>Counts each selected type at the source, within the mode's filter, and applies the point weights.</summary>
    public async Task<MigrationEstimate> EstimateAsync(CancellationToken cancellationToken)
    {
        List<EntityEstimate> entities = [];
        foreach (EntityType type in _run.Options.GetSelectedTypes())
        {
            decimal weight = _run.Options.PointSchedule.GetWeight(type);
            long? count;
            long already;
            if (_run.DemoSelection is { } selection)
            {
                HashSet<string> ids = selection.GetValueOrDefault(type) ?? [];
                count = ids.Count;
                already = ids.Count == 0 ? 0 : (await _run.Store.LookupAsync(_run.ProjectId, type, ids, cancellationToken).ConfigureAwait(false)).Count;
            }
            else
            {
                count = await _run.Project.Source.CountAsync(type, BuildQuery(type), cancellationToken).ConfigureAwait(false);
                already = _run.Options.Mode == MigrationMode.Recent || count is null || _run.IgnorePriorMappings.Contains(type)
                    ? 0
                    : Math.Min(count.Value, await _run.Store.CountMappedAsync(_run.ProjectId, type, cancellationToken).ConfigureAwait(false));
            }

            entities.Add(new EntityEstimate(type, count, weight, already));
        }

        return new MigrationEstimate(_run.Options.Mode, entities, _run.Options.PlanLimit, _run.Options.LimitPolicy);
    }

    /// <summary>Transfers every selected type and ends the run in its final state.</summary>
    public async Task<MigrationRunState> TransferAsync(bool isNewRun, CancellationToken cancellationToken)
    {
        using Activity? activity = MigrationTelemetry.ActivitySource.StartActivity("migration.run");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("migration.run_id", _run.RunId);
            activity.SetTag("migration.mode", _run.Options.Mode.ToString());
        }

        _run.ExecutionStartedAt = _run.TimeProvider.GetUtcNow();
        _run.Run = _run.Run with { StartedAt = _run.ExecutionStartedAt, EndedAt = null, Message = null };
        await SetStateAsync(MigrationRunState.Running, null, cancellationToken).ConfigureAwait(false);
        _run.Logger.RunStarted(_run.RunId, _run.ProjectId, _run.Options.Mode);

        IReadOnlyList<EntityType> types = _run.Options.GetSelectedTypes();
        foreach (EntityType type in _run.Options.ClearTargetTypes)
        {
            _run.IgnorePriorMappings.Add(type);
        }

        if (isNewRun && _run.Options.ClearTargetTypes.Count > 0)
        {
            // Clear in reverse dependency order so nothing on the target is left pointing at a deleted record.
            foreach (EntityType type in types.Reverse().Where(_run.Options.ClearTargetTypes.Contains))
            {
                await ((ITargetClearer)_run.Project.Target).ClearAsync(type, cancellationToken).ConfigureAwait(false);
            }
        }

        Dictionary<EntityType, TypeCheckpoint> checkpoints = (await _run.Store.GetCheckpointsAsync(_run.RunId, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Type);
        _run.InitializeCounters([.. checkpoints.Values]);
        _run.PublishProgress?.Invoke();

        // Each type starts when the types it references have committed. Independent types overlap, sharing the target's
        // write slots. Under MigrateUntilLimit the chargeable types must be charged in order, so the types run one by one.
        bool sequential = _run.Options.PlanLimit is not null && _run.Options.LimitPolicy == LimitPolicy.MigrateUntilLimit;
        _run.WriteSlots = new SemaphoreSlim(WriteSlotCount(types));
        Dictionary<EntityType, Task<bool>> tasks = [];
        EntityType? previous = null;
        foreach (EntityType type in types)
        {
            Task<bool>[] before = sequential
                ? previous is { } p ? [tasks[p]] : []
                : type.GetPrerequisites().Where(tasks.ContainsKey).Select(t => tasks[t]).ToArray();
            tasks[type] = RunTypeAsync(type, before, checkpoints.GetValueOrDefault(type), cancellationToken);
            previous = type;
        }

        bool allComplete;
        try
        {
            allComplete = (await Task.WhenAll(tasks.Values).ConfigureAwait(false)).All(done => done);
        }
        catch (Exception) when (_run.FatalError is not null && !cancellationToken.IsCancellationRequested)
        {
            allComplete = false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_run.FatalError is { } fatal)
        {
            throw fatal is MigrationException ? fatal : new MigrationException(fatal.Message, FailureCategory.Connection, isTransient: false, fatal);
        }

        if (!allComplete)
        {
            return _run.OverLimit ? MigrationRunState.OverLimit : MigrationRunState.Paused;
        }

        if (_run.Project.Target is ITargetCompleter completer)
        {
            await completer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await SetStateAsync(MigrationRunState.Verifying, null, cancellationToken).ConfigureAwait(false);
        IssueSummary issues = await _run.Store.GetIssueSummaryAsync(_run.RunId, maxWarningExamples: 0, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<RecordIssue> failures = await ReportBuilder.GetOutstandingFailuresAsync(_run.Store, _run.Run, issues.Failures, cancellationToken).ConfigureAwait(false);
        return failures.Count > 0 ? MigrationRunState.CompletedWithErrors : MigrationRunState.Completed;
    }

    /// <summary>Runs one type after its prerequisites, then its deferred link pass.</summary>
    /// <returns><see langword="true"/> when the type completed.</returns>
    private async Task<bool> RunTypeAsync(EntityType type, Task<bool>[] before, TypeCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            bool[] prerequisites = await Task.WhenAll(before).ConfigureAwait(false);
            if (prerequisites.Any(done => !done) || _run.StopRequested)
            {
                return false;
            }

            if (checkpoint is not { Completed: true })
            {
                ISourceConnector source = type == EntityType.Redirects ? new RedirectSource(_run, _run.Options.CreateRedirects) : _run.Project.Source;
                TypeTransfer transfer = new(_run, type, source, BuildQuery(type), checkpoint);
                if (!await transfer.RunAsync(cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            if (type is EntityType.Categories or EntityType.Products)
            {
                TargetLimits limits = _run.Project.Target.GetLimits(type);
                await DeferredLinkPass.RunAsync(_run, type, Math.Max(1, limits.MaxBatchSize), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stop the types running alongside this one; the run fails with this error.
            _run.Fail(ex);
            throw;
        }
    }

    private int WriteSlotCount(IReadOnlyList<EntityType> types)
    {
        int max = types.Select(t => _run.Project.Target.GetLimits(t)).Where(l => l.IsSupported).Select(l => l.MaxConcurrency).DefaultIfEmpty(1).Max();
        return Math.Max(1, Math.Min(max, _run.Options.MaxConcurrency ?? int.MaxValue));
    }

    /// <summary>Builds the query of a type: the options' filters plus the mode's (recent cursor, smart-update window, demo ids).</summary>
    public SourceQuery BuildQuery(EntityType type)
    {
        SourceQuery query = _run.BuildBaseQuery(type);
        if (type == EntityType.Redirects && _run.DemoSelection is not null)
        {
            return query;
        }

        switch (_run.Options.Mode)
        {
            case MigrationMode.Recent when _previousMarks.GetValueOrDefault(type) is { } mark:
                // Inclusive start a little before the mark (late writes), de-duplicated against the ID map; ceiling at run creation.
                DateTimeOffset since = mark.CreatedAt - _run.ManagerOptions.RecentLookback;
                DateTimeOffset ceiling = _run.Run.CreatedAt;
                return query with
                {
                    CreatedSince = query.CreatedSince is { } from && from > since ? from : since,
                    CreatedBefore = query.CreatedBefore is { } to && to < ceiling ? to : ceiling,
                };

            case MigrationMode.Recent:
                return query with { CreatedBefore = query.CreatedBefore is { } to2 && to2 < _run.Run.CreatedAt ? to2 : _run.Run.CreatedAt };

            case MigrationMode.SmartUpdate when _previousStart is { } start:
                return query with { UpdatedSince = start - _run.ManagerOptions.RecentLookback };

            default:
                return query;
        }
    }

    private async Task LoadPreviousRunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRecord> runs = await _run.Store.ListRunsAsync(_run.ProjectId, cancellationToken).ConfigureAwait(false);
        RunRecord? previous = runs.LastOrDefault(r => r.RunId != _run.RunId && r.State is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors && r.Mode != MigrationMode.Demo);
        if (previous is null)
        {
            return;
        }

        _previousStart = previous.StartedAt;
        IReadOnlyList<TypeCheckpoint> checkpoints = await _run.Store.GetCheckpointsAsync(previous.RunId, cancellationToken).ConfigureAwait(false);
        _previousMarks = checkpoints.ToDictionary(c => c.Type, c => c.HighWaterMark);
    }

    public async Task SetStateAsync(MigrationRunState state, string? message, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _run.TimeProvider.GetUtcNow();
        _run.Run = _run.Run with
        {
            State = state,
            Message = message ?? (state.IsStopped() ? _run.Run.Message : null),
            EndedAt = state.IsStopped() ? now : null,
        };
        await _run.Store.UpdateRunAsync(_run.Run, _run.Lease, cancellationToken).ConfigureAwait(false);
        _run.CurrentState = state;
        _run.PublishProgress?.Invoke();
    }
}
