using System.Text.Json.Nodes;

namespace NextCart.Migration.ConsoleHost.Tests.Infrastructure;

/// <summary>Compares a target sandbox with its source through their REST APIs: every record exactly once, relationships intact.</summary>
internal static class MigrationCheck
{
    /// <summary>Checks products, customers and orders, and returns the points the ledger should have charged.</summary>
    public static async Task<decimal> AssertExactlyOnceAsync(SandboxProcess source, SandboxProcess target, JsonObject report)
    {
        // The sample store holds deliberately broken records (duplicate e-mails, sibling categories with one name…): the report
        // lists each one it could not write, with its reason; every other record must be on the target exactly once.
        ILookup<string, string> failed = report["failures"]!.AsArray().ToLookup(f => f!["entityType"]!.GetValue<string>(), f => f!["sourceId"]!.GetValue<string>());
        HashSet<string> failedCustomers = failed["customers"].ToHashSet(StringComparer.Ordinal);
        HashSet<string> failedProducts = failed["products"].ToHashSet(StringComparer.Ordinal);
        Dictionary<string, string> products = await AssertTypeAsync(source, target, "products", failedProducts);
        Dictionary<string, string> customers = await AssertTypeAsync(source, target, "customers", failedCustomers);
        Dictionary<string, string> orders = await AssertTypeAsync(source, target, "orders", failed["orders"].ToHashSet(StringComparer.Ordinal));

        // Relationships: each target order points at the target records of its source order's customer and products.
        Dictionary<string, JsonObject> sourceOrders = (await source.GetAllAsync("orders")).ToDictionary(o => o["id"]!.ToString(), StringComparer.Ordinal);
        foreach (JsonObject order in await target.GetAllAsync("orders"))
        {
            JsonObject original = sourceOrders[SandboxProcess.SourceId(order)!];
            string sourceCustomer = original["customer_id"]!.ToString();
            string targetCustomer = order["customer_id"]!.ToString();
            if (sourceCustomer == "0" || failedCustomers.Contains(sourceCustomer))
            {
                Assert.Equal("0", targetCustomer);
            }
            else
            {
                Assert.Equal(sourceCustomer, customers[targetCustomer]);
            }

            // A line of a product that could not be migrated (reported above) cannot point at it on the target.
            List<string> sourceLines = original["line_items"]!.AsArray().Select(l => l!["product_id"]!.ToString()).Where(p => p != "0" && !failedProducts.Contains(p)).Order(StringComparer.Ordinal).ToList();
            List<string> targetLines = order["line_items"]!.AsArray().Select(l => products.GetValueOrDefault(l!["product_id"]!.ToString(), "0")).Where(p => p != "0").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(sourceLines, targetLines);
        }

        int migratedCustomers = customers.Count;
        return products.Count * 1.0m + migratedCustomers * 0.5m + orders.Count * 0.8m;
    }

    /// <summary>Checks a type and returns the map from target id to source id.</summary>
    private static async Task<Dictionary<string, string>> AssertTypeAsync(SandboxProcess source, SandboxProcess target, string resource, HashSet<string> failed)
    {
        List<string> expected = (await source.GetAllAsync(resource)).Select(r => r["id"]!.ToString()).Where(id => !failed.Contains(id)).Order(StringComparer.Ordinal).ToList();
        List<JsonObject> written = await target.GetAllAsync(resource);
        List<string> sourceIds = written.Select(r => SandboxProcess.SourceId(r) ?? "(none)").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(sourceIds), $"{resource}: expected {expected.Count} records once each, found {sourceIds.Count} ({sourceIds.Count - sourceIds.Distinct().Count()} duplicates).");
        return written.ToDictionary(r => r["id"]!.ToString(), r => SandboxProcess.SourceId(r)!, StringComparer.Ordinal);
    }
}
