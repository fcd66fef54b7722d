using System.Collections.Immutable;
using System.Globalization;
using NextCart.Migration.Connectors;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using F = NextCart.Migration.Shopify.Csv.ShopifyCsvFormat;

namespace NextCart.Migration.Shopify.Csv;

/// <summary>
/// Reads a Shopify product CSV in either dialect. Rows are grouped by handle (a product's rows are contiguous, as Shopify
/// writes them): the first row carries the product, every row with variant data is a variant, and every row with an image
/// URL adds an image. Streaming holds one product's rows at a time; a resume token is the number of items emitted plus a
/// fingerprint of the file.
/// </summary>
internal sealed class ShopifyCsvSource(string path, ShopifyCsvOptions options) : CsvFileSource(path, options.PageSize)
{
    private readonly ShopifyCsvOptions _options = options;

    public override string ProviderId => ShopifyCsvConnectorFactory.ProviderId;

    protected override bool Reads(EntityType type) => type == EntityType.Products;

    protected override void ValidateHeader() => _ = Header();

    private Columns Header()
    {
        string[] raw = ReadHeaderNames("Shopify product CSV");
        var columns = new Columns(raw);
        List<string> missing = [];
        if (columns[F.Handle] < 0)
        {
            missing.Add("'Handle' (or 'URL handle')");
        }

        if (columns[F.Title] < 0)
        {
            missing.Add("'Title'");
        }

        if (missing.Count > 0)
        {
            throw new MigrationConfigurationException(
                FailureCategory.Configuration,
                $"'{FilePath}' is not a Shopify product CSV: the required columns {string.Join(", ", missing)} are missing. The header found is: {string.Join(",", raw)}");
        }

        return columns;
    }

    protected override IEnumerable<CsvItem> Items(EntityType type, CancellationToken cancellationToken)
    {
        Columns columns = Header();
        FinishedHandles done = new(FilePath, columns[F.Handle]);
        List<CsvRow> group = [];
        string? handle = null;
        foreach (CsvRow row in CsvRows.Read(FilePath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string h = columns.Get(row.Cells, F.Handle);
            if (h.Length == 0)
            {
                yield return Fail($"row-{row.Number.ToString(CultureInfo.InvariantCulture)}", $"row {row.Number}: the row has no handle.");
                continue;
            }

            if (handle is not null && !string.Equals(h, handle, StringComparison.OrdinalIgnoreCase))
            {
                yield return Build(columns, handle, group, done);
                group.Clear();
            }

            handle = h;
            group.Add(row);
        }

        if (handle is not null)
        {
            yield return Build(columns, handle, group, done);
        }
    }

    private CsvItem Build(Columns c, string handle, List<CsvRow> rows, FinishedHandles done)
    {
        string sourceId = CsvText.SafeId(handle);
        try
        {
            if (!done.Add(handle, rows[0].Number))
            {
                throw new FormatException($"row {rows[0].Number}: the handle '{handle}' appears again after other products; a product's rows must be together.");
            }

            return new CsvItem(Product(c, handle, sourceId, rows), null);
        }
        catch (FormatException ex)
        {
            return Fail(sourceId, ex.Message);
        }
    }

    private Product Product(Columns c, string handle, string sourceId, List<CsvRow> rows)
    {
        CsvRow first = rows[0];
        string[] r0 = first.Cells;
        if (rows.FirstOrDefault(r => r.BadData is not null) is { BadData: not null } bad)
        {
            throw new FormatException($"row {bad.Number}: the row is malformed ({bad.BadData}).");
        }

        string title = c.Get(r0, F.Title);
        if (title.Length == 0)
        {
            throw new FormatException($"row {first.Number}: the first row of handle '{handle}' has no Title.");
        }

        ImmutableSortedDictionary<string, string>.Builder ext = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        Put(r0, F.Vendor, "vendor");
        Put(r0, F.ProductCategory, "product_category");
        Put(r0, F.GiftCard, "gift_card");
        foreach ((string name, int index) in c.Unknown)
        {
            if (Columns.Cell(r0, index) is { Length: > 0 } value)
            {
                ext[$"{F.Ext}column.{name}"] = value;
            }
        }

        List<string> optionNames = [];
        for (int n = 1; n <= 3; n++)
        {
            if (c.Get(r0, F.OptionName(n)) is { Length: > 0 } name)
            {
                optionNames.Add(name);
            }
        }

        List<CsvRow> variantRows = rows.Where(r => F.VariantColumns.Any(col => c.Get(r.Cells, col).Length > 0)).ToList();
        bool simple = variantRows.Count <= 1 && (optionNames.Count == 0 || (optionNames is ["Title"] && (variantRows.Count == 0 || c.Get(variantRows[0].Cells, F.OptionValue(1)) is "Default Title" or "")));
        List<ProductVariant> variants = [];
        HashSet<string> ids = new(StringComparer.Ordinal);
        List<List<string>> optionValues = optionNames.Select(_ => new List<string>()).ToList();
        for (int i = 0; i < variantRows.Count; i++)
        {
            CsvRow vr = variantRows[i];
            string sku = c.Get(vr.Cells, F.Sku);
            string vid = sku.Length > 0 && ids.Add(CsvText.SafeId(sku)) ? CsvText.SafeId(sku) : "v" + (i + 1).ToString(CultureInfo.InvariantCulture);
            ids.Add(vid);
            List<OptionValue> values = [];
            if (!simple)
            {
                for (int n = 0; n < optionNames.Count; n++)
                {
                    string value = c.Get(vr.Cells, F.OptionValue(n + 1));
                    if (value.Length == 0)
                    {
                        throw new FormatException($"row {vr.Number}: the variant has no {F.OptionValue(n + 1)} for option '{optionNames[n]}'.");
                    }

                    values.Add(new OptionValue(optionNames[n], value));
                    if (!optionValues[n].Contains(value, StringComparer.Ordinal))
                    {
                        optionValues[n].Add(value);
                    }
                }
            }

            decimal? price = Decimal(vr, F.Price);
            decimal? compareAt = Decimal(vr, F.CompareAt);
            string prefix = $"{F.Ext}variants.{vid}.";
            bool onSale = price is { } p && compareAt is { } ca && ca > p;
            if (compareAt is { } kept && !onSale)
            {
                ext[prefix + "compare_at_price"] = CsvText.Number(kept);
            }

            foreach ((string column, string key, string _) in F.VariantExtras)
            {
                if (c.Get(vr.Cells, column) is { Length: > 0 } value)
                {
                    ext[prefix + key] = value;
                }
            }

            string qtyText = c.Get(vr.Cells, F.Qty);
            int? qty = qtyText.Length == 0 ? null
                : int.TryParse(qtyText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int q) ? q
                : throw new FormatException($"row {vr.Number}: the inventory quantity '{qtyText}' is not a whole number.");
            decimal? grams = Decimal(vr, F.Grams);
            string variantImage = c.Get(vr.Cells, F.VariantImage);
            string barcode = c.Get(vr.Cells, F.Barcode);
            variants.Add(new ProductVariant
            {
                SourceId = vid,
                Sku = sku.Length > 0 ? sku : null,
                Barcode = barcode.Length > 0 ? barcode : null,
                Price = (onSale ? compareAt : price) is { } regular ? new Money(regular, _options.Currency) : null,
                SalePrice = onSale ? new Money(price!.Value, _options.Currency) : null,
                OptionValues = values,
                StockQuantity = qty,
                WeightKg = grams is { } g ? g / 1000m : null,
                Image = variantImage.Length > 0 ? new ImageInfo { Url = variantImage } : null,
                Position = i,
            });
        }

        List<ImageInfo> images = [];
        foreach (CsvRow ir in rows)
        {
            string src = c.Get(ir.Cells, F.ImageSrc);
            if (src.Length == 0)
            {
                continue;
            }

            string pos = c.Get(ir.Cells, F.ImagePosition);
            string alt = c.Get(ir.Cells, F.ImageAlt);
            images.Add(new ImageInfo
            {
                Url = src,
                Alt = alt.Length > 0 ? alt : null,
                Position = int.TryParse(pos, NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) ? p - 1 : images.Count,
            });
        }

        string status = c.Get(r0, F.Status).ToLowerInvariant();
        string published = c.Get(r0, F.Published).ToLowerInvariant();
        PublishStatus publish = status switch
        {
            "draft" => PublishStatus.Draft,
            "archived" => PublishStatus.Archived,
            "active" => published is "false" ? PublishStatus.Private : PublishStatus.Active,
            "" => published is "false" ? PublishStatus.Draft : PublishStatus.Active,
            _ => throw new FormatException($"row {first.Number}: Status '{status}' is not active, draft or archived."),
        };
        string seoTitle = c.Get(r0, F.SeoTitle);
        string seoDescription = c.Get(r0, F.SeoDescription);
        string body = c.Get(r0, F.Body);
        string type = c.Get(r0, F.Type);
        ProductVariant? only = simple && variants.Count == 1 ? variants[0] : null;
        return new Product
        {
            SourceId = sourceId,
            Name = title,
            Slug = handle,
            Url = $"/products/{handle}",
            Description = body.Length > 0 ? body : null,
            Kind = simple ? ProductKind.Simple : ProductKind.Variable,
            Status = publish,
            Price = only?.Price,
            SalePrice = only?.SalePrice,
            Sku = only?.Sku,
            StockQuantity = only?.StockQuantity,
            WeightKg = only?.WeightKg,
            ProductType = type.Length > 0 ? type : null,
            Tags = c.Get(r0, F.Tags).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Options = simple ? [] : optionNames.Select((n, i) => new ProductOption { Name = n, Values = optionValues[i] }).ToArray(),
            Variants = variants,
            Images = images,
            Seo = seoTitle.Length > 0 || seoDescription.Length > 0 ? new SeoInfo { Title = seoTitle.Length > 0 ? seoTitle : null, Description = seoDescription.Length > 0 ? seoDescription : null } : null,
            Extensions = ext.ToImmutable(),
        };

        void Put(string[] row, string column, string key)
        {
            if (c.Get(row, column) is { Length: > 0 } value)
            {
                ext[F.Ext + key] = value;
            }
        }

        decimal? Decimal(CsvRow row, string column)
        {
            string raw = c.Get(row.Cells, column);
            return CsvText.TryDecimal(raw, out decimal? value) ? value : throw new FormatException($"row {row.Number}: the {column} '{raw}' is not a number.");
        }
    }

    private static CsvItem Fail(string sourceId, string message)
        => new(null, new RecordIssue(EntityType.Products, sourceId, FailureCategory.Validation, message));


    /// <summary>
    /// The handles of the product groups already read, to refuse a handle whose rows come back after other products. Kept as
    /// 64-bit hashes (about 20 bytes a product, against about 90 for the handle strings), and a hash seen before is confirmed
    /// by reading the handle column of the rows before the group, so neither a collision nor case folding can refuse a
    /// product wrongly; only a file in error (or a collision: a few in 10^8 for a million handles) pays for the read. The hash
    /// upper-cases each UTF-16 unit, so two handles that differ only in the case of a letter outside the Basic Multilingual
    /// Plane hash apart and their repeat goes unnoticed (Shopify's handles are ASCII).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="handleIndex">The handle column's index.</param>
    /// <param name="hash">The handle hash; <see langword="null"/> for FNV-1a (tests pass a colliding one).</param>
    internal sealed class FinishedHandles(string path, int handleIndex, Func<string, ulong>? hash = null)
    {
        private readonly HashSet<ulong> _hashes = [];

        /// <summary>Adds the handle of a group whose first row is <paramref name="firstRow"/>.</summary>
        /// <returns><see langword="false"/> when a row before the group has the same handle (ignoring case).</returns>
        public bool Add(string handle, int firstRow)
            => _hashes.Add(hash is null ? JournalIndex.Fnv1A(handle, ignoreCase: true) : hash(handle)) || !AppearsBefore(handle, firstRow);

        private bool AppearsBefore(string handle, int firstRow)
        {
            foreach (CsvRow row in CsvRows.Read(path, [handleIndex]))
            {
                if (row.Number >= firstRow)
                {
                    return false;
                }

                if (string.Equals(Columns.Cell(row.Cells, handleIndex), handle, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The header, with every column under its legacy name.</summary>
    private sealed class Columns
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public Columns(string[] raw)
        {
            HashSet<string> known = [.. F.LegacyHeader];
            for (int i = 0; i < raw.Length; i++)
            {
                string name = F.NewToLegacy.TryGetValue(raw[i], out string? legacy) ? legacy : raw[i];
                if (known.Contains(name) && !F.LegacyHeader.Take(3).Contains(name, StringComparer.Ordinal) && name.StartsWith("Google", StringComparison.Ordinal))
                {
                    Unknown.Add((name, i));
                }

                if (!_index.TryAdd(name, i))
                {
                    continue;
                }

                if (!known.Contains(name) && name.Length > 0)
                {
                    Unknown.Add((name, i));
                }
            }
        }

        public List<(string Name, int Index)> Unknown { get; } = [];

        public int this[string column] => _index.GetValueOrDefault(column, -1);

        public string Get(string[] row, string column) => Cell(row, this[column]);

        public static string Cell(string[] row, int index) => index < 0 || index >= row.Length ? string.Empty : CsvText.Unguard(row[index].Trim());
    }
}
