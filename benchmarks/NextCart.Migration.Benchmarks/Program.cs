using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NextCart.Migration.Benchmarks;

if (args.Length > 0 && args[0] == CsvConversionBenchmark.Option)
{
    return await CsvConversionBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == CsvConversionBenchmark.ChildOption)
{
    return await CsvConversionBenchmark.RunChildAsync(args[1..]);
}

if (args.Length > 0 && args[0] == RateLimitSaturationBenchmark.Option)
{
    return await RateLimitSaturationBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == RateLimitSaturationBenchmark.JobOption)
{
    // Its own job (three iterations of about a minute), not the suite's: the switcher below would add the suite's job to it.
    BenchmarkRunner.Run<RateLimitSaturationBenchmark>(DefaultConfig.Instance, args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == EngineOverheadBenchmark.RepeatOption)
{
    return await EngineOverheadBenchmark.RunRepeatedAsync(args[1..]);
}

if (args.Length > 0 && args[0] == FlatMemoryBenchmark.Option)
{
    return await FlatMemoryBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == FlatMemoryBenchmark.ChildOption)
{
    return await FlatMemoryBenchmark.RunChildAsync(args[1..]);
}

// Each benchmark migrates a whole store per invocation, so a short monitoring job (one invocation per iteration, one
// warmup, five measured iterations) is enough, and keeps the suite under ten minutes on two cores. In-process, so the
// run is not slowed by building a separate project per benchmark.
Job job = Job.Default
    .WithStrategy(RunStrategy.Monitoring)
    .WithLaunchCount(1)
    .WithWarmupCount(1)
    .WithIterationCount(5)
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithId("Monitoring");

ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(job)
    .AddColumn(StatisticColumn.Median)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub);

BenchmarkSwitcher.FromTypes([.. typeof(Program).Assembly.GetTypes().Where(t => t != typeof(RateLimitSaturationBenchmark) && t.IsPublic && !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))]).Run(args, config);
return 0;
