using NextCart.Migration.Checkpoints;
using NextCart.Migration.PostgreSql.Tests.Infrastructure;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.PostgreSql.Tests;

/// <summary>The checkpoint store conformance kit on PostgreSQL: one schema for the class, a new store per test.</summary>
[RequiresPostgres]
public sealed class PostgreSqlCheckpointStoreConformanceTests(PostgresSchema schema) : CheckpointStoreConformanceTests, IClassFixture<PostgresSchema>
{
    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(schema.CreateStore());
}

/// <summary>
/// The same kit with <see cref="PostgreSqlCommitDurability.Synchronous"/> batch commits (the default is asynchronous), so both
/// ways of committing a batch are held to the same contract.
/// </summary>
[RequiresPostgres]
public sealed class PostgreSqlSynchronousCommitConformanceTests(PostgresSchema schema) : CheckpointStoreConformanceTests, IClassFixture<PostgresSchema>
{
    protected override Task<ICheckpointStore> CreateStoreAsync()
    {
        PostgreSqlCheckpointStoreOptions options = schema.Options;
        options.CommitDurability = PostgreSqlCommitDurability.Synchronous;
        return Task.FromResult(PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, options));
    }
}
