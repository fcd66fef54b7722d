using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class SeedingTests : IAsyncLifetime
{
    private WooCommerceSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private SampleStore Sample => _sandbox.SeededFrom!;

    [Fact]
    public void Seed_DefaultOptions_EveryCanonicalRecordBecomesAWooCommerceResource()
    {
        IReadOnlyDictionary<string, int> counts = _sandbox.Store.GetCounts();

        Assert.Equal(Sample.Count(EntityType.Products), counts["products"]);
        Assert.Equal(Sample.Get<Product>().Sum(p => p.Variants.Count), counts["variations"]);
        Assert.Equal(Sample.Count(EntityType.Categories) + 1, counts["categories"]);
        Assert.Equal(Sample.Count(EntityType.Taxes), counts["taxes"]);
        Assert.Equal(Sample.Count(EntityType.Customers), counts["customers"]);
        Assert.Equal(Sample.Count(EntityType.Orders), counts["orders"]);
        Assert.Equal(Sample.Count(EntityType.Coupons), counts["coupons"]);
        Assert.Equal(Sample.Count(EntityType.Pages), counts["pages"]);
        Assert.Equal(Sample.Count(EntityType.BlogPosts), counts["posts"]);
        Assert.Equal(Sample.Count(EntityType.Redirects), counts["redirects"]);
        Assert.Equal(Sample.Get<Review>().Count(r => _sandbox.Store.FindSeededId(EntityType.Products, r.ProductId) is not null), counts["reviews"]);
    }

    [Fact]
    public void Seed_SeededIds_AreIntegersSharedAcrossPostTypesAndFoundByCanonicalId()
    {
        long? product = _sandbox.Store.FindSeededId(EntityType.Products, "2");
        Product canonical = Sample.Find<Product>("2")!;
        long? variant = _sandbox.Store.FindSeededId(EntityType.Products, EntityRef.Variant("2", canonical.Variants[0].SourceId).SourceId);

        Assert.NotNull(product);
        Assert.Equal(canonical.Name, (string)_sandbox.Store.GetProduct(product.Value)!["name"]!);
        Assert.Contains(variant!.Value, _sandbox.Store.GetVariations(product.Value).Select(v => Http.Id(v)));
        HashSet<long> postIds = [.. _sandbox.Store.GetProducts().Concat(_sandbox.Store.GetOrders()).Concat(_sandbox.Store.GetCoupons()).Select(r => Http.Id(r))];
        Assert.Equal(_sandbox.Store.GetProducts().Count + _sandbox.Store.GetOrders().Count + _sandbox.Store.GetCoupons().Count, postIds.Count);
    }

    [Fact]
    public void Seed_Orders_MoneyIsStringsDatesHaveGmtTwinsAndGuestsHaveCustomerZero()
    {
        foreach (JsonObject order in _sandbox.Store.GetOrders())
        {
            Assert.Equal(JsonValueKind.String, order["total"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, order["discount_total"]!.GetValueKind());
            DateTime local = DateTime.Parse((string)order["date_created"]!, CultureInfo.InvariantCulture);
            DateTime gmt = DateTime.Parse((string)order["date_created_gmt"]!, CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromHours(-3), local - gmt);
            Assert.Equal(JsonValueKind.Number, order["line_items"]!.AsArray().FirstOrDefault()?["price"]?.GetValueKind() ?? JsonValueKind.Number);
        }

        long guest = _sandbox.Store.FindSeededId(EntityType.Orders, "2")!.Value;
        long deletedCustomer = _sandbox.Store.FindSeededId(EntityType.Orders, "8")!.Value;
        Assert.Equal(0, (long)_sandbox.Store.GetOrder(guest)!["customer_id"]!);
        Assert.Equal(0, (long)_sandbox.Store.GetOrder(deletedCustomer)!["customer_id"]!);
        Assert.Equal(Sample.Find<Order>("2")!.Email, (string)_sandbox.Store.GetOrder(guest)!["billing"]!["email"]!);
    }

    [Fact]
    public void Seed_VariableOrderLines_CarryProductAndVariationIds()
    {
        Order order = Sample.Get<Order>().First(o => o.Lines.Any(l => l.VariantId is not null));
        OrderLine line = order.Lines.First(l => l.VariantId is not null);

        JsonObject seeded = _sandbox.Store.GetOrder(_sandbox.Store.FindSeededId(EntityType.Orders, order.SourceId)!.Value)!;

        JsonObject item = seeded["line_items"]!.AsArray().OfType<JsonObject>().First(i => (long)i["variation_id"]! != 0);
        Assert.Equal(_sandbox.Store.FindSeededId(EntityType.Products, line.ProductId!), (long)item["product_id"]!);
        Assert.NotEmpty(item["meta_data"]!.AsArray());
    }

    [Fact]
    public void Seed_ProductWithoutImageAndAnyValueVariant_FollowWooCommerceRules()
    {
        long anyProduct = _sandbox.Store.FindSeededId(EntityType.Products, "3")!.Value;
        Product canonical = Sample.Find<Product>("3")!;

        List<JsonObject> variations = [.. _sandbox.Store.GetVariations(anyProduct)];
        JsonObject anyValue = variations.Single(v => Http.Id(v) == _sandbox.Store.FindSeededId(EntityType.Products, EntityRef.Variant("3", canonical.Variants[^1].SourceId).SourceId));

        Assert.Single(anyValue["attributes"]!.AsArray());
        Assert.Equal("variable", (string)_sandbox.Store.GetProduct(anyProduct)!["type"]!);
        Assert.All(_sandbox.Store.GetProducts(), p => Assert.NotEmpty(p["categories"]!.AsArray()));
    }

    [Fact]
    public async Task Seed_EmptyOption_HasOnlyTheFreshInstall()
    {
        await using WooCommerceSandbox empty = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });

        IReadOnlyDictionary<string, int> counts = empty.Store.GetCounts();

        Assert.All(counts.Where(c => c.Key != "categories"), c => Assert.Equal(0, c.Value));
        Assert.Equal("uncategorized", (string)Assert.Single(empty.Store.GetCategories())["slug"]!);
        Assert.Null(empty.SeededFrom);
    }

    [Fact]
    public async Task Seed_SameSeed_SameDataAndCredentials()
    {
        await using WooCommerceSandbox other = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());

        Assert.Equal(_sandbox.ConsumerKey, other.ConsumerKey);
        Assert.StartsWith("ck_", other.ConsumerKey, StringComparison.Ordinal);
        Assert.Equal(43, other.ConsumerKey.Length);
        Assert.Equal(_sandbox.Store.GetOrders().Select(o => o["total"]!.ToJsonString()), other.Store.GetOrders().Select(o => o["total"]!.ToJsonString()));
        Assert.Equal(_sandbox.Store.GetProducts().Select(p => Http.Id(p)), other.Store.GetProducts().Select(p => Http.Id(p)));
    }

    [Fact]
    public async Task Seed_ProductCountOption_OverridesTheProductCount()
    {
        await using WooCommerceSandbox small = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 7 });

        Assert.Equal(7, small.Store.GetProducts().Count);
    }
}
