namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>The store specs this build understands, keyed by scheme.</summary>
internal sealed class ConnectorRegistry
{
    private readonly Dictionary<string, IConnectorProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public static ConnectorRegistry CreateDefault()
    {
        ConnectorRegistry registry = new();
        registry.Add(new WooCommerceProvider());
        registry.Add(new WooCommerceSandboxProvider());

        registry.Add(new ShopifyProvider());
        registry.Add(new ShopifySandboxProvider());

        registry.Add(CsvProvider.WooCommerce());
        registry.Add(CsvProvider.Shopify());
        return registry;
    }

    public void Add(IConnectorProvider provider) => _providers[provider.Scheme] = provider;

    public IConnectorProvider Get(StoreSpec spec)
        => _providers.TryGetValue(spec.Scheme, out IConnectorProvider? provider)
            ? provider
            : throw CliException.Configuration($"Unknown store '{spec.Scheme}:'; use one of {string.Join(", ", _providers.Values.Select(p => p.Usage))}.");

    /// <summary>Parses and validates a spec, returning its provider and canonical (secret-free) text.</summary>
    public (IConnectorProvider Provider, StoreSpec Spec, string Canonical) Resolve(string? text, string option, StoreRole role)
    {
        StoreSpec spec = StoreSpec.Parse(text, option);
        IConnectorProvider provider = Get(spec);
        return (provider, spec, provider.Normalize(spec, role));
    }
}
