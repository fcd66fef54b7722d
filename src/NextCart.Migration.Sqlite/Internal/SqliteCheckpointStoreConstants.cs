namespace NextCart.Migration.Sqlite.Internal;

/// <summary>The defaults and limits of <see cref="SqliteCheckpointStoreOptions"/>.</summary>
internal static class SqliteCheckpointStoreConstants
{
    public const string MinBusyTimeoutText = "00:00:00";

    public const string MaxBusyTimeoutText = "01:00:00";

    public const int DefaultMaxPooledConnections = 8;

    public const int MinPooledConnections = 1;

    public const int MaxPooledConnections = 256;

    public const long DefaultMemoryMapSize = 0;

    public const int MaxLookupParallelism = Stores.LookupParts.MaxParallelism;

    public static int DefaultLookupParallelism => Stores.LookupParts.DefaultParallelism;

    public const SqliteSynchronousMode DefaultSynchronous = SqliteSynchronousMode.Normal;

    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MinBusyTimeout = TimeSpan.Zero;

    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromHours(1);
}
