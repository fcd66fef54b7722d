using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

/// <summary>A seeded sandbox plus the few records the doc examples need that a sample store does not hold (downloads, a tax rate with postcodes).</summary>
public sealed class ContractFixture : IAsyncLifetime
{
    public WooCommerceSandbox Sandbox { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public long DownloadCustomerId { get; private set; }

    public async Task InitializeAsync()
    {
        Sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        Client = Sandbox.CreateClient();
        Reply tax = await Client.PostReplyAsync("wp-json/wc/v3/taxes", new JsonObject
        {
            ["country"] = "US",
            ["state"] = "AL",
            ["postcodes"] = new JsonArray("35014", "35036", "35041"),
            ["cities"] = new JsonArray("Alpine", "Brookside", "Cardiff"),
            ["rate"] = "4.0000",
            ["name"] = "State Tax",
            ["class"] = "standard",
        });
        Assert.Equal(HttpStatusCode.Created, tax.Status);
        Reply product = await Client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject
        {
            ["name"] = "Woo Album #2",
            ["regular_price"] = "9.00",
            ["virtual"] = true,
            ["downloadable"] = true,
            ["downloads"] = new JsonArray(new JsonObject { ["name"] = "Song 2", ["file"] = "https://files.example.test/song-2.mp3" }),
        });
        Reply customer = await Client.PostReplyAsync("wp-json/wc/v3/customers", new JsonObject { ["email"] = "joao.silva@example.test", ["first_name"] = "Jo\u00e3o", ["last_name"] = "Silva" });
        DownloadCustomerId = Http.Id(customer.Body);
        Reply order = await Client.PostReplyAsync("wp-json/wc/v3/orders", new JsonObject
        {
            ["customer_id"] = DownloadCustomerId,
            ["status"] = "completed",
            ["billing"] = new JsonObject { ["email"] = "joao.silva@example.test" },
            ["line_items"] = new JsonArray(new JsonObject { ["product_id"] = Http.Id(product.Body), ["quantity"] = 1 }),
        });
        Assert.Equal(HttpStatusCode.Created, order.Status);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>
/// For every <c>*__list-all-*.json</c> and <c>*__retrieve-*.json</c> example of the official WooCommerce REST v3 docs, fetches the
/// matching sandbox endpoint and checks that its JSON has every field of the example with the same JSON kind, recursively
/// (each array element against the example's first element). Nulls: a field the docs show as null may hold anything; a field
/// WooCommerce leaves null when unset (dates, images, stock, limits) may be null where the docs show a value. An empty array in
/// the docs is PHP's encoding of an empty map too, so it also matches an object. Under <c>_links</c> only <c>self</c> and
/// <c>collection</c> are required: WooCommerce adds <c>up</c>, <c>customer</c> and <c>reviewer</c> only when they apply.
/// Every non-empty array and every object of an example must be matched by at least one non-empty array or object in the
/// responses, so no part of the shape goes unchecked.
/// </summary>
public sealed class DocExampleContractTests : IClassFixture<ContractFixture>
{
    private readonly ContractFixture _fixture;

    public DocExampleContractTests(ContractFixture fixture)
    {
        _fixture = fixture;
    }

    private WooCommerceStoreView Store => _fixture.Sandbox.Store;

    public static TheoryData<string> ExampleFiles()
    {
        TheoryData<string> files = [];
        foreach (string path in Directory.GetFiles(SharedData.DocExamplesDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.Contains("__list-all-", StringComparison.Ordinal) || name.Contains("__retrieve-", StringComparison.Ordinal))
            {
                files.Add(name);
            }
        }

        return files;
    }

    [Fact]
    public void ExampleFiles_AreFound()
        => Assert.True(ExampleFiles().Count >= 20, $"Expected the doc examples in {SharedData.DocExamplesDirectory}.");

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Endpoint_MatchingDocExample_HasEveryDocumentedFieldWithTheSameJsonKind(string example)
    {
        JsonNode doc = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SharedData.DocExamplesDirectory, example + ".json")))!;
        JsonNode expected = doc is JsonArray list ? list[0]! : doc;
        DocShapeChecker checker = new();
        checker.Collect(expected, "$");
        List<string> urls = UrlsFor(example);
        Assert.NotEmpty(urls);
        int compared = 0;
        foreach (string url in urls)
        {
            Reply reply = await _fixture.Client.GetReplyAsync(url);
            Assert.True(reply.Status == HttpStatusCode.OK, $"{url} answered {reply.Code}: {reply.Text}");
            if (doc is JsonArray)
            {
                foreach (JsonNode? item in reply.Array)
                {
                    checker.Compare(expected, item, "$", "$");
                    compared++;
                }
            }
            else
            {
                checker.Compare(expected, reply.Body, "$", "$");
                compared++;
            }
        }

        Assert.True(compared > 0, $"No item was returned for {example}.");
        Assert.True(checker.Errors.Count == 0, $"{example}:\n" + string.Join("\n", checker.Errors.Distinct().Take(30)));
        List<string> uncovered = [.. checker.Expected.Except(checker.Covered).Order()];
        Assert.True(uncovered.Count == 0, $"{example}: no response had a non-empty value at " + string.Join(", ", uncovered));
    }

    private List<string> UrlsFor(string example)
    {
        const string Api = "wp-json/wc/v3/";
        IEnumerable<long> Ids(IEnumerable<JsonObject> items, int take = 30) => items.Take(take).Select(i => Http.Id(i));
        List<long> variable = [.. Store.GetProducts().Where(p => (string)p["type"]! == "variable").Take(15).Select(p => Http.Id(p))];
        List<long> ordersWithNotes = [.. Store.GetOrders().Where(o => Store.GetOrderNotes(Http.Id(o)).Count > 0).Take(20).Select(o => Http.Id(o))];
        List<long> refunded = [.. Store.GetOrders().Where(o => Store.GetRefunds(Http.Id(o)).Count > 0).Take(20).Select(o => Http.Id(o))];
        return example switch
        {
            "coupons__list-all-coupons" => [Api + "coupons?per_page=100"],
            "coupons__retrieve-a-coupon" => [.. Ids(Store.GetCoupons()).Select(id => $"{Api}coupons/{id}")],
            "customers__list-all-customers" => [Api + "customers?per_page=100"],
            "customers__retrieve-a-customer" => [.. Ids(Store.GetCustomers()).Select(id => $"{Api}customers/{id}")],
            "customers__retrieve-customer-downloads" => [$"{Api}customers/{_fixture.DownloadCustomerId}/downloads"],
            "order-notes__list-all-order-notes" => [.. ordersWithNotes.Select(id => $"{Api}orders/{id}/notes")],
            "order-notes__retrieve-an-order-note" => [.. ordersWithNotes.SelectMany(o => Store.GetOrderNotes(o).Select(n => $"{Api}orders/{o}/notes/{Http.Id(n)}"))],
            "order-refunds__list-all-refunds" => [.. refunded.Select(id => $"{Api}orders/{id}/refunds")],
            "order-refunds__retrieve-a-refund" => [.. refunded.SelectMany(o => Store.GetRefunds(o).Select(r => $"{Api}orders/{o}/refunds/{Http.Id(r)}"))],
            "orders__list-all-orders" => [Api + "orders?per_page=100"],
            "orders__retrieve-an-order" => [.. Ids(Store.GetOrders()).Select(id => $"{Api}orders/{id}")],
            "product-attributes__list-all-product-attributes" => [Api + "products/attributes"],
            "product-attributes__retrieve-a-product-attribute" => [.. Ids(Store.GetAttributes()).Select(id => $"{Api}products/attributes/{id}")],
            "product-categories__list-all-product-categories" => [Api + "products/categories?per_page=100"],
            "product-categories__retrieve-a-product-category" => [.. Ids(Store.GetCategories()).Select(id => $"{Api}products/categories/{id}")],
            "product-reviews__list-all-product-reviews" => [Api + "products/reviews?per_page=100"],
            "product-reviews__retrieve-a-product-review" => [.. Ids(Store.GetReviews()).Select(id => $"{Api}products/reviews/{id}")],
            "product-tags__list-all-product-tags" => [Api + "products/tags?per_page=100"],
            "product-tags__retrieve-a-product-tag" => [.. Ids(Store.GetTags()).Select(id => $"{Api}products/tags/{id}")],
            "product-variations__list-all-product-variations" => [.. variable.Select(id => $"{Api}products/{id}/variations")],
            "product-variations__retrieve-a-product-variation" => [.. variable.SelectMany(p => Store.GetVariations(p).Select(v => $"{Api}products/{p}/variations/{Http.Id(v)}"))],
            "products__list-all-products" => [Api + "products?per_page=100"],
            "products__retrieve-a-product" => [.. Ids(Store.GetProducts()).Select(id => $"{Api}products/{id}")],
            "taxes__list-all-tax-rates" => [Api + "taxes?per_page=100"],
            "taxes__retrieve-a-tax-rate" => [.. Ids(Store.GetTaxes()).Select(id => $"{Api}taxes/{id}")],
            _ => throw new InvalidOperationException($"The contract test has no endpoint for the doc example '{example}'; add one."),
        };
    }
}
