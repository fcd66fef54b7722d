using System.Text.Json.Nodes;
using NextCart.Migration.ConsoleHost.Tests.Infrastructure;

namespace NextCart.Migration.ConsoleHost.Tests;

/// <summary>Exit codes, the report JSON and one-line errors of the real <c>nextcart-migrate</c> process.</summary>
public sealed class CliTests
{
    [Theory]
    [InlineData("not-a-spec", "is not a store spec")]
    [InlineData("ftp:files.example", "Unknown store 'ftp:'")]
    [InlineData("shopify:shop.myshopify.com", "NEXTCART_SHOPIFY_TOKEN")]
    [InlineData("shopify:http://shop.example", "Plain http is refused")]
    [InlineData("woocommerce-csv:/nonexistent/products.csv", "does not exist")]
    [InlineData("woocommerce:http://shop.example", "Plain http is refused")]
    [InlineData("woocommerce:https://user:pw@shop.example", "carries credentials")]
    [InlineData("woocommerce:https://shop.example", "NEXTCART_WOOCOMMERCE_KEY")]
    [InlineData("sandbox:woocommerce?products=abc", "must be a whole number")]
    public async Task Run_BadSource_ExitsFourWithOneLineSayingWhatToFix(string source, string expected)
    {
        using TestDirectory directory = new();
        CliResult result = await CliProcess.RunAsync(["run", "--source", source, "--target", "sandbox:woocommerce", "--store", directory.Store]);

        Assert.Equal(4, result.ExitCode);
        AssertOneLineError(result, expected);
    }

    [Fact]
    public async Task Run_MissingRequiredOption_ExitsFourWithOneLine()
    {
        CliResult result = await CliProcess.RunAsync(["run", "--source", "sandbox:woocommerce"]);

        Assert.Equal(4, result.ExitCode);
        AssertOneLineError(result, "--target");
    }

    [Fact]
    public async Task Run_BadStore_ExitsFour()
    {
        CliResult result = await CliProcess.RunAsync(["status", "--store", "mysql:somewhere"]);

        Assert.Equal(4, result.ExitCode);
        AssertOneLineError(result, "use sqlite:PATH or postgres:CONNSTRING");
    }

    [Fact]
    public async Task Run_WrongCredentials_ExitsFourWithoutStackTrace()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 5, seed: 3);
        Dictionary<string, string?> environment = new()
        {
            ["NEXTCART_WOOCOMMERCE_KEY"] = "ck_wrong",
            ["NEXTCART_WOOCOMMERCE_SECRET"] = "cs_wrong",
        };

        CliResult result = await CliProcess.RunAsync(["run", "--source", source.Spec, "--target", "sandbox:woocommerce", "--store", directory.Store], environment);

        Assert.Equal(4, result.ExitCode);
        AssertOneLineError(result, "Source 'woocommerce'");
    }

    [Fact]
    public async Task Run_UnreachableStore_ExitsFour()
    {
        using TestDirectory directory = new();
        Dictionary<string, string?> environment = new()
        {
            ["NEXTCART_WOOCOMMERCE_KEY"] = "ck_key",
            ["NEXTCART_WOOCOMMERCE_SECRET"] = "cs_secret",
            ["NEXTCART_HTTP_MAX_RETRIES"] = "0",
        };

        CliResult result = await CliProcess.RunAsync(["run", "--source", "woocommerce:http://127.0.0.1:1", "--target", "sandbox:woocommerce", "--store", directory.Store], environment);

        Assert.Equal(4, result.ExitCode);
        AssertOneLineError(result, "could not be reached");
    }

    [Fact]
    public async Task Run_SandboxToSandboxWithReport_ExitsZeroAndWritesTheDocumentedJson()
    {
        using TestDirectory directory = new();
        string report = directory.File("report.json");

        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "sandbox:woocommerce?products=12&seed=5", "--target", "sandbox:woocommerce", "--project", "shape", "--entities", "taxes,categories,products,coupons", "--store", directory.Store, "--report", report]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(result.Stdout, l => l.StartsWith("progress products", StringComparison.Ordinal));
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal(["runId", "project", "mode", "status", "entities", "points", "failures", "warnings", "warningCounts"], json.Select(p => p.Key).ToArray());
        Assert.Equal("shape", json["project"]!.GetValue<string>());
        Assert.Equal("Full", json["mode"]!.GetValue<string>());
        Assert.Equal("Completed", json["status"]!.GetValue<string>());
        JsonObject entities = json["entities"]!.AsObject();
        Assert.Equal(
            ["taxes", "manufacturers", "categories", "products", "customers", "orders", "reviews", "coupons", "pages", "blogPosts", "redirects"],
            entities.Select(p => p.Key).ToArray());
        Assert.All(entities, e => Assert.Equal(["total", "migrated", "updated", "skipped", "failed"], e.Value!.AsObject().Select(p => p.Key).ToArray()));
        Assert.Equal(12, entities["products"]!["total"]!.GetValue<long>());
        Assert.Equal(12, entities["products"]!["migrated"]!.GetValue<long>());
        Assert.Equal(["estimated", "charged", "limit"], json["points"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(12m, json["points"]!["charged"]!.GetValue<decimal>());
        Assert.Null(json["points"]!["limit"]);
        Assert.Empty(json["failures"]!.AsArray());
        // Fewer than 100 warnings of a kind: every one is an example, so the counts add up to the examples.
        Assert.Equal(json["warnings"]!.AsArray().Count, json["warningCounts"]!.AsArray().Sum(c => c!["count"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Demo_NoArguments_MigratesWooCommerceSandboxIntoShopifySandboxIntoTheDefaultSqliteFile()
    {
        using TestDirectory directory = new();
        string report = directory.File("demo.json");

        // The README's main job, smaller: no command, run where ./.nextcart/nextcart.db is written.
        CliResult result = await CliProcess.RunAsync(["--products", "20", "--report", report], workingDirectory: directory.Path);

        // The sample store has customers sharing an e-mail, an edge case on purpose: Shopify refuses the later ones, so the demo
        // completes with exactly those failures (exit code 2), and everything else lands.
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains(result.Stdout, l => l.StartsWith("Target: Shopify sandbox", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(directory.Path, ".nextcart", "nextcart.db")));
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal("CompletedWithErrors", json["status"]!.GetValue<string>());
        JsonObject entities = json["entities"]!.AsObject();
        Assert.Equal(20, entities["products"]!["migrated"]!.GetValue<long>());
        Assert.Equal(entities["orders"]!["total"]!.GetValue<long>(), entities["orders"]!["migrated"]!.GetValue<long>());
        Assert.True(entities["orders"]!["total"]!.GetValue<long>() > 0);
        Assert.Equal(0, entities["taxes"]!["total"]!.GetValue<long>());
        JsonArray failures = json["failures"]!.AsArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, f =>
        {
            Assert.Equal("customers", f!["entityType"]!.GetValue<string>());
            Assert.Contains("already belongs to the customer migrated from source id", f["message"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Equal(entities["customers"]!["total"]!.GetValue<long>() - failures.Count, entities["customers"]!["migrated"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_CustomersWithDuplicateEmails_ExitsTwoAndReportsEachFailure()
    {
        using TestDirectory directory = new();
        string report = directory.File("report.json");

        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "sandbox:woocommerce?products=20&seed=42", "--target", "sandbox:woocommerce", "--entities", "customers", "--store", directory.Store, "--report", report]);

        Assert.True(result.ExitCode == 2, result.Output);
        JsonObject json = JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject();
        Assert.Equal("CompletedWithErrors", json["status"]!.GetValue<string>());
        JsonArray failures = json["failures"]!.AsArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, f =>
        {
            Assert.Equal(["entityType", "sourceId", "category", "message"], f!.AsObject().Select(p => p.Key).ToArray());
            Assert.Equal("customers", f["entityType"]!.GetValue<string>());
            Assert.Equal("Validation", f["category"]!.GetValue<string>());
        });
        Assert.Equal(failures.Count, json["entities"]!["customers"]!["failed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_PlanLimitBelowEstimate_ExitsThreeNamingBothNumbers()
    {
        using TestDirectory directory = new();

        CliResult result = await CliProcess.RunAsync(
            ["run", "--source", "sandbox:woocommerce?products=10", "--target", "sandbox:woocommerce", "--entities", "products", "--plan-limit", "3", "--store", directory.Store]);

        Assert.Equal(3, result.ExitCode);
        AssertOneLineError(result, "3");
        Assert.Contains("10", result.Stderr[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_OverThePlanLimit_PrintsTheEstimateAndExitsThree()
    {
        using TestDirectory directory = new();

        CliResult fits = await CliProcess.RunAsync(["estimate", "--source", "sandbox:woocommerce?products=10", "--entities", "products,orders", "--store", directory.Store]);
        CliResult over = await CliProcess.RunAsync(["estimate", "--source", "sandbox:woocommerce?products=10", "--entities", "products", "--plan-limit", "5", "--store", directory.Store]);

        Assert.True(fits.ExitCode == 0, fits.Output);
        Assert.Contains(fits.Stdout, l => l.Contains("products", StringComparison.Ordinal) && l.Contains("10", StringComparison.Ordinal));
        Assert.Contains(fits.Stdout, l => l.Contains("Chargeable: 26 Entity Points", StringComparison.Ordinal));
        Assert.Equal(3, over.ExitCode);
        Assert.Contains(over.Stdout, l => l.Contains("EXCEEDS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_UnknownRun_ExitsOneWithOneLine()
    {
        using TestDirectory directory = new();

        CliResult result = await CliProcess.RunAsync(["status", "--run", "nope", "--store", directory.Store]);

        Assert.Equal(1, result.ExitCode);
        AssertOneLineError(result, "Run 'nope' is not in the store.");
    }

    [Fact]
    public async Task Background_ThenCancel_QueuesTheRunAndCancelsIt()
    {
        using TestDirectory directory = new();
        await using SandboxProcess source = await SandboxProcess.StartAsync(products: 5, seed: 9);
        await using SandboxProcess target = await SandboxProcess.StartAsync(products: 0, seed: 9, empty: true);

        CliResult queued = await CliProcess.RunAsync(["run", "--source", source.Spec, "--target", target.Spec, "--project", "bg", "--background", "--store", directory.Store], source.Credentials);
        Assert.True(queued.ExitCode == 0, queued.Output);
        string runId = Assert.Single(queued.Stdout);
        JsonObject status = await StatusAsync(directory, "bg");
        Assert.Equal("Queued", status["runs"]![0]!["status"]!.GetValue<string>());

        CliResult cancelled = await CliProcess.RunAsync(["cancel", "--run", runId, "--store", directory.Store]);
        Assert.True(cancelled.ExitCode == 0, cancelled.Output);
        Assert.Equal("Cancelled", (await StatusAsync(directory, "bg"))["runs"]![0]!["status"]!.GetValue<string>());
        Assert.Empty(await target.GetAllAsync("products"));
    }

    internal static async Task<JsonObject> StatusAsync(TestDirectory directory, string project, IReadOnlyDictionary<string, string?>? environment = null)
    {
        CliResult result = await CliProcess.RunAsync(["status", "--project", project, "--json", "--store", directory.Store], environment);
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonNode.Parse(string.Join('\n', result.Stdout))!.AsObject();
    }

    private static void AssertOneLineError(CliResult result, string expected)
    {
        string line = Assert.Single(result.Stderr);
        Assert.StartsWith("nextcart-migrate: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }
}
