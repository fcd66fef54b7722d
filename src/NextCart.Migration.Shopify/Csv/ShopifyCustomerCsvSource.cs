using System.Collections.Immutable;
using System.Globalization;
using NextCart.Migration.Connectors;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using F = NextCart.Migration.Shopify.Csv.ShopifyCsvFormat;

namespace NextCart.Migration.Shopify.Csv;

/// <summary>
/// Reads Shopify's customers CSV: the import header (<see cref="ShopifyCsvFormat.CustomerHeader"/>, which the target writes) or
/// an export, which adds columns such as <c>Customer ID</c>. One row is one customer with its default address. The source id is
/// the <c>Customer ID</c> when the file has one, else the e-mail address (lower case), else the phone number. Rows are streamed;
/// a resume token is the number of items emitted plus a fingerprint of the file.
/// </summary>
internal sealed class ShopifyCustomerCsvSource(string path, ShopifyCsvOptions options) : CsvFileSource(path, options.PageSize)
{
    private const string CustomerId = "Customer ID";
    private static readonly string[] Required = ["First Name", "Last Name", "Email", "Phone"];

    public override string ProviderId => ShopifyCsvConnectorFactory.ProviderId;

    protected override bool Reads(EntityType type) => type == EntityType.Customers;

    protected override void ValidateHeader() => _ = Header();

    private Dictionary<string, int> Header()
    {
        string[] raw = ReadHeaderNames("Shopify customer CSV");
        Dictionary<string, int> columns = new(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < raw.Length; i++)
        {
            columns.TryAdd(raw[i], i);
        }

        string[] missing = [.. Required.Where(r => !columns.ContainsKey(r))];
        if (missing.Length > 0)
        {
            throw new MigrationConfigurationException(
                FailureCategory.Configuration,
                $"'{FilePath}' is not a Shopify customer CSV: the required columns {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing. The header found is: {string.Join(",", raw)}");
        }

        return columns;
    }

    protected override IEnumerable<CsvItem> Items(EntityType type, CancellationToken cancellationToken)
    {
        Dictionary<string, int> columns = Header();
        foreach (CsvRow row in CsvRows.Read(FilePath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Read(columns, row);
        }
    }

    private static CsvItem Read(Dictionary<string, int> columns, CsvRow row)
    {
        string Get(string column) => columns.TryGetValue(column, out int i) && i < row.Cells.Length ? CsvText.Unguard(row.Cells[i].Trim()) : string.Empty;
        string? Value(string column) => Get(column) is { Length: > 0 } v ? v : null;

        string? email = Value("Email");
        string? phone = Value("Phone");
        string sourceId = CsvText.SafeId(Value(CustomerId) ?? email?.ToLowerInvariant() ?? phone ?? "row-" + row.Number.ToString(CultureInfo.InvariantCulture));
        if (row.BadData is not null)
        {
            return Fail(sourceId, $"row {row.Number}: the row is malformed ({row.BadData}).");
        }

        if (email is null && phone is null)
        {
            return Fail(sourceId, $"row {row.Number}: the customer has neither an e-mail address nor a phone number; Shopify needs one of them.");
        }

        var address = new Address
        {
            Company = Value("Default Address Company"),
            Line1 = Value("Default Address Address1"),
            Line2 = Value("Default Address Address2"),
            City = Value("Default Address City"),
            Region = Value("Default Address Province Code"),
            CountryCode = Value("Default Address Country Code"),
            PostalCode = Value("Default Address Zip"),
            Phone = Value("Default Address Phone"),
            IsDefaultBilling = true,
            IsDefaultShipping = true,
        };
        bool hasAddress = address.Company is not null || address.Line1 is not null || address.Line2 is not null || address.City is not null
            || address.Region is not null || address.CountryCode is not null || address.PostalCode is not null || address.Phone is not null;

        ImmutableSortedDictionary<string, string>.Builder ext = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (Value("Accepts SMS Marketing") is { } sms)
        {
            ext[F.Ext + "accepts_sms_marketing"] = sms;
        }

        if (Value("Tax Exempt") is { } taxExempt)
        {
            ext[F.Ext + "tax_exempt"] = taxExempt;
        }

        return new CsvItem(
            new Customer
            {
                SourceId = sourceId,
                Email = email,
                Phone = phone,
                FirstName = Value("First Name"),
                LastName = Value("Last Name"),
                AcceptsMarketing = Get("Accepts Email Marketing").ToLowerInvariant() is "yes" or "true",
                Addresses = hasAddress ? [address] : [],
                Tags = Get("Tags").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Note = Value("Note"),
                Extensions = ext.ToImmutable(),
            },
            null);
    }

    private static CsvItem Fail(string sourceId, string message)
        => new(null, new RecordIssue(EntityType.Customers, sourceId, FailureCategory.Validation, message));
}
