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

    /// <summary>The columns read into the extension bag as they are: their index, the product's key and the key's suffix.</summary>
    private readonly (int Index, string ProductKey, string Suffix)[] _plain;

    /// <summary>Per attribute name, the product's keys for its <c>global</c> and <c>default</c> columns.</summary>
    private readonly Dictionary<string, (string Global, string Default)> _attributeKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// Values derived from a whole cell and shared by every product whose cell holds the same text (an export repeats its
    /// type, tag, category and attribute cells in most rows): the exploded values, the lower-case type tokens, the category
    /// ids. The lists are never changed once made; bounded like <see cref="CellPool"/>, so unique cells stop being added.
    /// </summary>
    private readonly Dictionary<string, string[]> _exploded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _categoryIds = new(StringComparer.Ordinal);
    private const int MaxShared = 4096;

    public WooCsvProductReader(WooCsvHeader header, WooCommerceCsvOptions options, IReadOnlyDictionary<string, string> skuToId)
    {
        _h = header;
        _options = options;
        _skuToId = skuToId;
        (string Column, string Key)[] plain =
        [
            (F.Featured, "featured"), (F.Visibility, "catalog_visibility"), (F.SaleFrom, "date_on_sale_from"), (F.SaleTo, "date_on_sale_to"),
            (F.TaxStatus, "tax_status"), (F.InStock, "in_stock"), (F.LowStock, "low_stock_amount"), (F.Backorders, "backorders"),
            (F.SoldIndividually, "sold_individually"), (F.Reviews, "reviews_allowed"), (F.PurchaseNote, "purchase_note"),
            (F.ShippingClass, "shipping_class"), (F.DownloadLimit, "download_limit"), (F.DownloadExpiry, "download_expiry"),
            (F.CostOfGoods, "cost_of_goods"),
        ];
        _plain = [.. plain.Where(c => header[c.Column] >= 0).Select(c => (header[c.Column], F.Ext + c.Key, c.Key))];
        IdIndex = header[F.Id];
        SkuIndex = header[F.Sku];
        TypeIndex = header[F.Type];
    }

    private int IdIndex { get; }

    private int SkuIndex { get; }

    private int TypeIndex { get; }

    public string Get(string[] row, string column) => Get(row, _h[column]);

    public static string Get(string[] row, int index) => index < 0 || index >= row.Length ? string.Empty : CsvText.Unguard(row[index].Trim());

    /// <summary>Gets the type tokens of a row (<c>simple, downloadable, virtual</c>), lower case; shared, never to be changed.</summary>
    public string[] Types(string[] row)
    {
        string cell = Get(row, TypeIndex);
        if (_types.TryGetValue(cell, out string[]? known))
        {
            return known;
        }

        string[] types = [.. F.Explode(cell).Select(t => t.ToLowerInvariant())];
        if (_types.Count < MaxShared)
        {
            _types[cell] = types;
        }

        return types;
    }

    /// <summary>The source id of a row: its <c>ID</c>, else its <c>SKU</c>, else its row number.</summary>
    public string SourceIdOf(string[] row, int rowNumber)
    {
        string id = Get(row, IdIndex);
        if (id.Length > 0)
        {
            return CsvText.SafeId(id);
        }

        string sku = Get(row, SkuIndex);
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
        if (IsIdReference(value))
        {
            return CsvText.SafeId(value[3..]);
        }

        return CsvText.SafeId(_skuToId.TryGetValue(value, out string? id) ? id : value);
    }

    /// <summary>Whether a trimmed reference is <c>id:N</c> (N all digits) rather than a SKU.</summary>
    public static bool IsIdReference(string value)
        => value.Length > 3 && value.StartsWith("id:", StringComparison.Ordinal) && value.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The category source ids of a <c>Categories</c> cell: each <c>Parent &gt; Child</c> path, normalised.</summary>
    public static List<string[]> CategoryPaths(string cell)
        => F.Explode(cell).Select(p => p.Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length > 0).ToList();

    public static string CategoryId(IEnumerable<string> path) => CsvText.SafeId(string.Join(" > ", path));

    public Product Read(string[] row, int rowNumber, IReadOnlyList<(string[] Row, int Number, string? BadData)> variationRows, List<(string SourceId, string Message)> variationErrors)
    {
        string sourceId = SourceIdOf(row, rowNumber);
        string[] types = Types(row);
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
        ext[TypeKey] = kind switch { ProductKind.Variable => "variable", ProductKind.Grouped => "grouped", ProductKind.External => "external", _ => "simple" };
        if (types.Contains("virtual"))
        {
            ext[VirtualKey] = "true";
        }

        if (types.Contains("downloadable"))
        {
            ext[DownloadableKey] = "true";
        }

        string id = Get(row, IdIndex);
        if (id.Length > 0)
        {
            ext[IdKey] = id;
        }

        Common(row, rowNumber, sourceId, ext, prefix: F.Ext);
        string currency = _options.Currency;
        Money? price = Price(row, F.RegularPrice, rowNumber, sourceId, currency);
        Money? sale = Price(row, F.SalePrice, rowNumber, sourceId, currency);
        decimal? weight = Weight(row, rowNumber, sourceId);
        int? stock = Stock(row, rowNumber, sourceId, ext, F.Ext);

        // The variations first: which attributes they use decides each option's UsedForVariants.
        List<ProductVariant> variants = new(variationRows.Count);
        HashSet<string>? usedOptions = kind == ProductKind.Variable ? new(StringComparer.Ordinal) : null;
        foreach ((string[] vrow, int vnumber, string? bad) in variationRows)
        {
            if (bad is not null)
            {
                continue;
            }

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
                Values = Explode(Get(row, slots[1])),
                Visible = Get(row, slots[2]) != "0",
                UsedForVariants = usedOptions?.Contains(name) ?? false,
            });
            (string globalKey, string defaultKey) = AttributeKeys(name);
            if (Get(row, slots[3]) is { Length: > 0 } global)
            {
                ext[globalKey] = global;
            }

            if (Get(row, slots[4]) is { Length: > 0 } def)
            {
                ext[defaultKey] = def;
            }
        }

        string imagesCell = Get(row, _h[F.Images]);
        ImageInfo[] images = Images(imagesCell);
        string[] categories = CategoryIds(Get(row, _h[F.Categories]));

        if (kind == ProductKind.Variable && AllMalformed(variationRows))
        {
            // A variable product whose variations are missing becomes a product with one default variant at the parent's price.
            ext[VariationsMissingKey] = "true";
            variants.Add(new ProductVariant
            {
                SourceId = "default",
                Sku = NullIfEmpty(Get(row, SkuIndex)),
                Barcode = NullIfEmpty(Get(row, F.Gtin)),
                Price = price,
                SalePrice = sale,
                StockQuantity = stock,
                WeightKg = weight,
            });
        }

        PublishStatus status = Status(row, rowNumber, sourceId, ext);
        if (Get(row, F.Gtin) is { Length: > 0 } gtin && kind != ProductKind.Variable)
        {
            ext[GtinKey] = gtin;
        }

        string name0 = Get(row, F.Name);
        string slug = CsvText.Slugify(name0);
        return new Product
        {
            SourceId = sourceId,
            Name = name0,
            Sku = NullIfEmpty(Get(row, SkuIndex)),
            Slug = slug,
            Url = _options.DeriveUrls ? $"{_options.ProductBase.TrimEnd('/')}/{slug}/" : null,
            Description = NullIfEmpty(F.DecodeDescription(Get(row, F.Description))),
            ShortDescription = NullIfEmpty(F.DecodeDescription(Get(row, F.ShortDescription))),
            Kind = kind,
            Status = status,
            Price = price,
            SalePrice = sale,
            StockQuantity = stock,
            WeightKg = weight,
            TaxClass = NullIfEmpty(Get(row, F.TaxClass)),
            Tags = Explode(Get(row, F.Tags)),
            Options = options,
            Variants = variants,
            Images = images,
            CategoryIds = categories,
            UpsellIds = Refs(row, F.Upsells),
            CrossSellIds = Refs(row, F.CrossSells),
            GroupedIds = Refs(row, F.Grouped),
            ExternalUrl = NullIfEmpty(Get(row, F.ExternalUrl)),
            ButtonText = NullIfEmpty(Get(row, F.ButtonText)),
            Extensions = ext.ToImmutable(),
        };
    }

    private const string TypeKey = F.Ext + "type";
    private const string VirtualKey = F.Ext + "virtual";
    private const string DownloadableKey = F.Ext + "downloadable";
    private const string IdKey = F.Ext + "id";
    private const string VariationsMissingKey = F.Ext + "variations_missing";
    private const string GtinKey = F.Ext + "global_unique_id";
    private const string MenuOrderKey = F.Ext + "menu_order";
    private const string StatusKey = F.Ext + "status";

    /// <summary>The values of a multi-value cell (<see cref="F.Explode"/>); shared between equal cells, never to be changed.</summary>
    private string[] Explode(string cell)
    {
        if (cell.Length == 0)
        {
            return [];
        }

        if (_exploded.TryGetValue(cell, out string[]? known))
        {
            return known;
        }

        string[] values = [.. F.Explode(cell)];
        if (_exploded.Count < MaxShared)
        {
            _exploded[cell] = values;
        }

        return values;
    }

    /// <summary>The distinct category ids of a <c>Categories</c> cell; shared between equal cells, never to be changed.</summary>
    private string[] CategoryIds(string cell)
    {
        if (cell.Length == 0)
        {
            return [];
        }

        if (_categoryIds.TryGetValue(cell, out string[]? known))
        {
            return known;
        }

        string[] ids = [.. CategoryPaths(cell).Select(p => CategoryId(p)).Distinct(StringComparer.Ordinal)];
        if (_categoryIds.Count < MaxShared)
        {
            _categoryIds[cell] = ids;
        }

        return ids;
    }

    private (string Global, string Default) AttributeKeys(string name)
    {
        if (!_attributeKeys.TryGetValue(name, out (string Global, string Default) keys))
        {
            keys = ($"{F.Ext}attribute.{name}.global", $"{F.Ext}attribute.{name}.default");
            if (_attributeKeys.Count < MaxShared)
            {
                _attributeKeys[name] = keys;
            }
        }

        return keys;
    }

    private ProductVariant ReadVariant(string[] row, int rowNumber, string productId, string currency, ImmutableSortedDictionary<string, string>.Builder ext, HashSet<string>? usedOptions, int index)
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
            values.Add(new OptionValue(name, value.Length == 0 ? null : First(value) ?? value));
            usedOptions?.Add(name);
        }

        Common(row, rowNumber, vid, ext, prefix);
        if (Get(row, IdIndex) is { Length: > 0 } id)
        {
            ext[prefix + "id"] = id;
        }

        foreach (string flag in Types(row))
        {
            if (flag is "virtual" or "downloadable")
            {
                ext[prefix + flag] = "true";
            }
        }

        string positionText = Get(row, F.Position);
        int position = int.TryParse(positionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) ? p : index;
        string image = First(Get(row, F.Images)) ?? string.Empty;
        return new ProductVariant
        {
            SourceId = vid,
            Sku = NullIfEmpty(Get(row, SkuIndex)),
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
        bool product = prefix == F.Ext;
        foreach ((int column, string productKey, string suffix) in _plain)
        {
            if (Get(row, column) is { Length: > 0 } value)
            {
                ext[product ? productKey : prefix + suffix] = value;
            }
        }

        if (product && Get(row, F.Position) is { Length: > 0 } menuOrder)
        {
            ext[MenuOrderKey] = menuOrder;
        }

        if (prefix != F.Ext && Get(row, F.TaxClass) is { Length: > 0 } taxClass)
        {
            ext[prefix + "tax_class"] = taxClass;
        }

        if (prefix != F.Ext && Get(row, F.Description) is { Length: > 0 } description)
        {
            ext[prefix + "description"] = F.DecodeDescription(description);
        }

        foreach ((string dimension, string keySuffix, int index, string unit) in _h.Dimensions)
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

            ext[string.Concat(prefix, keySuffix)] = CsvText.Number(value!.Value * F.DimensionFactor(unit));
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
                ext[StatusKey] = "pending";
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

    private string[] Refs(string[] row, string column)
    {
        if (Get(row, column) is not { Length: > 0 } cell)
        {
            return [];
        }

        List<string> values = F.Explode(cell);
        string[] ids = new string[values.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = RefToSourceId(values[i]);
        }

        return ids;
    }

    /// <summary>The images of an <c>Images</c> cell, in order (a loop rather than LINQ: this runs for every product).</summary>
    private static ImageInfo[] Images(string cell)
    {
        if (cell.Length == 0)
        {
            return [];
        }

        if (First(cell) is { } only && ReferenceEquals(only, cell))
        {
            // One URL (no comma or escape in the cell): no list is made.
            return [new ImageInfo { Url = cell, Position = 0 }];
        }

        List<string> urls = F.Explode(cell);
        var images = new ImageInfo[urls.Count];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = new ImageInfo { Url = urls[i], Position = i };
        }

        return images;
    }

    private static bool AllMalformed(IReadOnlyList<(string[] Row, int Number, string? BadData)> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].BadData is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first value of a multi-value cell, without splitting a cell that holds one value only.</summary>
    private static string? First(string cell)
        => cell.Length == 0 ? null
            : cell.AsSpan().IndexOfAny(',', '\\') < 0 && cell.AsSpan().Trim().Length == cell.Length ? cell
            : F.Explode(cell).FirstOrDefault();

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
