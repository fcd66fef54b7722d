using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Sqlite.Internal;

namespace NextCart.Migration.Sqlite.Tests;

public sealed class SqliteCheckpointStoreOptionsTests
{
    [Fact]
    public void Ctor_Ok()
    {
        SqliteCheckpointStoreOptions options = new();

        Assert.Null(options.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BusyTimeout);
        Assert.Equal(SqliteSynchronousMode.Normal, options.Synchronous);
        Assert.Equal(0, options.MemoryMapSize);
        Assert.Equal(8, options.MaxPooledConnections);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), options.MaxLookupParallelism);
    }

    [Fact]
    public void Validate_EveryProblem_ListsThemAllInOneException()
    {
        SqliteCheckpointStoreOptions options = new()
        {
            ConnectionString = " ",
            BusyTimeout = TimeSpan.FromSeconds(-1),
            Synchronous = (SqliteSynchronousMode)7,
            MemoryMapSize = -1,
            MaxPooledConnections = 0,
            MaxLookupParallelism = 0,
        };

        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(() => SqliteCheckpointStore.Create(options));

        Assert.Equal(
            [
                "SqliteCheckpointStoreOptions: ConnectionString is required; name the database file, for example \"Data Source=nextcart.db\".",
                "SqliteCheckpointStoreOptions: BusyTimeout is '-00:00:01'; it must be between 00:00:00 and 01:00:00.",
                "SqliteCheckpointStoreOptions: Synchronous is '7'; it must be Normal or Full.",
                "SqliteCheckpointStoreOptions: MemoryMapSize is -1; it must not be negative (0 turns memory-mapped reads off).",
                "SqliteCheckpointStoreOptions: MaxPooledConnections is 0; it must be between 1 and 256.",
                "SqliteCheckpointStoreOptions: MaxLookupParallelism is 0; it must be between 1 and 64.",
            ],
            ex.Errors);
        Assert.StartsWith("The migration is not configured correctly (6 problems):", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FailureCategory.Configuration, ex.Category);
    }

    [Theory]
    [InlineData(null, "ConnectionString is required; name the database file, for example \"Data Source=nextcart.db\".")]
    [InlineData("", "ConnectionString is required; name the database file, for example \"Data Source=nextcart.db\".")]
    [InlineData("Mode=ReadWriteCreate", "ConnectionString has no Data Source; name the database file, for example \"Data Source=nextcart.db\".")]
    [InlineData("Data Source=:memory:", "ConnectionString names an in-memory database (':memory:', Mode=ReadWriteCreate); the SQLite store needs a file. Use CheckpointStore.CreateInMemory() for a store that lives in memory.")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared", "ConnectionString names an in-memory database ('shared', Mode=Memory); the SQLite store needs a file. Use CheckpointStore.CreateInMemory() for a store that lives in memory.")]
    [InlineData("Data Source=nextcart.db;Mode=ReadOnly", "ConnectionString opens 'nextcart.db' read-only (Mode=ReadOnly); the store writes to it. Use Mode=ReadWriteCreate (the default) or Mode=ReadWrite.")]
    [InlineData("Data Source=nextcart.db;Flavour=Vanilla", "ConnectionString is not a valid SQLite connection string: Connection string keyword 'flavour' is not supported. For a possible alternative, see https://go.microsoft.com/fwlink/?linkid=2142181.")]
    public void Validate_BadConnectionString_ExplainsTheProblem(string? connectionString, string expected)
    {
        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(
            () => SqliteCheckpointStore.Create(new SqliteCheckpointStoreOptions { ConnectionString = connectionString }));

        Assert.Equal(["SqliteCheckpointStoreOptions: " + expected], ex.Errors);
    }

    [Fact]
    public void Validate_ValidOptions_TurnsOffProviderPoolingAndSetsTheTimeout()
    {
        Microsoft.Data.Sqlite.SqliteConnectionStringBuilder built = SqliteOptionsValidator.Validate(
            new SqliteCheckpointStoreOptions { ConnectionString = "Data Source=nextcart.db;Pooling=True;Foreign Keys=False", BusyTimeout = TimeSpan.FromMilliseconds(2500) });

        Assert.False(built.Pooling);
        Assert.Null(built.ForeignKeys);
        Assert.Equal(3, built.DefaultTimeout);
        Assert.Equal("nextcart.db", built.DataSource);
    }

    [Fact]
    public void DataAnnotations_InvalidValues_AreRejectedToo()
    {
        SqliteCheckpointStoreOptions options = new() { BusyTimeout = TimeSpan.FromHours(2), MaxPooledConnections = 1000, Synchronous = (SqliteSynchronousMode)7, MemoryMapSize = -1, MaxLookupParallelism = 65 };
        List<ValidationResult> results = [];

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));

        Assert.Equal(
            ["BusyTimeout", "ConnectionString", "MaxLookupParallelism", "MaxPooledConnections", "MemoryMapSize", "Synchronous"],
            results.SelectMany(r => r.MemberNames).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_NullArguments_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => SqliteCheckpointStore.Create((SqliteCheckpointStoreOptions)null!));
        Assert.Throws<ArgumentNullException>(() => SqliteCheckpointStore.Create((string)null!));
    }
}
