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
/// <b>Streaming and variations.</b> A first pass reads only keys: how many variation rows name each parent, and the SKU of every
/// product that also has an ID (so a <c>Parent</c> or link given as a SKU resolves to the ID-based source id). The second pass
/// streams the rows and emits a product as soon as its row and all its variation rows have been seen. In the exporter's order
/// (variations right after their parent) at most one product is held; rows of a product that are far apart are held until
/// the product is complete, so memory is bounded by that distance, not by the file. Variations whose parent never appears are
/// held to the end of the file and then fail.
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
        var reader = new WooCsvProductReader(header, _options, new Dictionary<string, string>(StringComparer.Ordinal));
        Dictionary<string, string> skuToId = new(StringComparer.Ordinal);
        HashSet<string> products = new(StringComparer.Ordinal);
        HashSet<string> categories = new(StringComparer.Ordinal);
        Dictionary<string, (int Rows, int Malformed)> parents = new(StringComparer.Ordinal);
        SeenCells categoryCells = new();
        long count = 0;
        foreach (CsvRow row in CsvRows.Read(FilePath, [idIndex, skuIndex, parentIndex, typeIndex, categoriesIndex]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (WooCsvProductReader.Get(row.Cells, typeIndex).Contains("variation", StringComparison.OrdinalIgnoreCase))
            {
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
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
            products.Add(reader.SourceIdOf(row.Cells, row.Number));
            if (WooCsvProductReader.Get(row.Cells, idIndex) is { Length: > 0 } id && WooCsvProductReader.Get(row.Cells, skuIndex) is { Length: > 0 } sku)
            {
                skuToId.TryAdd(sku, id);
            }

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

        reader = new WooCsvProductReader(header, _options, skuToId);
        foreach ((string parent, (int rows, int malformed)) in parents)
        {
            count += products.Contains(reader.RefToSourceId(parent)) ? malformed : rows;
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

        // Pass 1: keys only (only the key columns are read into strings): the variation rows per parent reference, the SKU → ID
        // pairs, and the references the links make (Upsells, Cross-sells, Grouped products), so that only the SKUs something
        // refers to are kept for the rest of the read (a file whose variations name their parents by id:N keeps none).
        int[] linkIndexes = [.. ((string[])[F.Upsells, F.CrossSells, F.Grouped]).Select(c => header[c]).Where(i => i >= 0)];
        Dictionary<string, string> skuToId = new(StringComparer.Ordinal);
        Dictionary<string, int> refCounts = new(StringComparer.Ordinal);
        HashSet<string> linked = new(StringComparer.Ordinal);
        foreach (CsvRow row in CsvRows.Read(FilePath, [idIndex, skuIndex, parentIndex, typeIndex, .. linkIndexes]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells))
            {
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
                if (parent.Length > 0)
                {
                    refCounts[parent] = refCounts.GetValueOrDefault(parent) + 1;
                }
            }
            else
            {
                if (WooCsvProductReader.Get(row.Cells, idIndex) is { Length: > 0 } id && WooCsvProductReader.Get(row.Cells, skuIndex) is { Length: > 0 } sku)
                {
                    skuToId.TryAdd(sku, id);
                }

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

        skuToId = Referenced(skuToId, refCounts, linked);
        var reader = new WooCsvProductReader(header, _options, skuToId);
        Dictionary<string, int> expected = new(StringComparer.Ordinal);
        foreach ((string reference, int count) in refCounts)
        {
            string parentId = reader.RefToSourceId(reference);
            expected[parentId] = expected.GetValueOrDefault(parentId) + count;
        }

        refCounts = [];

        // Pass 2: stream, holding a product only until its variation rows are all seen. A product's rows go back to the reader's
        // arrays once it is built (the records keep the cells' strings, not the arrays).
        Dictionary<string, Held> held = new(StringComparer.Ordinal);
        CsvRowArrays arrays = new();
        foreach (CsvRow row in CsvRows.Read(FilePath, arrays: arrays))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsVariation(row.Cells))
            {
                string vid = reader.SourceIdOf(row.Cells, row.Number);
                string parent = WooCsvProductReader.Get(row.Cells, parentIndex);
                if (parent.Length == 0)
                {
                    arrays.Return(row.Cells);
                    yield return Fail(EntityType.Products, vid, $"row {row.Number}: the variation has no Parent (a parent SKU or id:N).");
                    continue;
                }

                string parentId = reader.RefToSourceId(parent);
                Held h = held.TryGetValue(parentId, out Held? existing) ? existing : held[parentId] = new Held();
                h.Variations.Add((row.Cells, row.Number, row.BadData));
                if (h.Row is not null && h.Variations.Count >= expected.GetValueOrDefault(parentId))
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
                string sourceId = reader.SourceIdOf(row.Cells, row.Number);
                Held h = held.TryGetValue(sourceId, out Held? existing) ? existing : new Held();
                h.Row = row.Cells;
                h.Number = row.Number;
                h.BadData = row.BadData;
                if (h.Variations.Count >= expected.GetValueOrDefault(sourceId))
                {
                    held.Remove(sourceId);
                    foreach (CsvItem item in Assemble(reader, sourceId, h))
                    {
                        yield return item;
                    }

                    Done(sourceId, h);
                }
                else
                {
                    held[sourceId] = h;
                }
            }
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

        bool IsVariation(string[] cells) => WooCsvProductReader.Get(cells, typeIndex).Contains("variation", StringComparison.OrdinalIgnoreCase);

        // A built product's rows are not read again: their arrays are reused, and a product with variations no longer needs its
        // expected count nor the SKU its variations named it by (every variation row that names it was counted in pass 1 and
        // has been seen; a SKU a link names is kept, since links are resolved when the linking product is built), so none of
        // it is kept for the rest of the file: in the exporter's order what the source holds stays flat.
        void Done(string id, Held h)
        {
            if (h.Variations.Count > 0)
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

    /// <summary>
    /// The SKU → ID pairs that a variation's <c>Parent</c> or a link names (pass 1 saw them all), so a file's products that
    /// nothing refers to by SKU are not kept for the rest of the read.
    /// </summary>
    private static Dictionary<string, string> Referenced(Dictionary<string, string> skuToId, Dictionary<string, int> parents, HashSet<string> linked)
    {
        Dictionary<string, string> kept = new(StringComparer.Ordinal);
        foreach ((string sku, string id) in skuToId)
        {
            if (parents.ContainsKey(sku) || linked.Contains(sku))
            {
                kept[sku] = id;
            }
        }

        return kept;
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
    }
}
