using System.Collections.Frozen;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing.Tests;

public sealed class InMemorySourceConnectorTests
{
    private static readonly SampleStore Store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 21 });

    [Fact]
    public async Task ReadAsync_PageSize_ReturnsPagesTokenedByTheirLastId()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 20 };

        List<SourcePage> pages = await ReadAllAsync(source, EntityType.Products, SourceQuery.All, null);

        Assert.Equal([20, 20, 10], pages.Select(p => p.Records.Count));
        Assert.Equal(["20", "40", null], pages.Select(p => p.ResumeToken));
        Assert.Equal(3, source.PagesRead);
        Assert.Equal(1, source.ReadCalls);
    }

    [Fact]
    public async Task ReadAsync_ExactMultipleOfPageSize_LastFullPageHasNoToken()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 25 };

        List<SourcePage> pages = await ReadAllAsync(source, EntityType.Products, SourceQuery.All, null);

        Assert.Equal(["25", null], pages.Select(p => p.ResumeToken));
    }

    [Fact]
    public async Task ReadAsync_ResumeToken_ResumesStrictlyAfterIt()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 100 };

        SourcePage page = Assert.Single(await ReadAllAsync(source, EntityType.Customers, SourceQuery.All, "7"));

        Assert.Equal("8", page.Records[0].SourceId);
        Assert.Equal(Store.Count(EntityType.Customers) - 7, page.Records.Count);
    }

    [Fact]
    public async Task ReadAsync_ResumeTokenOfADeletedRecord_ResumesAfterItsPosition()
    {
        InMemorySourceConnector source = new(Store.Remove(EntityType.Customers, "7")) { PageSize = 100 };

        SourcePage page = Assert.Single(await ReadAllAsync(source, EntityType.Customers, SourceQuery.All, "7"));

        Assert.Equal("8", page.Records[0].SourceId);
    }

    [Fact]
    public async Task ReadAsync_NothingLeft_ReturnsNoPage()
    {
        InMemorySourceConnector source = new(Store);

        Assert.Empty(await ReadAllAsync(source, EntityType.Products, SourceQuery.All, "50"));
        Assert.Empty(await ReadAllAsync(source, EntityType.Products, new SourceQuery { Ids = FrozenSet.Create("999") }, null));
    }

    [Fact]
    public async Task ReadAsync_CreatedSince_IsInclusiveSoSharedTimestampsAreKept()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 2 };
        DateTimeOffset shared = Store.Find<Order>("5")!.CreatedAt!.Value;
        SourceQuery query = new() { CreatedSince = shared, CreatedBefore = Store.Find<Order>("16")!.CreatedAt };

        List<string> ids = Ids(await ReadAllAsync(source, EntityType.Orders, query, null));

        Assert.Equal(Enumerable.Range(5, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
        Assert.Equal(10, await source.CountAsync(EntityType.Orders, query));
    }

    [Fact]
    public async Task ReadAsync_LimitWithResume_ContinuesTheSameWindow()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 4 };
        SourceQuery query = new() { Limit = 10 };

        List<SourcePage> pages = await ReadAllAsync(source, EntityType.Orders, query, null);
        List<SourcePage> resumed = await ReadAllAsync(source, EntityType.Orders, query, pages[0].ResumeToken);

        Assert.Equal([4, 4, 2], pages.Select(p => p.Records.Count));
        Assert.Null(pages[^1].ResumeToken);
        Assert.Equal(Ids(pages).Skip(4), Ids(resumed));
        Assert.Equal(10, await source.CountAsync(EntityType.Orders, query));
        Assert.Equal(0, await source.CountAsync(EntityType.Orders, new SourceQuery { Limit = 0 }));
    }

    [Fact]
    public async Task ReadAsync_StatusFilter_SelectsOnlyThoseOrders()
    {
        InMemorySourceConnector source = new(Store);
        SourceQuery query = new() { Statuses = FrozenSet.Create(OrderStatuses.Refunded) };

        List<SourcePage> pages = await ReadAllAsync(source, EntityType.Orders, query, null);

        Assert.NotEmpty(Ids(pages));
        Assert.All(pages.SelectMany(p => p.Records), r => Assert.Equal(OrderStatuses.Refunded, ((Order)r).Status));
    }

    [Fact]
    public async Task ReadAsync_MalformedRecord_IsReportedAsAValidationIssueInItsPlace()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 5 };
        source.MarkMalformed(EntityType.Customers, "3", "The billing country 'XX' is not a country.");

        SourcePage first = (await ReadAllAsync(source, EntityType.Customers, SourceQuery.All, null))[0];

        Assert.Equal(["1", "2", "4", "5"], first.Records.Select(r => r.SourceId));
        RecordIssue issue = Assert.Single(first.Errors);
        Assert.Equal(new RecordIssue(EntityType.Customers, "3", FailureCategory.Validation, "The billing country 'XX' is not a country."), issue);
        Assert.Equal("5", first.ResumeToken);
        Assert.Equal(Store.Count(EntityType.Customers), await source.CountAsync(EntityType.Customers, SourceQuery.All));

        source.ClearMalformed();
        Assert.Empty((await ReadAllAsync(source, EntityType.Customers, SourceQuery.All, null))[0].Errors);
    }

    [Fact]
    public async Task ReadAsync_ReadFailure_ThrowsAtThatPageAfterTheEarlierOnes()
    {
        MigrationException failure = new("The source timed out.", FailureCategory.Connection, isTransient: true);
        InMemorySourceConnector source = new(Store) { PageSize = 10, ReadFailure = (type, page) => type == EntityType.Products && page == 2 ? failure : null };
        List<SourcePage> pages = [];

        MigrationException thrown = await Assert.ThrowsAsync<MigrationException>(async () =>
        {
            await foreach (SourcePage page in source.ReadAsync(EntityType.Products, SourceQuery.All, null))
            {
                pages.Add(page);
            }
        });

        Assert.Same(failure, thrown);
        Assert.Equal(2, pages.Count);
        Assert.Single(await ReadAllAsync(source, EntityType.Categories, SourceQuery.All, "20"));
    }

    [Fact]
    public async Task ReadAsync_PageLatency_WaitsOnTheTimeProvider()
    {
        FakeTimeProvider time = new();
        InMemorySourceConnector source = new(Store, timeProvider: time) { PageSize = 100, PageLatency = TimeSpan.FromSeconds(3) };
        await using IAsyncEnumerator<SourcePage> pages = source.ReadAsync(EntityType.Pages, SourceQuery.All, null).GetAsyncEnumerator();

        ValueTask<bool> next = pages.MoveNextAsync();
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await next);
        Assert.Equal(Store.Count(EntityType.Pages), pages.Current.Records.Count);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_StopsDuringLatency()
    {
        FakeTimeProvider time = new();
        InMemorySourceConnector source = new(Store, timeProvider: time) { PageLatency = TimeSpan.FromMinutes(1) };
        using CancellationTokenSource cts = new();
        await using IAsyncEnumerator<SourcePage> pages = source.ReadAsync(EntityType.Pages, SourceQuery.All, null, cts.Token).GetAsyncEnumerator(cts.Token);

        ValueTask<bool> next = pages.MoveNextAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task Store_ReplacedBetweenReads_ServesTheChangedStore()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 100 };
        Product added = Store.Find<Product>("1")! with { SourceId = Store.NextSourceId(EntityType.Products), Sku = "NEW-1", Slug = "new-1" };

        source.Replace(Store.Add(added).Mutate<Product>("2", p => p with { Name = "Changed" }));
        List<Entity> records = [.. (await ReadAllAsync(source, EntityType.Products, SourceQuery.All, null)).SelectMany(p => p.Records)];

        Assert.Equal(51, records.Count);
        Assert.Equal("51", records[^1].SourceId);
        Assert.Equal("Changed", ((Product)records[1]).Name);
    }

    [Fact]
    public async Task Store_ReplacedDuringARead_TakesEffectAtTheNextPage()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 10 };
        List<string> ids = [];

        await foreach (SourcePage page in source.ReadAsync(EntityType.Customers, SourceQuery.All, null))
        {
            ids.AddRange(page.Records.Select(r => r.SourceId));
            if (ids.Count == 10)
            {
                source.Store = Store.Remove(EntityType.Customers, "15").Remove(EntityType.Customers, "3");
            }
        }

        Assert.Contains("3", ids);
        Assert.DoesNotContain("15", ids);
        Assert.Equal(Store.Count(EntityType.Customers) - 1, ids.Count);
    }

    [Fact]
    public async Task CountAsync_CannotCount_ReturnsNull()
    {
        InMemorySourceConnector source = new(Store) { CannotCount = true };

        Assert.Null(await source.CountAsync(EntityType.Products, SourceQuery.All));
    }

    [Fact]
    public async Task GetDistinctValuesAsync_Fields_ReturnTheStoresDistinctValues()
    {
        InMemorySourceConnector source = new(Store);

        IReadOnlyCollection<string> statuses = await source.GetDistinctValuesAsync(MappedField.OrderStatus);
        IReadOnlyCollection<string> groups = await source.GetDistinctValuesAsync(MappedField.CustomerGroup);

        Assert.Equal(OrderStatuses.All.Order(StringComparer.Ordinal), statuses);
        Assert.Equal(Store.Get<Customer>().Select(c => c.Group!).Distinct().Order(StringComparer.Ordinal), groups);
        Assert.Contains(CustomerGroups.General, groups);
    }

    [Fact]
    public async Task CheckAsync_CheckResult_IsReturned()
    {
        InMemorySourceConnector source = new(Store, providerId: "woocommerce-fake");
        Assert.True((await source.CheckAsync()).Succeeded);
        Assert.Equal("woocommerce-fake", source.ProviderId);

        source.CheckResult = ConnectorCheck.Failed(FailureCategory.Authentication, "Consumer key rejected.");

        ConnectorCheck check = await source.CheckAsync();
        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Authentication, check.Category);
    }

    private static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, EntityType type, SourceQuery query, string? token)
    {
        List<SourcePage> pages = [];
        await foreach (SourcePage page in source.ReadAsync(type, query, token))
        {
            pages.Add(page);
        }

        return pages;
    }

    private static List<string> Ids(IEnumerable<SourcePage> pages) => [.. pages.SelectMany(p => p.Records).Select(r => r.SourceId)];
}
