namespace NextCart.Migration.Internal;

/// <summary>
/// Bounds how many records one type's pipeline holds between the source and the target: the reader asks for the next
/// page only while fewer records than the limit are read but not yet written (or dropped by the mapper).
/// </summary>
/// <remarks>
/// <para>
/// The channels between the stages are bounded in pages and batches, whose size is whatever the source and the target
/// chose; bounded that way alone, a pipeline of 1,000-record pages holds ten thousand records when the target is the slow
/// stage, and a short run ends before the channels fill, so the peak grows with the file. Counting records makes the
/// plateau the same for every run long enough to fill it.
/// </para>
/// <para>
/// The bound is soft: a page is admitted whenever the count is below the limit, whatever its size, so a page larger than
/// the limit never deadlocks the reader; at most <c>limit − 1 + page</c> records are in flight. The limit is raised to
/// twice the largest page seen and to twice a round of writes (concurrency × batch size), so the reader can read a page
/// while the previous one is written and every writer has a batch: an HTTP source keeps enough pages in flight to
/// saturate the target's rate limit.
/// </para>
/// <para>Thread-safe: the reader waits and adds; the mapper and the writers release.</para>
/// </remarks>
internal sealed class RecordsInFlight
{
    private readonly Lock _lock = new();
    private long _count;
    private long _limit;
    private TaskCompletionSource? _room;

    /// <summary>Initializes a bound of <paramref name="limit"/> records, raised to twice a round of writes.</summary>
    /// <param name="limit">The configured bound (<see cref="MigrationManagerOptions.MaxRecordsInFlight"/>).</param>
    /// <param name="concurrency">The number of writers.</param>
    /// <param name="batchSize">The records per write.</param>
    public RecordsInFlight(int limit, int concurrency, int batchSize)
        => _limit = Math.Max(Math.Max(1, limit), 2L * concurrency * batchSize);

    /// <summary>Gets the records read but not yet written or dropped.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Gets the current limit.</summary>
    public long Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Waits until fewer records than the limit are in flight.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the reader may read the next page.</returns>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task room;
        lock (_lock)
        {
            if (_count < _limit)
            {
                return Task.CompletedTask;
            }

            // Continuations run asynchronously, so a writer releasing records never runs the reader's next page inline.
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            room = _room.Task;
        }

        return room.WaitAsync(cancellationToken);
    }

    /// <summary>Counts a page's records as in flight, and raises the limit to two pages of its size.</summary>
    /// <param name="records">The page's records.</param>
    public void Add(int records)
    {
        lock (_lock)
        {
            _count += records;
            _limit = Math.Max(_limit, 2L * records);
        }
    }

    /// <summary>Counts records as no longer in flight: written, or dropped by the mapper (skipped, failed, not sent).</summary>
    /// <param name="records">The records.</param>
    public void Release(int records)
    {
        if (records <= 0)
        {
            return;
        }

        TaskCompletionSource? room = null;
        lock (_lock)
        {
            _count -= records;
            if (_count < _limit && _room is not null)
            {
                room = _room;
                _room = null;
            }
        }

        room?.TrySetResult();
    }
}
