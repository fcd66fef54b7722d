namespace NextCart.Migration.Shopify;

/// <summary>How the Shopify connectors keep within the shop's query-cost budget.</summary>
public enum ShopifyThrottleMode
{
    /// <summary>
    /// Predict each document's cost and wait, before sending, until the shop's bucket can hold it; re-synchronise from every
    /// response's <c>throttleStatus</c>. Uses the whole restore rate without being throttled. The default.
    /// </summary>
    Predictive = 0,

    /// <summary>
    /// Send without predicting, and wait only after Shopify answers <c>THROTTLED</c>. For comparison in benchmarks; it spends requests
    /// on refusals.
    /// </summary>
    Reactive = 1,
}
