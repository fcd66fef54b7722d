using System.Globalization;
using NextCart.Migration.Connectors;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Internal;
using F = NextCart.Migration.WooCommerce.Csv.WooCsvFormat;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>
/// Writes categories and products into a WooCommerce product CSV that <c>WC_Product_CSV_Importer</c> accepts, in the exporter's
/// layout: a product row followed by its variation rows, <c>ID</c> holding the target id (the importer creates an
/// <c>_original_id</c> placeholder for an unknown ID, <c>parse_id_field</c>), and links written as <c>id:N</c>
/// (<c>parse_relative_field</c>). Categories have no file of their own: they become the <c>Parent &gt; Child</c> paths of the
/// products' <c>Categories</c> cells.
/// </summary>
internal sealed class WooCsvTarget : CsvFileTarget
{
    private static readonly IReadOnlyDictionary<EntityType, Type> Types = new Dictionary<EntityType, Type>
    {
        [EntityType.Categories] = typeof(Category),
        [EntityType.Products] = typeof(Product),
    };

    private readonly WooCommerceCsvOptions _options;
    private long _nextId;
    private long _nextCategory;

    public WooCsvTarget(string directory, WooCommerceCsvOptions options)
        : base(directory, options.DurableWrites, options.BatchSize)
        => _options = options;

    public override string ProviderId => WooCommerceCsvConnectorFactory.ProviderId;

    protected override IReadOnlyDictionary<EntityType, Type> Journaled => Types;

    protected override string UnsupportedReason(EntityType type)
        => $"A WooCommerce product CSV holds products and their categories only, not {type.ToCamelCase()}.";

    protected override void OnLoaded(EntityType type, JournalEntry entry)
    {
        if (type == EntityType.Categories)
        {
            _nextCategory = Math.Max(_nextCategory, ParseNumber(entry.TargetId.AsSpan(4)));
            return;
        }

        _nextId = Math.Max(_nextId, ParseNumber(entry.TargetId));
        foreach (ChildMapping child in entry.Children ?? [])
        {
            _nextId = Math.Max(_nextId, ParseNumber(child.TargetId));
        }
    }

    protected override void OnCleared(EntityType type)
    {
        if (type == EntityType.Products)
        {
            _nextId = 0;
        }
        else
        {
            _nextCategory = 0;
        }
    }

    protected override string? Accept(EntityType type, TargetRecord record, string? existingTargetId, IReadOnlyList<ChildMapping> previousChildren, JournalEntry entry, List<string> warnings, ReservedKeys reserved)
    {
        if (record.Entity is Category category)
        {
            entry.TargetId = existingTargetId ?? "cat-" + (++_nextCategory).ToString(CultureInfo.InvariantCulture);
            string slug = category.Slug ?? CsvText.Slugify(category.Name);
            string? parentUrl = category.ParentId is { } parent && record.TryResolve(new EntityRef(EntityType.Categories, parent), out ResolvedTarget p) ? p.TargetUrl : null;
            entry.TargetUrl = WooPermalinks.Category(_options.CategoryBase, slug, parentUrl);
            return null;
        }

        var product = (Product)record.Entity;
        List<string> skus = [.. product.Variants.Select(v => v.Sku).Append(product.Sku).OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        foreach (string sku in skus)
        {
            if (reserved.TryGetValue("sku:" + sku, out string? owner) && owner != product.SourceId)
            {
                return $"The SKU '{sku}' is already used by product {owner}; WooCommerce requires unique SKUs.";
            }
        }

        foreach (string sku in skus)
        {
            reserved["sku:" + sku] = product.SourceId;
        }

        entry.TargetId = existingTargetId ?? (++_nextId).ToString(CultureInfo.InvariantCulture);
        entry.TargetUrl = $"{_options.ProductBase.TrimEnd('/')}/{product.Slug ?? CsvText.Slugify(product.Name)}/";
        if (WritesVariations(product))
        {
            entry.Children = product.Variants.Select(v => new ChildMapping(
                v.SourceId,
                previousChildren.FirstOrDefault(c => c.SourceId == v.SourceId).TargetId ?? (++_nextId).ToString(CultureInfo.InvariantCulture))).ToList();
        }
        else if (product.Variants.Count == 1)
        {
            // The single variant of a simple product is the product row itself.
            entry.Children = [new ChildMapping(product.Variants[0].SourceId, entry.TargetId)];
        }

        if (product.Variants.Count > 1 && product.Options.Count == 0)
        {
            warnings.Add($"The product has {product.Variants.Count} variants but no options; they were written as variations without attributes.");
        }

        return null;
    }

    protected override async Task PublishAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, (string Name, string? Parent)> categories = new(StringComparer.Ordinal);
        if (HasJournal(EntityType.Categories))
        {
            foreach (JournalEntry entry in Latest(EntityType.Categories))
            {
                var category = (Category)entry.Entity!;
                string? parent = category.ParentId is { } p ? entry.Resolve(CsvFileTarget.Key(new EntityRef(EntityType.Categories, p))) : null;
                categories[entry.TargetId] = (category.Name, parent);
            }
        }

        // The dynamic columns depend on every product, so a first pass sizes them.
        int attributes = 0;
        SortedSet<int> downloads = [];
        SortedSet<string> meta = new(StringComparer.Ordinal);
        bool products = HasJournal(EntityType.Products);
        if (products)
        {
            foreach (JournalEntry entry in Latest(EntityType.Products))
            {
                var product = (Product)entry.Entity!;
                attributes = Math.Max(attributes, product.Options.Count);
                foreach (string key in product.Extensions.Keys)
                {
                    if (key.StartsWith(F.Ext + "meta.", StringComparison.Ordinal))
                    {
                        meta.Add(key[(F.Ext.Length + 5)..]);
                    }
                    else if (key.StartsWith(F.Ext + "download.", StringComparison.Ordinal) && key.EndsWith(".url", StringComparison.Ordinal))
                    {
                        downloads.Add(int.Parse(key.AsSpan()[(F.Ext.Length + 9)..^4], CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        List<string> header = [.. F.FixedBeforeUnits, $"Weight ({_options.WeightUnit})", $"Length ({_options.DimensionUnit})", $"Width ({_options.DimensionUnit})", $"Height ({_options.DimensionUnit})", .. F.FixedAfterUnits];
        foreach (int n in downloads)
        {
            header.AddRange([$"Download {n} ID", $"Download {n} name", $"Download {n} URL"]);
        }

        for (int n = 1; n <= attributes; n++)
        {
            header.AddRange([$"Attribute {n} name", $"Attribute {n} value(s)", $"Attribute {n} visible", $"Attribute {n} global", $"Attribute {n} default"]);
        }

        header.AddRange(meta.Select(k => "Meta: " + k));
        var layout = new Layout(header, downloads.ToArray(), attributes, meta.ToArray());

        await AtomicFile.WriteAsync(System.IO.Path.Combine(Directory, _options.FileName), async (stream, ct) =>
        {
            var text = new StreamWriter(stream, CsvText.Utf8Bom, 1 << 16, leaveOpen: true);
            await using (text.ConfigureAwait(false))
            {
                using (var csv = new CsvRowWriter(text))
                {
                    csv.Row(header);
                    if (products)
                    {
                        foreach (JournalEntry entry in Latest(EntityType.Products))
                        {
                            ct.ThrowIfCancellationRequested();
                            WriteProduct(csv, layout, entry, categories);
                        }
                    }
                }

                await text.FlushAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private void WriteProduct(CsvRowWriter csv, Layout layout, JournalEntry entry, Dictionary<string, (string Name, string? Parent)> categories)
    {
        var p = (Product)entry.Entity!;
        bool variable = WritesVariations(p) || (p.Kind == ProductKind.Variable && p.Extensions.GetValueOrDefault(F.Ext + "variations_missing") == "true");
        ProductVariant? single = !WritesVariations(p) && p.Variants.Count == 1 ? p.Variants[0] : null;
        string kind = p.Kind switch
        {
            ProductKind.Grouped => "grouped",
            ProductKind.External => "external",
            _ => variable ? "variable" : "simple",
        };
        var row = new string[layout.Header.Count];
        Set(row, layout, F.Id, entry.TargetId);
        Set(row, layout, F.Type, string.Join(", ", Flags(p.Extensions, F.Ext).Prepend(kind)));
        Set(row, layout, F.Sku, p.Sku ?? single?.Sku);
        Set(row, layout, F.Gtin, p.Extensions.GetValueOrDefault(F.Ext + "global_unique_id") ?? single?.Barcode);
        Set(row, layout, F.Name, p.Name);
        Set(row, layout, F.Published, p.Status switch
        {
            PublishStatus.Active => "1",
            PublishStatus.Private => "0",
            _ => p.Extensions.GetValueOrDefault(F.Ext + "status") == "pending" ? "2" : "-1",
        });
        Set(row, layout, F.ShortDescription, F.EncodeDescription(p.ShortDescription));
        Set(row, layout, F.Description, F.EncodeDescription(p.Description));
        Set(row, layout, F.TaxClass, p.TaxClass);
        Common(row, layout, p.Extensions, F.Ext, defaults: true);
        Set(row, layout, F.Stock, Int(p.StockQuantity ?? single?.StockQuantity) ?? p.Extensions.GetValueOrDefault(F.Ext + "stock"));
        Set(row, layout, $"Weight ({_options.WeightUnit})", CsvText.Number(F.FromKg(p.WeightKg ?? single?.WeightKg, _options.WeightUnit)));
        Set(row, layout, F.RegularPrice, CsvText.Number((p.Price ?? single?.Price)?.Amount));
        Set(row, layout, F.SalePrice, CsvText.Number((p.SalePrice ?? single?.SalePrice)?.Amount));
        Set(row, layout, F.Categories, F.Implode(p.CategoryIds.Select(id => entry.Resolve(CsvFileTarget.Key(new EntityRef(EntityType.Categories, id)))).OfType<string>().Select(t => CategoryPath(t, categories)).Where(x => x.Length > 0)));
        Set(row, layout, F.Tags, F.Implode(p.Tags));
        Set(row, layout, F.Images, F.Implode(p.Images.OrderBy(i => i.Position).Select(i => i.Url)));
        Set(row, layout, F.Grouped, Links(entry, p.GroupedIds));
        Set(row, layout, F.Upsells, Links(entry, p.UpsellIds));
        Set(row, layout, F.CrossSells, Links(entry, p.CrossSellIds));
        Set(row, layout, F.ExternalUrl, p.ExternalUrl);
        Set(row, layout, F.ButtonText, p.ButtonText);
        Set(row, layout, F.Position, p.Extensions.GetValueOrDefault(F.Ext + "menu_order") ?? "0");
        for (int i = 0; i < p.Options.Count && i < layout.Attributes; i++)
        {
            ProductOption option = p.Options[i];
            int n = i + 1;
            Set(row, layout, $"Attribute {n} name", option.Name);
            Set(row, layout, $"Attribute {n} value(s)", F.Implode(option.Values));
            Set(row, layout, $"Attribute {n} visible", option.Visible ? "1" : "0");
            Set(row, layout, $"Attribute {n} global", p.Extensions.GetValueOrDefault($"{F.Ext}attribute.{option.Name}.global") ?? "0");
            Set(row, layout, $"Attribute {n} default", p.Extensions.GetValueOrDefault($"{F.Ext}attribute.{option.Name}.default"));
        }

        Emit(csv, row);
        if (!WritesVariations(p))
        {
            return;
        }

        string parentRef = p.Sku is { Length: > 0 } parentSku ? parentSku : "id:" + entry.TargetId;
        foreach (ProductVariant v in p.Variants)
        {
            string vid = entry.Children?.FirstOrDefault(c => c.SourceId == v.SourceId).TargetId ?? string.Empty;
            string prefix = $"{F.Ext}variations.{v.SourceId}.";
            var vrow = new string[layout.Header.Count];
            Set(vrow, layout, F.Id, vid);
            Set(vrow, layout, F.Type, string.Join(", ", Flags(p.Extensions, prefix).Prepend("variation")));
            Set(vrow, layout, F.Sku, v.Sku);
            Set(vrow, layout, F.Gtin, v.Barcode);
            Set(vrow, layout, F.Name, v.OptionValues.Any(o => o.Value is not null) ? $"{p.Name} - {string.Join(", ", v.OptionValues.Select(o => o.Value).OfType<string>())}" : p.Name);
            Set(vrow, layout, F.Published, "1");
            Set(vrow, layout, F.Description, F.EncodeDescription(p.Extensions.GetValueOrDefault(prefix + "description")));
            Set(vrow, layout, F.TaxClass, p.Extensions.GetValueOrDefault(prefix + "tax_class"));
            Common(vrow, layout, p.Extensions, prefix, defaults: false);
            Set(vrow, layout, F.Stock, Int(v.StockQuantity) ?? p.Extensions.GetValueOrDefault(prefix + "stock"));
            Set(vrow, layout, $"Weight ({_options.WeightUnit})", CsvText.Number(F.FromKg(v.WeightKg, _options.WeightUnit)));
            Set(vrow, layout, F.RegularPrice, CsvText.Number(v.Price?.Amount));
            Set(vrow, layout, F.SalePrice, CsvText.Number(v.SalePrice?.Amount));
            Set(vrow, layout, F.Images, v.Image?.Url);
            Set(vrow, layout, F.Parent, parentRef);
            Set(vrow, layout, F.Position, v.Position.ToString(CultureInfo.InvariantCulture));
            for (int i = 0; i < p.Options.Count && i < layout.Attributes; i++)
            {
                ProductOption option = p.Options[i];
                OptionValue? value = v.OptionValues.FirstOrDefault(o => o.Name == option.Name);
                if (value is null)
                {
                    continue;
                }

                int n = i + 1;
                Set(vrow, layout, $"Attribute {n} name", option.Name);

                // An empty value is WooCommerce's "any value" of the attribute.
                Set(vrow, layout, $"Attribute {n} value(s)", value.Value is null ? string.Empty : F.Implode([value.Value]));
                Set(vrow, layout, $"Attribute {n} global", p.Extensions.GetValueOrDefault($"{F.Ext}attribute.{option.Name}.global") ?? "0");
            }

            Emit(csv, vrow);
        }
    }

    private void Common(string[] row, Layout layout, IReadOnlyDictionary<string, string> ext, string prefix, bool defaults)
    {
        Put(F.Featured, "featured", "0");
        Put(F.Visibility, "catalog_visibility", "visible");
        Put(F.SaleFrom, "date_on_sale_from", null);
        Put(F.SaleTo, "date_on_sale_to", null);
        Put(F.TaxStatus, "tax_status", "taxable");
        Put(F.InStock, "in_stock", "1");
        Put(F.LowStock, "low_stock_amount", null);
        Put(F.Backorders, "backorders", "0");
        Put(F.SoldIndividually, "sold_individually", "0");
        Put(F.Reviews, "reviews_allowed", "1");
        Put(F.PurchaseNote, "purchase_note", null);
        Put(F.ShippingClass, "shipping_class", null);
        Put(F.DownloadLimit, "download_limit", null);
        Put(F.DownloadExpiry, "download_expiry", null);
        foreach (string dimension in (string[])["length", "width", "height"])
        {
            if (ext.GetValueOrDefault($"{prefix}{dimension}_cm") is { } cm && CsvText.TryDecimal(cm, out decimal? value) && value is { } v)
            {
                Set(row, layout, $"{char.ToUpperInvariant(dimension[0])}{dimension[1..]} ({_options.DimensionUnit})", CsvText.Number(F.DimensionFactor(_options.DimensionUnit) == 1m ? v : Math.Round(v / F.DimensionFactor(_options.DimensionUnit), 6)));
            }
        }

        foreach (int n in layout.Downloads)
        {
            if (ext.GetValueOrDefault($"{prefix}download.{n}.url") is { } url)
            {
                Set(row, layout, $"Download {n} ID", ext.GetValueOrDefault($"{prefix}download.{n}.id"));
                Set(row, layout, $"Download {n} name", ext.GetValueOrDefault($"{prefix}download.{n}.name"));
                Set(row, layout, $"Download {n} URL", url);
            }
        }

        foreach (string key in layout.Meta)
        {
            Set(row, layout, "Meta: " + key, ext.GetValueOrDefault($"{prefix}meta.{key}"));
        }

        void Put(string column, string key, string? fallback)
            => Set(row, layout, column, ext.GetValueOrDefault(prefix + key) ?? (defaults ? fallback : null));
    }

    private static IEnumerable<string> Flags(IReadOnlyDictionary<string, string> ext, string prefix)
    {
        if (ext.GetValueOrDefault(prefix + "downloadable") == "true")
        {
            yield return "downloadable";
        }

        if (ext.GetValueOrDefault(prefix + "virtual") == "true")
        {
            yield return "virtual";
        }
    }

    private static string Links(JournalEntry entry, IReadOnlyList<string> ids)
        => string.Join(", ", ids.Select(id => entry.Resolve(CsvFileTarget.Key(EntityRef.Product(id)))).OfType<string>().Select(t => "id:" + t));

    private static string CategoryPath(string targetId, Dictionary<string, (string Name, string? Parent)> categories)
    {
        var names = new List<string>();
        HashSet<string> seen = [];
        string? current = targetId;
        while (current is not null && categories.TryGetValue(current, out (string Name, string? Parent) c) && seen.Add(current))
        {
            names.Add(c.Name.Replace(">", "&gt;", StringComparison.Ordinal));
            current = c.Parent;
        }

        names.Reverse();
        return string.Join(" > ", names);
    }

    private static bool WritesVariations(Product p)
        => p.Kind is ProductKind.Variable or ProductKind.Simple
            && (p.Variants.Count > 1 || (p.Variants.Count == 1 && p.Variants[0].OptionValues.Count > 0 && p.Variants[0].SourceId != "default"));

    private static void Set(string[] row, Layout layout, string column, string? value)
    {
        if (layout.Index.TryGetValue(column, out int i))
        {
            row[i] = value ?? string.Empty;
        }
    }

    private static void Emit(CsvRowWriter csv, string[] row)
    {
        foreach (string cell in row)
        {
            csv.Guarded(cell);
        }

        csv.EndRow();
    }

    private static string? Int(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static long ParseNumber(ReadOnlySpan<char> value)
        => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;

    private sealed class Layout(List<string> header, int[] downloads, int attributes, string[] meta)
    {
        public List<string> Header { get; } = header;

        public Dictionary<string, int> Index { get; } = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);

        public int[] Downloads { get; } = downloads;

        public int Attributes { get; } = attributes;

        public string[] Meta { get; } = meta;
    }
}
