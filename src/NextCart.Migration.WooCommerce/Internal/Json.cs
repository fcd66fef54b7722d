using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Lenient readers for WooCommerce JSON: blanks come back as <c>""</c> or <c>null</c>, numbers sometimes as strings.</summary>
internal static class Json
{
    public static JsonElement? Prop(this JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? Str(this JsonElement e, string name)
    {
        JsonElement? v = e.Prop(name);
        string? s = v?.ValueKind switch
        {
            JsonValueKind.String => v.Value.GetString(),
            JsonValueKind.Number => v.Value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrEmpty(s) ? null : s;
    }

    public static string Id(this JsonElement e, string name = "id")
        => e.Str(name) ?? throw new FormatException($"The record has no '{name}'.");

    /// <summary>An id reference where 0 means none.</summary>
    public static string? RefId(this JsonElement e, string name)
    {
        string? s = e.Str(name);
        return s is null or "0" ? null : s;
    }

    public static decimal? Dec(this JsonElement e, string name)
    {
        string? s = e.Str(name);
        if (s is null)
        {
            return null;
        }

        return decimal.TryParse(s, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal d)
            ? d
            : throw new FormatException($"'{name}' is not a number: '{s}'.");
    }

    public static int? Int(this JsonElement e, string name)
    {
        decimal? d = e.Dec(name);
        return d is null ? null : (int)d.Value;
    }

    public static bool Bool(this JsonElement e, string name)
    {
        JsonElement? v = e.Prop(name);
        return v?.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => v.Value.GetString() is "yes" or "true" or "1",
            JsonValueKind.Number => v.Value.GetRawText() != "0",
            _ => false,
        };
    }

    /// <summary>Reads <c>{name}_gmt</c> as UTC, falling back to <c>{name}</c> read as UTC when the GMT twin is absent.</summary>
    public static DateTimeOffset? DateGmt(this JsonElement e, string name)
        => ParseDate(e.Str(name + "_gmt")) ?? ParseDate(e.Str(name));

    public static DateTimeOffset? ParseDate(string? s)
    {
        if (s is null)
        {
            return null;
        }

        return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime dt)
            ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc))
            : throw new FormatException($"'{s}' is not a date.");
    }

    public static IEnumerable<JsonElement> Array(this JsonElement e, string name)
    {
        JsonElement? v = e.Prop(name);
        return v is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];
    }

    public static IReadOnlyList<string> Ids(this JsonElement e, string name)
        => e.Array(name).Select(x => x.ValueKind == JsonValueKind.Object ? x.Id() : x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())
            .Where(s => s is not "0" and not "").ToArray();

    public static IReadOnlyList<string> Strings(this JsonElement e, string name)
        => e.Array(name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToArray();

    /// <summary>Reads a WordPress rendered field: <c>{"rendered": "…"}</c> or a plain string.</summary>
    public static string? Rendered(this JsonElement e, string name)
    {
        JsonElement? v = e.Prop(name);
        return v?.ValueKind == JsonValueKind.Object ? v.Value.Str("rendered") : e.Str(name);
    }

    /// <summary>Finds a <c>meta_data</c> entry's value.</summary>
    public static string? Meta(this JsonElement e, string key)
    {
        foreach (JsonElement m in e.Array("meta_data"))
        {
            if (m.Str("key") == key)
            {
                return m.Str("value");
            }
        }

        return null;
    }

    /// <summary>Every property not in <paramref name="known"/> (nor <c>_links</c>), as <c>woocommerce.{name}</c>: strings as is, the rest as JSON.</summary>
    public static ImmutableSortedDictionary<string, string> Extensions(this JsonElement e, IReadOnlySet<string> known)
    {
        ImmutableSortedDictionary<string, string>.Builder builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (known.Contains(p.Name) || p.Name == "_links" || p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            string value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            if (value.Length == 0 || value == "[]" || value == "{}")
            {
                continue;
            }

            builder[WooCommerceConstants.ExtensionPrefix + p.Name] = value;
        }

        return builder.ToImmutable();
    }
}
