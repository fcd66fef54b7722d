using Microsoft.Data.Sqlite;

namespace NextCart.Migration.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted (with its -wal and -shm files) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder;

    public TempDatabase()
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nextcart-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "checkpoints.db");
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    /// <summary>Opens a plain connection (unpooled, so it really closes) to inspect or prepare the file.</summary>
    public SqliteConnection OpenRaw(SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        SqliteConnection connection = new(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, Mode = mode }.ToString());
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using SqliteConnection connection = OpenRaw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using SqliteConnection connection = OpenRaw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned by the OS eventually.
        }
    }
}
