using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.WooCommerce.Tests;

/// <summary>
/// Sandbox WooCommerce → sandbox WooCommerce through the whole stack a host uses: <c>AddWooCommerce</c> clients from
/// <see cref="IHttpClientFactory"/> with the resilience pipeline, the SQLite store, and the engine, in every mode, then with injected
/// transient faults on both sandboxes. Each test compares the target's state with the source's: every record exactly once, and every
/// relationship (order → customer, line → product and variation, review → product, category → parent, product → category) pointing
/// at the target record that carries the right source id.
/// </summary>
public sealed class SandboxModesEndToEndTests : IDisposable
{
    private static readonly EntityType[] Types =
    [
        EntityType.Taxes, EntityType.Categories, EntityType.Products, EntityType.Customers, EntityType.Orders, EntityType.Reviews,
        EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts,
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("nextcart-woo-e2e-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EveryMode_FullRecentSmartUpdateRemigration_EachSourceRecordOnceWithRelationshipsIntact()
    {
        await using WooCommerceSandbox source = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 30 });
        await using WooCommerceSandbox target = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        await using ServiceProvider provider = BuildServices(source, target);
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        MigrationProject project = CreateProject(provider, "every-mode");

        MigrationReport full = await RunAsync(manager, project, MigrationMode.Full);
        Assert.True(full.Status == MigrationRunState.CompletedWithErrors, Describe(full));
        AssertOnlyDuplicateEmailFailures(full);
        AssertMirrors(source, target, full);

        // Recent: two records created after the full run are picked up; nothing that was already migrated is written again.
        using HttpClient sourceApi = source.CreateClient();
        long newProduct = await CreateAsync(sourceApi, "products", new JsonObject { ["name"] = "Recent Lamp", ["type"] = "simple", ["regular_price"] = "12.50", ["sku"] = "RECENT-LAMP" });
        long customer = source.Store.GetCustomers()[0]["id"]!.GetValue<long>();
        long newOrder = await CreateAsync(sourceApi, "orders", new JsonObject
        {
            ["customer_id"] = customer,
            ["status"] = "processing",
            ["line_items"] = new JsonArray(new JsonObject { ["product_id"] = newProduct, ["quantity"] = 2 }),
        });
        int targetProducts = target.Store.GetProducts().Count;
        int targetOrders = target.Store.GetOrders().Count;
        MigrationReport recent = await RunAsync(manager, project, MigrationMode.Recent);
        Assert.True(recent.Status is MigrationRunState.Completed, Describe(recent));
        Assert.True(targetProducts + 1 == target.Store.GetProducts().Count, $"{Describe(recent)} {Entity(recent, EntityType.Products)} {source.Store.GetProduct(newProduct)!["date_created_gmt"]} {recent.StartedAt}");
        Assert.Equal(targetOrders + 1, target.Store.GetOrders().Count);
        Assert.Equal(1, Entity(recent, EntityType.Products).Migrated);
        Assert.Equal(1, Entity(recent, EntityType.Orders).Migrated);
        JsonObject recentOrder = Assert.Single(WooCommerceStoreView.WithMeta(target.Store.GetOrders(), SourceKey, newOrder.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(TargetIdOf(target.Store.GetProducts(), newProduct.ToString(CultureInfo.InvariantCulture)), recentOrder["line_items"]![0]!["product_id"]!.GetValue<long>());
        Assert.Equal(TargetIdOf(target.Store.GetCustomers(), customer.ToString(CultureInfo.InvariantCulture)), recentOrder["customer_id"]!.GetValue<long>());

        // SmartUpdate: only the record whose content changed is written, as an update of the record already there.
        long changed = source.Store.GetProducts()[3]["id"]!.GetValue<long>();
        using (HttpResponseMessage put = await sourceApi.PutAsJsonAsync(new Uri($"wp-json/wc/v3/products/{changed}", UriKind.Relative), new JsonObject { ["name"] = "Renamed by the merchant" }))
        {
            put.EnsureSuccessStatusCode();
        }

        MigrationReport smart = await RunAsync(manager, project, MigrationMode.SmartUpdate);
        Assert.True(smart.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(smart));
        AssertOnlyDuplicateEmailFailures(smart);
        Assert.Equal(1, Entity(smart, EntityType.Products).Updated);
        Assert.Equal(0, Entity(smart, EntityType.Products).Migrated);
        Assert.Equal(0, Entity(smart, EntityType.Orders).Updated + Entity(smart, EntityType.Orders).Migrated);
        JsonObject renamed = Assert.Single(WooCommerceStoreView.WithMeta(target.Store.GetProducts(), SourceKey, changed.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("Renamed by the merchant", renamed["name"]!.GetValue<string>());

        // Remigration: everything is written again as updates, and the target still mirrors the source.
        MigrationReport again = await RunAsync(manager, project, MigrationMode.Remigration);
        AssertOnlyDuplicateEmailFailures(again);
        Assert.Equal(0, again.Entities.Sum(e => e.Migrated));
        AssertMirrors(source, target, again);
    }

    [Fact]
    public async Task Demo_FreshTarget_SampleOfEachTypeWithEveryReferencedRecordPulledIn()
    {
        await using WooCommerceSandbox source = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 40 });
        await using WooCommerceSandbox target = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        await using ServiceProvider provider = BuildServices(source, target);
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();

        MigrationReport demo = await RunAsync(manager, CreateProject(provider, "demo"), MigrationMode.Demo, demoSize: 5);

        Assert.True(demo.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(demo));
        IReadOnlyList<JsonObject> orders = target.Store.GetOrders();
        Assert.Equal(5, orders.Count);
        Assert.True(target.Store.GetProducts().Count < source.Store.GetProducts().Count, "a demo moves a sample, not the store");
        AssertEachOnce(target.Store.GetProducts());
        AssertEachOnce(orders);

        // Every order's customer and products came along, even when they were not among the first five of their type.
        AssertOrderReferences(source, target, orders);
        AssertReviewAndCategoryReferences(source, target);
    }

    [Theory]
    [InlineData(11, 23)]
    [InlineData(3, 5)]
    public async Task Full_TenPercentTransientFaultsOnBothSandboxes_NothingLostNothingDuplicated(int sourceSeed, int targetSeed)
    {
        await using WooCommerceSandbox source = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 30 });
        await using WooCommerceSandbox target = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        source.SetFaults(TenPercentFaults(sourceSeed));
        target.SetFaults(TenPercentFaults(targetSeed));
        await using ServiceProvider provider = BuildServices(source, target);
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();

        MigrationReport report = await RunAsync(manager, CreateProject(provider, $"faults-{sourceSeed}"), MigrationMode.Full);

        Assert.True(source.Requests.GetInjectedFaults().Count > 0 && target.Requests.GetInjectedFaults().Count > 0, "the sandboxes injected faults");
        Assert.Contains(target.Requests.GetInjectedFaults(), f => f is { Method: "POST", Kind: SandboxFaultKind.LostResponse });
        Assert.True(report.Status == MigrationRunState.CompletedWithErrors, Describe(report));
        AssertOnlyDuplicateEmailFailures(report);
        source.SetFaults(new SandboxFaultOptions());
        target.SetFaults(new SandboxFaultOptions());
        AssertMirrors(source, target, report);
    }

    private const string SourceKey = "_nextcart_source_id";

    private static SandboxFaultOptions TenPercentFaults(int seed) => new()
    {
        Seed = seed,
        ServerErrorRate = 0.03,
        ConnectionResetRate = 0.02,
        RateLimitRate = 0.01,
        TimeoutRate = 0.01,
        LostResponseRate = 0.03,
        TimeoutDelay = TimeSpan.FromSeconds(3),
        RetryAfter = TimeSpan.FromSeconds(1),
    };

    private ServiceProvider BuildServices(WooCommerceSandbox source, WooCommerceSandbox target)
    {
        var services = new ServiceCollection();
        services.AddNextCartMigration()
            .UseSqliteStore($"Data Source={Path.Combine(_directory, "nextcart.db")}")
            .AddWooCommerce("source", o => Configure(o, source), Tune)
            .AddWooCommerce("target", o => Configure(o, target), Tune);
        return services.BuildServiceProvider();

        static void Configure(WooCommerceConnectorOptions o, WooCommerceSandbox sandbox)
        {
            o.StoreUrl = sandbox.BaseAddress;
            o.ConsumerKey = sandbox.ConsumerKey;
            o.ConsumerSecret = sandbox.ConsumerSecret;
            o.WordPressUser = sandbox.WordPressUserName;
            o.WordPressApplicationPassword = sandbox.ApplicationPassword;
        }

        // Short attempts so that an injected timeout costs a second, not the default attempt timeout.
        static void Tune(Http.StoreHttpOptions http)
        {
            http.AttemptTimeout = TimeSpan.FromSeconds(1);
            http.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            http.RequestsPerSecond = 1000;
            http.Burst = 100;
        }
    }

    private static MigrationProject CreateProject(IServiceProvider provider, string id) => new(
        id,
        WooCommerceConnectorFactory.CreateSource(provider, "source"),
        WooCommerceConnectorFactory.CreateTarget(provider, "target"));

    private static async Task<MigrationReport> RunAsync(MigrationManager manager, MigrationProject project, MigrationMode mode, int demoSize = 10)
    {
        MigrationOperation run = await manager.StartAsync(project, new MigrationOptions
        {
            Mode = mode,
            Entities = new HashSet<EntityType>(Types),
            DemoSize = demoSize,
            DefaultOrderStatus = OrderStatuses.Pending,
            DefaultCustomerGroup = CustomerGroups.General,
            CreateRedirects = false,
        });
        return await run.WaitForCompletionAsync();
    }

    private static async Task<long> CreateAsync(HttpClient api, string resource, JsonObject body)
    {
        using HttpResponseMessage response = await api.PostAsJsonAsync(new Uri($"wp-json/wc/v3/{resource}", UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        JsonObject created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return created["id"]!.GetValue<long>();
    }

    private static string Describe(MigrationReport report)
        => $"{report.Status}: {report.Message} {string.Join(" | ", report.Failures.Take(5).Select(f => $"{f.EntityType}:{f.SourceId}:{f.Category}:{f.Message}"))}";

    /// <summary>The seeded store has customers sharing an e-mail; WooCommerce refuses the later ones, and the run reports exactly those.</summary>
    private static void AssertOnlyDuplicateEmailFailures(MigrationReport report)
        => Assert.All(report.Failures, f =>
        {
            Assert.Equal(EntityType.Customers, f.EntityType);
            Assert.Contains("registration-error-email-exists", f.Message, StringComparison.Ordinal);
        });

    private static void AssertMirrors(WooCommerceSandbox source, WooCommerceSandbox target, MigrationReport report)
    {
        IReadOnlyDictionary<string, int> expected = source.Store.GetCounts();
        IReadOnlyDictionary<string, int> actual = target.Store.GetCounts();
        Assert.Equal(expected["customers"] - report.Failures.Count(f => f.EntityType == EntityType.Customers), actual["customers"]);
        foreach (string key in new[] { "taxes", "categories", "products", "variations", "orders", "order_notes", "reviews", "coupons", "pages", "posts" })
        {
            // The target starts with WooCommerce's default "Uncategorized" category, which the source has as well.
            Assert.True(expected[key] == actual[key], $"{key}: source {expected[key]}, target {actual[key]}; warnings: {string.Join(" | ", report.Warnings.Select(w => $"{w.EntityType}:{w.SourceId}:{w.Message}"))}");
        }

        AssertEachOnce(target.Store.GetProducts());
        AssertEachOnce(target.Store.GetOrders());
        AssertEachOnce(target.Store.GetCustomers());
        AssertEachOnce(target.Store.GetCoupons());
        AssertOrderReferences(source, target, target.Store.GetOrders());
        AssertReviewAndCategoryReferences(source, target);
    }

    private static void AssertOrderReferences(WooCommerceSandbox source, WooCommerceSandbox target, IReadOnlyList<JsonObject> targetOrders)
    {
        Dictionary<long, JsonObject> sourceOrders = source.Store.GetOrders().ToDictionary(o => o["id"]!.GetValue<long>());
        Dictionary<long, string?> customerSource = target.Store.GetCustomers().ToDictionary(c => c["id"]!.GetValue<long>(), SourceIdOf);
        Dictionary<long, string?> productSource = target.Store.GetProducts().ToDictionary(p => p["id"]!.GetValue<long>(), SourceIdOf);
        foreach (JsonObject order in targetOrders)
        {
            JsonObject original = sourceOrders[long.Parse(SourceIdOf(order)!, CultureInfo.InvariantCulture)];
            long sourceCustomer = original["customer_id"]!.GetValue<long>();
            long targetCustomer = order["customer_id"]!.GetValue<long>();
            if (sourceCustomer == 0)
            {
                Assert.Equal(0, targetCustomer);
            }
            else if (targetCustomer != 0)
            {
                Assert.Equal(sourceCustomer.ToString(CultureInfo.InvariantCulture), customerSource[targetCustomer]);
            }
            else
            {
                // Only a customer the target refused (a duplicate e-mail) leaves its orders as guest orders.
                Assert.DoesNotContain(sourceCustomer.ToString(CultureInfo.InvariantCulture), customerSource.Values);
            }

            // A line whose product is gone from the source becomes a fee line on the target (WooCommerce refuses product-less line
            // items); nothing is dropped.
            JsonArray lines = order["line_items"]!.AsArray();
            JsonArray originalLines = original["line_items"]!.AsArray();
            Assert.True(
                originalLines.Count + original["fee_lines"]!.AsArray().Count == lines.Count + order["fee_lines"]!.AsArray().Count,
                $"order lines differ: source {original["line_items"]!.ToJsonString()} {original["fee_lines"]!.ToJsonString()} target {order["line_items"]!.ToJsonString()} {order["fee_lines"]!.ToJsonString()}");
            foreach (JsonNode? line in lines)
            {
                JsonNode originalLine = Assert.Single(originalLines, l => l!["name"]!.ToString() == line!["name"]!.ToString() && l["quantity"]!.ToString() == line["quantity"]!.ToString())!;
                long sourceProduct = originalLine["product_id"]!.GetValue<long>();
                long targetProduct = line!["product_id"]!.GetValue<long>();
                Assert.Equal(sourceProduct.ToString(CultureInfo.InvariantCulture), productSource[targetProduct]);
                long sourceVariation = originalLine["variation_id"]!.GetValue<long>();
                long targetVariation = line["variation_id"]!.GetValue<long>();
                Assert.Equal(sourceVariation == 0, targetVariation == 0);
                if (sourceVariation != 0)
                {
                    JsonObject variation = Assert.Single(target.Store.GetVariations(targetProduct), v => v["id"]!.GetValue<long>() == targetVariation);
                    Assert.EndsWith(sourceVariation.ToString(CultureInfo.InvariantCulture), SourceIdOf(variation), StringComparison.Ordinal);
                }
            }
        }
    }

    private static void AssertReviewAndCategoryReferences(WooCommerceSandbox source, WooCommerceSandbox target)
    {
        Dictionary<long, string?> productSource = target.Store.GetProducts().ToDictionary(p => p["id"]!.GetValue<long>(), SourceIdOf);
        ILookup<string, long> sourceReviewProducts = source.Store.GetReviews().ToLookup(ReviewKey, r => r["product_id"]!.GetValue<long>());
        foreach (JsonObject review in target.Store.GetReviews())
        {
            string expected = Assert.Single(sourceReviewProducts[ReviewKey(review)]).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, productSource[review["product_id"]!.GetValue<long>()]);
        }

        Dictionary<long, JsonObject> sourceCategories = source.Store.GetCategories().ToDictionary(c => c["id"]!.GetValue<long>());
        Dictionary<long, JsonObject> targetCategories = target.Store.GetCategories().ToDictionary(c => c["id"]!.GetValue<long>());
        string PathOf(Dictionary<long, JsonObject> all, long id)
            => all[id]["parent"]!.GetValue<long>() is var parent and not 0 ? $"{PathOf(all, parent)} > {all[id]["name"]}" : $"{all[id]["name"]}";

        var sourcePaths = sourceCategories.Keys.Select(id => PathOf(sourceCategories, id)).ToHashSet(StringComparer.Ordinal);
        Assert.All(targetCategories.Keys, id => Assert.Contains(PathOf(targetCategories, id), sourcePaths));

        // Each migrated product sits in the categories with the same paths as its source product.
        Dictionary<long, JsonObject> sourceProducts = source.Store.GetProducts().ToDictionary(p => p["id"]!.GetValue<long>());
        foreach (JsonObject product in target.Store.GetProducts())
        {
            JsonObject original = sourceProducts[long.Parse(SourceIdOf(product)!, CultureInfo.InvariantCulture)];
            Assert.Equal(
                Paths(original, sourceCategories),
                Paths(product, targetCategories));
        }

        string[] Paths(JsonObject product, Dictionary<long, JsonObject> all)
            => [.. product["categories"]!.AsArray().Select(c => PathOf(all, c!["id"]!.GetValue<long>())).Order(StringComparer.Ordinal)];
    }

    private static EntityReport Entity(MigrationReport report, EntityType type) => Assert.Single(report.Entities, e => e.Type == type);

    private static string ReviewKey(JsonObject review) => $"{review["reviewer_email"]}|{review["review"]}|{review["rating"]}";

    private static long TargetIdOf(IReadOnlyList<JsonObject> records, string sourceId)
        => Assert.Single(WooCommerceStoreView.WithMeta(records, SourceKey, sourceId))["id"]!.GetValue<long>();

    private static string? SourceIdOf(JsonObject record)
        => record["meta_data"]?.AsArray().FirstOrDefault(m => m?["key"]?.GetValue<string>() == SourceKey)?["value"]?.ToString();

    private static void AssertEachOnce(IReadOnlyList<JsonObject> records)
    {
        var ids = records.Select(SourceIdOf).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
