using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>
/// OAuth 1.0a signatures as RFC 5849 §3.4 defines them: the base string is the upper-case method, the encoded base string URI
/// (scheme and host in lower case, the port only when not the default, no query) and the encoded, sorted, normalized
/// parameters (query, form body and <c>Authorization</c> header, without <c>oauth_signature</c> and <c>realm</c>).
/// </summary>
internal static class OAuth1
{
    /// <summary>RFC 3986 percent-encoding: everything but <c>A-Z a-z 0-9 - . _ ~</c> is encoded, in upper-case hex.</summary>
    public static string Encode(string value)
    {
        StringBuilder builder = new(value.Length * 2);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
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

    /// <summary>The base string URI of RFC 5849 §3.4.1.2.</summary>
    public static string BaseUri(string scheme, string host, int? port, string path)
    {
        scheme = scheme.ToLowerInvariant();
        host = host.ToLowerInvariant();
        bool defaultPort = port is null || (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
        string authority = defaultPort ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        return $"{scheme}://{authority}{(path.Length == 0 ? "/" : path)}";
    }

    /// <summary>The signature base string of RFC 5849 §3.4.1.</summary>
    public static string BaseString(string method, string baseUri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        IEnumerable<string> normalized = parameters
            .Where(p => p.Key is not ("oauth_signature" or "realm"))
            .Select(p => (Name: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value);
        return method.ToUpperInvariant() + "&" + Encode(baseUri) + "&" + Encode(string.Join("&", normalized));
    }

    /// <summary>Signs a base string with HMAC-SHA1 or HMAC-SHA256 and the key <c>consumer_secret&amp;</c> (no token secret).</summary>
    public static string Sign(string baseString, string consumerSecret, string signatureMethod)
    {
        byte[] key = Encoding.UTF8.GetBytes(Encode(consumerSecret) + "&");
        byte[] data = Encoding.UTF8.GetBytes(baseString);
        byte[] hash = signatureMethod == "HMAC-SHA256" ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);
        return Convert.ToBase64String(hash);
    }

    /// <summary>Parses an <c>Authorization: OAuth …</c> header into its decoded parameters.</summary>
    public static Dictionary<string, string> ParseHeader(string header)
    {
        Dictionary<string, string> result = new(StringComparer.Ordinal);
        string text = header.Trim();
        if (!text.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase))
        {
            return result;
        }

        foreach (string part in text[6..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string name = Uri.UnescapeDataString(part[..eq].Trim());
            string value = part[(eq + 1)..].Trim().Trim('"');
            result[name] = Uri.UnescapeDataString(value);
        }

        return result;
    }
}
