using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// Peak memory of one engine run over N simple records (customers), each N in a fresh process, since BenchmarkDotNet
/// does not report peak working set. The source generates records page by page and the target keeps nothing, so what
/// grows with N is the engine's: its pipeline (which should stay flat) and the in-memory store's ID map (one row per
/// record, which cannot).
/// </summary>
/// <remarks>
/// <para><c>--store sqlite</c> (after <c>--memory</c>) runs the same with the SQLite store, the durable default, on a file
/// in a temporary directory; <c>--store memory</c> (the default) with the in-memory store. <c>--mmap BYTES</c> sets the
/// SQLite store's <c>MemoryMapSize</c> (default 0): the pages of a memory-mapped database file that the run touches
/// count in the process's working set, so <c>--mmap 1073741824</c> shows what a 1 GiB map adds to it.</para>
/// <para><c>--memory N</c> measures one run in this process. <c>--memory N1 N2 ...</c> measures each N in a child process,
/// prints a table whose first row is the baseline, and writes it to
/// <c>BenchmarkDotNet.Artifacts/results/NextCart.Migration.Benchmarks.FlatMemoryBenchmark-report-github.md</c>.</para>
/// <para>It is not a BenchmarkDotNet class (it has no <c>[Benchmark]</c> method), so <c>--filter '*'</c> does not run it.</para>
/// </remarks>
public static class FlatMemoryBenchmark
{
    public const string Option = "--memory";
    public const string ChildOption = "--memory-child";
    public const string StoreOption = "--store";
    public const string MemoryMapOption = "--mmap";

    /// <summary>Gets or sets the SQLite store's memory-map size for this process, or <see langword="null"/> for its default.</summary>
    private static long? SqliteMemoryMap { get; set; }
    private const string ResultPrefix = "FLATMEMORY-RESULT ";
    private const double Mb = 1024 * 1024;
    private const double Goal = 1.25;
    private static readonly long[] DefaultCounts = [100_000, 1_000_000];
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Runs the memory mode with the arguments that follow <c>--memory</c>.</summary>
    public static async Task<int> RunAsync(string[] arguments)
    {
        (StoreKind store, arguments) = ParseStore(arguments);
        long[] counts = arguments.Length == 0 ? DefaultCounts : [.. arguments.Select(a => long.Parse(a.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))];
        if (counts.Length == 1)
        {
            Measurement single = await MeasureAsync(counts[0], store);
            Console.WriteLine(Report([single], store));
            return 0;
        }

        List<Measurement> measurements = [];
        foreach (long count in counts)
        {
            Console.WriteLine($"// FlatMemoryBenchmark: {count:N0} records in a fresh process...");
            measurements.Add(await MeasureInChildAsync(count, store));
        }

        string report = Report(measurements, store);
        Console.WriteLine();
        Console.WriteLine(report);
        string directory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(directory);
        string suffix = store == StoreKind.InMemory ? string.Empty : "." + store + (SqliteMemoryMap is { } m ? ".mmap" + m.ToString(CultureInfo.InvariantCulture) : string.Empty);
        string file = Path.Combine(directory, $"{typeof(FlatMemoryBenchmark).FullName}{suffix}-report-github.md");
        await File.WriteAllTextAsync(file, report);
        Console.WriteLine($"// Report written to {Path.GetFullPath(file)}");
        return 0;
    }

    /// <summary>Runs one measurement in this (child) process and prints it for the parent.</summary>
    public static async Task<int> RunChildAsync(string[] arguments)
    {
        (StoreKind store, arguments) = ParseStore(arguments);
        Measurement measurement = await MeasureAsync(long.Parse(arguments[0], CultureInfo.InvariantCulture), store);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(measurement, Json));
        return 0;
    }

    /// <summary>Takes <c>--store memory|sqlite</c> out of the arguments.</summary>
    private static (StoreKind Store, string[] Remaining) ParseStore(string[] arguments)
    {
        int mmapAt = Array.IndexOf(arguments, MemoryMapOption);
        if (mmapAt >= 0)
        {
            SqliteMemoryMap = long.Parse(arguments[mmapAt + 1], CultureInfo.InvariantCulture);
            arguments = [.. arguments[..mmapAt], .. arguments[(mmapAt + 2)..]];
        }

        int at = Array.IndexOf(arguments, StoreOption);
        if (at < 0)
        {
            return (StoreKind.InMemory, arguments);
        }

        if (at + 1 >= arguments.Length)
        {
            throw new ArgumentException($"{StoreOption} needs a value: memory or sqlite.");
        }

        StoreKind store = arguments[at + 1].ToUpperInvariant() switch
        {
            "MEMORY" or "INMEMORY" => StoreKind.InMemory,
            "SQLITE" => StoreKind.Sqlite,
            _ => throw new ArgumentException($"Unknown store '{arguments[at + 1]}': use memory or sqlite."),
        };
        return (store, [.. arguments[..at], .. arguments[(at + 2)..]]);
    }

    private static async Task<Measurement> MeasureInChildAsync(long count, StoreKind store)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        ProcessStartInfo start = new(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(FlatMemoryBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add(ChildOption);
        start.ArgumentList.Add(StoreOption);
        start.ArgumentList.Add(store.ToString());
        if (SqliteMemoryMap is { } mmap)
        {
            start.ArgumentList.Add(MemoryMapOption);
            start.ArgumentList.Add(mmap.ToString(CultureInfo.InvariantCulture));
        }

        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        Measurement? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<Measurement>(line[ResultPrefix.Length..], Json);
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        await child.WaitForExitAsync();
        return child.ExitCode == 0 && result is not null
            ? result
            : throw new InvalidOperationException($"The measurement of {count:N0} records failed (exit code {child.ExitCode}).");
    }

    private static async Task<Measurement> MeasureAsync(long count, StoreKind store)
    {
        string? directory = store == StoreKind.Sqlite ? Directory.CreateTempSubdirectory("nextcart-flat-").FullName : null;
        try
        {
            return await MeasureAsync(count, directory);
        }
        finally
        {
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Measures one run; with a <paramref name="sqliteDirectory"/>, on a SQLite store in it, otherwise in memory.</summary>
    private static async Task<Measurement> MeasureAsync(long count, string? sqliteDirectory)
    {
        using Process self = Process.GetCurrentProcess();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        self.Refresh();
        long workingSetBefore = self.WorkingSet64;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using CancellationTokenSource stopSampling = new();
        Task<(long Heap, long Private)> sampler = SamplePeaksAsync(stopSampling.Token);
        Stopwatch watch = Stopwatch.StartNew();
        StrongBox<ICheckpointStore?> box = new();
        long written = await RunEngineAsync(count, sqliteDirectory, box);
        watch.Stop();
        await stopSampling.CancelAsync();
        (long peakHeap, long peakPrivate) = await sampler;

        self.Refresh();
        long peakWorkingSet = self.PeakWorkingSet64;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long mappedRows = await box.Value!.CountMappedAsync(ManualMigration.ProjectId, EntityType.Customers);
        WeakReference released = new(box.Value);
        long heapWithStore = GC.GetTotalMemory(forceFullCollection: true);
        if (box.Value is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        box.Value = null;

        // The engine's background task may still be unwinding on a pool thread when the wait returns; give it a moment.
        long heapWithoutStore = GC.GetTotalMemory(forceFullCollection: true);
        for (int attempt = 0; released.IsAlive && attempt < 100; attempt++)
        {
            await Task.Delay(10);
            heapWithoutStore = GC.GetTotalMemory(forceFullCollection: true);
        }

        if (released.IsAlive)
        {
            throw new InvalidOperationException("The checkpoint store is still referenced after the run; its size cannot be measured.");
        }

        if (written != count || mappedRows != count)
        {
            throw new InvalidOperationException($"The engine wrote {written:N0} and mapped {mappedRows:N0} of {count:N0} records.");
        }

        return new Measurement
        {
            Records = count,
            Seconds = watch.Elapsed.TotalSeconds,
            WorkingSetBefore = workingSetBefore,
            PeakWorkingSet = peakWorkingSet,
            HeapBefore = heapBefore,
            PeakHeap = peakHeap,
            PeakPrivate = peakPrivate,
            RetainedByStore = heapWithStore - heapWithoutStore,
            Allocated = allocated,
        };
    }

    /// <summary>Runs the engine once; the store is handed out in <paramref name="box"/>, so the caller alone keeps it alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<long> RunEngineAsync(long count, string? sqliteDirectory, StrongBox<ICheckpointStore?> box)
    {
        ICheckpointStore store = sqliteDirectory is null
            ? CheckpointStore.CreateInMemory()
            : Sqlite.SqliteCheckpointStore.Create(new Sqlite.SqliteCheckpointStoreOptions
            {
                ConnectionString = $"Data Source={Path.Combine(sqliteDirectory, "checkpoints.db")}",
                MemoryMapSize = SqliteMemoryMap ?? new Sqlite.SqliteCheckpointStoreOptions().MemoryMapSize,
            });
        box.Value = store;
        CountingTargetConnector target = new();
        await using MigrationManager manager = new(store);
        MigrationOperation run = await manager.StartAsync(
            new MigrationProject(ManualMigration.ProjectId, new GeneratedCustomerSource(count), target),
            new MigrationOptions { Mode = MigrationMode.Full, Entities = new HashSet<EntityType> { EntityType.Customers }, CreateRedirects = false });
        MigrationReport report = await run.WaitForCompletionAsync();
        if (report.Status != MigrationRunState.Completed)
        {
            throw new InvalidOperationException($"The engine ended {report.Status}: {report.Message}");
        }

        return target.Written;
    }

    /// <summary>
    /// Samples the managed heap size and the process's private resident memory every 10 ms; returns the largest of each.
    /// Private resident memory is Linux's <c>RssAnon</c> (<c>/proc/self/status</c>): the resident pages the process owns, without
    /// file-backed pages such as a memory-mapped database file, which the working set also counts. 0 where it is not available.
    /// </summary>
    private static async Task<(long Heap, long Private)> SamplePeaksAsync(CancellationToken cancellationToken)
    {
        long peak = 0;
        long peakPrivate = 0;
        using PeriodicTimer timer = new(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                peakPrivate = Math.Max(peakPrivate, ReadPrivateResident());
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the run.
        }

        return (Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false)), Math.Max(peakPrivate, ReadPrivateResident()));
    }

    /// <summary>Reads <c>RssAnon</c> from <c>/proc/self/status</c>, in bytes; 0 where the file does not exist.</summary>
    private static long ReadPrivateResident()
    {
        const string Path = "/proc/self/status";
        if (!File.Exists(Path))
        {
            return 0;
        }

        foreach (string line in File.ReadLines(Path))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                // "RssAnon:	   12345 kB"
                string value = line["RssAnon:".Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static string Report(IReadOnlyList<Measurement> measurements, StoreKind store)
    {
        string storeText = store == StoreKind.Sqlite
            ? $"SQLite checkpoint store (a file in a temporary directory, WAL, synchronous=NORMAL, mmap_size={SqliteMemoryMap?.ToString(CultureInfo.InvariantCulture) ?? "default (0)"})"
            : "in-memory checkpoint store";
        Measurement baseline = measurements[0];
        StringBuilder text = new();
        text.AppendLine("```");
        text.AppendLine(CultureInfo.InvariantCulture, $"FlatMemoryBenchmark: one engine run (Full, customers only) per fresh process");
        text.AppendLine(CultureInfo.InvariantCulture, $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} logical cores");
        text.AppendLine(CultureInfo.InvariantCulture, $"GC: {(GCSettings.IsServerGC ? "Server" : "Workstation")}, {GCSettings.LatencyMode}; source generated page by page (100/page), counting target, {storeText}");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("| Records | Time | Peak working set | Ratio | Peak private resident (sampled) | Ratio (private) | Peak GC heap (sampled) | ID map retained | Per mapped row | Peak WS − ID map | Ratio (excl. ID map) | Allocated |");
        text.AppendLine("|--------:|-----:|-----------------:|------:|--------------------------------:|----------------:|-----------------------:|----------------:|---------------:|-----------------:|---------------------:|----------:|");
        foreach (Measurement m in measurements)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {m.Records:N0} | {m.Seconds:N2} s | {m.PeakWorkingSet / Mb:N1} MB | {(double)m.PeakWorkingSet / baseline.PeakWorkingSet:N2} | {m.PeakPrivate / Mb:N1} MB | {(baseline.PeakPrivate == 0 ? "n/a" : ((double)m.PeakPrivate / baseline.PeakPrivate).ToString("N2", CultureInfo.InvariantCulture))} | {m.PeakHeap / Mb:N1} MB | {m.RetainedByStore / Mb:N1} MB | {(double)m.RetainedByStore / m.Records:N0} B | {m.PeakWithoutStore / Mb:N1} MB | {(double)m.PeakWithoutStore / baseline.PeakWithoutStore:N2} | {m.Allocated / Mb:N0} MB |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Ratio: peak working set / the first row's (goal <= {Goal:N2}). Peak private resident: Linux RssAnon, sampled every 10 ms: the resident memory the process owns, without file-backed pages (a memory-mapped database file counts in the working set, not here). ID map retained: managed heap held by the checkpoint store after the run (full GC with the store alive minus full GC after it is released): the ID map, one row per record. Peak WS − ID map: peak working set minus that, an estimate of the pipeline's own peak. Process working set before the run: {baseline.WorkingSetBefore / Mb:N1} MB (runtime and code).");
        return text.ToString();
    }

    /// <summary>The result of one run.</summary>
    public sealed record Measurement
    {
        public long Records { get; init; }

        public double Seconds { get; init; }

        public long WorkingSetBefore { get; init; }

        public long PeakWorkingSet { get; init; }

        public long HeapBefore { get; init; }

        public long PeakHeap { get; init; }

        public long PeakPrivate { get; init; }

        public long RetainedByStore { get; init; }

        public long Allocated { get; init; }

        public long PeakWithoutStore => PeakWorkingSet - RetainedByStore;
    }
}
