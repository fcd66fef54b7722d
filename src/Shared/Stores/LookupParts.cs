namespace NextCart.Migration.Stores;

/// <summary>
/// Splits a bulk ID-map lookup into contiguous parts of its sorted ids, which a store runs at the same time on connections
/// of their own, and runs them.
/// </summary>
/// <remarks>
/// <para>
/// A random lookup in a large ID map waits on the database's B-tree probes, one or more page reads per id, not on a lock:
/// each part runs on its own connection (SQLite's WAL readers and PostgreSQL's backends do not block one another), so a
/// lookup of 1,000 ids split in two takes about half as long on two idle cores, for the same CPU time in all. A part is
/// never smaller than <see cref="MinIdsPerPart"/> ids: below that, starting a part on another thread and taking another
/// connection costs more than the probes it saves (the engine's own lookups, one page of records at a time, stay whole).
/// </para>
/// <para>
/// Each part reads its own snapshot. The store contract promises consistency per row, not across the ids of one lookup
/// (the PostgreSQL store's statements of one lookup never shared one), so a commit that lands while a lookup runs is seen
/// by some of its parts and not by others, as it would be by a lookup that started a moment later.
/// </para>
/// </remarks>
internal static class LookupParts
{
    /// <summary>The fewest ids one part looks up.</summary>
    public const int MinIdsPerPart = 256;

    /// <summary>The default of the stores' <c>MaxLookupParallelism</c> option: the processor count, at most 4.</summary>
    public static int DefaultParallelism => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The most parts a store's option may allow.</summary>
    public const int MaxParallelism = 64;

    /// <summary>Gets how many parts a lookup of <paramref name="ids"/> distinct ids is split into.</summary>
    /// <param name="ids">The number of distinct ids.</param>
    /// <param name="maxParallelism">The store's <c>MaxLookupParallelism</c>.</param>
    /// <returns>At least 1; more only when each part gets at least <see cref="MinIdsPerPart"/> ids.</returns>
    public static int Count(int ids, int maxParallelism) => Math.Clamp(ids / MinIdsPerPart, 1, Math.Max(1, maxParallelism));

    /// <summary>Gets the range of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="ids"/> ids: contiguous, with sizes that differ by one at most.</summary>
    /// <param name="ids">The number of ids.</param>
    /// <param name="parts">The number of parts.</param>
    /// <param name="part">The part, from 0.</param>
    /// <returns>The part's range of the sorted ids.</returns>
    public static Range Of(int ids, int parts, int part) => new((int)((long)ids * part / parts), (int)((long)ids * (part + 1) / parts));

    /// <summary>Moves the distinct ids of an ordinally sorted array to its front, in order, and returns how many there are.</summary>
    /// <param name="sorted">The ids, sorted with <see cref="StringComparer.Ordinal"/>.</param>
    /// <returns>The number of distinct ids, now <c>sorted[..count]</c>.</returns>
    public static int RemoveAdjacentDuplicates(string[] sorted)
    {
        int count = 0;
        foreach (string id in sorted)
        {
            if (count == 0 || !string.Equals(sorted[count - 1], id, StringComparison.Ordinal))
            {
                sorted[count++] = id;
            }
        }

        return count;
    }

    /// <summary>
    /// Runs parts 1 and up on the thread pool and part 0 on the calling thread, and returns their results in part order once
    /// every part has finished.
    /// </summary>
    /// <typeparam name="TResult">What one part returns.</typeparam>
    /// <param name="parts">The number of parts, at least 2.</param>
    /// <param name="run">Runs one part; called once per part, from different threads at the same time.</param>
    /// <param name="cancellationToken">The token to cancel the parts.</param>
    /// <returns>The parts' results.</returns>
    /// <remarks>
    /// When a part fails, the others still run to their end before the failure is thrown (a part holds a connection, which
    /// must be back in its pool by then); the first part's failure, in part order, is the one thrown.
    /// </remarks>
    public static async Task<TResult[]> RunAsync<TResult>(int parts, Func<int, CancellationToken, Task<TResult>> run, CancellationToken cancellationToken)
    {
        Task<TResult>[] tasks = new Task<TResult>[parts];
        for (int part = 1; part < parts; part++)
        {
            int index = part;
            tasks[index] = Task.Run(() => run(index, cancellationToken), cancellationToken);
        }

        tasks[0] = RunInline(run, cancellationToken);

        // WhenAll completes when every part has, and its awaited failure is the first faulted part's, in part order.
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Starts part 0 on the calling thread; an exception it throws before its first await becomes the task's fault, so the other parts are still awaited.</summary>
    private static Task<TResult> RunInline<TResult>(Func<int, CancellationToken, Task<TResult>> run, CancellationToken cancellationToken)
    {
        try
        {
            return run(0, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<TResult>(ex);
        }
    }
}
