using System.Globalization;
using System.Text;

namespace NextCart.Migration.Csv.Internal;

/// <summary>Cell-level rules shared by the WooCommerce and Shopify CSV connectors.</summary>
internal static class CsvText
{
    /// <summary>UTF-8 with a byte-order mark, as <c>WC_CSV_Exporter</c> writes (<c>"\xEF\xBB\xBF"</c> before the header).</summary>
    public static readonly UTF8Encoding Utf8Bom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>UTF-8 without a byte-order mark.</summary>
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Neutralises CSV formula injection the way WooCommerce's <c>WC_CSV_Exporter::escape_data</c> does: a cell whose first character
    /// is one of <c>= + - @</c>, tab (0x09) or carriage return (0x0d) is prefixed with <c>'</c>. Pure numbers are left alone because
    /// "a pure numeric value cannot form a valid formula" (same method), so <c>-42</c> stays a number.
    /// </summary>
    /// <param name="value">The cell.</param>
    /// <returns>The guarded cell.</returns>
    public static string Guard(string? value)
    {
        if (string.IsNullOrEmpty(value) || !IsTrigger(value[0]))
        {
            return value ?? string.Empty;
        }

        return decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? value : "'" + value;
    }

    /// <summary>
    /// Removes the guard <see cref="Guard"/> adds: a leading <c>'</c> followed by a trigger character
    /// (WooCommerce's importer <c>unescape_data</c> strips <c>'=</c>, <c>'+</c>, <c>'-</c>, <c>'@</c> the same way).
    /// </summary>
    /// <param name="value">The cell as read.</param>
    /// <returns>The cell's value.</returns>
    public static string Unguard(string value)
        => value.Length >= 2 && value[0] == '\'' && IsTrigger(value[1]) ? value[1..] : value;

    /// <summary>Gets a value indicating whether a character starts a spreadsheet formula.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for <c>= + - @</c>, tab and CR.</returns>
    public static bool IsTrigger(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Turns a name into a URL slug: lower case ASCII letters and digits separated by single dashes.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The slug; <c>item</c> when nothing is left.</returns>
    public static string Slugify(string value)
    {
        // The slug is never longer than the name (a dash stands for at least one character left out), so it is built in a span
        // on the stack for a usual name; a name that is already its own slug is returned as it is (no string is made).
        string normalized = value.Normalize(NormalizationForm.FormD);
        Span<char> slug = normalized.Length <= 256 ? stackalloc char[normalized.Length] : new char[normalized.Length];
        int length = 0;
        bool dash = false;
        foreach (char raw in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            char c = char.ToLowerInvariant(raw);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (dash && length > 0)
                {
                    slug[length++] = '-';
                }

                slug[length++] = c;
                dash = false;
            }
            else
            {
                dash = true;
            }
        }

        return length == 0 ? "item" : slug[..length].SequenceEqual(value) ? value : new string(slug[..length]);
    }

    /// <summary>
    /// Makes a value safe as a source id: <c>/</c> separates a product from its variant in ID-map keys, so it is escaped
    /// (with <c>%</c>) and so stays reversible.
    /// </summary>
    /// <param name="value">The raw id, SKU or path.</param>
    /// <returns>The id.</returns>
    public static string SafeId(string value)
        => value.Contains('%', StringComparison.Ordinal) || value.Contains('/', StringComparison.Ordinal)
            ? value.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal)
            : value;

    /// <summary>Formats a decimal without trailing zeros, invariantly.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text, or empty for <see langword="null"/>.</returns>
    public static string Number(decimal? value)
        => value is { } v ? (v / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Parses an invariant decimal; empty is <see langword="null"/>.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The value.</param>
    /// <returns><see langword="false"/> when the text is not empty and not a number.</returns>
    public static bool TryDecimal(string value, out decimal? result)
    {
        result = null;
        if (value.Length == 0)
        {
            return true;
        }

        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d))
        {
            result = d;
            return true;
        }

        return false;
    }

    /// <summary>Trims header names and drops a UTF-8 byte-order mark left on the first one.</summary>
    /// <param name="raw">The header cells as read.</param>
    /// <returns>The names.</returns>
    public static string[] HeaderNames(string[] raw) => raw.Select((n, i) => (i == 0 ? n.TrimStart('\uFEFF') : n).Trim()).ToArray();
}
