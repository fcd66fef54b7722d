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
}
