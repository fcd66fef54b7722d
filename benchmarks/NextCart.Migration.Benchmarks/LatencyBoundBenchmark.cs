using BenchmarkDotNet.Attributes;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// Throughput when the connectors, not the engine, are the bottleneck: the source takes 20 ms per page of 100 records,
/// the target 50 ms per batch of at most 25 records and allows 8 writes at once. Simple products with no references, so
/// there is no dependency to wait for: 2,000 (the short case) and 10,000 (where filling the pipeline costs less).
/// </summary>
/// <remarks>
/// The theoretical maximum is set by the slower stage: writes move 8 × 25 records per 50 ms = 4,000 records/s, reads
/// 100 records per 20 ms = 5,000 records/s, so 4,000 records/s (2,000 records in 0.5 s). The <c>Of max</c> column is the
/// achieved throughput as a fraction of it. No pipeline reaches 100%: the first page takes 20 ms before any write starts,
/// and timers fire a little late, so the TPL Dataflow pipeline shows what is reachable on the machine.
/// </remarks>
[Config(typeof(Config))]
public class LatencyBoundBenchmark
{
    public const int PageSize = 100;
    public const int MaxBatchSize = 25;
    public const int MaxConcurrency = 8;
    public static readonly TimeSpan PageLatency = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan BatchLatency = TimeSpan.FromMilliseconds(50);

    /// <summary>Gets the theoretical maximum throughput, in records per second: the slower of reading and writing.</summary>
    public static double TheoreticalMax => Math.Min(
        PageSize / PageLatency.TotalSeconds,
        MaxConcurrency * MaxBatchSize / BatchLatency.TotalSeconds);

    private static readonly EntityType[] Types = [EntityType.Products];

    private SampleStore _data = SampleStore.Empty;
    private ICheckpointStore _store = CheckpointStore.CreateInMemory();
    private InMemorySourceConnector _source = new(SampleStore.Empty);
    private InMemoryTargetConnector _target = new();
    private MigrationManager? _manager;
    private MigrationReport? _report;

    [Params(2_000, 10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => _data = BenchmarkData.CreateSimpleProducts(Records);

    [IterationSetup]
    public void IterationSetup()
    {
        _store = CheckpointStore.CreateInMemory();
        _source = new InMemorySourceConnector(_data) { PageSize = PageSize, PageLatency = PageLatency };
        _target = new InMemoryTargetConnector { BatchLatency = BatchLatency };
        _target.SetLimits(EntityType.Products, new TargetLimits { MaxBatchSize = MaxBatchSize, MaxConcurrency = MaxConcurrency });
        _manager = null;
        _report = null;
    }

    [Benchmark(Baseline = true)]
    public Task SequentialLoop() => new ManualMigration(_store, _source, _target).RunSequentialAsync(Types, MaxBatchSize);

    [Benchmark]
    public async Task Engine()
    {
        _manager = new MigrationManager(_store);
        MigrationOperation run = await _manager.StartAsync(
            new MigrationProject(ManualMigration.ProjectId, _source, _target),
            new MigrationOptions { Mode = MigrationMode.Full, Entities = new HashSet<EntityType>(Types), CreateRedirects = false });
        _report = await run.WaitForCompletionAsync();
    }

    /// <summary>A hand-made TPL Dataflow pipeline with the target's limits: what a good pipeline achieves on this machine's timers.</summary>
    [Benchmark]
    public Task Dataflow() => new ManualMigration(_store, _source, _target).RunDataflowAsync(Types, MaxBatchSize, MaxConcurrency);

    [IterationCleanup]
    public void IterationCleanup()
    {
        try
        {
            if (_report is not null && _report.Status != MigrationRunState.Completed)
            {
                throw new InvalidOperationException($"The engine ended {_report.Status}: {_report.Message}");
            }

            MigrationFingerprint.TakeAsync(_store, _target, Types).GetAwaiter().GetResult().Expect(new MigrationFingerprint(Records, Records, 0), _manager is null ? "The hand-written loop or pipeline" : "The engine");
            if (_target.MaxObservedConcurrency > MaxConcurrency)
            {
                throw new InvalidOperationException($"{_target.MaxObservedConcurrency} writes ran at once; the target allows {MaxConcurrency}.");
            }
        }
        finally
        {
            _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config()
        {
            AddColumn(ThroughputColumn.RecordsPerSecond(nameof(Records)));
            AddColumn(ThroughputColumn.OfTheoreticalMax(nameof(Records), TheoreticalMax));
        }
    }
}
