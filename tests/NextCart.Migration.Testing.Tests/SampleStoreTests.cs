using NextCart.Migration.Model;

namespace NextCart.Migration.Testing.Tests;

public sealed class SampleStoreTests
{
    private static readonly SampleStore Original = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 11 });

    [Fact]
    public void Mutate_Record_ChangesOnlyThatRecordInACopy()
    {
        Product before = Original.Find<Product>("5")!;
        DateTimeOffset later = before.UpdatedAt!.Value.AddDays(1);

        SampleStore changed = Original.Mutate<Product>("5", p => p with { Name = "Renamed", UpdatedAt = later });

        Assert.Equal("Renamed", changed.Find<Product>("5")!.Name);
        Assert.Equal(later, changed.Find<Product>("5")!.UpdatedAt);
        Assert.Same(before, Original.Find<Product>("5"));
        Assert.Same(Original.Find<Product>("6"), changed.Find<Product>("6"));
        Assert.Same(Original.Get(EntityType.Customers), changed.Get(EntityType.Customers));
        Assert.Equal(Original.TotalCount, changed.TotalCount);
    }

    [Fact]
    public void Mutate_UnknownRecordOrChangedId_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Original.Mutate<Product>("999", p => p));
        Assert.Throws<InvalidOperationException>(() => Original.Mutate<Product>("5", p => p with { SourceId = "6" }));
    }

    [Fact]
    public void Add_NewRecord_IsInsertedInIdOrder()
    {
        string id = Original.NextSourceId(EntityType.Orders);
        Order template = Original.Find<Order>("1")!;
        DateTimeOffset created = Original.LatestCreatedAt(EntityType.Orders)!.Value.AddHours(1);

        SampleStore changed = Original.Add(template with { SourceId = id, Number = "9999", CreatedAt = created, UpdatedAt = created });

        Assert.Equal("81", id);
        Assert.Equal(Original.Count(EntityType.Orders) + 1, changed.Count(EntityType.Orders));
        Assert.Equal(id, changed.Get(EntityType.Orders)[^1].SourceId);
        Assert.Equal(created, changed.LatestCreatedAt(EntityType.Orders));
        Assert.Equal("82", changed.NextSourceId(EntityType.Orders));
        Assert.Equal(Original.TotalCount + 1, changed.TotalCount);
        Assert.Null(Original.Find<Order>(id));
    }

    [Fact]
    public void Add_ExistingId_Throws()
        => Assert.Throws<ArgumentException>(() => Original.Add(Original.Find<Customer>("3")! with { Email = "new@example.test" }));

    [Fact]
    public void AddRange_RecordsOfSeveralTypes_AreSortedNumerically()
    {
        Category category = Original.Find<Category>("1")!;
        SampleStore changed = Original.AddRange([category with { SourceId = "100" }, category with { SourceId = "30" }, Original.Find<Page>("1")! with { SourceId = "7" }]);

        IReadOnlyList<Entity> categories = changed.Get(EntityType.Categories);
        Assert.Equal(["24", "30", "100"], categories.TakeLast(3).Select(c => c.SourceId));
        Assert.Equal("7", changed.Get(EntityType.Pages)[^1].SourceId);
    }

    [Fact]
    public void WithChanges_NullResult_RemovesTheRecord()
    {
        SampleStore changed = Original.WithChanges(e => e is Review { Rating: < 3 } ? null : e);

        Assert.All(changed.Get<Review>(), r => Assert.True(r.Rating >= 3));
        Assert.True(changed.Count(EntityType.Reviews) < Original.Count(EntityType.Reviews));
        Assert.Same(Original.Get(EntityType.Products), changed.Get(EntityType.Products));
    }

    [Fact]
    public void WithChanges_NothingChanged_ReturnsTheSameStore()
        => Assert.Same(Original, Original.WithChanges(e => e));

    [Fact]
    public void WithChanges_OneType_ChangesEveryRecordOfThatType()
    {
        SampleStore changed = Original.WithChanges(EntityType.Products, e => ((Product)e) with { StockQuantity = 0 });

        Assert.All(changed.Get<Product>(), p => Assert.Equal(0, p.StockQuantity));
        Assert.Contains(Original.Get<Product>(), p => p.StockQuantity != 0);
    }

    [Fact]
    public void WithChanges_TypeChange_Throws()
        => Assert.Throws<InvalidOperationException>(() => Original.WithChanges(EntityType.Pages, e => new BlogPost { SourceId = e.SourceId, Title = "x" }));

    [Fact]
    public void Remove_Record_DeletesItFromTheCopyOnly()
    {
        SampleStore changed = Original.Remove(EntityType.Customers, "3");

        Assert.Null(changed.Find<Customer>("3"));
        Assert.NotNull(Original.Find<Customer>("3"));
        Assert.Same(changed, changed.Remove(EntityType.Customers, "3"));
    }

    [Fact]
    public void FromEntities_MixedOrder_GroupsByTypeInNumericIdOrder()
    {
        SampleStore store = SampleStore.FromEntities(
        [
            new Tax { SourceId = "10", Name = "b" },
            new Page { SourceId = "2", Title = "p" },
            new Tax { SourceId = "9", Name = "a" },
        ]);

        Assert.Equal(["9", "10"], store.Get(EntityType.Taxes).Select(t => t.SourceId));
        Assert.Equal(["9", "10", "2"], store.All.Select(e => e.SourceId));
        Assert.Equal(3, store.TotalCount);
        Assert.Null(store.Options);
        Assert.Equal(1, store.IndexAfter(EntityType.Taxes, "9"));
        Assert.Equal(2, store.IndexAfter(EntityType.Taxes, "10"));
        Assert.Equal(0, store.IndexAfter(EntityType.Taxes, "1"));
        Assert.Equal(2, store.IndexAfter(EntityType.Taxes, "11"));
    }

    [Fact]
    public void FromEntities_DuplicateIds_Throws()
        => Assert.Throws<ArgumentException>(() => SampleStore.FromEntities([new Tax { SourceId = "1", Name = "a" }, new Tax { SourceId = "1", Name = "b" }]));

    [Fact]
    public void Empty_HasNoRecords()
    {
        Assert.Equal(0, SampleStore.Empty.TotalCount);
        Assert.Empty(SampleStore.Empty.All);
        Assert.Equal("1", SampleStore.Empty.NextSourceId(EntityType.Products));
        Assert.Null(SampleStore.Empty.LatestCreatedAt(EntityType.Products));
    }

    [Fact]
    public void TypeOf_ConcreteRecordTypes_MapToTheirEntityType()
    {
        Assert.Equal(EntityType.BlogPosts, SampleStore.TypeOf<BlogPost>());
        Assert.Equal(EntityType.Redirects, SampleStore.TypeOf<Redirect>());
        Assert.Throws<ArgumentException>(() => SampleStore.TypeOf<Entity>());
    }
}
