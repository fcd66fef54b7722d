using NextCart.Migration.PostgreSql;
using NextCart.Migration.PostgreSql.Internal;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL checkpoint store with <see cref="IMigrationBuilder"/>.</summary>
public static class PostgreSqlMigrationBuilderExtensions
{
    /// <summary>
    /// Replaces the checkpoint store with a PostgreSQL store on its own data source for <paramref name="connectionString"/>.
    /// The store is a singleton, disposed (with its data source) by the container.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is <see langword="null"/>, empty or not a valid connection string.</exception>
    /// <exception cref="NextCart.Migration.MigrationConfigurationException">The configured options are invalid; every problem is listed.</exception>
    public static IMigrationBuilder UsePostgreSqlStore(this IMigrationBuilder builder, string connectionString, Action<PostgreSqlCheckpointStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Fail at registration, not at first use: parse the connection string and validate the options now.
        _ = new NpgsqlConnectionStringBuilder(connectionString);
        PostgreSqlCheckpointStoreOptions options = Configure(configure);
        return builder.UseCheckpointStore(_ => PostgreSqlCheckpointStore.Create(connectionString, options));
    }

    /// <summary>
    /// Replaces the checkpoint store with a PostgreSQL store on the <see cref="NpgsqlDataSource"/> registered in the
    /// container (for example with <c>services.AddNpgsqlDataSource(...)</c> from Npgsql.DependencyInjection). The container
    /// owns the data source; the store does not dispose it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="NextCart.Migration.MigrationConfigurationException">The configured options are invalid; every problem is listed.</exception>
    /// <remarks>Resolving the store throws <see cref="InvalidOperationException"/> when no <see cref="NpgsqlDataSource"/> is registered.</remarks>
    public static IMigrationBuilder UsePostgreSqlStore(this IMigrationBuilder builder, Action<PostgreSqlCheckpointStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgreSqlCheckpointStoreOptions options = Configure(configure);
        return builder.UseCheckpointStore(sp =>
        {
            NpgsqlDataSource dataSource = sp.GetService<NpgsqlDataSource>()
                ?? throw new InvalidOperationException(
                    "UsePostgreSqlStore() needs an NpgsqlDataSource service. Register one (for example services.AddNpgsqlDataSource(connectionString) from Npgsql.DependencyInjection), or call UsePostgreSqlStore(connectionString).");
            return PostgreSqlCheckpointStore.Create(dataSource, options);
        });
    }

    private static PostgreSqlCheckpointStoreOptions Configure(Action<PostgreSqlCheckpointStoreOptions>? configure)
    {
        PostgreSqlCheckpointStoreOptions options = new();
        configure?.Invoke(options);
        PostgreSqlOptionsValidation.ThrowIfInvalid(options);
        return options;
    }
}
