using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Shopify;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// Rate-limit saturation of the Shopify target (issue 5): sample products and their categories migrated by the engine
/// (<see cref="MigrationManager"/>, in-memory checkpoint store) into an empty Shopify sandbox over real loopback HTTP, with the
/// predictive client (the default: predicts each document's cost and waits until the bucket can hold it) against the
/// reactive one (sends, and waits only after <c>THROTTLED</c>), the reactive one as the baseline.
/// </summary>
/// <remarks>
/// <para>
/// The columns come from the sandbox's own counters (<see cref="ShopifyStoreView.GetCostSamples"/>): the cost points it actually
/// charged (<c>actualQueryCost</c> of executed requests) per second divided by the restore rate, over the window that starts
/// <see cref="WarmUp"/> after the run starts and ends when it completes (so the first seconds, where a full bucket lets any
/// client burst, are left out; what the client spends then is the bucket it found, not the restore rate); and the
/// <c>THROTTLED</c> answers as a share of the GraphQL requests that arrived in the same window. Goals: ≥ 0.95 and &lt; 1%.
/// </para>
/// <para>
/// A product of the sample store costs about 15 points to write (productSet 10 + 0.2 per variant + 1.9 per image + 0.4 per
/// metafield, plus the category collections), so 2,000 products at the 1000/50 preset take about ten minutes per client: too
/// long for a BenchmarkDotNet job of several iterations. The job therefore migrates <see cref="JobProducts"/> products at the
/// 2000/100 preset (<c>--shopify-saturation-job</c>; it is left out of the suite's <c>--filter</c> switcher), and
/// <c>--shopify-saturation</c> (<see cref="RunAsync"/>) runs the full 2,000 products at 1000/50 once per client.
/// </para>
/// </remarks>
[Config(typeof(Config))]
public class RateLimitSaturationBenchmark
{
    /// <summary>The console option that runs the full-size measurement once per client.</summary>
    public const string Option = "--shopify-saturation";

    /// <summary>The console option that runs the BenchmarkDotNet job (outside the suite's <c>--filter</c> switcher, whose job it would inherit).</summary>
    public const string JobOption = "--shopify-saturation-job";

    /// <summary>The products the BenchmarkDotNet job migrates per invocation.</summary>
    public const int JobProducts = 300;

    /// <summary>The first seconds of a run, left out of the windowed columns.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, List<SaturationResult>> Results = [];

    private SampleStore _data = SampleStore.Empty;

    [GlobalSetup]
    public void GlobalSetup() => _data = CreateData(JobProducts);

    /// <summary>The reactive client: sends without predicting and waits only after <c>THROTTLED</c>.</summary>
    [Benchmark(Baseline = true)]
    public void Reactive() => Record(nameof(Reactive), RunOnceAsync(_data, ShopifyRateLimitPreset.Plus, ShopifyThrottleMode.Reactive).GetAwaiter().GetResult());

    /// <summary>The predictive client, the connector's default.</summary>
    [Benchmark]
    public void Predictive() => Record(nameof(Predictive), RunOnceAsync(_data, ShopifyRateLimitPreset.Plus, ShopifyThrottleMode.Predictive).GetAwaiter().GetResult());

    /// <summary>Creates the sample store: <paramref name="products"/> products and their categories, nothing else.</summary>
    /// <param name="products">The number of products.</param>
    /// <returns>The store.</returns>
    public static SampleStore CreateData(int products)
    {
        SampleStoreOptions options = SampleStoreOptions.Scale(products, seed: 5);
        foreach (EntityType type in Enum.GetValues<EntityType>().Where(t => t is not (EntityType.Products or EntityType.Categories)))
        {
            options = options.WithCount(type, 0);
        }

        return SampleStoreGenerator.Generate(options);
    }

    /// <summary>Migrates the store's categories and products into a fresh, empty sandbox with the given limits and client, and measures.</summary>
    /// <param name="data">The store.</param>
    /// <param name="preset">The sandbox's bucket size and restore rate.</param>
    /// <param name="mode">The client.</param>
    /// <returns>The measurement.</returns>
    public static async Task<SaturationResult> RunOnceAsync(SampleStore data, ShopifyRateLimitPreset preset, ShopifyThrottleMode mode)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true }.UseRateLimits(preset));
        using HttpClient http = new() { Timeout = TimeSpan.FromMinutes(5) };
        var options = new ShopifyConnectorOptions
        {
            ShopUrl = shop.BaseAddress,
            AccessToken = shop.AccessToken,
            ThrottleMode = mode,
            BucketSize = shop.View.MaximumAvailable,
            RestoreRate = shop.View.RestoreRate,
            MaxThrottleRetries = 100,
        };
        ITargetConnector target = ShopifyConnectorFactory.CreateTarget(options, http, new ShopifyRateLimitRegistry());
        var source = new InMemorySourceConnector(data);
        await using var manager = new MigrationManager(CheckpointStore.CreateInMemory());
        HashSet<EntityType> types = [EntityType.Categories, EntityType.Products];

        DateTimeOffset started = TimeProvider.System.GetUtcNow();
        MigrationOperation run = await manager.StartAsync(
            new MigrationProject("shopify-saturation", source, target),
            new MigrationOptions { Mode = MigrationMode.Full, Entities = types, CreateRedirects = false });
        MigrationReport report = await run.WaitForCompletionAsync();
        DateTimeOffset ended = TimeProvider.System.GetUtcNow();

        int products = data.Count(EntityType.Products);
        int written = shop.View.GetProducts().Count;
        if (report.Status != MigrationRunState.Completed || written != products)
        {
            throw new InvalidOperationException(
                $"The {mode} run ended {report.Status} with {written} of {products} products in the shop: {report.Message} "
                + string.Join(" | ", report.Failures.Take(5).Select(f => $"{f.EntityType}:{f.SourceId}:{f.Message}")));
        }

        return SaturationResult.From(mode, preset, products, shop.View.RestoreRate, shop.View.MaximumAvailable, shop.View.GetCostSamples(), started, ended);
    }

    /// <summary>Runs the full-size measurement once per client: <c>--shopify-saturation [products] [standard|plus]</c>.</summary>
    /// <param name="args">The arguments after the option.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        int products = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        ShopifyRateLimitPreset preset = args.Length > 1 && args[1].Equals("plus", StringComparison.OrdinalIgnoreCase) ? ShopifyRateLimitPreset.Plus : ShopifyRateLimitPreset.Standard;
        SampleStore data = CreateData(products);
        Console.WriteLine($"Rate-limit saturation: {products:N0} products and {data.Count(EntityType.Categories):N0} categories into an empty Shopify sandbox at the {preset} preset, engine + in-memory store, loopback HTTP.");
        var results = new List<SaturationResult>();
        foreach (ShopifyThrottleMode mode in new[] { ShopifyThrottleMode.Reactive, ShopifyThrottleMode.Predictive })
        {
            var watch = Stopwatch.StartNew();
            SaturationResult result = await RunOnceAsync(data, preset, mode);
            Console.WriteLine($"  {mode}: done in {watch.Elapsed.TotalSeconds:N0} s");
            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine(SaturationResult.MarkdownHeader);
        foreach (SaturationResult result in results)
        {
            Console.WriteLine(result.ToMarkdownRow());
        }

        return 0;
    }

    private static void Record(string method, SaturationResult result)
    {
        lock (Results)
        {
            if (!Results.TryGetValue(method, out List<SaturationResult>? list))
            {
                Results[method] = list = [];
            }

            list.Add(result);
        }
    }

    private static double? Median(string method, Func<SaturationResult, double> value)
    {
        lock (Results)
        {
            if (!Results.TryGetValue(method, out List<SaturationResult>? list) || list.Count == 0)
            {
                return null;
            }

            double[] sorted = [.. list.Select(value).Order()];
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config()
        {
            // One migration takes about a minute: one warm-up and three measured invocations per client, in process (with a timeout
            // above the default five minutes).
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
                .WithId("Saturation"));
            AddColumn(new SaturationColumn("Points/s ÷ restore (after 5 s)", "Median over iterations of the cost points the sandbox charged per second after the first 5 s, divided by its restore rate (goal ≥ 0.95)", r => r.RatioAfterWarmUp, "N3"));
            AddColumn(new SaturationColumn("Points/s ÷ restore (whole run)", "The same over the whole run, the first 5 s included (a full bucket at the start lets it exceed 1)", r => r.RatioWhole, "N3"));
            AddColumn(new SaturationColumn("Utilisation (after 5 s)", "Median points charged after the first 5 s / (restore rate × window + bucket level at 5 s − level at the end): the share of what the bucket could give that was used", r => r.UtilisationAfterWarmUp, "P1"));
            AddColumn(new SaturationColumn("Throttled (after 5 s)", "Median share of the GraphQL requests after the first 5 s that the sandbox answered THROTTLED (goal < 1%)", r => r.ThrottledShareAfterWarmUp, "P2"));
            AddColumn(new SaturationColumn("Requests", "Median GraphQL requests per run", r => r.Requests, "N0"));
        }
    }

    private sealed class SaturationColumn(string name, string legend, Func<SaturationResult, double> value, string format) : ComputedColumn(name, legend)
    {
        protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
            => Median(benchmarkCase.Descriptor.WorkloadMethod.Name, value)?.ToString(format, CultureInfo.InvariantCulture);
    }
}

/// <summary>One saturation run, measured from the sandbox's cost samples.</summary>
/// <param name="Mode">The client.</param>
/// <param name="Preset">The sandbox's limits.</param>
/// <param name="Products">The products migrated.</param>
/// <param name="RestoreRate">The sandbox's restore rate, in points per second.</param>
/// <param name="Seconds">The wall time of the run.</param>
/// <param name="Requests">The GraphQL requests the sandbox answered.</param>
/// <param name="Throttled">The <c>THROTTLED</c> answers.</param>
/// <param name="Points">The cost points charged (<c>actualQueryCost</c> of executed requests).</param>
/// <param name="RequestsAfterWarmUp">The requests after the first 5 s.</param>
/// <param name="ThrottledAfterWarmUp">The <c>THROTTLED</c> answers after the first 5 s.</param>
/// <param name="PointsAfterWarmUp">The points charged after the first 5 s.</param>
/// <param name="SupplyAfterWarmUp">
/// The points the bucket could give after the first 5 s: restore rate × window + the points available at its start − the points
/// left at the end (so a bucket still draining its initial fill at 5 s does not count as more than the restore rate).
/// </param>
public sealed record SaturationResult(
    ShopifyThrottleMode Mode,
    ShopifyRateLimitPreset Preset,
    int Products,
    double RestoreRate,
    double Seconds,
    long Requests,
    long Throttled,
    long Points,
    long RequestsAfterWarmUp,
    long ThrottledAfterWarmUp,
    long PointsAfterWarmUp,
    double SupplyAfterWarmUp)
{
    /// <summary>The header of <see cref="ToMarkdownRow"/>.</summary>
    public const string MarkdownHeader =
        "| Client | Products | Preset | Wall time | Requests | Throttled | Points charged | Points/s ÷ restore (whole run) | Points/s ÷ restore (after 5 s) | Utilisation after 5 s (net of bucket drain) | Throttled share (after 5 s) |\n"
        + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    /// <summary>Gets the points charged per second over the whole run, divided by the restore rate.</summary>
    public double RatioWhole => Points / Seconds / RestoreRate;

    /// <summary>Gets the points charged per second after the first 5 s, divided by the restore rate.</summary>
    public double RatioAfterWarmUp => PointsAfterWarmUp / (Seconds - RateLimitSaturationBenchmark.WarmUp.TotalSeconds) / RestoreRate;

    /// <summary>Gets the points charged after the first 5 s as a fraction of the points the bucket could give in that window.</summary>
    public double UtilisationAfterWarmUp => SupplyAfterWarmUp <= 0 ? 0 : PointsAfterWarmUp / SupplyAfterWarmUp;

    /// <summary>Gets the <c>THROTTLED</c> answers after the first 5 s as a share of the requests after the first 5 s.</summary>
    public double ThrottledShareAfterWarmUp => RequestsAfterWarmUp == 0 ? 0 : (double)ThrottledAfterWarmUp / RequestsAfterWarmUp;

    /// <summary>Measures a run from the sandbox's cost samples.</summary>
    /// <param name="mode">The client.</param>
    /// <param name="preset">The sandbox's limits.</param>
    /// <param name="products">The products migrated.</param>
    /// <param name="restoreRate">The restore rate.</param>
    /// <param name="bucketSize">The bucket size.</param>
    /// <param name="samples">The sandbox's samples of the run.</param>
    /// <param name="started">When the run started.</param>
    /// <param name="ended">When it completed.</param>
    /// <returns>The measurement.</returns>
    public static SaturationResult From(ShopifyThrottleMode mode, ShopifyRateLimitPreset preset, int products, double restoreRate, double bucketSize, IReadOnlyList<ShopifyCostSample> samples, DateTimeOffset started, DateTimeOffset ended)
    {
        DateTimeOffset windowStart = started + RateLimitSaturationBenchmark.WarmUp;
        ShopifyCostSample[] window = [.. samples.Where(s => s.At >= windowStart)];
        ShopifyCostSample[] before = [.. samples.Where(s => s.At < windowStart)];
        double Level(ShopifyCostSample? last, DateTimeOffset at, double initial)
            => last is { } l ? Math.Min(bucketSize, l.AvailableAfter + (restoreRate * (at - l.At).TotalSeconds)) : initial;
        double windowSeconds = (ended - windowStart).TotalSeconds;
        double atStart = Level(before.Length > 0 ? before[^1] : null, windowStart, bucketSize);
        double atEnd = Level(samples.Count > 0 ? samples[^1] : null, ended, bucketSize);
        return new SaturationResult(
            mode,
            preset,
            products,
            restoreRate,
            (ended - started).TotalSeconds,
            samples.Count,
            samples.Count(s => s.Throttled),
            samples.Sum(s => (long)(s.ActualCost ?? 0)),
            window.Length,
            window.Count(s => s.Throttled),
            window.Sum(s => (long)(s.ActualCost ?? 0)),
            (restoreRate * windowSeconds) + atStart - atEnd);
    }

    /// <summary>Formats the run as a row of the table headed by <see cref="MarkdownHeader"/>.</summary>
    /// <returns>The row.</returns>
    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Mode} | {Products:N0} | {(Preset == ShopifyRateLimitPreset.Plus ? "2000/100" : "1000/50")} | {Seconds:N1} s | {Requests:N0} | {Throttled:N0} | {Points:N0} | {RatioWhole:N3} | {RatioAfterWarmUp:N3} | {UtilisationAfterWarmUp:P1} | {ThrottledShareAfterWarmUp:P2} ({ThrottledAfterWarmUp:N0} of {RequestsAfterWarmUp:N0}) |");
}
