using System.Globalization;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.PostgreSql;
using NextCart.Migration.Sqlite;
using Npgsql;

namespace NextCart.Migration.Benchmarks;

/// <summary>The checkpoint stores the store benchmarks compare.</summary>
public enum StoreKind
{
    /// <summary><see cref="CheckpointStore.CreateInMemory"/>, the baseline.</summary>
    InMemory,

    /// <summary>The SQLite store on a file in a temporary directory, with its defaults (WAL, synchronous=NORMAL, no memory map).</summary>
    Sqlite,

    /// <summary>The SQLite store with <c>MemoryMapSize</c> = 1 GiB: pages are read through a memory map, not with system calls.</summary>
    SqliteMemoryMap,

    /// <summary>
    /// The PostgreSQL store on <c>NEXTCART_POSTGRES_CONNECTION</c>, in a schema of its own, with its defaults (asynchronous
    /// batch commits).
    /// </summary>
    PostgreSql,

    /// <summary>The PostgreSQL store with <see cref="PostgreSqlCommitDurability.Synchronous"/> batch commits.</summary>
    PostgreSqlSynchronous,

    /// <summary>The SQLite store with <c>MaxLookupParallelism</c> = 1: a bulk lookup runs on one connection, as before the option.</summary>
    SqliteOneConnection,

    /// <summary>The PostgreSQL store with <c>MaxLookupParallelism</c> = 2: a bulk lookup runs in two parts on two connections.</summary>
    PostgreSqlTwoConnections,
}

/// <summary>
/// Opens a fresh, empty store of one kind and removes what it left behind when disposed: the SQLite file and its
/// directory, or the PostgreSQL schema.
/// </summary>
internal sealed class BenchmarkStore : IAsyncDisposable
{
    public const string ConnectionVariable = "NEXTCART_POSTGRES_CONNECTION";
    public const string ProjectId = "bench";
    public const string RunId = "run-1";
    public const string Owner = "bench-worker";

    private static int _schemas;

    private readonly string? _directory;
    private readonly string? _schema;

    private BenchmarkStore(StoreKind kind, ICheckpointStore store, string? directory, string? schema)
    {
        Kind = kind;
        Store = store;
        _directory = directory;
        _schema = schema;
    }

    public StoreKind Kind { get; }

    public ICheckpointStore Store { get; }

    /// <summary>Gets the lease the engine would hold while it commits.</summary>
    public RunLease? Lease { get; private set; }

    /// <summary>Gets the PostgreSQL connection string, or <see langword="null"/> when the variable is not set.</summary>
    public static string? PostgreSqlConnection => Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : null;

    /// <summary>The message printed when the PostgreSQL cases are left out.</summary>
    public static string PostgreSqlSkipped =>
        $"PostgreSQL store benchmarks SKIPPED: {ConnectionVariable} is not set. Start a server with `eval \"$(eng/postgres.sh start)\"` (NEXTCART_POSTGRES_DURABLE=1 for durable settings) and run again.";

    /// <summary>Opens a fresh store with a project, a run and the run's lease, as the engine has them when it commits.</summary>
    public static async Task<BenchmarkStore> OpenAsync(StoreKind kind, string tag)
    {
        BenchmarkStore opened = kind switch
        {
            StoreKind.InMemory => new BenchmarkStore(kind, CheckpointStore.CreateInMemory(), null, null),
            StoreKind.Sqlite => OpenSqlite(kind, memoryMapSize: null),
            StoreKind.SqliteMemoryMap => OpenSqlite(kind, memoryMapSize: 1L << 30),
            StoreKind.SqliteOneConnection => OpenSqlite(kind, memoryMapSize: null, lookupParallelism: 1),
            StoreKind.PostgreSql => OpenPostgreSql(kind, tag, PostgreSqlCommitDurability.Asynchronous),
            StoreKind.PostgreSqlSynchronous => OpenPostgreSql(kind, tag, PostgreSqlCommitDurability.Synchronous),
            StoreKind.PostgreSqlTwoConnections => OpenPostgreSql(kind, tag, PostgreSqlCommitDurability.Asynchronous, lookupParallelism: 2),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        await opened.Store.EnsureProjectAsync(new ProjectRecord(ProjectId, "source", "target") { CreatedAt = now });
        await opened.Store.CreateRunAsync(new RunRecord { RunId = RunId, ProjectId = ProjectId, Mode = MigrationMode.Full, State = MigrationRunState.Running, CreatedAt = now, StartedAt = now });
        opened.Lease = await opened.Store.TryAcquireLeaseAsync(RunId, Owner, now, TimeSpan.FromHours(1))
            ?? throw new InvalidOperationException("The benchmark could not take the run's lease.");
        return opened;
    }

    private static BenchmarkStore OpenSqlite(StoreKind kind, long? memoryMapSize, int? lookupParallelism = null)
    {
        string directory = Directory.CreateTempSubdirectory("nextcart-bench-").FullName;
        string file = Path.Combine(directory, "checkpoints.db");
        var options = new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={file}" };
        options.MemoryMapSize = memoryMapSize ?? options.MemoryMapSize;
        options.MaxLookupParallelism = lookupParallelism ?? options.MaxLookupParallelism;
        return new BenchmarkStore(kind, SqliteCheckpointStore.Create(options), directory, null);
    }

    private static BenchmarkStore OpenPostgreSql(StoreKind kind, string tag, PostgreSqlCommitDurability durability, int? lookupParallelism = null)
    {
        string connection = PostgreSqlConnection ?? throw new InvalidOperationException(PostgreSqlSkipped);
        string schema = string.Create(CultureInfo.InvariantCulture, $"bench_{tag}_{Environment.ProcessId}_{Interlocked.Increment(ref _schemas)}");
        var options = new PostgreSqlCheckpointStoreOptions { SchemaName = schema, CommitDurability = durability };
        options.MaxLookupParallelism = lookupParallelism ?? options.MaxLookupParallelism;
        ICheckpointStore store = PostgreSqlCheckpointStore.Create(connection, options);
        return new BenchmarkStore(kind, store, null, schema);
    }

    /// <summary>
    /// Brings a freshly filled store to rest before it is measured: for PostgreSQL, vacuums and analyzes the ID map, which
    /// the fill's million inserts would otherwise make autovacuum do in the middle of the measured lookups (it did in every
    /// pg10 run: a scan of the whole heap and its indexes on the same two cores); a map at rest has had that pass.
    /// </summary>
    public async Task SettleAsync()
    {
        if (_schema is not null && PostgreSqlConnection is { } connectionString)
        {
            await using NpgsqlConnection connection = new(connectionString);
            await connection.OpenAsync();
            await using NpgsqlCommand vacuum = new($"VACUUM (ANALYZE) \"{_schema}\".id_map", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }

        if (_schema is not null && PostgreSqlConnection is { } connectionString)
        {
            await using NpgsqlConnection connection = new(connectionString);
            await connection.OpenAsync();
            await using NpgsqlCommand drop = new($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>
/// Builds the <see cref="BatchCommit"/>s the engine's committer sends for pages of new products: one commit per batch of
/// 100 created records, each with its ID-map row (target id, target URL, source URL, 32-character content checksum,
/// points), the resolved write intents, the counters, the high-water mark and the page's resume token, fenced on the
/// run's lease (see <c>TypeTransfer.CommitAsync</c>).
/// </summary>
internal static class CommitWorkload
{
    public const EntityType Type = EntityType.Products;

    /// <summary>Gets the source id of the <paramref name="index"/>-th record (1-based numeric ids, as most platforms use).</summary>
    public static string SourceId(long index) => (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the write intents of a batch, as the mapper records them before the batch is written.</summary>
    public static SourceIdentity[] Intents(long first, int count)
    {
        SourceIdentity[] intents = new SourceIdentity[count];
        for (int i = 0; i < count; i++)
        {
            string id = SourceId(first + i);
            intents[i] = new SourceIdentity(Type, id, "sku-" + id);
        }

        return intents;
    }

    /// <summary>Builds the commit of the batch of <paramref name="count"/> records starting at <paramref name="first"/>.</summary>
    public static BatchCommit Batch(long first, int count, RunLease? lease, DateTimeOffset now)
    {
        IdMapEntry[] mappings = new IdMapEntry[count];
        string[] resolved = new string[count];
        for (int i = 0; i < count; i++)
        {
            long index = first + i;
            string id = SourceId(index);
            mappings[i] = new IdMapEntry
            {
                Type = Type,
                SourceId = id,
                TargetId = (7_000_000_000L + index).ToString(CultureInfo.InvariantCulture),
                TargetUrl = "https://target.example/products/product-" + id,
                SourceUrl = "/product/product-" + id + "/",
                Checksum = Checksum(index),
                FirstMigratedAt = now,
                LastUpdatedAt = now,
                RunId = BenchmarkStore.RunId,
                Points = 1m,
            };
            resolved[i] = id;
        }

        string last = SourceId(first + count - 1);
        return new BatchCommit
        {
            ProjectId = BenchmarkStore.ProjectId,
            RunId = BenchmarkStore.RunId,
            Type = Type,
            Lease = lease,
            Mappings = mappings,
            ResolvedPending = resolved,
            AdvanceToken = true,
            ResumeToken = "page=" + last,
            Counters = new TypeCounters(count, count, 0, 0, 0),
            HighWaterMark = new HighWaterMark(now, last),
        };
    }

    private static string Checksum(long index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, unchecked((ulong)index * 0x9E3779B97F4A7C15UL));
        BitConverter.TryWriteBytes(bytes[8..], ~index);
        return Convert.ToHexStringLower(bytes);
    }
}
