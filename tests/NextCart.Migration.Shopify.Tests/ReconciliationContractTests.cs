using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>
/// Reconciliation contract of the Shopify target: after a lost response, <see cref="ITargetConnector.FindExistingAsync"/> finds
/// the record through Shopify's documented lookups, however many records were created after it.
/// </summary>
public sealed class ReconciliationContractTests
{
    private static TargetRecord Create(Entity entity) => new(entity, WriteAction.Create, null, null);

    private static async Task<ShopifySandbox> EmptyShopAsync() => await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });

    private static void AssertWritten(BatchOutcome outcome)
        => Assert.All(outcome.Results, r => Assert.True(r.Status != RecordStatus.Failed, $"{r.SourceId}: {r.Category} {r.Message}"));

    /// <summary>
    /// A create that landed but whose response was lost, followed by 120 newer records of the same type: a connector of another
    /// process (no memory of the write) finds it by the documented lookup (collection by custom id, discount by code, page and
    /// article by handle), so the engine adopts it instead of creating a duplicate.
    /// </summary>
    [Theory]
    [InlineData(EntityType.Categories)]
    [InlineData(EntityType.Coupons)]
    [InlineData(EntityType.Pages)]
    [InlineData(EntityType.BlogPosts)]
    public async Task FindExistingAsync_LostCreateBeyondTheNewest100_FoundByAnotherConnector(EntityType type)
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector writer = Shops.Target(shop, http);
        Entity lost = Content(type, 0, withSlug: type != EntityType.Categories);
        RecordOutcome created = await WriteThen120NewerAsync(writer, lost);
        int before = Count(shop, type);

        ITargetConnector resumed = Shops.Target(shop, http);
        IReadOnlyList<ExistingTarget> found = await resumed.FindExistingAsync(type, [lost.GetIdentity()]);

        Assert.Equal(RecordStatus.Created, created.Status);
        Assert.Equal(121, before);
        Assert.Equal((lost.SourceId, created.TargetId), (Assert.Single(found).SourceId, found[0].TargetId));
    }

    /// <summary>
    /// A page or article without a slug is written with the handle of its title, or of its source id when the title makes no
    /// handle; its identity carries the title, so a connector of another process looks it up by the same handle.
    /// </summary>
    [Theory]
    [InlineData(EntityType.Pages, "Page 0")]
    [InlineData(EntityType.BlogPosts, "Post 0")]
    [InlineData(EntityType.Pages, "★ ★ ★")]
    [InlineData(EntityType.BlogPosts, "!!!")]
    public async Task FindExistingAsync_LostCreateWithoutSlugBeyondTheNewest100_FoundByAnotherConnector(EntityType type, string title)
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        Entity lost = Content(type, 0, withSlug: false) switch
        {
            Page page => page with { Title = title },
            BlogPost post => post with { Title = title },
            Entity other => other,
        };
        RecordOutcome created = await WriteThen120NewerAsync(Shops.Target(shop, http), lost);

        IReadOnlyList<ExistingTarget> found = await Shops.Target(shop, http).FindExistingAsync(type, [lost.GetIdentity()]);

        Assert.Equal(title, lost.GetIdentity().NaturalKey);
        Assert.Equal((lost.SourceId, created.TargetId), (Assert.Single(found).SourceId, found[0].TargetId));
    }

    /// <summary>A coupon is looked up by its code case-insensitively, as <c>codeDiscountNodeByCode</c> documents.</summary>
    [Fact]
    public async Task FindExistingAsync_CouponCodeInOtherCase_Found()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        RecordOutcome created = Assert.Single((await target.WriteAsync(EntityType.Coupons, [Create(Content(EntityType.Coupons, 3, withSlug: true))])).Results);

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Coupons, [new SourceIdentity(EntityType.Coupons, "c3", "save3")]);

        Assert.Equal(("c3", created.TargetId), (Assert.Single(found).SourceId, found[0].TargetId));
    }

    /// <summary>Writes the record whose response is "lost" (the engine never sees the outcome), then 120 newer records of its type.</summary>
    private static async Task<RecordOutcome> WriteThen120NewerAsync(ITargetConnector target, Entity lost)
    {
        RecordOutcome created = Assert.Single((await target.WriteAsync(lost.Type, [Create(lost)])).Results);
        AssertWritten(await target.WriteAsync(lost.Type, Enumerable.Range(1, 120).Select(i => Create(Content(lost.Type, i, withSlug: true))).ToList()));
        return created;
    }

    private static Entity Content(EntityType type, int n, bool withSlug) => type switch
    {
        EntityType.Categories => new Category { SourceId = "c" + n, Name = "Category " + n, Slug = withSlug ? "category-" + n : null },
        EntityType.Coupons => new Coupon { SourceId = "c" + n, Code = "SAVE" + n, Kind = DiscountKind.Percentage, Amount = 10 },
        EntityType.Pages => new Page { SourceId = "p" + n, Title = "Page " + n, Slug = withSlug ? "page-" + n : null, Body = "<p>Body</p>" },
        EntityType.BlogPosts => new BlogPost { SourceId = "b" + n, Title = "Post " + n, Slug = withSlug ? "post-" + n : null, Body = "<p>Body</p>" },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static int Count(ShopifySandbox shop, EntityType type) => type switch
    {
        EntityType.Categories => shop.View.GetCollections().Count,
        EntityType.Coupons => shop.View.GetDiscounts().Count,
        EntityType.Pages => shop.View.GetPages().Count,
        _ => shop.View.GetArticles().Count,
    };
}
