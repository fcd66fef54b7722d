using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Csv;
using NextCart.Migration.Sqlite;
using NextCart.Migration.WooCommerce.Csv;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// Converts a generated WooCommerce product CSV to Shopify's product CSV through the engine (with the SQLite store a CLI run
/// uses, or the in-memory store), in a fresh process per size and store, and reports rows per second (wall clock and per CPU
/// second, since the build machine is shared) and peak memory. The same child also times three baselines on the same file:
/// Sep alone (read every row, write a Shopify-shaped row: no connector, no engine) and the WooCommerce CSV source alone before
/// the engine run, and the two connectors without the engine after it. Half of the products are variable with four
/// variations, so N products are 3N rows. The input is generated into a temporary directory before the clock starts.
/// </summary>
/// <remarks><c>--csv N1 N2 ... [sqlite] [inmemory]</c> (default 10000 100000, sqlite) prints the table and writes
/// <c>BenchmarkDotNet.Artifacts/results/NextCart.Migration.Benchmarks.CsvConversionBenchmark-report-github.md</c>.</remarks>
public static class CsvConversionBenchmark
{
    public const string Option = "--csv";
    public const string ChildOption = "--csv-child";
    private const string ResultPrefix = "CSVCONVERSION-RESULT ";
    private const double Mb = 1024 * 1024;
    private static readonly long[] DefaultCounts = [10_000, 100_000];

    public static async Task<int> RunAsync(string[] arguments)
    {
        string[] stores = arguments.Where(a => a is "inmemory" or "sqlite").ToArray();
        stores = stores.Length == 0 ? ["sqlite"] : stores;
        string[] sizes = arguments.Where(a => a is not ("inmemory" or "sqlite")).ToArray();
        long[] counts = sizes.Length == 0 ? DefaultCounts : [.. sizes.Select(a => long.Parse(a.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))];
        List<Result> results = [];
        foreach (long count in counts)
        {
            foreach (string store in stores)
            {
                Console.WriteLine($"// CsvConversionBenchmark: {count:N0} products, {store} store, in a fresh process...");
                results.Add(await MeasureInChildAsync(count, store));
            }
        }

        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"<!-- {Environment.ProcessorCount} cores; load average before: {LoadAverage()} -->"));
        sb.AppendLine("| Products | Store | Input rows | Output rows | Seconds | Rows/s (input) | CPU s | Rows/CPU-s | Source-only rows/s | Connectors-only rows/s | Sep-only rows/s | Peak working set (MB) | Peak WS before the run (MB) | WS at the start (MB) | Peak managed heap (MB) | Retained after run (MB) | Allocated (MB) | GCs gen0/1/2 | GC pause (s) |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (Result r in results)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Products:N0} | {r.Store} | {r.InputRows:N0} | {r.OutputRows:N0} | {r.Seconds:F2} | {r.InputRows / r.Seconds:N0} | {r.CpuSeconds:F2} | {r.InputRows / r.CpuSeconds:N0} | {r.InputRows / r.ReadSeconds:N0} | {r.InputRows / r.ConnectorsSeconds:N0} | {r.InputRows / r.BaselineSeconds:N0} | {r.PeakWorkingSet / Mb:F0}{(r.PeakReset ? string.Empty : " (whole process)")} | {r.PeakBefore / Mb:F0} | {r.StartWorkingSet / Mb:F0} | {r.PeakHeap / Mb:F0} | {r.Retained / Mb:F0} | {r.Allocated / Mb:F0} | {r.Collections} | {r.GcPauseSeconds:F2} |"));
        }

        Console.WriteLine(sb);
        string directory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{typeof(CsvConversionBenchmark).FullName}-report-github.md"), sb.ToString());
        return 0;
    }

    public static async Task<int> RunChildAsync(string[] arguments)
    {
        Result result = await MeasureAsync(long.Parse(arguments[0], CultureInfo.InvariantCulture), arguments.Length > 1 ? arguments[1] : "sqlite");
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<Result> MeasureInChildAsync(long count, string store)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        ProcessStartInfo start = new(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(CsvConversionBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add(ChildOption);
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(store);
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        Result? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<Result>(line[ResultPrefix.Length..]);
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        await child.WaitForExitAsync();
        return child.ExitCode == 0 && result is not null ? result : throw new InvalidOperationException($"The run of {count:N0} products failed (exit code {child.ExitCode}).");
    }

    private static async Task<Result> MeasureAsync(long products, string store)
    {
        string dir = Path.Combine(Path.GetTempPath(), "nextcart-csv-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "woocommerce-products.csv");
            long inputRows = Generate(input, products);

            // Baseline: the same file read and a Shopify-shaped file written with Sep alone, no connector and no engine.
            Stopwatch baseline = Stopwatch.StartNew();
            long baselineRows = SepOnly(input, Path.Combine(dir, "baseline.csv"));
            baseline.Stop();
            if (baselineRows != inputRows)
            {
                throw new InvalidOperationException($"The baseline read {baselineRows:N0} of {inputRows:N0} rows.");
            }

            // Read-only pass: the source alone.
            ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(input, new WooCommerceCsvOptions { PageSize = 1000 });
            Stopwatch read = Stopwatch.StartNew();
            long readCount = 0;
            await foreach (SourcePage page in source.ReadAsync(EntityType.Products, SourceQuery.All, null))
            {
                readCount += page.Records.Count;
            }

            read.Stop();
            if (readCount != products)
            {
                throw new InvalidOperationException($"The source read {readCount:N0} of {products:N0} products.");
            }

            // An aggressive full GC returns to the system what the generation and the baselines left in the heap, so the run
            // starts from a lean process, as a CLI run does (a plain GC.Collect() kept their memory committed: at 100k
            // products the run started ~50 MB higher than at 10k).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using Process self = Process.GetCurrentProcess();

            // The process's peak so far is the input generation's and the baselines'; it is reset (Linux: VmHWM) so that the
            // peak reported is the engine run's.
            long peakBefore = self.PeakWorkingSet64;
            bool peakReset = ResetPeakWorkingSet();
            self.Refresh();
            long startWorkingSet = self.WorkingSet64;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using CancellationTokenSource stop = new();
            Task<long> sampler = SampleAsync(stop.Token);
            TimeSpan cpuBefore = self.TotalProcessorTime;
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            Stopwatch watch = Stopwatch.StartNew();
            ICheckpointStore checkpoints = store == "inmemory" ? CheckpointStore.CreateInMemory() : SqliteCheckpointStore.Create($"Data Source={Path.Combine(dir, "checkpoints.db")}");
            await using MigrationManager manager = new(checkpoints);
            MigrationOperation run = await manager.StartAsync(
                new MigrationProject("csv-bench", source, ShopifyCsvConnectorFactory.CreateTarget(Path.Combine(dir, "out"), new ShopifyCsvOptions { BatchSize = 1000 })),
                new MigrationOptions { Mode = MigrationMode.Full, Entities = new HashSet<EntityType> { EntityType.Categories, EntityType.Products }, CreateRedirects = false });
            MigrationReport report = await run.WaitForCompletionAsync();
            watch.Stop();
            await stop.CancelAsync();
            long peakHeap = await sampler;

            // What the run still holds once it is over (the manager, its store and the target are alive): O(records) indexes show here.
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            TimeSpan pause = GC.GetTotalPauseDuration() - pauseBefore;
            string collections = string.Join('/', Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - collectionsBefore[g]).ToString(CultureInfo.InvariantCulture)));
            long retained = GC.GetTotalMemory(forceFullCollection: true);
            self.Refresh();
            TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
            if (report.Status != MigrationRunState.Completed)
            {
                throw new InvalidOperationException($"The engine ended {report.Status}: {report.Message}");
            }

            long outputRows = File.ReadLines(Path.Combine(dir, "out", "products.csv")).LongCount() - 1;
            long peakWorkingSet = self.PeakWorkingSet64;

            // Connectors without the engine, after the engine run so that the peaks above are the engine run's: the source's pages
            // written straight to the target (category references resolved from the category outcomes), then published. The
            // difference to the engine run is what the engine adds (checkpoint store, checksums, pipeline).
            Stopwatch connectors = Stopwatch.StartNew();
            await ConnectorsOnlyAsync(source, Path.Combine(dir, "connectors-only"));
            connectors.Stop();
            return new Result
            {
                Products = products, Store = store, CpuSeconds = cpu.TotalSeconds, BaselineSeconds = baseline.Elapsed.TotalSeconds, ConnectorsSeconds = connectors.Elapsed.TotalSeconds, InputRows = inputRows, OutputRows = outputRows, Seconds = watch.Elapsed.TotalSeconds, ReadSeconds = read.Elapsed.TotalSeconds,
                PeakWorkingSet = peakWorkingSet, PeakBefore = peakBefore, StartWorkingSet = startWorkingSet, PeakReset = peakReset, PeakHeap = peakHeap, Retained = retained, Allocated = allocated, GcPauseSeconds = pause.TotalSeconds, Collections = collections,
            };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ConnectorsOnlyAsync(ISourceConnector source, string directory)
    {
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(directory, new ShopifyCsvOptions { BatchSize = 1000 });
        Dictionary<EntityRef, ResolvedTarget> resolved = [];
        foreach (EntityType type in (EntityType[])[EntityType.Categories, EntityType.Products])
        {
            await foreach (SourcePage page in source.ReadAsync(type, SourceQuery.All, null))
            {
                TargetRecord[] records = [.. page.Records.Select(r => new TargetRecord(
                    r,
                    WriteAction.Create,
                    null,
                    r.GetReferences().Where(x => resolved.ContainsKey(x.Target)).DistinctBy(x => x.Target).ToDictionary(x => x.Target, x => resolved[x.Target])))];
                BatchOutcome outcome = await target.WriteAsync(type, records);
                if (type == EntityType.Categories)
                {
                    foreach (RecordOutcome result in outcome.Results)
                    {
                        resolved[new EntityRef(type, result.SourceId)] = new ResolvedTarget(result.TargetId!, result.TargetUrl);
                    }
                }
            }
        }

        await ((ITargetCompleter)target).CompleteAsync();
        (target as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Reads every row with Sep and writes a Shopify-shaped row (handle, title, option values, SKU, price, image) per input row:
    /// the floor any CSV → CSV conversion of this file pays, without canonical records, engine or journal.
    /// </summary>
    private static long SepOnly(string input, string output)
    {
        using SepReader reader = Sep.New(',').Reader(o => o with { HasHeader = true, DisableColCountCheck = true }).FromFile(input);
        using SepWriter writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(output);
        int name = reader.Header.IndexOf("Name");
        int sku = reader.Header.IndexOf("SKU");
        int parent = reader.Header.IndexOf("Parent");
        int price = reader.Header.IndexOf("Regular price");
        int images = reader.Header.IndexOf("Images");
        int value1 = reader.Header.IndexOf("Attribute 1 value(s)");
        int value2 = reader.Header.IndexOf("Attribute 2 value(s)");
        long rows = 0;
        foreach (SepReader.Row row in reader)
        {
            using SepWriter.Row written = writer.NewRow();
            written["Handle"].Set(row[parent].Span.Length > 0 ? row[parent].Span : row[sku].Span);
            written["Title"].Set(row[name].Span);
            written["Option1 Value"].Set(row[value1].Span);
            written["Option2 Value"].Set(row[value2].Span);
            written["Variant SKU"].Set(row[sku].Span);
            written["Variant Price"].Set(row[price].Span);
            written["Image Src"].Set(row[images].Span);
            rows++;
        }

        return rows;
    }

    /// <summary>
    /// Resets the process's peak resident set size (VmHWM, which <see cref="Process.PeakWorkingSet64"/> reads on Linux) by writing
    /// 5 to <c>/proc/self/clear_refs</c> (proc(5), Linux 4.0 and later).
    /// </summary>
    /// <returns><see langword="false"/> when it cannot be reset here (the peak then includes what ran before).</returns>
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Writes a WooCommerce export: even products simple, odd ones variable with 4 variations (Color × Size).</summary>
    private static long Generate(string path, long products)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true), 1 << 16);
        writer.Write("ID,Type,SKU,\"GTIN, UPC, EAN, or ISBN\",Name,Published,Is featured?,Visibility in catalog,Short description,Description,Date sale price starts,Date sale price ends,Tax status,Tax class,In stock?,Stock,Low stock amount,Backorders allowed?,Sold individually?,Weight (kg),Length (cm),Width (cm),Height (cm),Allow customer reviews?,Purchase note,Sale price,Regular price,Categories,Tags,Shipping class,Images,Download limit,Download expiry days,Parent,Grouped products,Upsells,Cross-sells,External URL,Button text,Position,Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,Attribute 1 global,Attribute 2 name,Attribute 2 value(s),Attribute 2 visible,Attribute 2 global\n");
        long rows = 0;
        long id = 1;
        string[] colors = ["Red", "Blue"];
        string[] sizes = ["S", "M"];
        for (long p = 0; p < products; p++)
        {
            long pid = id++;
            string category = $"\"Department {p % 5} > Aisle {p % 20}\"";
            if (p % 2 == 0)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{pid},simple,SKU-{pid},,Product {p},1,0,visible,Short text,\"A description\\nwith two lines\",,,taxable,,1,{p % 50},,0,0,0.5,10,10,2,1,,,{10 + (p % 90)}.99,{category},\"tag-a, tag-b\",,https://img.example/{pid}.jpg,,,,,,,,,{p},,,,,,,,\n"));
                rows++;
                continue;
            }

            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{pid},variable,SKU-{pid},,Product {p},1,0,visible,Short text,A variable product,,,taxable,,1,,,0,0,,,,,1,,,,{category},tag-v,,https://img.example/{pid}.jpg,,,,,,,,,{p},Color,\"Red, Blue\",1,1,Size,\"S, M\",1,0\n"));
            rows++;
            int position = 0;
            foreach (string color in colors)
            {
                foreach (string size in sizes)
                {
                    long vid = id++;
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{vid},variation,SKU-{pid}-{color}-{size},,Product {p} - {color}/{size},1,0,visible,,,,,taxable,,1,{position + 3},,0,0,0.6,,,,0,,,{20 + position}.00,,,,,,,SKU-{pid},,,,,,{position},Color,{color},,1,Size,{size},,0\n"));
                    rows++;
                    position++;
                }
            }
        }

        return rows;
    }

    private static async Task<long> SampleAsync(CancellationToken cancellationToken)
    {
        long peak = 0;
        using PeriodicTimer timer = new(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the run.
        }

        return Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
    }

    private sealed record Result
    {
        public long Products { get; init; }

        public string Store { get; init; } = string.Empty;

        public double CpuSeconds { get; init; }

        public double BaselineSeconds { get; init; }

        public double ConnectorsSeconds { get; init; }

        public long InputRows { get; init; }

        public long OutputRows { get; init; }

        public double Seconds { get; init; }

        public double ReadSeconds { get; init; }

        public long PeakWorkingSet { get; init; }

        public long PeakBefore { get; init; }

        public long StartWorkingSet { get; init; }

        public bool PeakReset { get; init; }

        public long PeakHeap { get; init; }

        public long Allocated { get; init; }

        public long Retained { get; init; }

        public double GcPauseSeconds { get; init; }

        public string Collections { get; init; } = string.Empty;
    }
}
