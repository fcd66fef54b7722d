namespace NextCart.Migration.Sqlite;

/// <summary>
/// The public event ids of the logs of NextCart.Migration.Sqlite. They sit in the checkpoint-store range (4000–4999) at
/// 4100–4199, clear of the engine's <c>MigrationEventId</c> values.
/// </summary>
public static class SqliteEventId
{
    /// <summary>
    /// A background WAL checkpoint failed. Background checkpoints stop for the store's lifetime, and SQLite's automatic
    /// checkpoint inside the commits takes over (a persistent error then surfaces as a failed commit). Logged at <c>Warning</c>.
    /// </summary>
    public const int BackgroundCheckpointFailed = 4100;
}
