using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class FileJournalTests
{
    [Fact]
    public void ReadAll_RenderedRows_ComeBackCellForCell()
    {
        using var journal = new FileJournal(Path.Combine(TempDirectory(), "products.journal"), typeof(Product), durable: false);
        string longCell = new('x', 200);
        List<string?[]> rows =
        [
            ["shirt", "Shirt", null, "", "TRUE", "deny", "Ünïcödé \"quoted\", with comma", "line\nbreak", longCell],
            ["shirt", null, null, "", "TRUE", "deny", "'=1+1", "€", "short"],
            [],
        ];
        journal.Append([new JournalEntry { SourceId = "p1", TargetId = "shirt", Rendered = new RenderedRecord { Rows = rows, Tags = ["a"] } }]);
        journal.Append([new JournalEntry { SourceId = "p2", TargetId = "hat", Rendered = new RenderedRecord { Rows = [["hat", "TRUE", null]] } }]);

        JournalEntry[] read = [.. journal.ReadAll()];

        Assert.Equal(2, read.Length);
        Assert.Equal(rows.Count, read[0].Rendered!.Rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i], read[0].Rendered!.Rows[i]);
        }

        Assert.Equal(["a"], read[0].Rendered!.Tags!);
        Assert.Equal([["hat", "TRUE", null]], read[1].Rendered!.Rows);

        // A short repeated cell is shared between rows and entries rather than made again.
        Assert.Same(read[0].Rendered!.Rows[0][4], read[1].Rendered!.Rows[0][1]);
    }
}
