using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Shopify.Internal;
using NextCart.Migration.Testing;
using NextCart.Migration.WooCommerce;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>Full <see cref="MigrationManager"/> runs between the WooCommerce and Shopify sandboxes, with the SQLite store.</summary>
public sealed class SandboxEndToEndTests : IDisposable
{
    /// <summary>The size issue 5 asks for: about 2,000 products with variants, 1,000 customers, 3,000 orders, reviews, coupons, pages and posts.</summary>
    public const int IssueSize = 2_000;

    /// <summary>The quick size every mode runs at.</summary>
    public const int SmallSize = 60;

    /// <summary>
    /// The seeded store of a size: <see cref="IssueSize"/> is issue 5's store (scaled sample store: 100 categories, 40 coupons,
    /// 20 posts, 5 pages, 2,000 reviews, with 1,000 customers and 3,000 orders); smaller sizes keep the same proportions of customers and orders.
    /// </summary>
    private static SampleStoreOptions Size(int products) => products >= IssueSize
        ? SampleStoreOptions.Scale(products, seed: 3) with { Customers = products / 2, Orders = products * 3 / 2 }
        : new() { Seed = 3, Products = products, Customers = products / 2, Orders = products * 3 / 2 };
    private readonly string _directory = Directory.CreateTempSubdirectory("nextcart-shopify-e2e-").FullName;

    private static WooCommerceConnectorOptions Woo(WooCommerceSandbox sandbox) => new()
    {
        StoreUrl = sandbox.BaseAddress,
        ConsumerKey = sandbox.ConsumerKey,
        ConsumerSecret = sandbox.ConsumerSecret,
        WordPressUser = sandbox.WordPressUserName,
        WordPressApplicationPassword = sandbox.ApplicationPassword,
    };

    private static readonly HashSet<EntityType> Types =
        [EntityType.Categories, EntityType.Products, EntityType.Customers, EntityType.Orders, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts, EntityType.Redirects];

    private static MigrationOptions Options(MigrationMode mode) => new()
    {
        Mode = mode,
        Entities = new HashSet<EntityType>(Types),
        DefaultOrderStatus = OrderStatuses.Pending,
        DefaultCustomerGroup = CustomerGroups.General,
        CreateRedirects = true,
        DemoSize = 5,
    };

    private ServiceProvider Services(string name)
    {
        var services = new ServiceCollection();
        services.AddNextCartMigration().UseSqliteStore($"Data Source={Path.Combine(_directory, name + ".db")}");
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(SmallSize)]
    [InlineData(IssueSize)]
    public async Task WooCommerceToShopify_FullThenRemigration_EveryRecordOnceWithLinksAndRedirects(int products)
    {
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Data = Size(products) });
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });
        await using ServiceProvider provider = Services("full");
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        using var http = new HttpClient();
        var project = new MigrationProject("woo-to-shopify", WooCommerceConnectorFactory.CreateSource(Woo(woo), http), Shops.Target(shop, http));

        MigrationReport report = await (await manager.StartAsync(project, Options(MigrationMode.Full))).WaitForCompletionAsync();

        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(report));
        AssertMigrated(woo, shop, report);

        MigrationReport again = await (await manager.StartAsync(project, Options(MigrationMode.Remigration))).WaitForCompletionAsync();
        Assert.True(again.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(again));
        AssertMigrated(woo, shop, again);
        await AssertOneShopifyRedirectPerSourceRedirectAsync(provider, project.ProjectId, shop);
    }

    [Theory]
    [InlineData(SmallSize)]
    [InlineData(IssueSize)]
    public async Task WooCommerceToShopify_DemoRecentSmartUpdate_NoDuplicates(int products)
    {
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Data = Size(products) });
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });
        await using ServiceProvider provider = Services("modes");
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        using var http = new HttpClient();
        var project = new MigrationProject("woo-to-shopify-modes", WooCommerceConnectorFactory.CreateSource(Woo(woo), http), Shops.Target(shop, http));

        MigrationReport demo = await (await manager.StartAsync(project, Options(MigrationMode.Demo))).WaitForCompletionAsync();
        Assert.True(demo.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(demo));
        // A demo takes a few records of each type, plus the products its orders reference.
        Assert.InRange(shop.View.GetProducts().Count, 1, woo.Store.GetCounts()["products"] - 1);

        foreach (MigrationMode mode in new[] { MigrationMode.Full, MigrationMode.Recent, MigrationMode.SmartUpdate })
        {
            MigrationReport report = await (await manager.StartAsync(project, Options(mode))).WaitForCompletionAsync();
            Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, mode + ": " + Describe(report));
            AssertEachOnce(shop.View.GetProducts());
            AssertEachOnce(shop.View.GetOrders());
            AssertEachOnce(shop.View.GetCollections());
        }

        Assert.Equal(woo.Store.GetCounts()["products"], shop.View.GetProducts().Count);
        Assert.Equal(woo.Store.GetCounts()["orders"], shop.View.GetOrders().Count);
    }

    [Theory]
    [InlineData(SmallSize)]
    [InlineData(IssueSize)]
    public async Task ShopifyToWooCommerce_EveryMode_EveryRecordOnceWithLinksAndRedirects(int products)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Data = Size(products), BucketSize = 100_000, RestoreRate = 100_000 });
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        await using ServiceProvider provider = Services("reverse");
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        using var http = new HttpClient();
        var project = new MigrationProject("shopify-to-woo", Shops.Source(shop, http), WooCommerceConnectorFactory.CreateTarget(Woo(woo), http));

        MigrationReport demo = await (await manager.StartAsync(project, Options(MigrationMode.Demo))).WaitForCompletionAsync();
        Assert.True(demo.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(demo));
        Assert.InRange(woo.Store.GetCounts()["products"], 1, shop.View.GetProducts().Count - 1);

        MigrationReport full = null!;
        foreach (MigrationMode mode in new[] { MigrationMode.Full, MigrationMode.Recent, MigrationMode.SmartUpdate, MigrationMode.Remigration })
        {
            MigrationReport report = await (await manager.StartAsync(project, Options(mode))).WaitForCompletionAsync();
            full = mode == MigrationMode.Full ? report : full;
            Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, mode + ": " + Describe(report));
            AssertEachOnceOnWooCommerce(woo);
        }

        // The failures of the Full run (refused duplicate category names, and what they take with them) stay those of every later run.
        AssertReverseMigrated(shop, woo, full);
    }

    [Theory]
    [InlineData(SmallSize)]
    [InlineData(IssueSize)]
    public async Task ShopifyToWooCommerce_TenPercentTransientFaults_NothingLostNothingDuplicated(int products)
    {
        var faults = new SandboxFaultOptions { ServerErrorRate = 0.05, ConnectionResetRate = 0.05, Seed = 11 };
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Data = Size(products), BucketSize = 100_000, RestoreRate = 100_000, Faults = faults });
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true, Faults = faults.Clone() });
        var services = new ServiceCollection();
        services.AddNextCartMigration(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(20))
            .UseSqliteStore($"Data Source={Path.Combine(_directory, "reverse-faults.db")}")
            .AddShopify("source", o => CopyTo(Shops.For(shop), o), SandboxHttp)
            .AddWooCommerce("target", o => CopyTo(Woo(woo), o), SandboxHttp);
        await using ServiceProvider provider = services.BuildServiceProvider();
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        var project = new MigrationProject("shopify-to-woo-faults", ShopifyConnectorFactory.CreateSource(provider, "source"), WooCommerceConnectorFactory.CreateTarget(provider, "target"));
        MigrationOptions options = Options(MigrationMode.Full);

        MigrationReport report = await (await manager.StartAsync(project, options)).WaitForCompletionAsync();
        for (int resume = 0; resume < 5 && report.Failures.Any(f => f.Category == FailureCategory.Connection); resume++)
        {
            // Records whose writes kept failing transiently are retried by a later run, as a host would.
            report = await (await manager.StartAsync(project, options)).WaitForCompletionAsync();
        }

        Assert.DoesNotContain(report.Failures, f => f.Category == FailureCategory.Connection);
        AssertReverseMigrated(shop, woo, report);
    }

    /// <summary>
    /// What a Shopify → WooCommerce run must leave: every product, collection, customer, order, discount, page and article once,
    /// less the refusals WordPress documents; orders linked to the customer and the products and variations the ID map gives; and
    /// a redirect from every product and collection URL to its new WooCommerce URL.
    /// </summary>
    private static void AssertReverseMigrated(ShopifySandbox shop, WooCommerceSandbox woo, MigrationReport report)
    {
        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(report));
        // Shopify collections are flat and may share titles; WordPress refuses a second root category of the same name
        // (term_exists), and products filed under a refused category fail for the missing required reference. Nothing else fails.
        Assert.All(report.Failures, f => Assert.True(
            (f.EntityType == EntityType.Categories && f.Message.Contains("term_exists", StringComparison.Ordinal))
            || f.EntityType is EntityType.Products or EntityType.Customers or EntityType.Coupons,
            $"{f.EntityType}:{f.SourceId}:{f.Message}"));
        AssertEachOnceOnWooCommerce(woo);
        HashSet<string> failed(EntityType type) => report.Failures.Where(f => f.EntityType == type).Select(f => f.SourceId).ToHashSet(StringComparer.Ordinal);
        void AssertSameSet(EntityType type, IEnumerable<JsonObject> source, IEnumerable<JsonObject> target)
        {
            var expected = source.Select(r => Handles.Tail(r["id"]!.GetValue<string>())).Except(failed(type)).Order(StringComparer.Ordinal).ToList();
            var actual = target.Select(WooSourceId).OfType<string>().Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{type}: {expected.Count} expected, {actual.Count} on the target; missing {string.Join(", ", expected.Except(actual).Take(5))}; unexpected {string.Join(", ", actual.Except(expected).Take(5))}");
        }

        AssertSameSet(EntityType.Products, shop.View.GetProducts(), woo.Store.GetProducts());
        // WooCommerce's category endpoint keeps no meta: collections are compared by title (a fresh install has its "Uncategorized").
        var collectionTitles = shop.View.GetCollections().Where(c => !failed(EntityType.Categories).Contains(Handles.Tail(c["id"]!.GetValue<string>())))
            .Select(c => c["title"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var categoryNames = woo.Store.GetCategories().Where(c => c["id"]!.GetValue<long>() != woo.Store.DefaultCategoryId)
            .Select(c => System.Net.WebUtility.HtmlDecode(c["name"]!.GetValue<string>())).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(collectionTitles, categoryNames);
        AssertSameSet(EntityType.Customers, shop.View.GetCustomers(), woo.Store.GetCustomers());
        AssertSameSet(EntityType.Orders, shop.View.GetOrders(), woo.Store.GetOrders());
        AssertSameSet(EntityType.Coupons, shop.View.GetDiscounts(), woo.Store.GetCoupons());
        // WordPress's REST API cannot write protected meta on pages and posts, so they carry no source id: they are compared by slug.
        Assert.Equal(shop.View.GetPages().Select(p => p["handle"]!.GetValue<string>()).Order(StringComparer.Ordinal), woo.Store.GetPages().Select(p => p["slug"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(shop.View.GetArticles().Select(p => p["handle"]!.GetValue<string>()).Order(StringComparer.Ordinal), woo.Store.GetPosts().Select(p => p["slug"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // Orders point at the customer, product and variation that carry the Shopify order's customer, product and variant.
        var customers = woo.Store.GetCustomers().ToDictionary(c => c["id"]!.ToString(), c => WooSourceId(c), StringComparer.Ordinal);
        var productsById = woo.Store.GetProducts().ToDictionary(p => p["id"]!.GetValue<long>());
        var wooOrders = woo.Store.GetOrders().Where(o => WooSourceId(o) is not null).ToDictionary(o => WooSourceId(o)!, StringComparer.Ordinal);
        int linkedCustomers = 0;
        int linkedLines = 0;
        foreach (JsonObject order in shop.View.GetOrders())
        {
            JsonObject migrated = wooOrders[Handles.Tail(order["id"]!.GetValue<string>())];
            if (order["customer"]?.GetValue<string>() is { } customer && !failed(EntityType.Customers).Contains(Handles.Tail(customer)))
            {
                Assert.Equal(Handles.Tail(customer), customers.GetValueOrDefault(migrated["customer_id"]!.ToString()));
                linkedCustomers++;
            }

            // A line of a product that was not migrated (or of no product) becomes a fee line; the others keep their order.
            JsonArray sourceLines = order["lineItems"]!.AsArray();
            JsonArray lines = migrated["line_items"]!.AsArray();
            Assert.True(sourceLines.Count == lines.Count + migrated["fee_lines"]!.AsArray().Count, $"order {order["name"]}: {sourceLines.Count} lines, {lines.Count} product lines and {migrated["fee_lines"]!.AsArray().Count} fee lines on the target");
            int next = 0;
            foreach (JsonNode? line in sourceLines)
            {
                if (line!["product"]?.GetValue<string>() is not { } product || failed(EntityType.Products).Contains(Handles.Tail(product)))
                {
                    continue;
                }

                JsonNode migratedLine = lines[next++]!;
                long productId = migratedLine["product_id"]!.GetValue<long>();
                Assert.True(productsById.TryGetValue(productId, out JsonObject? wooProduct), $"order {order["name"]} line {next} has no product");
                Assert.Equal(Handles.Tail(product), WooSourceId(wooProduct!));
                long variationId = migratedLine["variation_id"]!.GetValue<long>();
                if (variationId != 0)
                {
                    JsonObject variation = woo.Store.GetVariations(productId).Single(v => v["id"]!.GetValue<long>() == variationId);
                    Assert.Equal(Handles.Tail(line["variant"]!.GetValue<string>()), WooSourceId(variation));
                }

                linkedLines++;
            }

            Assert.Equal(lines.Count, next);
        }

        Assert.True(linkedCustomers > 0, "no order was linked to its customer");
        Assert.True(linkedLines > 0, "no order line was linked to its product");

        // Every product and collection URL changes path (/products/h → /product/h/, /collections/h → /product-category/h/): each has a redirect.
        // (Until 26 Nov 2026 the plain permalink of an unpublished product came out as /%3Fpost_type=...: Uri reads "/..." as a file path on Unix.)
        var redirects = woo.Store.GetRedirects().ToDictionary(r => r["url"]!.GetValue<string>().TrimEnd('/'), r => r["action_data"]!["url"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        foreach ((IReadOnlyList<JsonObject> records, EntityType type, string from, string to) in new[]
        {
            (shop.View.GetProducts(), EntityType.Products, "/products/", "/product/"),
            (shop.View.GetCollections(), EntityType.Categories, "/collections/", "/product-category/"),
        })
        {
            foreach (JsonObject record in records.Where(r => !failed(type).Contains(Handles.Tail(r["id"]!.GetValue<string>()))))
            {
                string path = from + record["handle"]!.GetValue<string>();
                Assert.True(redirects.TryGetValue(path, out string? target), $"no redirect from {path}");
                // An unpublished product has WordPress's plain permalink until it is published.
                Assert.True(target.StartsWith(to, StringComparison.Ordinal) || (type == EntityType.Products && target.StartsWith("/?post_type=product&p=", StringComparison.Ordinal)), $"{path} -> {target}");
            }
        }
    }

    /// <summary>
    /// No two WooCommerce records carry the same source id. (Pages and posts carry none; a duplicate of one would add a slug to the
    /// set <see cref="AssertReverseMigrated"/> compares at the end.)
    /// </summary>
    private static void AssertEachOnceOnWooCommerce(WooCommerceSandbox woo)
    {
        foreach ((string name, IReadOnlyList<JsonObject> records) in new[]
        {
            ("products", woo.Store.GetProducts()), ("customers", woo.Store.GetCustomers()),
            ("orders", woo.Store.GetOrders()), ("coupons", woo.Store.GetCoupons()),
        })
        {
            var ids = records.Select(WooSourceId).OfType<string>().ToList();
            Assert.True(ids.Count == ids.Distinct(StringComparer.Ordinal).Count(), $"{name}: a source id is on more than one record: {string.Join(", ", ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).Take(5))}");
        }
    }

    private static string? WooSourceId(JsonObject record)
        => record["meta_data"] is JsonArray meta
            ? meta.OfType<JsonObject>().Where(m => m["key"]?.GetValue<string>() == "_nextcart_source_id").Select(m => m["value"]?.ToString()).FirstOrDefault()
            : null;

    [Theory]
    [InlineData(SmallSize)]
    [InlineData(IssueSize)]
    public async Task WooCommerceToShopify_TenPercentTransientFaults_NothingLostNothingDuplicated(int products)
    {
        var faults = new SandboxFaultOptions { ServerErrorRate = 0.05, ConnectionResetRate = 0.05, Seed = 9 };
        await using WooCommerceSandbox woo = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Data = Size(products), Faults = faults });
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000, Faults = faults.Clone() });
        var services = new ServiceCollection();
        // Records whose write failed transiently are retried by the engine after 20 ms, 40 ms, ... instead of 200 ms, 400 ms, ...,
        // as the connectors' HTTP retries below: the run's length is then its work, not its waits.
        services.AddNextCartMigration(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(20))
            .UseSqliteStore($"Data Source={Path.Combine(_directory, "faults.db")}")
            .AddWooCommerce("source", o => CopyTo(Woo(woo), o), SandboxHttp)
            .AddShopify("target", o => CopyTo(Shops.For(shop), o), SandboxHttp);
        await using ServiceProvider provider = services.BuildServiceProvider();
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        var project = new MigrationProject("woo-to-shopify-faults", WooCommerceConnectorFactory.CreateSource(provider, "source"), ShopifyConnectorFactory.CreateTarget(provider, "target"));

        MigrationReport report = await (await manager.StartAsync(project, Options(MigrationMode.Full))).WaitForCompletionAsync();
        for (int resume = 0; resume < 5 && report.Failures.Any(f => f.Category == FailureCategory.Connection); resume++)
        {
            // Records whose writes kept failing transiently are retried by a later run, as a host would.
            report = await (await manager.StartAsync(project, Options(MigrationMode.Full))).WaitForCompletionAsync();
        }

        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, Describe(report));
        Assert.DoesNotContain(report.Failures, f => f.Category == FailureCategory.Connection);
        AssertMigrated(woo, shop, report);
    }

    /// <summary>
    /// HTTP settings for a loopback sandbox: the connectors' HTTP retries wait 20 ms, 40 ms, ... instead of 1 s, 2 s, ..., and the
    /// client-side limiter lets 1,000 requests per second through instead of the default 5, which suits a real WooCommerce store
    /// (the source reads each order's notes and each variable product's variations with a request of its own: at 5 per second,
    /// the 3,000 orders of the issue's store alone would take ten minutes of waiting for the limiter).
    /// </summary>
    private static void SandboxHttp(NextCart.Migration.Http.StoreHttpOptions http)
    {
        http.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        http.RequestsPerSecond = 1_000;
        http.Burst = 100;
    }

    private static void AssertMigrated(WooCommerceSandbox woo, ShopifySandbox shop, MigrationReport report)
    {
        IReadOnlyDictionary<string, int> expected = woo.Store.GetCounts();
        IReadOnlyList<JsonObject> products = shop.View.GetProducts();
        IReadOnlyList<JsonObject> orders = shop.View.GetOrders();
        AssertEachOnce(products);
        AssertEachOnce(orders);
        AssertEachOnce(shop.View.GetCollections());
        Assert.True(expected["products"] == products.Count, $"products: source {expected["products"]}, target {products.Count}; {Describe(report)}");
        Assert.Equal(expected["categories"], shop.View.GetCollections().Count);
        Assert.Equal(expected["orders"], orders.Count);
        Assert.Equal(expected["coupons"], shop.View.GetDiscounts().Count);
        Assert.Equal(expected["pages"], shop.View.GetPages().Count);
        Assert.Equal(expected["posts"], shop.View.GetArticles().Count);

        // The seeded store has customers sharing an e-mail; Shopify e-mails are unique, so the later ones fail (never merged into one).
        int sharedEmails = woo.Store.GetCustomers().GroupBy(c => c["email"]?.GetValue<string>()?.Trim() ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Key.Length > 0).Sum(g => g.Count() - 1);
        List<RecordIssue> customerFailures = report.Failures.Where(f => f.EntityType == EntityType.Customers).ToList();
        Assert.All(customerFailures, f => Assert.True(f.Category == FailureCategory.Validation && f.Message.Contains("already belongs to the customer migrated from source id", StringComparison.Ordinal), f.Message));
        IReadOnlyList<JsonObject> migratedCustomers = shop.View.GetCustomers().Where(c => Meta(c) is not null).ToList();
        AssertEachOnce(migratedCustomers);
        Assert.True(expected["customers"] - sharedEmails == migratedCustomers.Count, $"customers: source {expected["customers"]}, {sharedEmails} sharing an e-mail, target {migratedCustomers.Count}");
        Assert.Equal(sharedEmails, customerFailures.Count);

        // Orders point at the customer and the variants the ID map gives for their source references.
        var customersBySource = shop.View.GetCustomers().Where(c => Meta(c) is not null).ToDictionary(c => Meta(c)!, c => c["id"]!.GetValue<string>());
        var variantSource = products.SelectMany(p => p["variants"]!.AsArray().OfType<JsonObject>())
            .ToDictionary(v => v["id"]!.GetValue<string>(), Meta);
        var wooOrders = woo.Store.GetOrders().ToDictionary(o => o["id"]!.ToString(), StringComparer.Ordinal);
        var wooProducts = woo.Store.GetProducts().Select(p => p["id"]!.ToString()).ToHashSet();
        int linkedCustomers = 0;
        int linkedLines = 0;
        foreach (JsonObject order in orders)
        {
            JsonObject source = wooOrders[Meta(order)!];
            string? customerId = source["customer_id"]?.ToString();
            if (customerId is not null and not "0" && customersBySource.TryGetValue(customerId, out string? gid))
            {
                Assert.Equal(gid, order["customer"]?.GetValue<string>());
                linkedCustomers++;
            }

            // Fee lines (gift wrapping) come after the product lines, as custom lines without a variant.
            JsonArray sourceLines = source["line_items"]!.AsArray();
            JsonArray lines = order["lineItems"]!.AsArray();
            Assert.Equal(sourceLines.Count + source["fee_lines"]!.AsArray().Count, lines.Count);
            for (int i = 0; i < sourceLines.Count; i++)
            {
                string productId = sourceLines[i]!["product_id"]!.ToString();
                string variationId = sourceLines[i]!["variation_id"]?.ToString() ?? "0";
                if (!wooProducts.Contains(productId))
                {
                    continue; // a line of a deleted product stays a custom line
                }

                string? variant = lines[i]!["variant"]?.GetValue<string>();
                Assert.True(variant is not null, $"order {Meta(order)} line {i} has no variant");
                Assert.Equal(variationId is "0" or "" ? productId : variationId, variantSource[variant]);
                linkedLines++;
            }
        }

        Assert.True(linkedCustomers > 0, "no order was linked to its customer");
        Assert.True(linkedLines > 0, "no order line was linked to its variant");

        // Every product and category URL whose path changed has a redirect to the new URL.
        var redirects = shop.View.GetRedirects().ToDictionary(r => r["path"]!.GetValue<string>().TrimEnd('/'), r => r["target"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (JsonObject product in woo.Store.GetProducts())
        {
            // Unpublished products have a plain permalink (/?post_type=product&p=19): its query is part of the path redirected.
            string path = new Uri(product["permalink"]!.GetValue<string>()).PathAndQuery.TrimEnd('/');
            Assert.True(redirects.ContainsKey(path), $"no redirect from {path}");
            Assert.StartsWith("/products/", redirects[path], StringComparison.Ordinal);
        }

        // Categories have no link in WooCommerce's REST API; their URLs are WordPress's hierarchical /product-category/parent/child/.
        var categories = woo.Store.GetCategories().ToDictionary(c => c["id"]!.GetValue<long>());
        foreach (JsonObject category in categories.Values)
        {
            var slugs = new List<string>();
            for (JsonObject? c = category; c is not null; c = categories.GetValueOrDefault(c["parent"]!.GetValue<long>()))
            {
                slugs.Insert(0, c["slug"]!.GetValue<string>());
            }

            string path = "/product-category/" + string.Join('/', slugs);
            Assert.True(redirects.TryGetValue(path, out string? target), $"no redirect from {path}");
            Assert.StartsWith("/collections/", target, StringComparison.Ordinal);
        }
    }

    /// <summary>Every migrated redirect (the source's own and the engine's automatic ones) has a Shopify redirect of its own.</summary>
    private static async Task AssertOneShopifyRedirectPerSourceRedirectAsync(ServiceProvider provider, string projectId, ShopifySandbox shop)
    {
        var entries = new List<IdMapEntry>();
        await foreach (IdMapEntry entry in provider.GetRequiredService<ICheckpointStore>().ReadIdMapAsync(projectId, EntityType.Redirects))
        {
            entries.Add(entry);
        }

        var shared = entries.GroupBy(e => e.TargetId, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        Assert.True(
            shared.Count == 0,
            $"{entries.Count} redirects map to {entries.Select(e => e.TargetId).Distinct().Count()} Shopify redirects; shared: "
            + string.Join(" | ", shared.Take(10).Select(g => g.Key + " <- " + string.Join(", ", g.Select(e => $"{e.SourceId} {e.SourceUrl} -> {e.TargetUrl}")))));
        Assert.Equal(entries.Count, shop.View.GetRedirects().Count);
    }

    private static void CopyTo(WooCommerceConnectorOptions from, WooCommerceConnectorOptions to)
    {
        to.StoreUrl = from.StoreUrl;
        to.ConsumerKey = from.ConsumerKey;
        to.ConsumerSecret = from.ConsumerSecret;
        to.WordPressUser = from.WordPressUser;
        to.WordPressApplicationPassword = from.WordPressApplicationPassword;
    }

    private static void CopyTo(ShopifyConnectorOptions from, ShopifyConnectorOptions to)
    {
        to.ShopUrl = from.ShopUrl;
        to.AccessToken = from.AccessToken;
    }

    private static string? Meta(JsonObject record) => record["metafields"]?["nextcart.source_id"]?.GetValue<string>();

    private static void AssertEachOnce(IReadOnlyList<JsonObject> records)
    {
        var ids = records.Select(Meta).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static string Describe(MigrationReport report)
        => $"{report.Status}: {report.Message} {string.Join(" | ", report.Failures.Take(8).Select(f => $"{f.EntityType}:{f.SourceId}:{f.Category}:{f.Message}"))}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
