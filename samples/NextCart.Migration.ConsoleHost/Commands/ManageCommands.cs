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

    public static Command Pause() => Stop("pause", "Pause a queued run so no worker starts it (a run executing in another process pauses when that process gets Ctrl+C or SIGTERM).", MigrationRunState.Paused);

    public static Command Cancel() => Stop("cancel", "Cancel a run that is not executing (queued, paused, over the limit, failed, or left by a crashed process).", MigrationRunState.Cancelled);

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
        Command command = new(name, description) { run };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            string runId = parse.GetValue(run)!;
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            RunRecord record = await app.Store.GetRunAsync(runId, cancellationToken) ?? throw new CliException(ExitCodes.Error, $"Run '{runId}' is not in the store.");
            if (!record.State.IsResumable() || record.State == state)
            {
                Console.Out.WriteLine($"Run {runId} is already {record.State}.");
                return ExitCodes.Success;
            }

            if (state == MigrationRunState.Paused && record.State is not (MigrationRunState.Queued or MigrationRunState.Pending))
            {
                throw new CliException(ExitCodes.Error, $"Run '{runId}' is {record.State}; only a queued run can be paused from here. A run executing in a process pauses when that process gets Ctrl+C or SIGTERM.");
            }

            RunLease lease = await app.Store.TryAcquireLeaseAsync(runId, app.Manager.OwnerId, TimeProvider.System.GetUtcNow(), app.Manager.LeaseDuration, cancellationToken)
                ?? throw new CliException(ExitCodes.Error, $"Run '{runId}' is executing in another process; stop it there (Ctrl+C or SIGTERM pauses it), then {name} it.");
            try
            {
                RunRecord current = await app.Store.GetRunAsync(runId, cancellationToken) ?? record;
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
