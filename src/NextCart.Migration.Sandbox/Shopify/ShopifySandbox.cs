using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Internal;
using NextCart.Migration.Sandbox.Shopify.Internal;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Shopify;

/// <summary>
/// A local emulator of a Shopify shop's Admin GraphQL API 2026-01 on real Kestrel, bound to 127.0.0.1 on an ephemeral port:
/// <c>POST {BaseAddress}admin/api/2026-01/graphql.json</c> with the <c>X-Shopify-Access-Token</c> header, seeded from the
/// deterministic sample store or empty, with the same seeded fault injection as every sandbox.
/// </summary>
/// <remarks>
/// <para>Usage:</para>
/// <code>
/// await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 7, ProductCount = 50 });
/// using HttpClient http = new() { BaseAddress = shop.BaseAddress };
/// http.DefaultRequestHeaders.Add("X-Shopify-Access-Token", shop.AccessToken);
/// var response = await http.PostAsJsonAsync(ShopifySandbox.GraphQLPath, new { query = "{ shop { name } }" });
/// // shop.GraphQLEndpoint is the absolute URL; shop.ShopDomain is "{ShopName}.myshopify.com"; shop.View reads the data.
/// </code>
/// <para>
/// The schema is a subset of the published 2026-01 SDL with the real names (types, fields and arguments copied verbatim),
/// so an unknown field or argument is a GraphQL validation error as on Shopify. Each request's cost is computed from the
/// parsed document before it runs (object 1, connection 2 + <c>first</c>/<c>last</c>, nested connections multiplied,
/// mutation 10, <c>productSet</c> dynamic); a cost over <see cref="ShopifySandboxOptions.MaxQueryCost"/> is
/// <c>MAX_COST_EXCEEDED</c>, and a leaky bucket per shop (<see cref="ShopifySandboxOptions.BucketSize"/>,
/// <see cref="ShopifySandboxOptions.RestoreRate"/>, on <see cref="PlatformSandboxOptions.TimeProvider"/>) answers
/// <c>THROTTLED</c> with <c>actualQueryCost: null</c>. Business errors are <c>userErrors</c>. Cursors are opaque and tied to
/// their connection and sort. <c>customId</c> identifiers need a metafield definition with unique values, as on Shopify.
/// </para>
/// <para>Dispose it to stop the server. It is safe to use from many threads.</para>
/// </remarks>
public sealed class ShopifySandbox : PlatformSandbox
{
    /// <summary>The path of the GraphQL endpoint, relative to <see cref="PlatformSandbox.BaseAddress"/>.</summary>
    public const string GraphQLPath = "admin/api/" + ShopifySandboxOptions.ApiVersion + "/graphql.json";

    private ShopifySandbox(SandboxHost host, SampleStore? seededFrom, string accessToken, string shopDomain, ShopifyStoreView view)
        : base(host, seededFrom)
    {
        AccessToken = accessToken;
        ShopDomain = shopDomain;
        View = view;
    }

    /// <summary>Gets the access token the sandbox accepts in <c>X-Shopify-Access-Token</c>.</summary>
    public string AccessToken { get; }

    /// <summary>Gets the shop's domain, <c>{ShopName}.myshopify.com</c> (what <c>shop { myshopifyDomain }</c> answers).</summary>
    public string ShopDomain { get; }

    /// <summary>Gets the absolute URL of the GraphQL endpoint.</summary>
    public Uri GraphQLEndpoint => new(BaseAddress, GraphQLPath);

    /// <summary>Gets a read-only view of the data and the cost counters, for tests and benchmarks.</summary>
    public ShopifyStoreView View { get; }

    /// <summary>Starts a sandbox: binds Kestrel to 127.0.0.1 on a free port and seeds the data.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running sandbox.</returns>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static async Task<ShopifySandbox> StartAsync(ShopifySandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SampleStore? sample = options.ResolveStore();
        string token = options.AccessToken ?? "shpat_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("shopify-token:" + options.Seed.ToString(CultureInfo.InvariantCulture))))[..32];
        string domain = options.ShopName + ".myshopify.com";
        SandboxHost host = await SandboxHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            ShopifyStore store = new(options.TimeProvider, options.ShopName, domain, options.Currency ?? sample?.Options?.Currency ?? "USD");
            Dictionary<(EntityType, string), string> seedMap = [];
            if (sample is not null)
            {
                lock (store.Gate)
                {
                    new ShopifySeeder(store, seedMap).Seed(sample);
                }
            }

            LeakyBucket bucket = new(options.BucketSize, options.RestoreRate, options.TimeProvider);
            ShopifyCostLedger ledger = new();
            ShopifyPlatform platform = new(store, ShopifyPlatform.CreateEngine(), token, bucket, options.MaxQueryCost, options.ThrottledStatusCode, ledger);
            host.Attach(platform);
            return new ShopifySandbox(host, sample, token, domain, new ShopifyStoreView(store, platform, host.Counters, seedMap));
        }
        catch
        {
            await host.Server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an <see cref="HttpClient"/> for the sandbox that sends the access token.</summary>
    /// <returns>The client; the caller disposes it.</returns>
    public HttpClient CreateClient()
    {
        HttpClient client = new() { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", AccessToken);
        return client;
    }
}
