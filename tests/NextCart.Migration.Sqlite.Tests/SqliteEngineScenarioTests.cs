using NextCart.Migration.Checkpoints;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Sqlite.Tests;

/// <summary>The engine's end-to-end scenarios (every mode, crash recovery, limits, failure isolation) on a SQLite store.</summary>
public sealed class SqliteEngineScenarioTests : EngineScenarioTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    public void Dispose()
    {
        foreach (TempDatabase database in _databases)
        {
            database.Dispose();
        }
    }

    protected override Task<ICheckpointStore> CreateStoreAsync()
    {
        TempDatabase database = new();
        _databases.Add(database);
        return Task.FromResult(SqliteCheckpointStore.Create(database.ConnectionString));
    }
}
