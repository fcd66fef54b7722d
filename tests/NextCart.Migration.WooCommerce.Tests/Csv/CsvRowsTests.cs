using NextCart.Migration.Csv.Internal;
using static NextCart.Migration.WooCommerce.Tests.Csv.CsvTestFiles;

namespace NextCart.Migration.WooCommerce.Tests.Csv;

public sealed class CsvRowsTests
{
    [Fact]
    public void Read_QuotedMultilineDoubledQuotesAndBadQuote_ParsesCellsAndFlagsTheBadRow()
    {
        string path = Path.Combine(TempDirectory(), "rows.csv");
        File.WriteAllText(path, "\uFEFFa,b,c\r\n1,\"two, \"\"quoted\"\"\nlines\",3\r\nx,bad\"quote,z\n\n4,,\"\"\n", CsvText.Utf8NoBom);

        CsvRow[] rows = CsvRows.Read(path).ToArray();

        Assert.Equal(["a", "b", "c"], CsvRows.ReadHeader(path)!);
        Assert.Equal(3, rows.Length);
        Assert.Equal(["1", "two, \"quoted\"\nlines", "3"], rows[0].Cells);
        Assert.Null(rows[0].BadData);
        Assert.Equal(["x", "bad\"quote", "z"], rows[1].Cells);
        Assert.NotNull(rows[1].BadData);
        Assert.Equal(["4", "", ""], rows[2].Cells);
        Assert.Equal([2, 3, 5], rows.Select(r => r.Number));
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
