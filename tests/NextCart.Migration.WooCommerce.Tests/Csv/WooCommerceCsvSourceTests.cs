using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.WooCommerce.Tests.Csv;

public sealed class WooCommerceCsvSourceTests
{
    private static async Task<Dictionary<string, Product>> ProductsAsync(string file)
    {
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data(file));
        var (records, errors, _) = await ReadAllAsync(source, EntityType.Products);
        Assert.Empty(errors);
        return records.Cast<Product>().ToDictionary(p => p.SourceId);
    }

    [Fact]
    public async Task ReadAsync_ExporterFileWithBom_ReadsSimpleProductFields()
    {
        Dictionary<string, Product> products = await ProductsAsync("woo-export-bom.csv");

        Product tee = products["10"];
        Assert.Equal("Plain Tee", tee.Name);
        Assert.Equal(ProductKind.Simple, tee.Kind);
        Assert.Equal("TEE-1", tee.Sku);
        Assert.Equal(new Money(12m, "USD"), tee.Price);
        Assert.Equal(new Money(9.5m, "USD"), tee.SalePrice);
        Assert.Equal(25, tee.StockQuantity);
        Assert.Equal(0.25m, tee.WeightKg);
        Assert.Equal("Line one\nLine two", tee.Description);
        Assert.Equal(["summer", "cotton, organic"], tee.Tags);
        Assert.Equal(["Clothing > Shirts", "Sale"], tee.CategoryIds);
        Assert.Equal(["https://img.example/tee.jpg", "https://img.example/tee-back.jpg"], tee.Images.Select(i => i.Url));
        Assert.Equal(["11"], tee.UpsellIds);
        Assert.Equal("0123456789012", tee.Extensions["woocommerce.global_unique_id"]);
        Assert.Equal("30", tee.Extensions["woocommerce.length_cm"]);
        Assert.Equal("hand wash", tee.Extensions["woocommerce.meta._custom_note"]);
        Assert.Equal("1", tee.Extensions["woocommerce.featured"]);
        Assert.Equal("/product/plain-tee/", tee.Url);
    }

    [Fact]
    public async Task ReadAsync_VariationsAfterParent_AttachWithAnyValueAndParentByIdOrSku()
    {
        Dictionary<string, Product> products = await ProductsAsync("woo-export-bom.csv");

        Product hoodie = products["11"];
        Assert.Equal(ProductKind.Variable, hoodie.Kind);
        Assert.Equal(["Color", "Size"], hoodie.Options.Select(o => o.Name));
        Assert.Equal(["Red", "Blue"], hoodie.Options[0].Values);
        Assert.All(hoodie.Options, o => Assert.True(o.UsedForVariants));
        Assert.Equal(["12", "13"], hoodie.Variants.Select(v => v.SourceId));
        ProductVariant red = hoodie.Variants[0];
        Assert.Equal([new OptionValue("Color", "Red"), new OptionValue("Size", "S")], red.OptionValues);
        Assert.Equal(new Money(40m, "USD"), red.Price);
        Assert.Equal(new Money(35m, "USD"), red.SalePrice);
        ProductVariant blue = hoodie.Variants[1];
        Assert.Equal([new OptionValue("Color", "Blue"), new OptionValue("Size", null)], blue.OptionValues);
        Assert.Null(blue.StockQuantity);
        Assert.Equal("parent", hoodie.Extensions["woocommerce.variations.13.stock"]);
        Assert.Equal("true", hoodie.Extensions["woocommerce.variations.13.virtual"]);
        Assert.Equal("https://img.example/hoodie-blue.jpg", blue.Image?.Url);
        Assert.Equal(["10"], hoodie.CrossSellIds);
        Assert.Equal("Red", hoodie.Extensions["woocommerce.attribute.Color.default"]);
    }

    [Fact]
    public async Task ReadAsync_VariableWithoutVariations_OneDefaultVariantAtParentPrice()
    {
        Dictionary<string, Product> products = await ProductsAsync("woo-export-bom.csv");

        Product mug = products["20"];
        Assert.Equal(ProductKind.Variable, mug.Kind);
        ProductVariant only = Assert.Single(mug.Variants);
        Assert.Equal(new Money(15m, "USD"), only.Price);
        Assert.Equal("MUG-1", only.Sku);
        Assert.Empty(only.OptionValues);
        Assert.Equal("true", mug.Extensions["woocommerce.variations_missing"]);
        Assert.Equal(PublishStatus.Draft, mug.Status);
    }

    [Fact]
    public async Task ReadAsync_GroupedExternalAndFormula_KeepLinksUrlAndUnguardedText()
    {
        Dictionary<string, Product> products = await ProductsAsync("woo-export-bom.csv");

        Product set = products["30"];
        Assert.Equal(ProductKind.Grouped, set.Kind);
        Assert.Equal(["10", "11"], set.GroupedIds);
        Product external = products["40"];
        Assert.Equal(ProductKind.External, external.Kind);
        Assert.Equal("https://partner.example/p/1", external.ExternalUrl);
        Assert.Equal("Buy at partner", external.ButtonText);
        Assert.Equal("=HYPERLINK(\"http://evil\")", external.Name);
        Assert.Equal(PublishStatus.Private, external.Status);
        Product ebook = products["50"];
        Assert.Equal("E-book, 2nd edition", ebook.Name);
        Assert.Equal("true", ebook.Extensions["woocommerce.downloadable"]);
        Assert.Equal("https://files.example/ebook.pdf", ebook.Extensions["woocommerce.download.1.url"]);
        Assert.Equal("pending", ebook.Extensions["woocommerce.status"]);
    }

    [Fact]
    public async Task ReadAsync_VariationsBeforeParentNoBomLbsInches_AttachAndConvert()
    {
        Dictionary<string, Product> products = await ProductsAsync("woo-variations-before.csv");

        Assert.Equal(["200", "100"], products.Keys);
        Product cap = products["100"];
        Assert.Equal(["101", "102", "103"], cap.Variants.Select(v => v.SourceId));
        Assert.Equal(0.45359237m, cap.Variants[0].WeightKg);
        Assert.Equal("25.4", cap.Extensions["woocommerce.variations.101.length_cm"]);
        Assert.Null(cap.Variants[1].OptionValues.Single().Value);
        Assert.Equal(0.226796185m, products["200"].WeightKg);
    }

    [Fact]
    public async Task ReadAsync_Categories_DerivedFromPathsParentsFirstWithStableIds()
    {
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data("woo-export-bom.csv"));
        var (records, errors, _) = await ReadAllAsync(source, EntityType.Categories);

        Assert.Empty(errors);
        var categories = records.Cast<Category>().ToList();
        Assert.Equal(
            ["Clothing", "Clothing > Shirts", "Sale", "Clothing > Hoodies", "Kitchen", "Partners", "Books", "Books > E-books", "Books > E-books > Fiction"],
            categories.Select(c => c.SourceId));
        Category fiction = categories[^1];
        Assert.Equal("Fiction", fiction.Name);
        Assert.Equal("Books > E-books", fiction.ParentId);
        Assert.Equal("/product-category/books/e-books/fiction/", fiction.Url);
        Assert.Equal(9, await source.CountAsync(EntityType.Categories, SourceQuery.All));
        Assert.Equal(6, await source.CountAsync(EntityType.Products, SourceQuery.All));
    }

    [Fact]
    public async Task ReadAsync_BadRows_FailAloneWithRowNumberAndTheRestReads()
    {
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data("woo-bad-rows.csv"));
        var (records, errors, _) = await ReadAllAsync(source, EntityType.Products);

        Assert.Equal(["1", "5"], records.Select(r => r.SourceId));
        Assert.Collection(
            errors,
            e => { Assert.Equal("2", e.SourceId); Assert.StartsWith("row 3: the regular price '12,5x' is not a number", e.Message, StringComparison.Ordinal); },
            e => { Assert.Equal("3", e.SourceId); Assert.StartsWith("row 4: unknown product type 'subscription'", e.Message, StringComparison.Ordinal); },
            e => { Assert.Equal("4", e.SourceId); Assert.Equal("row 5: the variation's parent 'NO-SUCH-PARENT' is not in the file.", e.Message); });
        Assert.All(errors, e => Assert.Equal(FailureCategory.Validation, e.Category));
    }

    [Theory]
    [InlineData("woo-bad-rows.csv", EntityType.Products)]
    [InlineData("woo-variations-before.csv", EntityType.Products)]
    [InlineData("woo-export-bom.csv", EntityType.Products)]
    [InlineData("woo-bad-rows.csv", EntityType.Categories)]
    [InlineData("woo-variations-before.csv", EntityType.Categories)]
    [InlineData("woo-export-bom.csv", EntityType.Categories)]
    public async Task CountAsync_EachType_EqualsTheRecordsAndRowFailuresRead(string file, EntityType type)
    {
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data(file));
        var (records, errors, _) = await ReadAllAsync(source, type);

        long? count = await source.CountAsync(type, SourceQuery.All);

        Assert.Equal(records.Count + errors.Count, count);
    }

    [Fact]
    public async Task ReadAsync_VariationsInAndApartFromTheirParentsGroup_AttachEveryRowInFileOrderAndCountExactly()
    {
        // Product 1's variations: one right after it (by SKU), one after a simple product (apart, by id:1), one after another
        // parent's variation (apart, by SKU). Product 5's variation comes before it. A variation names a parent not in the file,
        // and one names product 4 by SKU right after product 4, a simple product (a variation row makes it nothing else).
        string path = Path.Combine(TempDirectory(), "products.csv");
        await File.WriteAllTextAsync(path, """
            ID,Type,SKU,Name,Regular price,Parent,Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,Attribute 1 global
            1,variable,V-1,Shirt,,,Size,"S, M, L",1,1
            11,variation,V-1-S,Shirt S,10,V-1,Size,S,,1
            2,simple,S-2,Mug,5,,,,,
            12,variation,V-1-M,Shirt M,11,id:1,Size,M,,1
            50,variation,V-5-X,Cap X,7,V-5,Size,X,,1
            13,variation,V-1-L,Shirt L,12,V-1,Size,L,,1
            60,variation,V-9-X,Orphan,7,V-9,Size,X,,1
            5,variable,V-5,Cap,,,Size,X,1,1
            4,simple,S-4,Pen,1,,,,,
            """);
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(path);

        var (records, errors, _) = await ReadAllAsync(source, EntityType.Products);
        long? count = await source.CountAsync(EntityType.Products, SourceQuery.All);

        Dictionary<string, Product> products = records.Cast<Product>().ToDictionary(p => p.SourceId);
        Assert.Equal(["1", "2", "4", "5"], products.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["11", "12", "13"], products["1"].Variants.Select(v => v.SourceId));
        Assert.Equal(["50"], products["5"].Variants.Select(v => v.SourceId));
        RecordIssue orphan = Assert.Single(errors);
        Assert.Equal("60", orphan.SourceId);
        Assert.Contains("row 8: the variation's parent 'V-9' is not in the file", orphan.Message, StringComparison.Ordinal);
        Assert.Equal(records.Count + errors.Count, count);
    }

    [Fact]
    public async Task CountAsync_FileChangedAfterCounting_CountsTheNewFile()
    {
        // Both types are counted in one pass and kept for the file's fingerprint; a rewritten file is counted again.
        string path = Path.Combine(TempDirectory(), "products.csv");
        const string Header = "ID,Type,SKU,Name,Regular price,Categories,Parent\n";
        await File.WriteAllTextAsync(path, Header + "1,simple,A,One,1,Books,\n");
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(path);
        Assert.Equal(1, await source.CountAsync(EntityType.Categories, SourceQuery.All));
        Assert.Equal(1, await source.CountAsync(EntityType.Products, SourceQuery.All));

        await File.WriteAllTextAsync(path, Header + "1,simple,A,One,1,Books,\n2,simple,B,Two,2,\"Books > Fiction, Music\",\n");

        Assert.Equal(2, await source.CountAsync(EntityType.Products, SourceQuery.All));
        Assert.Equal(3, await source.CountAsync(EntityType.Categories, SourceQuery.All));
    }

    [Fact]
    public async Task CheckAsync_NotAProductCsv_NamesMissingColumnsAndHeaderFound()
    {
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(Data("not-a-product-csv.csv"));

        ConnectorCheck check = await source.CheckAsync();

        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Configuration, check.Category);
        Assert.Contains("the required columns 'Type', 'Name', 'ID or SKU' are missing", check.Message, StringComparison.Ordinal);
        Assert.Contains("The header found is: order_id,customer,total", check.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MigrationConfigurationException>(async () => await ReadAllAsync(source, EntityType.Products));
    }

    [Fact]
    public async Task ReadAsync_ResumeToken_ContinuesAfterThePageAndRefusesAChangedFile()
    {
        string dir = TempDirectory();
        string path = Path.Combine(dir, "products.csv");
        File.Copy(Data("woo-export-bom.csv"), path);
        ISourceConnector source = WooCommerceCsvConnectorFactory.CreateSource(path, new WooCommerceCsvOptions { PageSize = 2 });
        var (all, _, tokens) = await ReadAllAsync(source, EntityType.Products);

        var (rest, _, _) = await ReadAllAsync(source, EntityType.Products, tokens[0]);

        Assert.Equal(all.Skip(2).Select(r => r.SourceId), rest.Select(r => r.SourceId));
        File.AppendAllText(path, "\n");
        File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await Assert.ThrowsAsync<MigrationConfigurationException>(async () => await ReadAllAsync(source, EntityType.Products, tokens[0]));
    }
}
