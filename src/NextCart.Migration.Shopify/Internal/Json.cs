using System.Globalization;
using System.Text.Json;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>Tolerant readers of GraphQL response JSON.</summary>
internal static class Json
{
    public static JsonElement? Prop(this JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Path(this JsonElement e, params string[] names)
    {
        JsonElement? current = e;
        foreach (string name in names)
        {
            current = current?.Prop(name);
        }

        return current;
    }

    public static string? Str(this JsonElement e, string name) => e.Prop(name) is { } v ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    } : null;

    public static decimal? Dec(this JsonElement e, string name)
        => e.Str(name) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d) ? d : null;

    public static int? Int(this JsonElement e, string name)
        => e.Prop(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out int i) ? i : null;

    public static double? Double(this JsonElement e, string name)
        => e.Prop(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    public static bool Bool(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.True };

    public static DateTimeOffset? Date(this JsonElement e, string name)
        => e.Str(name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset d) ? d : null;

    public static IEnumerable<JsonElement> Nodes(this JsonElement e, string connection)
        => e.Prop(connection)?.Prop("nodes") is { ValueKind: JsonValueKind.Array } nodes ? nodes.EnumerateArray() : [];

    public static IEnumerable<JsonElement> Array(this JsonElement e, string name)
        => e.Prop(name) is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : [];

    public static IReadOnlyList<string> Strings(this JsonElement e, string name)
        => e.Array(name).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray();

    /// <summary>Reads the value of the <c>sourceId</c> alias of the <c>nextcart.source_id</c> metafield.</summary>
    public static string? SourceId(this JsonElement e) => e.Prop("sourceId")?.Str("value");
}

/// <summary>Shopify global ids (<c>gid://shopify/Product/123</c>) and handles.</summary>
internal static class Handles
{
    public static string Gid(string type, string id) => id.StartsWith("gid://", StringComparison.Ordinal) ? id : $"gid://shopify/{type}/{id}";

    /// <summary>Gets the numeric tail of a global id, or the id itself when it is not one.</summary>
    public static string Tail(string gid)
    {
        int q = gid.IndexOf('?', StringComparison.Ordinal);
        string path = q < 0 ? gid : gid[..q];
        int slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    /// <summary>Turns a slug or title into a Shopify handle: lowercase letters, digits and single hyphens.</summary>
    public static string Normalize(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
        bool hyphen = false;
        foreach (char raw in value.Normalize(System.Text.NormalizationForm.FormKD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            char c = char.ToLowerInvariant(raw);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(c);
                hyphen = false;
            }
            else if (!hyphen && builder.Length > 0)
            {
                builder.Append('-');
                hyphen = true;
            }
        }

        return builder.ToString().TrimEnd('-');
    }

    /// <summary>Quotes a value for Shopify's search syntax.</summary>
    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
