using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NextCart.Migration.ConsoleHost.Tests.Infrastructure;

/// <summary>
/// A <c>nextcart-migrate sandbox</c> child process (WooCommerce and Shopify emulators on loopback), a reader of the WooCommerce
/// REST API and a client of the Shopify Admin GraphQL API.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private readonly CliProcess _process;
    private readonly HttpClient _http;

    private SandboxProcess(CliProcess process, string spec, string shopifySpec, Dictionary<string, string?> credentials)
    {
        _process = process;
        Spec = spec;
        ShopifySpec = shopifySpec;
        Credentials = credentials;
        _http = new HttpClient { BaseAddress = new Uri(spec["woocommerce:".Length..] + "/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials["NEXTCART_WOOCOMMERCE_KEY"] + ":" + credentials["NEXTCART_WOOCOMMERCE_SECRET"])));
    }

    /// <summary>Gets the store spec, such as <c>woocommerce:http://127.0.0.1:41234</c>.</summary>
    public string Spec { get; }

    /// <summary>Gets the Shopify sandbox's store spec, such as <c>shopify:http://127.0.0.1:41235</c>.</summary>
    public string ShopifySpec { get; }

    /// <summary>Gets the environment variables that carry the sandboxes' credentials (NEXTCART_SHOPIFY_TOKEN included).</summary>
    public Dictionary<string, string?> Credentials { get; }

    public static async Task<SandboxProcess> StartAsync(int products, int seed, int latencyMs = 0, bool empty = false, IEnumerable<string>? extra = null)
    {
        List<string> args = ["sandbox", "--products", products.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (empty)
        {
            args.Add("--empty");
        }

        args.AddRange(extra ?? []);

        CliProcess process = CliProcess.Start(args);
        try
        {
            await process.WaitForLineAsync(l => l.StartsWith("Sandbox ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            string[] specs = [.. process.Stdout.Where(l => l.TrimStart().StartsWith("spec: ", StringComparison.Ordinal)).Select(l => l.Trim()["spec: ".Length..])];
            string spec = specs.Single(s => s.StartsWith("woocommerce:", StringComparison.Ordinal));
            string shopifySpec = specs.Single(s => s.StartsWith("shopify:", StringComparison.Ordinal));
            Dictionary<string, string?> credentials = process.Stdout
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("NEXTCART_", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => (string?)l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
            return new SandboxProcess(process, spec, shopifySpec, credentials);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads every record of a REST collection, such as <c>products</c>, page by page.</summary>
    public async Task<List<JsonObject>> GetAllAsync(string resource)
    {
        List<JsonObject> all = [];
        for (int page = 1; ; page++)
        {
            string separator = resource.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            JsonArray items = JsonNode.Parse(await _http.GetStringAsync($"wp-json/wc/v3/{resource}{separator}per_page=100&page={page}"))!.AsArray();
            all.AddRange(items.Select(i => i!.AsObject()));
            if (items.Count < 100)
            {
                return all;
            }
        }
    }

    /// <summary>Posts a query to the Shopify sandbox's Admin GraphQL endpoint with its access token, returning <c>data</c>.</summary>
    public async Task<JsonObject> ShopifyQueryAsync(string query)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, new Uri(ShopifySpec["shopify:".Length..] + "/admin/api/2026-01/graphql.json"));
        request.Headers.Add("X-Shopify-Access-Token", Credentials["NEXTCART_SHOPIFY_TOKEN"]);
        request.Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        JsonObject body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return body["data"]?.AsObject() ?? throw new InvalidOperationException("The Shopify sandbox answered without data: " + body.ToJsonString());
    }

    /// <summary>Gets the <c>_nextcart_source_id</c> meta of a record written by the migration.</summary>
    public static string? SourceId(JsonObject record)
        => record["meta_data"]?.AsArray().FirstOrDefault(m => m?["key"]?.GetValue<string>() == "_nextcart_source_id")?["value"]?.ToString();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
