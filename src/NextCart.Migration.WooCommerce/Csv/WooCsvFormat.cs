using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>
/// The column layout and value encodings of the product CSV that <c>WC_Product_CSV_Exporter</c> writes and
/// <c>WC_Product_CSV_Importer</c> reads (woocommerce/woocommerce, <c>includes/export/class-wc-product-csv-exporter.php</c>,
/// <c>includes/export/abstract-wc-csv-exporter.php</c>, <c>includes/import/class-wc-product-csv-importer.php</c>).
/// </summary>
internal static partial class WooCsvFormat
{
    public const string Id = "ID";
    public const string Type = "Type";
    public const string Sku = "SKU";
    public const string Gtin = "GTIN, UPC, EAN, or ISBN";
    public const string Name = "Name";
    public const string Published = "Published";
    public const string Featured = "Is featured?";
    public const string Visibility = "Visibility in catalog";
    public const string ShortDescription = "Short description";
    public const string Description = "Description";
    public const string SaleFrom = "Date sale price starts";
    public const string SaleTo = "Date sale price ends";
    public const string TaxStatus = "Tax status";
    public const string TaxClass = "Tax class";
    public const string InStock = "In stock?";
    public const string Stock = "Stock";
    public const string LowStock = "Low stock amount";
    public const string Backorders = "Backorders allowed?";
    public const string SoldIndividually = "Sold individually?";
    public const string Reviews = "Allow customer reviews?";
    public const string PurchaseNote = "Purchase note";
    public const string SalePrice = "Sale price";
    public const string RegularPrice = "Regular price";
    public const string Categories = "Categories";
    public const string Tags = "Tags";
    public const string ShippingClass = "Shipping class";
    public const string Images = "Images";
    public const string DownloadLimit = "Download limit";
    public const string DownloadExpiry = "Download expiry days";
    public const string Parent = "Parent";
    public const string Grouped = "Grouped products";
    public const string Upsells = "Upsells";
    public const string CrossSells = "Cross-sells";
    public const string ExternalUrl = "External URL";
    public const string ButtonText = "Button text";
    public const string Position = "Position";
    public const string CostOfGoods = "Cost of goods";

    /// <summary>The extension-bag prefix, shared with the REST connector.</summary>
    public const string Ext = "woocommerce.";

    /// <summary>The fixed columns, in the exporter's order (<c>get_default_column_names</c>); unit columns are added by the writer.</summary>
    public static readonly string[] FixedBeforeUnits =
    [
        Id, Type, Sku, Gtin, Name, Published, Featured, Visibility, ShortDescription, Description, SaleFrom, SaleTo, TaxStatus, TaxClass,
        InStock, Stock, LowStock, Backorders, SoldIndividually,
    ];

    /// <summary>The fixed columns after the weight and dimension columns.</summary>
    public static readonly string[] FixedAfterUnits =
    [
        Reviews, PurchaseNote, SalePrice, RegularPrice, Categories, Tags, ShippingClass, Images, DownloadLimit, DownloadExpiry, Parent,
        Grouped, Upsells, CrossSells, ExternalUrl, ButtonText, Position,
    ];

    /// <summary>The columns a file must have to be read as a WooCommerce product CSV.</summary>
    public static readonly string[] Required = [Type, Name];

    /// <summary>The product types the importer knows (<c>expand_data</c>: the type plus the <c>virtual</c> and <c>downloadable</c> flags).</summary>
    public static readonly string[] KnownTypes = ["simple", "variable", "grouped", "external", "variation", "virtual", "downloadable"];

    [GeneratedRegex(@"^(Weight|Length|Width|Height) \((.+)\)$", RegexOptions.CultureInvariant)]
    public static partial Regex UnitColumn();

    [GeneratedRegex(@"^Attribute (\d+) (name|value\(s\)|visible|global|default)$", RegexOptions.CultureInvariant)]
    public static partial Regex AttributeColumn();

    [GeneratedRegex(@"^Download (\d+) (ID|name|URL)$", RegexOptions.CultureInvariant)]
    public static partial Regex DownloadColumn();

    /// <summary>
    /// Splits a multi-value cell the way the importer's <c>explode_values</c> does: on commas not escaped as <c>\,</c>, trimming each
    /// value and unescaping <c>\,</c>. The exporter's <c>implode_values</c> writes values joined by <c>", "</c> with <c>,</c> escaped.
    /// </summary>
    public static List<string> Explode(string value)
    {
        List<string> values = [];
        if (value.Length == 0)
        {
            return values;
        }

        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            // No escapes (almost every cell): split in place, one string per value and none for the pieces.
            ReadOnlySpan<char> rest = value;
            while (true)
            {
                int comma = rest.IndexOf(',');
                ReadOnlySpan<char> piece = (comma < 0 ? rest : rest[..comma]).Trim();
                if (piece.Length > 0)
                {
                    values.Add(piece.Length == value.Length ? value : piece.ToString());
                }

                if (comma < 0)
                {
                    return values;
                }

                rest = rest[(comma + 1)..];
            }
        }

        var current = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else if (c == ',')
            {
                Add(values, current);
            }
            else
            {
                current.Append(c);
            }
        }

        Add(values, current);
        return values;

        static void Add(List<string> values, StringBuilder current)
        {
            string v = current.ToString().Trim();
            if (v.Length > 0)
            {
                values.Add(v);
            }

            current.Clear();
        }
    }

    /// <summary>Joins values as <c>implode_values</c> does: <c>", "</c> between values and <c>,</c> escaped as <c>\,</c>.</summary>
    public static string Implode(IEnumerable<string> values)
        => string.Join(", ", values.Select(v => v.Replace(",", "\\,", StringComparison.Ordinal)));

    /// <summary>
    /// Decodes a description: the exporter's <c>filter_description_field</c> turns a literal <c>\n</c> into <c>\\n</c> and a newline
    /// into <c>\n</c>; the importer's <c>parse_description_field</c> turns <c>\n</c> back into a newline.
    /// </summary>
    public static string DecodeDescription(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 2 < value.Length && value[i + 1] == '\\' && value[i + 2] == 'n')
            {
                sb.Append("\\n");
                i += 2;
            }
            else if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] == 'n')
            {
                sb.Append('\n');
                i++;
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Encodes a description as <c>filter_description_field</c> does.</summary>
    public static string EncodeDescription(string? value)
        => value is null ? string.Empty : value.Replace("\\n", "\\\\n", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Converts a weight to kilograms from a <c>woocommerce_weight_unit</c> (kg, g, lbs, oz).</summary>
    public static decimal? ToKg(decimal? value, string unit) => value is not { } v ? null : v * WeightFactor(unit);

    /// <summary>Converts a weight in kilograms to a unit.</summary>
    public static decimal? FromKg(decimal? kg, string unit) => kg is not { } v ? null : WeightFactor(unit) == 1m ? v : Math.Round(v / WeightFactor(unit), 6);

    /// <summary>Converts a dimension to centimetres from a <c>woocommerce_dimension_unit</c> (m, cm, mm, in, yd).</summary>
    public static decimal DimensionFactor(string unit) => unit.ToLowerInvariant() switch
    {
        "m" => 100m,
        "mm" => 0.1m,
        "in" => 2.54m,
        "yd" => 91.44m,
        _ => 1m,
    };

    public static bool IsWeightUnit(string unit) => unit.ToLowerInvariant() is "kg" or "g" or "lbs" or "oz";

    public static bool IsDimensionUnit(string unit) => unit.ToLowerInvariant() is "m" or "cm" or "mm" or "in" or "yd";

    private static decimal WeightFactor(string unit) => unit.ToLowerInvariant() switch
    {
        "g" => 0.001m,
        "lbs" => 0.45359237m,
        "oz" => 0.028349523125m,
        _ => 1m,
    };

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
