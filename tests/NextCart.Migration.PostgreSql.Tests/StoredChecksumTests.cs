using NextCart.Migration.PostgreSql.Internal;

namespace NextCart.Migration.PostgreSql.Tests;

/// <summary>The ID map's checksum encoding (schema version 4): every string reads back unchanged; none needs a server.</summary>
public sealed class StoredChecksumTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", 17)]
    [InlineData("", 1)]
    [InlineData("ABCDEF", 7)]
    [InlineData("abc", 4)]
    [InlineData("0x12", 5)]
    [InlineData("sha:ü-é", 10)]
    public void EncodeDecode_AnyString_RoundTripsWithTheExpectedSize(string checksum, int storedLength)
    {
        byte[] stored = StoredChecksum.Encode(checksum)!;

        Assert.Equal(storedLength, stored.Length);
        Assert.Equal(checksum, StoredChecksum.Decode(stored));
    }

    [Fact]
    public void Encode_LowercaseHex_StoresTheBytesAfterTag1()
    {
        Assert.Equal(new byte[] { 1, 0xAB, 0x01 }, StoredChecksum.Encode("ab01"));
        Assert.Equal(new byte[] { 2, (byte)'A', (byte)'B' }, StoredChecksum.Encode("AB"));
    }

    [Fact]
    public void Encode_Null_ReturnsNull() => Assert.Null(StoredChecksum.Encode(null));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 3, 0x41 })]
    public void Decode_NoOrUnknownTag_Throws(byte[] stored) => Assert.Throws<InvalidDataException>(() => StoredChecksum.Decode(stored));
}
