using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// ID-map and checkpoint commit throughput: 100,000 new ID-map rows committed as the engine commits them, in 1,000
/// batches of 100, one <see cref="ICheckpointStore.CommitBatchAsync"/> call per batch, one after the other (the engine has
/// one committer per entity type). Each batch also resolves its 100 write intents, advances the resume token, adds the
/// counters and merges the high-water mark, fenced on the run's lease.
/// </summary>
/// <remarks>
/// Every iteration gets a fresh store with a project, a run, the lease and the 100,000 intents already recorded (in
/// <c>[IterationSetup]</c>, not measured), so each commit deletes real intent rows. The in-memory store is the
/// baseline. The PostgreSQL case runs only when <c>NEXTCART_POSTGRES_CONNECTION</c> is set. Goals: SQLite ≥ 100,000
/// mappings/s, PostgreSQL ≥ 50,000 mappings/s.
/// </remarks>
[Config(typeof(Config))]
public class StoreCommitBenchmark
{
    public const int Mappings = 100_000;
    public const int BatchSize = 100;

    private BenchmarkStore? _store;

    [IterationSetup(Target = nameof(InMemory))]
    public void SetupInMemory() => Setup(StoreKind.InMemory);

    [IterationSetup(Target = nameof(Sqlite))]
    public void SetupSqlite() => Setup(StoreKind.Sqlite);

    [IterationSetup(Target = nameof(SqliteMemoryMap))]
    public void SetupSqliteMemoryMap() => Setup(StoreKind.SqliteMemoryMap);

    [IterationSetup(Target = nameof(PostgreSql))]
    public void SetupPostgreSql() => Setup(StoreKind.PostgreSql);

    [IterationSetup(Target = nameof(PostgreSqlSynchronous))]
    public void SetupPostgreSqlSynchronous() => Setup(StoreKind.PostgreSqlSynchronous);

    [Benchmark(Baseline = true)]
    public Task InMemory() => CommitAllAsync();

    [Benchmark]
    public Task Sqlite() => CommitAllAsync();

    [Benchmark]
    public Task SqliteMemoryMap() => CommitAllAsync();

    [Benchmark]
    public Task PostgreSql() => CommitAllAsync();

    [Benchmark]
    public Task PostgreSqlSynchronous() => CommitAllAsync();

    [IterationCleanup]
    public void IterationCleanup()
    {
        BenchmarkStore store = _store ?? throw new InvalidOperationException("No store.");
        CpuMeter.Stop(store.Kind.ToString());
        _store = null;
        try
        {
            CheckAsync(store).GetAwaiter().GetResult();
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Commits every batch, as the engine's committer does: one awaited call per batch.</summary>
    public async Task CommitAllAsync()
    {
        BenchmarkStore store = _store ?? throw new InvalidOperationException("No store.");
        CpuMeter.Start();
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        for (long first = 0; first < Mappings; first += BatchSize)
        {
            await store.Store.CommitBatchAsync(CommitWorkload.Batch(first, BatchSize, store.Lease, now));
        }
    }

    private void Setup(StoreKind kind)
    {
        _store = SetupAsync(kind).GetAwaiter().GetResult();
    }

    private static async Task<BenchmarkStore> SetupAsync(StoreKind kind)
    {
        BenchmarkStore store = await BenchmarkStore.OpenAsync(kind, "commit");
        for (long first = 0; first < Mappings; first += BatchSize)
        {
            await store.Store.AddPendingAsync(BenchmarkStore.ProjectId, BenchmarkStore.RunId, CommitWorkload.Type, CommitWorkload.Intents(first, BatchSize), store.Lease);
        }

        return store;
    }

    /// <summary>Throws unless the invocation left every row mapped, no intent pending and the counters right.</summary>
    private static async Task CheckAsync(BenchmarkStore store)
    {
        await store.SettleAsync();
        long mapped = await store.Store.CountMappedAsync(BenchmarkStore.ProjectId, CommitWorkload.Type);
        int pending = (await store.Store.GetPendingAsync(BenchmarkStore.ProjectId, CommitWorkload.Type)).Count;
        TypeCheckpoint? checkpoint = (await store.Store.GetCheckpointsAsync(BenchmarkStore.RunId)).SingleOrDefault();
        if (mapped != Mappings || pending != 0 || checkpoint?.Counters.Created != Mappings || checkpoint.PointsCharged != Mappings
            || checkpoint.ResumeToken != "page=" + CommitWorkload.SourceId(Mappings - 1))
        {
            throw new InvalidOperationException(
                $"The {store.Kind} store did not commit every batch: {mapped} mapped, {pending} pending, checkpoint {checkpoint}.");
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new FixedThroughputColumn("Mappings/s", Mappings), CpuTimeColumn.Time, CpuTimeColumn.Ratio);
            AddFilter(new PostgreSqlFilter());
        }
    }
}

/// <summary>
/// Bulk lookup of 1,000 source ids in an ID map of 1,000,000 rows, as the mapper looks up a page's records and the
/// resolver their references. The ids of each lookup are drawn at random over the whole map (no locality: the worst
/// case for a B-tree), and every one of them is mapped. Goal: under 5 ms per lookup.
/// </summary>
/// <remarks>
/// The map is filled once per store in <c>[GlobalSetup]</c>, with commits of 5,000 rows. Each invocation runs
/// <see cref="LookupsPerInvoke"/> lookups over different id sets, and the table reports the time of one.
/// <see cref="SqliteFloor"/> and <see cref="PostgreSqlFloor"/> make the same probes in a bare table of 64-bit keys (see
/// <see cref="LookupFloor"/>): what the database alone needs on this machine, measured in the same run.
/// </remarks>
[Config(typeof(Config))]
public class StoreLookupBenchmark
{
    public const int MapRows = 1_000_000;
    public const int IdsPerLookup = 1_000;
    public const int LookupsPerInvoke = 20;
    private const int FillBatch = 5_000;

    private BenchmarkStore? _store;
    private LookupFloor? _floor;
    private string[][] _idSets = [];
    private long[][] _keySets = [];
    private int _next;
    private string _case = "";

    [GlobalSetup(Target = nameof(InMemory))]
    public void SetupInMemory() => Setup(StoreKind.InMemory);

    [GlobalSetup(Target = nameof(Sqlite))]
    public void SetupSqlite() => Setup(StoreKind.Sqlite);

    [GlobalSetup(Target = nameof(SqliteMemoryMap))]
    public void SetupSqliteMemoryMap() => Setup(StoreKind.SqliteMemoryMap);

    [GlobalSetup(Target = nameof(PostgreSql))]
    public void SetupPostgreSql() => Setup(StoreKind.PostgreSql);

    [GlobalSetup(Target = nameof(SqliteOneConnection))]
    public void SetupSqliteOneConnection() => Setup(StoreKind.SqliteOneConnection);

    [GlobalSetup(Target = nameof(PostgreSqlTwoConnections))]
    public void SetupPostgreSqlTwoConnections() => Setup(StoreKind.PostgreSqlTwoConnections);

    [GlobalSetup(Target = nameof(SqliteFloor))]
    public void SetupSqliteFloor() => SetupFloor(StoreKind.Sqlite);

    [GlobalSetup(Target = nameof(PostgreSqlFloor))]
    public void SetupPostgreSqlFloor() => SetupFloor(StoreKind.PostgreSql);

    [Benchmark(Baseline = true, OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> InMemory() => LookupAsync();

    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> Sqlite() => LookupAsync();

    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> SqliteMemoryMap() => LookupAsync();

    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> PostgreSql() => LookupAsync();

    /// <summary>The SQLite store's lookup on one connection (<c>MaxLookupParallelism</c> = 1), as before lookups were split.</summary>
    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> SqliteOneConnection() => LookupAsync();

    /// <summary>The PostgreSQL store's lookup in two parts on two connections (<c>MaxLookupParallelism</c> = 2; its default is 1).</summary>
    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> PostgreSqlTwoConnections() => LookupAsync();

    /// <summary>The database's own floor: SQLite probing a bare 64-bit key table (see <see cref="LookupFloor"/>).</summary>
    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> SqliteFloor() => LookupFloorAsync();

    /// <summary>The database's own floor: PostgreSQL probing a bare 64-bit key table (see <see cref="LookupFloor"/>).</summary>
    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public Task<int> PostgreSqlFloor() => LookupFloorAsync();

    [IterationCleanup]
    public void IterationCleanup() => CpuMeter.Stop(_case, LookupsPerInvoke);

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store = null;
        _floor?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _floor = null;
    }

    private async Task<int> LookupAsync()
    {
        ICheckpointStore store = (_store ?? throw new InvalidOperationException("No store.")).Store;
        CpuMeter.Start();
        int found = 0;
        for (int i = 0; i < LookupsPerInvoke; i++)
        {
            string[] ids = _idSets[_next];
            _next = (_next + 1) % _idSets.Length;
            found += (await store.LookupAsync(BenchmarkStore.ProjectId, CommitWorkload.Type, ids)).Count;
        }

        if (found != LookupsPerInvoke * IdsPerLookup)
        {
            throw new InvalidOperationException($"The lookups found {found} rows; expected {LookupsPerInvoke * IdsPerLookup}.");
        }

        return found;
    }

    private async Task<int> LookupFloorAsync()
    {
        LookupFloor floor = _floor ?? throw new InvalidOperationException("No floor table.");
        CpuMeter.Start();
        int found = 0;
        for (int i = 0; i < LookupsPerInvoke; i++)
        {
            long[] keys = _keySets[_next];
            _next = (_next + 1) % _keySets.Length;
            found += await floor.LookupAsync(keys);
        }

        if (found != LookupsPerInvoke * IdsPerLookup)
        {
            throw new InvalidOperationException($"The floor lookups found {found} rows; expected {LookupsPerInvoke * IdsPerLookup}.");
        }

        return found;
    }

    private void Setup(StoreKind kind)
    {
        DrawIdSets();
        _case = kind.ToString();
        _store = FillAsync(kind).GetAwaiter().GetResult();
    }

    private void SetupFloor(StoreKind kind)
    {
        DrawIdSets();
        _case = kind == StoreKind.Sqlite ? nameof(SqliteFloor) : nameof(PostgreSqlFloor);
        _floor = LookupFloor.OpenAsync(kind, MapRows).GetAwaiter().GetResult();
    }

    /// <summary>Draws the lookups' id sets, the same for every case: as source ids, and as the floor tables' integer keys.</summary>
    private void DrawIdSets()
    {
        Random random = new(20261126);
        _idSets = new string[LookupsPerInvoke * 10][];
        _keySets = new long[_idSets.Length][];
        for (int s = 0; s < _idSets.Length; s++)
        {
            HashSet<long> indexes = [];
            while (indexes.Count < IdsPerLookup)
            {
                indexes.Add(random.NextInt64(MapRows));
            }

            _keySets[s] = [.. indexes.Select(index => index + 1)];
            _idSets[s] = [.. indexes.Select(CommitWorkload.SourceId)];
        }
    }

    private static async Task<BenchmarkStore> FillAsync(StoreKind kind)
    {
        BenchmarkStore store = await BenchmarkStore.OpenAsync(kind, "lookup");
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        for (long first = 0; first < MapRows; first += FillBatch)
        {
            await store.Store.CommitBatchAsync(CommitWorkload.Batch(first, FillBatch, store.Lease, now) with { ResolvedPending = [] });
        }

        long mapped = await store.Store.CountMappedAsync(BenchmarkStore.ProjectId, CommitWorkload.Type);
        if (mapped != MapRows)
        {
            throw new InvalidOperationException($"The {kind} store holds {mapped} rows after the fill; expected {MapRows}.");
        }

        return store;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new FixedThroughputColumn("Ids/s", IdsPerLookup), CpuTimeColumn.Time, CpuTimeColumn.Ratio);
            AddFilter(new PostgreSqlFilter());
        }
    }
}

/// <summary>Leaves the PostgreSQL cases out, with a clear message, when no server is configured.</summary>
internal sealed class PostgreSqlFilter : IFilter
{
    private static int _warned;

    public bool Predicate(BenchmarkCase benchmarkCase)
    {
        if (!benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith(nameof(StoreCommitBenchmark.PostgreSql), StringComparison.Ordinal) || BenchmarkStore.PostgreSqlConnection is not null)
        {
            return true;
        }

        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            Console.Error.WriteLine(BenchmarkStore.PostgreSqlSkipped);
        }

        return false;
    }
}

/// <summary>Items per second from the mean time of one operation that handles a fixed number of items.</summary>
internal sealed class FixedThroughputColumn : ComputedColumn
{
    private readonly int _items;

    public FixedThroughputColumn(string name, int items)
        : base(name, $"{items:N0} / Mean")
        => _items = items;

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
        => MeanSeconds(summary, benchmarkCase) is { } seconds && seconds > 0
            ? (_items / seconds).ToString("N0", CultureInfo.InvariantCulture)
            : null;
}
