namespace NextCart.Migration.PostgreSql;

/// <summary>
/// Whether a batch commit (ID-map rows, resolved write intents, resume token, counters and points, in one transaction)
/// waits for the server to flush its write-ahead log to disk before it returns: PostgreSQL's <c>synchronous_commit</c>,
/// set for that transaction only.
/// </summary>
/// <remarks>
/// <para>
/// Write intents, leases, run states and everything else the store writes always wait for the flush (as the server's
/// <c>synchronous_commit</c> setting says, normally <c>on</c>), because the exactly-once rule rests on them: an intent is
/// durable before its record is written to the target. A flushed write also flushes every earlier asynchronous commit,
/// since the log is sequential.
/// </para>
/// <para>
/// See <see href="https://www.postgresql.org/docs/current/wal-async-commit.html">Asynchronous Commit</see> in the
/// PostgreSQL documentation: a server crash may lose the most recent asynchronous transactions (at most about three times
/// <c>wal_writer_delay</c>, 600 ms by default), but never corrupts the database or applies part of a transaction.
/// </para>
/// </remarks>
public enum PostgreSqlCommitDurability
{
    /// <summary>
    /// A batch commit returns once the server has applied it, without waiting for the disk (<c>synchronous_commit = off</c>
    /// for that transaction). A crash of the worker or a lost connection loses nothing that was acknowledged. A crash of the
    /// database server may roll back the last batch commits as a whole; their write intents were flushed before the target
    /// writes, so a resumed run finds those records on the target through reconciliation and maps them, rather than writing
    /// them again. This is the counterpart of the SQLite store's <c>synchronous=NORMAL</c>, and the default.
    /// </summary>
    Asynchronous = 1,

    /// <summary>
    /// A batch commit waits until the server has flushed it to disk, so it also survives a crash of the database server.
    /// Each commit then waits for an fsync on the server (a few milliseconds on typical disks), which bounds one run's commit
    /// rate to a few hundred batches per second.
    /// </summary>
    Synchronous = 2,
}
