using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Sqlite.Internal;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sqlite.Tests.DependencyInjection;

public sealed class SqliteMigrationBuilderExtensionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task UseSqliteStore_ConnectionString_RegistersTheStoreAndDisposesItWithTheContainer()
    {
        ServiceCollection services = new();
        services.AddNextCartMigration().UseSqliteStore(_database.ConnectionString);

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            ICheckpointStore store = provider.GetRequiredService<ICheckpointStore>();
            Assert.IsType<SqliteStore>(store);
            Assert.Same(store, provider.GetRequiredService<ICheckpointStore>());
            await store.EnsureProjectAsync(new ProjectRecord("p1", "memory-source", "memory-target"));
            Assert.NotNull(provider.GetRequiredService<MigrationManager>());
        }

        // The container closed the file: a new store opens it and finds the project.
        await using SqliteStore reopened = (SqliteStore)SqliteCheckpointStore.Create(_database.ConnectionString);
        Assert.NotNull(await reopened.GetProjectAsync("p1"));
    }

    [Fact]
    public async Task UseSqliteStore_Options_AppliesThemAndIgnoresLaterChanges()
    {
        SqliteCheckpointStoreOptions? configured = null;
        ServiceCollection services = new();
        services.AddNextCartMigration().UseSqliteStore(options =>
        {
            configured = options;
            options.ConnectionString = _database.ConnectionString;
            options.Synchronous = SqliteSynchronousMode.Full;
            options.BusyTimeout = TimeSpan.FromSeconds(5);
        });
        configured!.ConnectionString = "Data Source=:memory:";

        await using ServiceProvider provider = services.BuildServiceProvider();
        ICheckpointStore store = provider.GetRequiredService<ICheckpointStore>();

        await store.EnsureProjectAsync(new ProjectRecord("p1", "memory-source", "memory-target"));
        Assert.True(File.Exists(_database.Path));
    }

    [Fact]
    public void UseSqliteStore_InvalidOptions_ThrowsAtRegistrationListingEveryProblem()
    {
        IMigrationBuilder builder = new ServiceCollection().AddNextCartMigration();

        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(
            () => builder.UseSqliteStore(options => options.MaxPooledConnections = -1));

        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains("ConnectionString is required", ex.Errors[0], StringComparison.Ordinal);
        Assert.Contains("MaxPooledConnections is -1", ex.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqliteStore_NullArguments_ThrowArgumentNullException()
    {
        IMigrationBuilder builder = new ServiceCollection().AddNextCartMigration();

        Assert.Throws<ArgumentNullException>(() => builder.UseSqliteStore((string)null!));
        Assert.Throws<ArgumentNullException>(() => builder.UseSqliteStore((Action<SqliteCheckpointStoreOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => ((IMigrationBuilder)null!).UseSqliteStore("Data Source=x.db"));
    }

    [Fact]
    public async Task StartAsync_FullMigrationOnSqlite_EveryProductAndOrderLandsExactlyOnce()
    {
        SampleStore sample = SampleStoreGenerator.Generate();
        InMemoryTargetConnector target = new();
        ServiceCollection services = new();
        services.AddNextCartMigration().UseSqliteStore(_database.ConnectionString);
        await using ServiceProvider provider = services.BuildServiceProvider();
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        MigrationProject project = new("sqlite-e2e", new InMemorySourceConnector(sample), target);

        MigrationOperation run = await manager.StartAsync(project, new MigrationOptions { Mode = MigrationMode.Full, DefaultCustomerGroup = CustomerGroups.General });
        MigrationReport report = await run.WaitForCompletionAsync();

        Assert.Contains(report.Status, new[] { MigrationRunState.Completed, MigrationRunState.CompletedWithErrors });
        foreach (EntityType type in new[] { EntityType.Products, EntityType.Orders })
        {
            Assert.Equal(sample.Count(type), await provider.GetRequiredService<ICheckpointStore>().CountMappedAsync(project.ProjectId, type));
            foreach (string sourceId in sample.Get(type).Select(e => e.SourceId))
            {
                Assert.Equal(1, target.CountBySourceId(type, sourceId));
            }
        }
    }
}
