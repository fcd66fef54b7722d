using NextCart.Migration.Connectors;
using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Internal;
using F = NextCart.Migration.WooCommerce.Csv.WooCsvFormat;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>
/// Reads a WooCommerce product CSV: products with their variations, and the categories their <c>Categories</c> paths name.
/// </summary>
/// <remarks>
/// <para>
/// <b>Streaming and variations.</b> A product row and the variation rows right after it that name it (the exporter's order)
/// form a group, and the product is emitted when its group ends. A first pass reads only keys, to find the variation rows that
/// are not in their parent's group (before it, or further on) and the references of the links; only the SKUs those name are
/// resolved to IDs (one more key pass, only when one of them is a SKU), so that a <c>Parent</c> or link given as a SKU
/// resolves to the ID-based source id. The second pass streams the rows; a product whose variation rows are apart from it is
/// held until the last of them has been seen, so memory is bounded by those rows and their distance, not by the file: an
/// export in the exporter's order without links keeps nothing per product. Variations whose parent never appears are held
/// to the end of the file and then fail.
/// </para>
/// <para>
/// <b>Resume.</b> The emission order is a pure function of the file, so a resume token is the number of items (records and row
/// failures) already emitted plus a fingerprint of the file; resuming re-reads and skips them. A file changed since the token
/// was taken is refused.
/// </para>
/// </remarks>
internal sealed class WooCsvSource(string path, WooCommerceCsvOptions options) : CsvFileSource(path, options.PageSize)
{
    private readonly WooCommerceCsvOptions _options = options;
    private readonly Lock _countGate = new();

    /// <summary>The counts of both types for the file with this fingerprint (<see cref="QuickCount"/>).</summary>
    private (string Fingerprint, (long Products, long Categories) Counts)? _counts;

    public override string ProviderId => WooCommerceCsvConnectorFactory.ProviderId;

    protected override bool Reads(EntityType type) => type is EntityType.Products or EntityType.Categories;

    protected override void ValidateHeader() => _ = Header();

    private WooCsvHeader Header()
    {
        string[] raw = ReadHeaderNames("WooCommerce product CSV");
        WooCsvHeader header = WooCsvHeader.Parse(raw, out List<string> missing);
        if (missing.Count > 0)
        {
            throw new MigrationConfigurationException(
                FailureCategory.Configuration,
                $"'{FilePath}' is not a WooCommerce product CSV: the required columns {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing. The header found is: {string.Join(",", header.Names.Select(n => n.Contains(',', StringComparison.Ordinal) ? $"\"{n}\"" : n))}");
        }

        return header;
    }

    protected override IEnumerable<CsvItem> Items(EntityType type, CancellationToken cancellationToken)
        => type == EntityType.Categories ? Categories(cancellationToken) : Products(cancellationToken);

    private IEnumerable<CsvItem> Categories(CancellationToken cancellationToken)
    {
        WooCsvHeader header = Header();
        HashSet<string> seen = new(StringComparer.Ordinal);
        int index = header[F.Categories];
        int typeIndex = header[F.Type];
        if (index < 0)
        {
            yield break;
        }

        SeenCells cells = new();
        foreach (CsvRow row in CsvRows.Read(FilePath, [typeIndex, index]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (WooCsvProductReader.Get(row.Cells, typeIndex).Contains("variation", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string cell = WooCsvProductReader.Get(row.Cells, index);
            if (!cells.Add(cell))
            {
                // The same cell as an earlier row's: its categories were all yielded then.
                continue;
            }

            foreach (string[] path in WooCsvProductReader.CategoryPaths(cell))
            {
                for (int depth = 1; depth <= path.Length; depth++)
                {
                    string id = WooCsvProductReader.CategoryId(path.Take(depth));
                    if (!seen.Add(id))
                    {
                        continue;
                    }

                    string[] slugs = path.Take(depth).Select(CsvText.Slugify).ToArray();
                    yield return new CsvItem(new Category
                    {
                        SourceId = id,
                        Name = path[depth - 1],
                        Slug = slugs[^1],
                        ParentId = depth > 1 ? WooCsvProductReader.CategoryId(path.Take(depth - 1)) : null,
                        Url = _options.DeriveUrls ? WooPermalinks.Category(_options.CategoryBase, slugs) : null,
                    }, null);
                }
            }
        }
    }

    /// <summary>
    /// Counts the product items and the categories in one pass over the keys, without building records, and keeps both counts
    /// for the file as it is (its fingerprint), so the estimate reads the file once for both types. Products: one per product row,
    /// and one per variation row that fails without its product being read (no <c>Parent</c>, a parent not in the file, or
    /// broken quoting). What only building a product finds (a variation with an unparseable price fails alone; the variations of
    /// a product row that fails go with it) is not seen, so for a file with such rows the count is off by those rows; it is exact
    /// when every row parses. Categories: every distinct path prefix of the product rows' <c>Categories</c> cells, as
    /// <see cref="Categories"/> yields them. The engine uses the counts for its estimate (progress and the up-front plan-limit
    /// check), which counts row failures as items too.
    /// </summary>
    protected override long? QuickCount(EntityType type, CancellationToken cancellationToken)
    {
        string fingerprint = CsvRows.Fingerprint(FilePath);
        lock (_countGate)
        {
            if (_counts is not { } counts || counts.Fingerprint != fingerprint)
            {
                _counts = counts = (fingerprint, CountBoth(cancellationToken));
            }

            return type == EntityType.Products ? counts.Counts.Products : counts.Counts.Categories;
        }
    }

    private (long Products, long Categories) CountBoth(CancellationToken cancellationToken)
    {
        WooCsvHeader header = Header();
        int idIndex = header[F.Id];
        int skuIndex = header[F.Sku];
        int parentIndex = header[F.Parent];
        int typeIndex = header[F.Type];
        int categoriesIndex = header[F.Categories];
        HashSet<string> categories = new(StringComparer.Ordinal);

        // Variation rows that do not follow their parent (VariationGroup), by the Parent they name: whether that parent is in the
        // file is only known once the whole file was read.
        Dictionary<string, (int Rows, int Malformed)> parents = new(StringComparer.Ordinal);
        SeenCells categoryCells = new();
        VariationGroup group = default;
        long count = 0;
        foreach (CsvRow row in CsvRows.Read(FilePath, [idIndex, skuIndex, parentIndex, typeIndex, categoriesIndex]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells, typeIndex))
            {
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
                if (group.Names(parent))
                {
                    // Its product is in the file (the row above it): only a malformed variation row is an item of its own.
                    count += row.BadData is null ? 0 : 1;
                    continue;
                }

                group.Close();
                if (parent.Length == 0)
                {
                    count++;
                    continue;
                }

                (int rows, int malformed) = parents.GetValueOrDefault(parent);
                parents[parent] = (rows + 1, malformed + (row.BadData is null ? 0 : 1));
                continue;
            }

            count++;
            group.Open(WooCsvProductReader.Get(row.Cells, idIndex), WooCsvProductReader.Get(row.Cells, skuIndex));
            if (categoriesIndex >= 0 && WooCsvProductReader.Get(row.Cells, categoriesIndex) is { } cell && categoryCells.Add(cell))
            {
                foreach (string[] path in WooCsvProductReader.CategoryPaths(cell))
                {
                    for (int depth = 1; depth <= path.Length; depth++)
                    {
                        categories.Add(WooCsvProductReader.CategoryId(path.Take(depth)));
                    }
                }
            }
        }

        if (parents.Count > 0)
        {
            (Dictionary<string, string> skuToId, HashSet<string> present) = FindReferenced(header, parents.Keys, presence: true, cancellationToken);
            var reader = new WooCsvProductReader(header, _options, skuToId);
            foreach ((string parent, (int rows, int malformed)) in parents)
            {
                count += present.Contains(reader.RefToSourceId(parent)) ? malformed : rows;
            }
        }

        return (count, categories.Count);
    }

    private IEnumerable<CsvItem> Products(CancellationToken cancellationToken)
    {
        WooCsvHeader header = Header();
        int idIndex = header[F.Id];
        int skuIndex = header[F.Sku];
        int parentIndex = header[F.Parent];
        int typeIndex = header[F.Type];

        // Pass 1: keys only (only the key columns are read into strings): how many variation rows that do not follow their parent
        // (VariationGroup) name each parent, and the references the links make (Upsells, Cross-sells, Grouped products). In the
        // exporter's order every variation follows its parent, so without links both stay empty whatever the file's size.
        int[] linkIndexes = [.. ((string[])[F.Upsells, F.CrossSells, F.Grouped]).Select(c => header[c]).Where(i => i >= 0)];
        Dictionary<string, int> refCounts = new(StringComparer.Ordinal);
        HashSet<string> linked = new(StringComparer.Ordinal);
        VariationGroup group = default;
        foreach (CsvRow row in CsvRows.Read(FilePath, [idIndex, skuIndex, parentIndex, typeIndex, .. linkIndexes]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells, typeIndex))
            {
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
                if (group.Names(parent))
                {
                    continue;
                }

                group.Close();
                if (parent.Length > 0)
                {
                    refCounts[parent] = refCounts.GetValueOrDefault(parent) + 1;
                }
            }
            else
            {
                group.Open(WooCsvProductReader.Get(row.Cells, idIndex), WooCsvProductReader.Get(row.Cells, skuIndex));
                foreach (int index in linkIndexes)
                {
                    if (WooCsvProductReader.Get(row.Cells, index) is { Length: > 0 } cell)
                    {
                        foreach (string value in F.Explode(cell))
                        {
                            // As WooCsvProductReader.RefToSourceId looks a value up.
                            linked.Add(value.Trim());
                        }
                    }
                }
            }
        }

        // Only the SKUs those references name are resolved to IDs (one more key pass, only when one of them is a SKU).
        Dictionary<string, string> skuToId = FindReferenced(header, [.. refCounts.Keys, .. linked], presence: false, cancellationToken).SkuToId;
        var reader = new WooCsvProductReader(header, _options, skuToId);
        Dictionary<string, int> expected = new(StringComparer.Ordinal);
        foreach ((string reference, int count) in refCounts)
        {
            string parentId = reader.RefToSourceId(reference);
            expected[parentId] = expected.GetValueOrDefault(parentId) + count;
        }

        refCounts = [];

        // Pass 2: stream. A product row opens its group, and the variation rows right after it that name it join it; the product is
        // built when the group ends (at the next row of any other kind, or at the end of the file), unless variation rows elsewhere
        // also name it: then it is held until the last of them. A product's rows go back to the reader's arrays once it is built
        // (the records keep the cells' strings, not the arrays).
        Dictionary<string, Held> held = new(StringComparer.Ordinal);
        CsvRowArrays arrays = new();
        Held? open = null;
        string openId = string.Empty;
        group = default;
        foreach (CsvRow row in CsvRows.Read(FilePath, arrays: arrays))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells, typeIndex))
            {
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
                if (group.Names(parent))
                {
                    open!.Variations.Add((row.Cells, row.Number, row.BadData));
                    continue;
                }

                foreach (CsvItem item in CloseGroup())
                {
                    yield return item;
                }

                if (parent.Length == 0)
                {
                    string vid = reader.SourceIdOf(row.Cells, row.Number);
                    arrays.Return(row.Cells);
                    yield return Fail(EntityType.Products, vid, $"row {row.Number}: the variation has no Parent (a parent SKU or id:N).");
                    continue;
                }

                string parentId = reader.RefToSourceId(parent);
                Held h = held.TryGetValue(parentId, out Held? existing) ? existing : held[parentId] = new Held();
                h.Variations.Add((row.Cells, row.Number, row.BadData));
                h.Apart++;
                if (h.Row is not null && h.Apart >= expected.GetValueOrDefault(parentId))
                {
                    held.Remove(parentId);
                    foreach (CsvItem item in Assemble(reader, parentId, h))
                    {
                        yield return item;
                    }

                    Done(parentId, h);
                }
            }
            else
            {
                foreach (CsvItem item in CloseGroup())
                {
                    yield return item;
                }

                openId = reader.SourceIdOf(row.Cells, row.Number);
                open = held.Remove(openId, out Held? existing) ? existing : new Held();
                open.Row = row.Cells;
                open.Number = row.Number;
                open.BadData = row.BadData;
                group.Open(WooCsvProductReader.Get(row.Cells, idIndex), WooCsvProductReader.Get(row.Cells, skuIndex));
            }
        }

        foreach (CsvItem item in CloseGroup())
        {
            yield return item;
        }

        foreach ((string parentId, Held h) in held.OrderBy(p => p.Value.Variations.Count > 0 ? p.Value.Variations[0].Number : p.Value.Number))
        {
            if (h.Row is not null)
            {
                foreach (CsvItem item in Assemble(reader, parentId, h))
                {
                    yield return item;
                }

                continue;
            }

            foreach ((string[] cells, int number, string? _) in h.Variations)
            {
                yield return Fail(EntityType.Products, reader.SourceIdOf(cells, number), $"row {number}: the variation's parent '{WooCsvProductReader.Get(cells, parentIndex)}' is not in the file.");
            }
        }

        // Ends the open group: its product is built, or held when variation rows further on still name it.
        IEnumerable<CsvItem> CloseGroup()
        {
            group.Close();
            if (open is not { } h)
            {
                return [];
            }

            open = null;
            if (h.Apart < expected.GetValueOrDefault(openId))
            {
                held[openId] = h;
                return [];
            }

            List<CsvItem> items = [.. Assemble(reader, openId, h)];
            Done(openId, h);
            return items;
        }

        // A built product's rows are not read again: their arrays are reused, and a product with variations apart from it no
        // longer needs its expected count nor the SKU they named it by (every variation row that names it was counted in pass 1
        // and has been seen; a SKU a link names is kept, since links are resolved when the linking product is built).
        void Done(string id, Held h)
        {
            if (h.Apart > 0)
            {
                expected.Remove(id);
            }

            arrays.Return(h.Row!);
            foreach ((string[] cells, int _, string? _) in h.Variations)
            {
                string parent = WooCsvProductReader.Get(cells, parentIndex);
                if (!linked.Contains(parent))
                {
                    skuToId.Remove(parent);
                }

                arrays.Return(cells);
            }

            Shrink(expected);
            Shrink(skuToId);
        }
    }

    private static bool IsVariation(string[] cells, int typeIndex)
        => WooCsvProductReader.Get(cells, typeIndex).Contains("variation", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Finds, in one pass over the key columns, the products that <c>Parent</c> or link values name: the SKU → ID pairs of the
    /// products whose SKU is named (so that <see cref="WooCsvProductReader.RefToSourceId"/> resolves a SKU to the ID-based
    /// source id), and, when <paramref name="presence"/> is set, which of the named source ids are in the file. No pass is made
    /// when nothing is named, nor, without <paramref name="presence"/>, when only <c>id:N</c> values are.
    /// </summary>
    private (Dictionary<string, string> SkuToId, HashSet<string> Present) FindReferenced(WooCsvHeader header, IReadOnlyCollection<string> references, bool presence, CancellationToken cancellationToken)
    {
        Dictionary<string, string> skuToId = new(StringComparer.Ordinal);
        HashSet<string> present = new(StringComparer.Ordinal);
        HashSet<string> skus = new(StringComparer.Ordinal);
        HashSet<string> candidates = new(StringComparer.Ordinal);
        foreach (string reference in references)
        {
            string value = reference.Trim();
            if (WooCsvProductReader.IsIdReference(value))
            {
                candidates.Add(CsvText.SafeId(value[3..]));
            }
            else
            {
                skus.Add(value);
                candidates.Add(CsvText.SafeId(value));
            }
        }

        if (presence ? candidates.Count == 0 : skus.Count == 0)
        {
            return (skuToId, present);
        }

        int idIndex = header[F.Id];
        int skuIndex = header[F.Sku];
        int typeIndex = header[F.Type];
        var reader = new WooCsvProductReader(header, _options, skuToId);
        foreach (CsvRow row in CsvRows.Read(FilePath, [idIndex, skuIndex, typeIndex]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells, typeIndex))
            {
                continue;
            }

            string sourceId = reader.SourceIdOf(row.Cells, row.Number);
            if (WooCsvProductReader.Get(row.Cells, idIndex) is { Length: > 0 } id && WooCsvProductReader.Get(row.Cells, skuIndex) is { Length: > 0 } sku && skus.Contains(sku))
            {
                skuToId.TryAdd(sku, id);
                present.Add(sourceId);
            }
            else if (candidates.Contains(sourceId))
            {
                present.Add(sourceId);
            }
        }

        return (skuToId, present);
    }

    /// <summary>
    /// Gives a dictionary's unused room back once most of its keys were removed (<see cref="Dictionary{TKey, TValue}.Remove(TKey)"/>
    /// keeps the arrays), so a map that empties as the file is read does not hold its largest size to the end; trimming only
    /// below a quarter of the capacity keeps the copies rare (amortised constant per removal).
    /// </summary>
    private static void Shrink<TValue>(Dictionary<string, TValue> map)
    {
        // EnsureCapacity(0) returns the current capacity without changing it.
        int capacity = map.EnsureCapacity(0);
        if (capacity > 1024 && map.Count < capacity / 4)
        {
            map.TrimExcess();
        }
    }

    private static IEnumerable<CsvItem> Assemble(WooCsvProductReader reader, string sourceId, Held h)
    {
        CsvItem result;
        List<(string SourceId, string Message)> variationErrors = [];
        if (h.BadData is not null)
        {
            result = Fail(EntityType.Products, sourceId, $"row {h.Number}: the row is malformed ({h.BadData}).");
        }
        else
        {
            try
            {
                foreach ((string[] cells, int number, string? bad) in h.Variations)
                {
                    if (bad is not null)
                    {
                        variationErrors.Add((reader.SourceIdOf(cells, number), $"row {number}: the variation row is malformed ({bad})."));
                    }
                }

                // The malformed variation rows are skipped by the reader (they fail alone, above).
                Product product = reader.Read(h.Row!, h.Number, h.Variations, variationErrors);
                result = new CsvItem(product, null);
            }
            catch (CsvRowException ex)
            {
                string more = h.Variations.Count > 0 ? $" Its {h.Variations.Count} variation rows were not migrated either." : string.Empty;
                result = Fail(EntityType.Products, ex.SourceId, ex.Message + more);
                variationErrors.Clear();
            }
        }

        yield return result;
        foreach ((string variationId, string message) in variationErrors)
        {
            // A bad variation fails alone (reported under its own id or SKU); its product migrates without it.
            yield return Fail(EntityType.Products, variationId, message);
        }
    }

    private static CsvItem Fail(EntityType type, string sourceId, string message)
        => new(null, new RecordIssue(type, sourceId, FailureCategory.Validation, message));


    /// <summary>
    /// The <c>Categories</c> cells a pass has already split into categories: an export repeats a few cells in most rows, and a
    /// repeated cell adds no category. Bounded like <see cref="CellPool"/>; past the bound a cell is split again (which is
    /// only slower: the categories it names are already known).
    /// </summary>
    private sealed class SeenCells
    {
        private const int MaxCount = 4096;
        private readonly HashSet<string> _cells = new(StringComparer.Ordinal);

        /// <summary>Returns <see langword="false"/> when the cell was seen before.</summary>
        public bool Add(string cell)
        {
            if (_cells.Contains(cell))
            {
                return false;
            }

            if (_cells.Count < MaxCount)
            {
                _cells.Add(cell);
            }

            return true;
        }
    }

    private sealed class Held
    {
        public string[]? Row { get; set; }

        public int Number { get; set; }

        public string? BadData { get; set; }

        public List<(string[] Cells, int Number, string? BadData)> Variations { get; } = [];

        /// <summary>How many of <see cref="Variations"/> came apart from the product's row (not in its <see cref="VariationGroup"/>).</summary>
        public int Apart { get; set; }
    }

    /// <summary>
    /// The group of a product row and the variation rows right after it that name it (by its SKU, or by <c>id:N</c> with its
    /// ID), which is how <c>WC_Product_CSV_Exporter</c> writes a variable product. Every pass over the file tells its rows apart
    /// the same way, so only variation rows outside a group need to be counted and matched across the file; rows of any other
    /// kind (another product, a variation naming another parent or none) end the group.
    /// </summary>
    private struct VariationGroup
    {
        private string? _id;
        private string _sku;

        /// <summary>Opens the group of a product row with its (trimmed) ID and SKU cells.</summary>
        public void Open(string id, string sku)
        {
            _id = id;
            _sku = sku;
        }

        public void Close() => _id = null;

        /// <summary>Whether the group is open and a variation row's (trimmed) <c>Parent</c> names its product.</summary>
        public readonly bool Names(string parent)
        {
            if (_id is null || parent.Length == 0)
            {
                return false;
            }

            if (_sku.Length > 0 && string.Equals(parent, _sku, StringComparison.Ordinal))
            {
                return true;
            }

            return _id.Length > 0 && WooCsvProductReader.IsIdReference(parent) && parent.AsSpan(3).SequenceEqual(_id);
        }
    }
}
