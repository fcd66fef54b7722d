using System.Text.Json;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The JSON schema type of an item field.</summary>
internal enum FieldType
{
    Any = 0,
    String = 1,
    Integer = 2,
    Number = 3,
    Boolean = 4,
    Array = 5,
    Object = 6,
}

/// <summary>
/// One writable field of an item schema. WordPress validates the arguments of single create and update requests against the
/// schema (<c>get_endpoint_args_for_item_schema</c> + <c>rest_validate_request_arg</c>); batch items skip that validation.
/// </summary>
internal sealed record FieldSpec(string Name, FieldType Type, IReadOnlyList<string>? Enum = null, IReadOnlyList<FieldSpec>? Properties = null, FieldSpec? Items = null)
{
    public static FieldSpec Str(string name, params string[] values) => new(name, FieldType.String, values.Length > 0 ? values : null);

    public static FieldSpec Int(string name) => new(name, FieldType.Integer);

    public static FieldSpec Num(string name) => new(name, FieldType.Number);

    public static FieldSpec Bool(string name) => new(name, FieldType.Boolean);

    public static FieldSpec Any(string name) => new(name, FieldType.Any);

    public static FieldSpec Obj(string name, params FieldSpec[] properties) => new(name, FieldType.Object, Properties: properties);

    public static FieldSpec ArrayOf(string name, FieldSpec items) => new(name, FieldType.Array, Items: items);

    public static FieldSpec ArrayOfObjects(string name, params FieldSpec[] properties) => new(name, FieldType.Array, Items: new FieldSpec("item", FieldType.Object, Properties: properties));

    public static FieldSpec Ints(string name) => ArrayOf(name, Int("item"));

    public static FieldSpec Strs(string name) => ArrayOf(name, Str("item"));

    /// <summary>The <c>meta_data</c> field every WooCommerce object has.</summary>
    public static FieldSpec MetaData => ArrayOfObjects("meta_data", Str("key"), Any("value"));
}

/// <summary>The writable fields of a resource, for argument validation.</summary>
internal sealed class Schema
{
    private readonly Dictionary<string, FieldSpec> _fields;

    public Schema(params FieldSpec[] fields)
    {
        _fields = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Validates the fields present in <paramref name="body"/>; throws <c>rest_invalid_param</c> listing every invalid one.</summary>
    public void Validate(JsonObject body)
    {
        List<ParamError> errors = [];
        foreach (KeyValuePair<string, JsonNode?> pair in body)
        {
            if (!_fields.TryGetValue(pair.Key, out FieldSpec? spec) || pair.Value is null)
            {
                continue;
            }

            if (Check(spec, pair.Value, pair.Key) is { } error)
            {
                errors.Add(error with { Param = pair.Key });
            }
        }

        if (errors.Count > 0)
        {
            throw RestException.InvalidParams(errors);
        }
    }

    private static ParamError? Check(FieldSpec spec, JsonNode? value, string path)
    {
        if (value is null || value.GetValueKind() == JsonValueKind.Null)
        {
            // WooCommerce clears a field sent as null; the sandbox accepts null for every field.
            return null;
        }

        switch (spec.Type)
        {
            case FieldType.String:
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    return TypeError(path, "string");
                }

                if (spec.Enum is { } allowed && !allowed.Contains(value.GetValue<string>(), StringComparer.Ordinal))
                {
                    return new ParamError(path, "rest_not_in_enum", $"{path} is not one of {Params.ListText(allowed)}.");
                }

                return null;
            case FieldType.Integer:
                return Params.IsInteger(value, out _) && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? null : TypeError(path, "integer");
            case FieldType.Number:
                return Json.TryDec(value, out _) ? null : TypeError(path, "number");
            case FieldType.Boolean:
                return Params.IsBoolean(value) ? null : TypeError(path, "boolean");
            case FieldType.Object:
                if (value is not JsonObject obj)
                {
                    return value is JsonArray { Count: 0 } ? null : TypeError(path, "object");
                }

                foreach (FieldSpec property in spec.Properties ?? [])
                {
                    if (obj.TryGetPropertyValue(property.Name, out JsonNode? child) && Check(property, child, $"{path}[{property.Name}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case FieldType.Array:
                if (value is not JsonArray array)
                {
                    return TypeError(path, "array");
                }

                if (spec.Items is { } items)
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        if (Check(items, array[i], $"{path}[{i}]") is { } error)
                        {
                            return error;
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static ParamError TypeError(string path, string type)
        => new(path, "rest_invalid_type", $"{path} is not of type {type}.", new JsonObject { ["param"] = path });
}
