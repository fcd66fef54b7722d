using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class ShopifyCsvSourceTests
{
    private static async Task<Dictionary<string, Product>> ProductsAsync(string file)
    {
        var (records, errors, _) = await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Data(file)), EntityType.Products);
        Assert.Empty(errors);
        return records.Cast<Product>().ToDictionary(p => p.SourceId);
    }

    [Fact]
    public async Task ReadAsync_LegacyDialect_GroupsVariantAndImageRowsByHandle()
    {
        Dictionary<string, Product> products = await ProductsAsync("shopify-legacy.csv");

        Product tee = products["classic-tee"];
        Assert.Equal("Classic Tee", tee.Name);
        Assert.Equal(ProductKind.Variable, tee.Kind);
        Assert.Equal("/products/classic-tee", tee.Url);
        Assert.Equal(["Color", "Size"], tee.Options.Select(o => o.Name));
        Assert.Equal(["Red", "Blue"], tee.Options[0].Values);
        Assert.Equal(["TEE-RED-S", "TEE-RED-M", "TEE-BLUE-S"], tee.Variants.Select(v => v.Sku));
        ProductVariant onSale = tee.Variants[0];
        Assert.Equal(new Money(20m, "USD"), onSale.Price);
        Assert.Equal(new Money(15m, "USD"), onSale.SalePrice);
        Assert.Equal(0.2m, onSale.WeightKg);
        Assert.Equal(5, onSale.StockQuantity);
        Assert.Equal("111", onSale.Barcode);
        Assert.Equal("https://cdn.example/tee-red.jpg", onSale.Image?.Url);
        Assert.Null(tee.Variants[1].SalePrice);
        Assert.Equal("continue", tee.Extensions["shopify.variants.TEE-RED-M.inventory_policy"]);
        Assert.Equal(["https://cdn.example/tee-1.jpg", "https://cdn.example/tee-2.jpg", "https://cdn.example/tee-3.jpg"], tee.Images.Select(i => i.Url));
        Assert.Equal("Back, detail", tee.Images[2].Alt);
        Assert.Equal(["cotton", "summer"], tee.Tags);
        Assert.Equal("Shirts", tee.ProductType);
        Assert.Equal("Acme", tee.Extensions["shopify.vendor"]);
        Assert.Equal("unisex", tee.Extensions["shopify.column.Google Shopping / Gender"]);
        Assert.Equal("Classic Tee | Acme", tee.Seo?.Title);
        Assert.Equal(PublishStatus.Active, tee.Status);
    }

    [Fact]
    public async Task ReadAsync_DefaultTitleStatusAndFormula_MapToSimpleDraftArchivedAndUnguardedText()
    {
        Dictionary<string, Product> products = await ProductsAsync("shopify-legacy.csv");

        Product gift = products["gift-card"];
        Assert.Equal(ProductKind.Simple, gift.Kind);
        Assert.Empty(gift.Options);
        Assert.Equal(new Money(25m, "USD"), gift.Price);
        Assert.Equal("GIFT", gift.Sku);
        Assert.Equal(PublishStatus.Draft, gift.Status);
        Product formula = products["formula"];
        Assert.Equal("=SUM(1+1)", formula.Name);
        Assert.Equal("-dangerous", formula.Description);
        Assert.Equal(PublishStatus.Archived, formula.Status);
        Assert.Equal(1.5m, formula.WeightKg);
    }

    [Fact]
    public async Task ReadAsync_2024Dialect_ReadsTheSameModel()
    {
        Dictionary<string, Product> products = await ProductsAsync("shopify-2024.csv");

        Product bag = products["canvas-bag"];
        Assert.Equal(["Small", "Large"], bag.Options.Single().Values);
        Assert.Equal(new Money(35m, "USD"), bag.Variants[0].Price);
        Assert.Equal(new Money(30m, "USD"), bag.Variants[0].SalePrice);
        Assert.Equal(0.6m, bag.Variants[1].WeightKg);
        Assert.Equal("12", bag.Extensions["shopify.variants.BAG-S.cost_per_item"]);
        Assert.Equal("beige", bag.Extensions["shopify.column.Color (product.metafields.shopify.color-pattern)"]);
        Assert.Equal("BagCo", bag.Extensions["shopify.vendor"]);
        Assert.Equal(ProductKind.Simple, products["sticker"].Kind);
        Assert.Equal(100, products["sticker"].StockQuantity);
    }

    [Fact]
    public async Task ReadAsync_BadRows_FailAloneWithRowNumber()
    {
        var (records, errors, _) = await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(Data("shopify-bad-rows.csv")), EntityType.Products);

        Assert.Equal(["ok", "ok-2"], records.Select(r => r.SourceId));
        Assert.Collection(
            errors,
            e => { Assert.Equal("bad-price", e.SourceId); Assert.Equal("row 3: the Variant Price 'one dollar' is not a number.", e.Message); },
            e => { Assert.Equal("bad-status", e.SourceId); Assert.Equal("row 4: Status 'gone' is not active, draft or archived.", e.Message); });
    }

    [Fact]
    public async Task CheckAsync_WooCommerceFile_NamesMissingColumnsAndHeaderFound()
    {
        ConnectorCheck check = await ShopifyCsvConnectorFactory.CreateSource(Data("woo-bad-rows.csv")).CheckAsync();

        Assert.False(check.Succeeded);
        Assert.Contains("the required columns 'Handle' (or 'URL handle'), 'Title' are missing", check.Message, StringComparison.Ordinal);
        Assert.Contains("The header found is: ID,Type,SKU,GTIN, UPC, EAN, or ISBN,Name", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HandleAgainAfterOtherProducts_FailsThatGroupWithItsRowAndKeepsTheRest()
    {
        string path = Path.Combine(TempDirectory(), "products.csv");
        await File.WriteAllTextAsync(path, """
            Handle,Title,Variant Price
            mug,Mug,5
            cap,Cap,7
            MUG,Mug again,6
            pen,Pen,1
            """);

        var (records, errors, _) = await ReadAllAsync(ShopifyCsvConnectorFactory.CreateSource(path), EntityType.Products);

        Assert.Equal(["mug", "cap", "pen"], records.Select(r => r.SourceId));
        RecordIssue again = Assert.Single(errors);
        Assert.Equal("row 4: the handle 'MUG' appears again after other products; a product's rows must be together.", again.Message);
    }
}
