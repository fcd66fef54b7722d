using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NextCart.Migration.Http;
using NextCart.Migration.Shopify;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Shopify shops with a migration builder.</summary>
public static class ShopifyMigrationBuilderExtensions
{
    /// <summary>
    /// Registers a named Shopify shop: its options, an <see cref="HttpClient"/> from <c>AddNextCartHttpClient</c> (retries, timeouts,
    /// https rule) and the process-wide <see cref="ShopifyRateLimitRegistry"/> whose bucket every connector of the shop shares.
    /// Create the connectors with <see cref="ShopifyConnectorFactory.CreateSource(IServiceProvider, string)"/> and
    /// <see cref="ShopifyConnectorFactory.CreateTarget(IServiceProvider, string)"/>.
    /// </summary>
    /// <param name="builder">The migration builder.</param>
    /// <param name="name">The shop's name in this host, such as <c>source</c> or <c>target</c>.</param>
    /// <param name="configure">Sets the shop's options; the host supplies the access token here, from its own secret store.</param>
    /// <param name="configureHttp">Tunes the HTTP options (retries, timeouts), or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IMigrationBuilder AddShopify(this IMigrationBuilder builder, string name, Action<ShopifyConnectorOptions> configure, Action<StoreHttpOptions>? configureHttp = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<ShopifyConnectorOptions>(name).Configure(configure);
        builder.Services.TryAddSingleton(services => new ShopifyRateLimitRegistry(services.GetService<TimeProvider>()));
        builder.Services.AddNextCartHttpClient(ShopifyConnectorFactory.GetHttpClientName(name), (http, services) =>
        {
            ShopifyConnectorOptions options = services.GetRequiredService<IOptionsMonitor<ShopifyConnectorOptions>>().Get(name);
            http.BaseAddress = options.ShopUrl;
            http.StoreKey ??= options.ShopUrl?.GetLeftPart(UriPartial.Authority);

            // The query-cost bucket paces requests; the request-count limiter only guards against runaway loops.
            http.RequestsPerSecond = 40;
            http.Burst = 40;
            configureHttp?.Invoke(http);
        });
        return builder;
    }
}
