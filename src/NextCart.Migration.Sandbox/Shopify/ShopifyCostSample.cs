namespace NextCart.Migration.Sandbox.Shopify;

/// <summary>The cost of one GraphQL request the sandbox answered (validation failures have a requested cost of 0).</summary>
/// <param name="At">When the request arrived, by the sandbox's clock.</param>
/// <param name="RequestedCost">The requested (static) cost.</param>
/// <param name="ActualCost">The actual cost charged, or <see langword="null"/> when the request was throttled.</param>
/// <param name="Throttled">Whether the answer was <c>THROTTLED</c>.</param>
/// <param name="AvailableAfter">The points left in the bucket after the request.</param>
public readonly record struct ShopifyCostSample(DateTimeOffset At, int RequestedCost, int? ActualCost, bool Throttled, double AvailableAfter);
