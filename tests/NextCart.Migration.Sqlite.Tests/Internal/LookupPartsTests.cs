using NextCart.Migration.Stores;

namespace NextCart.Migration.Sqlite.Tests.Internal;

/// <summary>The lookup splitting shared by the SQLite and PostgreSQL stores (src/Shared/Stores, compiled into both).</summary>
public sealed class LookupPartsTests
{
    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(255, 4, 1)]
    [InlineData(511, 4, 1)]
    [InlineData(512, 4, 2)]
    [InlineData(1_000, 4, 3)]
    [InlineData(1_000, 2, 2)]
    [InlineData(1_000, 1, 1)]
    [InlineData(100_000, 4, 4)]
    [InlineData(100_000, 0, 1)]
    public void Count_IdsAndParallelism_GivesEachPartAtLeastTheMinimum(int ids, int maxParallelism, int expected)
    {
        Assert.Equal(expected, LookupParts.Count(ids, maxParallelism));
    }

    [Theory]
    [InlineData(1_000, 3)]
    [InlineData(513, 2)]
    [InlineData(7, 7)]
    public void Of_EveryPart_CoversTheIdsContiguouslyWithSizesWithinOne(int ids, int parts)
    {
        List<(int Offset, int Length)> ranges = [.. Enumerable.Range(0, parts).Select(p => LookupParts.Of(ids, parts, p).GetOffsetAndLength(ids))];

        Assert.Equal(0, ranges[0].Offset);
        for (int p = 1; p < parts; p++)
        {
            Assert.Equal(ranges[p - 1].Offset + ranges[p - 1].Length, ranges[p].Offset);
        }

        Assert.Equal(ids, ranges.Sum(r => r.Length));
        Assert.InRange(ranges.Max(r => r.Length) - ranges.Min(r => r.Length), 0, 1);
    }

    [Fact]
    public void RemoveAdjacentDuplicates_SortedIds_KeepsEachOnceInOrder()
    {
        string[] ids = ["1", "1", "10", "2", "2", "2", "a", "é"];

        int count = LookupParts.RemoveAdjacentDuplicates(ids);

        Assert.Equal(["1", "10", "2", "a", "é"], ids[..count]);
    }

    [Fact]
    public async Task RunAsync_Parts_ReturnsTheirResultsInPartOrderFromOtherThreadsToo()
    {
        int caller = Environment.CurrentManagedThreadId;
        int[] threads = new int[3];

        int[] results = await LookupParts.RunAsync(3, (part, _) =>
        {
            threads[part] = Environment.CurrentManagedThreadId;
            return Task.FromResult(part * 10);
        }, CancellationToken.None);

        Assert.Equal([0, 10, 20], results);
        Assert.Equal(caller, threads[0]);
    }

    [Fact]
    public async Task RunAsync_FirstPartThrowsBeforeTheOthersFinish_ThrowsOnlyAfterEveryPartHasFinished()
    {
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bool secondFinished = false;

        Task<int[]> run = LookupParts.RunAsync(2, async (part, _) =>
        {
            if (part == 0)
            {
                throw new InvalidOperationException("part 0 failed");
            }

            await release.Task;
            secondFinished = true;
            return part;
        }, CancellationToken.None);

        Assert.False(run.IsCompleted);
        release.SetResult();
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Equal("part 0 failed", ex.Message);
        Assert.True(secondFinished);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_ThrowsOperationCanceledException()
    {
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LookupParts.RunAsync(2, (part, token) =>
        {
            token.ThrowIfCancellationRequested();
            return Task.FromResult(part);
        }, cancelled.Token));
    }
}
