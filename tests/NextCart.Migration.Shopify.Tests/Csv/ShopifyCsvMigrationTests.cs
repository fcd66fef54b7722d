using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Csv;
using NextCart.Migration.WooCommerce.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class ShopifyCsvMigrationTests
{
    [Theory]
    [InlineData("shopify-legacy.csv")]
    [InlineData("shopify-2024.csv")]
    public async Task Engine_ShopifyCsvToShopifyCsv_PreservesEveryModelField(string file)
    {
        string dir = TempDirectory();
        ISourceConnector source = ShopifyCsvConnectorFactory.CreateSource(Data(file));
        MigrationReport report = await CsvEngine.RunAsync("shopify-roundtrip", source, ShopifyCsvConnectorFactory.CreateTarget(dir));
        Assert.Empty(report.Failures);

        List<Product> before = (await ReadAllAsync(source, EntityType.Products)).Records.Cast<Product>().ToList();
        var (records, errors, _) = await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products);
        Assert.Empty(errors);
        List<Product> after = records.Cast<Product>().ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            var (fieldsBefore, extBefore) = CsvEngine.Normalize(before[i], new Dictionary<string, string>(), "shopify.variants.");
            var (fieldsAfter, extAfter) = CsvEngine.Normalize(after[i], new Dictionary<string, string>(), "shopify.variants.");
            Assert.Equal(fieldsBefore, fieldsAfter);
            foreach ((string key, string value) in extBefore)
            {
                Assert.True(extAfter.TryGetValue(key, out string? kept) && kept == value, $"{before[i].SourceId}: {key}={value} became {kept ?? "(missing)"}");
            }
        }

        string header = (await File.ReadAllLinesAsync(Path.Combine(dir, "products.csv")))[0];
        Assert.StartsWith("Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_WooCsvToShopifyCsv_MapsEveryRuleAndReportsWarnings()
    {
        string dir = TempDirectory();
        MigrationReport report = await CsvEngine.RunAsync(
            "woo-to-shopify",
            WooCommerceCsvConnectorFactory.CreateSource(Data("woo-export-bom.csv")),
            ShopifyCsvConnectorFactory.CreateTarget(dir),
            MigrationMode.Full,
            EntityType.Categories, EntityType.Products, EntityType.Redirects);

        Assert.Empty(report.Failures);
        Dictionary<string, Product> products = (await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products))
            .Records.Cast<Product>().ToDictionary(p => p.SourceId);

        Product tee = products["plain-tee"];
        Assert.Equal(new Money(12m, "USD"), tee.Price);
        Assert.Equal(new Money(9.5m, "USD"), tee.SalePrice);
        Assert.Equal(["summer", "cotton organic", "Shirts", "Sale"], tee.Tags);
        Assert.Contains(report.Warnings, w => w.SourceId == "10" && w.Message.Contains("cannot contain commas", StringComparison.Ordinal));
        Assert.Equal("Shirts", tee.ProductType);
        Assert.Equal("Line one\nLine two", tee.Description);

        // "Any size" expands into the listed sizes; the explicit Red/S variant stays.
        Product hoodie = products["hoodie"];
        Assert.Equal(["Red/S", "Blue/S", "Blue/M"], hoodie.Variants.Select(v => string.Join("/", v.OptionValues.Select(o => o.Value))));
        Assert.Contains(report.Warnings, w => w.SourceId == "11" && w.Message.Contains("accepts any 'Size'", StringComparison.Ordinal));

        Product mug = products["mug-without-variations"];
        Assert.Equal(ProductKind.Simple, mug.Kind);
        Assert.Equal(new Money(15m, "USD"), mug.Price);
        Assert.Contains(report.Warnings, w => w.SourceId == "20" && w.Message.Contains("no variations", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.SourceId == "30" && w.Message.Contains("no grouped products", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.SourceId == "40" && w.Message.Contains("https://partner.example/p/1", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.EntityType == EntityType.Categories && w.Message.Contains("cannot hold collections", StringComparison.Ordinal));
        Assert.Equal("=HYPERLINK(\"http://evil\")", products["hyperlink-http-evil"].Name);
        Assert.Equal(PublishStatus.Private, products["hyperlink-http-evil"].Status);

        string[] redirects = await File.ReadAllLinesAsync(Path.Combine(dir, "redirects.csv"));
        Assert.Equal("Redirect from,Redirect to", redirects[0]);
        Assert.Contains("/product/plain-tee/,/products/plain-tee", redirects);
        Assert.Contains("/product-category/books/e-books/fiction/,/collections/fiction", redirects);
        Assert.Equal(1 + 6 + 9, redirects.Length);
    }

    [Fact]
    public async Task Engine_WooCsvVariationsBeforeParentToShopifyCsv_AttachesVariants()
    {
        string dir = TempDirectory();
        MigrationReport report = await CsvEngine.RunAsync("woo-before-to-shopify", WooCommerceCsvConnectorFactory.CreateSource(Data("woo-variations-before.csv")), ShopifyCsvConnectorFactory.CreateTarget(dir));

        Assert.Empty(report.Failures);
        Assert.Contains(report.Warnings, w => w.SourceId == "100" && w.Message.Contains("Variant 102 accepts any value, but every value already has its own variant", StringComparison.Ordinal));
        Product cap = (await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products)).Records.Cast<Product>().Single(p => p.SourceId == "cap");
        Assert.Equal(["CAP-RED", "CAP-GREEN"], cap.Variants.Select(v => v.Sku));
        Assert.Equal(["Red", "Green"], cap.Variants.Select(v => v.OptionValues.Single().Value));
    }

    [Fact]
    public async Task Engine_WooCsvBadRowsToShopifyCsv_ReportsRowFailuresAndMigratesTheRest()
    {
        string dir = TempDirectory();
        MigrationReport report = await CsvEngine.RunAsync("woo-bad-to-shopify", WooCommerceCsvConnectorFactory.CreateSource(Data("woo-bad-rows.csv")), ShopifyCsvConnectorFactory.CreateTarget(dir));

        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        Assert.Equal(["2", "3", "4"], report.Failures.Select(f => f.SourceId).Order());
        Assert.All(report.Failures, f => Assert.Matches(@"^row \d+: ", f.Message));
        var records = (await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products)).Records;
        Assert.Equal(["good-one", "good-two"], records.Select(r => r.SourceId));
    }

    [Theory]
    [InlineData("shopify-legacy.csv")]
    [InlineData("shopify-2024.csv")]
    public async Task Engine_ShopifyCsvToWooCsv_WritesAnImportableFile(string file)
    {
        string dir = TempDirectory();
        ISourceConnector source = ShopifyCsvConnectorFactory.CreateSource(Data(file));
        MigrationReport report = await CsvEngine.RunAsync("shopify-to-woo", source, WooCommerceCsvConnectorFactory.CreateTarget(dir));
        Assert.Empty(report.Failures);

        List<Product> before = (await ReadAllAsync(source, EntityType.Products)).Records.Cast<Product>().ToList();
        var (records, errors, _) = await ReadAllAsync(WooCommerceCsvConnectorFactory.CreateSource(Path.Combine(dir, "products.csv")), EntityType.Products);
        Assert.Empty(errors);
        List<Product> after = records.Cast<Product>().ToList();
        Assert.Equal(before.Select(p => p.Name), after.Select(p => p.Name));
        for (int i = 0; i < before.Count; i++)
        {
            Product b = before[i];
            Product a = after[i];
            Assert.Equal(b.Kind, a.Kind);
            Assert.Equal(b.Description, a.Description);
            Assert.Equal(b.Tags, a.Tags);
            Assert.Equal(b.Images.Select(x => x.Url), a.Images.Select(x => x.Url));
            Assert.Equal(b.Options.Select(o => (o.Name, string.Join("|", o.Values))), a.Options.Select(o => (o.Name, string.Join("|", o.Values))));
            Assert.Equal(b.Variants.Select(v => (v.Sku, v.Price, v.SalePrice, v.StockQuantity, v.WeightKg)), b.Kind == ProductKind.Simple ? b.Variants.Select(_ => (a.Sku, a.Price, a.SalePrice, a.StockQuantity, a.WeightKg)) : a.Variants.Select(v => (v.Sku, v.Price, v.SalePrice, v.StockQuantity, v.WeightKg)));
            Assert.Equal(b.Variants.Select(v => string.Join("/", v.OptionValues.Select(o => o.Value))), b.Kind == ProductKind.Simple ? b.Variants.Select(_ => string.Empty) : a.Variants.Select(v => string.Join("/", v.OptionValues.Select(o => o.Value))));
            Assert.Equal(b.Status == PublishStatus.Archived ? PublishStatus.Draft : b.Status, a.Status);
        }
    }
}
