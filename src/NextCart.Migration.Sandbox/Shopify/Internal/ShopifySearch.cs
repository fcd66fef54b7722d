using System.Globalization;
using System.Text;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>
/// Shopify's search syntax (platforms.md §2.2; shopify.dev "Search syntax"): space-separated terms joined by AND,
/// <c>field:value</c>, comparators <c>:&gt;</c>, <c>:&gt;=</c>, <c>:&lt;</c>, <c>:&lt;=</c>, quoted values, comma lists
/// (<c>handle:a,b</c>) and a leading <c>-</c> or <c>NOT</c> for negation. A filter the resource does not know is ignored, as
/// Shopify ignores unsupported filters; a bare word matches the title.
/// </summary>
internal sealed class ShopifySearch
{
    private readonly List<Term> _terms;

    private ShopifySearch(List<Term> terms)
    {
        _terms = terms;
    }

    /// <summary>Reads one field of a record: a string, strings, a number, a date, a boolean, or <see langword="null"/> when the record has no such filter.</summary>
    public delegate object? FieldReader(string field);

    public static ShopifySearch Parse(string? query)
    {
        List<Term> terms = [];
        if (string.IsNullOrWhiteSpace(query))
        {
            return new ShopifySearch(terms);
        }

        foreach (string token in Tokenize(query))
        {
            string text = token;
            bool negate = false;
            if (text.StartsWith('-') && text.Length > 1)
            {
                negate = true;
                text = text[1..];
            }

            if (text is "AND" or "OR")
            {
                continue;
            }

            if (text == "NOT")
            {
                continue;
            }

            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                terms.Add(new Term(null, "=", Unquote(text), negate));
                continue;
            }

            string field = text[..colon].ToLowerInvariant();
            string rest = text[(colon + 1)..];
            string op = "=";
            foreach (string candidate in new[] { ">=", "<=", ">", "<" })
            {
                if (rest.StartsWith(candidate, StringComparison.Ordinal))
                {
                    op = candidate;
                    rest = rest[candidate.Length..];
                    break;
                }
            }

            terms.Add(new Term(field, op, Unquote(rest), negate));
        }

        return new ShopifySearch(terms);
    }

    public bool Matches(FieldReader read)
    {
        foreach (Term term in _terms)
        {
            object? value = read(term.Field ?? "default");
            if (value is null)
            {
                continue; // An unsupported filter is ignored.
            }

            bool match = Match(value, term);
            if (match == term.Negate)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Match(object value, Term term)
    {
        switch (value)
        {
            case Missing:
                return false;
            case DateTimeOffset date:
                if (!TryDate(term.Value, out DateTimeOffset wanted))
                {
                    return false;
                }

                return Compare(date.CompareTo(wanted), term.Op);
            case long number:
                return long.TryParse(LastSegment(term.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long other) && Compare(number.CompareTo(other), term.Op);
            case bool flag:
                return bool.TryParse(term.Value, out bool b) && flag == b;
            case IEnumerable<string> many:
                return many.Any(v => MatchString(v, term));
            case string text:
                return MatchString(text, term);
            default:
                return MatchString(value.ToString() ?? string.Empty, term);
        }
    }

    private static bool MatchString(string text, Term term)
    {
        if (term.Op != "=")
        {
            return Compare(string.Compare(text, term.Value, StringComparison.OrdinalIgnoreCase), term.Op);
        }

        foreach (string option in term.Value.Split(','))
        {
            if (option.EndsWith('*') ? text.StartsWith(option[..^1], StringComparison.OrdinalIgnoreCase) : string.Equals(text, option, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Compare(int comparison, string op) => op switch
    {
        ">" => comparison > 0,
        ">=" => comparison >= 0,
        "<" => comparison < 0,
        "<=" => comparison <= 0,
        _ => comparison == 0,
    };

    private static string LastSegment(string value)
    {
        int slash = value.LastIndexOf('/');
        return slash >= 0 ? value[(slash + 1)..] : value;
    }

    private static bool TryDate(string value, out DateTimeOffset date)
    {
        if (string.Equals(value, "now", StringComparison.OrdinalIgnoreCase))
        {
            date = DateTimeOffset.MaxValue;
            return false;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0])
        {
            return value[1..^1];
        }

        return value;
    }

    private static List<string> Tokenize(string query)
    {
        List<string> tokens = [];
        StringBuilder current = new();
        char quote = '\0';
        foreach (char c in query)
        {
            if (quote != '\0')
            {
                current.Append(c);
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>A value for a known filter the record has no value for: no comparison matches it.</summary>
    public sealed class Missing
    {
        public static readonly Missing Value = new();

        private Missing()
        {
        }
    }

    private sealed record Term(string? Field, string Op, string Value, bool Negate);
}
