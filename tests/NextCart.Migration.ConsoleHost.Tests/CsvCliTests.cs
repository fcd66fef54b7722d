using System.Text.Json.Nodes;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;
using NextCart.Migration.Sqlite;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary>The <c>woocommerce-csv:</c> and <c>shopify-csv:</c> specs, over real files the tests write into a temporary directory.</summary>
public sealed class CsvCliTests
{
    /// <summary>Three simple products and a variable one with two variations, in WooCommerce's export header.</summary>
    private const string WooProducts =
        "ID,Type,SKU,Name,Published,Regular price,Categories,Parent,Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,Attribute 1 global\n" +
        "10,simple,MUG,Mug,1,9.50,Kitchen,,,,,\n" +
        "11,simple,PLATE,Plate,1,12.00,Kitchen,,,,,\n" +
        "12,simple,SOCKS,Socks,1,3.00,Clothing,,,,,\n" +
        "20,variable,CAP,Cap,1,,Clothing > Hats,,Color,\"Red, Green\",1,1\n" +
        "21,variation,CAP-RED,Cap - Red,1,10.00,,id:20,Color,Red,,1\n" +
        "22,variation,CAP-GREEN,Cap - Green,1,11.00,,id:20,Color,Green,,1\n";

    [Fact]
    public async Task Run_WooCommerceCsvFileToShopifyCsvDirectory_WritesEveryProductAndVariantRow()
    {
        using TestDirectory directory = new();
        await File.WriteAllTextAsync(directory.File("products.csv"), WooProducts);
        string report = directory.File("report.json");

        // Relative paths, from the temporary directory: the project must store them in full.
        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "woocommerce-csv:products.csv", "--target", "shopify-csv:out", "--project", "csv", "--store", directory.Store, "--report", report],
            workingDirectory: directory.Path);

        Assert.True(result.ExitCode == 0, result.Output);
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal(4, json["entities"]!["products"]!["migrated"]!.GetValue<long>());
        Assert.Equal(3, json["entities"]!["categories"]!["migrated"]!.GetValue<long>());

        List<Dictionary<string, string>> rows = ReadCsv(Path.Combine(directory.Path, "out", "products.csv"));
        Assert.Equal(["cap", "cap", "mug", "plate", "socks"], rows.Select(r => r["Handle"]).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["CAP-GREEN", "CAP-RED", "MUG", "PLATE", "SOCKS"], rows.Select(r => r["Variant SKU"]).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(9.5m, decimal.Parse(rows.Single(r => r["Variant SKU"] == "MUG")["Variant Price"], System.Globalization.CultureInfo.InvariantCulture));
        List<Dictionary<string, string>> redirects = ReadCsv(Path.Combine(directory.Path, "out", "redirects.csv"));
        Assert.Equal(7, redirects.Count);
        Assert.Contains(redirects, r => r["Redirect from"] == "/product/mug/" && r["Redirect to"] == "/products/mug");

        // The source has no customers, so no customers.csv is published.
        Assert.False(File.Exists(Path.Combine(directory.Path, "out", "customers.csv")));

        ICheckpointStore store = SqliteCheckpointStore.Create($"Data Source={directory.Store["sqlite:".Length..]}");
        try
        {
            ProjectRecord project = (await store.GetProjectAsync("csv"))!;
            Assert.Equal("woocommerce-csv:" + directory.File("products.csv"), project.Settings["source"]);
            Assert.Equal("shopify-csv:" + directory.File("out"), project.Settings["target"]);
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
    }

    [Fact]
    public async Task Resume_FromAnotherWorkingDirectory_RebuildsTheCsvConnectorsFromTheStoredFullPaths()
    {
        using TestDirectory directory = new();
        await File.WriteAllTextAsync(directory.File("products.csv"), WooProducts);

        // Queued from the directory that holds the file, with relative paths; executed from the test's output directory.
        CliResult queued = await CliProcess.RunAsync(
            ["run", "--source", "woocommerce-csv:products.csv", "--target", "woocommerce-csv:out", "--project", "csv-resume", "--entities", "categories,products", "--background", "--store", directory.Store],
            workingDirectory: directory.Path);
        Assert.True(queued.ExitCode == 0, queued.Output);
        CliResult resumed = await CliProcess.RunAsync(["resume", "--project", "csv-resume", "--store", directory.Store]);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "out")));
        List<Dictionary<string, string>> rows = ReadCsv(Path.Combine(directory.Path, "out", "products.csv"));
        Assert.Equal(["CAP", "CAP-GREEN", "CAP-RED", "MUG", "PLATE", "SOCKS"], rows.Select(r => r["SKU"]).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Run_SandboxWooCommerceToWooCommerceCsv_WritesOneRowPerProductAndVariation()
    {
        using TestDirectory directory = new();
        string output = directory.File("woo-out");
        string report = directory.File("report.json");

        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "sandbox:woocommerce?products=8&seed=5", "--target", "woocommerce-csv:" + output, "--entities", "categories,products", "--store", directory.Store, "--report", report]);

        Assert.True(result.ExitCode == 0, result.Output);
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal(8, json["entities"]!["products"]!["migrated"]!.GetValue<long>());
        List<Dictionary<string, string>> rows = ReadCsv(Path.Combine(output, "products.csv"));
        Assert.Equal(8, rows.Count(r => r["Type"] != "variation"));
        Assert.All(rows.Where(r => r["Type"] == "variation"), v => Assert.NotEmpty(v["Parent"]));
        Assert.Equal(8, rows.Where(r => r["Type"] != "variation").Select(r => r["Name"]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Estimate_WooCommerceCsv_CountsTheFile()
    {
        using TestDirectory directory = new();
        await File.WriteAllTextAsync(directory.File("products.csv"), WooProducts);

        CliResult result = await CliProcess.RunAsync(["estimate", "--source", "woocommerce-csv:" + directory.File("products.csv"), "--entities", "products", "--store", directory.Store]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(result.Stdout, l => l.Contains("products", StringComparison.Ordinal) && l.Contains('4', StringComparison.Ordinal));
        Assert.Contains(result.Stdout, l => l.Contains("Chargeable: 4 Entity Points", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("woocommerce-csv", "missing.csv", "does not exist")]
    [InlineData("shopify-csv", "missing.csv", "does not exist")]
    [InlineData("woocommerce-csv", "folder", "is a directory")]
    [InlineData("woocommerce-csv", "orders.csv", "the required columns 'Type', 'Name', 'ID or SKU' are missing. The header found is: Order ID,Total")]
    [InlineData("shopify-csv", "orders.csv", "The header found is: Order ID,Total")]
    public async Task Run_BadCsvSource_ExitsFourWithOneLine(string scheme, string name, string expected)
    {
        using TestDirectory directory = new();
        Directory.CreateDirectory(directory.File("folder"));
        await File.WriteAllTextAsync(directory.File("orders.csv"), "Order ID,Total\n1,9.99\n");

        CliResult run = await CliProcess.RunAsync(["run", "--source", $"{scheme}:{directory.File(name)}", "--target", "sandbox:woocommerce", "--store", directory.Store]);
        CliResult estimate = await CliProcess.RunAsync(["estimate", "--source", $"{scheme}:{directory.File(name)}", "--store", directory.Store]);

        Assert.Equal(4, run.ExitCode);
        AssertOneLine(run, expected);
        Assert.Equal(4, estimate.ExitCode);
        AssertOneLine(estimate, expected);
    }

    [Theory]
    [InlineData("products.csv/out", "cannot be written")]
    [InlineData("products.csv", "is a file")]
    public async Task Run_UnwritableCsvTarget_ExitsFourWithOneLine(string target, string expected)
    {
        using TestDirectory directory = new();
        await File.WriteAllTextAsync(directory.File("products.csv"), WooProducts);

        // A directory under a regular file can never be created, whoever runs the test (root included).
        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "woocommerce-csv:" + directory.File("products.csv"), "--target", "shopify-csv:" + directory.File(target), "--store", directory.Store]);

        Assert.Equal(4, result.ExitCode);
        AssertOneLine(result, expected);
    }

    private static void AssertOneLine(CliResult result, string expected)
    {
        string line = Assert.Single(result.Stderr);
        Assert.StartsWith("nextcart-migrate: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    /// <summary>Reads a CSV with a header (RFC 4180 quoting) into one dictionary per row.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        List<List<string>> records = [];
        List<string> fields = [];
        System.Text.StringBuilder field = new();
        string text = File.ReadAllText(path);
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(fields);
                fields = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }

        List<string> header = records[0];
        return records.Skip(1).Select(r => header.Select((h, i) => (h, v: i < r.Count ? r[i] : string.Empty)).GroupBy(p => p.h).ToDictionary(g => g.Key, g => g.First().v, StringComparer.Ordinal)).ToList();
    }
}
