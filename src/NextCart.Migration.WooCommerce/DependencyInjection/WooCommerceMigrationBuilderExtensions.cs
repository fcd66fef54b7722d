using Microsoft.Extensions.Options;
using NextCart.Migration.Http;
using NextCart.Migration.WooCommerce;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WooCommerce stores for the WooCommerce connectors.</summary>
public static class WooCommerceMigrationBuilderExtensions
{
    /// <summary>
    /// Registers a WooCommerce store under a name: its <see cref="WooCommerceConnectorOptions"/> (named options) and its HTTP client,
    /// built by <c>AddNextCartHttpClient</c> with the store URL, so it gets the shared resilience pipeline, per-store rate limiter and
    /// redaction. Create the connectors with <see cref="WooCommerceConnectorFactory.CreateSource(IServiceProvider, string)"/> and
    /// <see cref="WooCommerceConnectorFactory.CreateTarget(IServiceProvider, string)"/>.
    /// </summary>
    /// <param name="builder">The migration builder.</param>
    /// <param name="name">The store's name, such as <c>source</c> or <c>target</c>.</param>
    /// <param name="configure">Sets the store's options; the host supplies the secrets here, from its own secret store.</param>
    /// <param name="configureHttp">Tunes the HTTP options (rate, retries, timeouts), or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IMigrationBuilder AddWooCommerce(this IMigrationBuilder builder, string name, Action<WooCommerceConnectorOptions> configure, Action<StoreHttpOptions>? configureHttp = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<WooCommerceConnectorOptions>(name).Configure(configure);
        builder.Services.AddNextCartHttpClient(WooCommerceConnectorFactory.GetHttpClientName(name), (http, services) =>
        {
            WooCommerceConnectorOptions options = services.GetRequiredService<IOptionsMonitor<WooCommerceConnectorOptions>>().Get(name);
            http.BaseAddress = options.StoreUrl;
            http.StoreKey ??= options.StoreUrl?.GetLeftPart(UriPartial.Authority);
            configureHttp?.Invoke(http);
        });
        return builder;
    }
}
