using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Tests.DependencyInjection;

public class MigrationServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddNextCartMigration_Defaults_ResolvesSingletonManagerWithInMemoryStore()
    {
        ServiceCollection services = new();
        IMigrationBuilder builder = services.AddNextCartMigration();
        await using ServiceProvider provider = services.BuildServiceProvider();

        MigrationManager manager = provider.GetRequiredService<MigrationManager>();

        Assert.Same(services, builder.Services);
        Assert.Same(manager, provider.GetRequiredService<MigrationManager>());
        Assert.Same(provider.GetRequiredService<ICheckpointStore>(), manager.Store);
    }

    [Fact]
    public void AddNextCartMigration_InvalidOptions_ReportsEveryProblemOnResolve()
    {
        ServiceCollection services = new();
        services.AddNextCartMigration(o => o.MaxRetries = -1).Configure((o, _) => o.ChannelCapacity = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(() => provider.GetRequiredService<MigrationManager>());

        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public async Task UseCheckpointStore_ReplacesTheDefaultStore()
    {
        ICheckpointStore custom = CheckpointStore.CreateInMemory();
        ServiceCollection services = new();
        services.AddNextCartMigration().UseCheckpointStore(_ => custom);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredService<MigrationManager>().Store);
    }
}
