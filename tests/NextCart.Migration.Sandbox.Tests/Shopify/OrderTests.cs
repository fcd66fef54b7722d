using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class OrderTests
{
    internal const string OrderCreate = """
        mutation($order: OrderCreateOrderInput!) {
          orderCreate(order: $order, options: { sendReceipt: false, sendFulfillmentReceipt: false, inventoryBehaviour: BYPASS }) {
            order { id name customer { id } lineItems(first: 10) { nodes { id quantity variant { id } product { id } } } }
            userErrors { field message code }
          }
        }
        """;

    [Fact]
    public async Task OrderCreate_VariantAndCustomer_LinkedAndFindableByNameAndSourceIdentifier()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        JsonObject product = await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = ProductSetTests.TeeInput("tee", "S", "M") });
        string variantId = product["productSet"]!["product"]!["variants"]!["nodes"]![1]!["id"]!.GetValue<string>();
        JsonObject customer = await ShopifyHttp.DataAsync(shop, "mutation { customerSet(identifier: { email: \"ann@example.test\" }, input: { email: \"ann@example.test\", firstName: \"Ann\", addresses: [{ address1: \"1 Main St\", city: \"Springfield\", countryCode: US, zip: \"12345\" }] }) { customer { id } userErrors { message } } }");
        string customerId = customer["customerSet"]!["customer"]!["id"]!.GetValue<string>();

        JsonObject data = await ShopifyHttp.DataAsync(shop, OrderCreate, new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["name"] = "#1042",
                ["email"] = "ann@example.test",
                ["currency"] = "EUR",
                ["processedAt"] = "2024-05-06T07:08:09Z",
                ["financialStatus"] = "PAID",
                ["sourceName"] = "nextcart",
                ["sourceIdentifier"] = "woo-77",
                ["customer"] = new JsonObject { ["toAssociate"] = new JsonObject { ["id"] = customerId } },
                ["lineItems"] = new JsonArray(
                    new JsonObject { ["variantId"] = variantId, ["quantity"] = 2, ["priceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "15.00", ["currencyCode"] = "EUR" } } },
                    new JsonObject { ["title"] = "Gift wrap", ["quantity"] = 1, ["priceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = "2.50", ["currencyCode"] = "EUR" } } }),
            },
        });

        JsonObject order = data["orderCreate"]!["order"]!.AsObject();
        Assert.Empty(data["orderCreate"]!["userErrors"]!.AsArray());
        Assert.Equal(customerId, order["customer"]!["id"]!.GetValue<string>());
        Assert.Equal(variantId, order["lineItems"]!["nodes"]![0]!["variant"]!["id"]!.GetValue<string>());
        Assert.Null(order["lineItems"]!["nodes"]![1]!["variant"]);
        JsonObject stored = Assert.Single(shop.View.GetOrders());
        Assert.Equal(customerId, stored["customer"]!.GetValue<string>());
        Assert.Equal("32.5", stored["total"]!.GetValue<string>());
        Assert.Equal("2024-05-06T07:08:09Z", stored["processedAt"]!.GetValue<string>());

        JsonObject found = await ShopifyHttp.DataAsync(shop, """{ byName: orders(first: 1, query: "name:'#1042'") { nodes { id totalPriceSet { shopMoney { amount currencyCode } } } } bySource: orders(first: 5, query: "source_identifier:woo-77") { nodes { id } } none: orders(first: 5, query: "source_identifier:woo-78") { nodes { id } } }""");
        Assert.Equal(order["id"]!.GetValue<string>(), found["byName"]!["nodes"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("32.5", found["byName"]!["nodes"]![0]!["totalPriceSet"]!["shopMoney"]!["amount"]!.GetValue<string>());
        Assert.Single(found["bySource"]!["nodes"]!.AsArray());
        Assert.Empty(found["none"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task OrderCreate_UnknownCustomer_UserError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject data = await ShopifyHttp.DataAsync(shop, OrderCreate, new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["customer"] = new JsonObject { ["toAssociate"] = new JsonObject { ["id"] = "gid://shopify/Customer/1" } },
                ["lineItems"] = new JsonArray(new JsonObject { ["title"] = "Gift", ["quantity"] = 1 }),
            },
        });

        Assert.Equal(["order", "customer", "toAssociate"], data["orderCreate"]!["userErrors"]![0]!["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty(shop.View.GetOrders());
    }
}
