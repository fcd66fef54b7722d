using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Tests.Engine;

/// <summary>Every issue a run commits is logged once, whichever stage found it.</summary>
public sealed class IssueLoggingTests
{
    [Fact]
    public async Task StartAsync_FailuresAndWarningsFromEveryStage_EachLoggedOnceWithItsSourceId()
    {
        SampleStore sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Orders = 40, Customers = 20, Products = 20 });
        string rejected = sample.Get<Order>().SelectMany(o => o.Lines).First(l => l.ProductId is not null).ProductId!;
        InMemoryTargetConnector target = new() { RejectRecord = e => e is Product && e.SourceId == rejected ? "The target refuses this product." : null };
        target.MarkUnsupported(EntityType.Reviews, "The target has no review API.");
        using FakeLoggerProvider logs = new();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        MigrationManager manager = new(CheckpointStore.CreateInMemory(), new MigrationManagerOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, loggerFactory);
        MigrationProject project = new("logging", new InMemorySourceConnector(sample), target);

        MigrationOperation operation = await manager.StartAsync(project, new MigrationOptions { MaxBatchSize = 20, DefaultCustomerGroup = CustomerGroups.General });
        MigrationReport report = await operation.WaitForCompletionAsync();

        IReadOnlyList<FakeLogRecord> records = logs.Collector.GetSnapshot();
        string[] failed = [.. records.Where(r => r.Id.Id == MigrationEventId.RecordFailed).Select(r => r.Message)];
        string[] warned = [.. records.Where(r => r.Id.Id == MigrationEventId.RecordWarning).Select(r => r.Message)];

        // Failures found by the target (the rejected product, the sample's duplicate e-mails); warnings found by the mapper
        // (the reviews the target lacks), the reference resolver (orders whose product was not migrated) and the deferred
        // link pass (links to the rejected product): each committed issue is one log line, whichever stage found it.
        Assert.Contains(report.Failures, f => f.EntityType == EntityType.Products && f.SourceId == rejected);
        Assert.Contains(report.WarningCounts, w => w.Type == EntityType.Orders && w.Category == FailureCategory.Validation);
        Assert.Contains(report.WarningCounts, w => w.Type == EntityType.Products && w.Category == FailureCategory.Validation);
        Assert.Equal(report.Failures.Count, failed.Length);
        Assert.All(report.Failures, f => Assert.Single(failed, m => m.Contains($"{f.EntityType} {f.SourceId} failed ({f.Category}): {f.Message}", StringComparison.Ordinal)));
        long reviews = Assert.Single(report.WarningCounts, w => w.Type == EntityType.Reviews).Count;
        Assert.True(reviews > 0);
        Assert.Equal(warned.Length, warned.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(report.WarningCounts.Sum(w => w.Count), warned.Length);
        Assert.Equal(reviews, warned.Count(m => m.Contains("Reviews", StringComparison.Ordinal) && m.Contains("The target has no review API.", StringComparison.Ordinal)));
    }
}
