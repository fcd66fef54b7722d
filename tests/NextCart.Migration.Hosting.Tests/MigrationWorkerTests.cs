using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Hosting.Tests;

/// <summary>The background worker in real generic hosts over a SQLite store, with in-memory connectors.</summary>
public sealed class MigrationWorkerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nextcart-hosting-").FullName;

    private string Database => Path.Combine(_directory, "store.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Worker_ThreeQueuedRunsTwoSlots_ExecutesEachOnceWithAtMostTwoAtOnce()
    {
        TestProjects projects = new();
        using IHost host = WorkerHosts.Build(Database, projects, o => o.MaxConcurrentRuns = 2);
        MigrationManager manager = host.Services.GetRequiredService<MigrationManager>();
        string[] runIds = new string[3];
        for (int i = 0; i < 3; i++)
        {
            runIds[i] = await manager.QueueAsync(projects.Add($"p{i}", TimeSpan.FromMilliseconds(5)), TestProjects.Options());
        }

        await host.StartAsync();
        foreach (string runId in runIds)
        {
            await WorkerHosts.WaitForStateAsync(manager.Store, runId, WorkerHosts.IsFinished);
        }

        await host.StopAsync();
        for (int i = 0; i < 3; i++)
        {
            TestProjects.AssertExactlyOnce(projects.Target($"p{i}"), await manager.GetReportAsync(runIds[i]));
        }

        Assert.Equal(3, projects.Resolves);
        Assert.InRange(projects.MaxActive, 1, 2);
        Assert.Equal(3, host.Services.GetRequiredService<IMigrationWorkerMonitor>().GetSnapshot().RunsClaimed);
    }

    [Fact]
    public async Task Worker_TwoHostsSharingTheStore_EachQueuedRunExecutesExactlyOnce()
    {
        TestProjects projects = new();
        using IHost first = WorkerHosts.Build(Database, projects, o => o.MaxConcurrentRuns = 3);
        using IHost second = WorkerHosts.Build(Database, projects, o => o.MaxConcurrentRuns = 3);
        MigrationManager manager = first.Services.GetRequiredService<MigrationManager>();
        List<string> runIds = [];
        for (int i = 0; i < 4; i++)
        {
            runIds.Add(await manager.QueueAsync(projects.Add($"shared{i}", TimeSpan.FromMilliseconds(2)), TestProjects.Options()));
        }

        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        foreach (string runId in runIds)
        {
            await WorkerHosts.WaitForStateAsync(manager.Store, runId, WorkerHosts.IsFinished);
        }

        await Task.WhenAll(first.StopAsync(), second.StopAsync());
        long claimed = first.Services.GetRequiredService<IMigrationWorkerMonitor>().GetSnapshot().RunsClaimed
            + second.Services.GetRequiredService<IMigrationWorkerMonitor>().GetSnapshot().RunsClaimed;
        Assert.Equal(4, claimed);
        for (int i = 0; i < 4; i++)
        {
            TestProjects.AssertExactlyOnce(projects.Target($"shared{i}"), await manager.GetReportAsync(runIds[i]));
        }
    }

    [Fact]
    public async Task Worker_RunLeftRunningByCrashedProcess_ResumesOnlyAfterItsLeaseExpires()
    {
        TestProjects projects = new();
        MigrationProject project = projects.Add("crashed", TimeSpan.FromMilliseconds(5));
        string runId;

        // A first process migrates part of the run, then "crashes": the run is left Running under a lease it no longer renews.
        using (IHost dying = WorkerHosts.Build(Database, projects))
        {
            MigrationManager first = dying.Services.GetRequiredService<MigrationManager>();
            MigrationOperation operation = await first.StartAsync(project, TestProjects.Options());
            runId = operation.RunId;
            await WaitForCommittedAsync(first.Store, runId);
            await operation.PauseAsync();
            RunRecord paused = (await first.Store.GetRunAsync(runId))!;
            RunLease lease = (await first.Store.TryAcquireLeaseAsync(runId, "dead-process", DateTimeOffset.UnixEpoch.AddYears(60), TimeSpan.FromDays(365 * 100)))!;
            await first.Store.UpdateRunAsync(paused with { State = MigrationRunState.Running, EndedAt = null }, lease);
        }

        using IHost host = WorkerHosts.Build(Database, projects);
        await host.StartAsync();
        IMigrationWorkerMonitor monitor = host.Services.GetRequiredService<IMigrationWorkerMonitor>();
        await WaitForPollsAsync(monitor, 3);
        Assert.Equal(0, projects.Resolves);
        MigrationManager manager = host.Services.GetRequiredService<MigrationManager>();
        Assert.Equal(MigrationRunState.Running, (await manager.Store.GetRunAsync(runId))!.State);

        // The dead process's lease expires (it was renewed into the past), and the worker takes the run over from its checkpoint.
        await manager.Store.TryAcquireLeaseAsync(runId, "dead-process", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1));
        await WorkerHosts.WaitForStateAsync(manager.Store, runId, WorkerHosts.IsFinished);
        await host.StopAsync();

        Assert.Equal(1, projects.Resolves);
        TestProjects.AssertExactlyOnce(projects.Target("crashed"), await manager.GetReportAsync(runId));
    }

    [Fact]
    public async Task StopAsync_DuringRun_PausesAfterCommitAndAnotherHostResumesIt()
    {
        TestProjects projects = new();
        MigrationProject project = projects.Add("shutdown", TimeSpan.FromMilliseconds(20));
        string runId;
        using (IHost host = WorkerHosts.Build(Database, projects))
        {
            MigrationManager manager = host.Services.GetRequiredService<MigrationManager>();
            runId = await manager.QueueAsync(project, TestProjects.Options());
            await host.StartAsync();
            await WaitForCommittedAsync(manager.Store, runId);
            await host.StopAsync();

            RunRecord stopped = (await manager.Store.GetRunAsync(runId))!;
            Assert.Equal(MigrationRunState.Paused, stopped.State);
            Assert.Equal(MigrationWorkerOptions.ShutdownPauseMessage, stopped.Message);
            Assert.Contains(await manager.Store.GetCheckpointsAsync(runId), c => c.Counters.Processed > 0);
            Assert.Empty(host.Services.GetRequiredService<IMigrationWorkerMonitor>().GetSnapshot().ActiveRunIds);
        }

        using IHost next = WorkerHosts.Build(Database, projects);
        await next.StartAsync();
        MigrationManager nextManager = next.Services.GetRequiredService<MigrationManager>();
        await WorkerHosts.WaitForStateAsync(nextManager.Store, runId, WorkerHosts.IsFinished);
        await next.StopAsync();
        TestProjects.AssertExactlyOnce(projects.Target("shutdown"), await nextManager.GetReportAsync(runId));
    }

    [Fact]
    public async Task Worker_RunPausedByUser_IsNotResumedUnderTheDefaultPolicy()
    {
        TestProjects projects = new();
        MigrationProject project = projects.Add("user-paused", TimeSpan.FromMilliseconds(10));
        using IHost host = WorkerHosts.Build(Database, projects);
        MigrationManager manager = host.Services.GetRequiredService<MigrationManager>();
        MigrationOperation operation = await manager.StartAsync(project, TestProjects.Options());
        await WaitForCommittedAsync(manager.Store, operation.RunId);
        await operation.PauseAsync();

        await host.StartAsync();
        await WaitForPollsAsync(host.Services.GetRequiredService<IMigrationWorkerMonitor>(), 3);
        await host.StopAsync();

        Assert.Equal(0, projects.Resolves);
        Assert.Equal(MigrationRunState.Paused, (await manager.Store.GetRunAsync(operation.RunId))!.State);
    }

    [Fact]
    public async Task Worker_ResolverCannotRebuildConnectors_MarksRunFailedWithTheReasonAndGoesOn()
    {
        TestProjects projects = new() { Failure = p => p.ProjectId == "no-secret" ? new MigrationConfigurationException(FailureCategory.Configuration, "NEXTCART_TEST_TOKEN is not set.") : null };
        using IHost host = WorkerHosts.Build(Database, projects);
        MigrationManager manager = host.Services.GetRequiredService<MigrationManager>();
        string failing = await manager.QueueAsync(projects.Add("no-secret"), TestProjects.Options());
        string fine = await manager.QueueAsync(projects.Add("fine"), TestProjects.Options());

        await host.StartAsync();
        RunRecord failed = await WorkerHosts.WaitForStateAsync(manager.Store, failing, s => s == MigrationRunState.Failed);
        await WorkerHosts.WaitForStateAsync(manager.Store, fine, WorkerHosts.IsFinished);
        await host.StopAsync();

        Assert.Contains("NEXTCART_TEST_TOKEN is not set.", failed.Message, StringComparison.Ordinal);
        Assert.Contains("no-secret", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_ReportsTheWorkerState()
    {
        TestProjects projects = new();
        using IHost host = WorkerHosts.Build(Database, projects);
        MigrationWorkerHealthCheck check = new(host.Services.GetRequiredService<IMigrationWorkerMonitor>());
        HealthCheckContext context = new();

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        await host.StartAsync();
        await WaitForPollsAsync(host.Services.GetRequiredService<IMigrationWorkerMonitor>(), 1);
        HealthCheckResult running = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal("Running", running.Data["status"]);
        await host.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsWithEveryProblem()
    {
        using IHost host = WorkerHosts.Build(Database, new TestProjects(), o =>
        {
            o.MaxConcurrentRuns = 0;
            o.PollInterval = TimeSpan.Zero;
        });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("MaxConcurrentRuns", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PollInterval", StringComparison.Ordinal));
    }

    private static async Task WaitForCommittedAsync(ICheckpointStore store, string runId)
    {
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
        while (!(await store.GetCheckpointsAsync(runId, cts.Token)).Any(c => c.Type == Model.EntityType.Products && c.Counters.Processed > 0))
        {
            await Task.Delay(10, cts.Token);
        }
    }

    private static async Task WaitForPollsAsync(IMigrationWorkerMonitor monitor, int polls)
    {
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(30));
        DateTimeOffset? last = null;
        int seen = 0;
        while (seen < polls)
        {
            DateTimeOffset? current = monitor.GetSnapshot().LastPollAt;
            if (current is not null && current != last)
            {
                seen++;
                last = current;
            }

            await Task.Delay(10, cts.Token);
        }
    }
}
