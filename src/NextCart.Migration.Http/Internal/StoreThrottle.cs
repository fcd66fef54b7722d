using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace NextCart.Migration.Http.Internal;

/// <summary>
/// One store's request gate, shared by every client of the store: a waiting token bucket (requests queue, oldest first, and are never
/// rejected) plus a pause that a <c>Retry-After</c> from the store sets for every request at once.
/// </summary>
internal sealed class StoreThrottle : IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ITimer _replenisher;
    private readonly TimeProvider _timeProvider;
    private long _resumeAtUtcTicks;

    public StoreThrottle(string key, double requestsPerSecond, int burst, TimeProvider timeProvider)
    {
        Key = key;
        _timeProvider = timeProvider;

        // Refill in steps of at least 100 ms so fast rates don't need a fast timer: 2/s refills 1 every 500 ms, 100/s refills 10 every 100 ms.
        int tokensPerPeriod = Math.Max(1, (int)Math.Floor(requestsPerSecond / 10));
        TimeSpan period = TimeSpan.FromSeconds(tokensPerPeriod / requestsPerSecond);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Min(tokensPerPeriod, burst),
            ReplenishmentPeriod = period,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        // The bucket refills on the time provider's timer rather than the limiter's own, so the rate follows the host's clock
        // (and a test's fake clock): TryReplenish adds TokensPerPeriod when AutoReplenishment is off.
        _replenisher = timeProvider.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), _limiter, period, period);
    }

    public string Key { get; }

    /// <summary>Waits for the store's pause to end and for a token; cancellation ends the wait.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        await WaitForPauseAsync(cancellationToken).ConfigureAwait(false);
        RateLimitLease lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        try
        {
            // A request that queued for a token while the store asked to pause must not go out before the pause ends.
            await WaitForPauseAsync(cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Holds every request to the store for <paramref name="delay"/>, unless a longer pause is already set.</summary>
    /// <returns><see langword="true"/> when the pause was extended.</returns>
    public bool PauseFor(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return false;
        }

        long target = _timeProvider.GetUtcNow().UtcTicks + delay.Ticks;
        long current = Interlocked.Read(ref _resumeAtUtcTicks);
        while (target > current)
        {
            long seen = Interlocked.CompareExchange(ref _resumeAtUtcTicks, target, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Dispose()
    {
        _replenisher.Dispose();
        _limiter.Dispose();
    }

    private async ValueTask WaitForPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan remaining = TimeSpan.FromTicks(Interlocked.Read(ref _resumeAtUtcTicks) - _timeProvider.GetUtcNow().UtcTicks);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(remaining, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The per-store throttles of a service provider, keyed by store key (ordinal, case-insensitive).</summary>
internal sealed class StoreThrottleRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<StoreThrottle>> _throttles = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    public StoreThrottleRegistry(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets the store's throttle, creating it from these options when it is the store's first.</summary>
    public StoreThrottle GetOrAdd(StoreHttpOptions options)
    {
        string key = GetStoreKey(options);
        return _throttles.GetOrAdd(
            key,
            static (k, state) => new Lazy<StoreThrottle>(() => new StoreThrottle(k, state.Options.RequestsPerSecond, state.Options.Burst, state.TimeProvider)),
            (Options: options, TimeProvider: _timeProvider)).Value;
    }

    public void Dispose()
    {
        foreach (Lazy<StoreThrottle> throttle in _throttles.Values)
        {
            if (throttle.IsValueCreated)
            {
                throttle.Value.Dispose();
            }
        }
    }

    public static string GetStoreKey(StoreHttpOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.StoreKey))
        {
            return options.StoreKey;
        }

        Uri address = options.BaseAddress ?? throw new InvalidOperationException("StoreHttpOptions.BaseAddress is required.");
        return $"{address.Scheme}://{address.Authority}".ToLowerInvariant();
    }
}
