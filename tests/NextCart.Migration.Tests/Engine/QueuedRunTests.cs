using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Tests.Engine;

/// <summary>Queued runs (<see cref="MigrationManager.QueueAsync"/>) and pause reasons.</summary>
public sealed class QueuedRunTests
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Products = 30, Customers = 20, Orders = 40 });

    private static MigrationOptions Options() => new() { MaxBatchSize = 10, DefaultCustomerGroup = CustomerGroups.General };

    [Fact]
    public async Task QueueAsync_ValidOptions_StoresQueuedRunWithoutCallingTheConnectors()
    {
        ICheckpointStore store = CheckpointStore.CreateInMemory();
        InMemorySourceConnector source = new(Sample);
        InMemoryTargetConnector target = new();
        await using MigrationManager manager = new(store);
        MigrationProject project = new("queued", source, target) { Settings = new Dictionary<string, string> { ["url"] = "https://a.example" } };

        string runId = await manager.QueueAsync(project, Options());

        RunRecord? run = await store.GetRunAsync(runId);
        Assert.NotNull(run);
        Assert.Equal(MigrationRunState.Queued, run.State);
        Assert.NotNull(run.OptionsJson);
        ProjectRecord? stored = await store.GetProjectAsync("queued");
        Assert.Equal("https://a.example", stored!.Settings["url"]);
        Assert.Equal(0, source.ReadCalls);
        Assert.Equal(0, target.WriteCalls);
        Assert.Null(run.StartedAt);
    }

    [Fact]
    public async Task QueueAsync_InvalidOptions_ThrowsConfigurationExceptionAndStoresNothing()
    {
        ICheckpointStore store = CheckpointStore.CreateInMemory();
        await using MigrationManager manager = new(store);
        MigrationProject project = new("bad", new InMemorySourceConnector(Sample), new InMemoryTargetConnector());

        await Assert.ThrowsAsync<MigrationConfigurationException>(() => manager.QueueAsync(project, new MigrationOptions { DemoSize = -1 }));

        Assert.Empty(await store.ListRunsAsync(null));
    }

    [Fact]
    public async Task ResumeAsync_QueuedRun_RunsAsNewRunIncludingTheTargetClear()
    {
        ICheckpointStore store = CheckpointStore.CreateInMemory();
        InMemoryTargetConnector target = new();
        await using MigrationManager manager = new(store);
        MigrationProject project = new("queued-run", new InMemorySourceConnector(Sample), target);
        MigrationOptions options = Options();
        options.ClearTargetTypes = new HashSet<EntityType> { EntityType.Products };
        string runId = await manager.QueueAsync(project, options);

        MigrationOperation operation = await manager.ResumeAsync(project, runId);
        MigrationReport report = await operation.WaitForCompletionAsync();

        // The sample store holds deliberately broken records, so the run may end with errors; it must end, as a new run.
        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, report.Status.ToString());
        Assert.Equal(1, target.ClearCount);
        Assert.Equal(Sample.Count(EntityType.Products), target.GetRecords(EntityType.Products).Count);
        Assert.Equal(report.Status, (await store.GetRunAsync(runId))!.State);
    }

    [Fact]
    public async Task PauseAsync_WithReason_RecordsTheReasonAsTheRunMessage()
    {
        ICheckpointStore store = CheckpointStore.CreateInMemory();
        InMemoryTargetConnector target = new() { BatchLatency = TimeSpan.FromMilliseconds(50) };
        await using MigrationManager manager = new(store);
        MigrationProject project = new("paused", new InMemorySourceConnector(Sample), target);
        MigrationOperation operation = await manager.StartAsync(project, Options());

        await operation.PauseAsync("Paused by host shutdown.");
        MigrationReport report = await operation.WaitForCompletionAsync();

        Assert.Equal(MigrationRunState.Paused, report.Status);
        Assert.Equal("Paused by host shutdown.", report.Message);
        Assert.Equal("Paused by host shutdown.", (await store.GetRunAsync(operation.RunId))!.Message);

        await operation.ResumeAsync();
        MigrationReport resumed = await operation.WaitForCompletionAsync();
        Assert.True(resumed.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, resumed.Status.ToString());
        Assert.Null(resumed.Message);
    }

    [Fact]
    public void MigrationRunStates_Queued_IsResumableAndNotStopped()
    {
        Assert.True(MigrationRunState.Queued.IsResumable());
        Assert.False(MigrationRunState.Queued.IsStopped());
    }
}
