using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>Contract tests of the Shopify target against the Shopify sandbox.</summary>
public sealed class TargetContractTests
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 5, Products = 12, Customers = 6, Orders = 10 });

    private static TargetRecord Create(Entity entity, IReadOnlyDictionary<EntityRef, ResolvedTarget>? references = null) => new(entity, WriteAction.Create, null, references);

    private static async Task<ShopifySandbox> EmptyShopAsync() => await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });

    private static void AssertWritten(BatchOutcome outcome)
        => Assert.All(outcome.Results, r => Assert.True(r.Status != RecordStatus.Failed, $"{r.SourceId}: {r.Category} {r.Message}"));

    [Fact]
    public async Task WriteAsync_OrderWithCustomerAndVariant_LinksBoth()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        Product product = Sample.Get<Product>().First(p => p.Kind == ProductKind.Variable && p.Variants.Count > 1 && p.Variants.All(v => v.OptionValues.All(o => o.Value is not null)));
        product = product with { CategoryIds = [], RelatedIds = [], UpsellIds = [], CrossSellIds = [], ManufacturerId = null };
        Customer customer = Sample.Get<Customer>().First(c => c.Email is not null);

        BatchOutcome products = await target.WriteAsync(EntityType.Products, [Create(product)]);
        BatchOutcome customers = await target.WriteAsync(EntityType.Customers, [Create(customer)]);
        AssertWritten(products);
        AssertWritten(customers);
        ProductVariant variant = product.Variants[1];
        ChildMapping child = Assert.Single(products.Results[0].Children, c => c.SourceId == variant.SourceId);
        var order = new Order
        {
            SourceId = "o1",
            Number = "5001",
            Status = OrderStatuses.Completed,
            Currency = "USD",
            CustomerId = customer.SourceId,
            Email = customer.Email,
            Lines = [new OrderLine { SourceId = "l1", ProductId = product.SourceId, VariantId = variant.SourceId, Name = product.Name, Quantity = 2, UnitPrice = new Money(9.5m, "USD"), Total = new Money(19m, "USD") }],
            Total = new Money(19m, "USD"),
        };
        var references = new Dictionary<EntityRef, ResolvedTarget>
        {
            [new EntityRef(EntityType.Customers, customer.SourceId)] = new(customers.Results[0].TargetId!, null),
            [EntityRef.Product(product.SourceId)] = new(products.Results[0].TargetId!, products.Results[0].TargetUrl),
            [EntityRef.Variant(product.SourceId, variant.SourceId)] = new(child.TargetId, null),
        };

        BatchOutcome orders = await target.WriteAsync(EntityType.Orders, [Create(order, references)]);

        AssertWritten(orders);
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetOrders());
        Assert.Contains(customers.Results[0].TargetId!, written.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(child.TargetId, written.ToJsonString(), StringComparison.Ordinal);
    }

    private static Customer Person(string sourceId, string email, string firstName) => new() { SourceId = sourceId, Email = email, FirstName = firstName, LastName = "Doe" };

    private static void AssertEmailTaken(RecordOutcome outcome, string email, string otherSourceId)
    {
        Assert.Equal(RecordStatus.Failed, outcome.Status);
        Assert.Equal(FailureCategory.Validation, outcome.Category);
        Assert.Null(outcome.TargetId);
        Assert.Contains(email, outcome.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("source id " + otherSourceId, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_TwoCustomersSharingAnEmailInOneBatch_SecondIsAValidationFailure()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);

        BatchOutcome outcome = await target.WriteAsync(EntityType.Customers, [Create(Person("1", "same@example.com", "Ann")), Create(Person("2", " SAME@example.com ", "Bob"))]);

        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        AssertEmailTaken(outcome.Results[1], "same@example.com", "1");
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetCustomers());
        Assert.Equal("Ann", written["firstName"]!.GetValue<string>());
        Assert.Equal("1", written["metafields"]?["nextcart.source_id"]?.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_CustomerSharingAnEmailInALaterBatch_SecondIsAValidationFailureAndARetryIsNot()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        RecordOutcome first = (await target.WriteAsync(EntityType.Customers, [Create(Person("1", "same@example.com", "Ann"))])).Results[0];

        // A later batch of the same target, and one of a new target (a resumed run, which knows only what the shop holds).
        RecordOutcome sameTarget = (await target.WriteAsync(EntityType.Customers, [Create(Person("2", "same@example.com", "Bob"))])).Results[0];
        ITargetConnector resumed = Shops.Target(shop, http);
        RecordOutcome newTarget = (await resumed.WriteAsync(EntityType.Customers, [Create(Person("3", "Same@Example.com", "Cid"))])).Results[0];
        RecordOutcome retry = (await resumed.WriteAsync(EntityType.Customers, [Create(Person("1", "same@example.com", "Ann"))])).Results[0];

        Assert.Equal(RecordStatus.Created, first.Status);
        AssertEmailTaken(sameTarget, "same@example.com", "1");
        AssertEmailTaken(newTarget, "same@example.com", "1");
        Assert.True(retry.Status != RecordStatus.Failed, retry.Message);
        Assert.Equal(first.TargetId, retry.TargetId);
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetCustomers());
        Assert.Equal("Ann", written["firstName"]!.GetValue<string>());
        Assert.Equal("1", written["metafields"]?["nextcart.source_id"]?.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_SourceIdWriteFailsTransiently_RecordFailsTransientAndAnUpdateAfterReconciliationStoresIt()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var failing = new HttpClient(new FailMetafieldsSet());
        ITargetConnector target = Shops.Target(shop, failing);

        RecordOutcome outcome = (await target.WriteAsync(EntityType.Customers, [Create(Person("7", "ann@example.com", "Ann"))])).Results[0];

        // The customer exists without its source id: the outcome must not claim success, or the ledger would miss the mark.
        Assert.Equal(RecordStatus.Failed, outcome.Status);
        Assert.True(outcome.IsTransient);
        Assert.Equal(FailureCategory.Connection, outcome.Category);
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetCustomers());
        Assert.Null(written["metafields"]?["nextcart.source_id"]);

        // What the engine does next: reconcile by the natural key, then write the record again as an update.
        using var http = new HttpClient();
        ITargetConnector healthy = Shops.Target(shop, http);
        ExistingTarget found = Assert.Single(await healthy.FindExistingAsync(EntityType.Customers, [new SourceIdentity(EntityType.Customers, "7", "ann@example.com")]));
        RecordOutcome update = (await healthy.WriteAsync(EntityType.Customers, [new TargetRecord(Person("7", "ann@example.com", "Ann"), WriteAction.Update, found.TargetId, null)])).Results[0];

        Assert.Equal(RecordStatus.Updated, update.Status);
        Assert.Equal(found.TargetId, update.TargetId);
        written = Assert.Single(shop.View.GetCustomers());
        Assert.Equal("7", written["metafields"]?["nextcart.source_id"]?.GetValue<string>());
    }

    /// <summary>Answers every <c>metafieldsSet</c> request with HTTP 503, before it reaches the shop.</summary>
    private sealed class FailMetafieldsSet() : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            return body.Contains("metafieldsSet(", StringComparison.Ordinal)
                ? new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable) { Content = new StringContent("upstream unavailable") }
                : await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Contract tests of authentication, throttling, userErrors and reading against the Shopify sandbox.</summary>
public sealed class ShopContractTests
{
    [Fact]
    public async Task CheckAsync_WrongToken_IsOneClearAuthenticationFailure()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ISourceConnector source = Shops.Source(shop, http, o => o.AccessToken = "shpat_wrong");

        ConnectorCheck check = await source.CheckAsync();

        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Authentication, check.Category);
        Assert.Contains("AccessToken", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_wrong", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(429)]
    public async Task ReadAsync_TightBucket_PredictiveClientIsNeverThrottled(int throttledStatus)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { ProductCount = 30, BucketSize = 400, RestoreRate = 2000, ThrottledStatusCode = throttledStatus });
        using var http = new HttpClient();
        var registry = new ShopifyRateLimitRegistry();
        ISourceConnector source = Shops.Source(shop, http, o => { o.BucketSize = 400; o.RestoreRate = 2000; }, registry);

        List<Entity> products = await Shops.ReadAllAsync(source, EntityType.Products);
        List<Entity> orders = await Shops.ReadAllAsync(source, EntityType.Orders);

        Assert.Equal(shop.View.GetProducts().Count, products.Count);
        Assert.Equal(shop.View.GetOrders().Count, orders.Count);
        Assert.Equal(0, shop.View.ThrottledResponses);
        Assert.True(shop.View.GraphQLRequests > 2);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(429)]
    public async Task ReadAsync_ReactiveClientThrottled_RetriesAndReadsEverything(int throttledStatus)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { ProductCount = 30, BucketSize = 400, RestoreRate = 2000, ThrottledStatusCode = throttledStatus });
        using var http = new HttpClient();
        ISourceConnector source = Shops.Source(shop, http, o => { o.ThrottleMode = ShopifyThrottleMode.Reactive; o.MaxConcurrency = 8; o.BucketSize = 400; });

        Task<List<Entity>>[] reads = [.. Enumerable.Range(0, 4).Select(_ => Shops.ReadAllAsync(source, EntityType.Products))];
        List<Entity>[] results = await Task.WhenAll(reads);

        Assert.All(results, r => Assert.Equal(shop.View.GetProducts().Count, r.Count));
        Assert.True(shop.View.ThrottledResponses > 0, "the reactive client was never throttled; the test proves nothing");
    }

    [Fact]
    public async Task WriteAsync_DuplicateCollectionHandle_IsAValidationFailureWithTheFieldPath()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);

        BatchOutcome outcome = await target.WriteAsync(EntityType.Categories,
        [
            new TargetRecord(new Category { SourceId = "1", Name = "Shoes", Slug = "shoes" }, WriteAction.Create, null, null),
            new TargetRecord(new Category { SourceId = "2", Name = "Shoes again", Slug = "shoes" }, WriteAction.Create, null, null),
        ]);

        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal("/collections/shoes", outcome.Results[0].TargetUrl);
        RecordOutcome failed = outcome.Results[1];
        Assert.Equal(RecordStatus.Failed, failed.Status);
        Assert.Equal(FailureCategory.Validation, failed.Category);
        Assert.Contains("handle", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NestedCategory_IsFlattenedUnderItsParentsTitle()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);

        BatchOutcome outcome = await target.WriteAsync(EntityType.Categories,
        [
            new TargetRecord(new Category { SourceId = "2", Name = "Boots", Slug = "boots", ParentId = "1" }, WriteAction.Create, null, null),
            new TargetRecord(new Category { SourceId = "1", Name = "Shoes", Slug = "shoes" }, WriteAction.Create, null, null),
        ]);

        Assert.All(outcome.Results, r => Assert.Equal(RecordStatus.Created, r.Status));
        Assert.Contains(shop.View.GetCollections(), c => c["title"]!.GetValue<string>() == "Shoes / Boots");
        Assert.Contains(outcome.Results[0].Warnings, w => w.Contains("Shoes / Boots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_UpdatedSince_ReturnsOnlyRecordsChangedSince()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero));
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, TimeProvider = time });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        ISourceConnector source = Shops.Source(shop, http);
        await target.WriteAsync(EntityType.Pages, [new TargetRecord(new Page { SourceId = "1", Title = "Old", Slug = "old" }, WriteAction.Create, null, null)]);
        time.Advance(TimeSpan.FromDays(2));
        DateTimeOffset since = time.GetUtcNow();
        await target.WriteAsync(EntityType.Pages, [new TargetRecord(new Page { SourceId = "2", Title = "New", Slug = "new" }, WriteAction.Create, null, null)]);

        List<Entity> changed = await Shops.ReadAllAsync(source, EntityType.Pages, new SourceQuery { UpdatedSince = since });
        List<Entity> all = await Shops.ReadAllAsync(source, EntityType.Pages);

        Assert.Equal("New", ((Page)Assert.Single(changed)).Title);
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task ReadAsync_ResumeToken_ContinuesAfterTheCursor()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { ProductCount = 30 });
        using var http = new HttpClient();
        ISourceConnector source = Shops.Source(shop, http, o => o.PageSize = 7);
        var pages = new List<SourcePage>();
        await foreach (SourcePage page in source.ReadAsync(EntityType.Customers, SourceQuery.All, null))
        {
            pages.Add(page);
        }

        Assert.True(pages.Count > 2);
        var resumed = new List<Entity>();
        await foreach (SourcePage page in source.ReadAsync(EntityType.Customers, SourceQuery.All, pages[1].ResumeToken))
        {
            resumed.AddRange(page.Records);
        }

        Assert.Equal(pages.Skip(2).SelectMany(p => p.Records).Select(r => r.SourceId), resumed.Select(r => r.SourceId));
    }

    [Fact]
    public async Task FindExistingAsync_OrderByNumber_ReportsTheSourceIdItCarries()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        var order = new Order
        {
            SourceId = "77", Number = "1077", Status = OrderStatuses.Processing, Currency = "USD", Total = new Money(5, "USD"),
            Lines = [new OrderLine { SourceId = "1", Name = "Gift", Quantity = 1, UnitPrice = new Money(5, "USD"), Total = new Money(5, "USD") }],
        };
        RecordOutcome created = (await target.WriteAsync(EntityType.Orders, [new TargetRecord(order, WriteAction.Create, null, null)])).Results[0];

        IReadOnlyList<ExistingTarget> byNumber = await target.FindExistingAsync(EntityType.Orders, [new SourceIdentity(EntityType.Orders, "other", "1077")]);
        IReadOnlyList<ExistingTarget> bySource = await target.FindExistingAsync(EntityType.Orders, [new SourceIdentity(EntityType.Orders, "77")]);

        Assert.Equal(RecordStatus.Created, created.Status);
        Assert.Equal(("77", created.TargetId), (Assert.Single(byNumber).SourceId, byNumber[0].TargetId));
        Assert.Equal(created.TargetId, Assert.Single(bySource).TargetId);
    }

    [Fact]
    public async Task WriteAsync_RedirectToMigratedProduct_PointsAtItsUrl()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        var redirect = new Redirect { SourceId = "auto-products-5", FromPath = "https://old.example/product/blue-shirt/", TargetEntity = EntityRef.Product("5") };
        var references = new Dictionary<EntityRef, ResolvedTarget> { [EntityRef.Product("5")] = new("123", "/products/blue-shirt") };

        RecordOutcome outcome = (await target.WriteAsync(EntityType.Redirects, [new TargetRecord(redirect, WriteAction.Create, null, references)])).Results[0];
        RecordOutcome again = (await target.WriteAsync(EntityType.Redirects, [new TargetRecord(redirect, WriteAction.Create, null, references)])).Results[0];

        Assert.Equal(RecordStatus.Created, outcome.Status);
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetRedirects());
        Assert.Equal("/product/blue-shirt/", written["path"]!.GetValue<string>());
        Assert.Equal("/products/blue-shirt", written["target"]!.GetValue<string>());
        Assert.True(again.Status == RecordStatus.Updated, again.Message);
        Assert.Equal(outcome.TargetId, again.TargetId);
    }

    /// <summary>
    /// Two source URLs that differ only in their query (plain WordPress permalinks of unpublished products) get a redirect each,
    /// and a redirect from the home page itself is refused, not created (it would redirect every visitor of the shop).
    /// </summary>
    [Fact]
    public async Task WriteAsync_RedirectsFromPlainPermalinks_OneEachAndNeverFromTheHomePage()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        TargetRecord Record(string id, string from, string product) => new(
            new Redirect { SourceId = id, FromPath = from, TargetEntity = EntityRef.Product(product) },
            WriteAction.Create,
            null,
            new Dictionary<EntityRef, ResolvedTarget> { [EntityRef.Product(product)] = new(product, "/products/p" + product) });

        BatchOutcome outcome = await target.WriteAsync(EntityType.Redirects, [
            Record("auto-products-19", "/?post_type=product&p=19", "19"),
            Record("auto-products-21", "/?post_type=product&p=21", "21"),
            Record("auto-products-23", "https://old.example/", "23")]);

        Assert.Equal([RecordStatus.Created, RecordStatus.Created, RecordStatus.Failed], outcome.Results.Select(r => r.Status));
        Assert.NotEqual(outcome.Results[0].TargetId, outcome.Results[1].TargetId);
        Assert.Equal(FailureCategory.Validation, outcome.Results[2].Category);
        Assert.Contains("home page", outcome.Results[2].Message, StringComparison.Ordinal);
        Assert.Equal(["/?post_type=product&p=19", "/?post_type=product&p=21"], shop.View.GetRedirects().Select(r => r["path"]!.GetValue<string>()));
    }
}
