using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class PaginationAndSearchTests
{
    private const string Page = "query($first: Int!, $after: String, $query: String) { products(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id handle } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

    private static async Task<JsonObject> PageAsync(ShopifySandbox shop, int first, string? after = null, string? query = null)
    {
        JsonObject data = await ShopifyHttp.DataAsync(shop, Page, new JsonObject { ["first"] = first, ["after"] = after, ["query"] = query });
        return data["products"]!.AsObject();
    }

    [Fact]
    public async Task Products_Exactly250_OnePageWithoutNext()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 250 });

        JsonObject page = await PageAsync(shop, 250);

        Assert.Equal(250, page["nodes"]!.AsArray().Count);
        Assert.False(page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.False(page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Products_251_SecondPageHasTheLastOne()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 251 });

        JsonObject first = await PageAsync(shop, 250);
        JsonObject second = await PageAsync(shop, 250, first["pageInfo"]!["endCursor"]!.GetValue<string>());

        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        JsonNode last = Assert.Single(second["nodes"]!.AsArray())!;
        Assert.False(second["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(second["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        List<string> all = [.. first["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()), last["id"]!.GetValue<string>()];
        Assert.Equal(251, all.Distinct().Count());
        Assert.Equal(all.OrderBy(id => long.Parse(id[(id.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture)), all);
    }

    [Fact]
    public async Task Products_EmptyShop_NoNodesAndNullCursors()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        JsonObject page = await PageAsync(shop, 50);

        Assert.Empty(page["nodes"]!.AsArray());
        Assert.Null(page["pageInfo"]!["endCursor"]);
        Assert.False(page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Products_AfterLastCursor_EmptyPage()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 4 });

        JsonObject all = await PageAsync(shop, 10);
        JsonObject after = await PageAsync(shop, 10, all["pageInfo"]!["endCursor"]!.GetValue<string>());

        Assert.Empty(after["nodes"]!.AsArray());
        Assert.False(after["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(after["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Cursor_FromAnotherConnection_IsAnError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 4 });
        string cursor = (await PageAsync(shop, 1))["pageInfo"]!["endCursor"]!.GetValue<string>();

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, "query($c: String) { customers(first: 5, after: $c) { nodes { id } } }", new JsonObject { ["c"] = cursor });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Invalid cursor", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(body["data"]!["customers"]);
    }

    [Fact]
    public async Task Cursor_NotBase64_IsAnError()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 4 });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ products(first: 5, after: \"not-a-cursor\") { nodes { id } } }");

        Assert.StartsWith("Invalid cursor", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cursor_IsOpaqueBase64OfLastId()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 2 });

        JsonObject page = await PageAsync(shop, 1);

        string id = page["nodes"]![0]!["id"]!.GetValue<string>();
        JsonNode cursor = JsonNode.Parse(Convert.FromBase64String(page["pageInfo"]!["endCursor"]!.GetValue<string>()))!;
        Assert.Equal(id[(id.LastIndexOf('/') + 1)..], cursor["last_id"]!.ToJsonString());
    }

    [Fact]
    public async Task Products_FirstOver250_Error()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ products(first: 251) { nodes { id } } }");

        Assert.Null(body["data"]);
        Assert.Contains("250", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Products_NoFirstOrLast_Error()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ products { nodes { id } } }");

        Assert.Equal("you must provide one of first or last", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_UpdatedAtAfter_OnlyLaterProducts()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time });
        await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = new JsonObject { ["title"] = "Old", ["handle"] = "old" } });
        time.Advance(TimeSpan.FromHours(2));
        await ShopifyHttp.DataAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = new JsonObject { ["title"] = "New", ["handle"] = "new" } });

        JsonObject page = await PageAsync(shop, 10, query: "updated_at:>'2025-03-01T13:00:00Z'");
        JsonObject before = await PageAsync(shop, 10, query: "updated_at:<='2025-03-01T13:00:00Z'");

        Assert.Equal("new", Assert.Single(page["nodes"]!.AsArray())!["handle"]!.GetValue<string>());
        Assert.Equal("old", Assert.Single(before["nodes"]!.AsArray())!["handle"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_Handle_ExactAndListAndUnknownFilterIgnored()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 6 });
        List<string> handles = [.. shop.View.GetProducts().Select(p => p["handle"]!.GetValue<string>())];

        JsonObject one = await PageAsync(shop, 10, query: "handle:" + handles[2]);
        JsonObject two = await PageAsync(shop, 10, query: $"handle:{handles[0]},{handles[4]}");
        JsonObject ignored = await PageAsync(shop, 10, query: $"handle:'{handles[1]}' flavour:sweet");

        Assert.Equal(handles[2], Assert.Single(one["nodes"]!.AsArray())!["handle"]!.GetValue<string>());
        Assert.Equal([handles[0], handles[4]], two["nodes"]!.AsArray().Select(n => n!["handle"]!.GetValue<string>()));
        Assert.Equal(handles[1], Assert.Single(ignored["nodes"]!.AsArray())!["handle"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_IdGreaterThan_SweepsFromId()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 5 });
        List<string> ids = [.. shop.View.GetProducts().Select(p => p["id"]!.GetValue<string>())];
        string third = ids[2][(ids[2].LastIndexOf('/') + 1)..];

        JsonObject page = await PageAsync(shop, 10, query: "id:>" + third);

        Assert.Equal(ids.Skip(3), page["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
    }
}

public sealed class CountTests
{
    [Fact]
    public async Task Counts_WithQueryAndLimit_ExactOrAtLeast()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 5, ProductCount = 12 });
        string handle = shop.View.GetProducts()[3]["handle"]!.GetValue<string>();

        JsonObject data = await ShopifyHttp.DataAsync(shop, $$"""{ all: productsCount { count precision } one: productsCount(query: "handle:{{handle}}") { count } capped: productsCount(limit: 5) { count precision } uncapped: productsCount(limit: null) { count precision } orders: ordersCount { count } }""");

        Assert.Equal(12, data["all"]!["count"]!.GetValue<int>());
        Assert.Equal("EXACT", data["all"]!["precision"]!.GetValue<string>());
        Assert.Equal(1, data["one"]!["count"]!.GetValue<int>());
        Assert.Equal(5, data["capped"]!["count"]!.GetValue<int>());
        Assert.Equal("AT_LEAST", data["capped"]!["precision"]!.GetValue<string>());
        Assert.Equal(12, data["uncapped"]!["count"]!.GetValue<int>());
        Assert.Equal(shop.View.GetOrders().Count, data["orders"]!["count"]!.GetValue<int>());
    }
}
