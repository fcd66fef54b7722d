using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing.Tests;

public sealed class InMemoryTargetConnectorTests
{
    private static readonly SampleStore Store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 31 });

    [Fact]
    public async Task WriteAsync_DuplicateSkuInAnyCase_FailsTheLaterRecord()
    {
        InMemoryTargetConnector target = new();
        Product first = Simple("1", "SKU-A", "a");
        Product second = Simple("2", "sku-a", "b");

        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, Creates(first, second));

        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        RecordOutcome failed = outcome.Results[1];
        Assert.Equal(RecordStatus.Failed, failed.Status);
        Assert.Equal(FailureCategory.Validation, failed.Category);
        Assert.Contains("sku-a", failed.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.CountBySourceId(EntityType.Products, "2"));
    }

    [Fact]
    public async Task WriteAsync_SkuUsedByAVariant_IsTaken()
    {
        InMemoryTargetConnector target = new();
        Product variable = Store.Find<Product>("2")!;
        await target.WriteAsync(EntityType.Products, Creates(variable));

        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, Creates(Simple("99", variable.Variants[1].Sku!, "x")));

        Assert.Equal(RecordStatus.Failed, outcome.Results[0].Status);
    }

    [Fact]
    public async Task WriteAsync_DuplicateEmailInAnyCase_FailsWithEmailTaken()
    {
        InMemoryTargetConnector target = new();
        Customer customer5 = Store.Find<Customer>("5")!;
        Customer customer9 = Store.Find<Customer>("9")!;

        BatchOutcome outcome = await target.WriteAsync(EntityType.Customers, Creates(customer5, customer9));

        Assert.NotEqual(customer5.Email, customer9.Email);
        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal(RecordOutcome.Failed("9", FailureCategory.Validation, "Email has already been taken"), outcome.Results[1]);
    }

    [Fact]
    public async Task WriteAsync_DuplicateCouponCode_FailsTheLaterRecord()
    {
        InMemoryTargetConnector target = new();
        Coupon coupon = Store.Find<Coupon>("1")!;

        BatchOutcome outcome = await target.WriteAsync(EntityType.Coupons, Creates(coupon, coupon with { SourceId = "77", Code = coupon.Code.ToLowerInvariant() }));

        Assert.Equal([RecordStatus.Created, RecordStatus.Failed], outcome.Results.Select(r => r.Status));
        Assert.Equal("Discount code has already been taken", outcome.Results[1].Message);
    }

    [Fact]
    public async Task WriteAsync_SameHandle_GetsNumberedSuffixesInTheTargetUrl()
    {
        InMemoryTargetConnector target = new();

        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, Creates(Simple("1", "A", "Blue Shirt"), Simple("2", "B", "blue-shirt"), Simple("3", "C", "BLUE SHIRT")));

        Assert.Equal(["/products/blue-shirt", "/products/blue-shirt-1", "/products/blue-shirt-2"], outcome.Results.Select(r => r.TargetUrl));
        Assert.Equal(["blue-shirt", "blue-shirt-1", "blue-shirt-2"], target.GetRecords(EntityType.Products).Select(r => r.Handle));
    }

    [Fact]
    public async Task WriteAsync_CreateOfAKnownSourceId_CreatesADuplicateAsARealPlatformWould()
    {
        InMemoryTargetConnector target = new();
        Category category = Store.Find<Category>("1")!;

        RecordOutcome first = (await target.WriteAsync(EntityType.Categories, Creates(category))).Results[0];
        RecordOutcome second = (await target.WriteAsync(EntityType.Categories, Creates(category))).Results[0];

        Assert.Equal(RecordStatus.Created, second.Status);
        Assert.NotEqual(first.TargetId, second.TargetId);
        Assert.Equal(2, target.CountBySourceId(EntityType.Categories, "1"));
        Assert.Equal([first.TargetUrl, first.TargetUrl + "-1"], target.FindBySourceId(EntityType.Categories, "1").Select(r => r.TargetUrl));
    }

    [Fact]
    public async Task WriteAsync_CreateOfAKnownProduct_FailsOnItsOwnSku()
    {
        InMemoryTargetConnector target = new();
        Product product = Store.Find<Product>("1")!;
        await target.WriteAsync(EntityType.Products, Creates(product));

        RecordOutcome again = (await target.WriteAsync(EntityType.Products, Creates(product))).Results[0];

        Assert.Equal(RecordStatus.Failed, again.Status);
        Assert.Equal(1, target.CountBySourceId(EntityType.Products, "1"));
    }

    [Fact]
    public async Task WriteAsync_Products_ReturnAChildMappingPerVariant()
    {
        InMemoryTargetConnector target = new();
        Product variable = Store.Find<Product>("2")!;

        RecordOutcome outcome = (await target.WriteAsync(EntityType.Products, Creates(Store.Find<Product>("1")!, variable))).Results[1];

        Assert.Equal(variable.Variants.Select(v => v.SourceId), outcome.Children.Select(c => c.SourceId));
        Assert.Equal(["t-variant-1", "t-variant-2", "t-variant-3"], outcome.Children.Select(c => c.TargetId));
        Assert.Equal("t-products-2", outcome.TargetId);
        Assert.Equal(outcome.Children, target.GetRecord(EntityType.Products, "t-products-2")!.Variants);
    }

    [Fact]
    public async Task WriteAsync_Update_ReplacesTheRecordAndKeepsKnownVariantIds()
    {
        InMemoryTargetConnector target = new();
        Product product = Store.Find<Product>("2")!;
        RecordOutcome created = (await target.WriteAsync(EntityType.Products, Creates(product))).Results[0];
        ProductVariant added = product.Variants[0] with { SourceId = "299", Sku = product.Sku + "-new" };
        Product changed = product with { Name = "Changed", Variants = [product.Variants[0], product.Variants[2], added] };

        RecordOutcome updated = (await target.WriteAsync(EntityType.Products, [new TargetRecord(changed, WriteAction.Update, created.TargetId, null)])).Results[0];

        Assert.Equal(RecordOutcome.Updated("2", created.TargetId!, created.TargetUrl) with { Children = updated.Children }, updated);
        Assert.Equal([created.Children[0], created.Children[2], new ChildMapping("299", "t-variant-4")], updated.Children);
        InMemoryTargetEntry stored = Assert.Single(target.GetRecords(EntityType.Products));
        Assert.Equal("Changed", ((Product)stored.Entity).Name);
        Assert.Equal(2, stored.Version);
        Assert.Equal(2, target.TotalWrites);
    }

    [Fact]
    public async Task WriteAsync_UpdateOfAMissingTargetId_FailsWithValidation()
    {
        InMemoryTargetConnector target = new();

        RecordOutcome outcome = (await target.WriteAsync(EntityType.Pages, [new TargetRecord(Store.Find<Page>("1")!, WriteAction.Update, "t-pages-404", null)])).Results[0];

        Assert.Equal(RecordStatus.Failed, outcome.Status);
        Assert.Equal(FailureCategory.Validation, outcome.Category);
        Assert.Equal(0, target.Count(EntityType.Pages));
    }

    [Fact]
    public async Task WriteAsync_UpdateChangingTheSku_FreesTheOldSku()
    {
        InMemoryTargetConnector target = new();
        Product product = Simple("1", "OLD", "p");
        RecordOutcome created = (await target.WriteAsync(EntityType.Products, Creates(product))).Results[0];
        await target.WriteAsync(EntityType.Products, [new TargetRecord(product with { Sku = "NEW" }, WriteAction.Update, created.TargetId, null)]);

        RecordOutcome other = (await target.WriteAsync(EntityType.Products, Creates(Simple("2", "old", "q")))).Results[0];
        RecordOutcome clash = (await target.WriteAsync(EntityType.Products, Creates(Simple("3", "new", "r")))).Results[0];

        Assert.Equal(RecordStatus.Created, other.Status);
        Assert.Equal(RecordStatus.Failed, clash.Status);
    }

    [Fact]
    public async Task WriteAsync_ResolvedReferences_AreStoredAndUnresolvedOnesReported()
    {
        InMemoryTargetConnector target = new();
        Product product = Store.Find<Product>("2")!;
        Order order = new()
        {
            SourceId = "1",
            Status = OrderStatuses.Completed,
            Currency = "USD",
            CustomerId = "3",
            Lines =
            [
                new OrderLine { SourceId = "11", ProductId = "2", VariantId = product.Variants[0].SourceId, Name = "x" },
                new OrderLine { SourceId = "12", ProductId = "900000001", Name = "deleted" },
            ],
        };
        Dictionary<EntityRef, ResolvedTarget> references = new()
        {
            [EntityRef.Product("2")] = new("t-products-2", "/products/x"),
            [EntityRef.Variant("2", product.Variants[0].SourceId)] = new("t-variant-9", null),
            [new EntityRef(EntityType.Customers, "3")] = new("t-customers-3", null),
        };

        await target.WriteAsync(EntityType.Orders, [new TargetRecord(order, WriteAction.Create, null, references)]);

        InMemoryTargetEntry stored = Assert.Single(target.GetRecords(EntityType.Orders));
        Assert.Equal("t-variant-9", stored.References[EntityRef.Variant("2", product.Variants[0].SourceId)]);
        Assert.Equal("t-customers-3", stored.References[new EntityRef(EntityType.Customers, "3")]);
        Assert.Equal(3, stored.References.Count);
        Assert.Equal(EntityRef.Product("900000001"), Assert.Single(stored.GetUnresolvedReferences()).Target);
        Assert.Equal("1", stored.SourceId);
        Assert.Null(stored.TargetUrl);
    }

    [Fact]
    public async Task WriteAsync_RequireResolvedReferences_FailsRecordsWithAMissingRequiredReference()
    {
        InMemoryTargetConnector target = new() { RequireResolvedReferences = true };
        Review review = Store.Get<Review>().First(r => r.CustomerId is not null);

        RecordOutcome outcome = (await target.WriteAsync(EntityType.Reviews, Creates(review))).Results[0];
        RecordOutcome withProduct = (await target.WriteAsync(EntityType.Reviews, [new TargetRecord(review, WriteAction.Create, null, new Dictionary<EntityRef, ResolvedTarget> { [EntityRef.Product(review.ProductId)] = new("t-p", null) })])).Results[0];

        Assert.Equal(RecordStatus.Failed, outcome.Status);
        Assert.Equal(RecordStatus.Created, withProduct.Status);
    }

    [Fact]
    public async Task WriteAsync_RedirectToAnEntity_PointsAtItsResolvedUrl()
    {
        InMemoryTargetConnector target = new();
        Redirect redirect = new() { SourceId = "1", FromPath = "/old/a.html", TargetEntity = EntityRef.Product("7") };

        RecordOutcome unresolved = (await target.WriteAsync(EntityType.Redirects, Creates(redirect))).Results[0];
        RecordOutcome resolved = (await target.WriteAsync(EntityType.Redirects, [new TargetRecord(redirect, WriteAction.Create, null, new Dictionary<EntityRef, ResolvedTarget> { [EntityRef.Product("7")] = new("t-products-7", "/products/shirt-1") })])).Results[0];
        RecordOutcome samePath = (await target.WriteAsync(EntityType.Redirects, Creates(redirect with { SourceId = "2", TargetEntity = null, ToPath = "/" }))).Results[0];

        Assert.Equal(RecordOutcome.Failed("1", FailureCategory.Validation, "Target can't be blank."), unresolved);
        Assert.Equal(RecordStatus.Created, resolved.Status);
        Assert.Equal("/products/shirt-1", target.GetRecord(EntityType.Redirects, resolved.TargetId!)!.RedirectTo);
        Assert.Equal("Path has already been taken", samePath.Message);
    }

    [Fact]
    public async Task WriteAsync_PreserveIdWhereSupported_UsesTheSourceId()
    {
        InMemoryTargetConnector target = new();
        target.SetLimits(EntityType.Orders, new TargetLimits { SupportsPreserveIds = true });
        Order order = Store.Find<Order>("3")!;

        RecordOutcome preserved = (await target.WriteAsync(EntityType.Orders, [new TargetRecord(order, WriteAction.Create, null, null) { PreserveId = true }])).Results[0];
        RecordOutcome clash = (await target.WriteAsync(EntityType.Orders, [new TargetRecord(order, WriteAction.Create, null, null) { PreserveId = true }])).Results[0];

        Assert.Equal("3", preserved.TargetId);
        Assert.Equal(RecordStatus.Failed, clash.Status);
    }

    [Fact]
    public async Task FindExistingAsync_Identities_MatchBySourceIdThenByNaturalKey()
    {
        InMemoryTargetConnector target = new();
        Product product = Store.Find<Product>("2")!;
        Customer customer = Store.Find<Customer>("4")!;
        RecordOutcome createdProduct = (await target.WriteAsync(EntityType.Products, Creates(product))).Results[0];
        RecordOutcome createdCustomer = (await target.WriteAsync(EntityType.Customers, Creates(customer))).Results[0];

        IReadOnlyList<ExistingTarget> products = await target.FindExistingAsync(EntityType.Products, [new(EntityType.Products, "2"), new(EntityType.Products, "88", product.Sku!.ToLowerInvariant()), new(EntityType.Products, "89", "unknown")]);
        IReadOnlyList<ExistingTarget> customers = await target.FindExistingAsync(EntityType.Customers, [new(EntityType.Customers, "70", customer.Email!.ToUpperInvariant())]);

        // A natural-key match reports the source id the record carries, so the engine never adopts it for another source record.
        Assert.Equal(2, products.Count);
        Assert.All(products, p => Assert.Equal(createdProduct.TargetId, p.TargetId));
        Assert.Equal(["2", "2"], products.Select(p => p.SourceId));
        Assert.Equal(createdProduct.Children, products[0].Children);
        Assert.Equal(new ExistingTarget("4", createdCustomer.TargetId!, null), Assert.Single(customers) with { Children = [] });
    }

    [Fact]
    public async Task FindExistingAsync_Duplicates_ReturnsTheOldest()
    {
        InMemoryTargetConnector target = new();
        Page page = Store.Find<Page>("2")!;
        RecordOutcome first = (await target.WriteAsync(EntityType.Pages, Creates(page))).Results[0];
        await target.WriteAsync(EntityType.Pages, Creates(page));

        ExistingTarget found = Assert.Single(await target.FindExistingAsync(EntityType.Pages, [page.GetIdentity()]));

        Assert.Equal(first.TargetId, found.TargetId);
        Assert.Equal(2, target.CountBySourceId(EntityType.Pages, "2"));
    }

    [Fact]
    public async Task RejectRecord_Predicate_FailsOnlyMatchingRecords()
    {
        InMemoryTargetConnector target = new() { RejectRecord = e => e.SourceId == "2" ? "Postal code is invalid for the country." : null };

        BatchOutcome outcome = await target.WriteAsync(EntityType.Customers, Creates(Store.Find<Customer>("1")!, Store.Find<Customer>("2")!, Store.Find<Customer>("3")!));

        Assert.Equal([RecordStatus.Created, RecordStatus.Failed, RecordStatus.Created], outcome.Results.Select(r => r.Status));
        Assert.Equal("Postal code is invalid for the country.", outcome.Results[1].Message);
        Assert.Equal(2, target.Count(EntityType.Customers));
    }

    [Fact]
    public async Task RejectBatchWhen_BatchWithABadRecord_ThrowsANonTransientValidationFailureAndWritesNothing()
    {
        InMemoryTargetConnector target = new() { RejectBatchWhen = e => e.SourceId == "3" };

        MigrationException ex = await Assert.ThrowsAsync<MigrationException>(
            () => target.WriteAsync(EntityType.Customers, Creates(Store.Find<Customer>("1")!, Store.Find<Customer>("3")!)).AsTask());
        BatchOutcome rest = await target.WriteAsync(EntityType.Customers, Creates(Store.Find<Customer>("1")!));

        Assert.Equal(FailureCategory.Validation, ex.Category);
        Assert.False(ex.IsTransient);
        Assert.Equal(RecordStatus.Created, rest.Results[0].Status);
        Assert.Equal(1, target.Count(EntityType.Customers));
    }

    [Fact]
    public async Task FailBatch_BeforeWrite_ThrowsTransientAndWritesNothing()
    {
        InMemoryTargetConnector target = new() { FailBatch = (type, index) => index == 0 ? TransientFailureTiming.BeforeWrite : null };
        Page page = Store.Find<Page>("1")!;

        MigrationException ex = await Assert.ThrowsAsync<MigrationException>(() => target.WriteAsync(EntityType.Pages, Creates(page)).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.Equal(0, target.CountBySourceId(EntityType.Pages, "1"));
        Assert.Equal(RecordStatus.Created, (await target.WriteAsync(EntityType.Pages, Creates(page))).Results[0].Status);
        Assert.Equal(1, target.InjectedFailures);
    }

    [Fact]
    public async Task FailBatch_AfterWrite_ThrowsTransientButTheWriteLanded()
    {
        InMemoryTargetConnector target = new() { FailBatch = (type, index) => type == EntityType.Pages && index == 1 ? TransientFailureTiming.AfterWrite : null };
        await target.WriteAsync(EntityType.Pages, Creates(Store.Find<Page>("1")!));

        MigrationException ex = await Assert.ThrowsAsync<MigrationException>(() => target.WriteAsync(EntityType.Pages, Creates(Store.Find<Page>("2")!)).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Equal(1, target.CountBySourceId(EntityType.Pages, "2"));
        Assert.Single(await target.FindExistingAsync(EntityType.Pages, [new(EntityType.Pages, "2")]));
        Assert.Equal(2, target.TotalWrites);
    }

    [Fact]
    public async Task TransientFailureRate_WithACap_FailsThenLetsWritesThrough()
    {
        InMemoryTargetConnector target = new() { TransientFailureRate = 1.0, MaxTransientFailures = 2 };
        Tax tax = Store.Find<Tax>("1")!;

        await Assert.ThrowsAsync<MigrationException>(() => target.WriteAsync(EntityType.Taxes, Creates(tax)).AsTask());
        await Assert.ThrowsAsync<MigrationException>(() => target.WriteAsync(EntityType.Taxes, Creates(tax)).AsTask());
        BatchOutcome third = await target.WriteAsync(EntityType.Taxes, Creates(tax));

        Assert.Equal(RecordStatus.Created, third.Results[0].Status);
        Assert.Equal(2, target.InjectedFailures);
        Assert.Equal(3, target.WriteCalls);
    }

    [Fact]
    public async Task TransientFailureRate_SameSeed_FailsTheSameWrites()
    {
        async Task<string> PatternAsync(int seed)
        {
            InMemoryTargetConnector target = new(seed: seed) { TransientFailureRate = 0.4, TransientFailureTiming = TransientFailureTiming.Either };
            char[] pattern = new char[40];
            for (int i = 0; i < pattern.Length; i++)
            {
                int before = (int)target.TotalWrites;
                try
                {
                    await target.WriteAsync(EntityType.Categories, Creates(Store.Find<Category>("1")!));
                    pattern[i] = 'o';
                }
                catch (MigrationException)
                {
                    pattern[i] = target.TotalWrites > before ? 'A' : 'B';
                }
            }

            return new string(pattern);
        }

        string first = await PatternAsync(5);

        Assert.Equal(first, await PatternAsync(5));
        Assert.NotEqual(first, await PatternAsync(6));
        Assert.Contains('A', first);
        Assert.Contains('B', first);
        Assert.Contains('o', first);
    }

    [Fact]
    public async Task AuthenticationFailure_CheckFailsAndEveryCallThrows()
    {
        InMemoryTargetConnector target = new() { AuthenticationFailure = true };

        ConnectorCheck check = await target.CheckAsync();
        MigrationConfigurationException write = await Assert.ThrowsAsync<MigrationConfigurationException>(() => target.WriteAsync(EntityType.Pages, Creates(Store.Find<Page>("1")!)).AsTask());
        await Assert.ThrowsAsync<MigrationConfigurationException>(() => target.FindExistingAsync(EntityType.Pages, [new(EntityType.Pages, "1")]).AsTask());
        await Assert.ThrowsAsync<MigrationConfigurationException>(() => target.LinkAsync(EntityType.Pages, []).AsTask());
        await Assert.ThrowsAsync<MigrationConfigurationException>(() => target.ClearAsync(EntityType.Pages).AsTask());

        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Authentication, check.Category);
        Assert.Equal(FailureCategory.Authentication, write.Category);
        Assert.Equal(0, target.Count(EntityType.Pages));
    }

    [Fact]
    public async Task BatchLatency_WaitsOnTheTimeProviderAndTracksConcurrency()
    {
        FakeTimeProvider time = new();
        InMemoryTargetConnector target = new(timeProvider: time) { BatchLatency = TimeSpan.FromSeconds(2) };

        Task<BatchOutcome>[] writes = [.. Enumerable.Range(1, 3).Select(i => target.WriteAsync(EntityType.Taxes, Creates(Store.Find<Tax>(i.ToString(System.Globalization.CultureInfo.InvariantCulture))!)).AsTask())];
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        Assert.Equal(0, target.Count(EntityType.Taxes));

        time.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(writes);

        Assert.Equal(3, target.MaxObservedConcurrency);
        Assert.Equal(3, target.Count(EntityType.Taxes));
    }

    [Fact]
    public async Task WriteAsync_UnsupportedType_FailsEveryRecordAsUnsupported()
    {
        InMemoryTargetConnector target = new();
        target.MarkUnsupported(EntityType.Reviews, "Shopify has no reviews API.");

        BatchOutcome outcome = await target.WriteAsync(EntityType.Reviews, Creates(Store.Find<Review>("1")!, Store.Find<Review>("2")!));

        Assert.All(outcome.Results, r => Assert.Equal(RecordOutcome.Failed(r.SourceId, FailureCategory.Unsupported, "Shopify has no reviews API."), r));
        Assert.False(target.GetLimits(EntityType.Reviews).IsSupported);
        Assert.True(target.GetLimits(EntityType.Products).IsSupported);
        Assert.Equal(0, target.Count(EntityType.Reviews));
    }

    [Fact]
    public async Task WriteAsync_BatchLargerThanTheLimit_ThrowsArgumentException()
    {
        InMemoryTargetConnector target = new();
        target.SetLimits(EntityType.Taxes, new TargetLimits { MaxBatchSize = 2 });

        await Assert.ThrowsAsync<ArgumentException>(() => target.WriteAsync(EntityType.Taxes, Creates([.. Store.Get(EntityType.Taxes).Take(3)])).AsTask());
        Assert.Equal(2, target.GetLimits(EntityType.Taxes).MaxBatchSize);
    }

    [Fact]
    public async Task ClearAsync_Type_RemovesOnlyThatTypeAndNeverReusesIds()
    {
        InMemoryTargetConnector target = new();
        await target.WriteAsync(EntityType.Pages, Creates(Store.Find<Page>("1")!));
        await target.WriteAsync(EntityType.BlogPosts, Creates(Store.Find<BlogPost>("1")!));

        await target.ClearAsync(EntityType.Pages);
        RecordOutcome again = (await target.WriteAsync(EntityType.Pages, Creates(Store.Find<Page>("1")!))).Results[0];

        Assert.Equal(1, target.ClearCount);
        Assert.Equal(1, target.Count(EntityType.Pages));
        Assert.Equal(1, target.Count(EntityType.BlogPosts));
        Assert.Equal("t-pages-2", again.TargetId);
        Assert.Equal("/pages/about-us", again.TargetUrl);
    }

    [Fact]
    public async Task LinkAsync_Links_AreStoredIdempotentlyAndReportedAsUpdates()
    {
        InMemoryTargetConnector target = new();
        Category child = Store.Find<Category>("2")!;
        RecordOutcome created = (await target.WriteAsync(EntityType.Categories, Creates(child))).Results[0];
        EntityReference parent = child.GetReferences().Single();
        LinkRecord link = new("2", created.TargetId!, [new ResolvedLink(parent, new ResolvedTarget("t-categories-9", "/collections/x"))]);

        BatchOutcome first = await target.LinkAsync(EntityType.Categories, [link, link with { TargetId = "t-categories-404" }]);
        await target.LinkAsync(EntityType.Categories, [link]);

        Assert.Equal(RecordOutcome.Updated("2", created.TargetId!, created.TargetUrl), first.Results[0]);
        Assert.Equal(RecordStatus.Failed, first.Results[1].Status);
        InMemoryTargetEntry stored = target.GetRecord(EntityType.Categories, created.TargetId!)!;
        Assert.Equal("t-categories-9", Assert.Single(stored.References).Value);
        Assert.Empty(stored.GetUnresolvedReferences());
        Assert.Equal(3, stored.Version);
        Assert.Equal(2, target.LinkCalls);
    }

    [Fact]
    public async Task WriteAsync_UpdateAfterALink_KeepsTheLinkedReference()
    {
        InMemoryTargetConnector target = new();
        Category child = Store.Find<Category>("2")!;
        RecordOutcome created = (await target.WriteAsync(EntityType.Categories, Creates(child))).Results[0];
        EntityReference parent = child.GetReferences().Single();
        await target.LinkAsync(EntityType.Categories, [new LinkRecord("2", created.TargetId!, [new ResolvedLink(parent, new ResolvedTarget("t-categories-9", null))])]);

        await target.WriteAsync(EntityType.Categories, [new TargetRecord(child with { Name = "Renamed" }, WriteAction.Update, created.TargetId, null)]);
        Assert.Equal("t-categories-9", target.GetRecord(EntityType.Categories, created.TargetId!)!.References[parent.Target]);

        await target.WriteAsync(EntityType.Categories, [new TargetRecord(child with { ParentId = null }, WriteAction.Update, created.TargetId, null)]);

        Assert.Empty(target.GetRecord(EntityType.Categories, created.TargetId!)!.References);
    }

    private static Product Simple(string id, string sku, string slug)
        => new() { SourceId = id, Name = "Product " + id, Sku = sku, Slug = slug, Price = new Money(10m, "USD") };

    private static TargetRecord[] Creates(params Entity[] entities) => [.. entities.Select(e => new TargetRecord(e, WriteAction.Create, null, null))];
}
