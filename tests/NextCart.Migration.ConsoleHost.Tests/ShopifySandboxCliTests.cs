using System.Text.Json.Nodes;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary><c>nextcart-migrate sandbox</c> serving Shopify too, and a migration into it from a second process.</summary>
public sealed class ShopifySandboxCliTests
{
    [Fact]
    public async Task Sandbox_BothEmulators_RunFromAnotherProcessLandsEveryWooCommerceProductInShopify()
    {
        using TestDirectory directory = new();
        int wooPort = FreePort();
        int shopPort = FreePort();
        await using SandboxProcess sandbox = await SandboxProcess.StartAsync(
            products: 6, seed: 21, extra: ["--woocommerce-port", wooPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shopify-port", shopPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal($"woocommerce:http://127.0.0.1:{wooPort}", sandbox.Spec);
        Assert.Equal($"shopify:http://127.0.0.1:{shopPort}", sandbox.ShopifySpec);
        Assert.False(string.IsNullOrEmpty(sandbox.Credentials["NEXTCART_SHOPIFY_TOKEN"]));
        Assert.Empty((await sandbox.ShopifyQueryAsync("{ products(first: 50) { nodes { id } } }"))["products"]!["nodes"]!.AsArray());
        string report = directory.File("report.json");

        // The user's command: the WooCommerce key and the Shopify token in the environment, both specs at the sandbox's loopback URLs.
        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", sandbox.Spec, "--target", sandbox.ShopifySpec, "--project", "to-shopify", "--entities", "categories,products", "--store", directory.Store, "--report", report],
            sandbox.Credentials,
            timeout: TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.Output);
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal(6, json["entities"]!["products"]!["migrated"]!.GetValue<long>());
        string[] sourceNames = [.. (await sandbox.GetAllAsync("products")).Select(p => p["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
        JsonArray landed = (await sandbox.ShopifyQueryAsync("{ products(first: 50) { nodes { id title } } }"))["products"]!["nodes"]!.AsArray();
        Assert.Equal(sourceNames, landed.Select(p => p!["title"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Sandbox_SamePortTwice_ExitsFourWithOneLine()
    {
        CliResult result = await CliProcess.RunAsync(["sandbox", "--woocommerce-port", "41999", "--shopify-port", "41999"]);

        Assert.Equal(4, result.ExitCode);
        string line = Assert.Single(result.Stderr);
        Assert.Contains("must be 0-65535 and different", line, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using System.Net.Sockets.TcpListener listener = new(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
