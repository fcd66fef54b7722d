using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>The settings every connection of a store is opened with.</summary>
/// <param name="ConnectionString">The validated connection string.</param>
/// <param name="Synchronous">The synchronous mode.</param>
/// <param name="BusyTimeout">The busy timeout.</param>
/// <param name="MemoryMapSize">The most bytes of the file to read through a memory map.</param>
internal sealed record StoreSettings(string ConnectionString, SqliteSynchronousMode Synchronous, TimeSpan BusyTimeout, long MemoryMapSize);

/// <summary>
/// One open SQLite connection with the store's pragmas applied, its prepared commands and native statements cached, and
/// at most one transaction. Used by one caller at a time: the pool hands it out and takes it back.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NativeStatement> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    private StoreConnection(SqliteConnection connection) => _connection = connection;

    /// <summary>Gets a value indicating whether the connection failed in a way that makes it unfit for reuse.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Opens a connection and applies the per-connection pragmas.</summary>
    /// <remarks>
    /// <c>busy_timeout</c>: how long a write waits for another process's write lock. <c>foreign_keys=ON</c>. <c>synchronous</c>:
    /// NORMAL or FULL (see <see cref="SqliteSynchronousMode"/>). <c>mmap_size</c>: the option's size (0 by default); with a
    /// map, pages are read without a system call (see <c>SqliteCheckpointStoreOptions.MemoryMapSize</c> for the trade-off).
    /// <c>wal_autocheckpoint</c>: 40,000 pages (about 160 MiB), the fallback behind the store's background checkpoints,
    /// which start every 10,000 pages (see <c>SqliteStore.CheckpointWhenDue</c>): SQLite's automatic checkpoint runs inside
    /// the commit that crosses it, so it only runs when the background ones fall behind or have stopped.
    /// </remarks>
    public static StoreConnection Open(StoreSettings settings)
    {
        SqliteConnection connection = new(settings.ConnectionString);
        try
        {
            connection.Open();
            using SqliteCommand pragmas = connection.CreateCommand();
            string sync = settings.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
            pragmas.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"""
                PRAGMA busy_timeout = {(long)settings.BusyTimeout.TotalMilliseconds};
                PRAGMA foreign_keys = ON;
                PRAGMA synchronous = {sync};
                PRAGMA mmap_size = {settings.MemoryMapSize};
                PRAGMA wal_autocheckpoint = 40000;
                """);
            pragmas.ExecuteNonQuery();
            return new StoreConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Gets a cached command for <paramref name="sql"/>, enlisted in the current transaction, with no parameters.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Gets a cached native statement for <paramref name="sql"/>; it runs in the current transaction.</summary>
    public NativeStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out NativeStatement? statement))
        {
            statement = new NativeStatement(_connection, sql);
            _statements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Starts a write transaction (<c>BEGIN IMMEDIATE</c>): it takes the database's write lock at once, waiting up to the busy timeout.</summary>
    public void BeginWrite() => Begin(deferred: false);

    /// <summary>Starts a read transaction (<c>BEGIN</c>), so several statements read one snapshot.</summary>
    public void BeginRead() => Begin(deferred: true);

    /// <summary>Commits the current transaction.</summary>
    public void Commit()
    {
        SqliteTransaction transaction = _transaction ?? throw new InvalidOperationException("No transaction is active.");
        transaction.Commit();
        transaction.Dispose();
        _transaction = null;
    }

    /// <summary>Rolls back the current transaction, if any. A connection that cannot roll back is marked broken.</summary>
    public void EndTransaction()
    {
        SqliteTransaction? transaction = _transaction;
        if (transaction is null)
        {
            return;
        }

        _transaction = null;
        try
        {
            transaction.Dispose();
        }
        catch (SqliteException)
        {
            IsBroken = true;
        }
        catch (InvalidOperationException)
        {
            IsBroken = true;
        }
    }

    /// <summary>
    /// Takes the number of pages this connection has written to the write-ahead log since the last call
    /// (<c>SQLITE_DBSTATUS_CACHE_WRITE</c>, read and reset).
    /// </summary>
    public int TakePagesWritten()
    {
        const int CacheWrite = 9; // SQLITE_DBSTATUS_CACHE_WRITE: in WAL mode, the pages written to the WAL file.
        int rc = raw.sqlite3_db_status(Handle, CacheWrite, out int pages, out _, 1);
        SqliteException.ThrowExceptionForRC(rc, Handle);
        return pages;
    }

    /// <summary>
    /// Runs a passive checkpoint (<c>sqlite3_wal_checkpoint_v2</c>, <c>SQLITE_CHECKPOINT_PASSIVE</c>): copies the log's committed
    /// pages into the database file and syncs it, as far as readers allow, without waiting for any lock.
    /// </summary>
    /// <returns><see langword="false"/> when another connection was checkpointing (<c>SQLITE_BUSY</c>), so nothing was done.</returns>
    public bool CheckpointPassive()
    {
        const int Passive = 0; // SQLITE_CHECKPOINT_PASSIVE
        int rc = raw.sqlite3_wal_checkpoint_v2(Handle, "main", Passive, out _, out _);
        if (rc == raw.SQLITE_BUSY)
        {
            return false;
        }

        SqliteException.ThrowExceptionForRC(rc, Handle);
        return true;
    }

    /// <summary>Runs SQL that needs no parameters, such as DDL or a pragma.</summary>
    public void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs SQL that needs no parameters and returns the first column of the first row.</summary>
    public object? Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        EndTransaction();
        foreach (NativeStatement statement in _statements.Values)
        {
            statement.Dispose();
        }

        foreach (SqliteCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        _commands.Clear();
        _connection.Dispose();
    }

    private sqlite3 Handle => _connection.Handle ?? throw new InvalidOperationException("The connection is not open.");

    private void Begin(bool deferred)
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already active on this connection.");
        }

        _transaction = _connection.BeginTransaction(deferred);
    }
}
