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
/// <para>
/// Every call of the store takes a connection from the data source's pool and returns it. By default Npgsql resets a
/// returned connection, and the next command pays for it: seven more statements (<c>SET SESSION AUTHORIZATION DEFAULT;
/// RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD SEQUENCES; DISCARD TEMP</c>) on every batch
/// commit and lookup. The store leaves no session state to reset (its settings and advisory locks are transaction-scoped),
/// so the data source that <see cref="Create(string, PostgreSqlCheckpointStoreOptions?)"/> builds sets
/// <c>No Reset On Close=true</c>. For a data source of your own, set it in its connection string if nothing else that
/// uses the data source leaves session state behind.
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
        // Npgsql's NpgsqlConnector.Reset still rolls back a transaction left open on a returned connection; No Reset On Close
        // only skips prepending the reset statements (DISCARD ALL, or the seven above when statements are prepared).
        NpgsqlConnectionStringBuilder builder = new(connectionString) { NoResetOnClose = true };
        return new PostgreSqlStore(NpgsqlDataSource.Create(builder), ownsDataSource: true, validated);
    }

    private static PostgreSqlCheckpointStoreOptions Validated(PostgreSqlCheckpointStoreOptions? options)
    {
        options ??= new PostgreSqlCheckpointStoreOptions();
        PostgreSqlOptionsValidation.ThrowIfInvalid(options);

        // A copy, so later changes to the caller's instance do not reach the store.
        return new PostgreSqlCheckpointStoreOptions { SchemaName = options.SchemaName, CommandTimeout = options.CommandTimeout, CommitDurability = options.CommitDurability };
    }
}
