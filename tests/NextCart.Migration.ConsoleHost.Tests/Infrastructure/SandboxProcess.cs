using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NextCart.Migration.ConsoleHost.Tests.Infrastructure;

/// <summary>A <c>nextcart-migrate sandbox</c> child process (a WooCommerce emulator on loopback) and a reader of its REST API.</summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private readonly CliProcess _process;
    private readonly HttpClient _http;

    private SandboxProcess(CliProcess process, string spec, Dictionary<string, string?> credentials)
    {
        _process = process;
        Spec = spec;
        Credentials = credentials;
        _http = new HttpClient { BaseAddress = new Uri(spec["woocommerce:".Length..] + "/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials["NEXTCART_WOOCOMMERCE_KEY"] + ":" + credentials["NEXTCART_WOOCOMMERCE_SECRET"])));
    }

    /// <summary>Gets the store spec, such as <c>woocommerce:http://127.0.0.1:41234</c>.</summary>
    public string Spec { get; }

    /// <summary>Gets the environment variables that carry the sandbox's credentials.</summary>
    public Dictionary<string, string?> Credentials { get; }

    public static async Task<SandboxProcess> StartAsync(int products, int seed, int latencyMs = 0, bool empty = false)
    {
        List<string> args = ["sandbox", "--products", products.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (empty)
        {
            args.Add("--empty");
        }

        CliProcess process = CliProcess.Start(args);
        try
        {
            await process.WaitForLineAsync(l => l.StartsWith("Sandbox ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            string spec = process.Stdout.First(l => l.TrimStart().StartsWith("spec: ", StringComparison.Ordinal)).Trim()["spec: ".Length..];
            Dictionary<string, string?> credentials = process.Stdout
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("NEXTCART_", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => (string?)l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
            return new SandboxProcess(process, spec, credentials);
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

    /// <summary>Gets the <c>_nextcart_source_id</c> meta of a record written by the migration.</summary>
    public static string? SourceId(JsonObject record)
        => record["meta_data"]?.AsArray().FirstOrDefault(m => m?["key"]?.GetValue<string>() == "_nextcart_source_id")?["value"]?.ToString();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
