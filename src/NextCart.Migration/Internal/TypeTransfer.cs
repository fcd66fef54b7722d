using System.Diagnostics;
using System.Threading.Channels;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// Transfers one entity type through the pipeline
/// <c>reader → mapper → writers ×N → committer</c>, connected by bounded channels sized in batches, with the records
/// between the reader and the written batches bounded by <see cref="RecordsInFlight"/>.
/// </summary>
/// <remarks>
/// The committer is the only stage that writes the checkpoint. It commits each batch in one store call as it arrives and
/// advances the resume token only over the contiguous prefix of committed batches, so a crash never skips a record.
/// </remarks>
internal sealed class TypeTransfer
{
    private readonly RunContext _run;
    private readonly EntityType _type;
    private readonly ISourceConnector _source;
    private readonly SourceQuery _query;
    private readonly TargetLimits _limits;
    private readonly int _batchSize;
    private readonly int _concurrency;
    private readonly decimal _weight;
    private readonly RecordTransformer _transformer;
    private readonly TypeCheckpoint? _checkpoint;
    private readonly bool _ignorePrior;
    private readonly RecordsInFlight _inFlight;

    // The committer's counts of reads, skips and failures in batches of the contiguous prefix that no resume token covers yet.
    private TypeCounters _uncovered;

    public TypeTransfer(RunContext run, EntityType type, ISourceConnector source, SourceQuery query, TypeCheckpoint? checkpoint)
    {
        _run = run;
        _type = type;
        _source = source;
        _query = query;
        _checkpoint = checkpoint;
        _limits = run.Project.Target.GetLimits(type);
        _batchSize = Math.Max(1, Math.Min(_limits.MaxBatchSize, run.Options.MaxBatchSize ?? int.MaxValue));
        _concurrency = Math.Max(1, Math.Min(_limits.MaxConcurrency, run.Options.MaxConcurrency ?? int.MaxValue));
        _weight = run.Options.PointSchedule.GetWeight(type);
        _transformer = new RecordTransformer(run.Options);
        _ignorePrior = run.IgnorePriorMappings.Contains(type);
        _inFlight = new RecordsInFlight(run.ManagerOptions.MaxRecordsInFlight, _concurrency, _batchSize);
    }

    /// <summary>Runs the pipeline until the source is exhausted or the run is asked to stop.</summary>
    /// <returns><see langword="true"/> when every record of the type was processed and the type is marked complete.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        using Activity? activity = MigrationTelemetry.ActivitySource.StartActivity("migration.type");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("migration.run_id", _run.RunId);
            activity.SetTag("migration.entity_type", _type.ToCamelCase());
        }

        _run.Logger.TypeStarted(_run.RunId, _type, _batchSize, _concurrency);
        await ReconcilePendingAsync(cancellationToken).ConfigureAwait(false);

        int capacity = _run.ManagerOptions.ChannelCapacity;
        Channel<SourcePage> pages = Channel.CreateBounded<SourcePage>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        Channel<WriteBatch> batches = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(capacity + _concurrency) { SingleReader = _concurrency == 1, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        Channel<WriteBatch> written = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(capacity + _concurrency) { SingleReader = true, SingleWriter = _concurrency == 1, FullMode = BoundedChannelFullMode.Wait });

        using CancellationTokenSource pipelineCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = pipelineCts.Token;

        Task<bool> reader = RunStageAsync(() => ReadAsync(pages.Writer, token), pipelineCts, cancellationToken);
        Task<bool> mapper = RunStageAsync(() => MapAsync(pages.Reader, batches.Writer, token), pipelineCts, cancellationToken);
        Task<bool>[] writers = new Task<bool>[_concurrency];
        for (int i = 0; i < writers.Length; i++)
        {
            writers[i] = RunStageAsync(() => WriteAsync(batches.Reader, written.Writer, token), pipelineCts, cancellationToken);
        }

        Task<bool> committer = RunStageAsync(() => CommitAsync(written.Reader, token), pipelineCts, cancellationToken);

        await Task.WhenAll(writers).ConfigureAwait(false);
        written.Writer.TryComplete();
        bool exhausted = await reader.ConfigureAwait(false);
        await mapper.ConfigureAwait(false);
        bool committed = await committer.ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested();
        if (!exhausted || !committed || _run.StopRequested)
        {
            return false;
        }

        // The last page has no resume token to advance, so what its batches held back is committed with the completion.
        await _run.Store.CommitBatchAsync(
            new BatchCommit
            {
                ProjectId = _run.ProjectId, RunId = _run.RunId, Type = _type, Lease = _run.Lease, CompletesType = true,
                Counters = _uncovered,
            },
            cancellationToken).ConfigureAwait(false);
        _run.RecordCommit(_type, default, 0, 0, completed: true);
        _run.Logger.TypeCompleted(_run.RunId, _type);
        return true;
    }

    /// <summary>
    /// Runs one stage. The first stage to fail records the error on the run and cancels the pipeline, so that no stage
    /// waits forever on a channel nobody will read or complete.
    /// </summary>
    private async Task<bool> RunStageAsync(Func<Task<bool>> stage, CancellationTokenSource pipeline, CancellationToken runToken)
    {
        try
        {
            return await stage().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (pipeline.IsCancellationRequested || runToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            _run.Fail(ex);
            await pipeline.CancelAsync().ConfigureAwait(false);
            return false;
        }
    }

    // ---------------------------------------------------------------- reconciliation

    /// <summary>
    /// Resolves write intents left by a crashed or failed execution: what exists on the target is adopted into the ID map,
    /// what does not is dropped from the intent log and written again when the reader reaches it.
    /// </summary>
    private async Task ReconcilePendingAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SourceIdentity> pending = await _run.Store.GetPendingAsync(_run.ProjectId, _type, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return;
        }

        int adopted = 0;
        DateTimeOffset now = _run.TimeProvider.GetUtcNow();
        foreach (SourceIdentity[] chunk in pending.Chunk(_batchSize))
        {
            IReadOnlyList<ExistingTarget> found = await _run.Project.Target.FindExistingAsync(_type, chunk, cancellationToken).ConfigureAwait(false);
            Dictionary<string, ExistingTarget> bySource = await ClaimableAsync(found, cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, IdMapEntry> known = await _run.Store.LookupAsync(_run.ProjectId, _type, bySource.Keys.ToArray(), cancellationToken).ConfigureAwait(false);
            List<IdMapEntry> mappings = [];
            foreach (ExistingTarget existing in bySource.Values)
            {
                if (known.TryGetValue(existing.SourceId, out IdMapEntry? entry) && entry.TargetId == existing.TargetId)
                {
                    continue;
                }

                // The checksum is unknown (the write's outcome was lost), so SmartUpdate will rewrite it once: safe and idempotent.
                mappings.Add(new IdMapEntry
                {
                    Type = _type, SourceId = existing.SourceId, TargetId = existing.TargetId, TargetUrl = existing.TargetUrl,
                    FirstMigratedAt = now, LastUpdatedAt = now, RunId = _run.RunId, Points = _weight,
                });
                AddChildren(mappings, existing.SourceId, existing.Children, now);
                adopted++;
            }

            CommitResult result = await _run.Store.CommitBatchAsync(
                new BatchCommit
                {
                    ProjectId = _run.ProjectId, RunId = _run.RunId, Type = _type, Lease = _run.Lease, Mappings = mappings,
                    ResolvedPending = chunk.Select(c => c.SourceId).ToArray(),
                    Counters = new TypeCounters(0, mappings.Count(m => !m.IsChild), 0, 0, 0),
                },
                cancellationToken).ConfigureAwait(false);
            _run.RecordCommit(_type, new TypeCounters(0, mappings.Count(m => !m.IsChild), 0, 0, 0), result.PointsCharged, 0, completed: false);
        }

        _run.Logger.PendingReconciled(_run.RunId, _type, pending.Count, adopted);
    }

    /// <summary>
    /// Keeps the found records that may be adopted: a record the ID map already gives to another source record (found by a
    /// shared natural key, such as a duplicate e-mail) is not adopted, so the create is retried and fails visibly instead
    /// of two source records silently sharing one target record.
    /// </summary>
    private async Task<Dictionary<string, ExistingTarget>> ClaimableAsync(IReadOnlyList<ExistingTarget> found, CancellationToken cancellationToken)
    {
        Dictionary<string, ExistingTarget> bySource = new(StringComparer.Ordinal);
        foreach (ExistingTarget existing in found)
        {
            if (bySource.ContainsKey(existing.SourceId))
            {
                continue;
            }

            IdMapEntry? owner = await _run.Store.FindByTargetIdAsync(_run.ProjectId, _type, existing.TargetId, cancellationToken).ConfigureAwait(false);
            if (owner is null || owner.SourceId == existing.SourceId)
            {
                bySource[existing.SourceId] = existing;
            }
        }

        return bySource;
    }

    // ---------------------------------------------------------------- reader

    /// <returns><see langword="true"/> when the source was read to the end.</returns>
    private async Task<bool> ReadAsync(ChannelWriter<SourcePage> pages, CancellationToken cancellationToken)
    {
        try
        {
            string? token = _checkpoint?.ResumeToken;
            int attempt = 0;
            while (true)
            {
                try
                {
                    IAsyncEnumerator<SourcePage> source = _source.ReadAsync(_type, _query, token, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    await using (source.ConfigureAwait(false))
                    {
                        while (true)
                        {
                            // The next page is asked for only when the records in flight leave room for it, so a source
                            // that builds its page when asked (a file) holds nothing more while the target is the slow stage.
                            await _inFlight.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                            long started = _run.TimeProvider.GetTimestamp();
                            if (!await source.MoveNextAsync().ConfigureAwait(false))
                            {
                                return true;
                            }

                            SourcePage page = source.Current;
                            _run.Telemetry.PageDuration.Record(_run.TimeProvider.GetElapsedTime(started).TotalSeconds);
                            _inFlight.Add(page.Records.Count);
                            await pages.WriteAsync(page, cancellationToken).ConfigureAwait(false);
                            attempt = 0;
                            if (page.ResumeToken is null)
                            {
                                return true;
                            }

                            token = page.ResumeToken;
                            if (_run.StopRequested)
                            {
                                return false;
                            }
                        }
                    }
                }
                catch (MigrationException ex) when ((ex.IsTransient || ex.Category == FailureCategory.RateLimit) && attempt < _run.ManagerOptions.MaxRetries)
                {
                    attempt++;
                    TimeSpan delay = ex.RetryAfter ?? Backoff.Delay(_run.ManagerOptions.RetryBaseDelay, attempt);
                    _run.Telemetry.Retries.Add(1);
                    _run.Logger.SourceReadRetry(_run.RunId, _type, attempt, delay, ex);
                    await Task.Delay(delay, _run.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            pages.TryComplete();
        }
    }

    // ---------------------------------------------------------------- mapper

    private async Task<bool> MapAsync(ChannelReader<SourcePage> pages, ChannelWriter<WriteBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            long batchSequence = 0;
            ContentChecksum checksum = new();
            ReferenceResolver resolver = new(_run);
            bool reachedLimit = false;
            await foreach (SourcePage page in pages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reachedLimit)
                {
                    // Drain what the reader already read so it is never blocked; none of it is written or committed.
                    _inFlight.Release(page.Records.Count);
                    continue;
                }

                bool completePage = true;
                List<PreparedRecord> writes = new(page.Records.Count);
                WriteBatch first = new() { Sequence = batchSequence };
                first.Issues.AddRange(page.Errors);
                first.Counters = new TypeCounters(page.Errors.Count, 0, 0, 0, page.Errors.Count);

                string[] pageIds = new string[page.Records.Count];
                for (int i = 0; i < pageIds.Length; i++)
                {
                    pageIds[i] = page.Records[i].SourceId;
                }

                IReadOnlyDictionary<string, IdMapEntry> known = await _run.Store.LookupAsync(_run.ProjectId, _type, pageIds, cancellationToken).ConfigureAwait(false);
                await resolver.LoadAsync(page.Records, cancellationToken).ConfigureAwait(false);

                Entity? markRecord = null;
                foreach (Entity record in page.Records)
                {
                    if (record.CreatedAt is { } created && (markRecord is null || created > markRecord.CreatedAt
                        || (created == markRecord.CreatedAt && SourceIdComparer.Instance.Compare(record.SourceId, markRecord.SourceId) > 0)))
                    {
                        markRecord = record;
                    }
                    IdMapEntry? mapped = known.GetValueOrDefault(record.SourceId);
                    if (mapped is not null && _ignorePrior && mapped.RunId != _run.RunId)
                    {
                        mapped = null;
                    }

                    if (mapped is not null && mapped.RunId == _run.RunId)
                    {
                        // Already written and counted by this run before an interruption.
                        continue;
                    }

                    if (!_limits.IsSupported)
                    {
                        // Architecture §7: a type the target lacks is skipped with its reason, not failed; each record is a
                        // warning (the report keeps examples and a count), so a run that did all it could completes.
                        string reason = _limits.UnsupportedReason ?? $"The target does not support {_type.ToCamelCase()}.";
                        first.Skip();
                        first.Issues.Add(new RecordIssue(_type, record.SourceId, FailureCategory.Unsupported, reason, IssueSeverity.Warning));
                        continue;
                    }

                    if (_run.Options.Mode == MigrationMode.Recent && mapped is not null)
                    {
                        first.Skip();
                        continue;
                    }

                    Entity entity = _transformer.Transform(record, out string? transformError);
                    if (transformError is not null)
                    {
                        first.Fail(record.SourceId, _type, FailureCategory.Validation, transformError);
                        continue;
                    }

                    // A known record needs its checksum now, to decide whether it changed. A new record's checksum is only
                    // stored, so the writers compute it, in parallel, off this single mapper thread.
                    string? sum = mapped is null ? null : checksum.Compute(entity);
                    if (mapped is not null && _run.Options.Mode is MigrationMode.Full or MigrationMode.SmartUpdate && mapped.Checksum == sum)
                    {
                        first.Skip();
                        continue;
                    }

                    if (!resolver.TryResolve(entity, first, out IReadOnlyDictionary<EntityRef, ResolvedTarget>? references))
                    {
                        continue;
                    }

                    if (mapped is null && !_run.TryReservePoints(_weight))
                    {
                        _run.OverLimit = true;
                        completePage = false;
                        break;
                    }

                    TargetRecord target = new(entity, mapped is null ? WriteAction.Create : WriteAction.Update, mapped?.TargetId, references)
                    {
                        PreserveId = _run.Options.PreserveIds && _limits.SupportsPreserveIds,
                    };
                    writes.Add(new PreparedRecord(target, sum, entity.GetSourceUrl(), mapped is null ? _weight : 0));
                }

                // The records that will not be written (skipped, failed, past the plan limit) leave the pipeline here.
                _inFlight.Release(page.Records.Count - writes.Count);
                first.Counters += new TypeCounters(page.Records.Count, 0, 0, 0, 0);
                first.HighWaterMark = markRecord is { CreatedAt: { } markTime } ? new HighWaterMark(markTime, markRecord.SourceId) : null;
                first.DeferredLinks.AddRange(resolver.TakeDeferred());

                // Split the page's writes into batches; the first carries the pre-decided outcomes, the last ends the page.
                List<WriteBatch> pageBatches = [first];
                for (int i = 0; i < writes.Count; i += _batchSize)
                {
                    WriteBatch batch = i == 0 ? first : new WriteBatch { Sequence = batchSequence + pageBatches.Count };
                    batch.Records.AddRange(writes.GetRange(i, Math.Min(_batchSize, writes.Count - i)));
                    if (i != 0)
                    {
                        pageBatches.Add(batch);
                    }
                }

                WriteBatch last = pageBatches[^1];
                last.EndsPage = completePage && page.ResumeToken is not null;
                last.PageToken = page.ResumeToken;
                batchSequence += pageBatches.Count;

                foreach (WriteBatch batch in pageBatches)
                {
                    List<SourceIdentity>? intents = null;
                    foreach (PreparedRecord prepared in batch.Records)
                    {
                        if (prepared.Record.Action == WriteAction.Create)
                        {
                            (intents ??= new List<SourceIdentity>(batch.Records.Count)).Add(prepared.Record.Entity.GetIdentity());
                        }
                    }

                    if (intents is not null)
                    {
                        await _run.Store.AddPendingAsync(_run.ProjectId, _run.RunId, _type, intents, _run.Lease, cancellationToken).ConfigureAwait(false);
                    }
                    await batches.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                }

                if (!completePage)
                {
                    _run.Logger.PlanLimitReached(_run.RunId, _run.Options.PlanLimit ?? 0, _type);
                    reachedLimit = true;
                }
            }

            return !reachedLimit;
        }
        finally
        {
            batches.TryComplete();
        }
    }

    // ---------------------------------------------------------------- writers

    private async Task<bool> WriteAsync(ChannelReader<WriteBatch> batches, ChannelWriter<WriteBatch> written, CancellationToken cancellationToken)
    {
        ContentChecksum checksum = new();
        await foreach (WriteBatch batch in batches.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (PreparedRecord prepared in batch.Records)
            {
                prepared.Checksum ??= checksum.Compute(prepared.Record.Entity);
            }

            if (batch.Records.Count > 0)
            {
                long started = _run.TimeProvider.GetTimestamp();
                TargetRecord[] records = new TargetRecord[batch.Records.Count];
                for (int i = 0; i < records.Length; i++)
                {
                    records[i] = batch.Records[i].Record;
                }

                await _run.WriteSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    batch.Outcomes = await WriteResilientlyAsync(records, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _run.WriteSlots.Release();
                }

                _run.Telemetry.BatchDuration.Record(_run.TimeProvider.GetElapsedTime(started).TotalSeconds);
                foreach (PreparedRecord prepared in batch.Records)
                {
                    prepared.ReleaseRecord();
                }

                _inFlight.Release(batch.Records.Count);
            }

            await written.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Writes records with the failure taxonomy applied: transient failures are retried with backoff after reconciling
    /// creates whose outcome was lost; a batch rejected as a whole is split until the bad record is isolated; configuration
    /// errors propagate and stop the run.
    /// </summary>
    private async Task<RecordOutcome[]> WriteResilientlyAsync(TargetRecord[] records, CancellationToken cancellationToken)
    {
        RecordOutcome?[] outcomes = new RecordOutcome?[records.Length];
        List<int> remaining = Enumerable.Range(0, records.Length).ToList();
        TargetRecord[] sending = records;
        RecordOutcome?[] adopted = new RecordOutcome?[records.Length];
        int attempt = 0;
        bool reconcile = false;
        while (remaining.Count > 0)
        {
            MigrationException? transient = null;
            if (reconcile)
            {
                // A create is never retried before the target was asked whether the failed attempt landed; if asking fails
                // transiently too, back off and ask again rather than write blindly.
                try
                {
                    sending = await AdoptExistingAsync(sending, remaining, adopted, cancellationToken).ConfigureAwait(false);
                    reconcile = false;
                }
                catch (MigrationException ex) when (ex.IsTransient || ex.Category == FailureCategory.RateLimit)
                {
                    transient = ex;
                }

                if (remaining.Count == 0)
                {
                    break;
                }
            }

            // When reconciliation failed, nothing is written this round: back off and ask again.
            if (!reconcile)
            {
                TargetRecord[] subset = remaining.Count == records.Length ? sending : remaining.Select(i => sending[i]).ToArray();
                try
                {
                    BatchOutcome outcome = await _run.Project.Target.WriteAsync(_type, subset, cancellationToken).ConfigureAwait(false);
                    if (outcome.Results.Count != subset.Length)
                    {
                        throw new MigrationException(
                            $"The target connector '{_run.Project.Target.ProviderId}' returned {outcome.Results.Count} outcomes for {subset.Length} {_type.ToCamelCase()}; the outcome of the batch is unknown.",
                            FailureCategory.Connection,
                            isTransient: true);
                    }

                    List<int> retry = [];
                    for (int j = 0; j < subset.Length; j++)
                    {
                        RecordOutcome result = outcome.Results[j];
                        if (result.Status == RecordStatus.Failed && result.IsTransient && attempt < _run.ManagerOptions.MaxRetries)
                        {
                            retry.Add(remaining[j]);
                        }
                        else
                        {
                            outcomes[remaining[j]] = Complete(remaining[j], result);
                        }
                    }

                    remaining = retry;
                    if (remaining.Count == 0)
                    {
                        break;
                    }
                }
                catch (MigrationException ex) when (ex.IsTransient || ex.Category == FailureCategory.RateLimit)
                {
                    transient = ex;
                }
                catch (MigrationException ex) when (ex.Category is FailureCategory.Validation or FailureCategory.Unsupported)
                {
                    if (subset.Length == 1)
                    {
                        outcomes[remaining[0]] = Complete(remaining[0], RecordOutcome.Failed(subset[0].Entity.SourceId, ex.Category, ex.Message));
                        break;
                    }

                    _run.Logger.TargetBatchSplit(_run.RunId, subset.Length, _type);
                    int half = subset.Length / 2;
                    RecordOutcome[] left = await WriteResilientlyAsync(subset[..half], cancellationToken).ConfigureAwait(false);
                    RecordOutcome[] right = await WriteResilientlyAsync(subset[half..], cancellationToken).ConfigureAwait(false);
                    for (int j = 0; j < subset.Length; j++)
                    {
                        outcomes[remaining[j]] = Complete(remaining[j], j < half ? left[j] : right[j - half]);
                    }

                    break;
                }
            }

            if (attempt >= _run.ManagerOptions.MaxRetries)
            {
                // Out of retries: the outcome is unknown, so the intents stay pending and a later run reconciles them.
                foreach (int i in remaining)
                {
                    outcomes[i] = Complete(i, RecordOutcome.Failed(records[i].Entity.SourceId, transient?.Category ?? FailureCategory.Connection, transient?.Message ?? "The target kept failing transiently.", isTransient: true));
                }

                break;
            }

            attempt++;
            TimeSpan delay = transient?.RetryAfter ?? Backoff.Delay(_run.ManagerOptions.RetryBaseDelay, attempt);
            if (transient?.Category == FailureCategory.RateLimit)
            {
                _run.Telemetry.ThrottledWaits.Add(1);
            }

            _run.Telemetry.Retries.Add(1);
            _run.Logger.TargetWriteRetry(_run.RunId, _type, attempt, delay, transient ?? new MigrationException("Some records failed transiently.", FailureCategory.Connection, true));
            await Task.Delay(delay, _run.TimeProvider, cancellationToken).ConfigureAwait(false);
            reconcile = true;
        }

        RecordOutcome[] final = new RecordOutcome[records.Length];
        for (int i = 0; i < final.Length; i++)
        {
            final[i] = outcomes[i] ?? RecordOutcome.Failed(records[i].Entity.SourceId, FailureCategory.Connection, "The record was not written.", isTransient: true);
        }

        return final;

        // A create that landed although its outcome was lost was adopted and then written again as an update, so that the parts
        // a connector writes after the record itself (variations, order notes) are completed. It is still the record's first
        // migration, so it counts as created; if completing it failed, the adoption stands and the failure becomes a warning,
        // because the record does exist on the target and forgetting it would duplicate it on the next run.
        RecordOutcome Complete(int index, RecordOutcome result)
        {
            if (adopted[index] is not { } adoption)
            {
                return result;
            }

            return result.Status == RecordStatus.Failed
                ? adoption with { Warnings = [.. adoption.Warnings, $"The record was found on the target after a lost response, but completing it failed: {result.Message}"] }
                : result with { Status = RecordStatus.Created, Children = result.Children.Count > 0 ? result.Children : adoption.Children };
        }
    }

    /// <summary>
    /// Before a create is retried, asks the target whether the failed attempt landed after all. What did is adopted: its outcome
    /// is kept in <paramref name="adopted"/>, and it is sent again as an update of the record found, never as a second create.
    /// </summary>
    /// <returns>The records to send from now on.</returns>
    private async Task<TargetRecord[]> AdoptExistingAsync(TargetRecord[] sending, List<int> remaining, RecordOutcome?[] adopted, CancellationToken cancellationToken)
    {
        int[] creates = remaining.Where(i => sending[i].Action == WriteAction.Create).ToArray();
        if (creates.Length == 0)
        {
            return sending;
        }

        IReadOnlyList<ExistingTarget> found = await _run.Project.Target.FindExistingAsync(_type, creates.Select(i => sending[i].Entity.GetIdentity()).ToArray(), cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return sending;
        }

        Dictionary<string, ExistingTarget> bySource = await ClaimableAsync(found, cancellationToken).ConfigureAwait(false);
        TargetRecord[] next = (TargetRecord[])sending.Clone();
        foreach (int i in creates)
        {
            TargetRecord record = sending[i];
            if (bySource.TryGetValue(record.Entity.SourceId, out ExistingTarget? existing))
            {
                adopted[i] = new RecordOutcome
                {
                    SourceId = existing.SourceId, Status = RecordStatus.Created, TargetId = existing.TargetId, TargetUrl = existing.TargetUrl, Children = existing.Children,
                };
                next[i] = new TargetRecord(record.Entity, WriteAction.Update, existing.TargetId, record.References) { PreserveId = record.PreserveId };
            }
        }

        return next;
    }

    // ---------------------------------------------------------------- committer

    /// <returns><see langword="true"/> when every batch handed to it was committed.</returns>
    private async Task<bool> CommitAsync(ChannelReader<WriteBatch> written, CancellationToken cancellationToken)
    {
        long nextInPrefix = 0;
        HashSet<long> committedOutOfOrder = [];
        Dictionary<long, string?> pageEnds = [];
        Dictionary<long, TypeCounters> heldUntilCovered = [];
        _uncovered = default;
        DateTimeOffset now;

        await foreach (WriteBatch batch in written.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            now = _run.TimeProvider.GetUtcNow();
            List<IdMapEntry> mappings = new(batch.Records.Count);
            List<string> resolvedPending = new(batch.Records.Count);
            TypeCounters counters = batch.Counters;
            decimal reserved = 0;
            long migrated = 0;
            long failed = 0;

            for (int i = 0; i < batch.Records.Count; i++)
            {
                PreparedRecord prepared = batch.Records[i];
                RecordOutcome outcome = batch.Outcomes[i];
                string sourceId = prepared.SourceId;
                reserved += prepared.Weight;
                bool isCreate = prepared.Action == WriteAction.Create;

                if (outcome.Status == RecordStatus.Failed || outcome.TargetId is null)
                {
                    string message = outcome.Message ?? "The target did not return an id for the record.";
                    FailureCategory category = outcome.Category ?? FailureCategory.Validation;
                    batch.Issues.Add(new RecordIssue(_type, sourceId, category, message));
                    counters += new TypeCounters(0, 0, 0, 0, 1);
                    failed++;

                    // A transient failure leaves the write's outcome unknown: keep the intent so it is reconciled later.
                    if (isCreate && !outcome.IsTransient)
                    {
                        resolvedPending.Add(sourceId);
                    }

                    continue;
                }

                if (isCreate)
                {
                    resolvedPending.Add(sourceId);
                }

                mappings.Add(new IdMapEntry
                {
                    Type = _type, SourceId = sourceId, TargetId = outcome.TargetId, TargetUrl = outcome.TargetUrl, SourceUrl = prepared.SourceUrl,
                    Checksum = prepared.Checksum, FirstMigratedAt = now, LastUpdatedAt = now, RunId = _run.RunId, Points = _weight,
                });
                AddChildren(mappings, sourceId, outcome.Children, now);
                for (int w = 0; w < outcome.Warnings.Count; w++)
                {
                    batch.Issues.Add(new RecordIssue(_type, sourceId, FailureCategory.Unsupported, outcome.Warnings[w], IssueSeverity.Warning));
                }

                counters += isCreate ? new TypeCounters(0, 1, 0, 0, 0) : new TypeCounters(0, 0, 1, 0, 0);
                migrated++;
            }

            if (batch.EndsPage)
            {
                pageEnds[batch.Sequence] = batch.PageToken;
            }

            // A batch's migrated records are counted now: a resumed run finds them in the ID map and does not count them
            // again. Its reads, skips and failures are counted only with the resume token that covers the batch (or with the
            // type's completion): until then a crash makes the resumed run read the page again and skip or fail those records
            // again, and they are counted then. Issues are committed at once, so a stopped run's report lists them; the report
            // reads them per record, so a record that fails again after a resume is not listed twice.
            TypeCounters committedCounters = new(0, counters.Created, counters.Updated, 0, 0);
            heldUntilCovered[batch.Sequence] = new TypeCounters(counters.Read, 0, 0, counters.Skipped, counters.Failed);

            committedOutOfOrder.Add(batch.Sequence);
            bool advance = false;
            string? token = null;
            while (committedOutOfOrder.Remove(nextInPrefix))
            {
                if (heldUntilCovered.Remove(nextInPrefix, out TypeCounters held))
                {
                    _uncovered += held;
                }

                if (pageEnds.Remove(nextInPrefix, out string? pageToken))
                {
                    advance = true;
                    token = pageToken;
                    committedCounters += _uncovered;
                    _uncovered = default;
                }

                nextInPrefix++;
            }

            BatchCommit commit = new()
            {
                ProjectId = _run.ProjectId, RunId = _run.RunId, Type = _type, Lease = _run.Lease, Mappings = mappings,
                ResolvedPending = resolvedPending, AdvanceToken = advance, ResumeToken = token, Counters = committedCounters,
                HighWaterMark = batch.HighWaterMark, Issues = batch.Issues, AddLinks = batch.DeferredLinks,
            };

            CommitResult result = await _run.Store.CommitBatchAsync(commit, cancellationToken).ConfigureAwait(false);
            _run.LogCommitted(batch.Issues);
            long totalFailures = _run.RecordCommit(_type, counters, result.PointsCharged, reserved, completed: false);
            _run.Telemetry.RecordsMigrated.Add(migrated);
            _run.Telemetry.RecordsFailed.Add(failed + batch.Counters.Failed);
            _run.Telemetry.PointsCharged.Add((double)result.PointsCharged);
            _run.PublishProgress?.Invoke();

            if (counters.Failed > 0)
            {
                CheckErrorPolicy(batch.Issues, totalFailures);
            }
        }

        return true;
    }

    private void CheckErrorPolicy(List<RecordIssue> issues, long totalFailures)
    {
        RecordIssue? firstFailure = issues.FirstOrDefault(i => i.Severity == IssueSeverity.Failure);
        if (_run.Options.ErrorMode == ErrorMode.StopOnFirstFailure && firstFailure is not null)
        {
            _run.Fail(new MigrationException(
                $"{_type.ToCamelCase()} {firstFailure.SourceId} failed ({firstFailure.Category}): {firstFailure.Message} The run stopped because ErrorMode is StopOnFirstFailure.",
                firstFailure.Category,
                isTransient: false));
        }
        else if (_run.Options.ErrorBudget is { } budget && totalFailures > budget)
        {
            _run.Fail(new MigrationException(
                $"{totalFailures} records failed, over the error budget of {budget}. Fix the failures listed in the report and resume the run.",
                FailureCategory.Validation,
                isTransient: false));
        }
    }

    private void AddChildren(List<IdMapEntry> mappings, string ownerId, IReadOnlyList<ChildMapping> children, DateTimeOffset now)
    {
        for (int i = 0; i < children.Count; i++)
        {
            ChildMapping child = children[i];
            mappings.Add(new IdMapEntry
            {
                Type = EntityType.Products, SourceId = EntityRef.Variant(ownerId, child.SourceId).SourceId, TargetId = child.TargetId,
                IsChild = true, FirstMigratedAt = now, LastUpdatedAt = now, RunId = _run.RunId,
            });
        }
    }
}

/// <summary>A record ready to write, with what the committer needs to record it.</summary>
internal sealed class PreparedRecord(TargetRecord record, string? checksum, string? sourceUrl, decimal weight)
{
    private TargetRecord? _record = record;

    /// <summary>Gets the record to write; only until the batch is written (<see cref="ReleaseRecord"/>).</summary>
    public TargetRecord Record => _record ?? throw new InvalidOperationException($"The record {SourceId} was released after its write.");

    /// <summary>Gets the record's source id, which the committer needs after the record itself is released.</summary>
    public string SourceId { get; } = record.Entity.SourceId;

    /// <summary>Gets the record's write action, which the committer needs after the record itself is released.</summary>
    public WriteAction Action { get; } = record.Action;

    /// <summary>
    /// Drops the reference to the record once the batch is written: the committer needs only the ids, the checksum and the
    /// outcome, so the entities of the batches waiting for their commit (up to the channel's capacity) can be collected.
    /// </summary>
    public void ReleaseRecord() => _record = null;

    /// <summary>Gets or sets the content checksum; a writer fills it in for new records.</summary>
    public string? Checksum { get; set; } = checksum;

    public string? SourceUrl { get; } = sourceUrl;

    public decimal Weight { get; } = weight;
}

/// <summary>A batch on its way through the writers to the committer.</summary>
internal sealed class WriteBatch
{
    public long Sequence { get; init; }

    public List<PreparedRecord> Records { get; } = [];

    public RecordOutcome[] Outcomes { get; set; } = [];

    public List<RecordIssue> Issues { get; } = [];

    public List<DeferredLink> DeferredLinks { get; } = [];

    public TypeCounters Counters { get; set; }

    public HighWaterMark? HighWaterMark { get; set; }

    public bool EndsPage { get; set; }

    public string? PageToken { get; set; }

    public void Skip() => Counters += new TypeCounters(0, 0, 0, 1, 0);

    public void Fail(string sourceId, EntityType type, FailureCategory category, string message)
    {
        Issues.Add(new RecordIssue(type, sourceId, category, message));
        Counters += new TypeCounters(0, 0, 0, 0, 1);
    }
}

/// <summary>Exponential backoff with full jitter.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(TimeSpan baseDelay, int attempt)
    {
        double max = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 10));
        return TimeSpan.FromMilliseconds((max / 2) + (Random.Shared.NextDouble() * max / 2));
    }
}
