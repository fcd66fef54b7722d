using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// A statement prepared once on a connection and executed many times through SQLite's C API, binding parameters by
/// position and reading columns by index. The hot paths (one ID-map row or write intent per commit row, the rows of a bulk
/// lookup) use it: Microsoft.Data.Sqlite binds parameters by name and allocates a reader per execution, which costs about
/// as much as SQLite's own work for these small statements.
/// </summary>
/// <remarks>Not thread-safe: it belongs to one <see cref="StoreConnection"/>, used by one caller at a time.</remarks>
internal sealed class NativeStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        int rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Binds text as UTF-16 (SQLite copies and converts it), which saves the UTF-8 array a string bind would allocate.</summary>
    public void Bind(int index, string? value)
        => Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    /// <summary>
    /// Binds text as UTF-8, the database's encoding: SQLite copies the bytes once, where a UTF-16 bind is copied and then
    /// converted into a second buffer (sqlite3_bind_text16 translates to the connection's encoding when it binds).
    /// </summary>
    /// <remarks>
    /// Text that is not well-formed UTF-16 (a lone surrogate) is bound as UTF-16, so SQLite converts it exactly as the
    /// <see cref="Bind(int, string?)"/> it replaces did and a value stored before reads back and compares the same.
    /// </remarks>
    public void BindUtf8(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        if (value.Length == 0)
        {
            // An empty span pins to a null pointer, which SQLite binds as NULL; the string overload binds a terminated "".
            Check(raw.sqlite3_bind_text(_statement, index, string.Empty));
            return;
        }

        const int StackLimit = 512;
        byte[]? rented = null;
        int most = value.Length * 3;
        Span<byte> buffer = most <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(most));
        try
        {
            if (Utf8.FromUtf16(value, buffer, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                Check(raw.sqlite3_bind_text(_statement, index, buffer[..written]));
            }
            else
            {
                Check(raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, bool value) => Check(raw.sqlite3_bind_int(_statement, index, value ? 1 : 0));

    /// <summary>Runs the statement to completion and resets it.</summary>
    /// <returns>The number of rows the statement inserted, updated or deleted.</returns>
    public int Execute()
    {
        try
        {
            int rc = raw.sqlite3_step(_statement);
            while (rc == raw.SQLITE_ROW)
            {
                rc = raw.sqlite3_step(_statement);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps to the next row of a query. Call <see cref="Reset"/> when done, also after an exception.</summary>
    /// <returns><see langword="true"/> when a row is available.</returns>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    /// <summary>Resets the statement so it can run again; its bindings are kept.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>Gets a text column's UTF-8 bytes, valid until the statement steps or resets; a NULL reads as empty.</summary>
    public ReadOnlySpan<byte> GetUtf8(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Reads a text column from its UTF-8 bytes; a NULL reads as an empty string.</summary>
    public string GetString(int column)
    {
        ReadOnlySpan<byte> utf8 = raw.sqlite3_column_blob(_statement, column);
        return utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Reads a text column that may be NULL.</summary>
    public string? GetNullableString(int column)
    {
        ReadOnlySpan<byte> utf8 = raw.sqlite3_column_blob(_statement, column);
        return !utf8.IsEmpty ? Encoding.UTF8.GetString(utf8) : IsNull(column) ? null : string.Empty;
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
