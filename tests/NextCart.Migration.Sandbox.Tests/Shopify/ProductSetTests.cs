using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class ProductSetTests
{
    internal const string ProductSet = """
        mutation Set($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
          productSet(identifier: $identifier, input: $input, synchronous: true) {
            product { id handle title variants(first: 20) { nodes { id sku price selectedOptions { name value } } } }
            userErrors { field message code }
          }
        }
        """;

    internal static JsonObject TeeInput(string handle, params string[] sizes) => new()
    {
        ["title"] = "Classic Tee",
        ["handle"] = handle,
        ["productOptions"] = new JsonArray(new JsonObject
        {
            ["name"] = "Size",
            ["position"] = 1,
            ["values"] = new JsonArray([.. sizes.Select(s => (JsonNode)new JsonObject { ["name"] = s })]),
        }),
        ["variants"] = new JsonArray([.. sizes.Select((s, i) => (JsonNode)new JsonObject
        {
            ["optionValues"] = new JsonArray(new JsonObject { ["optionName"] = "Size", ["name"] = s }),
            ["price"] = "19.99",
            ["sku"] = "TEE-" + s,
            ["position"] = i + 1,
        })]),
    };

    [Fact]
    public async Task ProductSet_NewHandle_CreatesProductWithVariants()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject data = await ShopifyHttp.DataAsync(shop, ProductSet, new JsonObject { ["input"] = TeeInput("classic-tee", "S", "M") });

        JsonObject payload = data["productSet"]!.AsObject();
        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal("classic-tee", payload["product"]!["handle"]!.GetValue<string>());
        Assert.Equal(["TEE-S", "TEE-M"], payload["product"]!["variants"]!["nodes"]!.AsArray().Select(v => v!["sku"]!.GetValue<string>()));
        JsonObject stored = Assert.Single(shop.View.GetProducts());
        Assert.Equal(2, stored["variants"]!.AsArray().Count);
    }
}
