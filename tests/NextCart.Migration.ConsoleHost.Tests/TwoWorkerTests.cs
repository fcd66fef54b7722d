using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary>Two <c>worker</c> processes sharing one PostgreSQL store: queued runs execute once, and a killed worker's run is taken over.</summary>
[RequiresPostgres]
public sealed partial class TwoWorkerTests
{
    [Fact]
    public async Task TwoWorkers_ThreeQueuedRunsOneWorkerKilled_EachRunExecutesOnceAndTheOtherTakesOver()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 20, seed: 21, latencyMs: 30);
        List<SandboxProcess> targets = [];
        try
        {
            for (int i = 0; i < 3; i++)
            {
                targets.Add(await SandboxProcess.StartAsync(products: 0, seed: 21, empty: true));
            }

            Dictionary<string, string?> environment = new(source.Credentials)
            {
                ["NEXTCART_POSTGRES_CONNECTION"] = PostgresServer.ConnectionString,
                ["NEXTCART_POSTGRES_SCHEMA"] = "cli_" + Guid.NewGuid().ToString("N")[..16],
                ["NEXTCART_LEASE_SECONDS"] = "3",
            };
            List<string> runIds = [];
            for (int i = 0; i < 3; i++)
            {
                CliResult queued = await CliProcess.RunAsync(
                    ["run", "--background", "--source", source.Spec, "--target", targets[i].Spec, "--project", $"fleet{i}", "--entities", "taxes,categories,products,customers,orders", "--batch-size", "5", "--default-order-status", "pending", "--store", "postgres:"],
                    environment);
                Assert.True(queued.ExitCode == 0, queued.Output);
                runIds.Add(Assert.Single(queued.Stdout));
            }

            string[] workerArgs = ["worker", "--store", "postgres:", "--max-runs", "1", "--poll-seconds", "0.2"];
            await using CliProcess first = CliProcess.Start(workerArgs, environment);
            await using CliProcess second = CliProcess.Start(workerArgs, environment);

            // Kill the first worker (SIGKILL) once its run has committed something: the run is left Running under its lease.
            string claimed = await first.WaitForLineAsync(l => ClaimLine().IsMatch(l), TimeSpan.FromSeconds(90), stderr: true);
            string killedRun = ClaimLine().Match(claimed).Groups["run"].Value;
            await WaitAsync(environment, runs => Processed(runs, killedRun) > 0);
            first.Kill();

            JsonArray final = await WaitAsync(environment, runs => runs.Count == 3 && runs.All(r => r!["status"]!.GetValue<string>() is "Completed" or "CompletedWithErrors"));

            // Every queued run was started exactly once; the killed worker's run was resumed once, by the other worker.
            List<Match> claims = [.. first.Stderr.Concat(second.Stderr).Select(l => ClaimLine().Match(l)).Where(m => m.Success)];
            Assert.Equal(runIds.Order(), claims.Where(m => m.Groups["state"].Value == "Queued").Select(m => m.Groups["run"].Value).Order());
            Match takeover = Assert.Single(claims, m => m.Groups["state"].Value != "Queued");
            Assert.Equal(killedRun, takeover.Groups["run"].Value);
            Assert.Contains(second.Stderr, l => l == takeover.Value || l.Contains(takeover.Value, StringComparison.Ordinal));

            for (int i = 0; i < 3; i++)
            {
                JsonObject run = final.Single(r => r!["project"]!.GetValue<string>() == $"fleet{i}")!.AsObject();
                foreach (string type in new[] { "products", "customers", "orders" })
                {
                    int expected = (await source.GetAllAsync(type)).Count;
                    List<string?> written = [.. (await targets[i].GetAllAsync(type)).Select(SandboxProcess.SourceId)];
                    long failed = run["entities"]![type]!["failed"]!.GetValue<long>();
                    Assert.Equal(written.Count, written.Distinct().Count());
                    Assert.Equal(expected, written.Count + failed);
                }
            }

            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            foreach (SandboxProcess target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    private static long Processed(JsonArray runs, string runId)
        => runs.FirstOrDefault(r => r!["runId"]!.GetValue<string>() == runId)?["processed"]?.GetValue<long>() ?? 0;

    private static async Task<JsonArray> WaitAsync(IReadOnlyDictionary<string, string?> environment, Func<JsonArray, bool> done)
    {
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(180));
        while (true)
        {
            CliResult status = await CliProcess.RunAsync(["status", "--json", "--store", "postgres:"], environment);
            Assert.True(status.ExitCode == 0, status.Output);
            JsonArray runs = JsonNode.Parse(string.Join('\n', status.Stdout))!["runs"]!.AsArray();
            if (done(runs))
            {
                return runs;
            }

            await Task.Delay(250, cts.Token);
        }
    }

    [GeneratedRegex(@"claimed run (?<run>[0-9a-f]+) of project (?<project>\S+) \(was (?<state>\w+)\)")]
    private static partial Regex ClaimLine();
}
