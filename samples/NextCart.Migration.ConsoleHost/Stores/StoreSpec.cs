using System.Globalization;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>A parsed store spec such as <c>woocommerce:https://shop.example</c> or <c>sandbox:woocommerce?products=50</c>.</summary>
/// <param name="Scheme">The scheme: <c>woocommerce</c>, <c>shopify</c>, <c>sandbox:woocommerce</c>, <c>woocommerce-csv</c>…</param>
/// <param name="Value">What follows the scheme (a URL, a shop, a path), without the query of a sandbox spec.</param>
/// <param name="Query">The <c>?key=value&amp;…</c> parameters of a sandbox spec.</param>
internal sealed record StoreSpec(string Scheme, string Value, IReadOnlyDictionary<string, string> Query)
{
    public static StoreSpec Parse(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw CliException.Configuration($"{option} is empty; give a store such as woocommerce:https://shop.example or sandbox:woocommerce.");
        }

        text = text.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw CliException.Configuration($"{option} '{text}' is not a store spec; use SCHEME:VALUE, such as woocommerce:https://shop.example, shopify:SHOP.myshopify.com or sandbox:woocommerce.");
        }

        string scheme = text[..colon].ToLowerInvariant();
        string rest = text[(colon + 1)..];
        if (scheme != "sandbox")
        {
            return new StoreSpec(scheme, rest, new Dictionary<string, string>());
        }

        int question = rest.IndexOf('?', StringComparison.Ordinal);
        string kind = (question < 0 ? rest : rest[..question]).ToLowerInvariant();
        Dictionary<string, string> query = new(StringComparer.OrdinalIgnoreCase);
        if (question >= 0)
        {
            foreach (string pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                query[key] = Uri.UnescapeDataString(equals < 0 ? string.Empty : pair[(equals + 1)..]);
            }
        }

        return new StoreSpec("sandbox:" + kind, string.Empty, query);
    }

    public int GetInt(string key, int defaultValue, int min, int max)
    {
        if (!Query.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw CliException.Configuration($"{Scheme}: '{key}={text}' must be a whole number from {min} to {max}.");
        }

        return value;
    }
}
