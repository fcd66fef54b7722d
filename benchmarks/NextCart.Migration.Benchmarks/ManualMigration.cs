using System.Threading.Tasks.Dataflow;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Estimation;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// The hand-written competitors of the engine. Both do the same ID-map work as the engine's happy path: read a page,
/// look its references up in the checkpoint store in bulk (one call per referenced type), build <see cref="TargetRecord"/>s
/// with the resolved references, write batches to the target, and commit each batch's mappings (variants included, as
/// child rows) with one <see cref="ICheckpointStore.CommitBatchAsync"/> call. They skip what the engine adds for
/// resumability and re-runs: the own-id lookup, the content checksum, the intent log, the resume token, retries,
/// progress and telemetry.
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
        foreach (EntityType type in types)
        {
            await foreach (SourcePage page in _source.ReadAsync(type, SourceQuery.All, null, cancellationToken))
            {
                Dictionary<EntityRef, ResolvedTarget> resolved = await ResolveAsync(page.Records, cancellationToken);
                for (int start = 0; start < page.Records.Count; start += batchSize)
                {
                    TargetRecord[] batch = Map(page.Records, start, Math.Min(batchSize, page.Records.Count - start), resolved);
                    BatchOutcome outcome = await _target.WriteAsync(type, batch, cancellationToken);
                    await CommitAsync(type, batch, outcome, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The same work as a TPL Dataflow pipeline, one type after the other (a type starts when the types it references
    /// are committed): the reader posts pages to a map block (a <see cref="TransformManyBlock{TInput, TOutput}"/> that
    /// resolves references and cuts batches), an <see cref="ActionBlock{TInput}"/> writes with
    /// <paramref name="writers"/> degrees of parallelism and hands each outcome to a single-threaded commit block. Every
    /// block is bounded.
    /// </summary>
    public async Task RunDataflowAsync(IReadOnlyList<EntityType> types, int batchSize, int writers, CancellationToken cancellationToken = default)
    {
        foreach (EntityType type in types)
        {
            using CancellationTokenSource failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            CancellationToken token = failed.Token;

            ActionBlock<(TargetRecord[] Records, BatchOutcome Outcome)> commit = new(
                async written => await CommitAsync(type, written.Records, written.Outcome, token),
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = writers * 2, SingleProducerConstrained = false, CancellationToken = token });

            ActionBlock<TargetRecord[]> write = new(
                async records =>
                {
                    BatchOutcome outcome = await _target.WriteAsync(type, records, token);
                    if (!await commit.SendAsync((records, outcome), token))
                    {
                        throw new InvalidOperationException("The commit block declined a batch.");
                    }
                },
                new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = writers, BoundedCapacity = writers * 2, CancellationToken = token });

            TransformManyBlock<SourcePage, TargetRecord[]> map = new(
                async page =>
                {
                    Dictionary<EntityRef, ResolvedTarget> resolved = await ResolveAsync(page.Records, token);
                    List<TargetRecord[]> batches = new((page.Records.Count + batchSize - 1) / batchSize);
                    for (int start = 0; start < page.Records.Count; start += batchSize)
                    {
                        batches.Add(Map(page.Records, start, Math.Min(batchSize, page.Records.Count - start), resolved));
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

    private static TargetRecord[] Map(IReadOnlyList<Entity> records, int start, int count, Dictionary<EntityRef, ResolvedTarget> resolved)
    {
        TargetRecord[] batch = new TargetRecord[count];
        for (int i = 0; i < count; i++)
        {
            Entity entity = records[start + i];
            Dictionary<EntityRef, ResolvedTarget>? references = null;
            foreach (EntityReference reference in entity.GetReferences())
            {
                if (resolved.TryGetValue(reference.Target, out ResolvedTarget target))
                {
                    references ??= [];
                    references[reference.Target] = target;
                }
            }

            batch[i] = new TargetRecord(entity, WriteAction.Create, null, references);
        }

        return batch;
    }

    private async Task CommitAsync(EntityType type, TargetRecord[] records, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        decimal weight = PointSchedule.Default.GetWeight(type);
        List<IdMapEntry> mappings = new(records.Length);
        for (int i = 0; i < records.Length; i++)
        {
            RecordOutcome result = outcome.Results[i];
            string sourceId = records[i].Entity.SourceId;
            if (result.Status == RecordStatus.Failed || result.TargetId is null)
            {
                throw new InvalidOperationException($"{type.ToCamelCase()} {sourceId} failed: {result.Message}");
            }

            mappings.Add(new IdMapEntry
            {
                Type = type, SourceId = sourceId, TargetId = result.TargetId, TargetUrl = result.TargetUrl, SourceUrl = records[i].Entity.GetSourceUrl(),
                FirstMigratedAt = now, LastUpdatedAt = now, RunId = RunId, Points = weight,
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
            new BatchCommit { ProjectId = ProjectId, RunId = RunId, Type = type, Mappings = mappings, Counters = new TypeCounters(records.Length, records.Length, 0, 0, 0) },
            cancellationToken);
    }
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
