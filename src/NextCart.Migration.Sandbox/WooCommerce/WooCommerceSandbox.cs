using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using NextCart.Migration.Sandbox.Internal;
using NextCart.Migration.Sandbox.WooCommerce.Internal;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.WooCommerce;

/// <summary>
/// A local emulator of a WordPress + WooCommerce store's REST API on real Kestrel, bound to 127.0.0.1 on an ephemeral port:
/// WooCommerce REST v3 under <c>/wp-json/wc/v3</c>, WordPress posts and pages under <c>/wp-json/wp/v2</c>, and the Redirection
/// plugin's API under <c>/wp-json/redirection/v1</c>, seeded from the deterministic sample store or empty, with seeded fault
/// injection.
/// </summary>
/// <remarks>
/// <para>
/// The emulator follows WooCommerce core's controllers: string money, local and <c>_gmt</c> dates, <c>X-WP-Total</c> and
/// <c>X-WP-TotalPages</c>, a <c>Link</c> header with only prev and next, <c>per_page</c> at most 100, a page past the end as
/// <c>200 []</c>, batches of at most 100 items with per-item errors inside a 200, <c>product_invalid_sku</c> with
/// <c>resource_id</c>, <c>force</c> and trash, and authentication by HTTP Basic, query string or OAuth 1.0a with the consumer
/// key, or by the WordPress application password (the only way into <c>wp/v2</c> writes and the Redirection API).
/// </para>
/// <para>Dispose it to stop the server. It is safe to use from many threads. Read the data without HTTP through <see cref="Store"/>.</para>
/// </remarks>
public sealed class WooCommerceSandbox : PlatformSandbox
{
    private WooCommerceSandbox(SandboxHost host, WooCredentials credentials, WooApi api, SampleStore? seededFrom)
        : base(host, seededFrom)
    {
        ConsumerKey = credentials.ConsumerKey;
        ConsumerSecret = credentials.ConsumerSecret;
        WordPressUserName = credentials.UserName;
        ApplicationPassword = credentials.ApplicationPassword;
        Store = new WooCommerceStoreView(api);
    }

    /// <summary>Gets the address of the WooCommerce REST API, <c>{BaseAddress}wp-json/wc/v3/</c>.</summary>
    public Uri ApiAddress => new(BaseAddress, "wp-json/wc/v3/");

    /// <summary>Gets the consumer key the sandbox accepts (user name of HTTP Basic, <c>consumer_key</c>, <c>oauth_consumer_key</c>).</summary>
    public string ConsumerKey { get; }

    /// <summary>Gets the consumer secret the sandbox accepts (password of HTTP Basic, <c>consumer_secret</c>, OAuth signing key).</summary>
    public string ConsumerSecret { get; }

    /// <summary>Gets the WordPress user name for application-password authentication.</summary>
    public string WordPressUserName { get; }

    /// <summary>Gets the WordPress application password (Basic <c>user:password</c>; its spaces are optional).</summary>
    public string ApplicationPassword { get; }

    /// <summary>Gets a read-only view of the data, for comparing stores without HTTP.</summary>
    public WooCommerceStoreView Store { get; }

    /// <summary>Starts a sandbox: binds Kestrel to 127.0.0.1 on a free port and seeds the data.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running sandbox.</returns>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static async Task<WooCommerceSandbox> StartAsync(WooCommerceSandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SampleStore? sample = options.ResolveStore();
        WooCredentials credentials = Credentials(options);
        SandboxHost host = await SandboxHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            WooTime time = new(options.TimeProvider, options.SiteUtcOffset);
            WooStore store = new(time, host.SiteUrl);
            WooSettings settings = new(options.BatchLimit, options.CalculateTaxes, options.UnreachableImageHosts, sample?.Options?.Currency ?? "USD", WooCommerceConstants.WooCommerceVersion);
            WooApi api = new(new WooContext(store, settings));
            WooSeeder seeder = new(api);
            lock (store.Gate)
            {
                seeder.SeedInstall(credentials, time.Now());
                if (sample is not null)
                {
                    seeder.Seed(sample);
                }
            }

            host.Attach(new WooPlatform(api, new WooAuthenticator(credentials, time, options.RequireHttpsForBasicAuth)));
            return new WooCommerceSandbox(host, credentials, api, sample);
        }
        catch
        {
            await host.Server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an <see cref="HttpClient"/> for the site that authenticates with the consumer key and secret over HTTP Basic.</summary>
    /// <returns>The client; the caller disposes it.</returns>
    public HttpClient CreateClient() => CreateClient(ConsumerKey, ConsumerSecret);

    /// <summary>Creates an <see cref="HttpClient"/> for the site that authenticates with the WordPress application password.</summary>
    /// <returns>The client; the caller disposes it.</returns>
    public HttpClient CreateWordPressClient() => CreateClient(WordPressUserName, ApplicationPassword);

    private HttpClient CreateClient(string user, string password)
    {
        HttpClient client = new() { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return client;
    }

    private static WooCredentials Credentials(WooCommerceSandboxOptions options)
    {
        string seed = options.Seed.ToString(CultureInfo.InvariantCulture);
        string password = options.ApplicationPassword ?? string.Join(' ', Enumerable.Range(0, 6).Select(i => AlphaNumeric(WooContext.Token("app-password:" + seed + ":" + i.ToString(CultureInfo.InvariantCulture), 8))));
        return new WooCredentials(
            options.ConsumerKey ?? "ck_" + WooContext.Token("consumer-key:" + seed, 40),
            options.ConsumerSecret ?? "cs_" + WooContext.Token("consumer-secret:" + seed, 40),
            options.WordPressUserName,
            options.WordPressUserName + "@example.test",
            password,
            options.KeyPermissions);
    }

    private static string AlphaNumeric(string hex)
    {
        const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder builder = new(4);
        for (int i = 0; i < 4; i++)
        {
            builder.Append(Alphabet[Convert.ToInt32(hex.Substring(i * 2, 2), 16) % Alphabet.Length]);
        }

        return builder.ToString();
    }
}
