using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Tests.Engine;

/// <summary>The pipeline holds a bounded number of records (<see cref="MigrationManagerOptions.MaxRecordsInFlight"/>).</summary>
public sealed class RecordsInFlightTests
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Customers = 300 });

    private static MigrationOptions Options() => new() { Entities = new HashSet<EntityType> { EntityType.Customers }, DefaultCustomerGroup = CustomerGroups.General };

    [Fact]
    public async Task StartAsync_TargetHeld_ReadsOnlyThePagesTheBoundAdmits()
    {
        TaskCompletionSource firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        InMemorySourceConnector source = new(Sample) { PageSize = 10 };
        InMemoryTargetConnector target = new()
        {
            BeforeWrite = async (_, cancellationToken) =>
            {
                firstWrite.TrySetResult();
                await release.Task.WaitAsync(cancellationToken);
            },
        };
        target.SetLimits(EntityType.Customers, new TargetLimits { MaxBatchSize = 5, MaxConcurrency = 1 });
        await using MigrationManager manager = new(CheckpointStore.CreateInMemory(), new MigrationManagerOptions { MaxRecordsInFlight = 20 });

        MigrationOperation operation = await manager.StartAsync(new MigrationProject("in-flight", source, target), Options());
        await firstWrite.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // With the target held, the bound (20 records: two pages of 10) stops the reader; the channels alone, sized in
        // pages and batches, would let it read about ten pages. Give the reader ample opportunity to overrun before checking.
        for (int i = 0; i < 20 && source.PagesRead <= 2; i++)
        {
            await Task.Delay(25);
        }

        long pagesWhileHeld = source.PagesRead;
        release.SetResult();
        MigrationReport report = await operation.WaitForCompletionAsync();

        Assert.Equal(2, pagesWhileHeld);
        EntityReport customers = report.Entities.Single(e => e.Type == EntityType.Customers);
        Assert.Equal(Sample.Count(EntityType.Customers), customers.Total);
        Assert.Equal(Sample.Count(EntityType.Customers), customers.Migrated + customers.Failed);
    }

    [Fact]
    public async Task StartAsync_PagesLargerThanTheBound_MigratesEveryRecord()
    {
        InMemorySourceConnector source = new(Sample) { PageSize = 50 };
        InMemoryTargetConnector target = new();
        target.SetLimits(EntityType.Customers, new TargetLimits { MaxBatchSize = 7, MaxConcurrency = 3 });
        await using MigrationManager manager = new(CheckpointStore.CreateInMemory(), new MigrationManagerOptions { MaxRecordsInFlight = 1 });

        MigrationOperation operation = await manager.StartAsync(new MigrationProject("small-bound", source, target), Options());
        MigrationReport report = await operation.WaitForCompletionAsync();

        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, report.Status.ToString());
        EntityReport customers = report.Entities.Single(e => e.Type == EntityType.Customers);
        Assert.Equal(Sample.Count(EntityType.Customers), customers.Total);
        Assert.Equal(Sample.Count(EntityType.Customers), customers.Migrated + customers.Failed);
    }
}
