using NextCart.Migration.Checkpoints;
using NextCart.Migration.PostgreSql.Internal;
using Npgsql;

namespace NextCart.Migration.PostgreSql;

/// <summary>Creates checkpoint stores on PostgreSQL, for one worker or a fleet of workers sharing a database.</summary>
/// <remarks>
/// <para>
/// The store keeps projects, runs, checkpoints, the ID map, write intents, issues, deferred links and run leases in the
/// tables of one schema (see <see cref="PostgreSqlCheckpointStoreOptions.SchemaName"/>). The schema is created, or upgraded
/// to this version, on first use; workers that start together apply each upgrade once. A schema that a newer release
/// upgraded is refused with a <see cref="MigrationConfigurationException"/> and left unchanged.
/// </para>
/// <para>
/// Each batch commits in one transaction, fenced on the run's lease row. Leases are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so workers racing for a run never wait on each other: exactly one gets it. A claim that
/// meets the lease row locked by a commit in flight returns <see langword="null"/> at once, even if the lease has expired:
/// try again later.
/// </para>
/// <para>
/// Hot statements are prepared on each pooled connection. Behind PgBouncer, use session pooling (or PgBouncer 1.21+ with
/// prepared statement support).
/// </para>
/// <para>The store is thread-safe; register it as a singleton. Dispose it to release what it owns.</para>
/// </remarks>
public static class PostgreSqlCheckpointStore
{
    /// <summary>Creates a store over a data source the caller owns (it is not disposed with the store).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The store. It is <see cref="IAsyncDisposable"/> and <see cref="IDisposable"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException"><paramref name="options"/> is invalid; every problem is listed.</exception>
    public static ICheckpointStore Create(NpgsqlDataSource dataSource, PostgreSqlCheckpointStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgreSqlStore(dataSource, ownsDataSource: false, Validated(options));
    }

    /// <summary>Creates a store over a new data source for a connection string; the store owns and disposes it.</summary>
    /// <param name="connectionString">The Npgsql connection string, for example <c>Host=db;Username=app;Password=…;Database=nextcart</c>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The store. It is <see cref="IAsyncDisposable"/> and <see cref="IDisposable"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is <see langword="null"/>, empty or not a valid connection string.</exception>
    /// <exception cref="MigrationConfigurationException"><paramref name="options"/> is invalid; every problem is listed.</exception>
    public static ICheckpointStore Create(string connectionString, PostgreSqlCheckpointStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgreSqlCheckpointStoreOptions validated = Validated(options);
        return new PostgreSqlStore(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, validated);
    }

    private static PostgreSqlCheckpointStoreOptions Validated(PostgreSqlCheckpointStoreOptions? options)
    {
        options ??= new PostgreSqlCheckpointStoreOptions();
        PostgreSqlOptionsValidation.ThrowIfInvalid(options);

        // A copy, so later changes to the caller's instance do not reach the store.
        return new PostgreSqlCheckpointStoreOptions { SchemaName = options.SchemaName, CommandTimeout = options.CommandTimeout };
    }
}
