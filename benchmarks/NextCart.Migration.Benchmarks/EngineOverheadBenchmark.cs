using BenchmarkDotNet.Attributes;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// The engine's own cost with zero latency: 100,000 records (40,000 variable products with 3 variants, 30,000 customers,
/// 30,000 orders that reference both) through the engine, against a hand-written sequential loop (the baseline) and a
/// TPL Dataflow pipeline doing the same mapping and ID-map work.
/// </summary>
/// <remarks>
/// Each invocation gets a fresh in-memory checkpoint store and target, made in <see cref="IterationSetup"/> so that
/// building them is not measured. <see cref="IterationCleanup"/> checks, outside the measurement, that the invocation wrote
/// every record with every reference resolved; <see cref="GlobalSetup"/> first checks once that all three
/// implementations leave the same fingerprint. Ten iterations, because a run this allocation-heavy is at the mercy of
/// when gen-2 collections fall.
/// </remarks>
[Config(typeof(Config))]
[WarmupCount(2)]
[IterationCount(10)]
public class EngineOverheadBenchmark
{
    public const int Products = 40_000;
    public const int Customers = 30_000;
    public const int Orders = 30_000;
    public const int Records = Products + Customers + Orders;
    private const int BatchSize = 100;
    private const int Writers = 4;

    private static readonly EntityType[] Types = [EntityType.Products, EntityType.Customers, EntityType.Orders];

    private static readonly MigrationFingerprint Expected = new(
        TargetRecords: Records,
        MappedRows: Records,
        ResolvedReferences: (long)Orders * BenchmarkData.ReferencesPerOrder);

    private static bool _validated;

    private SampleStore _data = SampleStore.Empty;
    private ICheckpointStore _store = CheckpointStore.CreateInMemory();
    private InMemorySourceConnector _source = new(SampleStore.Empty);
    private InMemoryTargetConnector _target = new();
    private MigrationManager? _manager;
    private MigrationReport? _report;
    private string _method = "";

    [GlobalSetup]
    public void GlobalSetup()
    {
        _data = BenchmarkData.CreateStore(Products, Customers, Orders);
        if (!_validated)
        {
            ValidateAsync().GetAwaiter().GetResult();
            _validated = true;
        }
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _store = CheckpointStore.CreateInMemory();
        _source = new InMemorySourceConnector(_data);
        _target = new InMemoryTargetConnector();
        _manager = null;
        _report = null;
        CpuMeter.Start();
    }

    [Benchmark(Baseline = true)]
    public Task SequentialLoop()
    {
        _method = nameof(SequentialLoop);
        return new ManualMigration(_store, _source, _target).RunSequentialAsync(Types, BatchSize);
    }

    [Benchmark]
    public async Task Engine()
    {
        _method = nameof(Engine);
        _manager = new MigrationManager(_store);
        MigrationOperation run = await _manager.StartAsync(new MigrationProject(ManualMigration.ProjectId, _source, _target), CreateOptions());
        _report = await run.WaitForCompletionAsync();
    }

    [Benchmark]
    public Task Dataflow()
    {
        _method = nameof(Dataflow);
        return new ManualMigration(_store, _source, _target).RunDataflowAsync(Types, BatchSize, Writers);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        CpuMeter.Stop(_method);
        try
        {
            CheckAsync(_store, _target, _report, "This invocation").GetAwaiter().GetResult();
        }
        finally
        {
            _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static MigrationOptions CreateOptions() => new()
    {
        Mode = MigrationMode.Full,
        Entities = new HashSet<EntityType>(Types),
        CreateRedirects = false,
    };

    private static async Task CheckAsync(ICheckpointStore store, InMemoryTargetConnector target, MigrationReport? report, string implementation)
    {
        if (report is not null && report.Status != MigrationRunState.Completed)
        {
            throw new InvalidOperationException($"The engine ended {report.Status}: {report.Message} {string.Join(" ", report.Failures.Take(3).Select(f => f.Message))}");
        }

        (await MigrationFingerprint.TakeAsync(store, target, Types)).Expect(Expected, implementation);
    }

    /// <summary>Runs each implementation once and checks that they all leave the same fingerprint.</summary>
    private async Task ValidateAsync()
    {
        IterationSetup();
        await SequentialLoop();
        await CheckAsync(_store, _target, null, "The sequential loop");

        IterationSetup();
        await Engine();
        await CheckAsync(_store, _target, _report, "The engine");
        await _manager!.DisposeAsync();

        IterationSetup();
        await Dataflow();
        await CheckAsync(_store, _target, null, "The Dataflow pipeline");
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new ExtraAllocationPerRecordColumn(Records), CpuTimeColumn.Time, CpuTimeColumn.Ratio);
    }
}
