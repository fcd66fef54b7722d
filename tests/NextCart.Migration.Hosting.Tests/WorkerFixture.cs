using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Hosting.Tests;

/// <summary>In-memory projects that outlive the hosts (the "stores" being migrated) and a resolver that rebuilds their connectors.</summary>
internal sealed class TestProjects : IConnectorResolver
{
    public static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Products = 30, Customers = 20, Orders = 40, Reviews = 20 });

    private readonly ConcurrentDictionary<string, (InMemorySourceConnector Source, InMemoryTargetConnector Target)> _projects = new(StringComparer.Ordinal);
    private int _active;
    private int _maxActive;
    private int _resolves;

    public Func<ProjectRecord, Exception?>? Failure { get; set; }

    public int MaxActive => Volatile.Read(ref _maxActive);

    public int Resolves => Volatile.Read(ref _resolves);

    public MigrationProject Add(string projectId, TimeSpan batchLatency = default)
    {
        InMemorySourceConnector source = new(Sample) { PageSize = 10 };
        InMemoryTargetConnector target = new() { BatchLatency = batchLatency };
        _projects[projectId] = (source, target);
        return new MigrationProject(projectId, source, target) { Settings = new Dictionary<string, string> { ["store"] = projectId } };
    }

    public InMemoryTargetConnector Target(string projectId) => _projects[projectId].Target;

    public ValueTask<ResolvedConnectors> ResolveAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _resolves);
        if (Failure?.Invoke(project) is { } error)
        {
            throw error;
        }

        Assert.Equal(project.ProjectId, project.Settings["store"]);
        (InMemorySourceConnector source, InMemoryTargetConnector target) = _projects[project.ProjectId];
        int active = Interlocked.Increment(ref _active);
        int max;
        while (active > (max = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, active, max) != max)
        {
        }

        return ValueTask.FromResult(new ResolvedConnectors(source, target, new Release(() => Interlocked.Decrement(ref _active))));
    }

    public static MigrationOptions Options() => new() { MaxBatchSize = 10, DefaultCustomerGroup = CustomerGroups.General };

    /// <summary>Checks every record of the migrated types is on the target exactly once (the sample's broken records excepted).</summary>
    public static void AssertExactlyOnce(InMemoryTargetConnector target, MigrationReport report)
    {
        HashSet<(EntityType, string)> failed = report.Failures.Select(f => (f.EntityType, f.SourceId)).ToHashSet();
        foreach (EntityType type in new[] { EntityType.Categories, EntityType.Products, EntityType.Customers, EntityType.Orders })
        {
            IReadOnlyList<InMemoryTargetEntry> records = target.GetRecords(type);
            List<string> written = records.Select(r => r.SourceId).ToList();
            Assert.Equal(written.Count, written.Distinct(StringComparer.Ordinal).Count());
            int expected = Sample.Get(type).Count(e => !failed.Contains((type, e.SourceId)));
            Assert.Equal(expected, written.Count);
        }
    }

    private sealed class Release(Action release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Builds real generic hosts running the worker over a shared SQLite file.</summary>
internal static class WorkerHosts
{
    public static IHost Build(string databasePath, TestProjects projects, Action<MigrationWorkerOptions>? configure = null, TimeSpan? leaseDuration = null, TimeSpan? shutdownTimeout = null, string? owner = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30));
        builder.Services.AddNextCartMigration(o =>
        {
            o.LeaseDuration = leaseDuration ?? TimeSpan.FromMinutes(2);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            if (owner is not null)
            {
                o.OwnerId = owner;
            }
        }).UseSqliteStore($"Data Source={databasePath}");
        builder.Services.AddSingleton<IConnectorResolver>(projects);
        builder.Services.AddNextCartMigrationWorker(o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return builder.Build();
    }

    public static async Task<RunRecord> WaitForStateAsync(ICheckpointStore store, string runId, Func<MigrationRunState, bool> done, TimeSpan? timeout = null)
    {
        using CancellationTokenSource cts = new(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            RunRecord? run = await store.GetRunAsync(runId, cts.Token);
            if (run is not null && done(run.State))
            {
                return run;
            }

            await Task.Delay(20, cts.Token);
        }
    }

    public static bool IsFinished(MigrationRunState state) => state is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors;
}
