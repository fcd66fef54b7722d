using NextCart.Migration.Internal;

namespace NextCart.Migration.Tests.Internal;

public sealed class RecordsInFlightTests
{
    [Fact]
    public void Constructor_RoundOfWritesAboveTheOption_RaisesTheLimitToTwoRounds()
    {
        RecordsInFlight inFlight = new(limit: 100, concurrency: 8, batchSize: 25);

        Assert.Equal(400, inFlight.Limit);
    }

    [Fact]
    public void Add_PageLargerThanHalfTheLimit_RaisesTheLimitToTwoPages()
    {
        RecordsInFlight inFlight = new(limit: 1_000, concurrency: 1, batchSize: 10);

        inFlight.Add(700);

        Assert.Equal(1_400, inFlight.Limit);
        Assert.Equal(700, inFlight.Count);
    }

    [Fact]
    public void WaitForRoomAsync_BelowTheLimit_CompletesAtOnce()
    {
        RecordsInFlight inFlight = new(limit: 10, concurrency: 1, batchSize: 1);
        inFlight.Add(4);
        inFlight.Add(5);

        Assert.True(inFlight.WaitForRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForRoomAsync_AtTheLimit_WaitsUntilRecordsAreReleased()
    {
        RecordsInFlight inFlight = new(limit: 10, concurrency: 1, batchSize: 1);
        inFlight.Add(5);
        inFlight.Add(5);

        Task room = inFlight.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        inFlight.Release(0);
        Assert.False(room.IsCompleted);

        inFlight.Release(1);
        await room.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(9, inFlight.Count);
    }

    [Fact]
    public async Task WaitForRoomAsync_Cancelled_ThrowsOperationCanceled()
    {
        RecordsInFlight inFlight = new(limit: 2, concurrency: 1, batchSize: 1);
        inFlight.Add(1);
        inFlight.Add(1);
        using CancellationTokenSource cts = new();

        Task room = inFlight.WaitForRoomAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => room);
    }
}
