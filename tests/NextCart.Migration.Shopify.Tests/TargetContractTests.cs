using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>Contract tests of the Shopify target against the Shopify sandbox.</summary>
public sealed class TargetContractTests
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 5, Products = 12, Customers = 6, Orders = 10 });

    private static TargetRecord Create(Entity entity, IReadOnlyDictionary<EntityRef, ResolvedTarget>? references = null) => new(entity, WriteAction.Create, null, references);

    private static async Task<ShopifySandbox> EmptyShopAsync() => await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });

    private static void AssertWritten(BatchOutcome outcome)
        => Assert.All(outcome.Results, r => Assert.True(r.Status != RecordStatus.Failed, $"{r.SourceId}: {r.Category} {r.Message}"));

    [Fact]
    public async Task WriteAsync_OrderWithCustomerAndVariant_LinksBoth()
    {
        await using ShopifySandbox shop = await EmptyShopAsync();
        using var http = new HttpClient();
        ITargetConnector target = Shops.Target(shop, http);
        Product product = Sample.Get<Product>().First(p => p.Kind == ProductKind.Variable && p.Variants.Count > 1 && p.Variants.All(v => v.OptionValues.All(o => o.Value is not null)));
        product = product with { CategoryIds = [], RelatedIds = [], UpsellIds = [], CrossSellIds = [], ManufacturerId = null };
        Customer customer = Sample.Get<Customer>().First(c => c.Email is not null);

        BatchOutcome products = await target.WriteAsync(EntityType.Products, [Create(product)]);
        BatchOutcome customers = await target.WriteAsync(EntityType.Customers, [Create(customer)]);
        AssertWritten(products);
        AssertWritten(customers);
        ProductVariant variant = product.Variants[1];
        ChildMapping child = Assert.Single(products.Results[0].Children, c => c.SourceId == variant.SourceId);
        var order = new Order
        {
            SourceId = "o1",
            Number = "5001",
            Status = OrderStatuses.Completed,
            Currency = "USD",
            CustomerId = customer.SourceId,
            Email = customer.Email,
            Lines = [new OrderLine { SourceId = "l1", ProductId = product.SourceId, VariantId = variant.SourceId, Name = product.Name, Quantity = 2, UnitPrice = new Money(9.5m, "USD"), Total = new Money(19m, "USD") }],
            Total = new Money(19m, "USD"),
        };
        var references = new Dictionary<EntityRef, ResolvedTarget>
        {
            [new EntityRef(EntityType.Customers, customer.SourceId)] = new(customers.Results[0].TargetId!, null),
            [EntityRef.Product(product.SourceId)] = new(products.Results[0].TargetId!, products.Results[0].TargetUrl),
            [EntityRef.Variant(product.SourceId, variant.SourceId)] = new(child.TargetId, null),
        };

        BatchOutcome orders = await target.WriteAsync(EntityType.Orders, [Create(order, references)]);

        AssertWritten(orders);
        System.Text.Json.Nodes.JsonObject written = Assert.Single(shop.View.GetOrders());
        Assert.Contains(customers.Results[0].TargetId!, written.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(child.TargetId, written.ToJsonString(), StringComparison.Ordinal);
    }
}
