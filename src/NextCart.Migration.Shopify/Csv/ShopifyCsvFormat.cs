namespace NextCart.Migration.Shopify.Csv;

/// <summary>
/// The columns of Shopify's product, customer and redirect CSV files (help.shopify.com "Using CSV files to import and export
/// products": the legacy export header and the 2024 import template), keyed by their legacy names.
/// </summary>
internal static class ShopifyCsvFormat
{
    public const string Ext = "shopify.";
    public const string Handle = "Handle";
    public const string Title = "Title";
    public const string Body = "Body (HTML)";
    public const string Vendor = "Vendor";
    public const string ProductCategory = "Product Category";
    public const string Type = "Type";
    public const string Tags = "Tags";
    public const string Published = "Published";
    public const string Sku = "Variant SKU";
    public const string Grams = "Variant Grams";
    public const string Tracker = "Variant Inventory Tracker";
    public const string Qty = "Variant Inventory Qty";
    public const string Policy = "Variant Inventory Policy";
    public const string Fulfillment = "Variant Fulfillment Service";
    public const string Price = "Variant Price";
    public const string CompareAt = "Variant Compare At Price";
    public const string RequiresShipping = "Variant Requires Shipping";
    public const string Taxable = "Variant Taxable";
    public const string Barcode = "Variant Barcode";
    public const string ImageSrc = "Image Src";
    public const string ImagePosition = "Image Position";
    public const string ImageAlt = "Image Alt Text";
    public const string GiftCard = "Gift Card";
    public const string SeoTitle = "SEO Title";
    public const string SeoDescription = "SEO Description";
    public const string VariantImage = "Variant Image";
    public const string WeightUnit = "Variant Weight Unit";
    public const string TaxCode = "Variant Tax Code";
    public const string Cost = "Cost per item";
    public const string Status = "Status";

    private static readonly string[] OptionNames = ["Option1 Name", "Option2 Name", "Option3 Name"];
    private static readonly string[] OptionValues = ["Option1 Value", "Option2 Value", "Option3 Value"];
    private static readonly string[] OptionLinks = ["Option1 Linked To", "Option2 Linked To", "Option3 Linked To"];

    // Options 1-3 (all Shopify has) come from the tables, so rendering a row makes no strings for column names.
    public static string OptionName(int n) => n is >= 1 and <= 3 ? OptionNames[n - 1] : $"Option{n} Name";

    public static string OptionValue(int n) => n is >= 1 and <= 3 ? OptionValues[n - 1] : $"Option{n} Value";

    public static string OptionLinkedTo(int n) => n is >= 1 and <= 3 ? OptionLinks[n - 1] : $"Option{n} Linked To";

    /// <summary>The legacy product header the target writes (Shopify's own export layout, market columns left out).</summary>
    public static readonly string[] LegacyHeader =
    [
        Handle, Title, Body, Vendor, ProductCategory, Type, Tags, Published,
        OptionName(1), OptionValue(1), OptionLinkedTo(1), OptionName(2), OptionValue(2), OptionLinkedTo(2), OptionName(3), OptionValue(3), OptionLinkedTo(3),
        Sku, Grams, Tracker, Qty, Policy, Fulfillment, Price, CompareAt, RequiresShipping, Taxable,
        "Unit Price Total Measure", "Unit Price Total Measure Unit", "Unit Price Base Measure", "Unit Price Base Measure Unit",
        Barcode, ImageSrc, ImagePosition, ImageAlt, GiftCard, SeoTitle, SeoDescription,
        "Google Shopping / Google Product Category", "Google Shopping / Gender", "Google Shopping / Age Group", "Google Shopping / MPN",
        "Google Shopping / Condition", "Google Shopping / Custom Product", "Google Shopping / Custom Label 0", "Google Shopping / Custom Label 1",
        "Google Shopping / Custom Label 2", "Google Shopping / Custom Label 3", "Google Shopping / Custom Label 4",
        VariantImage, WeightUnit, TaxCode, Cost, Status,
    ];

    /// <summary>The columns of the product file that carry variant data, so a row holding any of them is a variant row.</summary>
    public static readonly string[] VariantColumns = [OptionValue(1), OptionValue(2), OptionValue(3), Sku, Price, CompareAt, Qty, Grams, Barcode];

    /// <summary>The variant columns kept in the extension bag (they have no canonical field), with their key.</summary>
    public static readonly (string Column, string Key, string Default)[] VariantExtras =
    [
        (Tracker, "inventory_tracker", ""),
        (Policy, "inventory_policy", "deny"),
        (Fulfillment, "fulfillment_service", "manual"),
        (RequiresShipping, "requires_shipping", "TRUE"),
        (Taxable, "taxable", "TRUE"),
        (WeightUnit, "weight_unit", "kg"),
        (TaxCode, "tax_code", ""),
        (Cost, "cost_per_item", ""),
        (OptionLinkedTo(1), "option1_linked_to", ""),
        (OptionLinkedTo(2), "option2_linked_to", ""),
        (OptionLinkedTo(3), "option3_linked_to", ""),
        ("Unit Price Total Measure", "unit_price_total_measure", ""),
        ("Unit Price Total Measure Unit", "unit_price_total_measure_unit", ""),
        ("Unit Price Base Measure", "unit_price_base_measure", ""),
        ("Unit Price Base Measure Unit", "unit_price_base_measure_unit", ""),
    ];

    /// <summary>The 2024+ template's names, mapped to the legacy names this connector works with.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewToLegacy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["URL handle"] = Handle,
        ["Description"] = Body,
        ["Product category"] = ProductCategory,
        ["Published on online store"] = Published,
        ["SKU"] = Sku,
        ["Barcode"] = Barcode,
        ["Option1 name"] = OptionName(1),
        ["Option1 value"] = OptionValue(1),
        ["Option2 name"] = OptionName(2),
        ["Option2 value"] = OptionValue(2),
        ["Option3 name"] = OptionName(3),
        ["Option3 value"] = OptionValue(3),
        ["Price"] = Price,
        ["Compare-at price"] = CompareAt,
        ["Charge tax"] = Taxable,
        ["Tax code"] = TaxCode,
        ["Unit price total measure"] = "Unit Price Total Measure",
        ["Unit price total measure unit"] = "Unit Price Total Measure Unit",
        ["Unit price base measure"] = "Unit Price Base Measure",
        ["Unit price base measure unit"] = "Unit Price Base Measure Unit",
        ["Inventory tracker"] = Tracker,
        ["Inventory quantity"] = Qty,
        ["Continue selling when out of stock"] = Policy,
        ["Weight value (grams)"] = Grams,
        ["Weight unit for display"] = WeightUnit,
        ["Requires shipping"] = RequiresShipping,
        ["Fulfillment service"] = Fulfillment,
        ["Product image URL"] = ImageSrc,
        ["Image position"] = ImagePosition,
        ["Image alt text"] = ImageAlt,
        ["Variant image URL"] = VariantImage,
        ["Gift card"] = GiftCard,
        ["SEO title"] = SeoTitle,
        ["SEO description"] = SeoDescription,
        ["Google Shopping / Age group"] = "Google Shopping / Age Group",
        ["Google Shopping / Google product category"] = "Google Shopping / Google Product Category",
        ["Google Shopping / Manufacturer part number (MPN)"] = "Google Shopping / MPN",
        ["Google Shopping / Custom product"] = "Google Shopping / Custom Product",
        ["Google Shopping / Custom label 0"] = "Google Shopping / Custom Label 0",
        ["Google Shopping / Custom label 1"] = "Google Shopping / Custom Label 1",
        ["Google Shopping / Custom label 2"] = "Google Shopping / Custom Label 2",
        ["Google Shopping / Custom label 3"] = "Google Shopping / Custom Label 3",
        ["Google Shopping / Custom label 4"] = "Google Shopping / Custom Label 4",
    };

    /// <summary>The customer import template (Shopify's current customer CSV, without the export-only id and totals).</summary>
    public static readonly string[] CustomerHeader =
    [
        "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company", "Default Address Address1",
        "Default Address Address2", "Default Address City", "Default Address Province Code", "Default Address Country Code",
        "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing", "Tags", "Note", "Tax Exempt",
    ];

    /// <summary>The URL redirect import header (Online Store &gt; Navigation &gt; URL redirects &gt; Import).</summary>
    public static readonly string[] RedirectHeader = ["Redirect from", "Redirect to"];
}
