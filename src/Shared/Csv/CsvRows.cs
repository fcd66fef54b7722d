using System.Globalization;
using nietras.SeparatedValues;

namespace NextCart.Migration.Csv.Internal;

/// <summary>One data row of a CSV file.</summary>
/// <param name="Cells">The cells.</param>
/// <param name="Number">The row number, counting the header as row 1 (as a spreadsheet shows it).</param>
/// <param name="BadData">What is malformed about the row's quoting, or <see langword="null"/>.</param>
internal readonly record struct CsvRow(string[] Cells, int Number, string? BadData);

/// <summary>
/// Streams the rows of an RFC 4180 CSV file one row at a time with the Sep library (nietras/Sep): UTF-8 with or without a BOM,
/// <c>"</c> quoting with <c>""</c> for a quote and no backslash escape (PHP's <c>fgetcsv</c>/<c>fputcsv</c> as WooCommerce calls
/// them, with <c>escape = "\0"</c>).
/// </summary>
/// <remarks>
/// Sep splits the rows and columns (quoted separators and line breaks included). Per the Sep README ("Unescaping"), Sep does not
/// throw on invalid quoting and its <c>Unescape</c> option cannot tell the caller that a column was malformed, so the reader takes
/// the raw column text (<c>Unescape = false</c>), checks its quoting and then removes the outer quotes and halves the inner ones.
/// Sep treats every quote as opening or closing a quoted run (also one in the middle of an unquoted column), so a stray unbalanced
/// quote joins the following lines into the same row until the next quote; that row is reported as malformed.
/// </remarks>
internal static class CsvRows
{
    // Sep README: Sep.New(',') fixes the separator (Sep.Reader() would infer it from the header); HasHeader = false, the header
    // is read as the first row; DisableColCountCheck = true, a row with fewer or more cells than the header is returned as it is
    // and the connectors report it for the row (Sep throws otherwise).
    private static readonly SepReaderOptions ReaderOptions = Sep.New(',').Reader(o => o with
    {
        HasHeader = false,
        Unescape = false,
        DisableColCountCheck = true,
        InitialBufferLength = 1 << 16,
    });

    /// <summary>Reads the header row.</summary>
    /// <returns>The header cells, or <see langword="null"/> when the file is empty.</returns>
    public static string[]? ReadHeader(string path)
    {
        using var text = new StreamReader(path, CsvText.Utf8NoBom, detectEncodingFromByteOrderMarks: true);
        using SepReader reader = ReaderOptions.From(text);
        foreach (SepReader.Row row in reader)
        {
            return Cells(row, out _);
        }

        return null;
    }

    /// <summary>Reads the data rows after the header.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">
    /// The indexes of the cells to read, for a pass that needs a few columns only; the other cells are empty strings (no string is
    /// made for them), although every cell is still checked, so which rows are empty and which are malformed does not change.
    /// Such a pass reuses one cells array from row to row, so a row's <see cref="CsvRow.Cells"/> is valid only until the next row
    /// is read (the strings in it stay valid). <see langword="null"/> reads every cell, each row into its own array.
    /// </param>
    /// <returns>The rows.</returns>
    /// <param name="arrays">
    /// Where a full read (<paramref name="columns"/> <see langword="null"/>) takes each row's cells array from, so a caller that
    /// is done with a row can give its array back for a later row (<see cref="CsvRowArrays.Return"/>); <see langword="null"/>
    /// makes a new array per row.
    /// </param>
    public static IEnumerable<CsvRow> Read(string path, IReadOnlyCollection<int>? columns = null, CsvRowArrays? arrays = null)
    {
        // StreamReader detects and drops a UTF-8 BOM; Sep reads from it in buffers, so the file is streamed, never read whole.
        using var text = new StreamReader(path, CsvText.Utf8NoBom, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        using SepReader reader = ReaderOptions.From(text);
        bool[]? wanted = null;
        if (columns is not null)
        {
            wanted = new bool[columns.Count == 0 ? 0 : columns.Max() + 1];
            foreach (int column in columns)
            {
                if (column >= 0)
                {
                    wanted[column] = true;
                }
            }
        }

        foreach (CsvRow row in Rows(reader, wanted, arrays))
        {
            yield return row;
        }
    }

    /// <summary>A fingerprint of the file (size and last write time) that resume tokens carry, so a changed file is noticed.</summary>
    public static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        return string.Create(CultureInfo.InvariantCulture, $"{info.Length:x}.{info.LastWriteTimeUtc.Ticks:x}");
    }

    private static IEnumerable<CsvRow> Rows(SepReader reader, bool[]? wanted, CsvRowArrays? arrays)
    {
        // SepReader.Row is a ref struct, so it cannot live across a yield; MoveNext/Current is used with the row copied out first.
        string[]? scratch = null;
        var pool = new CellPool();
        while (reader.MoveNext())
        {
            CsvRow? row = ToRow(reader.Current, wanted, ref scratch, pool, arrays);
            if (row is { } r)
            {
                yield return r;
            }
        }
    }

    private static CsvRow? ToRow(SepReader.Row row, bool[]? wanted, ref string[]? scratch, CellPool pool, CsvRowArrays? arrays)
    {
        // The row number counts records (the header is row 1, an empty line is a row too), as before the switch to Sep.
        int number = row.RowIndex + 1;
        if (number == 1)
        {
            return null;
        }

        // A key pass (wanted columns only) fills the same array for every row of the same width.
        string[] cells = wanted is null ? arrays?.Rent(row.ColCount) ?? new string[row.ColCount] : scratch is { } s && s.Length == row.ColCount ? s : scratch = new string[row.ColCount];
        Cells(row, cells, wanted, pool, out string? bad, out bool empty);
        if (empty && wanted is null)
        {
            arrays?.Return(cells);
        }

        return empty ? null : new CsvRow(cells, number, bad);
    }

    private static string[] Cells(SepReader.Row row, out string? bad)
    {
        var cells = new string[row.ColCount];
        Cells(row, cells, null, null, out bad, out _);
        return cells;
    }

    private static void Cells(SepReader.Row row, string[] cells, bool[]? wanted, CellPool? pool, out string? bad, out bool empty)
    {
        bad = null;
        empty = true;
        for (int i = 0; i < cells.Length; i++)
        {
            ReadOnlySpan<char> raw = row[i].Span;
            if (wanted is null || (i < wanted.Length && wanted[i]))
            {
                cells[i] = Unquote(raw, pool, ref bad);
                empty &= cells[i].Length == 0;
            }
            else
            {
                // Not wanted: checked and measured on the span; no string is made.
                cells[i] = string.Empty;
                empty &= raw.Length == 0 || raw is "\"\"" or "\"";
                if (bad is null && raw.IndexOf('"') >= 0)
                {
                    _ = Unquote(raw, null, ref bad);
                }
            }
        }
    }

    /// <summary>The value of a raw column: a quoted column loses its outer quotes and <c>""</c> becomes <c>"</c>.</summary>
    private static string Unquote(ReadOnlySpan<char> raw, CellPool? pool, ref string? bad)
    {
        if (raw.IndexOf('"') < 0)
        {
            return pool is null ? raw.ToString() : pool.Get(raw);
        }

        if (raw[0] != '"')
        {
            bad ??= "a quote inside an unquoted cell";
            return raw.ToString();
        }

        if (raw.Length < 2 || raw[^1] != '"')
        {
            bad ??= raw.LastIndexOf('"') == 0 ? "a quoted cell is not closed before the end of the file" : "text after a closing quote";
            return raw[1..].ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        ReadOnlySpan<char> content = raw[1..^1];
        if (content.IndexOf('"') < 0)
        {
            // Quoted only for a separator or a line break (the usual case): no quote to halve, so the text is the content.
            return pool is null ? content.ToString() : pool.Get(content);
        }

        string inner = content.ToString();
        string value = inner.Replace("\"\"", "\"", StringComparison.Ordinal);
        if (inner.Replace("\"\"", string.Empty, StringComparison.Ordinal).Contains('"', StringComparison.Ordinal))
        {
            bad ??= "a lone quote inside a quoted cell";
        }

        return value;
    }
}

/// <summary>
/// Row arrays kept for reuse: a full read (<see cref="CsvRows.Read"/>) takes its rows' arrays from here, and a source that is
/// done with a row (its product was built) gives the row's array back, so a file is read with a few dozen arrays instead of
/// one per row; the journal's rendered rows and a target's rendered rows are reused the same way. A rented array holds
/// whatever its last user left in it: a user that does not overwrite every cell clears the array before giving it back.
/// Bounded: arrays beyond the bound given to the constructor are dropped. Not thread-safe: users that share one lock it.
/// </summary>
/// <param name="maxKept">The most arrays kept.</param>
internal sealed class CsvRowArrays(int maxKept = 64)
{
    private readonly Stack<string[]> _free = new();

    /// <summary>Gets an array of a row's width.</summary>
    public string[] Rent(int length)
    {
        while (_free.TryPop(out string[]? array))
        {
            if (array.Length == length)
            {
                return array;
            }
        }

        return new string[length];
    }

    /// <summary>Gives back the array of a row that is no longer used (nothing may read it afterwards).</summary>
    public void Return(string[] array)
    {
        if (_free.Count < maxKept)
        {
            _free.Push(array);
        }
    }

    /// <summary>Drops every array kept, with the room that held them.</summary>
    public void Clear()
    {
        _free.Clear();
        _free.TrimExcess();
    }
}

/// <summary>
/// The strings of one pass's short cells, shared: an export repeats a few values in most rows (<c>0</c>, <c>1</c>, <c>visible</c>,
/// <c>taxable</c>, attribute names and values), so one string per distinct value is made instead of one per cell. Looked up by
/// span (<see cref="Dictionary{TKey, TValue}.GetAlternateLookup{TAlternateKey}"/>), so a hit allocates nothing; bounded, so
/// unique values (ids, SKUs) stop being added once it is full.
/// </summary>
internal sealed class CellPool
{
    /// <summary>The longest cell, in UTF-16 code units, that is shared; longer ones are mostly unique.</summary>
    public const int MaxLength = 24;

    private const int MaxCount = 4096;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public CellPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Gets the string of a cell's text.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }

        if (text.Length > MaxLength)
        {
            return text.ToString();
        }

        if (_lookup.TryGetValue(text, out string? known))
        {
            return known;
        }

        string value = text.ToString();
        if (_strings.Count < MaxCount)
        {
            _strings[value] = value;
        }

        return value;
    }
}

/// <summary>
/// Writes RFC 4180 rows with the Sep library: per the Sep README ("Escaping", <c>Escape = true</c>), a cell is quoted when it holds
/// the separator, a quote, CR or LF, and a quote is doubled; other cells are written as they are. Rows end with <c>\n</c>.
/// </summary>
internal sealed class CsvRowWriter : IDisposable
{
    private readonly SepWriter _writer;
    private readonly List<string> _cells = [];

    public CsvRowWriter(TextWriter writer)
    {
        // WriteHeader = false: the header is written as an ordinary first row. DisableColCountCheck with ColNotSetOption.Skip lets
        // a row hold fewer or more cells than the first one (Sep throws "Not all expected columns have been set" otherwise).
        // Sep ends a row with the TextWriter's NewLine, so it is set to "\n" to write the same bytes on every platform.
        writer.NewLine = "\n";
        _writer = Sep.New(',').Writer(o => o with
        {
            Escape = true,
            WriteHeader = false,
            DisableColCountCheck = true,
            ColNotSetOption = SepColNotSetOption.Skip,
        }).To(writer, leaveOpen: true);
    }

    public void Cell(string? value) => _cells.Add(value ?? string.Empty);

    /// <summary>Writes a cell after neutralising a formula (<see cref="CsvText.Guard"/>).</summary>
    public void Guarded(string? value) => Cell(CsvText.Guard(value));

    public void EndRow()
    {
        // SepWriter.Row is a ref struct, so a row is collected here and handed to Sep whole; Sep writes it when it is disposed.
        using (SepWriter.Row row = _writer.NewRow())
        {
            for (int i = 0; i < _cells.Count; i++)
            {
                row[i].Set(_cells[i]);
            }
        }

        _cells.Clear();
    }

    public void Row(IEnumerable<string> cells)
    {
        _cells.AddRange(cells);
        EndRow();
    }

    /// <summary>Flushes Sep's buffer to the text writer, which stays open.</summary>
    public void Dispose() => _writer.Dispose();
}
