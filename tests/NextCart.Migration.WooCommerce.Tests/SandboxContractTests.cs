using System.Text.Json.Nodes;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.WooCommerce.Tests;

/// <summary>Contract tests against the WooCommerce sandbox emulator.</summary>
public sealed class SandboxContractTests
{
    private static WooCommerceConnectorOptions For(WooCommerceSandbox sandbox, WooCommerceAuthMode mode = WooCommerceAuthMode.Basic) => new()
    {
        StoreUrl = sandbox.BaseAddress,
        ConsumerKey = sandbox.ConsumerKey,
        ConsumerSecret = sandbox.ConsumerSecret,
        AuthMode = mode,
        WordPressUser = sandbox.WordPressUserName,
        WordPressApplicationPassword = sandbox.ApplicationPassword,
    };

    private static async Task<(List<Entity> Records, List<RecordIssue> Errors)> ReadAllAsync(ISourceConnector source, EntityType type)
    {
        var records = new List<Entity>();
        var errors = new List<RecordIssue>();
        await foreach (SourcePage page in source.ReadAsync(type, SourceQuery.All, null))
        {
            records.AddRange(page.Records);
            errors.AddRange(page.Errors);
        }

        return (records, errors);
    }

    [Theory]
    [InlineData(WooCommerceAuthMode.Basic)]
    [InlineData(WooCommerceAuthMode.QueryString)]
    [InlineData(WooCommerceAuthMode.OAuth1)]
    public async Task Source_ReadsEveryTypeOfASeededStore(WooCommerceAuthMode mode)
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 30 });
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(For(sandbox, mode), http);
        ConnectorCheck check = await source.CheckAsync();
        Assert.True(check.Succeeded, check.Message);
        IReadOnlyDictionary<string, int> counts = sandbox.Store.GetCounts();
        foreach ((EntityType type, string key) in new[]
        {
            (EntityType.Taxes, "taxes"), (EntityType.Categories, "categories"), (EntityType.Products, "products"), (EntityType.Customers, "customers"),
            (EntityType.Orders, "orders"), (EntityType.Reviews, "reviews"), (EntityType.Coupons, "coupons"), (EntityType.Pages, "pages"),
            (EntityType.BlogPosts, "posts"), (EntityType.Redirects, "redirects"),
        })
        {
            (List<Entity> records, List<RecordIssue> errors) = await ReadAllAsync(source, type);
            Assert.Empty(errors);
            Assert.Equal(records.Count, records.Select(r => r.SourceId).Distinct().Count());
            Assert.True(counts[key] == records.Count, $"{type}: sandbox has {counts[key]}, read {records.Count}");
            if (type is not EntityType.Redirects)
            {
                Assert.Equal(records.Count, await source.CountAsync(type, SourceQuery.All));
            }

            if (type == EntityType.Products)
            {
                Assert.Equal(counts["variations"], records.Cast<Product>().Sum(p => p.Variants.Count));
            }
        }
    }

    [Fact]
    public async Task Target_WritesCategoriesProductsCustomersOrders_WithSourceIdentity()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(For(sandbox), http);
        ConnectorCheck check = await target.CheckAsync();
        Assert.True(check.Succeeded, check.Message);

        BatchOutcome cats = await target.WriteAsync(EntityType.Categories,
            [new TargetRecord(new Category { SourceId = "c1", Name = "Clothing", Slug = "clothing" }, WriteAction.Create, null, null)]);
        string catId = Assert.Single(cats.Results).TargetId!;
        var product = new Product
        {
            SourceId = "p1",
            Name = "Tee",
            Sku = "TEE",
            Kind = ProductKind.Variable,
            CategoryIds = ["c1"],
            Options = [new ProductOption { Name = "Size", Values = ["S", "M"] }],
            Variants =
            [
                new ProductVariant { SourceId = "v1", Sku = "TEE-S", Price = new Money(10m, "USD"), OptionValues = [new OptionValue("Size", "S")] },
                new ProductVariant { SourceId = "v2", Sku = "TEE-M", Price = new Money(11m, "USD"), OptionValues = [new OptionValue("Size", "M")] },
            ],
        };
        var refs = new Dictionary<EntityRef, ResolvedTarget> { [new EntityRef(EntityType.Categories, "c1")] = new(catId, null) };
        BatchOutcome products = await target.WriteAsync(EntityType.Products, [new TargetRecord(product, WriteAction.Create, null, refs)]);
        RecordOutcome written = Assert.Single(products.Results);
        Assert.True(written.Status == RecordStatus.Created, written.Message);
        Assert.Equal(2, written.Children.Count);

        BatchOutcome again = await target.WriteAsync(EntityType.Products, [new TargetRecord(product, WriteAction.Create, null, refs)]);
        Assert.Equal((RecordStatus.Updated, written.TargetId), (again.Results[0].Status, again.Results[0].TargetId));
        Assert.Single(sandbox.Store.GetProducts());
        Assert.Equal(2, sandbox.Store.GetVariations(long.Parse(written.TargetId!, System.Globalization.CultureInfo.InvariantCulture)).Count);

        BatchOutcome customers = await target.WriteAsync(EntityType.Customers,
            [new TargetRecord(new Customer { SourceId = "u1", Email = "ann@example.test", FirstName = "Ann" }, WriteAction.Create, null, null)]);
        Assert.True(customers.Results[0].Status == RecordStatus.Created, customers.Results[0].Message);

        var order = new Order
        {
            SourceId = "o1",
            Status = "completed",
            Currency = "USD",
            CustomerId = "u1",
            Total = new Money(10m, "USD"),
            Lines = [new OrderLine { SourceId = "l1", ProductId = "p1", VariantId = "v1", Name = "Tee - S", Quantity = 1, UnitPrice = new Money(10m, "USD"), Total = new Money(10m, "USD") }],
        };
        var orderRefs = new Dictionary<EntityRef, ResolvedTarget>
        {
            [new EntityRef(EntityType.Customers, "u1")] = new(customers.Results[0].TargetId!, null),
            [EntityRef.Product("p1")] = new(written.TargetId!, null),
            [EntityRef.Variant("p1", "v1")] = new(written.Children[0].TargetId, null),
        };
        BatchOutcome orders = await target.WriteAsync(EntityType.Orders, [new TargetRecord(order, WriteAction.Create, null, orderRefs)]);
        Assert.True(orders.Results[0].Status == RecordStatus.Created, orders.Results[0].Message);
        JsonObject stored = Assert.Single(sandbox.Store.GetOrders());
        Assert.Single(WooCommerceStoreView.WithMeta([stored], "_nextcart_source_id", "o1"));

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Products, [new SourceIdentity(EntityType.Products, "p1", "TEE")]);
        Assert.Equal("p1", Assert.Single(found).SourceId);
        Assert.Equal(2, found[0].Children.Count);
        IReadOnlyList<ExistingTarget> foundOrders = await target.FindExistingAsync(EntityType.Orders, [new SourceIdentity(EntityType.Orders, "o1")]);
        Assert.Equal(orders.Results[0].TargetId, Assert.Single(foundOrders).TargetId);
        IReadOnlyList<ExistingTarget> foundCustomers = await target.FindExistingAsync(EntityType.Customers, [new SourceIdentity(EntityType.Customers, "u1", "ann@example.test")]);
        Assert.Equal("u1", Assert.Single(foundCustomers).SourceId);
    }
}

/// <summary>Reconciliation of the types WooCommerce keeps no meta on: tax rates and reviews are found by content.</summary>
public sealed class ContentReconciliationTests
{
    private static ITargetConnector TargetOf(WooCommerceSandbox sandbox, HttpClient http) => WooCommerceConnectorFactory.CreateTarget(
        new WooCommerceConnectorOptions { StoreUrl = sandbox.BaseAddress, ConsumerKey = sandbox.ConsumerKey, ConsumerSecret = sandbox.ConsumerSecret },
        http);

    [Theory]
    [InlineData(EntityType.Taxes)]
    [InlineData(EntityType.Reviews)]
    public async Task FindExistingAsync_RecordsWithoutMeta_FoundByContentEachOnce(EntityType type)
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 20 });
        using var http = new HttpClient();
        ITargetConnector target = TargetOf(sandbox, http);
        Entity[] seeded = [.. sandbox.SeededFrom!.Get(type).Where(e => sandbox.Store.FindSeededId(type, e.SourceId) is not null)];
        Assert.NotEmpty(seeded);

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [.. seeded.Select(e => e.GetIdentity())]);

        Assert.Equal(seeded.Length, found.Count);
        Assert.All(found, f => Assert.Equal(sandbox.Store.FindSeededId(type, f.SourceId)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), f.TargetId));
    }

    [Fact]
    public async Task FindExistingAsync_TaxWithDifferentRate_NotFound()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 5 });
        using var http = new HttpClient();
        ITargetConnector target = TargetOf(sandbox, http);
        Tax tax = sandbox.SeededFrom!.Get<Tax>().First();

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Taxes, [(tax with { Rate = tax.Rate + 1.5m }).GetIdentity()]);

        Assert.Empty(found);
    }

    /// <summary>
    /// A page or post without a slug: WordPress derives its slug from the title, and its identity carries the title, which the
    /// REST API's slug filter sanitises the same way (<c>wp_parse_slug_list</c>), so a connector of another process finds it.
    /// </summary>
    [Theory]
    [InlineData(EntityType.Pages)]
    [InlineData(EntityType.BlogPosts)]
    public async Task FindExistingAsync_ContentWithoutSlugWrittenByAnotherConnector_FoundByItsTitle(EntityType type)
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector Target() => WooCommerceConnectorFactory.CreateTarget(
            new WooCommerceConnectorOptions
            {
                StoreUrl = sandbox.BaseAddress,
                ConsumerKey = sandbox.ConsumerKey,
                ConsumerSecret = sandbox.ConsumerSecret,
                WordPressUser = sandbox.WordPressUserName,
                WordPressApplicationPassword = sandbox.ApplicationPassword,
            },
            http);
        Entity lost = type == EntityType.Pages
            ? new Page { SourceId = "p7", Title = "About Our Shop", Body = "<p>Hello</p>", Status = PublishStatus.Active }
            : new BlogPost { SourceId = "b7", Title = "About Our Shop", Body = "<p>Hello</p>", Status = PublishStatus.Active };
        RecordOutcome written = (await Target().WriteAsync(type, [new TargetRecord(lost, WriteAction.Create, null, null)])).Results[0];
        Assert.True(written.Status == RecordStatus.Created, written.Message);

        IReadOnlyList<ExistingTarget> found = await Target().FindExistingAsync(type, [lost.GetIdentity()]);

        Assert.Equal("About Our Shop", lost.GetIdentity().NaturalKey);
        Assert.Equal((lost.SourceId, written.TargetId), (Assert.Single(found).SourceId, found[0].TargetId));
    }

    /// <summary>
    /// A child category written by another process (a lost response): the ID map holds no parent URL to build its URL under,
    /// so the target builds it from its ancestors on the store, as WordPress does, and the redirect to it can still be made.
    /// </summary>
    [Fact]
    public async Task FindExistingAsync_ChildCategoryWrittenByAnotherConnector_UrlBuiltFromItsAncestors()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using var http = new HttpClient();
        var root = new Category { SourceId = "c1", Name = "Clothing", Slug = "clothing" };
        var child = new Category { SourceId = "c2", Name = "Shirts", Slug = "shirts", ParentId = "c1" };
        var grandchild = new Category { SourceId = "c3", Name = "Tees", Slug = "tees", ParentId = "c2" };
        var written = new Dictionary<EntityRef, ResolvedTarget>();
        foreach (Category category in new[] { root, child, grandchild })
        {
            RecordOutcome outcome = (await TargetOf(sandbox, http).WriteAsync(EntityType.Categories, [new TargetRecord(category, WriteAction.Create, null, written)])).Results[0];
            Assert.True(outcome.Status == RecordStatus.Created, outcome.Message);
            written[new EntityRef(EntityType.Categories, category.SourceId)] = new ResolvedTarget(outcome.TargetId!, outcome.TargetUrl);
        }

        IReadOnlyList<ExistingTarget> found = await TargetOf(sandbox, http).FindExistingAsync(EntityType.Categories, [grandchild.GetIdentity(), root.GetIdentity()]);

        Assert.Equal("/product-category/clothing/shirts/tees/", written[new EntityRef(EntityType.Categories, "c3")].TargetUrl);
        Assert.Equal("/product-category/clothing/shirts/tees/", Assert.Single(found, f => f.SourceId == "c3").TargetUrl);
        Assert.Equal("/product-category/clothing/", Assert.Single(found, f => f.SourceId == "c1").TargetUrl);
    }

    [Fact]
    public async Task FindExistingAsync_OrderBehindLaterBatchesOfTheWriters_FoundOnALaterPage()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(
            new WooCommerceConnectorOptions { StoreUrl = sandbox.BaseAddress, ConsumerKey = sandbox.ConsumerKey, ConsumerSecret = sandbox.ConsumerSecret, MaxConcurrency = 2 },
            http);
        static TargetRecord Order(int n) => new(
            new Order { SourceId = "o" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), Status = "completed", Currency = "USD", Total = new Money(1m, "USD") },
            WriteAction.Create,
            null,
            null);

        // The order whose response was lost, then two more batches of 100 from the other writers (the window is 3 batches and a page).
        RecordOutcome lost = (await target.WriteAsync(EntityType.Orders, [Order(0)])).Results[0];
        for (int batch = 0; batch < 2; batch++)
        {
            BatchOutcome later = await target.WriteAsync(EntityType.Orders, [.. Enumerable.Range(1 + (batch * 100), 100).Select(Order)]);
            Assert.All(later.Results, r => Assert.Equal(RecordStatus.Created, r.Status));
        }

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Orders, [new SourceIdentity(EntityType.Orders, "o0"), new SourceIdentity(EntityType.Orders, "o150")]);

        Assert.Equal(201, sandbox.Store.GetOrders().Count);
        Assert.Equal(["o0", "o150"], found.Select(f => f.SourceId).Order(StringComparer.Ordinal));
        Assert.Equal(lost.TargetId, found.Single(f => f.SourceId == "o0").TargetId);
    }
}
