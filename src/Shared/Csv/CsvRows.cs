using System.Globalization;
using System.Text;

namespace NextCart.Migration.Csv.Internal;

/// <summary>One data row of a CSV file.</summary>
/// <param name="Cells">The cells.</param>
/// <param name="Number">The row number, counting the header as row 1 (as a spreadsheet shows it).</param>
/// <param name="BadData">What is malformed about the row's quoting, or <see langword="null"/>.</param>
internal readonly record struct CsvRow(string[] Cells, int Number, string? BadData);

/// <summary>
/// Streams the rows of an RFC 4180 CSV file one row at a time: UTF-8 with or without a BOM, <c>"</c> quoting with <c>""</c> for a
/// quote and no backslash escape (PHP's <c>fgetcsv</c>/<c>fputcsv</c> as WooCommerce calls them, with <c>escape = "\0"</c>).
/// </summary>
internal static class CsvRows
{
    /// <summary>Reads the header row.</summary>
    /// <returns>The header cells, or <see langword="null"/> when the file is empty.</returns>
    public static string[]? ReadHeader(string path)
    {
        using var reader = new StreamReader(path, CsvText.Utf8NoBom, detectEncodingFromByteOrderMarks: true);
        var parser = new CsvParser(reader);
        return parser.Read(out string[]? cells, out _) ? cells : null;
    }

    /// <summary>Reads the data rows after the header.</summary>
    public static IEnumerable<CsvRow> Read(string path)
    {
        using var reader = new StreamReader(path, CsvText.Utf8NoBom, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var parser = new CsvParser(reader);
        if (!parser.Read(out _, out _))
        {
            yield break;
        }

        int number = 1;
        while (parser.Read(out string[]? cells, out string? bad))
        {
            number++;
            if (cells!.All(c => c.Length == 0))
            {
                continue;
            }

            yield return new CsvRow(cells!, number, bad);
        }
    }

    /// <summary>A fingerprint of the file (size and last write time) that resume tokens carry, so a changed file is noticed.</summary>
    public static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        return string.Create(CultureInfo.InvariantCulture, $"{info.Length:x}.{info.LastWriteTimeUtc.Ticks:x}");
    }

    private sealed class CsvParser(TextReader reader)
    {
        private static readonly System.Buffers.SearchValues<char> Specials = System.Buffers.SearchValues.Create(",\"\r\n");
        private readonly char[] _buffer = new char[1 << 16];
        private readonly StringBuilder _cell = new();
        private readonly List<string> _cells = [];
        private int _pos;
        private int _len;

        public bool Read(out string[]? cells, out string? bad)
        {
            cells = null;
            bad = null;
            _cells.Clear();
            _cell.Clear();
            if (Peek() < 0)
            {
                return false;
            }

            bool quoted = false;
            bool afterQuote = false;
            bool cellStart = true;
            while (true)
            {
                if (_pos == _len && Peek() < 0)
                {
                    if (quoted)
                    {
                        bad = "a quoted cell is not closed before the end of the file";
                    }

                    _cells.Add(_cell.ToString());
                    break;
                }

                ReadOnlySpan<char> span = _buffer.AsSpan(_pos, _len - _pos);
                if (quoted)
                {
                    // Copy everything up to the next quote in one go.
                    int q = span.IndexOf('"');
                    if (q < 0)
                    {
                        _cell.Append(span);
                        _pos = _len;
                        continue;
                    }

                    _cell.Append(span[..q]);
                    _pos += q + 1;
                    if (Peek() == '"')
                    {
                        _pos++;
                        _cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }

                    continue;
                }

                if (cellStart && span[0] == '"')
                {
                    quoted = true;
                    cellStart = false;
                    _pos++;
                    continue;
                }

                int i = span.IndexOfAny(Specials);
                if (i < 0)
                {
                    bad ??= afterQuote ? "text after a closing quote" : null;
                    _cell.Append(span);
                    _pos = _len;
                    cellStart = false;
                    continue;
                }

                if (i > 0)
                {
                    if (afterQuote)
                    {
                        bad ??= "text after a closing quote";
                    }

                    _cell.Append(span[..i]);
                    cellStart = false;
                }

                char c = span[i];
                _pos += i + 1;
                if (c == '"')
                {
                    bad ??= "a quote inside an unquoted cell";
                    _cell.Append('"');
                    cellStart = false;
                }
                else if (c == ',')
                {
                    _cells.Add(_cell.ToString());
                    _cell.Clear();
                    cellStart = true;
                    afterQuote = false;
                }
                else
                {
                    if (c == '\r' && Peek() == '\n')
                    {
                        _pos++;
                    }

                    _cells.Add(_cell.ToString());
                    break;
                }
            }

            cells = _cells.ToArray();
            return true;
        }

        private int Peek()
        {
            if (_pos == _len)
            {
                _len = reader.Read(_buffer, 0, _buffer.Length);
                _pos = 0;
                if (_len <= 0)
                {
                    _len = 0;
                    return -1;
                }
            }

            return _buffer[_pos];
        }
    }
}

/// <summary>
/// Writes RFC 4180 rows: a cell is quoted when it holds a comma, quote, CR or LF and, like PHP's <c>fputcsv</c> (which WooCommerce's
/// exporter calls), also a tab or space when <paramref name="quoteBlanks"/> is set.
/// </summary>
internal sealed class CsvRowWriter(TextWriter writer, bool quoteBlanks)
{
    private bool _first = true;

    public void Cell(string? value)
    {
        if (!_first)
        {
            writer.Write(',');
        }

        _first = false;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(quoteBlanks ? ",\"\r\n\t " : ",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Writes a cell after neutralising a formula (<see cref="CsvText.Guard"/>).</summary>
    public void Guarded(string? value) => Cell(CsvText.Guard(value));

    public void EndRow()
    {
        writer.Write('\n');
        _first = true;
    }

    public void Row(IEnumerable<string> cells)
    {
        foreach (string cell in cells)
        {
            Cell(cell);
        }

        EndRow();
    }
}
