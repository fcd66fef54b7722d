using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NextCart.Migration.Benchmarks;

/// <summary>A numeric column computed from a benchmark's report, shown after the built-in columns.</summary>
internal abstract class ComputedColumn : IColumn
{
    protected ComputedColumn(string name, string legend)
    {
        ColumnName = name;
        Legend = legend;
    }

    public string Id => GetType().Name + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => Compute(summary, benchmarkCase) ?? "?";

    public override string ToString() => ColumnName;

    protected abstract string? Compute(Summary summary, BenchmarkCase benchmarkCase);

    /// <summary>Gets the mean time of a case, in seconds.</summary>
    protected static double? MeanSeconds(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.ResultStatistics?.Mean is { } nanoseconds ? nanoseconds / 1e9 : null;

    protected static long? AllocatedBytes(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);

    protected static BenchmarkCase? Baseline(Summary summary, BenchmarkCase benchmarkCase)
        => summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Baseline
            && c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo
            && c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
}

/// <summary>The allocation per record beyond the baseline's: (allocated − baseline allocated) / records.</summary>
internal sealed class ExtraAllocationPerRecordColumn : ComputedColumn
{
    private readonly int _records;

    public ExtraAllocationPerRecordColumn(int records)
        : base("Extra alloc/record", $"(Allocated - baseline Allocated) / {records:N0} records, in bytes: what the implementation allocates beyond the baseline")
        => _records = records;

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (Baseline(summary, benchmarkCase) is not { } baseline || AllocatedBytes(summary, benchmarkCase) is not { } allocated || AllocatedBytes(summary, baseline) is not { } baselineAllocated)
        {
            return null;
        }

        return ((double)(allocated - baselineAllocated) / _records).ToString("N0", CultureInfo.InvariantCulture) + " B";
    }
}

/// <summary>Records per second from the mean time, and as a fraction of the theoretical maximum throughput.</summary>
internal sealed class ThroughputColumn : ComputedColumn
{
    private readonly string _recordsParameter;
    private readonly double _theoreticalMax;
    private readonly bool _asFraction;

    private ThroughputColumn(string name, string legend, string recordsParameter, double theoreticalMax, bool asFraction)
        : base(name, legend)
    {
        _recordsParameter = recordsParameter;
        _theoreticalMax = theoreticalMax;
        _asFraction = asFraction;
    }

    /// <summary>Creates the column of records per second; the number of records is the benchmark parameter named <paramref name="recordsParameter"/>.</summary>
    public static ThroughputColumn RecordsPerSecond(string recordsParameter)
        => new("Records/s", $"{recordsParameter} / Mean", recordsParameter, 0, asFraction: false);

    /// <summary>Creates the column of the fraction of the theoretical maximum throughput.</summary>
    public static ThroughputColumn OfTheoreticalMax(string recordsParameter, double theoreticalMax)
        => new("Of max", $"Records/s as a fraction of the theoretical maximum of {theoreticalMax:N0} records/s", recordsParameter, theoreticalMax, asFraction: true);

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (MeanSeconds(summary, benchmarkCase) is not { } seconds || seconds <= 0 || benchmarkCase.Parameters[_recordsParameter] is not int records)
        {
            return null;
        }

        double rate = records / seconds;
        return _asFraction
            ? (rate / _theoreticalMax).ToString("P1", CultureInfo.InvariantCulture)
            : rate.ToString("N0", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Measures the CPU time the whole process spends in each invocation (every thread, the GC's included), which the load of
/// other processes on a shared machine inflates far less than wall time: on a machine whose cores are busy elsewhere, a
/// pipeline cannot overlap its stages, so wall time mostly measures the scheduler.
/// </summary>
/// <remarks>
/// Benchmarks call <see cref="Start"/> first thing in the workload, not in their iteration setup: BenchmarkDotNet forces a
/// garbage collection between the two, which would be charged to the case (14–20 ms of CPU per 1-ms lookup with the
/// in-memory store's million entries on the heap). They call <see cref="Stop"/> first thing in their cleanup.
/// </remarks>
internal static class CpuMeter
{
    private static readonly Dictionary<string, List<double>> Samples = [];
    private static TimeSpan _started;

    public static void Start() => _started = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    public static void Stop(string benchmark, int operations = 1)
    {
        double milliseconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _started).TotalMilliseconds / operations;
        lock (Samples)
        {
            if (!Samples.TryGetValue(benchmark, out List<double>? list))
            {
                Samples[benchmark] = list = [];
            }

            list.Add(milliseconds);
        }
    }

    /// <summary>Gets the median CPU time of a benchmark's invocations (warm-ups included), in milliseconds.</summary>
    public static double? Median(string benchmark)
    {
        lock (Samples)
        {
            if (!Samples.TryGetValue(benchmark, out List<double>? list) || list.Count == 0)
            {
                return null;
            }

            double[] sorted = [.. list.Order()];
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}

/// <summary>The median CPU time of an invocation, from <see cref="CpuMeter"/>, and its ratio to the baseline's.</summary>
internal sealed class CpuTimeColumn : ComputedColumn
{
    private readonly bool _ratio;

    private CpuTimeColumn(string name, string legend, bool ratio)
        : base(name, legend)
        => _ratio = ratio;

    public static CpuTimeColumn Time { get; } = new("CPU time", "Median CPU time of this process per operation (all threads, GC included; not a database server's), in ms", ratio: false);

    public static CpuTimeColumn Ratio { get; } = new("CPU ratio", "CPU time / the baseline's CPU time", ratio: true);

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (CpuMeter.Median(Key(benchmarkCase)) is not { } cpu)
        {
            return null;
        }

        if (!_ratio)
        {
            return cpu.ToString(cpu < 10 ? "N2" : "N0", CultureInfo.InvariantCulture) + " ms";
        }

        return Baseline(summary, benchmarkCase) is { } baseline && CpuMeter.Median(Key(baseline)) is { } baselineCpu && baselineCpu > 0
            ? (cpu / baselineCpu).ToString("N2", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Gets the key a benchmark records its samples under: its method name (suites with parameters do not use the meter).</summary>
    public static string Key(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.Name;
}
