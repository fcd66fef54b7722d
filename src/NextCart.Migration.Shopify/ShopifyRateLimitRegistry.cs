using System.Collections.Concurrent;
using NextCart.Migration.Shopify.Internal;

namespace NextCart.Migration.Shopify;

/// <summary>
/// Holds one query-cost bucket per shop, shared by every Shopify connector and client of that shop in the process, so that the
/// source, the target and concurrent writers never overdraw the shop's budget together. <c>AddShopify</c> registers one as a
/// singleton; pass the same instance to <see cref="ShopifyConnectorFactory"/> when connectors are created without DI.
/// </summary>
public sealed class ShopifyRateLimitRegistry
{
    private readonly ConcurrentDictionary<string, CostBucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="ShopifyRateLimitRegistry"/> class.</summary>
    /// <param name="timeProvider">The clock the buckets refill and wait on, or <see langword="null"/> for the system clock.</param>
    public ShopifyRateLimitRegistry(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets how many times a request waited for the bucket of a shop before it was sent.</summary>
    /// <param name="shopUrl">The shop's URL.</param>
    /// <returns>The number of waits, or 0 for a shop with no bucket yet.</returns>
    public long GetWaitCount(Uri shopUrl)
    {
        ArgumentNullException.ThrowIfNull(shopUrl);
        return _buckets.TryGetValue(KeyOf(shopUrl), out CostBucket? bucket) ? bucket.Waits : 0;
    }

    internal CostBucket GetOrAdd(ShopifyConnectorOptions options)
        => _buckets.GetOrAdd(KeyOf(options.ShopUrl!), key => new CostBucket(key, options.BucketSize, options.RestoreRate, _timeProvider));

    internal static string KeyOf(Uri shopUrl) => shopUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
