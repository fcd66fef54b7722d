using System.Collections.Frozen;
using System.Text.Json;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Internal;

namespace NextCart.Migration.WooCommerce.Tests;

public sealed class WooCommerceSourceTests
{
    private const string Api = "/wp-json/wc/v3/";

    /// <summary>Serves the doc-example files, unchanged, at their documented paths.</summary>
    private static Reply? DocStore(RecordedRequest r)
    {
        if (r.Method != "GET")
        {
            return null;
        }

        string? file = r.Path switch
        {
            Api + "taxes" => "taxes__list-all-tax-rates",
            Api + "products/categories" => "product-categories__list-all-product-categories",
            Api + "products" => "products__list-all-products",
            Api + "products/799/variations" => "product-variations__list-all-product-variations",
            Api + "customers" => "customers__list-all-customers",
            Api + "orders" => "orders__list-all-orders",
            Api + "orders/727/notes" or Api + "orders/723/notes" => "order-notes__list-all-order-notes",
            Api + "products/reviews" => "product-reviews__list-all-product-reviews",
            Api + "coupons" => "coupons__list-all-coupons",
            _ => null,
        };
        if (file is not null)
        {
            string body = DocExamples.Read(file);
            int count = JsonDocument.Parse(body).RootElement.GetArrayLength();
            return Reply.Json(body, count, 1);
        }

        return r.Path == Api + "settings/general/woocommerce_currency" ? Reply.Json("""{"id":"woocommerce_currency","value":"EUR"}""") : null;
    }

    private static async Task<List<Entity>> ReadAllAsync(ISourceConnector source, EntityType type, SourceQuery? query = null)
    {
        var all = new List<Entity>();
        await foreach (SourcePage page in source.ReadAsync(type, query ?? SourceQuery.All, null))
        {
            Assert.Empty(page.Errors);
            all.AddRange(page.Records);
        }

        return all;
    }

    [Fact]
    public async Task ReadAsync_DocExamples_MapEveryModelField()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(DocStore);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);

        var taxes = (await ReadAllAsync(source, EntityType.Taxes)).Cast<Tax>().ToList();
        Assert.Equal(10, taxes.Count);
        Tax tax = taxes[0];
        Assert.Equal(("72", "State Tax", 4.0000m, "US", "AL", "standard"), (tax.SourceId, tax.Name, tax.Rate, tax.CountryCode, tax.Region, tax.TaxClass));
        Assert.Equal("35041", tax.Extensions["woocommerce.postcode"]);

        var categories = (await ReadAllAsync(source, EntityType.Categories)).Cast<Category>().ToList();
        Assert.Equal(7, categories.Count);
        Category albums = categories.Single(c => c.SourceId == "15");
        Assert.Equal(("Albums", "albums", "11"), (albums.Name, albums.Slug, albums.ParentId));
        Assert.Null(categories.Single(c => c.SourceId == "9").ParentId);

        var products = (await ReadAllAsync(source, EntityType.Products)).Cast<Product>().ToList();
        Product variable = products.Single(p => p.SourceId == "799");
        Assert.Equal(ProductKind.Variable, variable.Kind);
        Assert.Equal(["Color", "Size"], variable.Options.Select(o => o.Name));
        Assert.Equal(["Black", "Green"], variable.Options[0].Values);
        Assert.Equal(2, variable.Variants.Count);
        ProductVariant black = variable.Variants.Single(v => v.SourceId == "732");
        Assert.Equal(new Money(9.00m, "EUR"), black.Price);
        Assert.Contains(black.OptionValues, o => o.Name == "Color" && o.Value == "Black");
        Assert.NotNull(black.Image);
        Assert.Equal("/product/ship-your-idea-22/", variable.Url);
        Assert.Equal("taxable", variable.Extensions["woocommerce.tax_status"]);
        Assert.Equal("visible", variable.Extensions["woocommerce.catalog_visibility"]);

        Product simple = products.Single(p => p.SourceId == "794");
        Assert.Equal(ProductKind.Simple, simple.Kind);
        Assert.Equal(PublishStatus.Active, simple.Status);
        Assert.Equal(new Money(21.99m, "EUR"), simple.Price);
        Assert.Equal(["9", "14"], simple.CategoryIds);
        Assert.Equal(["463", "47", "31", "387", "458"], simple.RelatedIds);
        Assert.NotEmpty(simple.Images);
        Assert.StartsWith("https://example.com/wp-content/uploads/", simple.Images[0].Url, StringComparison.Ordinal);
        Assert.Equal("premium-quality-19", simple.Slug);
        Assert.Equal(TimeSpan.Zero, simple.CreatedAt!.Value.Offset);

        var customers = (await ReadAllAsync(source, EntityType.Customers)).Cast<Customer>().ToList();
        Customer john = customers.Single(c => c.SourceId == "25");
        Assert.Equal(("john.doe@example.com", "John", "Doe", "customer"), (john.Email, john.FirstName, john.LastName, john.Group));
        Assert.Equal(2, john.Addresses.Count);
        Assert.True(john.Addresses[0].IsDefaultBilling);
        Assert.Equal("969 Market", john.Addresses[0].Line1);
        Assert.Equal("(555) 555-5555", john.Phone);
        Assert.Equal(new DateTimeOffset(2017, 3, 21, 19, 9, 28, TimeSpan.Zero), john.CreatedAt);

        var orders = (await ReadAllAsync(source, EntityType.Orders)).Cast<Order>().ToList();
        Order order = orders.Single(o => o.SourceId == "727");
        Assert.Null(order.CustomerId);
        Assert.Equal(("processing", "USD", "727"), (order.Status, order.Currency, order.Number));
        Assert.Equal(new Money(29.35m, "USD"), order.Total);
        Assert.Equal(new Money(10.00m, "USD"), order.ShippingTotal);
        Assert.Equal(new Money(1.35m, "USD"), order.TaxTotal);
        Assert.Equal(new Money(18.00m, "USD"), order.Subtotal);
        Assert.Equal(("bacs", "Direct Bank Transfer", "Flat Rate"), (order.PaymentMethod, order.PaymentMethodTitle, order.ShippingMethod));
        Assert.Equal(new DateTimeOffset(2017, 3, 22, 19, 28, 2, TimeSpan.Zero), order.CreatedAt);
        Assert.Equal(new DateTimeOffset(2017, 3, 22, 19, 28, 8, TimeSpan.Zero), order.PaidAt);
        OrderLine first = order.Lines[0];
        Assert.Equal(("93", null, 2, 3m, 6.00m), (first.ProductId, first.VariantId, first.Quantity, first.UnitPrice.Amount, first.Total.Amount));
        Assert.Equal(("22", "23", "Bar3"), (order.Lines[1].ProductId, order.Lines[1].VariantId, order.Lines[1].Sku));
        Assert.Equal(3, order.Notes.Count);
        Assert.NotNull(order.BillingAddress);
        Assert.Equal("john.doe@example.com", order.Email);
        Assert.Contains("woocommerce.tax_lines", order.Extensions.Keys);
        Assert.Contains("woocommerce.meta_data", order.Extensions.Keys);

        var reviews = (await ReadAllAsync(source, EntityType.Reviews)).Cast<Review>().ToList();
        Review review = reviews.Single(r => r.SourceId == "22");
        Assert.Equal(("22", "John Doe", "john.doe@example.com", 5, true), (review.ProductId, review.ReviewerName, review.ReviewerEmail, review.Rating, review.Approved));

        var coupons = (await ReadAllAsync(source, EntityType.Coupons)).Cast<Coupon>().ToList();
        Coupon free = coupons.Single(c => c.SourceId == "720");
        Assert.Equal(("free shipping", DiscountKind.FixedCart, true, true), (free.Code, free.Kind, free.FreeShipping, free.IndividualUse));

        RecordedRequest reviewsRequest = store.To("GET", Api + "products/reviews").First();
        Assert.Equal("all", reviewsRequest.Query["status"]);
        Assert.All(store.Requests.Where(r => r.Query.ContainsKey("page")), r =>
        {
            Assert.Equal("100", r.Query["per_page"]);
            Assert.Equal("id", r.Query["orderby"]);
            Assert.Equal("asc", r.Query["order"]);
        });
    }

    [Theory]
    [InlineData("products__retrieve-a-product", EntityType.Products)]
    [InlineData("product-categories__retrieve-a-product-category", EntityType.Categories)]
    [InlineData("customers__retrieve-a-customer", EntityType.Customers)]
    [InlineData("orders__retrieve-an-order", EntityType.Orders)]
    [InlineData("product-reviews__retrieve-a-product-review", EntityType.Reviews)]
    [InlineData("coupons__retrieve-a-coupon", EntityType.Coupons)]
    [InlineData("taxes__retrieve-a-tax-rate", EntityType.Taxes)]
    public void Map_RetrieveExamples_KeepIdAndUnknownFields(string file, EntityType type)
    {
        JsonElement e = JsonDocument.Parse(DocExamples.Read(file)).RootElement;
        Entity entity = SourceMapper.Map(type, e, "USD");
        Assert.Equal(e.GetProperty("id").GetRawText(), entity.SourceId);
        Assert.All(entity.Extensions.Keys, k => Assert.StartsWith("woocommerce.", k, StringComparison.Ordinal));
        Assert.DoesNotContain("woocommerce._links", entity.Extensions.Keys);
    }

    [Fact]
    public void Map_VariationWithEmptyOption_IsAnyValue()
    {
        JsonElement product = JsonDocument.Parse("""{"id":5,"name":"Tee","type":"variable","regular_price":"","attributes":[{"name":"Size","variation":true,"options":["S","M"]}]}""").RootElement;
        JsonElement variation = JsonDocument.Parse("""{"id":6,"regular_price":"10.50","attributes":[{"name":"Size","option":""}]}""").RootElement;
        Product p = SourceMapper.MapProduct(product, "USD", [variation]);
        Assert.Equal(new OptionValue("Size", null), p.Variants[0].OptionValues[0]);
        Assert.Null(p.Price);
    }

    private static Reply Numbered(RecordedRequest r, int total)
    {
        int perPage = int.Parse(r.Query["per_page"]);
        int page = int.Parse(r.Query["page"]);
        int pages = (total + perPage - 1) / perPage;
        var ids = Enumerable.Range(((page - 1) * perPage) + 1, Math.Max(0, Math.Min(perPage, total - ((page - 1) * perPage))));
        string body = "[" + string.Join(",", ids.Select(i => $$"""{"id":{{i}},"name":"T{{i}}","rate":"1.0","class":"standard"}""")) + "]";
        return Reply.Json(body, total, pages);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(100, 100, 1)]
    [InlineData(101, 101, 2)]
    [InlineData(250, 250, 3)]
    public async Task ReadAsync_Paging_ReadsEveryRecordOnce(int total, int expected, int requests)
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "taxes" ? Numbered(r, total) : null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        var pages = new List<SourcePage>();
        await foreach (SourcePage page in source.ReadAsync(EntityType.Taxes, SourceQuery.All, null))
        {
            pages.Add(page);
        }

        List<string> ids = pages.SelectMany(p => p.Records).Select(r => r.SourceId).ToList();
        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(requests, store.To("GET", Api + "taxes").Count());
        Assert.Null(pages[^1].ResumeToken);
        Assert.All(pages.SkipLast(1).Select((p, i) => (p, i)), x => Assert.Equal((x.i + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), x.p.ResumeToken));
        Assert.Equal(total, await source.CountAsync(EntityType.Taxes, SourceQuery.All));
    }

    [Fact]
    public async Task ReadAsync_ResumePastTheEnd_ReturnsEmptyLastPage()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "taxes" ? Numbered(r, 150) : null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        var pages = new List<SourcePage>();
        await foreach (SourcePage page in source.ReadAsync(EntityType.Taxes, SourceQuery.All, "3"))
        {
            pages.Add(page);
        }

        SourcePage only = Assert.Single(pages);
        Assert.Empty(only.Records);
        Assert.Null(only.ResumeToken);
        Assert.Equal("3", store.To("GET", Api + "taxes").Single().Query["page"]);
    }

    [Fact]
    public async Task ReadAsync_MalformedRecord_IsAPageErrorNotAnException()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "taxes"
            ? Reply.Json("""[{"id":1,"name":"Ok","rate":"5"},{"id":2,"name":"Bad","rate":"five"}]""", 2, 1)
            : null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        await foreach (SourcePage page in source.ReadAsync(EntityType.Taxes, SourceQuery.All, null))
        {
            Assert.Equal("1", Assert.Single(page.Records).SourceId);
            RecordIssue issue = Assert.Single(page.Errors);
            Assert.Equal(("2", FailureCategory.Validation), (issue.SourceId, issue.Category));
        }
    }

    [Fact]
    public async Task ReadAsync_Deltas_UseServerFiltersWhereTheApiHasThem()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path.StartsWith(Api, StringComparison.Ordinal) && r.Path != Api + "settings/general/woocommerce_currency"
            ? Reply.Json("[]", 0, 0)
            : null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        var since = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var query = new SourceQuery { UpdatedSince = since, Ids = new[] { "7", "3" }.ToFrozenSet() };
        await ReadAllAsync(source, EntityType.Products, query);
        await ReadAllAsync(source, EntityType.Customers, query);
        RecordedRequest products = store.To("GET", Api + "products").Single();
        Assert.Equal("2024-05-01T12:00:00Z", products.Query["modified_after"]);
        Assert.Equal("true", products.Query["dates_are_gmt"]);
        Assert.Equal("3,7", products.Query["include"]);
        RecordedRequest customers = store.To("GET", Api + "customers").Single();
        Assert.False(customers.Query.ContainsKey("modified_after"));
        Assert.Null(await source.CountAsync(EntityType.Customers, query));
    }

    [Fact]
    public async Task ReadAsync_CustomersUpdatedSince_FiltersOnTheClient()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "customers"
            ? Reply.Json("""[{"id":1,"email":"a@x.test","date_modified_gmt":"2020-01-01T00:00:00"},{"id":2,"email":"b@x.test","date_modified_gmt":"2024-06-01T00:00:00"}]""", 2, 1)
            : null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        List<Entity> read = await ReadAllAsync(source, EntityType.Customers, new SourceQuery { UpdatedSince = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal("2", Assert.Single(read).SourceId);
    }

    [Fact]
    public async Task ReadAsync_NoRedirectionPlugin_ReadsNoRedirects()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(_ => null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        List<Entity> read = await ReadAllAsync(source, EntityType.Redirects);
        Assert.Empty(read);
        Assert.Equal(0, await source.CountAsync(EntityType.Redirects, SourceQuery.All));
    }

    [Fact]
    public async Task ReadAsync_PagesAndPosts_UseWordPressApiWithApplicationPassword()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path switch
        {
            "/wp-json/wp/v2/posts" when r.Query["page"] == "1" => Reply.Json("""[{"id":4,"date_gmt":"2024-01-02T03:04:05","modified_gmt":"2024-01-03T03:04:05","slug":"hello","status":"publish","link":"https://shop.test/2024/hello/","title":{"rendered":"Hello"},"content":{"rendered":"<p>Hi</p>"},"excerpt":{"rendered":"<p>H</p>"},"author":1,"categories":[1],"tags":[]}]""", 1, 1),
            _ => null,
        });
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        BlogPost post = (BlogPost)Assert.Single(await ReadAllAsync(source, EntityType.BlogPosts));
        Assert.Equal(("Hello", "<p>Hi</p>", "<p>H</p>", "/2024/hello/", PublishStatus.Active), (post.Title, post.Body, post.Excerpt, post.Url, post.Status));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), post.PublishedAt);
        string expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + TestOptions.AppPassword));
        Assert.Equal(expected, store.To("GET", "/wp-json/wp/v2/posts").First().Authorization);
    }

    [Theory]
    [InlineData("http://shop.example.test/product/tee/", "/product/tee/")]
    [InlineData("https://shop.example.test/?post_type=product&p=19", "/?post_type=product&p=19")]
    [InlineData("/?post_type=product&p=19", "/?post_type=product&p=19")]
    [InlineData("/product-category/shoes/", "/product-category/shoes/")]
    public void PathOf_UrlOrPath_PathAndQueryUnescaped(string url, string expected)
        => Assert.Equal(expected, SourceMapper.PathOf(url));
}
