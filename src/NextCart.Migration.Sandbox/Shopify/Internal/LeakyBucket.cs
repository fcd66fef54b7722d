namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>
/// Shopify's calculated-cost leaky bucket (platforms.md §2.5): the bucket must hold the requested cost before a query runs,
/// the difference to the actual cost is refunded afterwards, and it refills at the restore rate per second of the clock.
/// </summary>
internal sealed class LeakyBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private double _available;
    private DateTimeOffset _updated;

    public LeakyBucket(double maximum, double restoreRate, TimeProvider time)
    {
        Maximum = maximum;
        RestoreRate = restoreRate;
        _time = time;
        _available = maximum;
        _updated = time.GetUtcNow();
    }

    public double Maximum { get; }

    public double RestoreRate { get; }

    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _available;
            }
        }
    }

    /// <summary>Takes <paramref name="cost"/> points if the bucket holds them; returns the points available afterwards.</summary>
    public bool TryTake(double cost, out double available)
    {
        lock (_gate)
        {
            Refill();
            if (cost > _available + 1e-6)
            {
                available = _available;
                return false;
            }

            _available = Math.Max(0, _available - cost);
            available = _available;
            return true;
        }
    }

    /// <summary>Gives back points (requested minus actual cost); returns the points available afterwards.</summary>
    public double Refund(double points)
    {
        lock (_gate)
        {
            Refill();
            _available = Math.Min(Maximum, _available + Math.Max(0, points));
            return _available;
        }
    }

    private void Refill()
    {
        DateTimeOffset now = _time.GetUtcNow();
        double seconds = (now - _updated).TotalSeconds;
        if (seconds > 0)
        {
            _available = Math.Min(Maximum, _available + (seconds * RestoreRate));
            _updated = now;
        }
    }
}
