using System.Globalization;
using System.Text.Json;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing.Tests;

public sealed class SampleStoreGeneratorTests
{
    private static readonly SampleStore Default = SampleStoreGenerator.Generate();

    [Fact]
    public void Generate_SameSeed_ProducesIdenticalRecords()
    {
        SampleStoreOptions options = new() { Seed = 1234 };

        string first = Serialize(SampleStoreGenerator.Generate(options));
        string second = Serialize(SampleStoreGenerator.Generate(options));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeed_ProducesDifferentRecords()
        => Assert.NotEqual(Serialize(SampleStoreGenerator.Generate(1)), Serialize(SampleStoreGenerator.Generate(2)));

    [Fact]
    public void Generate_OtherTypesCount_DoesNotChangeIndependentTypes()
    {
        SampleStore small = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 9, Products = 20, Orders = 40 });
        SampleStore large = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 9, Products = 70, Orders = 90 });

        foreach (EntityType type in new[] { EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Customers, EntityType.Pages, EntityType.BlogPosts })
        {
            Assert.Equal(Serialize(small.Get(type)), Serialize(large.Get(type)));
        }

        Assert.Equal(small.Get<Product>().Select(p => p.Kind), large.Get<Product>().Take(20).Select(p => p.Kind));
    }

    [Fact]
    public void Generate_Defaults_HasTheRequestedCountsWithSequentialIds()
    {
        SampleStoreOptions options = new();
        foreach (EntityType type in EntityTypes.All)
        {
            IReadOnlyList<Entity> records = Default.Get(type);
            Assert.Equal(options.GetCount(type), records.Count);
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), records.Select(r => r.SourceId));
            Assert.All(records, r => Assert.Equal(type, r.Type));
        }

        Assert.Equal(EntityTypes.All.Sum(options.GetCount), Default.TotalCount);
        Assert.Equal(Default.TotalCount, Default.All.LongCount());
    }

    [Fact]
    public void Generate_Timestamps_AreUtcAfterTheBaseAndIncreaseWithTheId()
    {
        DateTimeOffset start = SampleStoreOptions.DefaultBaseTime;
        DateTimeOffset end = start.AddDays(2 * 365);
        foreach (EntityType type in EntityTypes.All)
        {
            DateTimeOffset previous = start;
            foreach (Entity entity in Default.Get(type))
            {
                Assert.NotNull(entity.CreatedAt);
                Assert.NotNull(entity.UpdatedAt);
                DateTimeOffset created = entity.CreatedAt.Value;
                Assert.Equal(TimeSpan.Zero, created.Offset);
                Assert.Equal(TimeSpan.Zero, entity.UpdatedAt.Value.Offset);
                Assert.InRange(created, previous, end);
                Assert.InRange(entity.UpdatedAt.Value, created, end);
                previous = created;
            }
        }
    }

    [Fact]
    public void Generate_Categories_HaveADepthFourChainWhoseChildrenComeBeforeTheirParents()
    {
        Category Cat(string id) => Default.Find<Category>(id)!;

        Assert.Null(Cat("1").ParentId);
        Assert.Equal("1", Cat("5").ParentId);
        Assert.Equal("5", Cat("4").ParentId);
        Assert.Equal("4", Cat("3").ParentId);
        Assert.Equal("3", Cat("2").ParentId);
        Assert.Equal(4, Depth("2"));

        SampleStoreEdgeCases edges = Default.FindEdgeCases();
        Assert.True(edges.MaxCategoryDepth >= 4);
        Assert.Subset(edges.ChildBeforeParentCategoryIds.ToHashSet(), new HashSet<string> { "2", "3", "4" });

        int Depth(string id)
        {
            int depth = 0;
            for (string? parent = Cat(id).ParentId; parent is not null; parent = Cat(parent).ParentId)
            {
                depth++;
            }

            return depth;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(77)]
    public void Generate_LargeCategoryTree_HasNoCyclesAndOnlyExistingParents(int seed)
    {
        SampleStore store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = seed, Categories = 500 });
        Dictionary<string, string?> parents = store.Get<Category>().ToDictionary(c => c.SourceId, c => c.ParentId);

        foreach (string id in parents.Keys)
        {
            int steps = 0;
            for (string? parent = parents[id]; parent is not null; parent = parents[parent])
            {
                Assert.True(parents.ContainsKey(parent), $"Category {id} has a missing ancestor {parent}.");
                Assert.True(++steps < parents.Count, $"Category {id} is in a cycle.");
            }
        }

        Assert.True(store.FindEdgeCases().ChildBeforeParentCategoryIds.Count > 3, "The random part of the tree also puts children before parents.");
    }

    [Fact]
    public void Generate_Products_HaveEveryKindAtThePlantedIds()
    {
        Product Prod(string id) => Default.Find<Product>(id)!;

        Assert.Equal(ProductKind.Simple, Prod("1").Kind);
        Assert.Equal(ProductKind.Variable, Prod("2").Kind);
        Assert.Equal(ProductKind.Variable, Prod("3").Kind);
        Assert.Equal(ProductKind.Grouped, Prod("4").Kind);
        Assert.Equal(ProductKind.External, Prod("5").Kind);
        Assert.NotEmpty(Prod("4").GroupedIds);
        Assert.All(Prod("4").GroupedIds, id => Assert.Equal(ProductKind.Simple, Prod(id).Kind));
        Assert.StartsWith("https://partner.example.test/", Prod("5").ExternalUrl, StringComparison.Ordinal);
        Assert.Empty(Prod("1").Variants);
    }

    [Fact]
    public void Generate_VariableProducts_HaveSizeColorVariantsAndAnAnyValueVariant()
    {
        Product product3 = Default.Find<Product>("3")!;
        ProductVariant anyValue = product3.Variants[^1];
        Assert.Contains(new OptionValue("Color", null), anyValue.OptionValues);
        Assert.Contains("3", Default.FindEdgeCases().AnyValueVariantProductIds);

        foreach (Product product in Default.Get<Product>().Where(p => p.Kind == ProductKind.Variable))
        {
            Assert.Equal(3, product.Variants.Count);
            Assert.Equal(["Size", "Color"], product.Options.Select(o => o.Name));
            Assert.Equal(product.Variants.Count, product.Variants.Select(v => v.SourceId).Distinct().Count());
            foreach (ProductVariant variant in product.Variants)
            {
                Assert.StartsWith(product.SourceId, variant.SourceId, StringComparison.Ordinal);
                Assert.Equal(["Size", "Color"], variant.OptionValues.Select(o => o.Name));
                foreach (OptionValue value in variant.OptionValues.Where(o => o.Value is not null))
                {
                    Assert.Contains(value.Value, product.Options.Single(o => o.Name == value.Name).Values);
                }
            }
        }
    }

    [Fact]
    public void Generate_VariantsPerVariableProduct_IsHonoured()
    {
        SampleStore store = SampleStoreGenerator.Generate(new SampleStoreOptions { VariantsPerVariableProduct = 30 });

        Product product = store.Find<Product>("2")!;
        Assert.Equal(30, product.Variants.Count);
        Assert.Equal(30, product.Variants.Select(v => string.Join("/", v.OptionValues.Select(o => o.Value))).Distinct().Count());
    }

    [Fact]
    public void Generate_Products_HaveUniqueSkusAndSlugsAndTheirUrlScheme()
    {
        List<Product> products = [.. Default.Get<Product>()];
        List<string> skus = [.. products.Select(p => p.Sku!).Concat(products.SelectMany(p => p.Variants).Select(v => v.Sku!))];

        Assert.Equal(skus.Count, skus.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(products.Count, products.Select(p => p.Slug).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(products, p =>
        {
            Assert.Equal($"/product/{p.Slug}/", p.Url);
            Assert.InRange(p.CategoryIds.Count, 1, 3);
            Assert.All(p.Images, i => Assert.StartsWith("https://images.example.test/", i.Url, StringComparison.Ordinal));
        });
        Assert.Contains(products, p => p.ManufacturerId is not null);
        Assert.Contains(products, p => p.ManufacturerId is null);
        Assert.NotEmpty(Default.FindEdgeCases().ProductsWithoutImagesIds);
    }

    [Fact]
    public void Generate_ProductLinks_PointAtOtherExistingProductsIncludingHigherIds()
    {
        Product first = Default.Find<Product>("1")!;
        Assert.Equal(["2", "3", "4"], first.RelatedIds);
        Assert.Equal(["50"], first.UpsellIds);
        foreach (Product product in Default.Get<Product>())
        {
            foreach (string id in product.RelatedIds.Concat(product.UpsellIds).Concat(product.CrossSellIds).Concat(product.GroupedIds))
            {
                Assert.NotEqual(product.SourceId, id);
                Assert.NotNull(Default.Find<Product>(id));
            }
        }

        Assert.True(Default.FindEdgeCases().ForwardLinkedProductIds.Count > 5);
    }

    [Fact]
    public void Generate_Customers_DuplicateEmailsOnlyAtTheDocumentedIds()
    {
        Customer Cust(string id) => Default.Find<Customer>(id)!;

        Assert.Equal(Cust("3").Email, Cust("7").Email);
        Assert.Equal(Cust("5").Email, Cust("9").Email, ignoreCase: true);
        Assert.NotEqual(Cust("5").Email, Cust("9").Email);
        SampleStoreEdgeCases edges = Default.FindEdgeCases();
        Assert.Equal(["7", "9"], edges.DuplicateEmailCustomerIds);
        Assert.Equal(["9"], edges.CaseOnlyDuplicateEmailCustomerIds);

        SampleStore large = SampleStoreGenerator.Generate(SampleStoreOptions.Scale(3_000));
        Assert.Equal(["7", "9", "1007", "1009", "2007", "2009"], large.FindEdgeCases().DuplicateEmailCustomerIds);
    }

    [Fact]
    public void Generate_Customers_HaveOneOrTwoAddressesAndOneIncompleteAddress()
    {
        Assert.All(Default.Get<Customer>(), c =>
        {
            Assert.InRange(c.Addresses.Count, 1, 2);
            Assert.True(CustomerGroups.IsCanonical(c.Group));
            Assert.EndsWith("example.test", c.Email!, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(["11"], Default.FindEdgeCases().IncompleteAddressCustomerIds);
        Assert.Null(Default.Find<Customer>("11")!.Addresses[0].City);
    }

    [Fact]
    public void Generate_Orders_TenPercentAreGuestOrders()
    {
        List<Order> guests = [.. Default.Get<Order>().Where(o => o.CustomerId is null)];

        Assert.Equal(Default.Count(EntityType.Orders) / 10, guests.Count);
        Assert.All(guests, o =>
        {
            Assert.EndsWith("2", o.SourceId, StringComparison.Ordinal);
            Assert.NotNull(o.Email);
        });
        SampleStoreEdgeCases edges = Default.FindEdgeCases();
        Assert.Equal(["12", "32", "52", "72"], edges.GuestOrdersWithCustomerEmailIds);
    }

    [Fact]
    public void Generate_Orders_ReferenceDeletedCustomersAndProductsAtTheDocumentedIds()
    {
        SampleStoreEdgeCases edges = Default.FindEdgeCases();

        Assert.Equal(["8", "33", "58"], edges.DeletedCustomerOrderIds);
        Assert.Equal(["9", "29", "49", "69"], edges.DeletedProductLineOrderIds);
        Assert.Equal(["33"], edges.CustomLineOrderIds);
        Order order = Default.Find<Order>("8")!;
        Assert.Equal((SampleStoreGenerator.DeletedIdBase + 8).ToString(CultureInfo.InvariantCulture), order.CustomerId);
        OrderLine deleted = Default.Find<Order>("9")!.Lines[^1];
        Assert.Null(Default.Find<Product>(deleted.ProductId!));
        Assert.Equal("Discontinued item 9", deleted.Name);
        Assert.NotNull(deleted.Sku);
    }

    [Fact]
    public void Generate_OrderLines_OfVariableProductsCarryAnExistingVariantId()
    {
        int variantLines = 0;
        foreach (OrderLine line in Default.Get<Order>().SelectMany(o => o.Lines))
        {
            Product? product = line.ProductId is null ? null : Default.Find<Product>(line.ProductId);
            if (product is null)
            {
                Assert.Null(line.VariantId);
                continue;
            }

            Assert.NotEqual(ProductKind.Grouped, product.Kind);
            if (product.Kind == ProductKind.Variable)
            {
                variantLines++;
                ProductVariant variant = Assert.Single(product.Variants, v => v.SourceId == line.VariantId);
                Assert.Equal(variant.Sku, line.Sku);
            }
            else
            {
                Assert.Null(line.VariantId);
            }
        }

        Assert.True(variantLines > 10);
    }

    [Fact]
    public void Generate_Orders_ShareTimestampsAndCoverEveryStatus()
    {
        Order Ord(string id) => Default.Find<Order>(id)!;

        Assert.Equal(Ord("5").CreatedAt, Ord("6").CreatedAt);
        Assert.Equal(Ord("5").CreatedAt, Ord("7").CreatedAt);
        Assert.True(Ord("8").CreatedAt > Ord("7").CreatedAt);
        Assert.Equal(24, Default.FindEdgeCases().SharedCreatedAtOrderIds.Count);
        Assert.Equal(OrderStatuses.All, Enumerable.Range(1, 7).Select(i => Ord(i.ToString(CultureInfo.InvariantCulture)).Status));
        Assert.All(Default.Get<Order>(), o => Assert.True(OrderStatuses.IsCanonical(o.Status), o.Status));
    }

    [Fact]
    public void Generate_Orders_TotalsAddUp()
    {
        Assert.All(Default.Get<Order>(), o =>
        {
            Assert.NotEmpty(o.Lines);
            Assert.Equal(o.Lines.Sum(l => l.Total.Amount), o.Subtotal!.Value.Amount);
            Assert.Equal(o.Subtotal!.Value.Amount + o.ShippingTotal!.Value.Amount + o.TaxTotal!.Value.Amount - o.DiscountTotal!.Value.Amount, o.Total.Amount);
            Assert.All(o.Lines, l => Assert.Equal(l.UnitPrice.Amount * l.Quantity, l.Total.Amount));
            Assert.Equal("USD", o.Currency);
        });
    }

    [Fact]
    public void Generate_Reviews_IncludeGuestReviewsOfExistingProducts()
    {
        SampleStoreEdgeCases edges = Default.FindEdgeCases();

        Assert.Equal(Default.Get<Review>().Where(r => int.Parse(r.SourceId, CultureInfo.InvariantCulture) % 4 == 3).Select(r => r.SourceId), edges.GuestReviewIds);
        Assert.All(Default.Get<Review>(), r =>
        {
            Assert.NotNull(Default.Find<Product>(r.ProductId));
            Assert.NotNull(r.ReviewerName);
            Assert.NotNull(r.ReviewerEmail);
            Assert.InRange(r.Rating, 1, 5);
        });
    }

    [Fact]
    public void Generate_Coupons_HaveUniqueCodesAndRestrictions()
    {
        List<Coupon> coupons = [.. Default.Get<Coupon>()];

        Assert.Equal(coupons.Count, coupons.Select(c => c.Code).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("WELCOME1", coupons[0].Code);
        Assert.NotEmpty(coupons[0].ProductIds);
        Assert.NotEmpty(coupons[1].CategoryIds);
        Assert.NotEmpty(coupons[3].ExcludedProductIds);
        Assert.NotEmpty(coupons[4].EmailRestrictions);
        Assert.Contains(Default.Get<Order>(), o => o.CouponCodes.Count > 0 && o.CouponCodes.All(code => coupons.Any(c => c.Code == code)));
    }

    [Fact]
    public void Generate_PagesPostsAndRedirects_HaveTheirUrls()
    {
        Assert.All(Default.Get<Page>(), p => Assert.Equal($"/{p.Slug}/", p.Url));
        Assert.All(Default.Get<BlogPost>(), b => Assert.Equal($"/blog/{b.Slug}/", b.Url));
        List<Redirect> redirects = [.. Default.Get<Redirect>()];
        Assert.Equal(redirects.Count, redirects.Select(r => r.FromPath).Distinct().Count());
        Assert.All(redirects, r =>
        {
            Assert.StartsWith("/", r.FromPath, StringComparison.Ordinal);
            Assert.True(r.ToPath is null != r.TargetEntity is null, $"Redirect {r.SourceId} has one destination.");
        });
        Assert.Equal(["4", "8", "12"], Default.FindEdgeCases().EntityRedirectIds);
    }

    [Fact]
    public void Generate_EveryReference_ResolvesInTheStoreExceptDeletedRecords()
    {
        int checkedReferences = 0;
        foreach (Entity entity in Default.All)
        {
            foreach (EntityReference reference in entity.GetReferences())
            {
                checkedReferences++;
                EntityRef target = reference.Target;
                if (long.Parse(target.OwnerSourceId, CultureInfo.InvariantCulture) > SampleStoreGenerator.DeletedIdBase)
                {
                    Assert.Equal(EntityType.Orders, entity.Type);
                    continue;
                }

                Entity? owner = Default.Find(target.Type, target.OwnerSourceId);
                Assert.True(owner is not null, $"{entity.Type}:{entity.SourceId} references missing {target}.");
                if (target.IsChild)
                {
                    string variantId = target.SourceId[(target.OwnerSourceId.Length + 1)..];
                    Assert.Contains(((Product)owner).Variants, v => v.SourceId == variantId);
                }
            }
        }

        Assert.True(checkedReferences > 500);
    }

    [Fact]
    public void FindEdgeCases_DefaultStore_FindsEveryPlantedEdgeCase()
    {
        SampleStoreEdgeCases edges = Default.FindEdgeCases();

        Assert.NotEmpty(edges.GuestOrderIds);
        Assert.NotEmpty(edges.GuestOrdersWithCustomerEmailIds);
        Assert.NotEmpty(edges.DeletedCustomerOrderIds);
        Assert.NotEmpty(edges.DeletedProductLineOrderIds);
        Assert.NotEmpty(edges.CustomLineOrderIds);
        Assert.NotEmpty(edges.SharedCreatedAtOrderIds);
        Assert.NotEmpty(edges.DuplicateEmailCustomerIds);
        Assert.NotEmpty(edges.CaseOnlyDuplicateEmailCustomerIds);
        Assert.NotEmpty(edges.IncompleteAddressCustomerIds);
        Assert.NotEmpty(edges.ChildBeforeParentCategoryIds);
        Assert.True(edges.MaxCategoryDepth >= 4);
        Assert.NotEmpty(edges.VariableProductIds);
        Assert.NotEmpty(edges.AnyValueVariantProductIds);
        Assert.NotEmpty(edges.GroupedProductIds);
        Assert.NotEmpty(edges.ExternalProductIds);
        Assert.NotEmpty(edges.ForwardLinkedProductIds);
        Assert.NotEmpty(edges.ProductsWithoutImagesIds);
        Assert.NotEmpty(edges.GuestReviewIds);
        Assert.NotEmpty(edges.EntityRedirectIds);
    }

    [Fact]
    public void Generate_ScaleOfAHundredThousandProducts_EveryProductWithSequentialIds()
    {
        // Generation speed is a benchmark concern (benchmarks/), never a test assertion.
        SampleStore store = SampleStoreGenerator.Generate(new SampleStoreOptions { Products = 100_000 });

        Assert.Equal(100_000, store.Count(EntityType.Products));
        Assert.Equal("100000", store.Get(EntityType.Products)[^1].SourceId);
    }

    [Fact]
    public void Scale_Products_KeepsProportionsAndEdgeCases()
    {
        SampleStoreOptions options = SampleStoreOptions.Scale(1_000, seed: 5);
        SampleStore store = SampleStoreGenerator.Generate(options);

        Assert.Equal(1_000, store.Count(EntityType.Products));
        Assert.Equal(750, store.Count(EntityType.Customers));
        Assert.Equal(1_500, store.Count(EntityType.Orders));
        Assert.Equal(150, store.FindEdgeCases().GuestOrderIds.Count);
        Assert.Equal(5, options.Seed);
    }

    [Fact]
    public void Generate_ZeroCounts_ProducesAnEmptyButValidStore()
    {
        SampleStoreOptions options = EntityTypes.All.Aggregate(new SampleStoreOptions(), (o, t) => o.WithCount(t, 0));

        SampleStore store = SampleStoreGenerator.Generate(options with { Orders = 15, Reviews = 3 });

        Assert.Equal(18, store.TotalCount);
        Assert.All(store.Get<Order>(), o => Assert.Null(o.CustomerId));
        Assert.All(store.Get<Order>().SelectMany(o => o.Lines), l => Assert.True(l.ProductId is null || long.Parse(l.ProductId, CultureInfo.InvariantCulture) > SampleStoreGenerator.DeletedIdBase));
    }

    [Fact]
    public void Generate_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => SampleStoreGenerator.Generate(new SampleStoreOptions { Products = -1 }));
        Assert.Throws<ArgumentException>(() => SampleStoreGenerator.Generate(new SampleStoreOptions { VariantsPerVariableProduct = 31 }));
        Assert.Throws<ArgumentException>(() => SampleStoreGenerator.Generate(new SampleStoreOptions { BaseTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleStoreOptions().WithCount(EntityType.Orders, -5));
    }

    [Fact]
    public void Generate_SourceIds_AreInSourceIdComparerOrder()
    {
        SampleStore store = SampleStoreGenerator.Generate(new SampleStoreOptions { Products = 120 });
        IReadOnlyList<Entity> products = store.Get(EntityType.Products);

        Assert.Equal(products.Select(p => p.SourceId).Order(SourceIdComparer.Instance), products.Select(p => p.SourceId));
        Assert.Equal("10", products[9].SourceId);
    }

    private static string Serialize(SampleStore store) => Serialize(store.All);

    private static string Serialize(IEnumerable<Entity> entities)
        => string.Join('\n', entities.Select(e => JsonSerializer.Serialize(e, e.GetType())));
}
