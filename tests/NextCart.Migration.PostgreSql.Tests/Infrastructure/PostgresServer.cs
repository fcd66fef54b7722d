using Npgsql;

namespace NextCart.Migration.PostgreSql.Tests.Infrastructure;

/// <summary>The PostgreSQL server the tests run against, named by <c>NEXTCART_POSTGRES_CONNECTION</c>.</summary>
internal static class PostgresServer
{
    public const string ConnectionVariable = "NEXTCART_POSTGRES_CONNECTION";

    private static readonly Lazy<NpgsqlDataSource> SharedDataSource = new(() => CreateDataSource());

    /// <summary>Gets the reason to skip the PostgreSQL tests, or <see langword="null"/> to run them.</summary>
    /// <remarks>With no server configured the tests are skipped on a developer machine and fail in CI (<c>CI=true</c>).</remarks>
    public static string? SkipReason => IsConfigured || IsCi
        ? null
        : $"No PostgreSQL server: {ConnectionVariable} is not set. Start a throwaway one with `eval \"$(eng/postgres.sh start)\"` (and `eng/postgres.sh stop` afterwards), then run the tests again.";

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable));

    /// <summary>Gets the connection string, or fails the test with what to do.</summary>
    public static string ConnectionString => Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{ConnectionVariable} is not set, and CI=true requires the PostgreSQL store's tests to run. .ci/run starts a server with eng/postgres.sh; run `eval \"$(eng/postgres.sh start)\"` before `dotnet test`.");

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

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
