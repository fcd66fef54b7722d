using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task BatchCreates_FromParallelClients_EveryProductStoredOnceWithDistinctIds()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            using HttpClient client = sandbox.CreateClient();
            for (int batch = 0; batch < 5; batch++)
            {
                JsonArray create = [.. Enumerable.Range(0, 20).Select(i => (JsonNode?)new JsonObject { ["name"] = $"P {worker}-{batch}-{i}", ["sku"] = $"C-{worker}-{batch}-{i}" })];
                Reply reply = await client.PostReplyAsync("wp-json/wc/v3/products/batch", new JsonObject { ["create"] = create });
                Assert.Equal(HttpStatusCode.OK, reply.Status);
            }
        }));

        IReadOnlyList<JsonObject> products = sandbox.Store.GetProducts();
        Assert.Equal(800, products.Count);
        Assert.Equal(800, products.Select(p => Http.Id(p)).Distinct().Count());
        Assert.Equal(800, products.Select(p => (string)p["sku"]!).Distinct().Count());
        Assert.Equal(800, products.Select(p => (string)p["slug"]!).Distinct().Count());
    }

    [Fact]
    public async Task SameSku_FromParallelSingleCreates_OnlyOneWins()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using HttpClient client = sandbox.CreateClient();

        Reply[] replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = "Race", ["sku"] = "RACE-1" })));

        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal("product_invalid_sku", r.ErrorCode));
    }

    [Fact]
    public async Task MethodOverride_PostWithMethodQuery_IsHandledAsPut()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using HttpClient client = sandbox.CreateClient();
        long id = Http.Id((await client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = "Before" })).Body);

        Reply reply = await client.PostReplyAsync($"wp-json/wc/v3/products/{id}?_method=PUT", new JsonObject { ["name"] = "After" });
        using HttpRequestMessage head = new(HttpMethod.Head, $"wp-json/wc/v3/products/{id}");
        using HttpResponseMessage headReply = await client.SendAsync(head);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("After", (string)sandbox.Store.GetProduct(id)!["name"]!);
        Assert.Equal(HttpStatusCode.OK, headReply.StatusCode);
        Assert.Empty(await headReply.Content.ReadAsByteArrayAsync());
    }
}
