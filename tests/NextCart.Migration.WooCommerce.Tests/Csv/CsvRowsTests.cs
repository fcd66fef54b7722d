using NextCart.Migration.Csv.Internal;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.WooCommerce.Tests.Csv;

public sealed class CsvRowsTests
{
    [Fact]
    public void Read_QuotedMultilineDoubledQuotesAndBadQuote_ParsesCellsAndFlagsTheBadRow()
    {
        string path = Path.Combine(TempDirectory(), "rows.csv");
        File.WriteAllText(path, "\uFEFFa,b,c\r\n1,\"two, \"\"quoted\"\"\nlines\",3\r\nx,bad\"quo\"te,z\n\n4,,\"\"\n", CsvText.Utf8NoBom);

        CsvRow[] rows = CsvRows.Read(path).ToArray();

        Assert.Equal(["a", "b", "c"], CsvRows.ReadHeader(path)!);
        Assert.Equal(3, rows.Length);
        Assert.Equal(["1", "two, \"quoted\"\nlines", "3"], rows[0].Cells);
        Assert.Null(rows[0].BadData);
        Assert.Equal(["x", "bad\"quo\"te", "z"], rows[1].Cells);
        Assert.NotNull(rows[1].BadData);
        Assert.Equal(["4", "", ""], rows[2].Cells);
        Assert.Equal([2, 3, 5], rows.Select(r => r.Number));
    }

    [Fact]
    public void Read_SomeColumns_ReadsOnlyThoseCellsButFindsTheSameRowsAndMalformedRows()
    {
        // Row 3 is malformed in a column that is not read; row 4 has text only in a column that is not read (not an empty row);
        // row 5 is empty apart from an empty quoted cell (an empty row either way).
        string path = Path.Combine(TempDirectory(), "some.csv");
        File.WriteAllText(path, "a,b,c\n1,\"two\",3\nx,bad\"quo\"te,z\n,only b,\n,\"\",\n4,,6\n", CsvText.Utf8NoBom);

        CsvRow[] all = CsvRows.Read(path).ToArray();
        // A key pass reuses one cells array from row to row, so each row's cells are copied before the next one is read.
        CsvRow[] some = CsvRows.Read(path, [0, 2]).Select(r => r with { Cells = [.. r.Cells] }).ToArray();

        Assert.Equal(all.Select(r => r.Number), some.Select(r => r.Number));
        Assert.Equal([2, 3, 4, 6], some.Select(r => r.Number));
        Assert.Equal(all.Select(r => r.BadData is null), some.Select(r => r.BadData is null));
        Assert.NotNull(some[1].BadData);
        Assert.Equal(["1", "", "3"], some[0].Cells);
        Assert.Equal(["", "", ""], some[2].Cells);
        Assert.Equal(["4", "", "6"], some[3].Cells);
    }

    [Fact]
    public void Read_RepeatedShortCells_ShareOneStringAndKeepTheirText()
    {
        string path = Path.Combine(TempDirectory(), "repeated.csv");
        string longCell = new('x', 40);
        File.WriteAllText(path, $"a,b\nvisible,{longCell}\nvisible,{longCell}\n", CsvText.Utf8NoBom);

        CsvRow[] rows = CsvRows.Read(path).ToArray();

        Assert.Same(rows[0].Cells[0], rows[1].Cells[0]);
        Assert.Equal(["visible", longCell], rows[1].Cells);
        Assert.NotSame(rows[0].Cells[1], rows[1].Cells[1]);
    }

    [Fact]
    public void Read_UnbalancedStrayQuote_JoinsLinesUpToTheNextQuoteAndFlagsThatRow()
    {
        // Sep treats a quote inside an unquoted cell as opening a quoted run (see CsvRows), so the lines up to the next quote
        // belong to that row; the row is reported as malformed and the rows after it read normally.
        string path = Path.Combine(TempDirectory(), "stray.csv");
        File.WriteAllText(path, "a,b\nx,bad\"quote\ny,z\"\n5,6\n", CsvText.Utf8NoBom);

        CsvRow[] rows = CsvRows.Read(path).ToArray();

        Assert.Equal(2, rows.Length);
        Assert.Equal(["x", "bad\"quote\ny,z\""], rows[0].Cells);
        Assert.NotNull(rows[0].BadData);
        Assert.Equal(["5", "6"], rows[1].Cells);
        Assert.Null(rows[1].BadData);
        Assert.Equal([2, 3], rows.Select(r => r.Number));
    }

    [Fact]
    public void Read_QuoteNotClosedBeforeEndOfFile_FlagsTheLastRow()
    {
        string path = Path.Combine(TempDirectory(), "open.csv");
        File.WriteAllText(path, "a,b\n1,2\n3,\"open\n", CsvText.Utf8NoBom);

        CsvRow[] rows = CsvRows.Read(path).ToArray();

        Assert.Equal(2, rows.Length);
        Assert.Null(rows[0].BadData);
        Assert.Equal("3", rows[1].Cells[0]);
        Assert.StartsWith("open", rows[1].Cells[1], StringComparison.Ordinal);
        Assert.NotNull(rows[1].BadData);
    }

    [Fact]
    public void Write_SpecialCells_QuotedOnlyWhenNeededAndReadBackUnchanged()
    {
        string path = Path.Combine(TempDirectory(), "written.csv");
        string[] cells = ["plain", "a, b", "say \"hi\"", "two\nlines", "with space", "", "cr\rlf"];
        using (var stream = new StreamWriter(path, append: false, CsvText.Utf8NoBom))
        using (var csv = new CsvRowWriter(stream))
        {
            csv.Row(["h1", "h2", "h3", "h4", "h5", "h6", "h7"]);
            csv.Row(cells);
        }

        Assert.Equal("h1,h2,h3,h4,h5,h6,h7\nplain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",with space,,\"cr\rlf\"\n", File.ReadAllText(path));
        CsvRow row = Assert.Single(CsvRows.Read(path));
        Assert.Equal(cells, row.Cells);
        Assert.Null(row.BadData);
    }

    [Fact]
    public void Write_RowsShorterAndLongerThanTheHeader_WrittenAsGivenWithLfEndings()
    {
        var text = new StringWriter { NewLine = "\r\n" };
        using (var csv = new CsvRowWriter(text))
        {
            csv.Row(["a", "b"]);
            csv.Row(["1"]);
            csv.Row(["1", "2", "3"]);
            csv.Cell("x");
            csv.Guarded("=y");
            csv.EndRow();
        }

        Assert.Equal("a,b\n1\n1,2,3\nx,'=y\n", text.ToString());
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("-42", "-42")]
    [InlineData("plain", "plain")]
    public void Guard_FormulaTriggers_PrefixAQuoteExceptPureNumbers(string value, string expected)
    {
        Assert.Equal(expected, CsvText.Guard(value));
        Assert.Equal(value, CsvText.Unguard(CsvText.Guard(value)));
    }
}
