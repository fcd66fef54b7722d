using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.WooCommerce.Tests.Csv;

public sealed class WooCommerceCsvRoundTripTests
{
    [Theory]
    [InlineData("woo-export-bom.csv")]
    [InlineData("woo-variations-before.csv")]
    public async Task Engine_WooCsvToWooCsv_PreservesEveryModelField(string file)
    {
        string dir = TempDirectory();
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data(file));
        MigrationReport report = await CsvEngine.RunAsync("woo-roundtrip", source, WooCommerceCsvConnectorFactory.CreateTarget(dir));
        Assert.Empty(report.Failures);

        List<Product> before = (await ReadAllAsync(source, EntityType.Products)).Records.Cast<Product>().ToList();
        var (records, errors, _) = await ReadAllAsync(WooCommerceCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products);
        Assert.Empty(errors);
        List<Product> after = records.Cast<Product>().ToList();

        Assert.Equal(before.Select(p => p.Sku), after.Select(p => p.Sku));
        Dictionary<string, string> beforeSkus = before.ToDictionary(p => p.SourceId, p => p.Sku!);
        Dictionary<string, string> afterSkus = after.ToDictionary(p => p.SourceId, p => p.Sku!);
        for (int i = 0; i < before.Count; i++)
        {
            var (fieldsBefore, extBefore) = CsvEngine.Normalize(before[i], beforeSkus, "woocommerce.variations.");
            var (fieldsAfter, extAfter) = CsvEngine.Normalize(after[i], afterSkus, "woocommerce.variations.");
            Assert.Equal(fieldsBefore, fieldsAfter);

            // Every extension survives; the writer may add the exporter's defaults for cells the source left empty.
            foreach ((string key, string value) in extBefore.Where(e => e.Key != "woocommerce.id" && !e.Key.EndsWith(".id", StringComparison.Ordinal)))
            {
                Assert.True(extAfter.TryGetValue(key, out string? kept) && kept == value, $"{before[i].Sku}: {key}={value} became {kept ?? "(missing)"}");
            }
        }
    }

    [Fact]
    public async Task Engine_RemigrationIntoSameDirectory_ReplacesTheFileWithoutDuplicates()
    {
        string dir = TempDirectory();
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data("woo-export-bom.csv"));
        await CsvEngine.RunAsync("woo-rerun", source, WooCommerceCsvConnectorFactory.CreateTarget(dir));
        string first = await File.ReadAllTextAsync(Path.Combine(dir, "products.csv"));

        await CsvEngine.RunAsync("woo-rerun-2", source, WooCommerceCsvConnectorFactory.CreateTarget(dir), MigrationMode.Full);
        string second = await File.ReadAllTextAsync(Path.Combine(dir, "products.csv"));

        // A second project writing into the same directory sees the records already journaled there and adopts them.
        Assert.Equal(first, second);
        Assert.Empty(Directory.GetFiles(dir, "*.nextcart-tmp"));
    }

    [Fact]
    public async Task WriteAsync_TornJournalTail_IsCutOffAndTheRecordIsNotFound()
    {
        string dir = TempDirectory();
        ITargetConnector target = WooCommerceCsvConnectorFactory.CreateTarget(dir);
        var product = new Product { SourceId = "p1", Name = "One", Sku = "ONE", Price = new Money(1m, "USD") };
        BatchOutcome written = await target.WriteAsync(EntityType.Products, [new TargetRecord(product, WriteAction.Create, null, null)]);
        Assert.Equal(RecordStatus.Created, written.Results[0].Status);
        string journal = Path.Combine(dir, ".nextcart", "products.journal");
        await File.AppendAllTextAsync(journal, "{\"k\":\"w\",\"s\":\"p2\",\"t\":\"2\",\"e\":{\"Na");

        ITargetConnector restarted = WooCommerceCsvConnectorFactory.CreateTarget(dir);
        IReadOnlyList<ExistingTarget> found = await restarted.FindExistingAsync(EntityType.Products, [new SourceIdentity(EntityType.Products, "p1"), new SourceIdentity(EntityType.Products, "p2")]);

        ExistingTarget one = Assert.Single(found);
        Assert.Equal(("p1", "1"), (one.SourceId, one.TargetId));
        BatchOutcome again = await restarted.WriteAsync(EntityType.Products, [new TargetRecord(product with { SourceId = "p2", Sku = "TWO" }, WriteAction.Create, null, null)]);
        Assert.Equal("2", again.Results[0].TargetId);
        await ((ITargetCompleter)restarted).CompleteAsync();
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task WriteAsync_DuplicateSku_FailsThatRecordOnly()
    {
        ITargetConnector target = WooCommerceCsvConnectorFactory.CreateTarget(TempDirectory());
        BatchOutcome outcome = await target.WriteAsync(EntityType.Products,
        [
            new TargetRecord(new Product { SourceId = "a", Name = "A", Sku = "SAME" }, WriteAction.Create, null, null),
            new TargetRecord(new Product { SourceId = "b", Name = "B", Sku = "SAME" }, WriteAction.Create, null, null),
        ]);

        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal(RecordStatus.Failed, outcome.Results[1].Status);
        Assert.Contains("already used by product a", outcome.Results[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_FormulaCells_AreGuardedWithAQuote()
    {
        string dir = TempDirectory();
        ITargetConnector target = WooCommerceCsvConnectorFactory.CreateTarget(dir);
        await target.WriteAsync(EntityType.Products, [new TargetRecord(new Product { SourceId = "f", Name = "=1+2", Sku = "@SKU", Description = "-x", Price = new Money(-5m, "USD") }, WriteAction.Create, null, null)]);
        await ((ITargetCompleter)target).CompleteAsync();

        byte[] bytes = await File.ReadAllBytesAsync(Path.Combine(dir, "products.csv"));
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        string text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("ID,Type,SKU,\"GTIN, UPC, EAN, or ISBN\",Name,", text, StringComparison.Ordinal);
        Assert.Contains(",'@SKU,,'=1+2,", text, StringComparison.Ordinal);
        Assert.Contains(",'-x,", text, StringComparison.Ordinal);
        Assert.Contains(",-5,", text, StringComparison.Ordinal);
    }
}
