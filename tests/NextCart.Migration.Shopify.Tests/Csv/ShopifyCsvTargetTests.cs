using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class ShopifyCsvTargetTests
{
    [Fact]
    public async Task CompleteAsync_Customers_WritesTheImportHeaderWithTheDefaultAddress()
    {
        string dir = TempDirectory();
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);
        BatchOutcome outcome = await target.WriteAsync(EntityType.Customers,
        [
            new TargetRecord(new Customer
            {
                SourceId = "c1", Email = "Ann@Example.com", FirstName = "Ann", LastName = "Lee", Phone = "+15550001", AcceptsMarketing = true, Tags = ["vip", "b2b"], Note = "=cmd",
                Addresses =
                [
                    new Address { Line1 = "1 Billing St", City = "Boston", CountryCode = "US", IsDefaultBilling = true },
                    new Address { Company = "Lee Co", Line1 = "2 Ship Rd", Line2 = "Unit 3", City = "Austin", Region = "TX", PostalCode = "73301", CountryCode = "US", Phone = "+15550002", IsDefaultShipping = true },
                ],
            }, WriteAction.Create, null, null),
            new TargetRecord(new Customer { SourceId = "c2", Email = "ann@example.com" }, WriteAction.Create, null, null),
            new TargetRecord(new Customer { SourceId = "c3", FirstName = "Nobody" }, WriteAction.Create, null, null),
        ]);
        await ((ITargetCompleter)target).CompleteAsync();

        Assert.Equal([RecordStatus.Created, RecordStatus.Failed, RecordStatus.Failed], outcome.Results.Select(r => r.Status));
        Assert.Contains("already used by customer c1", outcome.Results[1].Message, StringComparison.Ordinal);
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "customers.csv"));
        Assert.Equal("First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Tags,Note,Tax Exempt", lines[0]);
        Assert.Equal("Ann,Lee,Ann@Example.com,yes,Lee Co,2 Ship Rd,Unit 3,Austin,TX,US,73301,+15550002,+15550001,no,\"vip, b2b\",'=cmd,no", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task WriteAsync_MoreThanThreeOptionsAndDuplicateHandles_FailOrGetSuffixes()
    {
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(TempDirectory());
        ProductVariant v = new() { SourceId = "v", OptionValues = [new("A", "1"), new("B", "1"), new("C", "1"), new("D", "1")] };
        BatchOutcome outcome = await target.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "p1", Name = "Same Name" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p2", Name = "Same name" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p3", Name = "Four", Kind = ProductKind.Variable, Variants = [v] }, WriteAction.Create, null, null),
        ]);

        Assert.Equal(["/products/same-name", "/products/same-name-1"], outcome.Results.Take(2).Select(r => r.TargetUrl));
        Assert.Equal(RecordStatus.Failed, outcome.Results[2].Status);
        Assert.Contains("has 4 options", outcome.Results[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_RerunAfterCrashBeforePublish_PublishesEveryJournaledRecordOnce()
    {
        string dir = TempDirectory();
        ITargetConnector first = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await first.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p1", Name = "One", Price = new Money(1m, "USD") }, WriteAction.Create, null, null)]);

        // The process dies before publishing: no products.csv exists, only the journal.
        Assert.False(File.Exists(Path.Combine(dir, "products.csv")));
        ITargetConnector second = ShopifyCsvConnectorFactory.CreateTarget(dir);
        IReadOnlyList<ExistingTarget> found = await second.FindExistingAsync(EntityType.Products, [new SourceIdentity(EntityType.Products, "p1")]);
        Assert.Equal("one", Assert.Single(found).TargetId);
        await second.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p1", Name = "One v2", Price = new Money(2m, "USD") }, WriteAction.Update, "one", null)]);
        await ((ITargetCompleter)second).CompleteAsync();

        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("one,One v2,", lines[1], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, "*.nextcart-tmp"));
    }

    [Fact]
    public async Task CompleteAsync_UpdateAndRepeatInOneRun_PublishesOnlyTheLastVersionOfEachProduct()
    {
        // One target instance, no reload: an update of p1 and a second write of p2 in the same batch each supersede an entry.
        string dir = TempDirectory();
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await target.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "p1", Name = "One" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p3", Name = "Three" }, WriteAction.Create, null, null),
        ]);
        await target.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "p1", Name = "One v2" }, WriteAction.Update, "one", null),
            new TargetRecord(new Product { SourceId = "p2", Name = "Two" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p2", Name = "Two" }, WriteAction.Create, null, null),
        ]);
        await ((ITargetCompleter)target).CompleteAsync();

        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal(["three,Three,", "one,One v2,", "two,Two,"], lines.Skip(1).Select(l => l[..(l.IndexOf(',', l.IndexOf(',') + 1) + 1)]));
    }

    [Fact]
    public async Task CompleteAsync_CreatesOnly_PublishesEveryProductOnceInWriteOrder()
    {
        string dir = TempDirectory();
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await target.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p1", Name = "One" }, WriteAction.Create, null, null)]);
        await target.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p2", Name = "Two" }, WriteAction.Create, null, null)]);
        await ((ITargetCompleter)target).CompleteAsync();

        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal(["one,One,", "two,Two,"], lines.Skip(1).Select(l => l[..(l.IndexOf(',', l.IndexOf(',') + 1) + 1)]));
    }

    [Fact]
    public async Task CompleteAsync_JournalLineLongerThanTheReadBuffer_IsPublishedWhole()
    {
        // The journal is read in 64 KiB buffers; a record of about 300 KB spans several of them, with records before and after it.
        string dir = TempDirectory();
        string body = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"<p>{i % 10}</p>."));
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await target.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "p1", Name = "Before" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p2", Name = "Long", Description = body }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p3", Name = "After" }, WriteAction.Create, null, null),
        ]);
        await ((ITargetCompleter)target).CompleteAsync();

        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("long,Long," + body + ",", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("after,After,", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_AfterReload_TakenHandlesAndWrittenRecordsAreFoundInTheJournal()
    {
        // The target keeps offsets into its journal, not the handles and source ids: a new instance finds them by reading it.
        string dir = TempDirectory();
        ITargetConnector first = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await first.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "p1", Name = "Same Name", Variants = [new ProductVariant { SourceId = "v1", Sku = "S1" }] }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "p2", Name = "Other" }, WriteAction.Create, null, null),
        ]);

        ITargetConnector second = ShopifyCsvConnectorFactory.CreateTarget(dir);
        BatchOutcome outcome = await second.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p3", Name = "same name" }, WriteAction.Create, null, null)]);
        IReadOnlyList<ExistingTarget> found = await second.FindExistingAsync(EntityType.Products, [new SourceIdentity(EntityType.Products, "p1"), new SourceIdentity(EntityType.Products, "p9")]);

        Assert.Equal("same-name-1", Assert.Single(outcome.Results).TargetId);
        ExistingTarget p1 = Assert.Single(found);
        Assert.Equal(("p1", "same-name", "/products/same-name"), (p1.SourceId, p1.TargetId, p1.TargetUrl));
        Assert.Equal([new ChildMapping("v1", "same-name:1")], p1.Children);
    }

    [Fact]
    public async Task CompleteAsync_ProductJournaledAsAnEntity_IsRenderedWhenPublished()
    {
        // A journal an earlier version wrote holds products as entities; a run resumed with this version still publishes them.
        string dir = TempDirectory();
        using (var journal = new NextCart.Migration.Csv.Internal.FileJournal(Path.Combine(dir, ".nextcart", "products.journal"), typeof(Product), durable: false))
        {
            journal.Append([new NextCart.Migration.Csv.Internal.JournalEntry
            {
                SourceId = "p1",
                TargetId = "old-one",
                TargetUrl = "/products/old-one",
                NaturalKey = "handle:old-one",
                Entity = new Product { SourceId = "p1", Name = "=Old", Tags = ["a"], Extensions = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("shopify.column.Custom", "x")]) },
            }]);
        }

        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);
        await target.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "p2", Name = "New" }, WriteAction.Create, null, null)]);
        await ((ITargetCompleter)target).CompleteAsync();

        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.EndsWith(",Custom", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("old-one,'=Old,,,,,a,TRUE,Title,Default Title,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",x", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("new,New,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",", lines[2], StringComparison.Ordinal);
    }
}
