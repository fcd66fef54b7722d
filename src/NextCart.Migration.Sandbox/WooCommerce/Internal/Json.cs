using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>Small helpers over <see cref="JsonNode"/> with PHP-like leniency where WordPress is lenient.</summary>
internal static class Json
{
    public static JsonArray Array(IEnumerable<JsonNode?> items)
    {
        JsonArray array = [];
        foreach (JsonNode? item in items)
        {
            array.Add(item);
        }

        return array;
    }

    public static JsonArray Longs(IEnumerable<long> items) => Array(items.Select(i => (JsonNode?)JsonValue.Create(i)));

    public static JsonArray Strings(IEnumerable<string> items) => Array(items.Select(i => (JsonNode?)JsonValue.Create(i)));

    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;

    public static string? Str(JsonNode? node) => node is null ? null : node.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number => node.ToJsonString(),
        JsonValueKind.True => "1",
        JsonValueKind.False => string.Empty,
        _ => null,
    };

    public static string Str(JsonObject o, string name) => Str(o[name]) ?? string.Empty;

    public static long Long(JsonNode? node, long fallback = 0) => TryLong(node, out long value) ? value : fallback;

    public static long Long(JsonObject o, string name) => Long(o[name]);

    public static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is null)
        {
            return false;
        }

        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                JsonValue number = node.AsValue();
                if (number.TryGetValue(out value))
                {
                    return true;
                }

                if (number.TryGetValue(out int i))
                {
                    value = i;
                    return true;
                }

                decimal d = Dec(node);
                value = (long)decimal.Truncate(d);
                return d == decimal.Truncate(d);
            case JsonValueKind.String:
                return long.TryParse(node.GetValue<string>().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
            case JsonValueKind.True:
                value = 1;
                return true;
            case JsonValueKind.False:
                return true;
            default:
                return false;
        }
    }

    public static decimal Dec(JsonNode? node) => TryDec(node, out decimal value) ? value : 0m;

    public static bool TryDec(JsonNode? node, out decimal value)
    {
        value = 0m;
        if (node is null)
        {
            return false;
        }

        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                JsonValue number = node.AsValue();
                if (number.TryGetValue(out value))
                {
                    return true;
                }

                if (number.TryGetValue(out long l))
                {
                    value = l;
                    return true;
                }

                if (number.TryGetValue(out int i))
                {
                    value = i;
                    return true;
                }

                return decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonValueKind.String:
                return decimal.TryParse(node.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    /// <summary>PHP-style truthiness as <c>rest_sanitize_boolean</c> applies it.</summary>
    public static bool Bool(JsonNode? node) => node is not null && node.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => Dec(node) != 0m,
        JsonValueKind.String => node.GetValue<string>().Trim().ToLowerInvariant() is not ("" or "0" or "false" or "no" or "off"),
        _ => false,
    };

    public static bool Bool(JsonObject o, string name) => Bool(o[name]);

    /// <summary>Formats an amount as WooCommerce stores order money: always two decimals.</summary>
    public static string Money(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Formats a decimal without trailing zeros, as <c>wc_format_decimal</c> leaves an entered value.</summary>
    public static string Decimal(decimal value)
    {
        string text = value.ToString("0.############", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    public static string Rate(decimal value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Parses a PHP-style list parameter: a JSON array, or a comma-separated string.</summary>
    public static List<string> List(JsonNode? node)
    {
        List<string> values = [];
        if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                if (Str(item) is { Length: > 0 } s)
                {
                    values.Add(s.Trim());
                }
            }
        }
        else if (Str(node) is { Length: > 0 } text)
        {
            foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                values.Add(part);
            }
        }

        return values;
    }

    public static List<long> IdList(JsonNode? node)
    {
        List<long> ids = [];
        foreach (string value in List(node))
        {
            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public static JsonObject Clone(JsonObject o) => (JsonObject)o.DeepClone();

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Copies an object without the internal fields (those whose name starts with <c>__</c>).</summary>
    public static JsonObject Public(JsonObject stored)
    {
        JsonObject copy = [];
        foreach (KeyValuePair<string, JsonNode?> pair in stored)
        {
            if (!pair.Key.StartsWith("__", StringComparison.Ordinal))
            {
                copy[pair.Key] = pair.Value?.DeepClone();
            }
        }

        return copy;
    }

    public static JsonObject Error(string code, string message, int status, JsonObject? extraData = null)
    {
        JsonObject data = new() { ["status"] = status };
        if (extraData is not null)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in extraData)
            {
                data[pair.Key] = pair.Value?.DeepClone();
            }
        }

        return new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data };
    }
}
