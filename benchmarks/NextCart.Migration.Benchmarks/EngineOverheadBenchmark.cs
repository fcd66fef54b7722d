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
    }

    [Benchmark(Baseline = true)]
    public Task SequentialLoop()
    {
        _method = nameof(SequentialLoop);
        CpuMeter.Start();
        return new ManualMigration(_store, _source, _target).RunSequentialAsync(Types, BatchSize);
    }

    [Benchmark]
    public async Task Engine()
    {
        _method = nameof(Engine);
        CpuMeter.Start();
        _manager = new MigrationManager(_store);
        MigrationOperation run = await _manager.StartAsync(new MigrationProject(ManualMigration.ProjectId, _source, _target), CreateOptions());
        _report = await run.WaitForCompletionAsync();
    }

    [Benchmark]
    public Task Dataflow()
    {
        _method = nameof(Dataflow);
        CpuMeter.Start();
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

    /// <summary>The command-line option of <see cref="RunRepeatedAsync"/>.</summary>
    public const string RepeatOption = "--engine-overhead";

    /// <summary>
    /// Runs one implementation (<c>loop</c>, <c>engine</c> or <c>dataflow</c>) a number of times outside BenchmarkDotNet,
    /// each with a fresh store and target as in the suite, and prints each run's wall time, CPU time and allocation: a
    /// driver to attach a profiler to (<c>dotnet-trace collect -- dotnet ... --engine-overhead engine 10</c>), and a quick
    /// way to compare CPU time per run.
    /// </summary>
    /// <param name="args">The implementation, then the number of runs (default 10).</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunRepeatedAsync(string[] args)
    {
        string which = args.Length > 0 ? args[0] : "engine";
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        Func<EngineOverheadBenchmark, Task> run = which switch
        {
            "loop" => b => b.SequentialLoop(),
            "engine" => b => b.Engine(),
            "dataflow" => b => b.Dataflow(),
            _ => throw new ArgumentException($"Unknown implementation '{which}': use loop, engine or dataflow."),
        };

        _validated = true;
        EngineOverheadBenchmark benchmark = new();
        benchmark.GlobalSetup();
        List<double> cpu = [];
        for (int i = 0; i < runs; i++)
        {
            benchmark.IterationSetup();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            TimeSpan pause = GC.GetTotalPauseDuration();
            long workItems = ThreadPool.CompletedWorkItemCount;
            long contention = Monitor.LockContentionCount;
            TimeSpan processor = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            await run(benchmark);
            TimeSpan wall = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            double cpuMs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - processor).TotalMilliseconds;
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            benchmark.IterationCleanup();
            cpu.Add(cpuMs);
            Console.WriteLine(
                $"{which} run {i + 1}: wall {wall.TotalMilliseconds:N0} ms, CPU {cpuMs:N0} ms, allocated {bytes / 1048576.0:N1} MB, "
                + $"GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}, GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:N0} ms, "
                + $"work items {ThreadPool.CompletedWorkItemCount - workItems:N0}, lock contentions {Monitor.LockContentionCount - contention:N0}, threads {ThreadPool.ThreadCount}");
        }

        cpu.Sort();
        Console.WriteLine($"{which}: median CPU {cpu[cpu.Count / 2]:N0} ms, min {cpu[0]:N0} ms over {runs} runs");
        return 0;
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new ExtraAllocationPerRecordColumn(Records), CpuTimeColumn.Time, CpuTimeColumn.Ratio);
    }
}
