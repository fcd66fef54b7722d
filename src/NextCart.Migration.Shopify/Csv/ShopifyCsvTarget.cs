using System.Globalization;
using NextCart.Migration.Connectors;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using F = NextCart.Migration.Shopify.Csv.ShopifyCsvFormat;

namespace NextCart.Migration.Shopify.Csv;

/// <summary>
/// Writes Shopify's <c>products.csv</c> (legacy header), <c>customers.csv</c> and <c>redirects.csv</c>. Categories are journaled so
/// products resolve them, and are written as tags and product types because the product CSV cannot hold collections.
/// </summary>
internal sealed class ShopifyCsvTarget : CsvFileTarget
{
    public const string ProductsFile = "products.csv";
    public const string CustomersFile = "customers.csv";
    public const string RedirectsFile = "redirects.csv";

    private const string WooPrefix = "woocommerce.";
    private const string ColumnPrefix = F.Ext + "column.";

    private static readonly Dictionary<string, int> LegacyIndex = F.LegacyHeader.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
    private static readonly int TypeColumn = LegacyIndex[F.Type];
    private static readonly int TagsColumn = LegacyIndex[F.Tags];

    private static readonly IReadOnlyDictionary<EntityType, Type> Types = new Dictionary<EntityType, Type>
    {
        [EntityType.Categories] = typeof(Category),
        [EntityType.Products] = typeof(Product),
        [EntityType.Customers] = typeof(Customer),
        [EntityType.Redirects] = typeof(Redirect),
    };

    /// <summary>The most row arrays kept for reuse (a batch of 1,000 variable products renders ~5,000 rows).</summary>
    private const int MaxFreeRows = 8192;

    private readonly ShopifyCsvOptions _options;
    private readonly CsvRowArrays _freeRows = new(MaxFreeRows);

    /// <summary>
    /// Whether any journaled product carries a Shopify column outside the legacy header (only a Shopify CSV source sets them), so
    /// publishing reads the journal for the extra header columns only when there can be some.
    /// </summary>
    private bool _extraColumns;

    public ShopifyCsvTarget(string directory, ShopifyCsvOptions options)
        : base(directory, options.DurableWrites, options.BatchSize)
        => _options = options;

    public override string ProviderId => ShopifyCsvConnectorFactory.ProviderId;

    protected override IReadOnlyDictionary<EntityType, Type> Journaled => Types;

    protected override string UnsupportedReason(EntityType type)
        => $"Shopify's CSV files hold products, customers and URL redirects only, not {type.ToCamelCase()}.";

    protected override string? Accept(EntityType type, TargetRecord record, string? existingTargetId, IReadOnlyList<ChildMapping> previousChildren, JournalEntry entry, List<string> warnings, ReservedKeys reserved)
    {
        switch (record.Entity)
        {
            case Category category:
            {
                string handle = existingTargetId ?? Unique("collection:", CsvText.Slugify(category.Slug ?? category.Name), category.SourceId, reserved);
                entry.TargetId = handle;
                entry.TargetUrl = $"/collections/{handle}";
                entry.NaturalKey = "collection:" + handle;
                warnings.Add(
                    $"Shopify's product CSV cannot hold collections: '{category.Name}' is written as a product tag{(_options.DeepestCategoryAsType ? " (and as the product type of products whose deepest category it is)" : string.Empty)}. " +
                    $"Create an automated collection with the condition \"tag is {category.Name}\" and handle '{handle}' so its redirect resolves.");
                return null;
            }

            case Product product:
            {
                List<string> used = UsedOptions(product);
                if (used.Count > 3)
                {
                    return $"The product has {used.Count} options ({string.Join(", ", used)}); Shopify's product CSV holds at most 3.";
                }

                string handle = existingTargetId ?? Unique("handle:", CsvText.Slugify(product.Slug ?? product.Name), product.SourceId, reserved);
                entry.TargetId = handle;
                entry.TargetUrl = $"/products/{handle}";
                entry.NaturalKey = "handle:" + handle;
                entry.Children = new List<ChildMapping>(product.Variants.Count);
                for (int i = 0; i < product.Variants.Count; i++)
                {
                    entry.Children.Add(new ChildMapping(product.Variants[i].SourceId, string.Create(CultureInfo.InvariantCulture, $"{handle}:{i + 1}")));
                }

                List<(ProductVariant Variant, IReadOnlyList<OptionValue> Values)> variants = Expand(product, warnings);

                // The product is journaled as its rendered rows, not as an entity, so publishing copies rows (RenderedRecord).
                entry.Entity = null;
                entry.Rendered = Render(product, handle, used, variants, out Dictionary<string, string>? extra);
                entry.Extra = extra;
                _extraColumns |= extra is not null;
                if (product.Kind == ProductKind.Grouped)
                {
                    warnings.Add($"Shopify has no grouped products: written as a plain product; its {product.GroupedIds.Count} child products are not linked.");
                }
                else if (product.Kind == ProductKind.External)
                {
                    warnings.Add($"Shopify has no external (affiliate) products: written as a plain product; its URL '{product.ExternalUrl}' and button text are not kept.");
                }

                if (product.Tags.Any(t => t.Contains(',', StringComparison.Ordinal)))
                {
                    warnings.Add("Shopify tags cannot contain commas: the commas were removed from " + string.Join(", ", product.Tags.Where(t => t.Contains(',', StringComparison.Ordinal)).Select(t => $"'{t}'")) + ".");
                }

                if (!string.IsNullOrEmpty(product.ShortDescription))
                {
                    warnings.Add("Shopify has no short description: it was not written.");
                }

                if (product.Extensions.GetValueOrDefault(WooPrefix + "variations_missing") == "true")
                {
                    warnings.Add("The variable product had no variations: written as a single-variant product at the parent's price.");
                }

                return null;
            }

            case Customer customer:
            {
                if (string.IsNullOrWhiteSpace(customer.Email) && string.IsNullOrWhiteSpace(customer.Phone))
                {
                    return "A Shopify customer needs an e-mail address or a phone number.";
                }

                string key = string.IsNullOrWhiteSpace(customer.Email) ? "phone:" + customer.Phone!.Trim() : "email:" + customer.Email.Trim().ToLowerInvariant();
                if (reserved.TryGetValue(key, out string? owner) && owner != customer.SourceId)
                {
                    return $"The {(key.StartsWith("email:", StringComparison.Ordinal) ? "e-mail address" : "phone number")} is already used by customer {owner}; Shopify requires it to be unique.";
                }

                entry.TargetId = existingTargetId ?? key;
                entry.NaturalKey = key;
                return null;
            }

            case Redirect redirect:
            {
                string? to = redirect.TargetEntity is { } target && record.TryResolve(target, out ResolvedTarget resolved) ? resolved.TargetUrl : redirect.ToPath;
                if (string.IsNullOrEmpty(to))
                {
                    return $"The redirect from '{redirect.FromPath}' has no destination on the target.";
                }

                string key = "from:" + redirect.FromPath.ToLowerInvariant();
                if (reserved.TryGetValue(key, out string? owner) && owner != redirect.SourceId)
                {
                    return $"A redirect from '{redirect.FromPath}' already exists (redirect {owner}); Shopify keeps one redirect per path.";
                }

                entry.TargetId = existingTargetId ?? "redirect:" + redirect.FromPath;
                entry.TargetUrl = to;
                entry.NaturalKey = key;
                return null;
            }

            default:
                return $"Shopify's CSV files cannot hold {type.ToCamelCase()}.";
        }
    }

    protected override async Task PublishAsync(CancellationToken cancellationToken)
    {
        // The writes are over: the row arrays kept for them are not held while publishing (nor after, while the target lives).
        lock (_freeRows)
        {
            _freeRows.Clear();
        }

        if (HasJournal(EntityType.Products))
        {
            await PublishProductsAsync(cancellationToken).ConfigureAwait(false);
        }

        if (HasJournal(EntityType.Customers))
        {
            await WriteAsync(CustomersFile, F.CustomerHeader, csv =>
            {
                foreach (JournalEntry entry in Latest(EntityType.Customers))
                {
                    WriteCustomer(csv, (Customer)entry.Entity!);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        if (HasJournal(EntityType.Redirects))
        {
            await WriteAsync(RedirectsFile, F.RedirectHeader, csv =>
            {
                foreach (JournalEntry entry in Latest(EntityType.Redirects))
                {
                    csv.Guarded(((Redirect)entry.Entity!).FromPath);
                    csv.Guarded(entry.TargetUrl);
                    csv.EndRow();
                }
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishProductsAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, (string Name, string? Parent)> categories = new(StringComparer.Ordinal);
        if (HasJournal(EntityType.Categories))
        {
            foreach (JournalEntry entry in Latest(EntityType.Categories))
            {
                var category = (Category)entry.Entity!;
                categories[entry.TargetId] = (category.Name, category.ParentId is { } p ? entry.Resolve(Key(new EntityRef(EntityType.Categories, p))) : null);
            }
        }

        SortedSet<string> extra = new(StringComparer.Ordinal);
        if (_extraColumns)
        {
            foreach (JournalEntry entry in Latest(EntityType.Products))
            {
                RenderJournaledEntity(entry);
                extra.UnionWith(entry.Extra?.Keys ?? (IEnumerable<string>)[]);
            }
        }

        string[] extraColumns = [.. extra];
        string[] header = [.. F.LegacyHeader, .. extraColumns];
        PublishState publish = new();
        await WriteAsync(ProductsFile, header, csv =>
        {
            foreach (JournalEntry entry in Latest(EntityType.Products))
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteProduct(csv, extraColumns, entry, categories, publish);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a product's rendered rows to the file, filling in what depends on its categories (the tags they add and the deepest
    /// one as the type, unless a column of the source set those cells) and the extra columns.
    /// </summary>
    private void WriteProduct(CsvRowWriter csv, string[] extraColumns, JournalEntry entry, Dictionary<string, (string Name, string? Parent)> categories, PublishState publish)
    {
        RenderedRecord rendered = RenderJournaledEntity(entry);
        List<string> tags = publish.Tags;
        tags.Clear();
        foreach (string tag in rendered.Tags ?? [])
        {
            AddTag(tags, TagText(tag));
        }

        string? deepest = null;
        int depth = -1;
        foreach (string id in rendered.Categories ?? [])
        {
            if (entry.Resolve(publish.CategoryKey(id)) is not { } target || !categories.TryGetValue(target, out (string Name, string? Parent) category))
            {
                continue;
            }

            if (_options.CategoriesAsTags)
            {
                AddTag(tags, TagText(category.Name));
            }

            int d = publish.Depth(target, categories);
            if (d > depth)
            {
                depth = d;
                deepest = category.Name;
            }
        }

        // The own tags then the categories' names, each once ignoring case (the first spelling kept), as Distinct kept them.
        string tagsCell = CsvText.Guard(string.Join(", ", tags));
        string typeCell = CsvText.Guard(rendered.Type ?? (_options.DeepestCategoryAsType ? deepest : null));
        for (int r = 0; r < rendered.Rows.Count; r++)
        {
            string?[] row = rendered.Rows[r];
            for (int i = 0; i < row.Length; i++)
            {
                string? cell = row[i];
                if (r == 0 && cell is null)
                {
                    cell = i == TypeColumn ? typeCell : i == TagsColumn ? tagsCell : null;
                }

                csv.Cell(cell);
            }

            foreach (string column in extraColumns)
            {
                csv.Cell(r == 0 ? entry.Extra?.GetValueOrDefault(column) : null);
            }

            csv.EndRow();
        }

        // The rows were read from the journal for this copy only: their arrays are reused for the next product's rows.
        RenderedRowsConverter.Return(rendered.Rows);
    }

    private static void AddTag(List<string> tags, string tag)
    {
        foreach (string known in tags)
        {
            if (string.Equals(known, tag, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        tags.Add(tag);
    }

    /// <summary>What publishing the products reuses from product to product: category keys and depths, and the tags' list.</summary>
    private sealed class PublishState
    {
        private const int MaxKept = 4096;
        private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _depths = new(StringComparer.Ordinal);

        public List<string> Tags { get; } = [];

        /// <summary>The journal key of a reference to a category (<see cref="CsvFileTarget.Key"/>), made once per category.</summary>
        public string CategoryKey(string id)
        {
            if (!_keys.TryGetValue(id, out string? key))
            {
                key = Key(new EntityRef(EntityType.Categories, id));
                if (_keys.Count < MaxKept)
                {
                    _keys[id] = key;
                }
            }

            return key;
        }

        /// <summary>A category's depth (<see cref="ShopifyCsvTarget.Depth"/>), worked out once per category.</summary>
        public int Depth(string target, Dictionary<string, (string Name, string? Parent)> categories)
        {
            if (!_depths.TryGetValue(target, out int depth))
            {
                depth = ShopifyCsvTarget.Depth(target, categories);
                if (_depths.Count < MaxKept)
                {
                    _depths[target] = depth;
                }
            }

            return depth;
        }
    }

    /// <summary>Renders an entry journaled as an entity (by an earlier version of this target) the way <see cref="Accept"/> renders a product.</summary>
    private RenderedRecord RenderJournaledEntity(JournalEntry entry)
    {
        if (entry.Rendered is null && entry.Entity is Product product)
        {
            entry.Rendered = Render(product, entry.TargetId, UsedOptions(product), Expand(product, null), out Dictionary<string, string>? extra);
            entry.Extra = extra;
        }

        return entry.Rendered ?? throw new InvalidDataException($"The products journal holds no rows for product {entry.SourceId}.");
    }

    /// <summary>
    /// Renders a product's rows in the legacy header's order, each cell guarded against formulas: the first row holds the product,
    /// then one row per variant and image. The Type and Tags cells are left to publishing (they name categories) unless one of
    /// the source's columns sets them; cells of columns outside the legacy header go to <paramref name="extra"/>.
    /// </summary>
    private RenderedRecord Render(Product p, string handle, List<string> options, List<(ProductVariant Variant, IReadOnlyList<OptionValue> Values)> variants, out Dictionary<string, string>? extra)
    {
        Dictionary<string, string>? extras = null;
        bool simple = options.Count == 0;
        if (simple && variants.Count == 0)
        {
            variants = [(new ProductVariant { SourceId = "default", Sku = p.Sku, Price = p.Price, SalePrice = p.SalePrice, StockQuantity = p.StockQuantity, WeightKg = p.WeightKg }, [])];
        }
        else if (simple && variants.Count > 1)
        {
            variants = [variants[0]];
        }

        IReadOnlyList<ImageInfo> images = InPositionOrder(p.Images, static i => i.Position);

        // Only a Shopify source sets Shopify keys; without any, the per-variant and per-column lookups are skipped.
        bool shopify = HasKeyStartingWith(p, F.Ext);
        var rendered = new RenderedRecord
        {
            Tags = p.Tags.Count > 0 ? p.Tags : null,
            Type = p.ProductType,
            Categories = p.CategoryIds.Count > 0 ? p.CategoryIds : null,
        };
        int rows = Math.Max(variants.Count, images.Count);
        for (int r = 0; r < rows; r++)
        {
            string?[] row = RentRow();
            Set(row, F.Handle, handle);
            if (r == 0)
            {
                Set(row, F.Title, p.Name);
                Set(row, F.Body, p.Description);
                Set(row, F.Vendor, Ext(p, F.Ext + "vendor"));
                Set(row, F.ProductCategory, Ext(p, F.Ext + "product_category"));
                Set(row, F.Published, p.Status == PublishStatus.Active ? "TRUE" : "FALSE");
                Set(row, F.Status, p.Status switch { PublishStatus.Draft => "draft", PublishStatus.Archived => "archived", _ => "active" });
                Set(row, F.GiftCard, Ext(p, F.Ext + "gift_card") ?? "FALSE");
                Set(row, F.SeoTitle, p.Seo?.Title);
                Set(row, F.SeoDescription, p.Seo?.Description);
                for (int n = 0; n < options.Count; n++)
                {
                    Set(row, F.OptionName(n + 1), options[n]);
                }

                if (simple)
                {
                    Set(row, F.OptionName(1), "Title");
                }

                if (shopify && HasKeyStartingWith(p, ColumnPrefix))
                {
                    foreach ((string key, string value) in p.Extensions)
                    {
                        if (key.StartsWith(ColumnPrefix, StringComparison.Ordinal))
                        {
                            string column = key[ColumnPrefix.Length..];
                            if (LegacyIndex.ContainsKey(column))
                            {
                                Set(row, column, value);
                            }
                            else
                            {
                                (extras ??= new(StringComparer.Ordinal))[column] = CsvText.Guard(value);
                            }
                        }
                    }
                }
            }

            if (r < variants.Count)
            {
                (ProductVariant v, IReadOnlyList<OptionValue> values) = variants[r];
                if (simple)
                {
                    Set(row, F.OptionValue(1), "Default Title");
                }
                else
                {
                    for (int n = 0; n < options.Count; n++)
                    {
                        Set(row, F.OptionValue(n + 1), ValueOf(values, options[n]));
                    }
                }

                WriteVariant(p, v, r == 0 && simple, shopify, row);
            }

            if (r < images.Count)
            {
                Set(row, F.ImageSrc, images[r].Url);
                Set(row, F.ImagePosition, (r + 1).ToString(CultureInfo.InvariantCulture));
                Set(row, F.ImageAlt, images[r].Alt);
            }

            rendered.Rows.Add(row);
        }

        extra = extras;
        return rendered;
    }

    protected override void OnLoaded(EntityType type, JournalEntry entry)
    {
        // The head of an entry journaled as an entity (by an earlier version) cannot show its extra columns: look at them when publishing.
        _extraColumns |= type == EntityType.Products;
    }

    protected override void OnCleared(EntityType type)
    {
        if (type == EntityType.Products)
        {
            _extraColumns = false;
        }
    }

    private static void WriteVariant(Product p, ProductVariant v, bool productLevel, bool shopify, string?[] row)
    {
        // Only a Shopify source sets per-variant Shopify keys; without any, the lookups (and their key strings) are skipped.
        string? sp = shopify ? $"{F.Ext}variants.{v.SourceId}." : null;
        bool shopifyKeys = sp is not null && HasKeyStartingWith(p, sp);
        WooVariantKeys woo = productLevel || v.SourceId == "default" ? WooVariantKeys.OfProduct(p) : WooVariantKeys.OfVariation(p, $"{WooPrefix}variations.{v.SourceId}.");
        Money? price = v.Price ?? (productLevel ? p.Price : null);
        Money? sale = v.SalePrice ?? (productLevel ? p.SalePrice : null);
        int? stock = v.StockQuantity ?? (productLevel ? p.StockQuantity : null);
        decimal? kg = v.WeightKg ?? (productLevel ? p.WeightKg : null);
        bool onSale = sale is { } s && (price is not { } pr || s.Amount < pr.Amount);

        // Shopify's Variant Price is what the shopper pays; Compare At Price is the crossed-out regular price.
        Set(row, F.Price, CsvText.Number(onSale ? sale!.Value.Amount : price?.Amount));
        Set(row, F.CompareAt, onSale && price is { } regular ? CsvText.Number(regular.Amount) : shopifyKeys ? Ext(p, sp + "compare_at_price") : null);
        Set(row, F.Sku, v.Sku ?? (productLevel ? p.Sku : null));
        Set(row, F.Barcode, v.Barcode ?? woo.Gtin);
        Set(row, F.Qty, stock?.ToString(CultureInfo.InvariantCulture));
        Set(row, F.Grams, kg is { } w ? CsvText.Number(Math.Round(w * 1000m, 2)) : null);
        Set(row, F.VariantImage, v.Image?.Url);
        foreach ((string column, string key, string fallback) in F.VariantExtras)
        {
            string? value = (shopifyKeys ? Ext(p, sp + key) : null) ?? key switch
            {
                "inventory_tracker" => stock is null ? string.Empty : "shopify",
                "inventory_policy" => woo.Backorders is "1" or "notify" or "yes" ? "continue" : null,
                "requires_shipping" => woo.Virtual == "true" ? "FALSE" : null,
                "taxable" => woo.TaxStatus == "none" ? "FALSE" : null,
                "cost_per_item" => woo.CostOfGoods,
                _ => null,
            };
            Set(row, column, value ?? fallback);
        }
    }

    /// <summary>Sets a cell of a rendered row by its legacy column name, guarded against formulas; a null value leaves it empty.</summary>
    private static void Set(string?[] row, string column, string? value)
    {
        if (value is not null && LegacyIndex.TryGetValue(column, out int i))
        {
            row[i] = CsvText.Guard(value);
        }
    }

    /// <summary>
    /// An empty row array for <see cref="Render"/>: one a journaled batch gave back (<see cref="OnJournaled"/>), else a new one.
    /// Rendering runs under the type's lock (<see cref="CsvFileTarget.WriteAsync"/>) or while publishing, never both at once
    /// for products, so the free list is taken under its own small lock only to be safe.
    /// </summary>
    private string?[] RentRow()
    {
        lock (_freeRows)
        {
            return _freeRows.Rent(F.LegacyHeader.Length);
        }
    }

    protected override void OnJournaled(EntityType type, IReadOnlyList<JournalEntry> entries)
    {
        // The rendered rows were serialized into the journal: their arrays are cleared and reused for the next batch's products.
        lock (_freeRows)
        {
            foreach (JournalEntry entry in entries)
            {
                if (entry.Rendered is not { } rendered)
                {
                    continue;
                }

                foreach (string?[] row in rendered.Rows)
                {
                    // Render sets only some cells of a row, so a row is cleared before it is reused.
                    Array.Clear(row);
                    _freeRows.Return(row!);
                }

                rendered.Rows.Clear();
            }
        }
    }

    /// <summary>
    /// The WooCommerce keys a variant's row reads (<c>woocommerce.{key}</c> for the product's own variant,
    /// <c>woocommerce.variations.{id}.{key}</c> for a variation), found without making a key string per lookup.
    /// </summary>
    private readonly record struct WooVariantKeys(string? Gtin, string? Backorders, string? Virtual, string? TaxStatus, string? CostOfGoods)
    {
        private const string GtinKey = "global_unique_id";
        private const string BackordersKey = "backorders";
        private const string VirtualKey = "virtual";
        private const string TaxStatusKey = "tax_status";
        private const string CostOfGoodsKey = "cost_of_goods";

        public static WooVariantKeys OfProduct(Product p) => new(
            Ext(p, WooPrefix + GtinKey), Ext(p, WooPrefix + BackordersKey), Ext(p, WooPrefix + VirtualKey), Ext(p, WooPrefix + TaxStatusKey), Ext(p, WooPrefix + CostOfGoodsKey));

        /// <summary>
        /// Reads a variation's keys in one walk over the bag: its keys all start with <paramref name="prefix"/>, so with the
        /// ordinal order the bag is sorted in they are contiguous and the walk stops after them.
        /// </summary>
        public static WooVariantKeys OfVariation(Product p, string prefix)
        {
            bool ordinal = ReferenceEquals(p.Extensions.KeyComparer, StringComparer.Ordinal);
            WooVariantKeys keys = default;
            foreach ((string key, string value) in p.Extensions)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (ordinal && string.CompareOrdinal(key, prefix) > 0)
                    {
                        break;
                    }

                    continue;
                }

                ReadOnlySpan<char> name = key.AsSpan(prefix.Length);
                keys = name switch
                {
                    GtinKey => keys with { Gtin = value },
                    BackordersKey => keys with { Backorders = value },
                    VirtualKey => keys with { Virtual = value },
                    TaxStatusKey => keys with { TaxStatus = value },
                    CostOfGoodsKey => keys with { CostOfGoods = value },
                    _ => keys,
                };
            }

            return keys;
        }
    }

    private static void WriteCustomer(CsvRowWriter csv, Customer c)
    {
        Address? a = c.Addresses.FirstOrDefault(x => x.IsDefaultShipping) ?? c.Addresses.FirstOrDefault(x => x.IsDefaultBilling) ?? c.Addresses.FirstOrDefault();
        string? Ext(string key) => c.Extensions.GetValueOrDefault(F.Ext + key);
        foreach (string? cell in (string?[])
        [
            c.FirstName ?? a?.FirstName, c.LastName ?? a?.LastName, c.Email, c.AcceptsMarketing ? "yes" : "no", a?.Company, a?.Line1, a?.Line2, a?.City,
            a?.Region, a?.CountryCode, a?.PostalCode, a?.Phone, c.Phone, Ext("accepts_sms_marketing") ?? "no", string.Join(", ", c.Tags), c.Note,
            Ext("tax_exempt") ?? "no",
        ])
        {
            csv.Guarded(cell);
        }

        csv.EndRow();
    }

    /// <summary>
    /// The variants to write, with WooCommerce "any value" attributes (a <see langword="null"/> option value) expanded into the
    /// option's listed values, which is how Shopify can sell them; an option with no listed values is dropped from the variant.
    /// </summary>
    private static List<(ProductVariant Variant, IReadOnlyList<OptionValue> Values)> Expand(Product p, List<string>? warnings)
    {
        List<(ProductVariant, IReadOnlyList<OptionValue>)> result = new(p.Variants.Count);
        if (!AnyValueVariants(p))
        {
            // Nothing to expand (the usual case): each variant once, in position order, with its own values (not copied:
            // rendering only reads them), without a sort when the variants are in order already.
            foreach (ProductVariant v in InPositionOrder(p.Variants, static v => v.Position))
            {
                result.Add((v, v.OptionValues));
            }

            return result;
        }

        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (ProductVariant v in p.Variants)
        {
            if (v.OptionValues.All(o => o.Value is not null))
            {
                seen.Add(Combination(v.OptionValues));
            }
        }

        foreach (ProductVariant v in p.Variants.OrderBy(v => v.Position))
        {
            List<List<OptionValue>> combos = [[]];
            foreach (OptionValue value in v.OptionValues)
            {
                if (value.Value is not null)
                {
                    combos.ForEach(c => c.Add(value));
                    continue;
                }

                IReadOnlyList<string> listed = p.Options.FirstOrDefault(o => o.Name == value.Name)?.Values ?? [];
                if (listed.Count == 0)
                {
                    warnings?.Add($"Variant {v.SourceId} accepts any '{value.Name}' but the product lists no values for it: the option was dropped from the variant.");
                    continue;
                }

                warnings?.Add($"Variant {v.SourceId} accepts any '{value.Name}': expanded into one variant per listed value ({string.Join(", ", listed)}).");
                combos = combos.SelectMany(c => listed.Select(l => new List<OptionValue>(c) { new(value.Name, l) })).ToList();
            }

            bool expanded = v.OptionValues.Any(o => o.Value is null);
            int added = 0;
            foreach (List<OptionValue> combo in combos)
            {
                if (expanded && !seen.Add(Combination(combo)))
                {
                    continue;
                }

                result.Add((v, combo));
                added++;
            }

            if (added == 0)
            {
                warnings?.Add($"Variant {v.SourceId} accepts any value, but every value already has its own variant: it was not written.");
            }
        }

        return result;
    }

    private static string? ValueOf(IReadOnlyList<OptionValue> values, string option)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i].Name == option)
            {
                return values[i].Value;
            }
        }

        return null;
    }

    /// <summary>Gets whether a variant accepts any value of an option (a null option value), which <see cref="Expand"/> expands.</summary>
    private static bool AnyValueVariants(Product p)
    {
        foreach (ProductVariant v in p.Variants)
        {
            for (int i = 0; i < v.OptionValues.Count; i++)
            {
                if (v.OptionValues[i].Value is null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The items in position order (a stable sort, as <c>OrderBy</c>), the list itself when it is in order already.</summary>
    private static IReadOnlyList<T> InPositionOrder<T>(IReadOnlyList<T> items, Func<T, int> position)
    {
        for (int i = 1; i < items.Count; i++)
        {
            if (position(items[i]) < position(items[i - 1]))
            {
                return [.. items.OrderBy(position)];
            }
        }

        return items;
    }

    private static string Combination(IEnumerable<OptionValue> values) => string.Join("\u001f", values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => v.Name + "=" + v.Value));

    private static List<string> UsedOptions(Product p)
    {
        // The product's options that a variant uses, in the product's order, then any other option a variant names, ordinally.
        HashSet<string>? used = null;
        foreach (ProductVariant v in p.Variants)
        {
            for (int i = 0; i < v.OptionValues.Count; i++)
            {
                (used ??= new(StringComparer.Ordinal)).Add(v.OptionValues[i].Name);
            }
        }

        List<string> names = [];
        if (used is null)
        {
            return names;
        }

        foreach (ProductOption option in p.Options)
        {
            if (used.Contains(option.Name))
            {
                names.Add(option.Name);
            }
        }

        List<string>? others = null;
        foreach (string name in used)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                (others ??= []).Add(name);
            }
        }

        if (others is not null)
        {
            others.Sort(StringComparer.Ordinal);
            names.AddRange(others);
        }

        return names;
    }

    private static string Unique(string prefix, string handle, string sourceId, ReservedKeys reserved)
    {
        string candidate = handle;
        for (int n = 1; reserved.TryGetValue(prefix + candidate, out string? owner) && owner != sourceId; n++)
        {
            candidate = $"{handle}-{n.ToString(CultureInfo.InvariantCulture)}";
        }

        return candidate;
    }

    private static int Depth(string target, Dictionary<string, (string Name, string? Parent)> categories)
    {
        int depth = 0;
        HashSet<string> seen = [];
        for (string? current = target; current is not null && categories.TryGetValue(current, out (string Name, string? Parent) c) && seen.Add(current); current = c.Parent)
        {
            depth++;
        }

        return depth;
    }

    /// <summary>A tag as Shopify's comma-separated <c>Tags</c> cell can hold it: commas removed.</summary>
    private static string TagText(string tag) => tag.Contains(',', StringComparison.Ordinal) ? string.Join(' ', tag.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) : tag;

    private static string? Ext(Entity e, string key) => e.Extensions.GetValueOrDefault(key);

    /// <summary>Gets whether any extension key starts with a prefix, by one ordered lookup (the bag is sorted ordinally).</summary>
    private static bool HasKeyStartingWith(Entity e, string prefix)
    {
        if (!ReferenceEquals(e.Extensions.KeyComparer, StringComparer.Ordinal))
        {
            return e.Extensions.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        }

        // The first key at or after the prefix, in ordinal order, is the only one that can start with it if any does.
        foreach (string key in e.Extensions.Keys)
        {
            int order = string.CompareOrdinal(key, prefix);
            if (order >= 0)
            {
                return key.StartsWith(prefix, StringComparison.Ordinal);
            }
        }

        return false;
    }

    private Task WriteAsync(string file, string[] header, Action<CsvRowWriter> body, CancellationToken cancellationToken)
        => AtomicFile.WriteAsync(Path.Combine(Directory, file), async (stream, ct) =>
        {
            var text = new StreamWriter(stream, CsvText.Utf8NoBom, 1 << 16, leaveOpen: true);
            await using (text.ConfigureAwait(false))
            {
                using (var csv = new CsvRowWriter(text))
                {
                    csv.Row(header);
                    body(csv);
                }
                await text.FlushAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken);
}
