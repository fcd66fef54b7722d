using NextCart.Migration.Internal;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Internal;

public class ContentChecksumTests
{
    private static readonly Product Shirt = new() { SourceId = "1", Name = "Shirt", Sku = "SH-1", Price = new Money(10m, "USD"), Tags = ["a"] };

    [Fact]
    public void Compute_SameContent_SameChecksum()
    {
        ContentChecksum checksum = new();
        Assert.Equal(checksum.Compute(Shirt), checksum.Compute(Shirt with { Tags = ["a"] }));
    }

    [Fact]
    public void Compute_ChangedPrice_DifferentChecksum()
    {
        ContentChecksum checksum = new();
        Assert.NotEqual(checksum.Compute(Shirt), checksum.Compute(Shirt with { Price = new Money(11m, "USD") }));
    }

    [Fact]
    public void Compute_OnlyUpdatedAtChanged_SameChecksum()
    {
        ContentChecksum checksum = new();
        Assert.Equal(checksum.Compute(Shirt), checksum.Compute(Shirt with { UpdatedAt = DateTimeOffset.UnixEpoch }));
    }
}
