using NextCart.Migration.Checkpoints;
using NextCart.Migration.PostgreSql.Tests.Infrastructure;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.PostgreSql.Tests;

/// <summary>The engine's end-to-end scenarios (modes, re-runs, crash recovery, limits) on the PostgreSQL store.</summary>
[RequiresPostgres]
public sealed class PostgreSqlEngineScenarioTests(PostgresSchema schema) : EngineScenarioTests, IClassFixture<PostgresSchema>
{
    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(schema.CreateStore());
}
