using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>One-legged OAuth 1.0a request signing with HMAC-SHA256 (RFC 5849 §3.4), as WooCommerce accepts over plain HTTP.</summary>
internal static class OAuth1Signer
{
    public const string SignatureMethod = "HMAC-SHA256";
    private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Returns <paramref name="uri"/> with the OAuth parameters, signature included, appended to its query.</summary>
    public static Uri Sign(HttpMethod method, Uri uri, string consumerKey, string consumerSecret, TimeProvider timeProvider)
    {
        string nonce = CreateNonce();
        string timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Sign(method, uri, consumerKey, consumerSecret, nonce, timestamp);
    }

    public static Uri Sign(HttpMethod method, Uri uri, string consumerKey, string consumerSecret, string nonce, string timestamp)
    {
        List<KeyValuePair<string, string>> oauth =
        [
            new("oauth_consumer_key", consumerKey),
            new("oauth_nonce", nonce),
            new("oauth_signature_method", SignatureMethod),
            new("oauth_timestamp", timestamp),
        ];
        string signature = ComputeSignature(method.Method, uri, oauth, consumerSecret);
        var builder = new StringBuilder(uri.Query.TrimStart('?'));
        foreach (KeyValuePair<string, string> p in oauth.Append(new("oauth_signature", signature)))
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Encode(p.Key)).Append('=').Append(Encode(p.Value));
        }

        return new UriBuilder(uri) { Query = builder.ToString() }.Uri;
    }

    /// <summary>Computes the base64 HMAC-SHA256 signature of a request over its query and OAuth parameters.</summary>
    public static string ComputeSignature(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> oauthParameters, string consumerSecret)
    {
        string baseString = BuildBaseString(method, uri, oauthParameters);
        byte[] key = Encoding.ASCII.GetBytes(Encode(consumerSecret) + "&");
        byte[] hash = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(baseString));
        return Convert.ToBase64String(hash);
    }

    /// <summary>Builds the signature base string: method, base URI without query, and the sorted, encoded parameters.</summary>
    public static string BuildBaseString(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> oauthParameters)
    {
        IEnumerable<KeyValuePair<string, string>> all = ParseQuery(uri.Query).Concat(oauthParameters);
        string normalized = string.Join(
            "&",
            all.Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
               .OrderBy(p => p.Key, StringComparer.Ordinal)
               .ThenBy(p => p.Value, StringComparer.Ordinal)
               .Select(p => p.Key + "=" + p.Value));
        return string.Concat(method.ToUpperInvariant(), "&", Encode(BaseUri(uri)), "&", Encode(normalized));
    }

    /// <summary>The base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, the port only when not the default, the path, no query.</summary>
    public static string BaseUri(Uri uri)
    {
        string scheme = uri.Scheme.ToLowerInvariant();
        string host = uri.Host.ToLowerInvariant();
        string port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return $"{scheme}://{host}{port}{uri.AbsolutePath}";
    }

    /// <summary>Percent-encodes per RFC 3986 §2.1: every byte but the unreserved characters, with upper-case hex.</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseQuery(string query)
    {
        foreach (string part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? string.Empty : part[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(name.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }

    private static string CreateNonce() => RandomNumberGenerator.GetString(NonceAlphabet, 32);
}
