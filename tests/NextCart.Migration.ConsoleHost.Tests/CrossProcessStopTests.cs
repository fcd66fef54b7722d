using System.Text.Json.Nodes;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary>
/// <c>pause --run ID</c> and <c>cancel --run ID</c> from process B for a run executing in process A: the request travels through
/// the SQLite store, A notices it on its heartbeat, commits its in-flight batches and ends the run Paused or Cancelled.
/// </summary>
public sealed class CrossProcessStopTests
{
    [Fact]
    public async Task Pause_RunExecutingInAnotherProcess_PausesWithACommittedCheckpointAndResumeCompletesExactlyOnce()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 30, seed: 14, latencyMs: 60);
        await using SandboxProcess target = await SandboxProcess.StartAsync(products: 0, seed: 14, empty: true);
        string report = directory.File("report.json");

        IReadOnlyList<string> output = await StopFromAnotherProcessAsync(directory, source, target, "remote-pause", "pause", "Paused");
        Assert.Contains(output, l => l.Contains("is Paused; continue it with: nextcart-migrate resume --project remote-pause", StringComparison.Ordinal));

        JsonObject paused = (await CliTests.StatusAsync(directory, "remote-pause"))["runs"]![0]!.AsObject();
        Assert.Equal("Paused", paused["status"]!.GetValue<string>());
        Assert.Contains("another process", paused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        long committed = paused["entities"]!["products"]!["migrated"]!.GetValue<long>();
        Assert.True(committed > 0);

        // Everything on the target is in the checkpoint: the in-flight batches were committed, none abandoned.
        Assert.Equal(committed, (await target.GetAllAsync("products")).Count);

        CliResult resumed = await CliProcess.RunAsync(["resume", "--project", "remote-pause", "--store", directory.Store, "--report", report], source.Credentials, timeout: TimeSpan.FromSeconds(120));
        Assert.True(resumed.ExitCode is 0 or 2, resumed.Output);
        Assert.DoesNotContain(resumed.Stdout, l => l.Contains("waiting", StringComparison.Ordinal));
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        decimal expectedPoints = await MigrationCheck.AssertExactlyOnceAsync(source, target, json);
        Assert.Equal(expectedPoints, json["points"]!["charged"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Cancel_RunExecutingInAnotherProcess_CancelsWithACommittedCheckpoint()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 30, seed: 15, latencyMs: 60);
        await using SandboxProcess target = await SandboxProcess.StartAsync(products: 0, seed: 15, empty: true);

        await StopFromAnotherProcessAsync(directory, source, target, "remote-cancel", "cancel", "Cancelled");

        JsonObject cancelled = (await CliTests.StatusAsync(directory, "remote-cancel"))["runs"]![0]!.AsObject();
        Assert.Equal("Cancelled", cancelled["status"]!.GetValue<string>());
        long committed = cancelled["entities"]!["products"]!["migrated"]!.GetValue<long>();
        Assert.True(committed > 0);
        Assert.Equal(committed, (await target.GetAllAsync("products")).Count);

        // A cancelled run is over: resume refuses it.
        CliResult resume = await CliProcess.RunAsync(["resume", "--project", "remote-cancel", "--store", directory.Store], source.Credentials);
        Assert.Equal(1, resume.ExitCode);
    }

    /// <summary>
    /// Process A runs the migration; once it has committed a product, process B runs <paramref name="command"/> --run ID,
    /// which must report the run <paramref name="state"/>; A then exits with 1 (a run that did not complete). Returns A's stdout.
    /// </summary>
    private static async Task<IReadOnlyList<string>> StopFromAnotherProcessAsync(TestDirectory directory, SandboxProcess source, SandboxProcess target, string project, string command, string state)
    {
        await using CliProcess a = CliProcess.Start(CrashResumeTests.RunArgs(source, target, directory, project), source.Credentials);
        string started = await a.WaitForLineAsync(l => l.StartsWith("Run ", StringComparison.Ordinal) && l.Contains(" started", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        string runId = started.Split(' ')[1];
        await CrashResumeTests.WaitForProcessedAsync(directory, project, "products", 1, a, source.Credentials);

        CliResult b = await CliProcess.RunAsync([command, "--run", runId, "--store", directory.Store]);

        Assert.True(b.ExitCode == 0, b.Output);
        Assert.Contains($"Run {runId} is {state}.", b.Stdout);
        Assert.Equal(1, await a.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return a.Stdout;
    }
}
