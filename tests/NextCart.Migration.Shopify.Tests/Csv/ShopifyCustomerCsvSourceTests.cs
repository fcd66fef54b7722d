using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Shopify.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class ShopifyCustomerCsvSourceTests
{
    private const string Header = "First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Tags,Note,Tax Exempt";

    private static readonly string[] Rows =
    [
        "Ann,Lee,Ann@Example.com,yes,Lee Co,2 Ship Rd,Unit 3,Austin,TX,US,73301,+15550002,+15550001,no,\"vip, b2b\",'=cmd,no",
        "Bo,,,no,,,,,,,,,+15550003,yes,,,yes",
        "Nobody,Here,,no,,,,,,,,,,no,,,no",
    ];

    private static string WriteFile(string header, IEnumerable<string> rows)
    {
        string path = Path.Combine(TempDirectory(), "customers.csv");
        File.WriteAllText(path, "\uFEFF" + header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    [Fact]
    public async Task ReadAsync_ImportHeader_ReadsCustomersWithTheDefaultAddressAndFailsARowWithoutEmailOrPhone()
    {
        ISourceConnector source = ShopifyCsvConnectorFactory.CreateCustomerSource(WriteFile(Header, Rows));

        var (records, errors, _) = await ReadAllAsync(source, EntityType.Customers);

        Customer ann = Assert.IsType<Customer>(records[0]);
        Assert.Equal("ann@example.com", ann.SourceId);
        Assert.Equal(("Ann", "Lee", "Ann@Example.com", "+15550001"), (ann.FirstName, ann.LastName, ann.Email, ann.Phone));
        Assert.True(ann.AcceptsMarketing);
        Assert.Equal(["vip", "b2b"], ann.Tags);
        Assert.Equal("=cmd", ann.Note);
        Address address = Assert.Single(ann.Addresses);
        Assert.Equal(("Lee Co", "2 Ship Rd", "Unit 3", "Austin", "TX", "US", "73301", "+15550002"), (address.Company, address.Line1, address.Line2, address.City, address.Region, address.CountryCode, address.PostalCode, address.Phone));
        Assert.True(address.IsDefaultBilling && address.IsDefaultShipping);
        Customer bo = Assert.IsType<Customer>(records[1]);
        Assert.Equal("+15550003", bo.SourceId);
        Assert.Empty(bo.Addresses);
        Assert.False(bo.AcceptsMarketing);
        Assert.Equal("yes", bo.Extensions["shopify.tax_exempt"]);
        RecordIssue error = Assert.Single(errors);
        Assert.Equal(EntityType.Customers, error.EntityType);
        Assert.Equal(FailureCategory.Validation, error.Category);
        Assert.StartsWith("row 4: the customer has neither an e-mail address nor a phone number", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await source.CountAsync(EntityType.Customers, SourceQuery.All));
        Assert.Equal(0, await source.CountAsync(EntityType.Products, SourceQuery.All));
    }

    [Fact]
    public async Task ReadAsync_ExportWithCustomerId_UsesTheIdAsSourceId()
    {
        ISourceConnector source = ShopifyCsvConnectorFactory.CreateCustomerSource(WriteFile("Customer ID," + Header, ["7001," + Rows[0]]));

        var (records, _, _) = await ReadAllAsync(source, EntityType.Customers);

        Assert.Equal("7001", Assert.Single(records).SourceId);
    }

    [Fact]
    public async Task TargetCompleteAsync_CustomersReadFromTheImportFormat_WritesTheSameRows()
    {
        var (records, _, _) = await ReadAllAsync(ShopifyCsvConnectorFactory.CreateCustomerSource(WriteFile(Header, Rows)), EntityType.Customers);
        string dir = TempDirectory();
        ITargetConnector target = ShopifyCsvConnectorFactory.CreateTarget(dir);

        await target.WriteAsync(EntityType.Customers, [.. records.Select(r => new TargetRecord(r, WriteAction.Create, null, null))]);
        await ((ITargetCompleter)target).CompleteAsync();

        Assert.Equal([Header, Rows[0], Rows[1]], await File.ReadAllLinesAsync(Path.Combine(dir, "customers.csv")));
    }

    [Fact]
    public async Task Engine_ShopifyCustomerCsvToShopifyCsv_WritesTheSameRowsAndReportsTheBadRow()
    {
        string dir = TempDirectory();

        MigrationReport report = await CsvEngine.RunAsync("customers-csv", ShopifyCsvConnectorFactory.CreateCustomerSource(WriteFile(Header, Rows)), ShopifyCsvConnectorFactory.CreateTarget(dir), MigrationMode.Full, EntityType.Customers);

        Assert.Equal([Header, Rows[0], Rows[1]], await File.ReadAllLinesAsync(Path.Combine(dir, "customers.csv")));
        Assert.StartsWith("row 4:", Assert.Single(report.Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ProductFile_NamesMissingColumnsAndHeaderFound()
    {
        ConnectorCheck check = await ShopifyCsvConnectorFactory.CreateCustomerSource(Data("shopify-legacy.csv")).CheckAsync();

        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Configuration, check.Category);
        Assert.Contains("the required columns 'First Name', 'Last Name', 'Email', 'Phone' are missing", check.Message, StringComparison.Ordinal);
        Assert.Contains("The header found is: Handle,Title,", check.Message, StringComparison.Ordinal);
    }
}
