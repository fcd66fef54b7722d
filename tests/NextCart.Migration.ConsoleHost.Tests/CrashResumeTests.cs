using System.Text.Json.Nodes;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.Sqlite;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary>
/// Real processes: a source and a target <c>sandbox</c> process, and <c>run</c> / <c>resume</c> processes over one SQLite
/// file that are killed with SIGKILL or stopped with SIGTERM part-way.
/// </summary>
public sealed class CrashResumeTests
{
    private const string Entities = "taxes,categories,products,customers,orders,coupons";

    [Fact]
    public async Task RunKilledTwiceThenResumed_EveryRecordOnceRelationshipsIntactPointsChargedOnce()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 30, seed: 11, latencyMs: 30);
        // Latency on the target too: a type's writes then span many polls of the kill-point wait, so a loaded machine cannot let
        // the resumed run write all the orders and finish between two polls (which left no kill point for the second kill).
        await using SandboxProcess target = await SandboxProcess.StartAsync(products: 0, seed: 11, empty: true, latencyMs: 30);
        Dictionary<string, string?> environment = new(source.Credentials) { ["NEXTCART_LEASE_SECONDS"] = "2" };
        string report = directory.File("report.json");

        // Kill 1: as soon as the first product batch is committed (the next batch is then being written or committed).
        await using (CliProcess run = CliProcess.Start(RunArgs(source, target, directory, "crash"), environment))
        {
            await WaitForProcessedAsync(directory, "crash", "products", 1, run, environment);
            run.Kill();
        }

        // Kill 2: the resume waits out the dead process's lease, goes on, and is killed again in the middle of the orders.
        await using (CliProcess resume = CliProcess.Start(["resume", "--project", "crash", "--store", directory.Store], environment))
        {
            await WaitForProcessedAsync(directory, "crash", "orders", 10, resume, environment);
            resume.Kill();
        }

        CliResult last = await CliProcess.RunAsync(["resume", "--project", "crash", "--store", directory.Store, "--report", report], environment, timeout: TimeSpan.FromSeconds(120));
        Assert.True(last.ExitCode is 0 or 2, last.Output);

        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Contains(json["status"]!.GetValue<string>(), new[] { "Completed", "CompletedWithErrors" });
        decimal expectedPoints = await MigrationCheck.AssertExactlyOnceAsync(source, target, json);
        Assert.Equal(expectedPoints, json["points"]!["charged"]!.GetValue<decimal>());
        JsonObject status = await CliTests.StatusAsync(directory, "crash", environment);
        Assert.Single(status["runs"]!.AsArray());
    }

    [Fact]
    public async Task RunStoppedWithSigterm_PausesWithACommittedCheckpointAndResumeCompletesIt()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 20, seed: 12, latencyMs: 30);
        await using SandboxProcess target = await SandboxProcess.StartAsync(products: 0, seed: 12, empty: true);
        Dictionary<string, string?> environment = new(source.Credentials) { ["NEXTCART_LEASE_SECONDS"] = "30" };
        string report = directory.File("report.json");

        await using (CliProcess run = CliProcess.Start(RunArgs(source, target, directory, "sigterm"), environment))
        {
            await WaitForProcessedAsync(directory, "sigterm", "products", 1, run, environment);
            run.Terminate();
            Assert.Equal(1, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(run.Stdout, l => l.Contains("is Paused; continue it with: nextcart-migrate resume --project sigterm", StringComparison.Ordinal));
        }

        JsonObject paused = (await CliTests.StatusAsync(directory, "sigterm", environment))["runs"]![0]!.AsObject();
        Assert.Equal("Paused", paused["status"]!.GetValue<string>());
        Assert.True(paused["entities"]!["products"]!["processed"]!.GetValue<long>() > 0);

        // The pause released the lease, so the resume starts at once (a 30 s lease would otherwise make it wait).
        CliResult resumed = await CliProcess.RunAsync(["resume", "--project", "sigterm", "--store", directory.Store, "--report", report], environment, timeout: TimeSpan.FromSeconds(120));
        Assert.True(resumed.ExitCode is 0 or 2, resumed.Output);
        Assert.DoesNotContain(resumed.Stdout, l => l.Contains("waiting", StringComparison.Ordinal));
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        decimal expectedPoints = await MigrationCheck.AssertExactlyOnceAsync(source, target, json);
        Assert.Equal(expectedPoints, json["points"]!["charged"]!.GetValue<decimal>());
    }

    internal static string[] RunArgs(SandboxProcess source, SandboxProcess target, TestDirectory directory, string project)
        => ["run", "--source", source.Spec, "--target", target.Spec, "--project", project, "--entities", Entities, "--batch-size", "5", "--default-order-status", "pending", "--store", directory.Store];

    /// <summary>
    /// Watches the host's SQLite store from this process (WAL lets a reader in beside the writer) until the type has at least
    /// <paramref name="count"/> committed records, so the kill lands right after a commit, while the next batch is in flight.
    /// </summary>
    internal static async Task WaitForProcessedAsync(TestDirectory directory, string project, string type, long count, CliProcess running, IReadOnlyDictionary<string, string?> environment)
    {
        _ = environment;
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(120));
        string path = directory.Store["sqlite:".Length..];
        while (!File.Exists(path))
        {
            Assert.False(running.HasExited, "The run ended before it created the store:\n" + running.Output);
            await Task.Delay(20, cts.Token);
        }

        ICheckpointStore store = SqliteCheckpointStore.Create($"Data Source={path}");
        try
        {
            while (true)
            {
                Assert.False(running.HasExited, "The run ended before the kill point:\n" + running.Output);
                IReadOnlyList<RunRecord> runs = await store.ListRunsAsync(project, cts.Token);
                if (runs.Count > 0)
                {
                    IReadOnlyList<TypeCheckpoint> checkpoints = await store.GetCheckpointsAsync(runs[^1].RunId, cts.Token);
                    if (checkpoints.FirstOrDefault(c => c.Type.ToCamelCase() == type)?.Counters.Processed >= count)
                    {
                        return;
                    }
                }

                await Task.Delay(10, cts.Token);
            }
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
