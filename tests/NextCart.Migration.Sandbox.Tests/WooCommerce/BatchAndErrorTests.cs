using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class BatchAndErrorTests : IAsyncLifetime
{
    private WooCommerceSandbox _sandbox = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        _client = _sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static JsonArray Products(int count, string prefix)
        => [.. Enumerable.Range(1, count).Select(i => (JsonNode?)new JsonObject { ["name"] = $"{prefix} {i}", ["sku"] = $"{prefix}-{i}", ["regular_price"] = "9.99" })];

    [Fact]
    public async Task BatchProducts_100Creates_AllCreatedInInputOrder()
    {
        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products/batch", new JsonObject { ["create"] = Products(100, "B100") });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        JsonArray created = reply.Object["create"]!.AsArray();
        Assert.Equal(100, created.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"B100-{i}"), created.Select(p => (string)p!["sku"]!));
        Assert.All(created, p => Assert.True(Http.Id(p) > 0));
        Assert.False(reply.Object.ContainsKey("update"));
    }

    [Fact]
    public async Task BatchProducts_101ItemsAcrossCreateUpdateDelete_Returns413AsDocumented()
    {
        long existing = Http.Id(_sandbox.Store.GetProducts()[0]);
        JsonObject body = new()
        {
            ["create"] = Products(50, "B101"),
            ["update"] = new JsonArray([.. Enumerable.Range(0, 50).Select(_ => (JsonNode?)new JsonObject { ["id"] = existing, ["name"] = "x" })]),
            ["delete"] = new JsonArray(existing),
        };

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products/batch", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("woocommerce_rest_request_entity_too_large", reply.ErrorCode);
        Assert.Equal("Unable to accept more than 100 items for this request.", (string)reply.Object["message"]!);
        Assert.Equal(413, (int)reply.Object["data"]!["status"]!);
        Assert.DoesNotContain(_sandbox.Store.GetProducts(), p => ((string)p["sku"]!).StartsWith("B101-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BatchProducts_InvalidItems_PerItemErrorsInsideA200()
    {
        JsonObject taken = _sandbox.Store.GetProducts().First(p => ((string)p["sku"]!).Length > 0);
        JsonObject body = new()
        {
            ["create"] = new JsonArray(
                new JsonObject { ["name"] = "Fine", ["sku"] = "BATCH-OK" },
                new JsonObject { ["name"] = "Clash", ["sku"] = (string)taken["sku"]! }),
            ["update"] = new JsonArray(new JsonObject { ["id"] = 987654, ["name"] = "Ghost" }),
            ["delete"] = new JsonArray(0, 876543),
        };

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products/batch", body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        JsonArray create = reply.Object["create"]!.AsArray();
        Assert.Equal("BATCH-OK", (string)create[0]!["sku"]!);
        Assert.Equal(0, Http.Id(create[1]));
        Assert.Equal("product_invalid_sku", (string)create[1]!["error"]!["code"]!);
        Assert.Equal(400, (int)create[1]!["error"]!["data"]!["status"]!);
        Assert.Equal(Http.Id(taken), (long)create[1]!["error"]!["data"]!["resource_id"]!);
        JsonNode update = Assert.Single(reply.Object["update"]!.AsArray())!;
        Assert.Equal(987654, Http.Id(update));
        Assert.Equal("woocommerce_rest_product_invalid_id", (string)update["error"]!["code"]!);
        Assert.Equal(400, (int)update["error"]!["data"]!["status"]!);
        JsonNode delete = Assert.Single(reply.Object["delete"]!.AsArray())!;
        Assert.Equal(876543, Http.Id(delete));
        Assert.Equal(404, (int)delete["error"]!["data"]!["status"]!);
    }

    [Fact]
    public async Task CreateProduct_DuplicateSku_Returns400WithResourceIdAndUniqueSku()
    {
        JsonObject taken = _sandbox.Store.GetProducts().First(p => ((string)p["sku"]!).Length > 0);
        string sku = ((string)taken["sku"]!).ToLowerInvariant();

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = "Copy", ["sku"] = sku });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("product_invalid_sku", reply.ErrorCode);
        Assert.Equal("Invalid or duplicated SKU.", (string)reply.Object["message"]!);
        Assert.Equal(Http.Id(taken), (long)reply.Object["data"]!["resource_id"]!);
        Assert.Equal(sku + "-1", (string)reply.Object["data"]!["unique_sku"]!);
    }

    [Fact]
    public async Task CreateVariation_SkuOfAnotherProduct_IsRejectedToo()
    {
        JsonObject variable = _sandbox.Store.GetProducts().First(p => (string)p["type"]! == "variable");
        string sku = (string)_sandbox.Store.GetProducts().First(p => (string)p["type"]! == "simple")["sku"]!;

        Reply reply = await _client.PostReplyAsync($"wp-json/wc/v3/products/{Http.Id(variable)}/variations", new JsonObject { ["sku"] = sku, ["regular_price"] = "5" });

        Assert.Equal("product_invalid_sku", reply.ErrorCode);
    }

    [Fact]
    public async Task CreateProduct_PriceAsNumber_Returns400InvalidTypeButBatchAcceptsIt()
    {
        Reply single = await _client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = "Numeric", ["regular_price"] = 10.5 });
        Reply batch = await _client.PostReplyAsync("wp-json/wc/v3/products/batch", new JsonObject { ["create"] = new JsonArray(new JsonObject { ["name"] = "Numeric", ["regular_price"] = 10.5 }) });

        Assert.Equal(HttpStatusCode.BadRequest, single.Status);
        Assert.Equal("rest_invalid_param", single.ErrorCode);
        Assert.Equal("regular_price is not of type string.", (string)single.Object["data"]!["params"]!["regular_price"]!);
        Assert.Equal("10.5", (string)batch.Object["create"]![0]!["regular_price"]!);
    }

    [Fact]
    public async Task CreateCustomer_DuplicateEmailInAnotherCase_ReturnsRegistrationErrorEmailExists()
    {
        string email = ((string)_sandbox.Store.GetCustomers()[0]["email"]!).ToUpperInvariant();

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/customers", new JsonObject { ["email"] = email, ["first_name"] = "Dup" });
        Reply batch = await _client.PostReplyAsync("wp-json/wc/v3/customers/batch", new JsonObject { ["create"] = new JsonArray(new JsonObject { ["email"] = email }) });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("registration-error-email-exists", reply.ErrorCode);
        Assert.Equal("registration-error-email-exists", (string)batch.Object["create"]![0]!["error"]!["code"]!);
    }

    [Fact]
    public async Task CreateCustomer_MissingEmail_ReturnsRestMissingCallbackParam()
    {
        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/customers", new JsonObject { ["first_name"] = "Nomail" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("rest_missing_callback_param", reply.ErrorCode);
        Assert.Equal("Missing parameter(s): email", (string)reply.Object["message"]!);
        Assert.Equal(["email"], reply.Object["data"]!["params"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task CreateCategory_SameNameUnderTheSameParent_ReturnsTermExistsWithResourceId()
    {
        JsonObject existing = _sandbox.Store.GetCategories().First(c => (long)c["parent"]! == 0 && (string)c["slug"]! != "uncategorized");

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products/categories", new JsonObject { ["name"] = (string)existing["name"]! });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("term_exists", reply.ErrorCode);
        Assert.Equal(Http.Id(existing), (long)reply.Object["data"]!["resource_id"]!);
    }

    [Fact]
    public async Task CreateOrder_LineWithoutProductReference_ReturnsRequiredProductReference()
    {
        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/orders", new JsonObject { ["line_items"] = new JsonArray(new JsonObject { ["name"] = "Custom", ["quantity"] = 1, ["total"] = "5.00" }) });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("woocommerce_rest_required_product_reference", reply.ErrorCode);
    }

    [Fact]
    public async Task CreateOrder_UnknownCustomer_ReturnsInvalidCustomerId()
    {
        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/orders", new JsonObject { ["customer_id"] = 424242 });

        Assert.Equal("woocommerce_rest_invalid_customer_id", reply.ErrorCode);
    }

    [Fact]
    public async Task CreateOrder_WithProductLines_ComputesStringTotalsAndPaidDateOnProcessing()
    {
        JsonObject product = _sandbox.Store.GetProducts().First(p => (string)p["type"]! == "simple" && ((string)p["price"]!).Length > 0);
        JsonObject body = new()
        {
            ["status"] = "processing",
            ["billing"] = new JsonObject { ["email"] = "guest@example.test", ["country"] = "US" },
            ["line_items"] = new JsonArray(new JsonObject { ["product_id"] = Http.Id(product), ["quantity"] = 2 }),
            ["shipping_lines"] = new JsonArray(new JsonObject { ["method_id"] = "flat_rate", ["method_title"] = "Flat", ["total"] = "5.00" }),
            ["meta_data"] = new JsonArray(new JsonObject { ["key"] = "_nextcart_source_id", ["value"] = "77" }),
        };

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/orders", body);

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        JsonObject order = reply.Object;
        decimal price = decimal.Parse((string)product["price"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((price * 2 + 5m).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), (string)order["total"]!);
        Assert.Equal(0, (long)order["customer_id"]!);
        Assert.Equal("rest-api", (string)order["created_via"]!);
        Assert.NotNull((string?)order["date_paid_gmt"]);
        Assert.Equal(Http.Id(product), (long)order["line_items"]![0]!["product_id"]!);
        Assert.Equal((string)product["sku"]!, (string)order["line_items"]![0]!["sku"]!);
        Assert.Single(WooCommerceStoreView.WithMeta(_sandbox.Store.GetOrders(), "_nextcart_source_id", "77"));
    }

    [Fact]
    public async Task GetProduct_UnknownId_Returns404ProductInvalidId()
    {
        Reply reply = await _client.GetReplyAsync("wp-json/wc/v3/products/99999999");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("woocommerce_rest_product_invalid_id", reply.ErrorCode);
        Assert.Equal("Invalid ID.", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task GetOrderAndCustomer_UnknownIds_UseTheirOwnErrorCodes()
    {
        Reply order = await _client.GetReplyAsync("wp-json/wc/v3/orders/99999999");
        Reply customer = await _client.GetReplyAsync("wp-json/wc/v3/customers/99999999");
        Reply product = await _client.GetReplyAsync($"wp-json/wc/v3/products/{Http.Id(_sandbox.Store.GetOrders()[0])}");

        Assert.Equal("woocommerce_rest_shop_order_invalid_id", order.ErrorCode);
        Assert.Equal("woocommerce_rest_invalid_id", customer.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, customer.Status);
        Assert.Equal("woocommerce_rest_product_invalid_id", product.ErrorCode);
    }

    [Fact]
    public async Task UpdateProduct_UnknownId_Returns400()
    {
        Reply reply = await _client.PutReplyAsync("wp-json/wc/v3/products/99999999", new JsonObject { ["name"] = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("woocommerce_rest_product_invalid_id", reply.ErrorCode);
    }

    [Fact]
    public async Task DeleteProduct_WithoutForce_TrashesThenAnswers410ThenForceDeletes()
    {
        long id = Http.Id(_sandbox.Store.GetProducts().Last());

        Reply trash = await _client.DeleteReplyAsync($"wp-json/wc/v3/products/{id}");
        string statusAfterTrash = (string)_sandbox.Store.GetProduct(id)!["status"]!;
        Reply list = await _client.GetReplyAsync($"wp-json/wc/v3/products?include={id}");
        Reply again = await _client.DeleteReplyAsync($"wp-json/wc/v3/products/{id}");
        Reply trashed = await _client.GetReplyAsync($"wp-json/wc/v3/products?status=trash&include={id}");
        Reply force = await _client.DeleteReplyAsync($"wp-json/wc/v3/products/{id}?force=true");
        Reply gone = await _client.GetReplyAsync($"wp-json/wc/v3/products/{id}");

        Assert.Equal(HttpStatusCode.OK, trash.Status);
        Assert.Equal("trash", statusAfterTrash);
        Assert.Null(_sandbox.Store.GetProduct(id));
        Assert.Empty(list.Array);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("woocommerce_rest_already_trashed", again.ErrorCode);
        Assert.Single(trashed.Array);
        Assert.Equal(id, Http.Id(force.Body));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task DeleteCustomerAndCategory_WithoutForce_Return501TrashNotSupported()
    {
        Reply customer = await _client.DeleteReplyAsync($"wp-json/wc/v3/customers/{Http.Id(_sandbox.Store.GetCustomers()[0])}");
        Reply category = await _client.DeleteReplyAsync($"wp-json/wc/v3/products/categories/{Http.Id(_sandbox.Store.GetCategories()[1])}");

        Assert.Equal(HttpStatusCode.NotImplemented, customer.Status);
        Assert.Equal("woocommerce_rest_trash_not_supported", customer.ErrorCode);
        Assert.Equal(HttpStatusCode.NotImplemented, category.Status);
    }

    [Fact]
    public async Task CreateProduct_Succeeds_201WithLocationAndMetaDataVisibleInTheStoreView()
    {
        JsonObject body = new()
        {
            ["name"] = "Blue Shirt",
            ["regular_price"] = "19.90",
            ["meta_data"] = new JsonArray(new JsonObject { ["key"] = "_nextcart_source_id", ["value"] = "src-42" }),
        };

        Reply reply = await _client.PostReplyAsync("wp-json/wc/v3/products", body);

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        long id = Http.Id(reply.Body);
        Assert.EndsWith($"/wp-json/wc/v3/products/{id}", reply.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("blue-shirt", (string)reply.Object["slug"]!);
        Assert.Equal("19.90", (string)reply.Object["price"]!);
        Assert.Equal([_sandbox.Store.DefaultCategoryId], reply.Object["categories"]!.AsArray().Select(Http.Id));
        JsonObject stored = Assert.Single(WooCommerceStoreView.WithMeta(_sandbox.Store.GetProducts(), "_nextcart_source_id", "src-42"));
        Assert.Equal(id, Http.Id(stored));
        Assert.True((long)stored["meta_data"]![0]!["id"]! > 0);
    }

    [Fact]
    public async Task UnknownRoute_Returns404RestNoRoute()
    {
        Reply reply = await _client.GetReplyAsync("wp-json/wc/v3/widgets");
        Reply method = await Http.SendAsync(_client, HttpMethod.Delete, "wp-json/wc/v3/products");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("rest_no_route", reply.ErrorCode);
        Assert.Equal("rest_no_route", method.ErrorCode);
    }

    [Fact]
    public async Task CreateVariation_UnderAProduct_IsASeparateResourceListedUnderItsProduct()
    {
        Reply parent = await _client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject
        {
            ["name"] = "Tee",
            ["type"] = "variable",
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "Size", ["variation"] = true, ["options"] = new JsonArray("S", "M") }),
        });
        long productId = Http.Id(parent.Body);

        Reply variation = await _client.PostReplyAsync($"wp-json/wc/v3/products/{productId}/variations", new JsonObject
        {
            ["regular_price"] = "12.00",
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "Size", ["option"] = "M" }),
        });
        Reply list = await _client.GetReplyAsync($"wp-json/wc/v3/products/{productId}/variations");
        Reply product = await _client.GetReplyAsync($"wp-json/wc/v3/products/{productId}");
        Reply asProduct = await _client.GetReplyAsync($"wp-json/wc/v3/products?include={Http.Id(variation.Body)}");

        Assert.Equal(HttpStatusCode.Created, variation.Status);
        Assert.Equal([Http.Id(variation.Body)], Http.Ids(list.Array));
        Assert.Equal([Http.Id(variation.Body)], product.Object["variations"]!.AsArray().Select(v => (long)v!));
        Assert.Equal("12.00", (string)product.Object["price"]!);
        Assert.Empty(asProduct.Array);
        Assert.Contains("attribute_size=M", (string)variation.Object["permalink"]!, StringComparison.Ordinal);
    }
}
