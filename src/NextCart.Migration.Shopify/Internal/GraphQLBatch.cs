using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>
/// Puts several copies of a one-field document into one request, each under an alias (<c>m0</c>, <c>m1</c>, …) with its own renamed
/// variables (<c>$input</c> becomes <c>$input_0</c>, …). GraphQL executes the aliased mutation fields one after another and reports
/// each field's <c>userErrors</c> separately, so one rejected record does not fail the others.
/// </summary>
internal static partial class GraphQLBatch
{
    public static string Alias(int index) => "m" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Composes a document of <paramref name="count"/> aliased copies of <paramref name="document"/>'s single top-level field.</summary>
    public static string Compose(string document, int count)
    {
        (string keyword, string name, string variables, string field) = Split(document);
        if (count == 1)
        {
            return document;
        }

        var defs = new StringBuilder();
        var body = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string suffix = "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (variables.Length > 0)
            {
                defs.Append(defs.Length == 0 ? string.Empty : ", ").Append(VariablePattern().Replace(variables, m => m.Value + suffix));
            }

            body.Append(' ').Append(Alias(i)).Append(": ").Append(VariablePattern().Replace(field, m => m.Value + suffix));
        }

        return $"{keyword} {name}x{count}{(defs.Length > 0 ? "(" + defs + ")" : string.Empty)} {{{body} }}";
    }

    /// <summary>Renames one copy's variables to match <see cref="Compose"/>.</summary>
    public static JsonObject Variables(IReadOnlyList<JsonObject> perCopy)
    {
        if (perCopy.Count == 1)
        {
            return perCopy[0];
        }

        var merged = new JsonObject();
        for (int i = 0; i < perCopy.Count; i++)
        {
            foreach ((string key, JsonNode? value) in perCopy[i])
            {
                merged[key + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value?.DeepClone();
            }
        }

        return merged;
    }

    /// <summary>The response key of copy <paramref name="index"/> of <paramref name="document"/> in a request of <paramref name="count"/> copies.</summary>
    public static string ResponseKey(string document, int count, int index)
    {
        if (count > 1)
        {
            return Alias(index);
        }

        string field = Split(document).Field.TrimStart();
        int colon = field.IndexOf(':', StringComparison.Ordinal);
        int paren = field.IndexOfAny(['(', ' ', '{']);
        return colon > 0 && colon < paren ? field[..colon].Trim() : field[..paren].Trim();
    }

    private static (string Keyword, string Name, string Variables, string Field) Split(string document)
    {
        Match match = HeaderPattern().Match(document);
        if (!match.Success)
        {
            throw new FormatException("The document is not a single named operation.");
        }

        int open = match.Index + match.Length;
        int close = document.LastIndexOf('}');
        return (match.Groups["kw"].Value, match.Groups["name"].Value, match.Groups["vars"].Value, document[open..close].Trim());
    }

    [GeneratedRegex(@"^(?<kw>query|mutation)\s+(?<name>\w+)\s*(\((?<vars>[^)]*)\))?\s*\{", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"\$\w+", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();
}
