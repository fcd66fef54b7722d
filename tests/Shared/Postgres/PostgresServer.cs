namespace NextCart.Migration.TestSupport;

/// <summary>The PostgreSQL server the tests run against, named by <c>NEXTCART_POSTGRES_CONNECTION</c> (see eng/postgres.sh).</summary>
internal static partial class PostgresServer
{
    public const string ConnectionVariable = "NEXTCART_POSTGRES_CONNECTION";

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
            $"{ConnectionVariable} is not set, and CI=true requires the PostgreSQL tests to run. .ci/run starts a server with eng/postgres.sh; run `eval \"$(eng/postgres.sh start)\"` before `dotnet test`.");

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
