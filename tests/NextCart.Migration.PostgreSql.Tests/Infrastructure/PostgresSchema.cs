using NextCart.Migration.Checkpoints;
using Npgsql;

namespace NextCart.Migration.PostgreSql.Tests.Infrastructure;

/// <summary>A fresh schema for one test class, dropped when the class is done.</summary>
public sealed class PostgresSchema : IAsyncLifetime
{
    /// <summary>Gets the schema name, unique to this class run.</summary>
    public string Name { get; } = NewName();

    /// <summary>Gets the options of a store on this schema.</summary>
    public PostgreSqlCheckpointStoreOptions Options => new() { SchemaName = Name };

    /// <summary>Creates a schema name nobody else uses.</summary>
    /// <returns>The name.</returns>
    public static string NewName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Creates a store on this schema over the shared data source.</summary>
    /// <returns>The store.</returns>
    public ICheckpointStore CreateStore() => PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, Options);

    /// <summary>Creates a store on this schema with a data source of its own, as another worker process would.</summary>
    /// <returns>The store; disposing it disposes its data source.</returns>
    public ICheckpointStore CreateWorkerStore() => PostgreSqlCheckpointStore.Create(PostgresServer.CreateConnectionString(), Options);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (PostgresServer.IsConfigured)
        {
            await DropAsync(Name);
        }
    }

    /// <summary>Drops a schema and everything in it.</summary>
    /// <param name="name">The schema name.</param>
    /// <returns>A task that completes when dropped.</returns>
    public static async Task DropAsync(string name)
    {
        await using NpgsqlCommand command = PostgresServer.DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
