using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class UserErrorTests
{
    private static async Task<JsonObject> MutateAsync(ShopifySandbox shop, string mutation, JsonObject variables, string field)
    {
        JsonObject data = await ShopifyHttp.DataAsync(shop, mutation, variables);
        return data[field]!.AsObject();
    }

    private static JsonObject Single(JsonObject payload) => Assert.Single(payload["userErrors"]!.AsArray())!.AsObject();

    private static string[] Field(JsonObject error) => [.. error["field"]!.AsArray().Select(f => f!.GetValue<string>())];

    [Fact]
    public async Task ProductSet_HandleOwnedByAnotherProduct_HandleNotUnique()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        await MutateAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = ProductSetTests.TeeInput("tee", "S") }, "productSet");

        JsonObject payload = await MutateAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = ProductSetTests.TeeInput("tee", "M") }, "productSet");

        JsonObject error = Single(payload);
        Assert.Equal("HANDLE_NOT_UNIQUE", error["code"]!.GetValue<string>());
        Assert.Equal(["input", "handle"], Field(error));
        Assert.Null(payload["product"]);
        Assert.Single(shop.View.GetProducts());
    }

    [Fact]
    public async Task ProductSet_CreateWithoutTitle_TitleError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject payload = await MutateAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = new JsonObject { ["handle"] = "no-title" } }, "productSet");

        Assert.Equal(["input", "title"], Field(Single(payload)));
        Assert.Empty(shop.View.GetProducts());
    }

    [Fact]
    public async Task ProductSet_VariantWithoutOptionValue_OptionValuesMissing()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        JsonObject input = ProductSetTests.TeeInput("tee", "S");
        input["productOptions"]!.AsArray().Add(new JsonObject { ["name"] = "Color", ["values"] = new JsonArray(new JsonObject { ["name"] = "Red" }) });

        JsonObject payload = await MutateAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = input }, "productSet");

        Assert.Equal("OPTION_VALUES_MISSING", Single(payload)["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProductSet_TwoVariantsSameOptions_DuplicatedOptionValue()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        JsonObject input = ProductSetTests.TeeInput("tee", "S");
        input["variants"]!.AsArray().Add(input["variants"]![0]!.DeepClone());

        JsonObject payload = await MutateAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = input }, "productSet");

        Assert.Equal("DUPLICATED_OPTION_VALUE", Single(payload)["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task CollectionCreate_DuplicateHandle_UserError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        const string Create = "mutation($input: CollectionInput!) { collectionCreate(input: $input) { collection { id handle } userErrors { field message } } }";
        await MutateAsync(shop, Create, new JsonObject { ["input"] = new JsonObject { ["title"] = "Shirts", ["handle"] = "shirts" } }, "collectionCreate");

        JsonObject payload = await MutateAsync(shop, Create, new JsonObject { ["input"] = new JsonObject { ["title"] = "Shirts 2", ["handle"] = "shirts" } }, "collectionCreate");

        Assert.Equal(["handle"], Field(Single(payload)));
        Assert.Single(shop.View.GetCollections());
    }

    [Fact]
    public async Task PageCreate_DuplicateHandleAndMissingTitle_UserErrors()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        const string Create = "mutation($page: PageCreateInput!) { pageCreate(page: $page) { page { id } userErrors { field message code } } }";
        await MutateAsync(shop, Create, new JsonObject { ["page"] = new JsonObject { ["title"] = "About", ["handle"] = "about" } }, "pageCreate");

        JsonObject duplicate = await MutateAsync(shop, Create, new JsonObject { ["page"] = new JsonObject { ["title"] = "About us", ["handle"] = "about" } }, "pageCreate");
        JsonObject untitled = await MutateAsync(shop, Create, new JsonObject { ["page"] = new JsonObject { ["title"] = "", ["handle"] = "x" } }, "pageCreate");

        Assert.Equal("TAKEN", Single(duplicate)["code"]!.GetValue<string>());
        Assert.Equal(["page", "handle"], Field(Single(duplicate)));
        Assert.Equal(["page", "title"], Field(Single(untitled)));
        Assert.Single(shop.View.GetPages());
    }

    [Fact]
    public async Task DiscountCodeBasicCreate_DuplicateCode_Taken()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        const string Create = """
            mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { codeDiscountNode { id } userErrors { field message code } } }
            """;
        JsonObject Discount() => new()
        {
            ["title"] = "Ten off",
            ["code"] = "TEN",
            ["startsAt"] = "2025-01-01T00:00:00Z",
            ["context"] = new JsonObject { ["all"] = "ALL" },
            ["customerGets"] = new JsonObject { ["value"] = new JsonObject { ["percentage"] = 0.1 }, ["items"] = new JsonObject { ["all"] = true } },
        };
        JsonObject first = await MutateAsync(shop, Create, new JsonObject { ["d"] = Discount() }, "discountCodeBasicCreate");

        JsonObject second = await MutateAsync(shop, Create, new JsonObject { ["d"] = Discount() }, "discountCodeBasicCreate");

        Assert.Empty(first["userErrors"]!.AsArray());
        JsonObject error = Single(second);
        Assert.Equal("TAKEN", error["code"]!.GetValue<string>());
        Assert.Equal(["basicCodeDiscount", "code"], Field(error));
        Assert.Equal(0.1, Assert.Single(shop.View.GetDiscounts())["percentage"]!.GetValue<double>());
    }

    [Fact]
    public async Task UrlRedirectCreate_DuplicatePath_UserError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        const string Create = "mutation($r: UrlRedirectInput!) { urlRedirectCreate(urlRedirect: $r) { urlRedirect { id path target } userErrors { field message code } } }";
        await MutateAsync(shop, Create, new JsonObject { ["r"] = new JsonObject { ["path"] = "/old", ["target"] = "/new" } }, "urlRedirectCreate");

        JsonObject payload = await MutateAsync(shop, Create, new JsonObject { ["r"] = new JsonObject { ["path"] = "/old", ["target"] = "/other" } }, "urlRedirectCreate");

        JsonObject error = Single(payload);
        Assert.Equal(["urlRedirect", "path"], Field(error));
        Assert.Equal("CREATE_FAILED", error["code"]!.GetValue<string>());
        Assert.Equal("/new", Assert.Single(shop.View.GetRedirects())["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomerSet_EmailOfAnotherCustomer_Taken()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        const string Set = "mutation($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) { customerSet(identifier: $identifier, input: $input) { customer { id } userErrors { field message code } } }";
        await MutateAsync(shop, Set, new JsonObject { ["input"] = new JsonObject { ["email"] = "ann@example.test", ["firstName"] = "Ann" } }, "customerSet");
        JsonObject bob = await MutateAsync(shop, Set, new JsonObject { ["input"] = new JsonObject { ["email"] = "bob@example.test", ["firstName"] = "Bob" } }, "customerSet");

        JsonObject payload = await MutateAsync(shop, Set, new JsonObject
        {
            ["identifier"] = new JsonObject { ["id"] = bob["customer"]!["id"]!.GetValue<string>() },
            ["input"] = new JsonObject { ["email"] = "ANN@example.test" },
        }, "customerSet");

        JsonObject error = Single(payload);
        Assert.Equal("TAKEN", error["code"]!.GetValue<string>());
        Assert.Equal(["input", "email"], Field(error));
        Assert.Equal("bob@example.test", shop.View.GetCustomers()[1]["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderCreate_UnknownVariant_UserErrorAndNoOrder()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject payload = await MutateAsync(shop, OrderTests.OrderCreate, new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["lineItems"] = new JsonArray(new JsonObject { ["variantId"] = "gid://shopify/ProductVariant/999999", ["quantity"] = 1 }),
            },
        }, "orderCreate");

        JsonObject error = Single(payload);
        Assert.Equal(["order", "lineItems", "0", "variantId"], Field(error));
        Assert.Equal("INVALID", error["code"]!.GetValue<string>());
        Assert.Empty(shop.View.GetOrders());
    }

    [Fact]
    public async Task OrderCreate_NoLineItemsAndZeroQuantity_UserErrors()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject none = await MutateAsync(shop, OrderTests.OrderCreate, new JsonObject { ["order"] = new JsonObject { ["email"] = "a@example.test" } }, "orderCreate");
        JsonObject zero = await MutateAsync(shop, OrderTests.OrderCreate, new JsonObject { ["order"] = new JsonObject { ["lineItems"] = new JsonArray(new JsonObject { ["title"] = "Gift", ["quantity"] = 0 }) } }, "orderCreate");

        Assert.Equal(["order", "lineItems"], Field(Single(none)));
        Assert.Equal(["order", "lineItems", "0", "quantity"], Field(Single(zero)));
    }

    [Fact]
    public async Task MetafieldDefinitionCreate_Duplicate_Taken()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject first = await UpsertTests.DefineSourceIdAsync(shop, "PRODUCT");
        JsonObject second = await UpsertTests.DefineSourceIdAsync(shop, "PRODUCT");

        Assert.Empty(first["userErrors"]!.AsArray());
        Assert.Equal("TAKEN", Single(second)["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task MetafieldsSet_Over25_UserErrorAndNothingSaved()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 2, ProductCount = 1 });
        string owner = shop.View.GetProducts()[0]["id"]!.GetValue<string>();
        JsonArray metafields = new([.. Enumerable.Range(0, 26).Select(i => (JsonNode)new JsonObject { ["ownerId"] = owner, ["namespace"] = "custom", ["key"] = "k" + i, ["type"] = "single_line_text_field", ["value"] = "v" })]);

        JsonObject payload = await MutateAsync(shop, "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field message code } } }", new JsonObject { ["m"] = metafields }, "metafieldsSet");

        Assert.Equal("LESS_THAN_OR_EQUAL_TO", Single(payload)["code"]!.GetValue<string>());
        Assert.Empty(shop.View.GetProducts()[0]["metafields"]!.AsObject());
    }
}

public sealed class LookupTests
{
    [Theory]
    [InlineData("path:'/product/blue-shirt/'")]
    [InlineData("path:/product/blue-shirt/")]
    public async Task UrlRedirects_PathQuery_FindsTheRedirect(string query)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        await ShopifyHttp.DataAsync(shop, "mutation { urlRedirectCreate(urlRedirect: { path: \"/product/blue-shirt/\", target: \"/products/blue-shirt\" }) { userErrors { message } } }");

        JsonObject data = await ShopifyHttp.DataAsync(shop, "query($q: String) { urlRedirects(first: 1, query: $q) { nodes { id path } } }", new JsonObject { ["q"] = query });

        Assert.Equal("/product/blue-shirt/", Assert.Single(data["urlRedirects"]!["nodes"]!.AsArray())!["path"]!.GetValue<string>());
    }
}
