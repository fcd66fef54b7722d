namespace NextCart.Migration.Shopify.Internal;

/// <summary>
/// The client-side image of one shop's leaky bucket (shopify.dev, "API rate limits": every app/shop pair has a bucket of
/// <c>maximumAvailable</c> points that refills at <c>restoreRate</c> points per second; a query needs its whole
/// <c>requestedQueryCost</c> available, and the difference to <c>actualQueryCost</c> is refunded). Every client of the shop shares
/// one instance, so concurrent requests reserve their predicted cost before they are sent and wait, on the injected clock, until the
/// bucket can hold it. Each response's <c>throttleStatus</c> re-synchronises the image. Thread-safe.
/// </summary>
internal sealed class CostBucket
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private double _available;
    private double _maximum;
    private double _restoreRate;
    private double _inFlight;
    private long _updatedAt;

    public CostBucket(string shop, double maximumAvailable, double restoreRate, TimeProvider timeProvider)
    {
        Shop = shop;
        _timeProvider = timeProvider;
        _maximum = maximumAvailable;
        _available = maximumAvailable;
        _restoreRate = restoreRate;
        _updatedAt = timeProvider.GetTimestamp();
    }

    public string Shop { get; }

    public TimeProvider TimeProvider => _timeProvider;

    public double MaximumAvailable
    {
        get
        {
            lock (_lock)
            {
                return _maximum;
            }
        }
    }

    public double RestoreRate
    {
        get
        {
            lock (_lock)
            {
                return _restoreRate;
            }
        }
    }

    /// <summary>Gets the points the image says are available now.</summary>
    public double Available
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _available;
            }
        }
    }

    /// <summary>Gets how many waits for points there were in all (for tests and benchmarks).</summary>
    public long Waits { get; private set; }

    /// <summary>
    /// Waits until the bucket holds <paramref name="cost"/> points and takes them. Requests are served one at a time in arrival order,
    /// so a large request is not starved by small ones.
    /// </summary>
    public async ValueTask AcquireAsync(double cost, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    Refill();
                    double needed = Math.Min(cost, _maximum);
                    if (_available >= needed)
                    {
                        _available -= cost;
                        _inFlight += cost;
                        return;
                    }

                    wait = TimeSpan.FromSeconds((needed - _available) / Math.Max(_restoreRate, 0.001));
                    Waits++;
                }

                // Never wait less than a millisecond: a rounding remainder must not spin.
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends a request that reserved <paramref name="reserved"/> points. With the server's throttle status the image is re-synchronised:
    /// the server's available points less what other requests still have in flight (they were reserved here but may not have reached
    /// the server). Without it (a transport failure) the reservation is returned.
    /// </summary>
    public void Complete(double reserved, ThrottleStatus? status, bool executed)
    {
        lock (_lock)
        {
            Refill();
            _inFlight = Math.Max(0, _inFlight - reserved);
            if (status is { } s)
            {
                _maximum = s.MaximumAvailable > 0 ? s.MaximumAvailable : _maximum;
                _restoreRate = s.RestoreRate > 0 ? s.RestoreRate : _restoreRate;
                _available = Math.Min(_maximum, s.CurrentlyAvailable - _inFlight);
            }
            else if (!executed)
            {
                _available = Math.Min(_maximum, _available + reserved);
            }
        }
    }

    private void Refill()
    {
        long now = _timeProvider.GetTimestamp();
        double seconds = _timeProvider.GetElapsedTime(_updatedAt, now).TotalSeconds;
        _updatedAt = now;
        if (seconds > 0)
        {
            _available = Math.Min(_maximum, _available + (seconds * _restoreRate));
        }
    }
}

/// <summary>The <c>extensions.cost.throttleStatus</c> of a response.</summary>
internal readonly record struct ThrottleStatus(double MaximumAvailable, double CurrentlyAvailable, double RestoreRate);
