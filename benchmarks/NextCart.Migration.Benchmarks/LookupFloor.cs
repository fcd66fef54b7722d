using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// What the database itself needs for a bulk lookup on this machine: the same number of random probes as
/// <see cref="StoreLookupBenchmark"/> makes, in a bare table of <see cref="StoreLookupBenchmark.MapRows"/> rows with a
/// 64-bit integer key and a 64-bit integer value, with no strings to compare, no row to decode and no entry to build.
/// </summary>
/// <remarks>
/// It is not a store anyone could use (the ID map's keys are strings), but it tells, in the same run, how much of a
/// store's lookup time is the database's own probe on this hardware: for SQLite a rowid table read with the store's
/// defaults (WAL, no memory map, the default page cache) through prepared statements of the native library, for
/// PostgreSQL one <c>= ANY($1)</c> query over the primary key, prepared, on the server the store benchmarks use.
/// </remarks>
internal abstract class LookupFloor : IAsyncDisposable
{
    /// <summary>Opens a floor table filled with keys 1 to <paramref name="rows"/>.</summary>
    public static async Task<LookupFloor> OpenAsync(StoreKind kind, int rows) => kind switch
    {
        StoreKind.Sqlite => SqliteFloor.Open(rows),
        StoreKind.PostgreSql => await PostgreSqlFloor.OpenAsync(rows),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only SQLite and PostgreSQL have a floor."),
    };

    /// <summary>The value stored under a key.</summary>
    protected static long ValueOf(long key) => 7_000_000_000L + key;

    /// <summary>Looks up the keys and returns how many were found, checking each value.</summary>
    public abstract ValueTask<int> LookupAsync(long[] keys);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteFloor : LookupFloor
    {
        private readonly string _directory;
        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _select;

        private SqliteFloor(string directory, SqliteConnection connection, sqlite3_stmt select)
        {
            _directory = directory;
            _connection = connection;
            _select = select;
        }

        public static SqliteFloor Open(int rows)
        {
            string directory = Directory.CreateTempSubdirectory("nextcart-floor-").FullName;
            SqliteConnection connection = new($"Data Source={Path.Combine(directory, "floor.db")};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 0; CREATE TABLE floor_map (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
            using (SqliteTransaction transaction = connection.BeginTransaction())
            using (SqliteCommand insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO floor_map (k, v) VALUES ($k, $v)";
                SqliteParameter k = insert.Parameters.Add("$k", SqliteType.Integer);
                SqliteParameter v = insert.Parameters.Add("$v", SqliteType.Integer);
                insert.Prepare();
                for (long key = 1; key <= rows; key++)
                {
                    k.Value = key;
                    v.Value = ValueOf(key);
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            int rc = raw.sqlite3_prepare_v2(connection.Handle, "SELECT v FROM floor_map WHERE k = ?1", out sqlite3_stmt select);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            return new SqliteFloor(directory, connection, select);
        }

        public override ValueTask<int> LookupAsync(long[] keys)
        {
            long[] sorted = [.. keys];
            Array.Sort(sorted);
            Execute(_connection, "BEGIN");
            int found = 0;
            foreach (long key in sorted)
            {
                raw.sqlite3_bind_int64(_select, 1, key);
                if (raw.sqlite3_step(_select) == raw.SQLITE_ROW)
                {
                    found += raw.sqlite3_column_int64(_select, 0) == ValueOf(key) ? 1 : 0;
                }

                raw.sqlite3_reset(_select);
            }

            Execute(_connection, "COMMIT");
            return ValueTask.FromResult(found);
        }

        public override ValueTask DisposeAsync()
        {
            _select.Dispose();
            _connection.Dispose();
            Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        }

        private static void Execute(SqliteConnection connection, string sql)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private sealed class PostgreSqlFloor : LookupFloor
    {
        private static int _schemas;

        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _select;
        private readonly NpgsqlParameter<long[]> _keys;
        private readonly string _schema;

        private PostgreSqlFloor(NpgsqlConnection connection, NpgsqlCommand select, NpgsqlParameter<long[]> keys, string schema)
        {
            _connection = connection;
            _select = select;
            _keys = keys;
            _schema = schema;
        }

        public static async Task<PostgreSqlFloor> OpenAsync(int rows)
        {
            string connectionString = BenchmarkStore.PostgreSqlConnection ?? throw new InvalidOperationException(BenchmarkStore.PostgreSqlSkipped);
            string schema = string.Create(CultureInfo.InvariantCulture, $"bench_floor_{Environment.ProcessId}_{Interlocked.Increment(ref _schemas)}");
            NpgsqlConnection connection = new(connectionString);
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".floor_map (k bigint PRIMARY KEY, v bigint NOT NULL)");
            await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync($"COPY \"{schema}\".floor_map (k, v) FROM STDIN (FORMAT BINARY)"))
            {
                for (long key = 1; key <= rows; key++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(key, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(ValueOf(key), NpgsqlDbType.Bigint);
                }

                await copy.CompleteAsync();
            }

            // At rest, as the store's map is measured (BenchmarkStore.SettleAsync): vacuumed, so the probes are index-only.
            await ExecuteAsync(connection, $"VACUUM (ANALYZE) \"{schema}\".floor_map");
            NpgsqlCommand select = new($"SELECT k, v FROM \"{schema}\".floor_map WHERE k = ANY($1)", connection);
            NpgsqlParameter<long[]> keys = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = [] };
            select.Parameters.Add(keys);
            await select.PrepareAsync();
            return new PostgreSqlFloor(connection, select, keys, schema);
        }

        public override async ValueTask<int> LookupAsync(long[] keys)
        {
            _keys.TypedValue = keys;
            int found = 0;
            await using NpgsqlDataReader reader = await _select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found += reader.GetInt64(1) == ValueOf(reader.GetInt64(0)) ? 1 : 0;
            }

            return found;
        }

        public override async ValueTask DisposeAsync()
        {
            await _select.DisposeAsync();
            await ExecuteAsync(_connection, $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await _connection.DisposeAsync();
        }

        private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
        {
            await using NpgsqlCommand command = new(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }
}
