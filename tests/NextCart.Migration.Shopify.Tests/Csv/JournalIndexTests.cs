using NextCart.Migration.Csv.Internal;
using NextCart.Migration.Model;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class JournalIndexTests
{
    [Fact]
    public void TryGet_KeysWhoseHashesCollide_EachFindsItsOwnEntry()
    {
        using var journal = new FileJournal(Path.Combine(TempDirectory(), "products.journal"), typeof(Product), durable: false);
        long[] offsets = journal.Append([Entry("a", "ta"), Entry("b", "tb"), Entry("c", "tc")]);

        // Every key has the same hash: the index must confirm each hit against the journal and keep the others apart.
        var index = new JournalIndex(journal, e => e.SourceId, ignoreCase: false, hash: _ => 42);
        for (int i = 0; i < offsets.Length; i++)
        {
            index.Set(((char)('a' + i)).ToString(), offsets[i]);
        }

        long[] later = journal.Append([Entry("b", "tb2")]);
        index.Set("b", later[0]);

        Assert.Equal(["ta", "tb2", "tc"], new[] { "a", "b", "c" }.Select(k => index.TryGet(k, out JournalEntry? head) ? head!.TargetId : null));
        Assert.False(index.TryGet("d", out JournalEntry? missing));
        Assert.Null(missing);
        Assert.Equal(3, index.Count);
    }

    [Fact]
    public void TryGet_ManyKeysSharingFewFingerprints_FindsEachAfterTheTableGrows()
    {
        using var journal = new FileJournal(Path.Combine(TempDirectory(), "products.journal"), typeof(Product), durable: false);
        string[] keys = [.. Enumerable.Range(0, 600).Select(i => "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        long[] offsets = journal.Append([.. keys.Select(k => Entry(k, "t-" + k))]);

        // Seven fingerprints for 600 keys: long probe chains, and the table grows several times past its first 64 slots.
        var index = new JournalIndex(journal, e => e.SourceId, ignoreCase: false, hash: k => (ulong)(k[^1] % 7) << 36);
        for (int i = 0; i < keys.Length; i++)
        {
            index.Set(keys[i], offsets[i]);
        }

        long[] updated = journal.Append([Entry("p7", "t-p7-2"), Entry("p599", "t-p599-2")]);
        index.Set("p7", updated[0]);
        index.Set("p599", updated[1]);

        string[] found = [.. keys.Select(k => index.TryGet(k, out JournalEntry? head) ? head!.TargetId : "missing")];
        Assert.Equal([.. keys.Select(k => k is "p7" or "p599" ? $"t-{k}-2" : "t-" + k)], found);
        Assert.False(index.TryGet("p600", out _));
        Assert.Equal(600, index.Count);
    }

    [Fact]
    public void ReservedKeys_JournaledKeyComparedIgnoringCase_IsOwnedByItsEntry()
    {
        using var journal = new FileJournal(Path.Combine(TempDirectory(), "customers.journal"), typeof(Customer), durable: false);
        var reserved = new ReservedKeys(journal);
        reserved.Hold("email:ann@example.com", "c1");
        Assert.True(reserved.TryGetValue("EMAIL:ANN@example.com", out string? pending));
        long[] offsets = journal.Append([new JournalEntry { SourceId = "c1", TargetId = "email:ann@example.com", NaturalKey = "email:ann@example.com" }]);
        reserved.Commit("email:ann@example.com", offsets[0]);
        reserved.Hold("email:bob@example.com", "c2");
        reserved.Release();

        Assert.Equal("c1", pending);
        Assert.True(reserved.TryGetValue("Email:Ann@Example.com", out string? owner));
        Assert.Equal("c1", owner);
        Assert.False(reserved.TryGetValue("email:bob@example.com", out _));
    }

    private static JournalEntry Entry(string sourceId, string targetId) => new() { SourceId = sourceId, TargetId = targetId };
}
