namespace NextCart.Migration.Sqlite;

/// <summary>
/// How hard SQLite works to make each commit durable: the value of <c>PRAGMA synchronous</c> the store sets on every
/// connection. The database always runs in write-ahead-log (WAL) mode.
/// </summary>
/// <remarks>
/// See <see href="https://www.sqlite.org/pragma.html#pragma_synchronous">PRAGMA synchronous</see> and
/// <see href="https://www.sqlite.org/wal.html">Write-Ahead Logging</see> in the SQLite documentation.
/// </remarks>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>: the write-ahead log is synced only at checkpoints, not at every commit. In WAL mode a
    /// commit is then durable against an application crash or kill (the database is never corrupted and a committed batch
    /// is never lost when the process dies), but the last commits before an operating-system crash or a power loss may be
    /// rolled back. The database stays consistent either way, and a rolled-back batch is simply migrated again on resume
    /// through the write-intent log. This is the mode SQLite recommends for WAL and the store's default.
    /// </summary>
    Normal = 1,

    /// <summary>
    /// <c>synchronous=FULL</c>: the write-ahead log is synced at every commit, so a committed batch also survives a power
    /// loss. Each commit waits for the disk (an fsync), which typically lowers commit throughput by an order of magnitude.
    /// </summary>
    Full = 2,
}
