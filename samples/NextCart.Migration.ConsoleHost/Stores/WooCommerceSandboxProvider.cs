using NextCart.Migration.Connectors;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>
/// <c>sandbox:woocommerce[?products=N&amp;seed=S&amp;latency-ms=L]</c>: an in-process WooCommerce sandbox on loopback, seeded when it is the
/// source and empty when it is the target. It lives only as long as this process, so its runs cannot be resumed elsewhere.
/// </summary>
internal sealed class WooCommerceSandboxProvider : IConnectorProvider
{
    public const int DefaultProducts = 500;

    public string Scheme => "sandbox:woocommerce";

    public string Usage => "sandbox:woocommerce[?products=N&seed=S]";

    public string Normalize(StoreSpec spec, StoreRole role)
    {
        int products = spec.GetInt("products", DefaultProducts, 0, 1_000_000);
        int seed = spec.GetInt("seed", 42, 0, int.MaxValue);
        _ = spec.GetInt("latency-ms", 0, 0, 60_000);
        string[] unknown = [.. spec.Query.Keys.Where(k => k is not ("products" or "seed" or "latency-ms"))];
        if (unknown.Length > 0)
        {
            throw CliException.Configuration($"sandbox:woocommerce does not know '{string.Join("', '", unknown)}'; use products, seed and latency-ms.");
        }

        return role == StoreRole.Source ? $"sandbox:woocommerce?products={products}&seed={seed}" : "sandbox:woocommerce";
    }

    public async Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        (WooCommerceSandbox sandbox, Owner owner) = await StartAsync(spec, context, cancellationToken).ConfigureAwait(false);
        return new BuiltConnector<ISourceConnector>(Sources(sandbox, context, owner), owner);
    }

    public async Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        (WooCommerceSandbox sandbox, Owner owner) = await StartAsync(spec, context, cancellationToken).ConfigureAwait(false);
        return new BuiltConnector<ITargetConnector>(Targets(sandbox, context, owner), owner);
    }

    /// <summary>The sample data of a sandbox of <paramref name="products"/> products: 3 customers per 5 products, 2 orders per product.</summary>
    public static SampleStoreOptions Data(int products, int seed)
        => SampleStoreOptions.Scale(Math.Max(products, 1), seed) with { Products = products, Customers = products * 3 / 5, Orders = products * 2 };

    private static async Task<(WooCommerceSandbox Sandbox, Owner Owner)> StartAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        if (context.IsRebuild)
        {
            throw CliException.Configuration(
                "The project's sandbox:woocommerce store lived only in the process that started it. For runs that must survive a restart, start `nextcart-migrate sandbox` and use woocommerce:http://127.0.0.1:PORT.");
        }

        int products = spec.GetInt("products", DefaultProducts, 0, 1_000_000);
        int seed = spec.GetInt("seed", 42, 0, int.MaxValue);
        int latency = spec.GetInt("latency-ms", 0, 0, 60_000);
        WooCommerceSandboxOptions options = new() { Seed = seed };
        if (context.Role == StoreRole.Source)
        {
            options.Data = Data(products, seed);
        }
        else
        {
            options.Empty = true;
        }

        if (latency > 0)
        {
            options.Faults = new Sandbox.SandboxFaultOptions { Latency = TimeSpan.FromMilliseconds(latency) };
        }

        WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(options, cancellationToken).ConfigureAwait(false);
        context.Notify($"{(context.Role == StoreRole.Source ? "Source" : "Target")}: WooCommerce sandbox at {sandbox.BaseAddress} ({(context.Role == StoreRole.Source ? $"seeded, {products} products, seed {seed}" : "empty")})");
        return (sandbox, new Owner(sandbox));
    }

    private static ISourceConnector Sources(WooCommerceSandbox sandbox, ConnectorContext context, Owner owner)
    {
        Microsoft.Extensions.DependencyInjection.ServiceProvider services = WooCommerceProvider.Build(sandbox.BaseAddress, context, out string name, Credentials(sandbox));
        owner.Services = services;
        return WooCommerce.WooCommerceConnectorFactory.CreateSource(services, name);
    }

    private static ITargetConnector Targets(WooCommerceSandbox sandbox, ConnectorContext context, Owner owner)
    {
        Microsoft.Extensions.DependencyInjection.ServiceProvider services = WooCommerceProvider.Build(sandbox.BaseAddress, context, out string name, Credentials(sandbox));
        owner.Services = services;
        return WooCommerce.WooCommerceConnectorFactory.CreateTarget(services, name);
    }

    private static WooCredentialsOverride Credentials(WooCommerceSandbox sandbox)
        => new(sandbox.ConsumerKey, sandbox.ConsumerSecret, sandbox.WordPressUserName, sandbox.ApplicationPassword);

    /// <summary>Disposes of the connector's HTTP container, then stops the sandbox.</summary>
    private sealed class Owner(WooCommerceSandbox sandbox) : IAsyncDisposable
    {
        public IAsyncDisposable? Services { get; set; }

        public WooCommerceSandbox Sandbox { get; } = sandbox;

        public async ValueTask DisposeAsync()
        {
            if (Services is not null)
            {
                await Services.DisposeAsync();
            }

            await Sandbox.DisposeAsync();
        }
    }
}
