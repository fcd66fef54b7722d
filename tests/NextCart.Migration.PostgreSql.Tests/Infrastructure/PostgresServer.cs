using Npgsql;

namespace NextCart.Migration.TestSupport;

/// <summary>The store tests' data sources over the shared <see cref="PostgresServer"/> settings (tests/Shared/Postgres).</summary>
internal static partial class PostgresServer
{
    private static readonly Lazy<NpgsqlDataSource> SharedDataSource = new(() => CreateDataSource());

    /// <summary>Gets a data source shared by the tests that model one worker (the stores over it do not own it).</summary>
    public static NpgsqlDataSource DataSource => SharedDataSource.Value;

    /// <summary>Creates a data source of its own, as a separate worker process would have.</summary>
    /// <param name="maxPoolSize">The pool size.</param>
    /// <returns>The data source; the caller disposes it.</returns>
    public static NpgsqlDataSource CreateDataSource(int maxPoolSize = 40) => NpgsqlDataSource.Create(CreateConnectionString(maxPoolSize));

    /// <summary>Creates the connection string of a worker's own pool.</summary>
    /// <param name="maxPoolSize">The pool size.</param>
    /// <returns>The connection string.</returns>
    public static string CreateConnectionString(int maxPoolSize = 10)
        => new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = maxPoolSize, Timeout = 60 }.ConnectionString;
}
