using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace NextCart.Migration.Internal;

/// <summary>The engine's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>NextCart.Migration</c>.</summary>
internal sealed class MigrationTelemetry : IDisposable
{
    public const string Name = "NextCart.Migration";

    private static readonly string? Version = typeof(MigrationTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource ActivitySource = new(Name, Version);

    private readonly Meter _meter;

    public MigrationTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(Name, Version) ?? new Meter(Name, Version);
        RecordsMigrated = _meter.CreateCounter<long>("migration.records.migrated", "{record}", "Records created or updated on the target.");
        RecordsFailed = _meter.CreateCounter<long>("migration.records.failed", "{record}", "Records that failed.");
        Retries = _meter.CreateCounter<long>("migration.retries", "{retry}", "Transient failures retried.");
        ThrottledWaits = _meter.CreateCounter<long>("migration.throttled_waits", "{wait}", "Waits imposed by a rate limit.");
        PointsCharged = _meter.CreateCounter<double>("migration.points.charged", "{point}", "Entity Points charged.");
        BatchDuration = _meter.CreateHistogram<double>("migration.batch.duration", "s", "Duration of a target batch write.");
        PageDuration = _meter.CreateHistogram<double>("migration.page.duration", "s", "Duration of a source page read.");
    }

    public Counter<long> RecordsMigrated { get; }

    public Counter<long> RecordsFailed { get; }

    public Counter<long> Retries { get; }

    public Counter<long> ThrottledWaits { get; }

    public Counter<double> PointsCharged { get; }

    public Histogram<double> BatchDuration { get; }

    public Histogram<double> PageDuration { get; }

    public void Dispose() => _meter.Dispose();
}
