using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class CostAndThrottleTests
{
    private static JsonObject Cost(JsonObject body) => body["extensions"]!["cost"]!.AsObject();

    /// <summary>A mutation document with <paramref name="count"/> aliased <c>urlRedirectCreate</c> fields: 10 points each.</summary>
    private static string Redirects(int count, string prefix)
    {
        StringBuilder builder = new("mutation {");
        for (int i = 0; i < count; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $" r{i}: urlRedirectCreate(urlRedirect: {{ path: \"/{prefix}-{i}\", target: \"/x\" }}) {{ urlRedirect {{ id }} userErrors {{ field message }} }}");
        }

        return builder.Append(" }").ToString();
    }

    [Fact]
    public async Task Cost_NestedConnections_MultipliedByParentSize()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 9, ProductCount = 3 });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ products(first: 10) { nodes { id seo { title } variants(first: 5) { nodes { id selectedOptions { name } } } } } }");

        // products: 2 + 10; seo: 1 per product (10); variants: (2 + 5) per product (70); selectedOptions: 1 per variant (50).
        Assert.Equal(12 + 10 + 70 + 50, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        int variants = shop.View.GetProducts().Sum(p => p["variants"]!.AsArray().Count);
        Assert.Equal(2 + 3 + 3 + (3 * 2) + variants + variants, Cost(body)["actualQueryCost"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cost_ScalarsFreeObjectsOne()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ shop { name currencyCode } }");

        Assert.Equal(1, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        Assert.Equal(1, Cost(body)["actualQueryCost"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cost_ProductSet_Dynamic()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        JsonObject input = ProductSetTests.TeeInput("tee", "S", "M", "L", "XL", "XXL");
        input["metafields"] = new JsonArray(new JsonObject { ["namespace"] = "nextcart", ["key"] = "source_id", ["type"] = "single_line_text_field", ["value"] = "1" });
        input["files"] = new JsonArray(new JsonObject { ["originalSource"] = "https://cdn.example.test/a.jpg", ["contentType"] = "IMAGE" });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = input });

        // 10 + 5 variants × 0.2 + 1 metafield × 0.4 + 1 file × 1.9 = 13.3, rounded up.
        Assert.Equal(14, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        Assert.Equal(14, Cost(body)["actualQueryCost"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cost_Over1000_MaxCostExceededAndNothingExecuted()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, Redirects(101, "big"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["data"]);
        Assert.Equal("MAX_COST_EXCEEDED", ShopifyHttp.Code(body));
        Assert.Equal(1010, body["errors"]![0]!["extensions"]!["cost"]!.GetValue<int>());
        Assert.Equal(1000, body["errors"]![0]!["extensions"]!["maxCost"]!.GetValue<int>());
        Assert.StartsWith("Query cost is 1010, which exceeds the single query max cost limit (1000).", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(shop.View.GetRedirects());
        Assert.Equal(1000, shop.View.CurrentlyAvailable);
    }

    [Fact]
    public async Task Cost_ExactlyMax_Allowed()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, Redirects(100, "max"));

        Assert.Equal(1000, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        Assert.Equal(100, shop.View.GetRedirects().Count);
    }

    [Fact]
    public async Task Bucket_RefundsRequestedMinusActual()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ products(first: 250) { nodes { id } } }");

        Assert.Equal(252, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        Assert.Equal(2, Cost(body)["actualQueryCost"]!.GetValue<int>());
        Assert.Equal(998.0, Cost(body)["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        Assert.Equal(1000.0, Cost(body)["throttleStatus"]!["maximumAvailable"]!.GetValue<double>());
        Assert.Equal(50.0, Cost(body)["throttleStatus"]!["restoreRate"]!.GetValue<double>());
        Assert.Equal(2, shop.View.CostPointsConsumed);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(429)]
    public async Task Bucket_Empty_ThrottledThenRestoredByTime(int throttledStatus)
    {
        FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time, ThrottledStatusCode = throttledStatus });

        for (int i = 0; i < 10; i++)
        {
            (HttpStatusCode ok, JsonObject spent) = await ShopifyHttp.PostAsync(shop, Redirects(10, "a" + i));
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.Null(spent["errors"]);
        }

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, Redirects(10, "b"));

        Assert.Equal((HttpStatusCode)throttledStatus, status);
        Assert.Null(body["data"]);
        Assert.Equal("Throttled", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("THROTTLED", ShopifyHttp.Code(body));
        Assert.Equal("https://shopify.dev/api/usage/rate-limits", body["errors"]![0]!["extensions"]!["documentation"]!.GetValue<string>());
        Assert.Equal(100, Cost(body)["requestedQueryCost"]!.GetValue<int>());
        Assert.True(Cost(body).ContainsKey("actualQueryCost"));
        Assert.Null(Cost(body)["actualQueryCost"]);
        Assert.Equal(0.0, Cost(body)["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        Assert.Equal(100, shop.View.GetRedirects().Count);
        Assert.Equal(1, shop.View.ThrottledResponses);

        time.Advance(TimeSpan.FromSeconds(1.9));
        (_, JsonObject stillThrottled) = await ShopifyHttp.PostAsync(shop, Redirects(10, "c"));
        time.Advance(TimeSpan.FromSeconds(0.1));
        (HttpStatusCode restored, JsonObject after) = await ShopifyHttp.PostAsync(shop, Redirects(10, "d"));

        Assert.Equal("THROTTLED", ShopifyHttp.Code(stillThrottled));
        Assert.Equal(HttpStatusCode.OK, restored);
        Assert.Null(after["errors"]);
        Assert.Equal(0.0, Cost(after)["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        Assert.Equal(110, shop.View.GetRedirects().Count);
        Assert.Equal(1100, shop.View.CostPointsConsumed);
        Assert.Equal(2, shop.View.ThrottledResponses);
    }

    [Fact]
    public async Task Bucket_PlusPreset_2000And100()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time }.UseRateLimits(ShopifyRateLimitPreset.Plus));

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, Redirects(50, "p"));

        Assert.Equal(2000.0, Cost(body)["throttleStatus"]!["maximumAvailable"]!.GetValue<double>());
        Assert.Equal(100.0, Cost(body)["throttleStatus"]!["restoreRate"]!.GetValue<double>());
        Assert.Equal(1500.0, Cost(body)["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1800.0, shop.View.CurrentlyAvailable);
    }

    [Fact]
    public async Task Counters_TimeSeries_CostPointsPerSecond()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time });

        await ShopifyHttp.PostAsync(shop, Redirects(5, "t1"));
        time.Advance(TimeSpan.FromSeconds(2));
        await ShopifyHttp.PostAsync(shop, Redirects(5, "t2"));

        IReadOnlyList<ShopifyCostSample> samples = shop.View.GetCostSamples();
        Assert.Equal(2, samples.Count);
        double perSecond = samples.Sum(s => s.ActualCost ?? 0) / (samples[^1].At - samples[0].At).TotalSeconds;
        Assert.Equal(50.0, perSecond);
        Assert.Equal(2, shop.View.TotalRequests);
    }
}
