using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Connectors;
using NextCart.Migration.Shopify;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary><c>shopify:SHOP.myshopify.com</c> (or <c>shopify:http://127.0.0.1:PORT</c> for a standalone sandbox), with the token from <c>NEXTCART_SHOPIFY_TOKEN</c>.</summary>
internal sealed class ShopifyProvider : IConnectorProvider
{
    public string Scheme => "shopify";

    public string Usage => "shopify:SHOP.myshopify.com";

    public string Normalize(StoreSpec spec, StoreRole role) => "shopify:" + ParseUrl(spec.Value).ToString().TrimEnd('/');

    public Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        ServiceProvider services = Build(ParseUrl(spec.Value), context, out string name);
        return Task.FromResult(new BuiltConnector<ISourceConnector>(ShopifyConnectorFactory.CreateSource(services, name), services));
    }

    public Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        ServiceProvider services = Build(ParseUrl(spec.Value), context, out string name);
        return Task.FromResult(new BuiltConnector<ITargetConnector>(ShopifyConnectorFactory.CreateTarget(services, name), services));
    }

    /// <summary>Registers the shop; <paramref name="token"/> and the bucket settings are given only for an in-process sandbox.</summary>
    public static ServiceProvider Build(Uri url, ConnectorContext context, out string name, string? token = null, (double Size, double Rate)? bucket = null, ShopifyReviewStorage reviews = ShopifyReviewStorage.None)
    {
        token ??= context.Secret("SHOPIFY_TOKEN")
            ?? throw CliException.Configuration(
                $"The Shopify {context.RoleName} {url.Host} needs an Admin API access token: set NEXTCART_SHOPIFY_TOKEN (or NEXTCART_{(context.Role == StoreRole.Source ? "SOURCE" : "TARGET")}_SHOPIFY_TOKEN).");
        name = context.RoleName;
        ServiceCollection services = new();
        services.AddSingleton(context.LoggerFactory);
        services.AddNextCartMigration().AddShopify(
            context.RoleName,
            o =>
            {
                o.ShopUrl = url;
                o.AccessToken = token;
                o.ReviewStorage = reviews;
                if (bucket is { } b)
                {
                    o.BucketSize = b.Size;
                    o.RestoreRate = b.Rate;
                }
            },
            http => StoreHttpTuning.Apply(http, context, url));
        return services.BuildServiceProvider();
    }

    public static Uri ParseUrl(string text)
    {
        string value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "https://" + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query))
        {
            throw CliException.Configuration($"'{text}' is not a shop; use shopify:SHOP.myshopify.com (or http://127.0.0.1:PORT for a local sandbox) and set the token in NEXTCART_SHOPIFY_TOKEN.");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !StoreHttpTuning.IsLoopback(url))
        {
            throw CliException.Configuration($"Plain http is refused for {url.Host}: it would send the access token unencrypted. Use https:// (plain http is accepted only for 127.0.0.1 or localhost).");
        }

        return new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
    }
}
