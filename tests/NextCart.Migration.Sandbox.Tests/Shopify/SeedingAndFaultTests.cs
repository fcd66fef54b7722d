using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class SeedingAndFaultTests
{
    [Fact]
    public async Task Seed_DefaultSample_CountsMatchTheSampleStore()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 7 });
        SampleStore sample = shop.SeededFrom!;

        Assert.Equal(sample.Count(EntityType.Products), shop.View.GetProducts().Count);
        Assert.Equal(sample.Count(EntityType.Categories), shop.View.GetCollections().Count);
        Assert.Equal(sample.Count(EntityType.Customers), shop.View.GetCustomers().Count);
        Assert.Equal(sample.Count(EntityType.Orders), shop.View.GetOrders().Count);
        Assert.Equal(sample.Count(EntityType.Pages), shop.View.GetPages().Count);
        Assert.Single(shop.View.GetBlogs());
        Assert.Equal(sample.Count(EntityType.BlogPosts), shop.View.GetArticles().Count);
        Assert.Equal(sample.Get<Coupon>().Select(c => c.Code.ToUpperInvariant()).Distinct().Count(), shop.View.GetDiscounts().Count);
        Assert.Equal(sample.Get<Redirect>().Count(r => shop.View.FindSeeded(EntityType.Redirects, r.SourceId) is not null), shop.View.GetRedirects().Count);
        Assert.NotEmpty(shop.View.GetRedirects());
    }

    [Fact]
    public async Task Seed_ProductCount_ProductsWithOptionsVariantsImagesAndCollections()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 7, ProductCount = 30 });
        SampleStore sample = shop.SeededFrom!;
        IReadOnlyList<JsonObject> products = shop.View.GetProducts();

        Assert.Equal(30, products.Count);
        Product variable = sample.Get<Product>().First(p => p.Variants.Count > 1 && p.Options.Any(o => o.UsedForVariants));
        JsonObject seeded = products.Single(p => p["id"]!.GetValue<string>() == shop.View.FindSeeded(EntityType.Products, variable.SourceId));
        Assert.NotEmpty(seeded["options"]!.AsArray());
        Assert.True(seeded["variants"]!.AsArray().Count > 1);
        Assert.All(products, p => Assert.NotEmpty(p["variants"]!.AsArray()));
        Assert.Contains(products, p => p["images"]!.AsArray().Count > 0);
        Assert.Contains(shop.View.GetCollections(), c => c["products"]!.AsArray().Count > 0);
        Product withCategory = sample.Get<Product>().First(p => p.CategoryIds.Count > 0);
        string collection = shop.View.FindSeeded(EntityType.Categories, withCategory.CategoryIds[0])!;
        Assert.Contains(collection, products.Single(p => p["id"]!.GetValue<string>() == shop.View.FindSeeded(EntityType.Products, withCategory.SourceId))["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Seed_Orders_LinkedToCustomersAndVariants()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 11 });
        SampleStore sample = shop.SeededFrom!;
        Dictionary<string, JsonObject> orders = shop.View.GetOrders().ToDictionary(o => o["id"]!.GetValue<string>());
        int linkedLines = 0;

        foreach (Order order in sample.Get<Order>())
        {
            JsonObject seeded = orders[shop.View.FindSeeded(EntityType.Orders, order.SourceId)!];
            Assert.Equal(order.CustomerId is null ? null : shop.View.FindSeeded(EntityType.Customers, order.CustomerId), seeded["customer"]?.GetValue<string>());
            for (int i = 0; i < order.Lines.Count; i++)
            {
                OrderLine line = order.Lines[i];
                if (line.ProductId is not null && line.VariantId is not null && shop.View.FindSeeded(EntityType.Products, line.ProductId + "/" + line.VariantId) is { } variant)
                {
                    Assert.Equal(variant, seeded["lineItems"]![i]!["variant"]!.GetValue<string>());
                    linkedLines++;
                }
            }
        }

        Assert.True(linkedLines > 0);
        Assert.Contains(shop.View.GetCustomers(), c => c["addresses"]!.AsArray().Count > 0);
    }

    [Fact]
    public async Task Seed_Empty_NoRecordsForATarget()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        Assert.Null(shop.SeededFrom);
        Assert.Empty(shop.View.GetProducts());
        Assert.Empty(shop.View.GetCustomers());
        Assert.Empty(shop.View.GetOrders());
        Assert.Empty(shop.View.GetBlogs());
    }

    [Fact]
    public async Task Seed_SameSeed_SameGraphQLAnswers()
    {
        const string Query = "{ products(first: 20) { nodes { id handle variants(first: 5) { nodes { sku price } } } } customers(first: 20) { nodes { id defaultEmailAddress { emailAddress } } } }";
        await using ShopifySandbox first = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 3, ProductCount = 20 });
        await using ShopifySandbox second = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 3, ProductCount = 20 });

        JsonObject a = await ShopifyHttp.DataAsync(first, Query);
        JsonObject b = await ShopifyHttp.DataAsync(second, Query);

        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.Equal(first.AccessToken, second.AccessToken);
    }

    private static SandboxFaultOptions Mixed() => new()
    {
        ServerErrorRate = 0.1,
        TimeoutRate = 0.1,
        ConnectionResetRate = 0.1,
        RateLimitRate = 0.1,
        TimeoutDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Faults_SameSeedAsWooCommerce_SameInjectedSequence()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 21, Empty = true, Faults = Mixed() });
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Seed = 21, Empty = true, Faults = Mixed() });
        using HttpClient wooClient = woo.CreateClient();
        for (int i = 0; i < 60; i++)
        {
            try
            {
                await ShopifyHttp.PostAsync(shop, "{ shop { name } }");
            }
            catch (HttpRequestException)
            {
                // An injected connection reset.
            }

            try
            {
                using HttpResponseMessage response = await wooClient.GetAsync("wp-json/wc/v3/products?per_page=1");
            }
            catch (HttpRequestException)
            {
                // An injected connection reset.
            }
        }

        List<(long, SandboxFaultKind)> shopify = [.. shop.Requests.GetInjectedFaults().Select(f => (f.RequestNumber, f.Kind))];
        List<(long, SandboxFaultKind)> woocommerce = [.. woo.Requests.GetInjectedFaults().Select(f => (f.RequestNumber, f.Kind))];
        Assert.NotEmpty(shopify);
        Assert.Equal(woocommerce, shopify);
        Assert.Equal(60, shop.Requests.TotalRequests);
    }

    [Fact]
    public async Task Faults_RateLimited_429WithRetryAfterAndThrottledBody()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, Faults = new SandboxFaultOptions { RateLimitRate = 1, RetryAfter = TimeSpan.FromSeconds(2) } });
        using HttpClient client = shop.CreateClient();

        using HttpResponseMessage response = await client.PostAsync(ShopifySandbox.GraphQLPath, new StringContent("{\"query\":\"{ shop { name } }\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter!.Delta);
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("THROTTLED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(0, shop.View.GraphQLRequests);
    }

    [Fact]
    public async Task Faults_SetAtRunTime_ServerErrorThenRecovery()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        shop.SetFaults(new SandboxFaultOptions { ServerErrorRate = 1, ServerErrorStatusCodes = [502] });

        (HttpStatusCode failed, _) = await ShopifyHttp.PostAsync(shop, "{ shop { name } }");
        shop.SetFaults(new SandboxFaultOptions());
        (HttpStatusCode ok, _) = await ShopifyHttp.PostAsync(shop, "{ shop { name } }");

        Assert.Equal(HttpStatusCode.BadGateway, failed);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(1, shop.Requests.GetCount(502));
    }
}
