using Microsoft.Extensions.Logging;
using NextCart.Migration;
using NextCart.Migration.Sqlite;
using NextCart.Migration.Sqlite.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite checkpoint store with <see cref="MigrationServiceCollectionExtensions.AddNextCartMigration"/>.</summary>
public static class SqliteMigrationBuilderExtensions
{
    /// <summary>Uses a SQLite file as the checkpoint store, replacing the in-memory default.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, for example <c>Data Source=nextcart.db</c>.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException">The connection string is invalid; every problem is listed.</exception>
    public static IMigrationBuilder UseSqliteStore(this IMigrationBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UseSqliteStore(options => options.ConnectionString = connectionString);
    }

    /// <summary>Uses a SQLite file as the checkpoint store, replacing the in-memory default.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store's options; it runs once, now.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <remarks>
    /// The options are validated here, so a mistake is reported at registration with every problem listed. The database is
    /// opened (and its schema upgraded) when the store is first resolved; the container disposes it, closing the file.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    public static IMigrationBuilder UseSqliteStore(this IMigrationBuilder builder, Action<SqliteCheckpointStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SqliteCheckpointStoreOptions options = new();
        configure(options);
        SqliteOptionsValidator.Validate(options);

        // A copy, so a later change to the configured instance cannot change the registered store.
        SqliteCheckpointStoreOptions registered = new()
        {
            ConnectionString = options.ConnectionString,
            BusyTimeout = options.BusyTimeout,
            Synchronous = options.Synchronous,
            MemoryMapSize = options.MemoryMapSize,
            MaxPooledConnections = options.MaxPooledConnections,
        };
        return builder.UseCheckpointStore(services => SqliteCheckpointStore.Create(registered, services.GetService<ILoggerFactory>()));
    }
}
