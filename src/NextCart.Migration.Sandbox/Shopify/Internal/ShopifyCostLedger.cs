namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>Records every GraphQL request's cost, for the counters and the time series of <see cref="ShopifyStoreView"/>.</summary>
internal sealed class ShopifyCostLedger
{
    private readonly Lock _gate = new();
    private readonly List<ShopifyCostSample> _samples = [];
    private long _requests;
    private long _throttled;
    private long _requestedPoints;
    private long _actualPoints;

    public long Requests => Interlocked.Read(ref _requests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long RequestedPoints => Interlocked.Read(ref _requestedPoints);

    public long ActualPoints => Interlocked.Read(ref _actualPoints);

    public void Record(DateTimeOffset at, int requested, int? actual, bool throttled, double availableAfter)
    {
        lock (_gate)
        {
            _samples.Add(new ShopifyCostSample(at, requested, actual, throttled, availableAfter));
            _requests++;
            if (throttled)
            {
                _throttled++;
            }
            else
            {
                _requestedPoints += requested;
                _actualPoints += actual ?? 0;
            }
        }
    }

    public IReadOnlyList<ShopifyCostSample> Samples()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _samples.Clear();
            _requests = _throttled = _requestedPoints = _actualPoints = 0;
        }
    }
}
