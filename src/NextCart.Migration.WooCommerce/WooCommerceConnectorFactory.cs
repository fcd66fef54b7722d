using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NextCart.Migration.Connectors;
using NextCart.Migration.WooCommerce.Internal;

namespace NextCart.Migration.WooCommerce;

/// <summary>Creates WooCommerce source and target connectors.</summary>
/// <remarks>
/// <para>
/// The source reads taxes, categories, products (with variations), customers, orders (with notes), reviews, coupons, pages and posts
/// (<c>wp/v2</c>) and redirects (the Redirection plugin). It also implements <see cref="ISourceValueInspector"/>.
/// </para>
/// <para>
/// The target implements <see cref="ITargetLinker"/> and <see cref="ITargetClearer"/>. It writes through the <c>/batch</c> endpoints,
/// tags every record with <c>meta_data</c> <c>_nextcart_source_id</c>, and reconciles by natural key (SKU, e-mail, coupon code, slug)
/// plus that meta. A product create that collides with an existing SKU (<c>product_invalid_sku</c> with <c>resource_id</c>) adopts the
/// existing product when it carries no other source identity: it is updated in place and reported as
/// <see cref="RecordStatus.Updated"/>.
/// </para>
/// <para>
/// <b>Notifications.</b> Orders are written with <c>set_paid=false</c>, order notes are never written as customer notes, and customers
/// are created without a password. WooCommerce still sends its own e-mails on some events whatever the API caller asks: the "New
/// account" e-mail when a customer is created, and the order status e-mails ("Processing order", "Completed order") when an order is
/// created in those statuses. The host must switch those e-mails off under WooCommerce &gt; Settings &gt; Emails before a run.
/// </para>
/// </remarks>
public static class WooCommerceConnectorFactory
{
    /// <summary>The provider id of both connectors, stored in projects and checkpoints.</summary>
    public const string ProviderId = WooCommerceConstants.ProviderId;

    /// <summary>The prefix of the names of the <see cref="HttpClient"/>s that <c>AddWooCommerce</c> registers, one per store.</summary>
    public const string HttpClientNamePrefix = "NextCart.Migration.WooCommerce:";

    /// <summary>Creates a source connector over an HTTP client (ideally one from <c>AddNextCartHttpClient</c>).</summary>
    /// <param name="options">The store settings; they are copied, and validated with every problem reported together.</param>
    /// <param name="httpClient">The HTTP client; requests use absolute URIs built from <see cref="WooCommerceConnectorOptions.StoreUrl"/>.</param>
    /// <param name="timeProvider">The clock for OAuth timestamps, or <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <returns>The connector, which also implements <see cref="ISourceValueInspector"/>.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(WooCommerceConnectorOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        => new WooCommerceSource(CreateClient(options, httpClient, timeProvider), (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NextCart.Migration.WooCommerce.Source"));

    /// <summary>Creates a target connector over an HTTP client (ideally one from <c>AddNextCartHttpClient</c>).</summary>
    /// <param name="options">The store settings; they are copied, and validated with every problem reported together.</param>
    /// <param name="httpClient">The HTTP client; requests use absolute URIs built from <see cref="WooCommerceConnectorOptions.StoreUrl"/>.</param>
    /// <param name="timeProvider">The clock for OAuth timestamps, or <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <returns>The connector, which also implements <see cref="ITargetLinker"/> and <see cref="ITargetClearer"/>.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(WooCommerceConnectorOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        => new WooCommerceTarget(CreateClient(options, httpClient, timeProvider), (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NextCart.Migration.WooCommerce.Target"));

    /// <summary>Creates a source connector for a store registered with <c>AddWooCommerce(name, …)</c>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The store's registered name.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CreateSource(
            services.GetRequiredService<IOptionsMonitor<WooCommerceConnectorOptions>>().Get(name),
            services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(name)),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>());
    }

    /// <summary>Creates a target connector for a store registered with <c>AddWooCommerce(name, …)</c>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The store's registered name.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CreateTarget(
            services.GetRequiredService<IOptionsMonitor<WooCommerceConnectorOptions>>().Get(name),
            services.GetRequiredService<IHttpClientFactory>().CreateClient(GetHttpClientName(name)),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>());
    }

    /// <summary>Gets the name of the <see cref="HttpClient"/> that <c>AddWooCommerce(name, …)</c> registers for a store.</summary>
    /// <param name="name">The store's registered name.</param>
    /// <returns>The client name.</returns>
    public static string GetHttpClientName(string name) => HttpClientNamePrefix + name;

    private static WooCommerceClient CreateClient(WooCommerceConnectorOptions options, HttpClient httpClient, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        WooCommerceConnectorOptions copy = options.Clone();
        copy.ThrowIfInvalid();
        return new WooCommerceClient(httpClient, copy, timeProvider ?? TimeProvider.System);
    }
}
