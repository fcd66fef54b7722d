using System.Globalization;
using NextCart.Migration.Model;
using Spectre.Console;

namespace NextCart.Migration.ConsoleHost.Output;

/// <summary>Shows a run's progress: live bars per entity type on a terminal, plain lines when stdout is redirected.</summary>
internal static class ProgressView
{
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task<MigrationReport> FollowAsync(MigrationOperation operation, CancellationToken cancellationToken)
    {
        if (IsInteractive)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    Dictionary<EntityType, ProgressTask> tasks = [];
                    await foreach (MigrationProgress progress in operation.WatchAsync(cancellationToken))
                    {
                        foreach (EntityProgress entity in progress.Entities)
                        {
                            if (!tasks.TryGetValue(entity.Type, out ProgressTask? task))
                            {
                                task = context.AddTask(entity.Type.ToCamelCase(), autoStart: true, maxValue: Math.Max(1, entity.Total ?? 1));
                                tasks[entity.Type] = task;
                            }

                            task.MaxValue = Math.Max(1, Math.Max(entity.Total ?? 0, entity.Counters.Processed));
                            task.Value = entity.Completed ? task.MaxValue : entity.Counters.Processed;
                            task.Description = Describe(entity);
                        }
                    }
                });
        }
        else
        {
            Dictionary<EntityType, (long Processed, bool Completed)> printed = [];
            await foreach (MigrationProgress progress in operation.WatchAsync(cancellationToken))
            {
                foreach (EntityProgress entity in progress.Entities)
                {
                    (long Processed, bool Completed) last = printed.GetValueOrDefault(entity.Type, (-1, false));
                    if (last.Completed || (last.Processed == entity.Counters.Processed && last.Completed == entity.Completed))
                    {
                        continue;
                    }

                    // One line per type when it starts, every 10% or so, and when it completes: readable in a log file.
                    long step = Math.Max(1, (entity.Total ?? 100) / 10);
                    if (entity.Completed || last.Processed < 0 || entity.Counters.Processed / step != last.Processed / step)
                    {
                        printed[entity.Type] = (entity.Counters.Processed, entity.Completed);
                        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {entity.Type.ToCamelCase()} {entity.Counters.Processed}/{(entity.Total?.ToString(CultureInfo.InvariantCulture) ?? "?")} migrated={entity.Counters.Created} updated={entity.Counters.Updated} skipped={entity.Counters.Skipped} failed={entity.Counters.Failed}{(entity.Completed ? " done" : string.Empty)}"));
                    }
                }
            }
        }

        return await operation.WaitForCompletionAsync(CancellationToken.None);
    }

    private static string Describe(EntityProgress entity)
        => string.Create(CultureInfo.InvariantCulture, $"{entity.Type.ToCamelCase(),-14} {entity.Counters.Processed,6}/{entity.Total?.ToString(CultureInfo.InvariantCulture) ?? "?",-6} [grey]failed {entity.Counters.Failed}[/]");
}
