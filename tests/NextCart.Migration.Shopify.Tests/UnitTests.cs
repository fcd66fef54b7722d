using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Internal;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>Unit tests of cost prediction, the bucket, batching and mapping.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Predict_Connection_CostsTwoPlusFirstAndMultipliesNested()
    {
        const string document = "query Q($first: Int!) { products(first: $first) { nodes { id seo { title } variants(first: 10) { nodes { id selectedOptions { name } } } } pageInfo { hasNextPage } } }";

        int cost = QueryCost.Predict(document, new JsonObject { ["first"] = 5 });

        // products 2+5; per product: seo 1 + variants (2+10) + 10 × selectedOptions 1 = 23; 7 + 5 × 23 = 122.
        Assert.Equal(122, cost);
    }

    [Fact]
    public void Predict_Mutation_CostsTenWhateverItSelects()
    {
        Assert.Equal(10, QueryCost.Predict(ShopifyDocuments.CollectionCreate, new JsonObject { ["input"] = new JsonObject { ["title"] = "x" } }));
        Assert.Equal(30, QueryCost.Predict(GraphQLBatch.Compose(ShopifyDocuments.PageDelete, 3), new JsonObject()));
    }

    [Fact]
    public void Predict_ProductSet_AddsVariantsFilesAndMetafields()
    {
        var input = new JsonObject
        {
            ["variants"] = new JsonArray(new JsonObject { ["metafields"] = new JsonArray(new JsonObject()) }, new JsonObject(), new JsonObject()),
            ["files"] = new JsonArray(new JsonObject(), new JsonObject()),
            ["metafields"] = new JsonArray(new JsonObject()),
        };

        int cost = QueryCost.Predict(ShopifyDocuments.ProductSet, new JsonObject { ["input"] = input, ["variants"] = 3 });

        // 10 + 3 × 0.2 + 2 × 1.9 + 2 × 0.4 = 15.2, rounded up.
        Assert.Equal(16, cost);
    }

    [Fact]
    public async Task AcquireAsync_BucketCannotHoldCost_WaitsForTheRestoreRate()
    {
        var time = new FakeTimeProvider();
        var bucket = new CostBucket("shop", 100, 10, time);
        await bucket.AcquireAsync(90, CancellationToken.None);

        Task second = bucket.AcquireAsync(50, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));
        await second.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, bucket.Waits);
    }

    [Fact]
    public void Complete_ThrottleStatus_ResynchronisesLessWhatIsInFlight()
    {
        var time = new FakeTimeProvider();
        var bucket = new CostBucket("shop", 1000, 50, time);
        Assert.True(bucket.AcquireAsync(100, CancellationToken.None).IsCompleted);
        Assert.True(bucket.AcquireAsync(200, CancellationToken.None).IsCompleted);

        bucket.Complete(100, new ThrottleStatus(2000, 500, 100), executed: true);

        Assert.Equal(300, bucket.Available); // 500 on the server less the 200 still in flight
        Assert.Equal(2000, bucket.MaximumAvailable);
        Assert.Equal(100, bucket.RestoreRate);
    }

    [Fact]
    public void Compose_ThreeCopies_AliasesFieldsAndRenamesVariables()
    {
        string composed = GraphQLBatch.Compose(ShopifyDocuments.PageDelete, 3);
        JsonObject variables = GraphQLBatch.Variables([new JsonObject { ["id"] = "a" }, new JsonObject { ["id"] = "b" }, new JsonObject { ["id"] = "c" }]);

        Assert.Contains("m2: pageDelete(id: $id_2)", composed, StringComparison.Ordinal);
        Assert.Contains("$id_0: ID!", composed, StringComparison.Ordinal);
        Assert.Equal("c", variables["id_2"]!.GetValue<string>());
        Assert.Equal("pageDelete", GraphQLBatch.ResponseKey(ShopifyDocuments.PageDelete, 1, 0));
        Assert.Equal("m1", GraphQLBatch.ResponseKey(ShopifyDocuments.PageDelete, 3, 1));
    }

    [Fact]
    public void FormatUserErrors_FieldPathMessageAndCode_AreKept()
    {
        string message = ShopifyTarget.FormatUserErrors([new ShopifyTarget.UserError(["input", "title"], "Title can't be blank", "BLANK")]);

        Assert.Equal("input.title: Title can't be blank (BLANK)", message);
    }

    [Fact]
    public void Product_AnyValueVariant_IsExpandedIntoTheListedValuesWithAWarning()
    {
        var product = new Product
        {
            SourceId = "p1",
            Name = "Shirt",
            Kind = ProductKind.Variable,
            Options = [new ProductOption { Name = "Size", Values = ["S", "M", "L"] }],
            Variants =
            [
                new ProductVariant { SourceId = "v1", OptionValues = [new OptionValue("Size", "S")], Price = new Money(10, "USD") },
                new ProductVariant { SourceId = "v2", OptionValues = [new OptionValue("Size", null)], Price = new Money(12, "USD") },
            ],
        };

        MutationPlan plan = TargetMapper.Product(new TargetRecord(product, WriteAction.Create, null, null), "USD");

        JsonArray variants = plan.Variables["input"]!["variants"]!.AsArray();
        Assert.Equal(3, variants.Count);
        Assert.Equal(["S", "M", "L"], variants.Select(v => v!["optionValues"]![0]!["name"]!.GetValue<string>()));
        Assert.Contains(plan.Warnings, w => w.Contains("v2", StringComparison.Ordinal) && w.Contains("expanded into 2", StringComparison.Ordinal));
        Assert.Equal(["v1", "v2"], plan.Variants.Select(v => v.SourceId));
    }

    [Fact]
    public void Product_FourOptions_IsRejectedAsValidation()
    {
        var product = new Product
        {
            SourceId = "p1",
            Name = "Too many",
            Kind = ProductKind.Variable,
            Variants = [new ProductVariant { SourceId = "v", OptionValues = [new("A", "1"), new("B", "1"), new("C", "1"), new("D", "1")] }],
        };

        Assert.Throws<InvalidOperationException>(() => TargetMapper.Product(new TargetRecord(product, WriteAction.Create, null, null), "USD"));
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedTogether()
    {
        var options = new ShopifyConnectorOptions { ShopUrl = new Uri("http://shop.example/"), PageSize = 0, MaxConcurrency = 99, BlogHandle = "Not A Handle" };

        IReadOnlyList<string> errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("plain http", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AccessToken", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PageSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxConcurrency", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("BlogHandle", StringComparison.Ordinal));
        var ex = Assert.Throws<MigrationConfigurationException>(() => ShopifyConnectorFactory.CreateTarget(options, new HttpClient()));
        Assert.Equal(5, ex.Errors.Count);
    }

    [Fact]
    public void ToString_AccessToken_IsMasked()
    {
        var options = new ShopifyConnectorOptions { ShopUrl = new Uri("https://shop.example/"), AccessToken = "shpat_secret" };

        Assert.DoesNotContain("shpat_secret", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_secret", string.Join(",", options.NonSecretSettings().Values), StringComparison.Ordinal);
    }

    [Fact]
    public void GetLimits_Reviews_AreUnsupportedUnlessOptedIn()
    {
        ITargetConnector plain = ShopifyConnectorFactory.CreateTarget(new ShopifyConnectorOptions { ShopUrl = new Uri("https://shop.example/"), AccessToken = "t" }, new HttpClient());
        ITargetConnector optedIn = ShopifyConnectorFactory.CreateTarget(new ShopifyConnectorOptions { ShopUrl = new Uri("https://shop.example/"), AccessToken = "t", ReviewStorage = ShopifyReviewStorage.ProductMetafields }, new HttpClient());

        Assert.False(plain.GetLimits(EntityType.Reviews).IsSupported);
        Assert.Contains("ReviewStorage", plain.GetLimits(EntityType.Reviews).UnsupportedReason, StringComparison.Ordinal);
        Assert.True(optedIn.GetLimits(EntityType.Reviews).IsSupported);
        Assert.False(plain.GetLimits(EntityType.Taxes).IsSupported);
        _ = NullLogger.Instance;
    }
}
