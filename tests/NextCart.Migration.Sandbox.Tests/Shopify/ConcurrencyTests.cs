using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ProductSet_ConcurrentUpsertsOfOneHandle_OneProduct()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000 });

        JsonObject[] results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject
        {
            ["identifier"] = new JsonObject { ["handle"] = "shared" },
            ["input"] = ProductSetTests.TeeInput("shared", "S", "M"),
        })));

        Assert.All(results, r => Assert.Empty(r["productSet"]!["userErrors"]!.AsArray()));
        Assert.Single(results.Select(r => r["productSet"]!["product"]!["id"]!.GetValue<string>()).Distinct());
        Assert.Single(shop.View.GetProducts());
    }

    [Fact]
    public async Task Requests_ConcurrentReadsAndWrites_CountersAddUp()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 2, ProductCount = 20, BucketSize = 100_000 });

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? ShopifyHttp.DataAsync(shop, "{ products(first: 20) { nodes { id variants(first: 3) { nodes { id } } } } }")
            : ShopifyHttp.DataAsync(shop, "mutation($r: UrlRedirectInput!) { urlRedirectCreate(urlRedirect: $r) { userErrors { message } } }", new JsonObject { ["r"] = new JsonObject { ["path"] = "/c-" + i, ["target"] = "/x" } })));

        Assert.Equal(40, shop.View.GraphQLRequests);
        Assert.Equal(40, shop.Requests.TotalRequests);
        Assert.Equal(shop.SeededFrom!.Get<NextCart.Migration.Model.Redirect>().Count(r => shop.View.FindSeeded(NextCart.Migration.Model.EntityType.Redirects, r.SourceId) is not null) + 20, shop.View.GetRedirects().Count);
        Assert.Equal(shop.View.GetCostSamples().Sum(s => s.ActualCost ?? 0), shop.View.CostPointsConsumed);
    }
}
