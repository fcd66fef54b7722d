using System.Security.Cryptography;
using System.Text;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

/// <summary>
/// An independent OAuth 1.0a one-legged signer (RFC 5849 §3.4), written from the RFC rather than sharing the sandbox's code, so
/// the tests check the sandbox against the specification.
/// </summary>
internal static class OAuthTestSigner
{
    public static SortedDictionary<string, string> Parameters(string consumerKey, string method, long timestamp, string nonce) => new(StringComparer.Ordinal)
    {
        ["oauth_consumer_key"] = consumerKey,
        ["oauth_nonce"] = nonce,
        ["oauth_signature_method"] = method,
        ["oauth_timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Signs a request: <paramref name="url"/> may carry a query, whose parameters are signed too.</summary>
    public static string Signature(string httpMethod, Uri url, IDictionary<string, string> oauth, string consumerSecret, string signatureMethod)
    {
        List<(string Key, string Value)> all = [.. oauth.Select(p => (p.Key, p.Value))];
        string query = url.Query.TrimStart('?');
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            all.Add((Uri.UnescapeDataString(parts[0].Replace('+', ' ')), parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : string.Empty));
        }

        string normalized = string.Join("&", all
            .Select(p => (Key: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        string baseUri = url.GetLeftPart(UriPartial.Path);
        string baseString = httpMethod.ToUpperInvariant() + "&" + Uri.EscapeDataString(baseUri) + "&" + Uri.EscapeDataString(normalized);
        byte[] key = Encoding.ASCII.GetBytes(Uri.EscapeDataString(consumerSecret) + "&");
        byte[] data = Encoding.ASCII.GetBytes(baseString);
        byte[] hash = signatureMethod == "HMAC-SHA256" ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);
        return Convert.ToBase64String(hash);
    }

    public static string Header(IDictionary<string, string> oauth, string signature)
        => "OAuth " + string.Join(", ", oauth.Append(new("oauth_signature", signature)).Select(p => $"{Uri.EscapeDataString(p.Key)}=\"{Uri.EscapeDataString(p.Value)}\""));

    public static string Query(IDictionary<string, string> oauth, string signature)
        => string.Join("&", oauth.Append(new("oauth_signature", signature)).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
