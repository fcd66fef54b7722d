using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The schema type of a collection parameter.</summary>
internal enum ParamType
{
    Integer = 0,
    String = 1,
    Boolean = 2,
    DateTime = 3,
    IntegerList = 4,
    StringList = 5,
}

/// <summary>One collection parameter and its constraints, as the controller's <c>get_collection_params</c> declares it.</summary>
internal sealed record ParamSpec(string Name, ParamType Type, long? Minimum = null, long? Maximum = null, IReadOnlyList<string>? Enum = null, string? Default = null);

/// <summary>Validates request arguments the way <c>rest_validate_value_from_schema</c> (WordPress 5.7+) words its errors.</summary>
internal static class Params
{
    public static readonly ParamSpec Context = new("context", ParamType.String, Enum: ["view", "edit"], Default: "view");
    public static readonly ParamSpec Page = new("page", ParamType.Integer, Minimum: 1, Default: "1");
    public static readonly ParamSpec PerPage = new("per_page", ParamType.Integer, Minimum: 1, Maximum: 100, Default: "10");
    public static readonly ParamSpec Offset = new("offset", ParamType.Integer);
    public static readonly ParamSpec Search = new("search", ParamType.String);
    public static readonly ParamSpec Include = new("include", ParamType.IntegerList);
    public static readonly ParamSpec Exclude = new("exclude", ParamType.IntegerList);
    public static readonly ParamSpec Force = new("force", ParamType.Boolean);

    public static ParamSpec Order(string defaultOrder) => new("order", ParamType.String, Enum: ["asc", "desc"], Default: defaultOrder);

    public static ParamSpec OrderBy(string defaultOrderBy, params string[] values) => new("orderby", ParamType.String, Enum: values, Default: defaultOrderBy);

    /// <summary>Validates the parameters present in the request; throws one <c>rest_invalid_param</c> listing every invalid one.</summary>
    public static void Validate(WooRequest request, IEnumerable<ParamSpec> specs)
    {
        List<ParamError> errors = [];
        foreach (ParamSpec spec in specs)
        {
            JsonNode? value = request.Param(spec.Name);
            if (value is null)
            {
                continue;
            }

            if (Check(spec, value) is { } error)
            {
                errors.Add(error);
            }
        }

        if (errors.Count > 0)
        {
            throw RestException.InvalidParams(errors);
        }
    }

    public static ParamError? Check(ParamSpec spec, JsonNode value)
    {
        string name = spec.Name;
        switch (spec.Type)
        {
            case ParamType.Integer:
                if (!IsInteger(value, out long number))
                {
                    return new ParamError(name, "rest_invalid_type", $"{name} is not of type integer.", new JsonObject { ["param"] = name });
                }

                if (spec.Minimum is { } min && spec.Maximum is { } max && (number < min || number > max))
                {
                    return new ParamError(name, "rest_out_of_bounds", $"{name} must be between {min} (inclusive) and {max} (inclusive)");
                }

                if (spec.Minimum is { } onlyMin && number < onlyMin)
                {
                    return new ParamError(name, "rest_out_of_bounds", $"{name} must be greater than or equal to {onlyMin}");
                }

                if (spec.Maximum is { } onlyMax && number > onlyMax)
                {
                    return new ParamError(name, "rest_out_of_bounds", $"{name} must be less than or equal to {onlyMax}");
                }

                return null;
            case ParamType.Boolean:
                return IsBoolean(value) ? null : new ParamError(name, "rest_invalid_type", $"{name} is not of type boolean.", new JsonObject { ["param"] = name });
            case ParamType.DateTime:
                return Json.Str(value) is { } date && WooTime.IsValidDate(date.Trim())
                    ? null
                    : new ParamError(name, "rest_invalid_date", "Invalid date.");
            case ParamType.IntegerList:
                List<string> items = Json.List(value);
                for (int i = 0; i < items.Count; i++)
                {
                    if (!IsInteger(JsonValue.Create(items[i]), out _))
                    {
                        return new ParamError(name, "rest_invalid_type", $"{name}[{i}] is not of type integer.", new JsonObject { ["param"] = $"{name}[{i}]" });
                    }
                }

                return null;
            case ParamType.StringList:
                return null;
            default:
                if (value is JsonObject or JsonArray)
                {
                    return new ParamError(name, "rest_invalid_type", $"{name} is not of type string.", new JsonObject { ["param"] = name });
                }

                if (spec.Enum is { } allowed && !allowed.Contains(Json.Str(value) ?? string.Empty, StringComparer.Ordinal))
                {
                    return new ParamError(name, "rest_not_in_enum", $"{name} is not one of {ListText(allowed)}.");
                }

                return null;
        }
    }

    public static bool IsInteger(JsonNode? value, out long number)
    {
        number = 0;
        if (value is null || value is JsonObject or JsonArray)
        {
            return false;
        }

        if (!Json.TryDec(value, out decimal d))
        {
            return false;
        }

        if (decimal.Truncate(d) != d || d > long.MaxValue || d < long.MinValue)
        {
            return false;
        }

        number = (long)d;
        return true;
    }

    public static bool IsBoolean(JsonNode? value) => value?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => true,
        System.Text.Json.JsonValueKind.String => value.GetValue<string>().ToLowerInvariant() is "true" or "false" or "1" or "0" or "",
        System.Text.Json.JsonValueKind.Number => Json.TryLong(value, out long n) && n is 0 or 1,
        _ => false,
    };

    /// <summary>Formats a list as <c>wp_sprintf_l</c> does: "a", "a and b", "a, b, and c".</summary>
    public static string ListText(IReadOnlyList<string> values) => values.Count switch
    {
        0 => string.Empty,
        1 => values[0],
        2 => values[0] + " and " + values[1],
        _ => string.Join(", ", values.Take(values.Count - 1)) + ", and " + values[^1],
    };

    public static long Int(WooRequest request, string name, long fallback) => IsInteger(request.Param(name), out long value) ? value : fallback;

    public static bool Bool(WooRequest request, string name) => Json.Bool(request.Param(name));
}
