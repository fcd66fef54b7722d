using Microsoft.Extensions.Logging;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Sqlite.Internal;

namespace NextCart.Migration.Sqlite;

/// <summary>Creates the embedded checkpoint store: every project, run, checkpoint and ID map in one SQLite file.</summary>
/// <remarks>
/// <para>
/// The store runs the database in write-ahead-log mode with <c>foreign_keys=ON</c> and a busy timeout, commits each batch in
/// one <c>BEGIN IMMEDIATE</c> transaction, and is safe for concurrent use by many threads and by several processes or store
/// instances on the same file (writes are serialized; reads run concurrently with them).
/// </para>
/// <para>
/// Durability follows <see cref="SqliteCheckpointStoreOptions.Synchronous"/>: with the default
/// <see cref="SqliteSynchronousMode.Normal"/>, a committed batch survives any crash or kill of the process, while the last
/// commits before a power loss may be rolled back (and are then migrated again on resume through the write-intent log).
/// </para>
/// <para>
/// The schema carries a version from day one. Opening a file written by an older version upgrades it in one transaction;
/// opening a file written by a newer version fails with a <see cref="MigrationException"/> and leaves the file unchanged.
/// </para>
/// <para>
/// The returned store implements <see cref="IAsyncDisposable"/> and <see cref="IDisposable"/>: dispose it (a DI container
/// does so for the store registered by <c>UseSqliteStore</c>) to close the file. Create one store per file and process and
/// share it, as the store is thread-safe.
/// </para>
/// </remarks>
public static class SqliteCheckpointStore
{
    /// <summary>Gets the newest schema version this version of the package writes and reads.</summary>
    public static int SchemaVersion => SqliteSchema.LatestVersion;

    /// <summary>Opens (or creates) a SQLite checkpoint store with the default options.</summary>
    /// <param name="connectionString">The connection string, for example <c>Data Source=nextcart.db</c>.</param>
    /// <returns>The store, ready for use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException">The connection string is invalid; every problem is listed.</exception>
    /// <exception cref="MigrationException">The database cannot be opened, was written by a newer version, or is not a checkpoint database.</exception>
    public static ICheckpointStore Create(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return Create(new SqliteCheckpointStoreOptions { ConnectionString = connectionString });
    }

    /// <summary>Opens (or creates) a SQLite checkpoint store.</summary>
    /// <param name="options">The options; they are validated and read once.</param>
    /// <returns>The store, ready for use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="MigrationException">The database cannot be opened, was written by a newer version, or is not a checkpoint database.</exception>
    public static ICheckpointStore Create(SqliteCheckpointStoreOptions options) => Create(options, loggerFactory: null);

    /// <summary>Opens (or creates) a SQLite checkpoint store that logs through <paramref name="loggerFactory"/>.</summary>
    /// <param name="options">The options; they are validated and read once.</param>
    /// <param name="loggerFactory">
    /// The logger factory for the store's own events (see <see cref="SqliteEventId"/>), or <see langword="null"/> for none.
    /// </param>
    /// <returns>The store, ready for use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="MigrationException">The database cannot be opened, was written by a newer version, or is not a checkpoint database.</exception>
    public static ICheckpointStore Create(SqliteCheckpointStoreOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SqliteStore.Open(options, loggerFactory);
    }
}
