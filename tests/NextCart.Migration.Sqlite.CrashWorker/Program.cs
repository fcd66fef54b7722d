using System.Globalization;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Sqlite.CrashWorker;

/// <summary>
/// Commits batches to a SQLite checkpoint store until it is killed, so tests can kill a real process mid-commit.
/// </summary>
/// <remarks>
/// <para>Usage: <c>CrashWorker (commit-loop | intent-then-wait) DB_PATH PROJECT_ID RUN_ID BATCH_SIZE</c>.</para>
/// <para>
/// <c>commit-loop</c> resumes after the run's checkpoint (token <c>batch-N</c>) and, for each next batch, records the
/// batch's write intents, then commits BATCH_SIZE mappings (source ids <c>batch * BATCH_SIZE + i</c>) with the token
/// <c>batch-N</c> and the counters in one commit, and prints <c>committed N</c> once the commit returned.
/// <c>intent-then-wait</c> records the next batch's intents, prints <c>written N</c> (as if the target write had been
/// applied), and waits to be killed before it commits.
/// </para>
/// </remarks>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 5)
        {
            await Console.Error.WriteLineAsync("usage: CrashWorker (commit-loop | intent-then-wait) DB_PATH PROJECT_ID RUN_ID BATCH_SIZE").ConfigureAwait(false);
            return 2;
        }

        string mode = args[0];
        string projectId = args[2];
        string runId = args[3];
        int batchSize = int.Parse(args[4], CultureInfo.InvariantCulture);
        ICheckpointStore store = SqliteCheckpointStore.Create($"Data Source={args[1]}");
        TypeCheckpoint? checkpoint = (await store.GetCheckpointsAsync(runId).ConfigureAwait(false)).SingleOrDefault(c => c.Type == EntityType.Products);
        long batch = checkpoint?.ResumeToken is { } token ? long.Parse(token["batch-".Length..], CultureInfo.InvariantCulture) + 1 : 0;
        using StreamWriter stdout = new(Console.OpenStandardOutput()) { AutoFlush = true };

        while (true)
        {
            string[] ids = [.. Enumerable.Range(0, batchSize).Select(i => ((batch * batchSize) + i).ToString(CultureInfo.InvariantCulture))];
            await store.AddPendingAsync(projectId, runId, EntityType.Products, [.. ids.Select(id => new SourceIdentity(EntityType.Products, id, "sku-" + id))], null).ConfigureAwait(false);
            if (mode == "intent-then-wait")
            {
                await stdout.WriteLineAsync($"written {batch}").ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
            }

            DateTimeOffset now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
            await store.CommitBatchAsync(new BatchCommit
            {
                ProjectId = projectId,
                RunId = runId,
                Type = EntityType.Products,
                Mappings = [.. ids.Select(id => new IdMapEntry
                {
                    Type = EntityType.Products, SourceId = id, TargetId = "t-" + id, TargetUrl = "/products/p-" + id, SourceUrl = "/product/p-" + id,
                    Checksum = "checksum-" + id, FirstMigratedAt = now, LastUpdatedAt = now, RunId = runId, Points = 1m,
                })],
                ResolvedPending = ids,
                AdvanceToken = true,
                ResumeToken = $"batch-{batch}",
                Counters = new TypeCounters(batchSize, batchSize, 0, 0, 0),
                HighWaterMark = new HighWaterMark(now, ids[^1]),
            }).ConfigureAwait(false);
            await stdout.WriteLineAsync($"committed {batch}").ConfigureAwait(false);
            batch++;
        }
    }
}
