using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.ConsoleHost.Hosting;
using NextCart.Migration.Hosting;
using NextCart.Migration.Model;
using Spectre.Console;

namespace NextCart.Migration.ConsoleHost.Commands;

/// <summary><c>status</c>, <c>resume</c>, <c>pause</c> and <c>cancel</c>.</summary>
internal static class ManageCommands
{
    public static Command Status()
    {
        Option<string?> project = new("--project") { Description = "Only this project's runs." };
        Option<string?> run = new("--run") { Description = "Only this run, with its per-type progress." };
        Option<bool> json = new("--json") { Description = "Print JSON instead of tables." };
        Command command = new("status", "Show runs and their progress from the store.") { project, run, json };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            IReadOnlyList<RunRecord> runs;
            if (parse.GetValue(run) is { } runId)
            {
                runs = [await app.Store.GetRunAsync(runId, cancellationToken) ?? throw new CliException(ExitCodes.Error, $"Run '{runId}' is not in the store.")];
            }
            else
            {
                string? projectId = parse.GetValue(project);
                if (projectId is not null && await app.Store.GetProjectAsync(projectId, cancellationToken) is null)
                {
                    throw new CliException(ExitCodes.Error, $"Project '{projectId}' is not in the store.");
                }

                runs = await app.Store.ListRunsAsync(projectId, cancellationToken);
            }

            List<(RunRecord Run, IReadOnlyList<TypeCheckpoint> Checkpoints)> rows = [];
            foreach (RunRecord record in runs)
            {
                rows.Add((record, await app.Store.GetCheckpointsAsync(record.RunId, cancellationToken)));
            }

            if (parse.GetValue(json))
            {
                WriteJson(rows);
                return ExitCodes.Success;
            }

            Table table = new Table().AddColumns("run", "project", "mode", "state", "processed", "points", "created", "message");
            foreach ((RunRecord record, IReadOnlyList<TypeCheckpoint> checkpoints) in rows)
            {
                table.AddRow(
                    Markup.Escape(record.RunId),
                    Markup.Escape(record.ProjectId),
                    record.Mode.ToString(),
                    record.State.ToString(),
                    checkpoints.Sum(c => c.Counters.Processed).ToString(CultureInfo.InvariantCulture),
                    checkpoints.Sum(c => c.PointsCharged).ToString("0.##", CultureInfo.InvariantCulture),
                    record.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                    Markup.Escape(record.Message ?? string.Empty));
            }

            AnsiConsole.Write(table);
            if (rows.Count == 1)
            {
                Table types = new Table().AddColumns("type", "processed", "migrated", "updated", "skipped", "failed", "complete");
                foreach (TypeCheckpoint checkpoint in rows[0].Checkpoints.OrderBy(c => c.Type))
                {
                    TypeCounters c = checkpoint.Counters;
                    types.AddRow(checkpoint.Type.ToCamelCase(), N(c.Processed), N(c.Created), N(c.Updated), N(c.Skipped), N(c.Failed), checkpoint.Completed ? "yes" : "no");
                }

                AnsiConsole.Write(types);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Resume()
    {
        Option<string> project = new("--project") { Description = "The project whose latest unfinished run to resume.", Required = true };
        Option<string?> run = new("--run") { Description = "A specific run of the project." };
        Option<string?> report = CommonOptions.Report();
        Command command = new("resume", "Resume a project's paused, interrupted, over-limit or failed run from its checkpoint.") { project, run, report };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            string projectId = parse.GetValue(project)!;
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            ProjectRecord record = await app.Store.GetProjectAsync(projectId, cancellationToken)
                ?? throw new CliException(ExitCodes.Error, $"Project '{projectId}' is not in the store; see nextcart-migrate status.");
            IReadOnlyList<RunRecord> runs = await app.Store.ListRunsAsync(projectId, cancellationToken);
            RunRecord target = parse.GetValue(run) is { } runId
                ? runs.FirstOrDefault(r => r.RunId == runId) ?? throw new CliException(ExitCodes.Error, $"Run '{runId}' is not a run of project '{projectId}'.")
                : runs.LastOrDefault(r => r.State.IsResumable()) ?? throw new CliException(ExitCodes.Error, $"Project '{projectId}' has no run to resume; its runs have all completed or been cancelled.");
            if (!target.State.IsResumable())
            {
                throw new CliException(ExitCodes.Error, $"Run '{target.RunId}' is {target.State} and cannot be resumed.");
            }

            SpecConnectorResolver resolver = new(app.Registry, app.LoggerFactory, CliApp.Environment);
            await using ResolvedConnectors connectors = await resolver.ResolveAsync(record, cancellationToken);
            MigrationProject migrationProject = connectors.CreateProject(record);
            await ClaimAsync(app, target.RunId, cancellationToken);
            MigrationOperation operation = await app.Manager.ResumeAsync(migrationProject, target.RunId, null, cancellationToken);
            Console.Out.WriteLine($"Run {operation.RunId} of project {projectId} resumed (was {target.State}).");
            return await Foreground.FollowAsync(operation, parse.GetValue(report), projectId);
        }));
        return command;
    }

    public static Command Pause() => Stop(
        "pause",
        "Pause a run: a queued one so no worker starts it, or one executing in another process (it stops reading, commits its in-flight batches and ends Paused; resume continues it).",
        MigrationRunState.Paused);

    public static Command Cancel() => Stop(
        "cancel",
        "Cancel a run: one that is not executing (queued, paused, over the limit, failed, or left by a crashed process), or one executing in another process (it commits its in-flight batches and ends Cancelled).",
        MigrationRunState.Cancelled);

    /// <summary>
    /// Takes the run's lease under this process's owner id, waiting while another process holds it: a crashed process's lease
    /// expires after the lease duration (NEXTCART_LEASE_SECONDS), while a live one keeps renewing it.
    /// </summary>
    private static async Task ClaimAsync(CliApp app, string runId, CancellationToken cancellationToken)
    {
        TimeSpan lease = app.Manager.LeaseDuration;
        DateTimeOffset deadline = TimeProvider.System.GetUtcNow() + lease + lease;
        bool announced = false;
        while (await app.Store.TryAcquireLeaseAsync(runId, app.Manager.OwnerId, TimeProvider.System.GetUtcNow(), lease, cancellationToken) is null)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new CliException(ExitCodes.Error, $"Run '{runId}' is executing in another process, which keeps its lease; stop it there (Ctrl+C or SIGTERM) first.");
            }

            if (!announced)
            {
                Console.Out.WriteLine($"Run {runId} is leased by another process (it may have crashed); waiting up to {lease.TotalSeconds:0} s for the lease to expire…");
                announced = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static Command Stop(string name, string description, MigrationRunState state)
    {
        Option<string> run = new("--run") { Description = "The run id.", Required = true };
        Option<double> wait = new("--wait-seconds")
        {
            Description = "How long to wait for a run executing in another process to stop (0: record the request and return at once).",
            DefaultValueFactory = _ => 120,
        };
        Command command = new(name, description) { run, wait };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            string runId = parse.GetValue(run)!;
            double waitSeconds = parse.GetValue(wait);
            if (waitSeconds is < 0 or > 86_400 || double.IsNaN(waitSeconds))
            {
                throw CliException.Configuration($"--wait-seconds {waitSeconds} must be from 0 to 86400.");
            }

            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            RunRecord record = await app.Store.GetRunAsync(runId, cancellationToken) ?? throw new CliException(ExitCodes.Error, $"Run '{runId}' is not in the store.");
            if (!record.State.IsResumable() || record.State == state)
            {
                Console.Out.WriteLine($"Run {runId} is already {record.State}.");
                return ExitCodes.Success;
            }

            RunLease? lease = await app.Store.TryAcquireLeaseAsync(runId, app.Manager.OwnerId, TimeProvider.System.GetUtcNow(), app.Manager.LeaseDuration, cancellationToken);
            if (lease is null)
            {
                return await RequestStopAsync(app, record, name, state, TimeSpan.FromSeconds(waitSeconds), cancellationToken);
            }

            // Nobody executes the run (queued, stopped, or left by a crashed process whose lease expired): record the state here.
            try
            {
                RunRecord current = await app.Store.GetRunAsync(runId, cancellationToken) ?? record;
                if (state == MigrationRunState.Paused && current.State is MigrationRunState.OverLimit or MigrationRunState.Failed)
                {
                    throw new CliException(ExitCodes.Error, $"Run '{runId}' is {current.State} and not executing, so there is nothing to pause; resume or cancel it.");
                }

                DateTimeOffset now = TimeProvider.System.GetUtcNow();
                await app.Store.UpdateRunAsync(current with { State = state, EndedAt = now, Message = $"{state} by nextcart-migrate {name}." }, lease, cancellationToken);
            }
            finally
            {
                await app.Store.ReleaseLeaseAsync(lease, CancellationToken.None);
            }

            Console.Out.WriteLine($"Run {runId} is {state}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Asks the process executing a run to stop, through the store (the only thing processes share): it notices the request on
    /// its heartbeat, stops reading, lets its in-flight batches commit and records the run Paused or Cancelled.
    /// </summary>
    private static async Task<int> RequestStopAsync(CliApp app, RunRecord record, string name, MigrationRunState state, TimeSpan wait, CancellationToken cancellationToken)
    {
        string runId = record.RunId;
        RunStopRequest request = state == MigrationRunState.Cancelled ? RunStopRequest.Cancel : RunStopRequest.Pause;
        try
        {
            if (!await app.Store.RequestStopAsync(runId, request, cancellationToken))
            {
                throw new CliException(ExitCodes.Error, $"Run '{runId}' is not in the store.");
            }
        }
        catch (NotSupportedException ex)
        {
            throw new CliException(ExitCodes.Error, $"Run '{runId}' is executing in another process, and this checkpoint store cannot pass it a stop request ({ex.Message}) Stop it in that process instead: Ctrl+C or SIGTERM pauses it.");
        }

        if (wait <= TimeSpan.Zero)
        {
            Console.Out.WriteLine($"Asked the process executing run {runId} to {name} it; it stops after its in-flight batches commit (see nextcart-migrate status --run {runId}).");
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"Asked the process executing run {runId} to {name} it; waiting for its in-flight batches to commit…");
        DateTimeOffset deadline = TimeProvider.System.GetUtcNow() + wait;
        while (true)
        {
            RunRecord current = await app.Store.GetRunAsync(runId, cancellationToken) ?? record;
            if (current.State == state)
            {
                Console.Out.WriteLine($"Run {runId} is {state}.");
                return ExitCodes.Success;
            }

            if (current.State is not (MigrationRunState.Pending or MigrationRunState.Queued or MigrationRunState.Checking or MigrationRunState.Estimating or MigrationRunState.Running or MigrationRunState.Verifying))
            {
                throw new CliException(ExitCodes.Error, $"Run '{runId}' stopped as {current.State} before it could {name}{(current.Message is { Length: > 0 } m ? ": " + m : ".")}");
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new CliException(
                    ExitCodes.Error,
                    $"Run '{runId}' is still {current.State} after {wait.TotalSeconds:0} s; the request stays recorded and the run stops when its process next reads it. If that process has died, wait for its lease to expire ({app.Manager.LeaseDuration.TotalSeconds:0} s) and run {name} again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static void WriteJson(List<(RunRecord Run, IReadOnlyList<TypeCheckpoint> Checkpoints)> rows)
    {
        using Stream stdout = Console.OpenStandardOutput();
        using Utf8JsonWriter json = new(stdout, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("runs");
        foreach ((RunRecord run, IReadOnlyList<TypeCheckpoint> checkpoints) in rows)
        {
            json.WriteStartObject();
            json.WriteString("runId", run.RunId);
            json.WriteString("project", run.ProjectId);
            json.WriteString("mode", run.Mode.ToString());
            json.WriteString("status", run.State.ToString());
            json.WriteString("message", run.Message);
            json.WriteNumber("pointsCharged", checkpoints.Sum(c => c.PointsCharged));
            json.WriteNumber("processed", checkpoints.Sum(c => c.Counters.Processed));
            json.WriteStartObject("entities");
            foreach (TypeCheckpoint checkpoint in checkpoints.OrderBy(c => c.Type))
            {
                json.WriteStartObject(checkpoint.Type.ToCamelCase());
                json.WriteNumber("processed", checkpoint.Counters.Processed);
                json.WriteNumber("migrated", checkpoint.Counters.Created);
                json.WriteNumber("updated", checkpoint.Counters.Updated);
                json.WriteNumber("skipped", checkpoint.Counters.Skipped);
                json.WriteNumber("failed", checkpoint.Counters.Failed);
                json.WriteBoolean("completed", checkpoint.Completed);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stdout.WriteByte((byte)'\n');
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
