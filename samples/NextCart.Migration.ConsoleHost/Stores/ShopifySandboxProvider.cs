using NextCart.Migration.Connectors;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>
/// <c>sandbox:shopify[?products=N&amp;seed=S&amp;rate=R&amp;reviews=none|metafields]</c>: an in-process Shopify sandbox, seeded as a
/// source, empty as a target; as a target, <c>reviews=metafields</c> opts in to keeping reviews as product metafields.
/// </summary>
internal sealed class ShopifySandboxProvider : IConnectorProvider
{
    /// <summary>
    /// The demo's restore rate in cost points per second: Shopify Plus's (1,000/s in Shopify's current rate-limit docs), with a
    /// bucket of 20 seconds of it. The legacy 50/s would make the demo take many minutes; <c>rate=</c> picks another.
    /// </summary>
    public const int DefaultRestoreRate = 1_000;

    public string Scheme => "sandbox:shopify";

    public string Usage => "sandbox:shopify[?products=N&seed=S&rate=R&reviews=none|metafields]";

    public string Normalize(StoreSpec spec, StoreRole role)
    {
        (int products, int seed, int rate) = Parse(spec);
        return role == StoreRole.Source
            ? $"sandbox:shopify?products={products}&seed={seed}&rate={rate}"
            : $"sandbox:shopify?rate={rate}&reviews={(Reviews(spec) == Shopify.ShopifyReviewStorage.None ? "none" : "metafields")}";
    }

    public async Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        (ShopifySandbox shop, Owner owner, int rate) = await StartAsync(spec, context, cancellationToken).ConfigureAwait(false);
        var services = ShopifyProvider.Build(shop.BaseAddress, context, out string name, shop.AccessToken, (rate * 20d, rate));
        owner.Services = services;
        return new BuiltConnector<ISourceConnector>(Shopify.ShopifyConnectorFactory.CreateSource(services, name), owner);
    }

    public async Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        (ShopifySandbox shop, Owner owner, int rate) = await StartAsync(spec, context, cancellationToken).ConfigureAwait(false);
        var services = ShopifyProvider.Build(shop.BaseAddress, context, out string name, shop.AccessToken, (rate * 20d, rate), Reviews(spec));
        owner.Services = services;
        return new BuiltConnector<ITargetConnector>(Shopify.ShopifyConnectorFactory.CreateTarget(services, name), owner);
    }

    private static (int Products, int Seed, int Rate) Parse(StoreSpec spec)
    {
        int products = spec.GetInt("products", WooCommerceSandboxProvider.DefaultProducts, 0, 1_000_000);
        int seed = spec.GetInt("seed", 42, 0, int.MaxValue);
        int rate = spec.GetInt("rate", DefaultRestoreRate, 1, 1_000_000);
        string[] unknown = [.. spec.Query.Keys.Where(k => k is not ("products" or "seed" or "rate" or "reviews"))];
        if (unknown.Length > 0)
        {
            throw CliException.Configuration($"sandbox:shopify does not know '{string.Join("', '", unknown)}'; use products, seed, rate and reviews.");
        }

        _ = Reviews(spec);
        return (products, seed, rate);
    }

    private static Shopify.ShopifyReviewStorage Reviews(StoreSpec spec)
        => spec.Query.TryGetValue("reviews", out string? value) ? value.ToUpperInvariant() switch
        {
            "NONE" => Shopify.ShopifyReviewStorage.None,
            "METAFIELDS" => Shopify.ShopifyReviewStorage.ProductMetafields,
            _ => throw CliException.Configuration($"sandbox:shopify?reviews={value} is not known; use none or metafields."),
        }
        : Shopify.ShopifyReviewStorage.None;

    private static async Task<(ShopifySandbox Shop, Owner Owner, int Rate)> StartAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        if (context.IsRebuild)
        {
            throw CliException.Configuration(
                "The project's sandbox:shopify store lived only in the process that started it. For runs that must survive a restart, start `nextcart-migrate sandbox` and use shopify:http://127.0.0.1:PORT.");
        }

        (int products, int seed, int rate) = Parse(spec);
        ShopifySandboxOptions options = new() { Seed = seed, BucketSize = rate * 20d, RestoreRate = rate };
        if (context.Role == StoreRole.Source)
        {
            options.Data = WooCommerceSandboxProvider.Data(products, seed);
        }
        else
        {
            options.Empty = true;
        }

        ShopifySandbox shop = await ShopifySandbox.StartAsync(options, cancellationToken).ConfigureAwait(false);
        context.Notify($"{(context.Role == StoreRole.Source ? "Source" : "Target")}: Shopify sandbox at {shop.BaseAddress} ({(context.Role == StoreRole.Source ? $"seeded, {products} products, seed {seed}" : "empty")}; cost bucket {rate * 20}, restoring {rate} points/s)");
        return (shop, new Owner(shop), rate);
    }

    private sealed class Owner(ShopifySandbox shop) : IAsyncDisposable
    {
        public IAsyncDisposable? Services { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Services is not null)
            {
                await Services.DisposeAsync();
            }

            await shop.DisposeAsync();
        }
    }
}
