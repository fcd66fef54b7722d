using System.Text.Json;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

/// <summary>
/// Compares a response with a doc example: every field of the example must be present with the same JSON kind, recursively.
/// The rules are described on <see cref="DocExampleContractTests"/>.
/// </summary>
internal sealed class DocShapeChecker
{
    private static readonly HashSet<string> NullableFields = new(StringComparer.Ordinal)
    {
        "image", "stock_quantity", "low_stock_amount", "sku", "parent_name", "usage_limit", "usage_limit_per_user", "limit_usage_to_x_items",
    };

    public List<string> Errors { get; } = [];

    /// <summary>Gets the paths where the example has a non-empty array or an object.</summary>
    public HashSet<string> Expected { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the paths where a response had a non-empty array or an object to compare.</summary>
    public HashSet<string> Covered { get; } = new(StringComparer.Ordinal);

    public void Collect(JsonNode? doc, string path)
    {
        switch (doc)
        {
            case JsonObject o:
                Expected.Add(path);
                foreach ((string key, JsonNode? value) in o)
                {
                    if (!IsConditionalLink(path, key))
                    {
                        Collect(value, path + "." + key);
                    }
                }

                break;
            case JsonArray { Count: > 0 } a:
                Expected.Add(path);
                Collect(a[0], path + "[]");
                break;
        }
    }

    public void Compare(JsonNode? doc, JsonNode? actual, string path, string field)
    {
        JsonValueKind docKind = Kind(doc);
        JsonValueKind actualKind = Kind(actual);
        if (docKind == JsonValueKind.Null)
        {
            return;
        }

        if (doc is JsonArray { Count: 0 })
        {
            if (actualKind is not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null))
            {
                Errors.Add($"{path}: the docs show [] but the sandbox has {actualKind}");
            }

            return;
        }

        if (actualKind == JsonValueKind.Null)
        {
            if (!NullableFields.Contains(field) && !field.StartsWith("date_", StringComparison.Ordinal))
            {
                Errors.Add($"{path}: the docs show {docKind} but the sandbox has null");
            }

            return;
        }

        if (Normalize(docKind) != Normalize(actualKind))
        {
            Errors.Add($"{path}: the docs show {docKind} but the sandbox has {actualKind}");
            return;
        }

        switch (doc)
        {
            case JsonObject expected:
                Covered.Add(path);
                JsonObject actualObject = actual!.AsObject();
                foreach ((string key, JsonNode? value) in expected)
                {
                    if (IsConditionalLink(path, key))
                    {
                        continue;
                    }

                    if (!actualObject.TryGetPropertyValue(key, out JsonNode? actualValue))
                    {
                        Errors.Add($"{path}.{key}: missing");
                        continue;
                    }

                    Compare(value, actualValue, path + "." + key, key);
                }

                break;
            case JsonArray expectedArray:
                JsonArray actualArray = actual!.AsArray();
                if (actualArray.Count > 0)
                {
                    Covered.Add(path);
                }

                foreach (JsonNode? element in actualArray)
                {
                    Compare(expectedArray[0], element, path + "[]", field);
                }

                break;
        }
    }

    private static bool IsConditionalLink(string path, string key) => path.EndsWith("._links", StringComparison.Ordinal) && key is not ("self" or "collection");

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static JsonValueKind Normalize(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;
}
