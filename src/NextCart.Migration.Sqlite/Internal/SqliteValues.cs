using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// How values are stored: instants as ISO-8601 UTC text with seven fractional digits (exact to the tick, and sortable as
/// text), except the ID map's, which are UTC ticks since schema version 4; decimals as invariant text (exact, with their
/// scale), dictionaries and id lists as JSON text.
/// </summary>
internal static class SqliteValues
{
    /// <summary>The length of a stored instant: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    private const int InstantLength = 28;

    /// <summary>Formats an instant as ISO-8601 UTC with seven fractional digits (the round-trip "O" format of a UTC time).</summary>
    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static object ToDb(DateTimeOffset? value) => value is { } v ? ToText(v) : DBNull.Value;

    /// <summary>Parses an instant written by <see cref="ToText(DateTimeOffset)"/>, exactly, with a zero offset.</summary>
    /// <remarks>The fixed layout is parsed by hand (a tenth of the cost of <c>ParseExact</c>); anything else falls back to it.</remarks>
    public static DateTimeOffset ParseInstant(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseInstant(text.AsSpan());
    }

    /// <summary>Parses an instant written by <see cref="ToText(DateTimeOffset)"/>, exactly, with a zero offset.</summary>
    public static DateTimeOffset ParseInstant(ReadOnlySpan<char> s)
    {
        if (s.Length == InstantLength && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[27] == 'Z'
            && TryDigits(s[..4], out int year) && TryDigits(s.Slice(5, 2), out int month) && TryDigits(s.Slice(8, 2), out int day)
            && TryDigits(s.Slice(11, 2), out int hour) && TryDigits(s.Slice(14, 2), out int minute) && TryDigits(s.Slice(17, 2), out int second)
            && TryDigits(s.Slice(20, 7), out int fraction)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction), TimeSpan.Zero);
        }

        return new DateTimeOffset(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }

    /// <summary>Reads an ID-map instant (schema version 4): UTC ticks, with a zero offset.</summary>
    public static DateTimeOffset FromTicks(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static string ToText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static object ToDb(decimal? value) => value is { } v ? ToText(v) : DBNull.Value;

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static decimal ParseDecimal(ReadOnlySpan<char> text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static object ToDb(string? value) => (object?)value ?? DBNull.Value;

    public static string ToJson(IReadOnlyDictionary<string, string> settings)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, string> pair in settings)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, string> ParseSettings(string json)
    {
        Dictionary<string, string> settings = new(StringComparer.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            settings[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return settings;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
