using System.Threading.Tasks.Dataflow;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Estimation;
using NextCart.Migration.Internal;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// The hand-written competitors of the engine. Both do the same store and checksum work as the engine's happy path, so
/// that what is compared is the pipeline, not a different amount of work:
/// <list type="bullet">
/// <item>read a page and look its own ids up in the ID map (a record already mapped with the same checksum is skipped);</item>
/// <item>look its references up in the checkpoint store in bulk (one call per referenced type);</item>
/// <item>build <see cref="TargetRecord"/>s with the resolved references and cut batches;</item>
/// <item>record each batch's write intents (<see cref="ICheckpointStore.AddPendingAsync"/>) before it is written;</item>
/// <item>compute each new record's content checksum (the engine's own <see cref="ContentChecksum"/>), write the batch to
/// the target;</item>
/// <item>commit each batch with one <see cref="ICheckpointStore.CommitBatchAsync"/> call: the mappings (variants as child
/// rows) with their checksums, the resolved intents, the counters, the high-water mark and, on a page's last batch, the
/// resume token.</item>
/// </list>
/// What they leave out is what the engine adds beyond that: the check, the estimate, the run record and its lease and
/// heartbeat, retries and batch splitting, the order-preserving token prefix across out-of-order batches, progress
/// snapshots and telemetry.
/// </summary>
internal sealed class ManualMigration
{
    public const string ProjectId = "bench";
    public const string RunId = "manual";

    private readonly ICheckpointStore _store;
    private readonly ISourceConnector _source;
    private readonly ITargetConnector _target;

    public ManualMigration(ICheckpointStore store, ISourceConnector source, ITargetConnector target)
    {
        _store = store;
        _source = source;
        _target = target;
    }

    /// <summary>A plain sequential loop: read a page, map it, then write and commit its batches one by one.</summary>
    public async Task RunSequentialAsync(IReadOnlyList<EntityType> types, int batchSize, CancellationToken cancellationToken = default)
    {
        ContentChecksum checksum = new();
        foreach (EntityType type in types)
        {
            await foreach (SourcePage page in _source.ReadAsync(type, SourceQuery.All, null, cancellationToken))
            {
                foreach (ManualBatch batch in await MapPageAsync(type, page, batchSize, checksum, cancellationToken))
                {
                    await RecordIntentsAsync(type, batch, cancellationToken);
                    await WriteAndCommitAsync(type, batch, checksum, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The same work as a TPL Dataflow pipeline, one type after the other (a type starts when the types it references
    /// are committed): the reader posts pages to a map block (a <see cref="TransformManyBlock{TInput, TOutput}"/> that
    /// looks up the page's own ids and references, cuts batches and records their intents), an
    /// <see cref="ActionBlock{TInput}"/> computes checksums and writes with <paramref name="writers"/> degrees of
    /// parallelism and hands each outcome to a single-threaded commit block. Every block is bounded.
    /// </summary>
    public async Task RunDataflowAsync(IReadOnlyList<EntityType> types, int batchSize, int writers, CancellationToken cancellationToken = default)
    {
        foreach (EntityType type in types)
        {
            using CancellationTokenSource failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            CancellationToken token = failed.Token;

            ActionBlock<(ManualBatch Batch, BatchOutcome Outcome)> commit = new(
                async written => await CommitAsync(type, written.Batch, written.Outcome, token),
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = writers * 2, SingleProducerConstrained = false, CancellationToken = token });

            ActionBlock<ManualBatch> write = new(
                async batch =>
                {
                    BatchOutcome outcome = await WriteAsync(type, batch, new ContentChecksum(), token);
                    if (!await commit.SendAsync((batch, outcome), token))
                    {
                        throw new InvalidOperationException("The commit block declined a batch.");
                    }
                },
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = writers, BoundedCapacity = writers * 2, CancellationToken = token });

            ContentChecksum mapChecksum = new();
            TransformManyBlock<SourcePage, ManualBatch> map = new(
                async page =>
                {
                    List<ManualBatch> batches = await MapPageAsync(type, page, batchSize, mapChecksum, token);
                    foreach (ManualBatch batch in batches)
                    {
                        await RecordIntentsAsync(type, batch, token);
                    }

                    return batches;
                },
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = 4, SingleProducerConstrained = true, CancellationToken = token });

            map.LinkTo(write, new DataflowLinkOptions { PropagateCompletion = true });

            // A fault anywhere cancels the whole pipeline, so that no block waits forever on one that stopped.
            Task[] blocks = [map.Completion, write.Completion, commit.Completion];
            foreach (Task block in blocks)
            {
                _ = block.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Cancel(), failed, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            try
            {
                await foreach (SourcePage page in _source.ReadAsync(type, SourceQuery.All, null, token))
                {
                    if (!await map.SendAsync(page, token))
                    {
                        break;
                    }
                }

                map.Complete();
                await write.Completion;
                commit.Complete();
                await commit.Completion;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Surface the block's own failure rather than the cancellation it caused.
                await Task.WhenAll(blocks);
                throw;
            }
        }
    }

    /// <summary>
    /// Maps a page as the engine's mapper does: looks up its own ids (an already-mapped, unchanged record is skipped)
    /// and its references, then cuts batches; the last carries the page's resume token.
    /// </summary>
    private async Task<List<ManualBatch>> MapPageAsync(EntityType type, SourcePage page, int batchSize, ContentChecksum checksum, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, IdMapEntry> known = await _store.LookupAsync(ProjectId, type, page.Records.Select(r => r.SourceId).ToArray(), cancellationToken);
        Dictionary<EntityRef, ResolvedTarget> resolved = await ResolveAsync(page.Records, cancellationToken);
        List<TargetRecord> records = new(page.Records.Count);
        List<string?> checksums = new(page.Records.Count);
        Entity? markRecord = null;
        foreach (Entity entity in page.Records)
        {
            if (entity.CreatedAt is { } created && (markRecord is null || created > markRecord.CreatedAt
                || (created == markRecord.CreatedAt && SourceIdComparer.Instance.Compare(entity.SourceId, markRecord.SourceId) > 0)))
            {
                markRecord = entity;
            }

            IdMapEntry? mapped = known.GetValueOrDefault(entity.SourceId);
            string? sum = mapped is null ? null : checksum.Compute(entity);
            if (mapped is not null && mapped.Checksum == sum)
            {
                continue;
            }

            records.Add(Map(entity, mapped, resolved));
            checksums.Add(sum);
        }

        HighWaterMark? mark = markRecord is { CreatedAt: { } markTime } ? new HighWaterMark(markTime, markRecord.SourceId) : null;
        List<ManualBatch> batches = new((records.Count + batchSize - 1) / batchSize);
        for (int start = 0; start < records.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, records.Count - start);
            bool last = start + count == records.Count;
            batches.Add(new ManualBatch(records.GetRange(start, count).ToArray(), checksums.GetRange(start, count).ToArray(), last ? page.ResumeToken : null, last, start == 0 ? mark : null));
        }

        return batches;
    }

    /// <summary>Records the write intents of a batch's creates, before it is written.</summary>
    private async Task RecordIntentsAsync(EntityType type, ManualBatch batch, CancellationToken cancellationToken)
    {
        SourceIdentity[] intents = batch.Records.Where(r => r.Action == WriteAction.Create).Select(r => r.Entity.GetIdentity()).ToArray();
        if (intents.Length > 0)
        {
            await _store.AddPendingAsync(ProjectId, RunId, type, intents, null, cancellationToken);
        }
    }

    private async Task WriteAndCommitAsync(EntityType type, ManualBatch batch, ContentChecksum checksum, CancellationToken cancellationToken)
    {
        BatchOutcome outcome = await WriteAsync(type, batch, checksum, cancellationToken);
        await CommitAsync(type, batch, outcome, cancellationToken);
    }

    /// <summary>Computes the checksums the mapper left to the writers (new records), then writes the batch.</summary>
    private async Task<BatchOutcome> WriteAsync(EntityType type, ManualBatch batch, ContentChecksum checksum, CancellationToken cancellationToken)
    {
        for (int i = 0; i < batch.Records.Length; i++)
        {
            batch.Checksums[i] ??= checksum.Compute(batch.Records[i].Entity);
        }

        return await _target.WriteAsync(type, batch.Records, cancellationToken);
    }

    /// <summary>Looks up every reference of a page in bulk: one store call per referenced type.</summary>
    private async Task<Dictionary<EntityRef, ResolvedTarget>> ResolveAsync(IReadOnlyList<Entity> records, CancellationToken cancellationToken)
    {
        Dictionary<EntityType, HashSet<string>> wanted = [];
        foreach (Entity record in records)
        {
            foreach (EntityReference reference in record.GetReferences())
            {
                if (!wanted.TryGetValue(reference.Target.Type, out HashSet<string>? ids))
                {
                    ids = new HashSet<string>(StringComparer.Ordinal);
                    wanted[reference.Target.Type] = ids;
                }

                ids.Add(reference.Target.SourceId);
            }
        }

        Dictionary<EntityRef, ResolvedTarget> resolved = [];
        foreach ((EntityType type, HashSet<string> ids) in wanted)
        {
            IReadOnlyDictionary<string, IdMapEntry> found = await _store.LookupAsync(ProjectId, type, ids, cancellationToken);
            foreach ((string id, IdMapEntry entry) in found)
            {
                resolved[new EntityRef(type, id)] = new ResolvedTarget(entry.TargetId, entry.TargetUrl);
            }
        }

        return resolved;
    }

    private static TargetRecord Map(Entity entity, IdMapEntry? mapped, Dictionary<EntityRef, ResolvedTarget> resolved)
    {
        Dictionary<EntityRef, ResolvedTarget>? references = null;
        foreach (EntityReference reference in entity.GetReferences())
        {
            if (resolved.TryGetValue(reference.Target, out ResolvedTarget target))
            {
                references ??= [];
                references[reference.Target] = target;
            }
        }

        return new TargetRecord(entity, mapped is null ? WriteAction.Create : WriteAction.Update, mapped?.TargetId, references);
    }

    private async Task CommitAsync(EntityType type, ManualBatch batch, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        TargetRecord[] records = batch.Records;
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        decimal weight = PointSchedule.Default.GetWeight(type);
        List<IdMapEntry> mappings = new(records.Length);
        List<string> resolvedPending = new(records.Length);
        for (int i = 0; i < records.Length; i++)
        {
            RecordOutcome result = outcome.Results[i];
            string sourceId = records[i].Entity.SourceId;
            if (result.Status == RecordStatus.Failed || result.TargetId is null)
            {
                throw new InvalidOperationException($"{type.ToCamelCase()} {sourceId} failed: {result.Message}");
            }

            if (records[i].Action == WriteAction.Create)
            {
                resolvedPending.Add(sourceId);
            }

            mappings.Add(new IdMapEntry
            {
                Type = type, SourceId = sourceId, TargetId = result.TargetId, TargetUrl = result.TargetUrl, SourceUrl = records[i].Entity.GetSourceUrl(),
                Checksum = batch.Checksums[i], FirstMigratedAt = now, LastUpdatedAt = now, RunId = RunId, Points = weight,
            });
            foreach (ChildMapping child in result.Children)
            {
                mappings.Add(new IdMapEntry
                {
                    Type = EntityType.Products, SourceId = EntityRef.Variant(sourceId, child.SourceId).SourceId, TargetId = child.TargetId,
                    IsChild = true, FirstMigratedAt = now, LastUpdatedAt = now, RunId = RunId,
                });
            }
        }

        await _store.CommitBatchAsync(
            new BatchCommit
            {
                ProjectId = ProjectId, RunId = RunId, Type = type, Mappings = mappings, ResolvedPending = resolvedPending,
                AdvanceToken = batch.EndsPage, ResumeToken = batch.PageToken, HighWaterMark = batch.Mark,
                Counters = new TypeCounters(records.Length, records.Length, 0, 0, 0),
            },
            cancellationToken);
    }

    /// <summary>A batch on its way from the map stage to the commit.</summary>
    private sealed record ManualBatch(TargetRecord[] Records, string?[] Checksums, string? PageToken, bool EndsPage, HighWaterMark? Mark);
}

/// <summary>What a migration left behind, to check that competing implementations did the same work.</summary>
/// <param name="TargetRecords">The records on the target, over the given types.</param>
/// <param name="MappedRows">The entity rows in the ID map (variants excluded), over the given types.</param>
/// <param name="ResolvedReferences">The references the target received resolved, over every record written.</param>
internal readonly record struct MigrationFingerprint(long TargetRecords, long MappedRows, long ResolvedReferences)
{
    public static async Task<MigrationFingerprint> TakeAsync(ICheckpointStore store, InMemoryTargetConnector target, IReadOnlyList<EntityType> types)
    {
        long records = 0;
        long mapped = 0;
        long references = 0;
        foreach (EntityType type in types)
        {
            IReadOnlyList<InMemoryTargetEntry> entries = target.GetRecords(type);
            records += entries.Count;
            references += entries.Sum(e => (long)e.References.Count);
            mapped += await store.CountMappedAsync(ManualMigration.ProjectId, type);
        }

        return new MigrationFingerprint(records, mapped, references);
    }

    /// <summary>Throws unless this fingerprint is the expected one.</summary>
    public void Expect(MigrationFingerprint expected, string implementation)
    {
        if (this != expected)
        {
            throw new InvalidOperationException($"{implementation} did different work than expected: got {this}, expected {expected}.");
        }
    }
}
