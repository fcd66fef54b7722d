using NextCart.Migration.Checkpoints;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Sqlite.Tests;

/// <summary>The shared checkpoint-store conformance kit, run against a new SQLite file per test.</summary>
public sealed class SqliteCheckpointStoreConformanceTests : CheckpointStoreConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(SqliteCheckpointStore.Create(_database.ConnectionString));
}
