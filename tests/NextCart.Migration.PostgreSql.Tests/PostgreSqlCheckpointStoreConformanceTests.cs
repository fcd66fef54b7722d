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
