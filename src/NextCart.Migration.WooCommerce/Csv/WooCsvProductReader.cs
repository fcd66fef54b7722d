using System.Collections.Immutable;
using System.Globalization;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using F = NextCart.Migration.WooCommerce.Csv.WooCsvFormat;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>A row that cannot be read; the message starts with "row N".</summary>
internal sealed class CsvRowException(int row, string sourceId, string reason)
    : FormatException($"row {row}: {reason}")
{
    public int Row { get; } = row;

    public string SourceId { get; } = sourceId;
}

/// <summary>Translates the rows of one product (the product row and its variation rows) into a canonical <see cref="Product"/>.</summary>
internal sealed class WooCsvProductReader
{
    private readonly WooCsvHeader _h;
    private readonly WooCommerceCsvOptions _options;
    private readonly IReadOnlyDictionary<string, string> _skuToId;

    public WooCsvProductReader(WooCsvHeader header, WooCommerceCsvOptions options, IReadOnlyDictionary<string, string> skuToId)
    {
        _h = header;
        _options = options;
        _skuToId = skuToId;
    }

    public string Get(string[] row, string column) => Get(row, _h[column]);

    public static string Get(string[] row, int index) => index < 0 || index >= row.Length ? string.Empty : CsvText.Unguard(row[index].Trim());

    /// <summary>Gets the type tokens of a row (<c>simple, downloadable, virtual</c>), lower case.</summary>
    public List<string> Types(string[] row) => F.Explode(Get(row, F.Type)).Select(t => t.ToLowerInvariant()).ToList();

    public bool IsVariation(string[] row) => Types(row).Contains("variation");

    /// <summary>The source id of a row: its <c>ID</c>, else its <c>SKU</c>, else its row number.</summary>
    public string SourceIdOf(string[] row, int rowNumber)
    {
        string id = Get(row, F.Id);
        if (id.Length > 0)
        {
            return CsvText.SafeId(id);
        }

        string sku = Get(row, F.Sku);
        return sku.Length > 0 ? CsvText.SafeId(sku) : "row-" + rowNumber.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Resolves a <c>Parent</c>, <c>Upsells</c>, <c>Cross-sells</c> or <c>Grouped products</c> value (a SKU, or <c>id:N</c> when the
    /// product has no SKU: <c>WC_Product_CSV_Exporter::get_column_value_parent_id</c> and <c>format_linked_products</c>) to the
    /// product's source id.
    /// </summary>
    public string RefToSourceId(string value)
    {
        value = value.Trim();
        if (value.StartsWith("id:", StringComparison.Ordinal) && value.Length > 3 && value[3..].All(char.IsAsciiDigit))
        {
            return CsvText.SafeId(value[3..]);
        }

        return CsvText.SafeId(_skuToId.TryGetValue(value, out string? id) ? id : value);
    }

    /// <summary>The category source ids of a <c>Categories</c> cell: each <c>Parent &gt; Child</c> path, normalised.</summary>
    public static List<string[]> CategoryPaths(string cell)
        => F.Explode(cell).Select(p => p.Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length > 0).ToList();

    public static string CategoryId(IEnumerable<string> path) => CsvText.SafeId(string.Join(" > ", path));

    public Product Read(string[] row, int rowNumber, IReadOnlyList<(string[] Row, int Number)> variationRows, List<(string SourceId, string Message)> variationErrors)
    {
        string sourceId = SourceIdOf(row, rowNumber);
        List<string> types = Types(row);
        string? unknown = types.FirstOrDefault(t => !F.KnownTypes.Contains(t));
        if (unknown is not null)
        {
            throw new CsvRowException(rowNumber, sourceId, $"unknown product type '{unknown}' (expected simple, variable, grouped, external or variation, with optional virtual and downloadable).");
        }

        if (types.Contains("variation"))
        {
            throw new CsvRowException(rowNumber, sourceId, "a variation row is not a product.");
        }

        ProductKind kind = types.Contains("variable") ? ProductKind.Variable
            : types.Contains("grouped") ? ProductKind.Grouped
            : types.Contains("external") ? ProductKind.External
            : ProductKind.Simple;

        ImmutableSortedDictionary<string, string>.Builder ext = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        ext[F.Ext + "type"] = kind switch { ProductKind.Variable => "variable", ProductKind.Grouped => "grouped", ProductKind.External => "external", _ => "simple" };
        Flag(types.Contains("virtual"), "virtual");
        Flag(types.Contains("downloadable"), "downloadable");
        string id = Get(row, F.Id);
        if (id.Length > 0)
        {
            ext[F.Ext + "id"] = id;
        }

        Common(row, rowNumber, sourceId, ext, prefix: F.Ext);
        string currency = _options.Currency;
        Money? price = Price(row, F.RegularPrice, rowNumber, sourceId, currency);
        Money? sale = Price(row, F.SalePrice, rowNumber, sourceId, currency);
        decimal? weight = Weight(row, rowNumber, sourceId);
        int? stock = Stock(row, rowNumber, sourceId, ext, F.Ext);

        List<ProductOption> options = [];
        foreach ((int n, int[] slots) in _h.Attributes)
        {
            string name = Get(row, slots[0]);
            if (name.Length == 0)
            {
                continue;
            }

            options.Add(new ProductOption
            {
                Name = name,
                Values = F.Explode(Get(row, slots[1])),
                Visible = Get(row, slots[2]) != "0",
                UsedForVariants = false,
            });
            if (Get(row, slots[3]) is { Length: > 0 } global)
            {
                ext[$"{F.Ext}attribute.{name}.global"] = global;
            }

            if (Get(row, slots[4]) is { Length: > 0 } def)
            {
                ext[$"{F.Ext}attribute.{name}.default"] = def;
            }
        }

        List<ImageInfo> images = F.Explode(Get(row, F.Images)).Select((url, i) => new ImageInfo { Url = url, Position = i }).ToList();
        List<string> categories = CategoryPaths(Get(row, F.Categories)).Select(p => CategoryId(p)).Distinct(StringComparer.Ordinal).ToList();

        List<ProductVariant> variants = [];
        HashSet<string> usedOptions = new(StringComparer.Ordinal);
        foreach ((string[] vrow, int vnumber) in variationRows)
        {
            try
            {
                ProductVariant variant = ReadVariant(vrow, vnumber, sourceId, currency, ext, usedOptions, variants.Count);
                variants.Add(variant);
            }
            catch (CsvRowException ex)
            {
                variationErrors.Add((ex.SourceId, ex.Message));
            }
        }

        if (kind == ProductKind.Variable)
        {
            options = options.Select(o => o with { UsedForVariants = usedOptions.Contains(o.Name) }).ToList();
            if (variationRows.Count == 0)
            {
                // A variable product whose variations are missing becomes a product with one default variant at the parent's price.
                ext[F.Ext + "variations_missing"] = "true";
                variants.Add(new ProductVariant
                {
                    SourceId = "default",
                    Sku = NullIfEmpty(Get(row, F.Sku)),
                    Barcode = NullIfEmpty(Get(row, F.Gtin)),
                    Price = price,
                    SalePrice = sale,
                    StockQuantity = stock,
                    WeightKg = weight,
                });
            }
        }

        string name0 = Get(row, F.Name);
        string slug = CsvText.Slugify(name0);
        var product = new Product
        {
            SourceId = sourceId,
            Name = name0,
            Sku = NullIfEmpty(Get(row, F.Sku)),
            Slug = slug,
            Url = _options.DeriveUrls ? $"{_options.ProductBase.TrimEnd('/')}/{slug}/" : null,
            Description = NullIfEmpty(F.DecodeDescription(Get(row, F.Description))),
            ShortDescription = NullIfEmpty(F.DecodeDescription(Get(row, F.ShortDescription))),
            Kind = kind,
            Status = Status(row, rowNumber, sourceId, ext),
            Price = price,
            SalePrice = sale,
            StockQuantity = stock,
            WeightKg = weight,
            TaxClass = NullIfEmpty(Get(row, F.TaxClass)),
            Tags = F.Explode(Get(row, F.Tags)),
            Options = options,
            Variants = variants,
            Images = images,
            CategoryIds = categories,
            UpsellIds = Refs(row, F.Upsells),
            CrossSellIds = Refs(row, F.CrossSells),
            GroupedIds = Refs(row, F.Grouped),
            ExternalUrl = NullIfEmpty(Get(row, F.ExternalUrl)),
            ButtonText = NullIfEmpty(Get(row, F.ButtonText)),
        };
        if (Get(row, F.Gtin) is { Length: > 0 } gtin && kind != ProductKind.Variable)
        {
            ext[F.Ext + "global_unique_id"] = gtin;
        }

        return product with { Extensions = ext.ToImmutable() };

        void Flag(bool on, string key)
        {
            if (on)
            {
                ext[F.Ext + key] = "true";
            }
        }
    }

    private ProductVariant ReadVariant(string[] row, int rowNumber, string productId, string currency, ImmutableSortedDictionary<string, string>.Builder ext, HashSet<string> usedOptions, int index)
    {
        string vid = SourceIdOf(row, rowNumber);
        string prefix = $"{F.Ext}variations.{vid}.";
        List<OptionValue> values = [];
        foreach ((int _, int[] slots) in _h.Attributes)
        {
            string name = Get(row, slots[0]);
            if (name.Length == 0)
            {
                continue;
            }

            // An empty value on a variation means "any value" of the attribute (WooCommerce stores an empty attribute_* meta).
            string value = Get(row, slots[1]);
            values.Add(new OptionValue(name, value.Length == 0 ? null : F.Explode(value).FirstOrDefault() ?? value));
            usedOptions.Add(name);
        }

        Common(row, rowNumber, vid, ext, prefix);
        if (Get(row, F.Id) is { Length: > 0 } id)
        {
            ext[prefix + "id"] = id;
        }

        if (F.Explode(Get(row, F.Type)).Select(t => t.ToLowerInvariant()) is var t)
        {
            foreach (string flag in t.Where(x => x is "virtual" or "downloadable"))
            {
                ext[prefix + flag] = "true";
            }
        }

        string positionText = Get(row, F.Position);
        int position = int.TryParse(positionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) ? p : index;
        string image = F.Explode(Get(row, F.Images)).FirstOrDefault() ?? string.Empty;
        return new ProductVariant
        {
            SourceId = vid,
            Sku = NullIfEmpty(Get(row, F.Sku)),
            Barcode = NullIfEmpty(Get(row, F.Gtin)),
            Price = Price(row, F.RegularPrice, rowNumber, vid, currency),
            SalePrice = Price(row, F.SalePrice, rowNumber, vid, currency),
            OptionValues = values,
            StockQuantity = Stock(row, rowNumber, vid, ext, prefix),
            WeightKg = Weight(row, rowNumber, vid),
            Image = image.Length > 0 ? new ImageInfo { Url = image } : null,
            Position = position,
        };
    }

    /// <summary>Reads the columns without a canonical field into the extension bag.</summary>
    private void Common(string[] row, int rowNumber, string sourceId, ImmutableSortedDictionary<string, string>.Builder ext, string prefix)
    {
        Put(F.Featured, "featured");
        Put(F.Visibility, "catalog_visibility");
        Put(F.SaleFrom, "date_on_sale_from");
        Put(F.SaleTo, "date_on_sale_to");
        Put(F.TaxStatus, "tax_status");
        Put(F.InStock, "in_stock");
        Put(F.LowStock, "low_stock_amount");
        Put(F.Backorders, "backorders");
        Put(F.SoldIndividually, "sold_individually");
        Put(F.Reviews, "reviews_allowed");
        Put(F.PurchaseNote, "purchase_note");
        Put(F.ShippingClass, "shipping_class");
        Put(F.DownloadLimit, "download_limit");
        Put(F.DownloadExpiry, "download_expiry");
        Put(F.CostOfGoods, "cost_of_goods");
        if (prefix == F.Ext)
        {
            Put(F.Position, "menu_order");
        }

        if (prefix != F.Ext && Get(row, F.TaxClass) is { Length: > 0 } taxClass)
        {
            ext[prefix + "tax_class"] = taxClass;
        }

        if (prefix != F.Ext && Get(row, F.Description) is { Length: > 0 } description)
        {
            ext[prefix + "description"] = F.DecodeDescription(description);
        }

        foreach ((string dimension, (int index, string unit)) in _h.Dimensions)
        {
            string raw = Get(row, index);
            if (raw.Length == 0)
            {
                continue;
            }

            if (!CsvText.TryDecimal(raw, out decimal? value))
            {
                throw new CsvRowException(rowNumber, sourceId, $"the {dimension} '{raw}' is not a number.");
            }

            ext[$"{prefix}{dimension}_cm"] = CsvText.Number(value!.Value * F.DimensionFactor(unit));
        }

        foreach ((int n, int[] slots) in _h.Downloads)
        {
            string url = Get(row, slots[2]);
            if (url.Length > 0)
            {
                ext[$"{prefix}download.{n}.url"] = url;
                ext[$"{prefix}download.{n}.name"] = Get(row, slots[1]);
                ext[$"{prefix}download.{n}.id"] = Get(row, slots[0]);
            }
        }

        foreach ((string key, int index) in _h.Meta)
        {
            if (Get(row, index) is { Length: > 0 } value)
            {
                ext[$"{prefix}meta.{key}"] = value;
            }
        }

        foreach ((string name, int index) in _h.Unknown)
        {
            if (Get(row, index) is { Length: > 0 } value)
            {
                ext[$"{prefix}column.{name}"] = value;
            }
        }

        void Put(string column, string key)
        {
            if (Get(row, column) is { Length: > 0 } value)
            {
                ext[prefix + key] = value;
            }
        }
    }

    private PublishStatus Status(string[] row, int rowNumber, string sourceId, ImmutableSortedDictionary<string, string>.Builder ext)
    {
        // Published: 1 publish, 0 private, -1 draft (importer parse_published_field / expand_data); 2 is what newer exporters write for pending.
        string value = Get(row, F.Published);
        switch (value.ToLowerInvariant())
        {
            case "" or "1" or "true":
                return PublishStatus.Active;
            case "0":
                return PublishStatus.Private;
            case "-1" or "false":
                return PublishStatus.Draft;
            case "2":
                ext[F.Ext + "status"] = "pending";
                return PublishStatus.Draft;
            default:
                throw new CsvRowException(rowNumber, sourceId, $"Published '{value}' is not 1, 0, -1 or 2.");
        }
    }

    private Money? Price(string[] row, string column, int rowNumber, string sourceId, string currency)
    {
        string raw = Get(row, column);
        if (!CsvText.TryDecimal(raw, out decimal? value))
        {
            throw new CsvRowException(rowNumber, sourceId, $"the {column.ToLowerInvariant()} '{raw}' is not a number.");
        }

        return value is { } v ? new Money(v, currency) : null;
    }

    private decimal? Weight(string[] row, int rowNumber, string sourceId)
    {
        string raw = Get(row, _h.WeightIndex);
        if (!CsvText.TryDecimal(raw, out decimal? value))
        {
            throw new CsvRowException(rowNumber, sourceId, $"the weight '{raw}' is not a number.");
        }

        return F.ToKg(value, _h.WeightUnit);
    }

    private int? Stock(string[] row, int rowNumber, string sourceId, ImmutableSortedDictionary<string, string>.Builder ext, string prefix)
    {
        string raw = Get(row, F.Stock);
        if (raw.Length == 0)
        {
            return null;
        }

        // "parent": a variation that inherits its parent's stock (WC_Product_CSV_Exporter::get_column_value_stock_quantity).
        if (raw == "parent")
        {
            ext[prefix + "stock"] = "parent";
            return null;
        }

        return decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d) && d == Math.Truncate(d) && Math.Abs(d) <= int.MaxValue
            ? (int)d
            : throw new CsvRowException(rowNumber, sourceId, $"the stock '{raw}' is not a whole number.");
    }

    private List<string> Refs(string[] row, string column) => F.Explode(Get(row, column)).Select(RefToSourceId).ToList();

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
