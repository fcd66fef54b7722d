using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NextCart.Migration.Connectors;
using NextCart.Migration.Shopify.Internal;

namespace NextCart.Migration.Shopify;

/// <summary>Creates Shopify source and target connectors over the Admin GraphQL API 2026-01.</summary>
/// <remarks>
/// <para>
/// The source reads products (with variants, media and collections), collections (as categories), customers, orders, pages, articles
/// (blog posts), basic code discounts (coupons) and URL redirects, with cursor pagination; the resume token is the end cursor.
/// </para>
/// <para>
/// The target implements <see cref="ITargetLinker"/> and <see cref="ITargetClearer"/>. Products are written with <c>productSet</c>
/// (idempotent through the <c>nextcart.source_id</c> custom id), collections with <c>collectionCreate</c> (nested categories are
/// flattened into titles such as "Parent / Child"), customers with <c>customerSet</c> by e-mail, orders with <c>orderCreate</c>
/// (no receipts, inventory bypassed), coupons with <c>discountCodeBasicCreate</c>, pages, articles under one blog, and redirects.
/// Every written record carries the metafield <c>nextcart.source_id</c> (discounts and redirects excepted: they are reconciled by
/// code and path). Taxes and manufacturers are unsupported; reviews are unsupported unless
/// <see cref="ShopifyConnectorOptions.ReviewStorage"/> opts in to product metafields.
/// </para>
/// <para>
/// <b>Rate limits.</b> Every document's query cost is predicted and the connector waits, before sending, until the shop's leaky
/// bucket (shared through <see cref="ShopifyRateLimitRegistry"/>) can hold it, re-synchronising from each response's
/// <c>throttleStatus</c>; <c>THROTTLED</c> answers are retried.
/// </para>
/// </remarks>
public static class ShopifyConnectorFactory
{
    /// <summary>The provider id of both connectors, stored in projects and checkpoints.</summary>
    public const string ProviderId = ShopifyConstants.ProviderId;

    /// <summary>The Admin API version the connectors speak.</summary>
    public const string ApiVersion = ShopifyConstants.ApiVersion;

    /// <summary>The prefix of the names of the <see cref="HttpClient"/>s that <c>AddShopify</c> registers, one per shop.</summary>
    public const string HttpClientNamePrefix = "NextCart.Migration.Shopify:";

    /// <summary>Creates a source connector over an HTTP client (ideally one from <c>AddNextCartHttpClient</c>).</summary>
    /// <param name="options">The shop settings; they are copied, and validated with every problem reported together.</param>
    /// <param name="httpClient">The HTTP client; requests use absolute URIs built from <see cref="ShopifyConnectorOptions.ShopUrl"/>.</param>
    /// <param name="rateLimits">The registry of shop buckets to share with other connectors of the shop, or <see langword="null"/> for a private one.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(ShopifyConnectorOptions options, HttpClient httpClient, ShopifyRateLimitRegistry? rateLimits = null, ILoggerFactory? loggerFactory = null)
    {
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        return new ShopifySource(CreateClient(options, httpClient, rateLimits, factory), factory.CreateLogger("NextCart.Migration.Shopify.Source"));
    }

    /// <summary>Creates a target connector over an HTTP client (ideally one from <c>AddNextCartHttpClient</c>).</summary>
    /// <param name="options">The shop settings; they are copied, and validated with every problem reported together.</param>
    /// <param name="httpClient">The HTTP client; requests use absolute URIs built from <see cref="ShopifyConnectorOptions.ShopUrl"/>.</param>
    /// <param name="rateLimits">The registry of shop buckets to share with other connectors of the shop, or <see langword="null"/> for a private one.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <returns>The connector, which also implements <see cref="ITargetLinker"/> and <see cref="ITargetClearer"/>.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(ShopifyConnectorOptions options, HttpClient httpClient, ShopifyRateLimitRegistry? rateLimits = null, ILoggerFactory? loggerFactory = null)
    {
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        return new ShopifyTarget(CreateClient(options, httpClient, rateLimits, factory), factory.CreateLogger("NextCart.Migration.Shopify.Target"));
    }

    /// <summary>Creates a source connector for a shop registered with <c>AddShopify(name, …)</c>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The shop's registered name.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CreateSource(
            services.GetRequiredService<IOptionsMonitor<ShopifyConnectorOptions>>().Get(name),
            services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(name)),
            services.GetRequiredService<ShopifyRateLimitRegistry>(),
            services.GetService<ILoggerFactory>());
    }

    /// <summary>Creates a target connector for a shop registered with <c>AddShopify(name, …)</c>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The shop's registered name.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CreateTarget(
            services.GetRequiredService<IOptionsMonitor<ShopifyConnectorOptions>>().Get(name),
            services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(name)),
            services.GetRequiredService<ShopifyRateLimitRegistry>(),
            services.GetService<ILoggerFactory>());
    }

    /// <summary>Gets the name of the <see cref="HttpClient"/> that <c>AddShopify(name, …)</c> registers for a shop.</summary>
    /// <param name="name">The shop's registered name.</param>
    /// <returns>The client name.</returns>
    public static string GetHttpClientName(string name) => HttpClientNamePrefix + name;

    private static ShopifyClient CreateClient(ShopifyConnectorOptions options, HttpClient httpClient, ShopifyRateLimitRegistry? rateLimits, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        ShopifyConnectorOptions copy = options.Clone();
        copy.ThrowIfInvalid();
        CostBucket bucket = (rateLimits ?? new ShopifyRateLimitRegistry()).GetOrAdd(copy);
        return new ShopifyClient(httpClient, copy, bucket, loggerFactory.CreateLogger("NextCart.Migration.Shopify.Client"));
    }
}
