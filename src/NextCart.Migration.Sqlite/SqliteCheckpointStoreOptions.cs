using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Sqlite.Internal;

namespace NextCart.Migration.Sqlite;

/// <summary>Options of the SQLite checkpoint store created by <see cref="SqliteCheckpointStore.Create(SqliteCheckpointStoreOptions)"/>.</summary>
/// <remarks>
/// The options are read once, when the store is created; changing them afterwards has no effect on that store. They are
/// validated then, and every problem is reported together in one <see cref="MigrationConfigurationException"/>.
/// </remarks>
public sealed class SqliteCheckpointStoreOptions
{
    /// <summary>
    /// Gets or sets the Microsoft.Data.Sqlite connection string of the database file, for example
    /// <c>Data Source=nextcart.db</c>. The file is created when it does not exist. One file holds every project.
    /// </summary>
    /// <remarks>
    /// The store keeps its own small pool of open connections, so the <c>Pooling</c> keyword is ignored; in-memory and
    /// read-only databases are refused. <c>Foreign Keys</c> and <c>Default Timeout</c> are set by the store from
    /// <see cref="BusyTimeout"/>. A <c>Password</c> needs a SQLite build with encryption.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets how long a write waits for another process that holds the database's write lock (SQLite's
    /// <c>busy_timeout</c>) before it fails. Writers in one process never wait on each other in SQLite: the store queues them.
    /// </summary>
    /// <value>The default value is 30 seconds. It must be between zero and one hour.</value>
    [Range(typeof(TimeSpan), SqliteCheckpointStoreConstants.MinBusyTimeoutText, SqliteCheckpointStoreConstants.MaxBusyTimeoutText)]
    public TimeSpan BusyTimeout { get; set; } = SqliteCheckpointStoreConstants.DefaultBusyTimeout;

    /// <summary>Gets or sets how hard SQLite works to make each commit durable (<c>PRAGMA synchronous</c>).</summary>
    /// <value>
    /// The default value is <see cref="SqliteSynchronousMode.Normal"/>: in WAL mode a committed batch survives any crash or
    /// kill of the process, but the last commits may be rolled back by a power loss (they are migrated again on resume).
    /// </value>
    [EnumDataType(typeof(SqliteSynchronousMode))]
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteCheckpointStoreConstants.DefaultSynchronous;

    /// <summary>
    /// Gets or sets how many bytes of the database file each connection reads through a memory map (SQLite's
    /// <c>mmap_size</c>); 0, the default, reads with system calls only.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The default keeps the process's working set flat however large the ID map grows: every page of the file that a
    /// connection reads through a map counts in the process's working set (resident file-backed memory), up to this size,
    /// although those pages are the operating system's clean, reclaimable file cache. Measured on a 2-core VM
    /// (benchmarks/README.md), a migration of 1,000,000 records peaked at 1.02–1.07 times the working set of one of 100,000
    /// with 0, and at 2.7–2.8 times with a 1 GiB map; the process's private memory stayed flat in both. A host whose
    /// memory limit counts mapped file pages (a container's, for one) needs this bound.
    /// </para>
    /// <para>
    /// A map makes random ID-map lookups cheaper, because a page is read without a system call: a lookup of 1,000 random
    /// ids in an ID map of 1,000,000 rows took about 5–8 ms with a 1 GiB map and about 9–12 ms with 0 on the same VM, while
    /// a whole migration was not slower with 0. A host that runs many lookups against a large ID map and can afford the
    /// resident pages may set a size such as 1 GiB (1,073,741,824).
    /// </para>
    /// <para>
    /// The map reserves address space, not memory. SQLite documents the other trade-offs at
    /// <see href="https://www.sqlite.org/mmap.html"/>: chiefly, an I/O error while reading the mapped file (a failing disk,
    /// a network file system) cannot be reported as an error, which is one more reason SQLite itself defaults to 0.
    /// </para>
    /// </remarks>
    /// <value>The default value is 0 (no memory map). It must not be negative.</value>
    [Range(0, long.MaxValue)]
    public long MemoryMapSize { get; set; } = SqliteCheckpointStoreConstants.DefaultMemoryMapSize;

    /// <summary>
    /// Gets or sets how many idle read connections the store keeps open for reuse. Reads run concurrently, each on its
    /// own connection; writes use one dedicated connection, one at a time.
    /// </summary>
    /// <value>The default value is 8. It must be between 1 and 256.</value>
    [Range(SqliteCheckpointStoreConstants.MinPooledConnections, SqliteCheckpointStoreConstants.MaxPooledConnections)]
    public int MaxPooledConnections { get; set; } = SqliteCheckpointStoreConstants.DefaultMaxPooledConnections;

    /// <summary>
    /// Gets or sets how many read connections one bulk ID-map lookup may use at the same time. A lookup of many ids is
    /// split into contiguous parts of its sorted ids, at least 256 ids each, which run in parallel; 1 runs every lookup on
    /// one connection.
    /// </summary>
    /// <remarks>
    /// A random lookup in a large ID map waits on page reads, which parts on idle cores do at the same time: measured on a
    /// 2-core VM (benchmarks/README.md), a lookup of 1,000 random ids in an ID map of 1,000,000 rows took 3.2 ms in two
    /// parts against 4.7 ms on one connection, for about the same CPU time. Each part reads its own snapshot of the
    /// database (a commit that lands during the lookup may be seen by some parts only). The connections come from the
    /// store's read pool; a part opens one when none is idle.
    /// </remarks>
    /// <value>The default value is the processor count, at most 4. It must be between 1 and 64.</value>
    [Range(1, SqliteCheckpointStoreConstants.MaxLookupParallelism)]
    public int MaxLookupParallelism { get; set; } = SqliteCheckpointStoreConstants.DefaultLookupParallelism;
}
