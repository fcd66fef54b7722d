using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class SliceTests
{
    [Fact]
    public async Task Shop_ValidToken_ReturnsNameDomainCurrencyAndCost()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 7, ProductCount = 5 });

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ shop { name myshopifyDomain currencyCode } }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(shop.ShopDomain, body["data"]!["shop"]!["myshopifyDomain"]!.GetValue<string>());
        Assert.Equal(1, body["extensions"]!["cost"]!["requestedQueryCost"]!.GetValue<int>());
    }

    [Fact]
    public async Task Products_ContractQuery_ReturnsSeededProducts()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 7, ProductCount = 12 });
        const string Query = """
            query Products($first: Int!, $after: String) {
              products(first: $first, after: $after, sortKey: ID) {
                nodes {
                  id legacyResourceId title handle descriptionHtml vendor productType status tags createdAt updatedAt
                  seo { title description }
                  options { id name position optionValues { id name } }
                  variants(first: 10) { nodes { id title sku barcode price compareAtPrice position inventoryQuantity inventoryPolicy taxable selectedOptions { name value } } pageInfo { hasNextPage endCursor } }
                  media(first: 10) { nodes { ... on MediaImage { id alt image { url altText } } } }
                  collections(first: 10) { nodes { id } }
                  metafield(namespace: "nextcart", key: "source_id") { value }
                }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
              }
            }
            """;

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, Query, new { first = 5 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["errors"] is null, body.ToJsonString());
        JsonArray nodes = body["data"]!["products"]!["nodes"]!.AsArray();
        Assert.Equal(5, nodes.Count);
        Assert.StartsWith("gid://shopify/Product/", nodes[0]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(body["data"]!["products"]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }
}
