using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class FilterTests : IAsyncLifetime
{
    private WooCommerceSandbox _sandbox = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        _client = _sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task ListProducts_Include_ReturnsOnlyThoseAndOrderByIncludeKeepsTheirOrder()
    {
        List<long> ids = [.. _sandbox.Store.GetProducts().Select(p => Http.Id(p)).Take(6)];
        long[] wanted = [ids[4], ids[1], ids[3]];

        Reply reply = await _client.GetReplyAsync($"wp-json/wc/v3/products?include={string.Join(",", wanted)}&orderby=include");

        Assert.Equal(wanted, Http.Ids(reply.Array));
        Assert.Equal(3, reply.Total);
    }

    [Fact]
    public async Task ListProducts_SkuFilter_MatchesCaseInsensitivelyAndAcceptsAList()
    {
        Reply one = await _client.GetReplyAsync("wp-json/wc/v3/products?sku=nc-000007");
        Reply two = await _client.GetReplyAsync("wp-json/wc/v3/products?sku=NC-000007,NC-000009");

        Assert.Equal("NC-000007", (string)Assert.Single(one.Array)!["sku"]!);
        Assert.Equal(["NC-000007", "NC-000009"], two.Array.Select(p => (string)p!["sku"]!).Order());
    }

    [Fact]
    public async Task ListCustomers_EmailFilter_MatchesCaseInsensitively()
    {
        JsonObject customer = _sandbox.Store.GetCustomers()[3];
        string email = ((string)customer["email"]!).ToUpperInvariant();

        Reply reply = await _client.GetReplyAsync($"wp-json/wc/v3/customers?email={Uri.EscapeDataString(email)}");

        Assert.Contains(Http.Id(customer), Http.Ids(reply.Array));
        Assert.All(reply.Array, c => Assert.Equal(email, ((string)c!["email"]!).ToUpperInvariant()));
    }

    [Fact]
    public async Task ListCategories_SlugFilter_ReturnsThatCategory()
    {
        JsonObject category = _sandbox.Store.GetCategories()[5];

        Reply reply = await _client.GetReplyAsync($"wp-json/wc/v3/products/categories?slug={category["slug"]}");

        Assert.Equal(Http.Id(category), Http.Id(Assert.Single(reply.Array)));
    }

    [Fact]
    public async Task ListCoupons_CodeFilter_FindsTheLowerCasedCodeWhateverTheCase()
    {
        Reply reply = await _client.GetReplyAsync("wp-json/wc/v3/coupons?code=WELCOME1");

        Assert.Equal("welcome1", (string)Assert.Single(reply.Array)!["code"]!);
    }

    [Fact]
    public async Task ListOrders_StatusList_ReturnsOnlyThoseStatuses()
    {
        List<JsonObject> orders = await Http.GetAllAsync(_client, "wp-json/wc/v3/orders?status=completed,refunded");

        Assert.NotEmpty(orders);
        Assert.All(orders, o => Assert.Contains((string)o["status"]!, new[] { "completed", "refunded" }));
        Assert.Equal(_sandbox.Store.GetOrders().Count(o => (string)o["status"]! is "completed" or "refunded"), orders.Count);
    }

    [Fact]
    public async Task ListProducts_StatusDraft_ReturnsOnlyDrafts()
    {
        List<JsonObject> drafts = await Http.GetAllAsync(_client, "wp-json/wc/v3/products?status=draft");

        Assert.All(drafts, p => Assert.Equal("draft", (string)p["status"]!));
        Assert.Equal(_sandbox.Store.GetProducts().Count(p => (string)p["status"]! == "draft"), drafts.Count);
    }

    [Fact]
    public async Task ListProducts_ModifiedAfterWithDatesAreGmt_StrictlyAfterTheUtcInstant()
    {
        List<JsonObject> products = [.. _sandbox.Store.GetProducts()];
        JsonObject pivot = products.OrderBy(p => (string)p["date_modified_gmt"]!, StringComparer.Ordinal).ElementAt(products.Count / 2);
        string gmt = (string)pivot["date_modified_gmt"]!;

        List<JsonObject> after = await Http.GetAllAsync(_client, $"wp-json/wc/v3/products?modified_after={gmt}&dates_are_gmt=true");

        List<long> expected = [.. products.Where(p => string.CompareOrdinal((string)p["date_modified_gmt"]!, gmt) > 0).Select(p => Http.Id(p)).Order()];
        Assert.Equal(expected, after.Select(p => Http.Id(p)).Order());
        Assert.DoesNotContain(Http.Id(pivot), after.Select(p => Http.Id(p)));
    }

    [Fact]
    public async Task ListProducts_ModifiedAfterWithoutDatesAreGmt_ReadsTheValueAsSiteTime()
    {
        List<JsonObject> products = [.. _sandbox.Store.GetProducts()];
        JsonObject pivot = products.OrderBy(p => (string)p["date_modified_gmt"]!, StringComparer.Ordinal).ElementAt(products.Count / 2);

        List<JsonObject> local = await Http.GetAllAsync(_client, $"wp-json/wc/v3/products?modified_after={pivot["date_modified"]}");
        List<JsonObject> gmt = await Http.GetAllAsync(_client, $"wp-json/wc/v3/products?modified_after={pivot["date_modified_gmt"]}&dates_are_gmt=true");
        List<JsonObject> localTreatedAsGmt = await Http.GetAllAsync(_client, $"wp-json/wc/v3/products?modified_after={pivot["date_modified"]}&dates_are_gmt=true");

        Assert.Equal(gmt.Select(p => Http.Id(p)).Order(), local.Select(p => Http.Id(p)).Order());
        Assert.NotEqual(gmt.Count, localTreatedAsGmt.Count);
        DateTime localTime = DateTime.Parse((string)pivot["date_modified"]!, CultureInfo.InvariantCulture);
        DateTime gmtTime = DateTime.Parse((string)pivot["date_modified_gmt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(-3), localTime - gmtTime);
    }

    [Fact]
    public async Task ListOrders_ModifiedBefore_ReturnsOnlyOlderOrders()
    {
        List<JsonObject> orders = [.. _sandbox.Store.GetOrders()];
        string pivot = orders.Select(o => (string)o["date_modified_gmt"]!).Order(StringComparer.Ordinal).ElementAt(10);

        List<JsonObject> before = await Http.GetAllAsync(_client, $"wp-json/wc/v3/orders?modified_before={pivot}&dates_are_gmt=true&status=any");

        Assert.Equal(orders.Count(o => string.CompareOrdinal((string)o["date_modified_gmt"]!, pivot) < 0), before.Count);
    }

    [Fact]
    public async Task ListCustomers_ModifiedAfter_IsIgnoredBecauseCustomersHaveNoDateFilter()
    {
        Reply all = await _client.GetReplyAsync("wp-json/wc/v3/customers?per_page=100");
        Reply filtered = await _client.GetReplyAsync("wp-json/wc/v3/customers?per_page=100&modified_after=2099-01-01T00:00:00&dates_are_gmt=true");

        Assert.Equal(all.Total, filtered.Total);
        Assert.Equal(_sandbox.SeededFrom!.Count(EntityType.Customers), filtered.Total);
    }

    [Fact]
    public async Task ListProducts_InvalidModifiedAfter_Returns400InvalidDate()
    {
        Reply reply = await _client.GetReplyAsync("wp-json/wc/v3/products?modified_after=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("Invalid date.", (string)reply.Object["data"]!["params"]!["modified_after"]!);
    }

    [Fact]
    public async Task ListProducts_Fields_TrimsEachItemToTheRequestedFields()
    {
        Reply reply = await _client.GetReplyAsync("wp-json/wc/v3/products?_fields=id,name,dimensions.width");

        JsonObject first = Assert.IsType<JsonObject>(reply.Array[0]);
        Assert.Equal(["id", "name", "dimensions"], first.Select(p => p.Key));
        Assert.Equal(["width"], first["dimensions"]!.AsObject().Select(p => p.Key));
    }
}
