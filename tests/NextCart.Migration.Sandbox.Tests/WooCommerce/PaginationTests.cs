using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class PaginationTests
{
    private static Task<WooCommerceSandbox> StartWithProductsAsync(int products)
        => WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Data = new SampleStoreOptions { Products = products } });

    [Fact]
    public async Task ListProducts_Exactly100WithPerPage100_OnePageAndNoLinkHeader()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(100);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products?per_page=100");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(100, reply.Array.Count);
        Assert.Equal(100, reply.Total);
        Assert.Equal(1, reply.TotalPages);
        Assert.Null(reply.Header("Link"));
    }

    [Fact]
    public async Task ListProducts_101Products_SecondPageHoldsTheLastOneWithOnlyAPrevLink()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(101);
        using HttpClient client = sandbox.CreateClient();

        Reply first = await client.GetReplyAsync("wp-json/wc/v3/products?per_page=100");
        Reply second = await client.GetReplyAsync("wp-json/wc/v3/products?per_page=100&page=2");

        Assert.Equal(100, first.Array.Count);
        Assert.Equal(101, first.Total);
        Assert.Equal(2, first.TotalPages);
        Assert.Equal($"<{sandbox.BaseAddress}wp-json/wc/v3/products?per_page=100&page=2>; rel=\"next\"", first.Header("Link"));
        Assert.Single(second.Array);
        Assert.Equal($"<{sandbox.BaseAddress}wp-json/wc/v3/products?per_page=100&page=1>; rel=\"prev\"", second.Header("Link"));
        Assert.Empty(Http.Ids(first.Array).Intersect(Http.Ids(second.Array)));
    }

    [Fact]
    public async Task ListProducts_EmptyStore_EmptyArrayWithZeroTotals()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products");
        Reply pastEnd = await client.GetReplyAsync("wp-json/wc/v3/products?page=2");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Empty(reply.Array);
        Assert.Equal(0, reply.Total);
        Assert.Equal(0, reply.TotalPages);
        Assert.Null(reply.Header("Link"));
        Assert.Equal(HttpStatusCode.OK, pastEnd.Status);
        Assert.Empty(pastEnd.Array);
    }

    [Fact]
    public async Task ListProducts_PagePastTheEnd_EmptyArrayWithCorrectTotalsAndAPrevLinkToTheLastPage()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(25);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products?page=7");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("[]", reply.Text);
        Assert.Equal(25, reply.Total);
        Assert.Equal(3, reply.TotalPages);
        Assert.Equal($"<{sandbox.BaseAddress}wp-json/wc/v3/products?page=3>; rel=\"prev\"", reply.Header("Link"));
    }

    [Fact]
    public async Task ListProducts_PerPage101_Returns400RestInvalidParamAsDocumented()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(5);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products?per_page=101");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        JsonObject body = reply.Object;
        Assert.Equal("rest_invalid_param", (string)body["code"]!);
        Assert.Equal("Invalid parameter(s): per_page", (string)body["message"]!);
        Assert.Equal(400, (int)body["data"]!["status"]!);
        Assert.Equal("per_page must be between 1 (inclusive) and 100 (inclusive)", (string)body["data"]!["params"]!["per_page"]!);
        Assert.Equal("rest_out_of_bounds", (string)body["data"]!["details"]!["per_page"]!["code"]!);
    }

    [Fact]
    public async Task ListProducts_SeveralInvalidParams_ReportsThemAllTogether()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(5);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products?page=0&order=up&orderby=color");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("Invalid parameter(s): page, order, orderby", (string)reply.Object["message"]!);
        Assert.Equal("page must be greater than or equal to 1", (string)reply.Object["data"]!["params"]!["page"]!);
        Assert.Equal("order is not one of asc and desc.", (string)reply.Object["data"]!["params"]!["order"]!);
    }

    [Fact]
    public async Task ListProducts_NoPerPage_ReturnsTheDefaultTen()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(25);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products");

        Assert.Equal(10, reply.Array.Count);
        Assert.Equal(3, reply.TotalPages);
    }

    [Fact]
    public async Task ListProducts_MiddlePage_LinkHasPrevAndNextBuiltFromTheRequestUrlWithPageReplaced()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(50);
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products?per_page=10&page=3&orderby=id&order=asc");

        string api = $"{sandbox.BaseAddress}wp-json/wc/v3/products";
        Assert.Equal(
            $"<{api}?per_page=10&page=2&orderby=id&order=asc>; rel=\"prev\", <{api}?per_page=10&page=4&orderby=id&order=asc>; rel=\"next\"",
            reply.Header("Link"));
        Assert.DoesNotContain("rel=\"first\"", reply.Header("Link"), StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"last\"", reply.Header("Link"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListProducts_OrderByIdAscendingAcrossPages_ReturnsEveryProductOnceInOrder()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(57);
        using HttpClient client = sandbox.CreateClient();

        List<JsonObject> all = await Http.GetAllAsync(client, "wp-json/wc/v3/products?orderby=id&order=asc");
        List<long> ids = [.. all.Select(p => Http.Id(p))];

        Assert.Equal(57, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(sandbox.Store.GetProducts().Select(p => Http.Id(p)), ids);
    }

    [Fact]
    public async Task ListProducts_SameCreationTime_DateOrderIsBrokenByIdInTheSameDirection()
    {
        FakeTimeProvider clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true, TimeProvider = clock });
        using HttpClient client = sandbox.CreateClient();
        List<long> created = [];
        for (int i = 0; i < 4; i++)
        {
            created.Add(Http.Id((await client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = $"Tie {i}" })).Body));
        }

        Reply descending = await client.GetReplyAsync("wp-json/wc/v3/products");
        Reply ascending = await client.GetReplyAsync("wp-json/wc/v3/products?order=asc&orderby=date");

        Assert.Equal(created.AsEnumerable().Reverse(), Http.Ids(descending.Array));
        Assert.Equal(created, Http.Ids(ascending.Array));
    }

    [Fact]
    public async Task ListProducts_Offset_SkipsThatManyAndIgnoresPage()
    {
        await using WooCommerceSandbox sandbox = await StartWithProductsAsync(30);
        using HttpClient client = sandbox.CreateClient();

        Reply all = await client.GetReplyAsync("wp-json/wc/v3/products?orderby=id&order=asc&per_page=30");
        Reply offset = await client.GetReplyAsync("wp-json/wc/v3/products?orderby=id&order=asc&per_page=5&offset=7&page=4");

        Assert.Equal(Http.Ids(all.Array).Skip(7).Take(5), Http.Ids(offset.Array));
        Assert.Equal(30, offset.Total);
    }

    [Fact]
    public async Task ListCustomers_Default_AscendingByNameAndOnlyCustomers()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        using HttpClient client = sandbox.CreateClient();

        List<JsonObject> customers = await Http.GetAllAsync(client, "wp-json/wc/v3/customers");

        List<string> names = [.. customers.Select(c => (string)c["username"]!)];
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        Assert.All(customers, c => Assert.Equal("customer", (string)c["role"]!));
        Assert.Equal(sandbox.SeededFrom!.Count(Model.EntityType.Customers), customers.Count);
    }

    [Fact]
    public async Task ListAttributes_NoPagingHeaders_ReturnsEveryAttribute()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products/attributes");

        Assert.Equal(sandbox.Store.GetAttributes().Count, reply.Array.Count);
        Assert.Null(reply.Header("X-WP-Total"));
    }
}
