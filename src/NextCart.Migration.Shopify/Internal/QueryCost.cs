using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>
/// Predicts the <c>requestedQueryCost</c> Shopify computes for a document before it is sent, with the published rules
/// (shopify.dev, "API rate limits", calculated query cost): a scalar or enum field costs 0, an object field 1, a connection
/// (a field with a <c>first</c> or <c>last</c> argument) 2 plus the number of nodes it asks for, and everything selected under a
/// connection is multiplied by that number; a mutation field costs 10 and its payload selection nothing. <c>productSet</c> adds
/// 0.2 per variant, 1.9 per file and 0.4 per metafield of the product or its variants, rounded up. The <c>nodes</c>, <c>edges</c>, <c>node</c> and <c>pageInfo</c> wrappers of a
/// connection are part of the connection's price.
/// </summary>
internal static class QueryCost
{
    public const int MutationCost = 10;

    /// <summary>Predicts the cost of a document with its variables.</summary>
    public static int Predict(string document, JsonObject? variables)
    {
        var parser = new Parser(document, variables);
        return (int)Math.Ceiling(parser.ParseDocument() - 1e-9);
    }

    private sealed class Parser
    {
        private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal) { "nodes", "edges", "node", "pageInfo" };
        private readonly string _text;
        private readonly JsonObject? _variables;
        private int _pos;

        public Parser(string text, JsonObject? variables)
        {
            _text = text;
            _variables = variables;
        }

        public double ParseDocument()
        {
            double total = 0;
            while (Peek() is { } token)
            {
                bool mutation = token == "mutation";
                if (token is "query" or "mutation")
                {
                    Next();
                    if (Peek() is { } name && name != "{" && name != "(")
                    {
                        Next();
                    }

                    if (Peek() == "(")
                    {
                        SkipBalanced("(", ")");
                    }
                }

                total += ParseSelectionSet(mutation ? Level.Mutation : Level.Query, null);
            }

            return total;
        }

        private enum Level
        {
            Query = 0,
            Mutation = 1,
            Nested = 2,
        }

        private double ParseSelectionSet(Level level, string? mutationField)
        {
            Expect("{");
            double total = 0;
            while (Peek() != "}")
            {
                string token = Next();
                if (token == "...")
                {
                    if (Peek() == "on")
                    {
                        Next();
                        Next();
                    }

                    total += ParseSelectionSet(level, mutationField);
                    continue;
                }

                string name = token;
                if (Peek() == ":")
                {
                    Next();
                    name = Next();
                }

                Dictionary<string, JsonNode?> args = Peek() == "(" ? ParseArguments() : [];
                bool hasSelection = Peek() == "{";
                int? size = Size(args);
                if (level == Level.Mutation)
                {
                    // A mutation field costs 10 whatever it selects; its payload is not priced.
                    // Each mutation field is priced, and rounded up, on its own (so an aliased batch costs the sum of the rounded costs).
                    total += Math.Ceiling(MutationCost + (name == "productSet" ? ProductSetExtra(args) : 0) - 1e-9);
                    if (hasSelection)
                    {
                        _ = ParseSelectionSet(Level.Nested, name);
                    }

                    continue;
                }

                if (!hasSelection)
                {
                    continue;
                }

                if (size is { } n)
                {
                    total += 2 + n + (n * ParseSelectionSet(Level.Nested, mutationField));
                }
                else if (Wrappers.Contains(name))
                {
                    total += ParseSelectionSet(Level.Nested, mutationField);
                }
                else
                {
                    total += 1 + ParseSelectionSet(Level.Nested, mutationField);
                }
            }

            Expect("}");
            return total;
        }

        private static int? Size(Dictionary<string, JsonNode?> args)
        {
            foreach (string key in (string[])["first", "last"])
            {
                if (args.TryGetValue(key, out JsonNode? value) && value is JsonValue v && v.TryGetValue(out int n))
                {
                    return n;
                }
            }

            return null;
        }

        private static double ProductSetExtra(Dictionary<string, JsonNode?> args)
        {
            if (!args.TryGetValue("input", out JsonNode? input) || input is not JsonObject product)
            {
                return 0;
            }

            var variantList = product["variants"] as JsonArray;
            int variants = variantList?.Count ?? 0;
            int variantMetafields = variantList?.Sum(v => (v?["metafields"] as JsonArray)?.Count ?? 0) ?? 0;
            int files = (product["files"] as JsonArray)?.Count ?? 0;
            int metafields = (product["metafields"] as JsonArray)?.Count ?? 0;
            return (variants * 0.2) + (files * 1.9) + ((metafields + variantMetafields) * 0.4);
        }

        private Dictionary<string, JsonNode?> ParseArguments()
        {
            var args = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            Expect("(");
            while (Peek() != ")")
            {
                string name = Next();
                Expect(":");
                args[name] = ParseValue();
            }

            Expect(")");
            return args;
        }

        private JsonNode? ParseValue()
        {
            string token = Next();
            if (token == "$")
            {
                string name = Next();
                return _variables is not null && _variables.TryGetPropertyValue(name, out JsonNode? value) ? value?.DeepClone() : null;
            }

            if (token == "{")
            {
                var obj = new JsonObject();
                while (Peek() != "}")
                {
                    string key = Next();
                    Expect(":");
                    obj[key] = ParseValue();
                }

                Expect("}");
                return obj;
            }

            if (token == "[")
            {
                var list = new JsonArray();
                while (Peek() != "]")
                {
                    list.Add(ParseValue());
                }

                Expect("]");
                return list;
            }

            if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
            {
                return JsonValue.Create(n);
            }

            return token.StartsWith('"') ? JsonValue.Create(token.Trim('"')) : null;
        }

        private void SkipBalanced(string open, string close)
        {
            int depth = 0;
            do
            {
                string token = Next();
                if (token == open)
                {
                    depth++;
                }
                else if (token == close)
                {
                    depth--;
                }
            }
            while (depth > 0);
        }

        private void Expect(string token)
        {
            string actual = Next();
            if (actual != token)
            {
                throw new FormatException($"Expected '{token}' at {_pos} but found '{actual}'.");
            }
        }

        private string Next() => Read(advance: true) ?? throw new FormatException("Unexpected end of the GraphQL document.");

        private string? Peek() => Read(advance: false);

        private string? Read(bool advance)
        {
            int i = _pos;
            while (i < _text.Length && (char.IsWhiteSpace(_text[i]) || _text[i] == ','))
            {
                i++;
            }

            if (i >= _text.Length)
            {
                _pos = advance ? i : _pos;
                return null;
            }

            int start = i;
            char c = _text[i];
            if (c == '.' && i + 2 < _text.Length && _text[i + 1] == '.' && _text[i + 2] == '.')
            {
                i += 3;
            }
            else if (c == '"')
            {
                i++;
                while (i < _text.Length && _text[i] != '"')
                {
                    i += _text[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (char.IsLetterOrDigit(c) || c == '_' || c == '-')
            {
                while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] is '_' or '-' or '.'))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            string token = _text[start..i];
            if (advance)
            {
                _pos = i;
            }

            return token;
        }
    }
}
