using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class UpsertTests
{
    internal static async Task<JsonObject> DefineSourceIdAsync(ShopifySandbox shop, string ownerType)
    {
        const string Define = """
            mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id } userErrors { field message code } } }
            """;
        JsonObject data = await ShopifyHttp.DataAsync(shop, Define, new JsonObject
        {
            ["d"] = new JsonObject
            {
                ["name"] = "Source id",
                ["namespace"] = "nextcart",
                ["key"] = "source_id",
                ["type"] = "single_line_text_field",
                ["ownerType"] = ownerType,
                ["capabilities"] = new JsonObject { ["uniqueValues"] = new JsonObject { ["enabled"] = true } },
            },
        });
        return data["metafieldDefinitionCreate"]!.AsObject();
    }

    private static JsonObject CustomId(string value) => new() { ["customId"] = new JsonObject { ["namespace"] = "nextcart", ["key"] = "source_id", ["value"] = value } };

    [Fact]
    public async Task ProductSet_SameHandle_UpdatesAndReplacesVariants()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        JsonObject created = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = ProductSetTests.TeeInput("tee", "S", "M") });
        string id = created["productSet"]!["product"]!["id"]!.GetValue<string>();
        string mediumId = created["productSet"]!["product"]!["variants"]!["nodes"]![1]!["id"]!.GetValue<string>();

        JsonObject updated = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject
        {
            ["identifier"] = new JsonObject { ["handle"] = "tee" },
            ["input"] = ProductSetTests.TeeInput("tee", "M", "L"),
        });

        JsonObject product = updated["productSet"]!["product"]!.AsObject();
        Assert.Equal(id, product["id"]!.GetValue<string>());
        JsonArray variants = product["variants"]!["nodes"]!.AsArray();
        Assert.Equal(["TEE-M", "TEE-L"], variants.Select(v => v!["sku"]!.GetValue<string>()));
        Assert.Equal(mediumId, variants[0]!["id"]!.GetValue<string>());
        JsonObject stored = Assert.Single(shop.View.GetProducts());
        Assert.Equal(["M", "L"], stored["options"]![0]!["values"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task ProductSet_CustomIdWithoutDefinition_UserError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject data = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["identifier"] = CustomId("p-1"), ["input"] = ProductSetTests.TeeInput("tee", "S") });

        JsonNode error = Assert.Single(data["productSet"]!["userErrors"]!.AsArray())!;
        Assert.Equal(["identifier", "customId"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty(shop.View.GetProducts());
    }

    [Fact]
    public async Task ProductSet_CustomId_CreatesThenUpdatesAndReplacesListsAndMetafields()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        await DefineSourceIdAsync(shop, "PRODUCT");
        JsonObject collection = await ShopifyHttp.DataAsync(shop, "mutation { a: collectionCreate(input: { title: \"A\" }) { collection { id } userErrors { message } } b: collectionCreate(input: { title: \"B\" }) { collection { id } userErrors { message } } }");
        string a = collection["a"]!["collection"]!["id"]!.GetValue<string>();
        string b = collection["b"]!["collection"]!["id"]!.GetValue<string>();
        JsonObject first = ProductSetTests.TeeInput("tee", "S", "M");
        first["collections"] = new JsonArray(a);
        first["metafields"] = new JsonArray(
            new JsonObject { ["namespace"] = "custom", ["key"] = "fabric", ["type"] = "single_line_text_field", ["value"] = "cotton" },
            new JsonObject { ["namespace"] = "nextcart", ["key"] = "source_id", ["type"] = "single_line_text_field", ["value"] = "p-1" });
        JsonObject created = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["identifier"] = CustomId("p-1"), ["input"] = first });

        JsonObject second = ProductSetTests.TeeInput("tee-renamed", "XL");
        second["collections"] = new JsonArray(b);
        second["metafields"] = new JsonArray(new JsonObject { ["namespace"] = "nextcart", ["key"] = "source_id", ["type"] = "single_line_text_field", ["value"] = "p-1" });
        JsonObject updated = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["identifier"] = CustomId("p-1"), ["input"] = second });

        Assert.Equal(created["productSet"]!["product"]!["id"]!.GetValue<string>(), updated["productSet"]!["product"]!["id"]!.GetValue<string>());
        JsonObject stored = Assert.Single(shop.View.GetProducts());
        Assert.Equal("tee-renamed", stored["handle"]!.GetValue<string>());
        Assert.Equal(["TEE-XL"], stored["variants"]!.AsArray().Select(v => v!["sku"]!.GetValue<string>()));
        Assert.Equal([b], stored["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["nextcart.source_id"], stored["metafields"]!.AsObject().Select(m => m.Key));

        JsonObject lookup = await ShopifyHttp.DataAsync(shop, """{ p: productByIdentifier(identifier: { customId: { namespace: "nextcart", key: "source_id", value: "p-1" } }) { id metafield(namespace: "nextcart", key: "source_id") { value } } h: productByIdentifier(identifier: { handle: "nope" }) { id } }""");
        Assert.Equal("p-1", lookup["p"]!["metafield"]!["value"]!.GetValue<string>());
        Assert.Null(lookup["h"]);
    }

    [Fact]
    public async Task MetafieldsSet_UniqueDefinition_SecondOwnerWithSameValueTaken()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 4, ProductCount = 2 });
        await DefineSourceIdAsync(shop, "PRODUCT");
        IReadOnlyList<JsonObject> products = shop.View.GetProducts();
        const string Set = "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key value } userErrors { field message code } } }";
        JsonObject Input(int i) => new() { ["ownerId"] = products[i]["id"]!.GetValue<string>(), ["namespace"] = "nextcart", ["key"] = "source_id", ["type"] = "single_line_text_field", ["value"] = "same" };

        JsonObject first = await ShopifyHttp.DataAsync(shop, Set, new JsonObject { ["m"] = new JsonArray(Input(0)) });
        JsonObject second = await ShopifyHttp.DataAsync(shop, Set, new JsonObject { ["m"] = new JsonArray(Input(1)) });

        Assert.Empty(first["metafieldsSet"]!["userErrors"]!.AsArray());
        Assert.Equal("TAKEN", second["metafieldsSet"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metafield_OnEveryOwner_ReadByNamespaceAndKey()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 4, ProductCount = 3 });
        List<string> owners =
        [
            shop.View.GetProducts()[0]["id"]!.GetValue<string>(),
            shop.View.GetCollections()[0]["id"]!.GetValue<string>(),
            shop.View.GetCustomers()[0]["id"]!.GetValue<string>(),
            shop.View.GetOrders()[0]["id"]!.GetValue<string>(),
            shop.View.GetPages()[0]["id"]!.GetValue<string>(),
            shop.View.GetArticles()[0]["id"]!.GetValue<string>(),
        ];
        JsonArray inputs = new([.. owners.Select(o => (JsonNode)new JsonObject { ["ownerId"] = o, ["namespace"] = "nextcart", ["key"] = "source_id", ["type"] = "single_line_text_field", ["value"] = "src-" + o })]);
        await ShopifyHttp.DataAsync(shop, "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }", new JsonObject { ["m"] = inputs });

        const string M = "metafield(namespace: \"nextcart\", key: \"source_id\") { value }";
        JsonObject data = await ShopifyHttp.DataAsync(shop, $$"""
            {
              products(first: 1) { nodes { id {{M}} } }
              collections(first: 1) { nodes { id {{M}} } }
              customers(first: 1) { nodes { id {{M}} } }
              orders(first: 1, sortKey: ID) { nodes { id {{M}} } }
              pages(first: 1) { nodes { id {{M}} } }
              articles(first: 1) { nodes { id {{M}} } }
            }
            """);

        foreach (string connection in new[] { "products", "collections", "customers", "orders", "pages", "articles" })
        {
            JsonNode node = data[connection]!["nodes"]![0]!;
            Assert.Equal("src-" + node["id"]!.GetValue<string>(), node["metafield"]!["value"]!.GetValue<string>());
        }
    }
}
