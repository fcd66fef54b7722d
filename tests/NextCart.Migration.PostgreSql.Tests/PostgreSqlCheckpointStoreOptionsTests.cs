using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.PostgreSql.Internal;
using Npgsql;

namespace NextCart.Migration.PostgreSql.Tests;

/// <summary>Options, factory and DI registration: none of these needs a server (the schema is created on first use).</summary>
public sealed class PostgreSqlCheckpointStoreOptionsTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none";

    [Fact]
    public void Ctor_Ok()
    {
        PostgreSqlCheckpointStoreOptions options = new();

        Assert.Equal("nextcart", options.SchemaName);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CommandTimeout);
        Assert.Equal(PostgreSqlCommitDurability.Asynchronous, options.CommitDurability);
        Assert.Equal(1, options.MaxLookupParallelism);
        Assert.Empty(PostgreSqlOptionsValidation.Validate(options));
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsListingEveryProblem()
    {
        PostgreSqlCheckpointStoreOptions options = new() { SchemaName = "nextcart; DROP TABLE x", CommandTimeout = TimeSpan.Zero, CommitDurability = (PostgreSqlCommitDurability)7, MaxLookupParallelism = 0 };

        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(() => PostgreSqlCheckpointStore.Create(ConnectionString, options));

        Assert.Equal(
            [
                "PostgreSqlCheckpointStoreOptions: SchemaName 'nextcart; DROP TABLE x' is not a plain identifier; use a letter or underscore, then letters, digits or underscores, at most 63 characters.",
                "PostgreSqlCheckpointStoreOptions: CommandTimeout is 00:00:00; it must be between 00:00:01 and 1.00:00:00.",
                "PostgreSqlCheckpointStoreOptions: CommitDurability is '7'; it must be Asynchronous or Synchronous.",
                "PostgreSqlCheckpointStoreOptions: MaxLookupParallelism is 0; it must be between 1 and 64.",
            ],
            ex.Errors);
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    [Theory]
    [InlineData("", "PostgreSqlCheckpointStoreOptions: SchemaName is required.")]
    [InlineData("pg_nextcart", "PostgreSqlCheckpointStoreOptions: SchemaName 'pg_nextcart' starts with 'pg_', which PostgreSQL reserves for system schemas.")]
    [InlineData("1abc", "PostgreSqlCheckpointStoreOptions: SchemaName '1abc' is not a plain identifier; use a letter or underscore, then letters, digits or underscores, at most 63 characters.")]
    [InlineData("abc\n", "PostgreSqlCheckpointStoreOptions: SchemaName 'abc\n' is not a plain identifier; use a letter or underscore, then letters, digits or underscores, at most 63 characters.")]
    public void Create_InvalidSchemaName_ThrowsWithTheName(string schemaName, string message)
    {
        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(
            () => PostgreSqlCheckpointStore.Create(ConnectionString, new PostgreSqlCheckpointStoreOptions { SchemaName = schemaName }));

        Assert.Equal([message], ex.Errors);
    }

    [Fact]
    public void Create_LongestSchemaName_IsAccepted()
    {
        using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(ConnectionString, new PostgreSqlCheckpointStoreOptions { SchemaName = new string('s', 63) });

        Assert.NotNull(store);
    }

    [Theory]
    [InlineData(PostgreSqlCommitDurability.Asynchronous)]
    [InlineData(PostgreSqlCommitDurability.Synchronous)]
    public void Create_CommitDurability_IsKept(PostgreSqlCommitDurability durability)
    {
        using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        using PostgreSqlStore fromString = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(ConnectionString, new PostgreSqlCheckpointStoreOptions { CommitDurability = durability });
        using PostgreSqlStore fromDataSource = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(dataSource, new PostgreSqlCheckpointStoreOptions { CommitDurability = durability });

        Assert.Equal(durability, fromString.CommitDurability);
        Assert.Equal(durability, fromDataSource.CommitDurability);
    }

    [Fact]
    public void Create_ConnectionString_DataSourceDoesNotResetReturnedConnections()
    {
        using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(ConnectionString + ";Maximum Pool Size=7");

        NpgsqlConnectionStringBuilder settings = new(store.DataSource.ConnectionString);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal(7, settings.MaxPoolSize);
        Assert.Equal("none", settings.Database);
    }

    [Fact]
    public void Create_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PostgreSqlCheckpointStore.Create((NpgsqlDataSource)null!));
        Assert.Throws<ArgumentNullException>(() => PostgreSqlCheckpointStore.Create((string)null!));
        Assert.Throws<ArgumentException>(() => PostgreSqlCheckpointStore.Create(" "));
    }

    [Fact]
    public void Create_DataSource_DoesNotDisposeIt()
    {
        using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        IDisposable store = (IDisposable)PostgreSqlCheckpointStore.Create(dataSource);

        store.Dispose();

        using NpgsqlConnection connection = dataSource.CreateConnection();
        Assert.NotNull(connection);
    }

    [Fact]
    public async Task UsePostgreSqlStore_ConnectionString_RegistersAPostgreSqlStoreSingleton()
    {
        ServiceCollection services = new();
        services.AddNextCartMigration().UsePostgreSqlStore(ConnectionString, o => o.SchemaName = "tenant_1");
        await using ServiceProvider provider = services.BuildServiceProvider();

        ICheckpointStore store = provider.GetRequiredService<ICheckpointStore>();

        Assert.IsType<PostgreSqlStore>(store);
        Assert.Same(store, provider.GetRequiredService<ICheckpointStore>());
        Assert.NotNull(provider.GetRequiredService<MigrationManager>());
    }

    [Fact]
    public async Task UsePostgreSqlStore_DataSourceFromServices_UsesIt()
    {
        ServiceCollection services = new();
        services.AddSingleton(_ => NpgsqlDataSource.Create(ConnectionString));
        services.AddNextCartMigration().UsePostgreSqlStore();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<PostgreSqlStore>(provider.GetRequiredService<ICheckpointStore>());
    }

    [Fact]
    public async Task UsePostgreSqlStore_NoDataSourceRegistered_ThrowsSayingWhatToRegister()
    {
        ServiceCollection services = new();
        services.AddNextCartMigration().UsePostgreSqlStore();
        await using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICheckpointStore>());

        Assert.StartsWith("UsePostgreSqlStore() needs an NpgsqlDataSource service.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsePostgreSqlStore_InvalidOptionsOrConnectionString_ThrowsAtRegistration()
    {
        IMigrationBuilder builder = new ServiceCollection().AddNextCartMigration();

        Assert.Throws<MigrationConfigurationException>(() => builder.UsePostgreSqlStore(ConnectionString, o => o.CommandTimeout = TimeSpan.FromDays(2)));
        Assert.Throws<MigrationConfigurationException>(() => builder.UsePostgreSqlStore(o => o.SchemaName = "pg_x"));
        Assert.Throws<ArgumentException>(() => builder.UsePostgreSqlStore("not a connection string"));
        Assert.Throws<ArgumentException>(() => builder.UsePostgreSqlStore(string.Empty));
    }
}
