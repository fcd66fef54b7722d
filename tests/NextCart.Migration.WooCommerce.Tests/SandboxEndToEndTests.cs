using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.WooCommerce.Tests;

/// <summary>A full <see cref="MigrationManager"/> run from one WooCommerce sandbox to another.</summary>
public sealed class SandboxEndToEndTests
{
    private static WooCommerceConnectorOptions For(WooCommerceSandbox sandbox) => new()
    {
        StoreUrl = sandbox.BaseAddress,
        ConsumerKey = sandbox.ConsumerKey,
        ConsumerSecret = sandbox.ConsumerSecret,
        WordPressUser = sandbox.WordPressUserName,
        WordPressApplicationPassword = sandbox.ApplicationPassword,
    };

    [Fact]
    public async Task FullRunThenRemigration_EveryRecordExactlyOnce()
    {
        await using WooCommerceSandbox source = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { ProductCount = 25 });
        await using WooCommerceSandbox target = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        var services = new ServiceCollection();
        services.AddNextCartMigration();
        await using ServiceProvider provider = services.BuildServiceProvider();
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        using var http = new HttpClient();
        var project = new MigrationProject(
            "woo-to-woo",
            WooCommerceConnectorFactory.CreateSource(For(source), http),
            WooCommerceConnectorFactory.CreateTarget(For(target), http));
        MigrationOptions Options(MigrationMode mode) => new()
        {
            Mode = mode,
            Entities = new HashSet<EntityType> { EntityType.Taxes, EntityType.Categories, EntityType.Products, EntityType.Customers, EntityType.Orders, EntityType.Reviews, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts },
            DefaultOrderStatus = OrderStatuses.Pending,
            DefaultCustomerGroup = CustomerGroups.General,
            CreateRedirects = false,
        };

        MigrationOperation run = await manager.StartAsync(project, Options(MigrationMode.Full));
        MigrationReport report = await run.WaitForCompletionAsync();
        // The seeded store has customers sharing an e-mail; WooCommerce refuses the later ones, and the run reports them.
        Assert.All(report.Failures, f => Assert.Contains("registration-error-email-exists", f.Message, StringComparison.Ordinal));
        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, $"{report.Status}: {report.Message} {string.Join(" | ", report.Failures.Take(5).Select(f => $"{f.EntityType}:{f.SourceId}:{f.Message}"))}");

        IReadOnlyDictionary<string, int> expected = source.Store.GetCounts();
        IReadOnlyDictionary<string, int> actual = target.Store.GetCounts();
        Assert.Equal(expected["customers"] - report.Failures.Count, actual["customers"]);
        foreach (string key in new[] { "taxes", "products", "variations", "orders", "order_notes", "coupons", "pages", "posts" })
        {
            Assert.True(expected[key] == actual[key], $"{key}: source {expected[key]}, target {actual[key]}");
        }

        AssertEachOnce(target.Store.GetProducts());
        AssertEachOnce(target.Store.GetOrders());
        AssertEachOnce(target.Store.GetCustomers());

        MigrationOperation again = await manager.StartAsync(project, Options(MigrationMode.Remigration));
        MigrationReport second = await again.WaitForCompletionAsync();
        Assert.True(second.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, $"{second.Status}: {second.Message}");
        Assert.All(second.Failures, f => Assert.Contains("registration-error-email-exists", f.Message, StringComparison.Ordinal));
        IReadOnlyDictionary<string, int> after = target.Store.GetCounts();
        Assert.Equal(actual["products"], after["products"]);
        Assert.Equal(actual["variations"], after["variations"]);
        Assert.Equal(actual["orders"], after["orders"]);
        Assert.Equal(actual["order_notes"], after["order_notes"]);
        Assert.Equal(actual["customers"], after["customers"]);
    }

    private static void AssertEachOnce(IReadOnlyList<JsonObject> records)
    {
        var ids = records.Select(r => r["meta_data"]?.AsArray().FirstOrDefault(m => m?["key"]?.GetValue<string>() == "_nextcart_source_id")?["value"]?.ToString()).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
