using NextCart.Migration.Connectors;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>Connector options and connectors for a Shopify sandbox.</summary>
internal static class Shops
{
    public static ShopifyConnectorOptions For(ShopifySandbox sandbox, Action<ShopifyConnectorOptions>? configure = null)
    {
        var options = new ShopifyConnectorOptions { ShopUrl = sandbox.BaseAddress, AccessToken = sandbox.AccessToken };
        configure?.Invoke(options);
        return options;
    }

    public static ITargetConnector Target(ShopifySandbox sandbox, HttpClient http, Action<ShopifyConnectorOptions>? configure = null, ShopifyRateLimitRegistry? registry = null)
        => ShopifyConnectorFactory.CreateTarget(For(sandbox, configure), http, registry);

    public static ISourceConnector Source(ShopifySandbox sandbox, HttpClient http, Action<ShopifyConnectorOptions>? configure = null, ShopifyRateLimitRegistry? registry = null)
        => ShopifyConnectorFactory.CreateSource(For(sandbox, configure), http, registry);

    public static async Task<List<Model.Entity>> ReadAllAsync(ISourceConnector source, Model.EntityType type, SourceQuery? query = null, List<RecordIssue>? issues = null)
    {
        var records = new List<Model.Entity>();
        await foreach (SourcePage page in source.ReadAsync(type, query ?? SourceQuery.All, null))
        {
            records.AddRange(page.Records);
            issues?.AddRange(page.Errors);
        }

        return records;
    }
}
