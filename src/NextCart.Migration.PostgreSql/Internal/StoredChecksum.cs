using System.Text;

namespace NextCart.Migration.PostgreSql.Internal;

/// <summary>
/// The ID map's <c>checksum</c> column (bytea, schema version 4): a tag byte, then either the bytes of a lowercase
/// hexadecimal checksum (tag 1; the engine's content checksums are 32 lowercase hex digits, stored in 16 bytes instead of
/// 32 characters) or any other string in UTF-8 (tag 2). Every string reads back exactly as written.
/// </summary>
internal static class StoredChecksum
{
    private const byte HexTag = 1;
    private const byte TextTag = 2;

    /// <summary>Encodes a checksum for the column.</summary>
    /// <param name="checksum">The checksum, or <see langword="null"/>.</param>
    /// <returns>The stored bytes, or <see langword="null"/>.</returns>
    public static byte[]? Encode(string? checksum)
    {
        if (checksum is null)
        {
            return null;
        }

        if (IsLowercaseHex(checksum))
        {
            byte[] hex = new byte[1 + (checksum.Length / 2)];
            hex[0] = HexTag;
            Convert.FromHexString(checksum, hex.AsSpan(1), out _, out _);
            return hex;
        }

        byte[] text = new byte[1 + Encoding.UTF8.GetByteCount(checksum)];
        text[0] = TextTag;
        Encoding.UTF8.GetBytes(checksum, text.AsSpan(1));
        return text;
    }

    /// <summary>Decodes a stored checksum.</summary>
    /// <param name="stored">The stored bytes.</param>
    /// <returns>The checksum as it was written.</returns>
    /// <exception cref="InvalidDataException">The bytes do not start with a known tag.</exception>
    public static string Decode(ReadOnlySpan<byte> stored) => stored.IsEmpty ? throw new InvalidDataException("A stored checksum is empty; it has no tag byte.") : stored[0] switch
    {
        HexTag => Convert.ToHexStringLower(stored[1..]),
        TextTag => Encoding.UTF8.GetString(stored[1..]),
        _ => throw new InvalidDataException($"A stored checksum has the unknown tag {stored[0]}."),
    };

    private static bool IsLowercaseHex(string value)
    {
        if (value.Length % 2 != 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
