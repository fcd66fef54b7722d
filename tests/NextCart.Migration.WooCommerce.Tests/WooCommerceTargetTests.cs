using System.Text.Json.Nodes;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.WooCommerce.Tests;

public sealed class WooCommerceTargetTests
{
    private const string Api = "/wp-json/wc/v3/";

    private static TargetRecord Create(Entity entity, Dictionary<EntityRef, ResolvedTarget>? refs = null) => new(entity, WriteAction.Create, null, refs);

    private static Product Simple(int i, string? sku = null) => new() { SourceId = "p" + i, Name = "Product " + i, Sku = sku ?? "SKU-" + i, Price = new Money(9.99m, "USD") };

    /// <summary>Answers a batch like WooCommerce: one result per item, in order, ids from 1000 up.</summary>
    private static Reply EchoBatch(RecordedRequest r, Func<JsonObject, JsonNode?>? perItem = null)
    {
        JsonObject body = JsonNode.Parse(r.Body)!.AsObject();
        var response = new JsonObject();
        int next = 1000;
        foreach (string kind in new[] { "create", "update" })
        {
            if (body[kind] is JsonArray items)
            {
                var results = new JsonArray();
                foreach (JsonNode? item in items)
                {
                    JsonNode? custom = perItem?.Invoke(item!.AsObject());
                    results.Add(custom ?? new JsonObject { ["id"] = item!["id"]?.GetValue<long>() ?? next++, ["permalink"] = "https://shop.test/product/x-" + next + "/" });
                }

                response[kind] = results;
            }
        }

        return Reply.Json(response.ToJsonString());
    }

    private static int ItemCount(RecordedRequest r)
    {
        JsonObject body = JsonNode.Parse(r.Body)!.AsObject();
        return (body["create"] as JsonArray)?.Count + (body["update"] as JsonArray)?.Count ?? ((body["create"] as JsonArray)?.Count ?? 0) + ((body["update"] as JsonArray)?.Count ?? 0);
    }

    [Fact]
    public async Task WriteAsync_LargeInput_SplitsIntoBatchesOfAtMost100()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "products/batch" ? EchoBatch(r) : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        Assert.Equal(100, target.GetLimits(EntityType.Products).MaxBatchSize);
        TargetRecord[] records = Enumerable.Range(1, 150).Select(i => Create(Simple(i))).ToArray();
        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, records);
        Assert.Equal(150, outcome.Results.Count);
        Assert.All(outcome.Results, r => Assert.Equal(RecordStatus.Created, r.Status));
        Assert.Equal(records.Select(r => r.Entity.SourceId), outcome.Results.Select(r => r.SourceId));
        var batches = store.To("POST", Api + "products/batch").ToList();
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.True(JsonNode.Parse(b.Body)!["create"]!.AsArray().Count <= 100));
        JsonNode first = JsonNode.Parse(batches[0].Body)!["create"]![0]!;
        Assert.Equal("_nextcart_source_id", first["meta_data"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("p1", first["meta_data"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("9.99", first["regular_price"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_PerItemError_FailsOnlyThatRecord()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "customers/batch"
            ? EchoBatch(r, item => item["email"]!.GetValue<string>() == "bad" ? JsonNode.Parse("""{"id":0,"error":{"code":"rest_invalid_param","message":"Invalid parameter(s): email","data":{"status":400}}}""") : null)
            : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        BatchOutcome outcome = await target.WriteAsync(EntityType.Customers,
        [
            Create(new Customer { SourceId = "c1", Email = "a@x.test" }),
            Create(new Customer { SourceId = "c2", Email = "bad" }),
            new TargetRecord(new Customer { SourceId = "c3", Email = "c@x.test" }, WriteAction.Update, "77", null),
        ]);
        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal(RecordStatus.Failed, outcome.Results[1].Status);
        Assert.Equal(FailureCategory.Validation, outcome.Results[1].Category);
        Assert.Equal("rest_invalid_param: Invalid parameter(s): email", outcome.Results[1].Message);
        Assert.Equal((RecordStatus.Updated, "77"), (outcome.Results[2].Status, outcome.Results[2].TargetId));
        JsonObject body = JsonNode.Parse(store.To("POST", Api + "customers/batch").Single().Body)!.AsObject();
        Assert.Equal(2, body["create"]!.AsArray().Count);
        Assert.Equal(77, body["update"]![0]!["id"]!.GetValue<long>());
        Assert.Null(body["create"]![0]!["password"]);
    }

    [Fact]
    public async Task WriteAsync_DuplicateSku_AdoptsTheExistingProduct()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => (r.Method, r.Path) switch
        {
            ("POST", Api + "products/batch") => EchoBatch(r, item => item["id"] is null && item["sku"]!.GetValue<string>() is "DUP" or "TAKEN"
                ? JsonNode.Parse("""{"id":0,"error":{"code":"product_invalid_sku","message":"Invalid or duplicated SKU.","data":{"status":400,"resource_id":RID,"unique_sku":"x"}}}""".Replace("RID", item["sku"]!.GetValue<string>() == "DUP" ? "500" : "501", StringComparison.Ordinal))
                : null),
            ("GET", Api + "products") => Reply.Json("""[{"id":500,"sku":"DUP","meta_data":[]},{"id":501,"sku":"TAKEN","meta_data":[{"id":1,"key":"_nextcart_source_id","value":"other"}]}]"""),
            _ => null,
        });
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, [Create(Simple(1)), Create(Simple(2, "DUP")), Create(Simple(3, "TAKEN"))]);
        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal((RecordStatus.Updated, "500"), (outcome.Results[1].Status, outcome.Results[1].TargetId));
        Assert.Equal(RecordStatus.Failed, outcome.Results[2].Status);
        Assert.Contains("source record other", outcome.Results[2].Message, StringComparison.Ordinal);
        var batches = store.To("POST", Api + "products/batch").ToList();
        Assert.Equal(2, batches.Count);
        JsonArray adopted = JsonNode.Parse(batches[1].Body)!["update"]!.AsArray();
        Assert.Equal(500, Assert.Single(adopted)!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task WriteAsync_VariableProduct_WritesVariationsAndReturnsChildren()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path is Api + "products/batch" or Api + "products/1000/variations/batch" ? EchoBatch(r) : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        var product = new Product
        {
            SourceId = "10",
            Name = "Tee",
            Kind = ProductKind.Variable,
            CategoryIds = ["5"],
            Options = [new ProductOption { Name = "Size", Values = ["S", "M"] }],
            Variants =
            [
                new ProductVariant { SourceId = "11", Sku = "TEE-S", Price = new Money(10m, "USD"), OptionValues = [new OptionValue("Size", "S")] },
                new ProductVariant { SourceId = "12", Sku = "TEE-ANY", Price = new Money(10m, "USD"), OptionValues = [new OptionValue("Size", null)] },
            ],
            Images = [new ImageInfo { Url = "https://img.test/a.jpg" }],
        };
        var refs = new Dictionary<EntityRef, ResolvedTarget> { [new EntityRef(EntityType.Categories, "5")] = new("55", null) };
        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, [Create(product, refs)]);
        RecordOutcome result = Assert.Single(outcome.Results);
        Assert.Equal(RecordStatus.Created, result.Status);
        Assert.Equal([new ChildMapping("11", "1000"), new ChildMapping("12", "1001")], result.Children);
        JsonNode sent = JsonNode.Parse(store.To("POST", Api + "products/batch").Single().Body)!["create"]![0]!;
        Assert.Equal(55, sent["categories"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("https://img.test/a.jpg", sent["images"]![0]!["src"]!.GetValue<string>());
        JsonNode variations = JsonNode.Parse(store.To("POST", Api + "products/1000/variations/batch").Single().Body)!["create"]!;
        Assert.Equal(string.Empty, variations[1]!["attributes"]![0]!["option"]!.GetValue<string>());
        Assert.Equal("12", variations[1]!["meta_data"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_Order_ResolvesReferencesAndNeverMarksPaid()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "orders/batch" ? EchoBatch(r) : r.Path == Api + "orders/1000/notes" ? Reply.Json("""{"id":1}""") : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        var order = new Order
        {
            SourceId = "727",
            Status = "processing",
            Currency = "USD",
            CustomerId = "25",
            Total = new Money(29.35m, "USD"),
            CouponCodes = ["SAVE"],
            Notes = [new OrderNote { Content = "Shipped", IsCustomerNote = true, CreatedAt = new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero) }],
            Lines =
            [
                new OrderLine { SourceId = "1", ProductId = "22", VariantId = "23", Name = "Tee", Quantity = 1, UnitPrice = new Money(12m, "USD"), Total = new Money(12m, "USD") },
                new OrderLine { SourceId = "2", ProductId = "99", Name = "Deleted", Quantity = 2, UnitPrice = new Money(3m, "USD"), Total = new Money(6m, "USD") },
            ],
        };
        var refs = new Dictionary<EntityRef, ResolvedTarget>
        {
            [new EntityRef(EntityType.Customers, "25")] = new("250", null),
            [EntityRef.Product("22")] = new("220", null),
            [EntityRef.Variant("22", "23")] = new("230", null),
        };
        BatchOutcome outcome = await target.WriteAsync(EntityType.Orders, [Create(order, refs)]);
        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Contains(outcome.Results[0].Warnings, w => w.Contains("custom (fee) line", StringComparison.Ordinal));
        JsonNode sent = JsonNode.Parse(store.To("POST", Api + "orders/batch").Single().Body)!["create"]![0]!;
        Assert.False(sent["set_paid"]!.GetValue<bool>());
        Assert.Equal(250, sent["customer_id"]!.GetValue<long>());
        Assert.Equal(220, sent["line_items"]![0]!["product_id"]!.GetValue<long>());
        Assert.Equal(230, sent["line_items"]![0]!["variation_id"]!.GetValue<long>());
        Assert.Single(sent["line_items"]!.AsArray());
        Assert.Equal("Deleted × 2", sent["fee_lines"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("6", sent["fee_lines"]![0]!["total"]!.GetValue<string>());
        Assert.Null(sent["coupon_lines"]);
        JsonNode note = JsonNode.Parse(store.To("POST", Api + "orders/1000/notes").Single().Body)!;
        Assert.False(note["customer_note"]!.GetValue<bool>());
        Assert.Equal("2024-01-02 03:04 UTC (note to customer): Shipped", note["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task FindExistingAsync_BySku_ReturnsTheCarriedSourceId()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "products"
            ? r.Query.GetValueOrDefault("sku") switch
            {
                "A" => Reply.Json("""[{"id":500,"type":"simple","permalink":"https://shop.test/product/a/","meta_data":[{"id":1,"key":"_nextcart_source_id","value":"p1"}]}]"""),
                "B" => Reply.Json("""[{"id":501,"type":"simple","meta_data":[{"id":1,"key":"_nextcart_source_id","value":"someone-else"}]}]"""),
                _ => Reply.Json("[]"),
            }
            : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Products,
            [new SourceIdentity(EntityType.Products, "p1", "A"), new SourceIdentity(EntityType.Products, "p2", "B"), new SourceIdentity(EntityType.Products, "p3", "C")]);
        Assert.Equal(2, found.Count);
        Assert.Equal(new ExistingTarget("p1", "500", "/product/a/"), found[0]);
        Assert.Equal("someone-else", found[1].SourceId);
    }

    [Fact]
    public async Task LinkAsync_CategoryParentsAndUpsells_ThroughBatchUpdate()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path is Api + "products/categories/batch" or Api + "products/batch" ? EchoBatch(r) : null);
        using var http = new HttpClient();
        var linker = (ITargetLinker)WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        BatchOutcome categories = await linker.LinkAsync(EntityType.Categories,
            [new LinkRecord("10", "100", [new ResolvedLink(new EntityReference(new EntityRef(EntityType.Categories, "9"), ReferenceRole.Parent, ReferenceKind.Deferred), new ResolvedTarget("90", null))])]);
        Assert.Equal(RecordStatus.Updated, categories.Results[0].Status);
        JsonNode sent = JsonNode.Parse(store.To("POST", Api + "products/categories/batch").Single().Body)!["update"]![0]!;
        Assert.Equal((100L, 90L), (sent["id"]!.GetValue<long>(), sent["parent"]!.GetValue<long>()));

        BatchOutcome products = await linker.LinkAsync(EntityType.Products,
            [new LinkRecord("1", "10", [
                new ResolvedLink(new EntityReference(EntityRef.Product("2"), ReferenceRole.Upsell, ReferenceKind.Deferred), new ResolvedTarget("20", null)),
                new ResolvedLink(new EntityReference(EntityRef.Product("3"), ReferenceRole.CrossSell, ReferenceKind.Deferred), new ResolvedTarget("30", null)),
            ])]);
        Assert.Equal(RecordStatus.Updated, products.Results[0].Status);
        JsonNode product = JsonNode.Parse(store.To("POST", Api + "products/batch").Single().Body)!["update"]![0]!;
        Assert.Equal(20, product["upsell_ids"]![0]!.GetValue<long>());
        Assert.Equal(30, product["cross_sell_ids"]![0]!.GetValue<long>());
    }

    [Fact]
    public async Task Check_WithoutRedirectionPlugin_RedirectsUnsupportedWithReason()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => r.Path == Api + "settings/general" ? Reply.Json("[]") : null);
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        Assert.True((await target.CheckAsync()).Succeeded);
        TargetLimits redirects = target.GetLimits(EntityType.Redirects);
        Assert.False(redirects.IsSupported);
        Assert.Contains("Redirection plugin", redirects.UnsupportedReason, StringComparison.Ordinal);
        Assert.True(target.GetLimits(EntityType.Reviews).IsSupported);
    }

    [Fact]
    public async Task WriteAsync_WholeBatchRejected_ThrowsValidationSoTheEngineSplits()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r => new Reply(400, """{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400}}"""));
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        MigrationException ex = await Assert.ThrowsAnyAsync<MigrationException>(async () => await target.WriteAsync(EntityType.Products, [Create(Simple(1))]));
        Assert.Equal(FailureCategory.Validation, ex.Category);
        Assert.False(ex.IsTransient);
    }
}

public sealed class WooCommerceCategoryWaveTests
{
    [Fact]
    public async Task WriteAsync_ChildBeforeParentInBatch_CreatesParentFirstAndNestsChild()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(r =>
        {
            if (r.Path != "/wp-json/wc/v3/products/categories/batch")
            {
                return null;
            }

            JsonArray creates = System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["create"]!.AsArray();
            int offset = creates.Count == 1 && creates[0]!["slug"]!.GetValue<string>() == "child" ? 2 : 1;
            var results = new JsonArray(creates.Select((c, i) => (JsonNode)new JsonObject { ["id"] = 100 + offset + i }).ToArray());
            return Reply.Json(new JsonObject { ["create"] = results }.ToJsonString());
        });
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http);
        BatchOutcome outcome = await target.WriteAsync(EntityType.Categories,
        [
            new TargetRecord(new Category { SourceId = "2", Name = "Same", Slug = "child", ParentId = "1" }, WriteAction.Create, null, null),
            new TargetRecord(new Category { SourceId = "1", Name = "Same", Slug = "parent" }, WriteAction.Create, null, null),
        ]);
        Assert.Equal(("102", "101"), (outcome.Results[0].TargetId, outcome.Results[1].TargetId));
        var batches = store.To("POST", "/wp-json/wc/v3/products/categories/batch").ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal(101, System.Text.Json.Nodes.JsonNode.Parse(batches[1].Body)!["create"]![0]!["parent"]!.GetValue<long>());
    }
}
