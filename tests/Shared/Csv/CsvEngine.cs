using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.TestSupport.Csv;

/// <summary>Runs the real <see cref="MigrationManager"/> (in-memory store) between two connectors, and compares products.</summary>
internal static class CsvEngine
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new DecimalConverter() } };

    public static async Task<MigrationReport> RunAsync(string projectId, ISourceConnector source, ITargetConnector target, MigrationMode mode = MigrationMode.Full, params EntityType[] types)
    {
        var services = new ServiceCollection();
        services.AddNextCartMigration();
        await using ServiceProvider provider = services.BuildServiceProvider();
        MigrationManager manager = provider.GetRequiredService<MigrationManager>();
        MigrationOperation run = await manager.StartAsync(
            new MigrationProject(projectId, source, target),
            new MigrationOptions { Mode = mode, Entities = new HashSet<EntityType>(types.Length == 0 ? [EntityType.Categories, EntityType.Products] : types), CreateRedirects = types.Contains(EntityType.Redirects) });
        MigrationReport report = await run.WaitForCompletionAsync();
        Assert.True(report.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, $"{report.Status}: {report.Message} {string.Join(" | ", report.Failures.Select(f => f.Message))}");
        return report;
    }

    /// <summary>
    /// The canonical fields of a product with the store-assigned ids replaced by SKUs or positions, so the same product read from
    /// two files compares equal; and its extension bag, likewise re-keyed.
    /// </summary>
    public static (string Fields, Dictionary<string, string> Extensions) Normalize(Product p, IReadOnlyDictionary<string, string> idToSku, string variationPrefix)
    {
        var variantIndex = p.Variants.Select((v, i) => (v.SourceId, i)).ToDictionary(x => x.SourceId, x => x.i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Product normalized = p with
        {
            SourceId = string.Empty,
            Extensions = p.Extensions.Clear(),
            Variants = p.Variants.Select((v, i) => v with { SourceId = "#" + variantIndex[v.SourceId] }).ToArray(),
            UpsellIds = p.UpsellIds.Select(id => idToSku.GetValueOrDefault(id, id)).ToArray(),
            CrossSellIds = p.CrossSellIds.Select(id => idToSku.GetValueOrDefault(id, id)).ToArray(),
            GroupedIds = p.GroupedIds.Select(id => idToSku.GetValueOrDefault(id, id)).ToArray(),
        };
        Dictionary<string, string> ext = [];
        foreach ((string key, string value) in p.Extensions)
        {
            string k = key;
            if (key.StartsWith(variationPrefix, StringComparison.Ordinal))
            {
                string rest = key[variationPrefix.Length..];
                int dot = rest.IndexOf('.', StringComparison.Ordinal);
                k = variationPrefix + "#" + variantIndex.GetValueOrDefault(rest[..dot], rest[..dot]) + rest[dot..];
            }

            ext[k] = value;
        }

        return (JsonSerializer.Serialize(normalized, Json), ext);
    }
}

/// <summary>Writes decimals without trailing zeros, so <c>20.00</c> and <c>20</c> compare equal.</summary>
internal sealed class DecimalConverter : System.Text.Json.Serialization.JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
}
