using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Connectors;
using NextCart.Migration.WooCommerce;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary><c>woocommerce:https://HOST</c>: the WooCommerce REST v3 connector, with the key and secret from the environment.</summary>
internal sealed class WooCommerceProvider : IConnectorProvider
{
    public string Scheme => "woocommerce";

    public string Usage => "woocommerce:https://HOST";

    public string Normalize(StoreSpec spec, StoreRole role) => "woocommerce:" + ParseUrl(spec.Value).ToString().TrimEnd('/');

    public Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        ServiceProvider services = Build(ParseUrl(spec.Value), context, out string name);
        return Task.FromResult(new BuiltConnector<ISourceConnector>(WooCommerceConnectorFactory.CreateSource(services, name), services));
    }

    public Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        ServiceProvider services = Build(ParseUrl(spec.Value), context, out string name);
        return Task.FromResult(new BuiltConnector<ITargetConnector>(WooCommerceConnectorFactory.CreateTarget(services, name), services));
    }

    /// <summary>Builds the connector over a pipeline from AddNextCartHttpClient, with the credentials of the role.</summary>
    public static ServiceProvider Build(Uri url, ConnectorContext context, out string name, WooCredentialsOverride? credentials = null)
    {
        string? key = credentials?.Key ?? context.Secret("WOOCOMMERCE_KEY");
        string? secret = credentials?.Secret ?? context.Secret("WOOCOMMERCE_SECRET");
        if (key is null || secret is null)
        {
            string role = context.Role == StoreRole.Source ? "SOURCE" : "TARGET";
            throw CliException.Configuration(
                $"The WooCommerce {context.RoleName} {url.GetLeftPart(UriPartial.Authority)} needs a REST API key: set NEXTCART_WOOCOMMERCE_KEY and NEXTCART_WOOCOMMERCE_SECRET (or NEXTCART_{role}_WOOCOMMERCE_KEY and NEXTCART_{role}_WOOCOMMERCE_SECRET).");
        }

        string? user = credentials?.WordPressUser ?? context.Secret("WORDPRESS_USER");
        string? password = credentials?.WordPressPassword ?? context.Secret("WORDPRESS_APP_PASSWORD");
        name = context.RoleName;
        ServiceCollection services = new();
        services.AddSingleton(context.LoggerFactory);
        services.AddNextCartMigration().AddWooCommerce(
            context.RoleName,
            o =>
            {
                o.StoreUrl = url;
                o.ConsumerKey = key;
                o.ConsumerSecret = secret;
                if (user is not null && password is not null)
                {
                    o.WordPressUser = user;
                    o.WordPressApplicationPassword = password;
                }
            },
            http => StoreHttpTuning.Apply(http, context, url));
        return services.BuildServiceProvider();
    }

    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw CliException.Configuration($"'{Redact(text)}' is not a store URL; use woocommerce:https://HOST (or http://127.0.0.1:PORT for a local sandbox).");
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query))
        {
            throw CliException.Configuration($"The store URL {url.GetLeftPart(UriPartial.Authority)} carries credentials or a query; give only https://HOST and set the key in NEXTCART_WOOCOMMERCE_KEY and NEXTCART_WOOCOMMERCE_SECRET.");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !StoreHttpTuning.IsLoopback(url))
        {
            throw CliException.Configuration($"Plain http is refused for {url.GetLeftPart(UriPartial.Authority)}: it would send the API key unencrypted. Use https:// (plain http is accepted only for 127.0.0.1 or localhost).");
        }

        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    private static string Redact(string text)
    {
        int at = text.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? text : "…" + text[at..];
    }
}

/// <summary>Credentials known to the host itself (an in-process sandbox), used instead of the environment.</summary>
internal sealed record WooCredentialsOverride(string Key, string Secret, string WordPressUser, string WordPressPassword);
