using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using NextCart.Migration.Http.Internal;

namespace NextCart.Migration.Http;

/// <summary>
/// Removes secrets (API keys, tokens, passwords, signatures) from URIs, headers and free text before they reach a log, an exception
/// message or a report.
/// </summary>
/// <remarks>
/// Redaction works on names and shapes: values of sensitive query, form and JSON parameters (<see cref="SensitiveParameterNames"/>),
/// values of sensitive headers (<see cref="SensitiveHeaderNames"/>), user information in URIs, <c>Bearer</c> and <c>Basic</c> credentials,
/// and the shapes of WooCommerce (<c>ck_…</c>, <c>cs_…</c>) and Shopify (<c>shpat_…</c>) keys. Secrets that have none of these marks can
/// still be removed by passing them as known secrets to <see cref="Redact(string?, IEnumerable{string}?)"/>. Every member is thread-safe.
/// </remarks>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Mask = StoreHttpConstants.Mask;

    /// <summary>The shortest known secret that <see cref="Redact(string?, IEnumerable{string}?)"/> replaces; shorter values cannot be told apart from ordinary text.</summary>
    public const int MinimumKnownSecretLength = 4;

    private static readonly FrozenSet<string> HeaderNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Authorization",
        "Proxy-Authorization",
        "X-Shopify-Access-Token",
        "X-Shopify-Storefront-Access-Token",
        "X-Auth-Token",
        "X-Api-Key",
        "Api-Key",
        "X-WP-Nonce",
        "Cookie",
        "Set-Cookie");

    private static readonly FrozenSet<string> ParameterNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "consumer_key",
        "consumer_secret",
        "oauth_consumer_key",
        "oauth_signature",
        "oauth_token",
        "oauth_token_secret",
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "api_key",
        "apikey",
        "api_secret",
        "private_key",
        "password",
        "token",
        "secret",
        "hmac");

    /// <summary>Gets the names of headers whose values are always secret, compared without regard to case.</summary>
    /// <value><c>Authorization</c>, <c>Proxy-Authorization</c>, <c>X-Shopify-Access-Token</c>, <c>X-Auth-Token</c>, API-key headers and cookies.</value>
    public static IReadOnlyCollection<string> SensitiveHeaderNames => HeaderNames;

    /// <summary>Gets the names of query, form and JSON parameters whose values are always secret, compared without regard to case.</summary>
    /// <value><c>consumer_key</c>, <c>consumer_secret</c>, <c>oauth_signature</c>, <c>access_token</c>, <c>password</c> and similar names.</value>
    public static IReadOnlyCollection<string> SensitiveParameterNames => ParameterNames;

    /// <summary>Gets whether a header's value is secret.</summary>
    /// <param name="name">The header name.</param>
    /// <returns><see langword="true"/> when the value must never be shown.</returns>
    public static bool IsSensitiveHeader(string name) => name is not null && HeaderNames.Contains(name);

    /// <summary>Gets whether a query, form or JSON parameter's value is secret.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns><see langword="true"/> when the value must never be shown.</returns>
    public static bool IsSensitiveParameter(string name) => name is not null && ParameterNames.Contains(name);

    /// <summary>
    /// Formats a URI for a log or a message: user information and the values of sensitive query parameters are replaced with
    /// <see cref="Mask"/>, and the fragment is dropped.
    /// </summary>
    /// <param name="uri">The URI, absolute or relative.</param>
    /// <returns>The redacted URI, or an empty string when <paramref name="uri"/> is <see langword="null"/>.</returns>
    public static string RedactUri(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        if (!uri.IsAbsoluteUri)
        {
            return Redact(uri.OriginalString);
        }

        StringBuilder builder = new(uri.Scheme);
        builder.Append("://");
        if (uri.UserInfo.Length > 0)
        {
            builder.Append(Mask).Append('@');
        }

        builder.Append(uri.Authority).Append(uri.AbsolutePath);
        string query = uri.Query;
        if (query.Length > 1)
        {
            builder.Append('?');
            string[] parameters = query[1..].Split('&');
            for (int i = 0; i < parameters.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append('&');
                }

                string parameter = parameters[i];
                int equals = parameter.IndexOf('=', StringComparison.Ordinal);
                string name = equals < 0 ? parameter : parameter[..equals];
                if (equals >= 0 && IsSensitiveParameter(Unescape(name)))
                {
                    builder.Append(name).Append('=').Append(Mask);
                }
                else
                {
                    builder.Append(parameter);
                }
            }
        }

        return RedactShapes(builder.ToString());
    }

    /// <summary>Formats headers for a log or a message, replacing the values of sensitive headers with <see cref="Mask"/>.</summary>
    /// <param name="headers">The headers, such as <see cref="System.Net.Http.Headers.HttpHeaders"/>.</param>
    /// <returns>One entry per header, its values joined with <c>", "</c>.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> RedactHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        List<KeyValuePair<string, string>> redacted = [];
        foreach (KeyValuePair<string, IEnumerable<string>> header in headers)
        {
            string value = IsSensitiveHeader(header.Key) ? Mask : Redact(string.Join(", ", header.Value));
            redacted.Add(new(header.Key, value));
        }

        return redacted;
    }

    /// <summary>
    /// Collects the secrets a request carries: the values of sensitive headers (and the user name and password inside <c>Basic</c>
    /// credentials) and of sensitive query parameters. Pass them to <see cref="Redact(string?, IEnumerable{string}?)"/> to remove them from
    /// text the store sent back, such as an error message that echoes a key.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The secrets, possibly empty.</returns>
    public static IReadOnlyList<string> FindSecrets(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<string> secrets = [];
        foreach (KeyValuePair<string, HeaderStringValues> header in request.Headers.NonValidated)
        {
            if (!IsSensitiveHeader(header.Key))
            {
                continue;
            }

            foreach (string value in header.Value)
            {
                AddHeaderSecrets(secrets, value);
            }
        }

        if (request.RequestUri is { } uri)
        {
            string query = uri.IsAbsoluteUri ? uri.Query : uri.OriginalString[Math.Max(0, uri.OriginalString.IndexOf('?', StringComparison.Ordinal))..];
            foreach (string parameter in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && IsSensitiveParameter(Unescape(parameter[..equals])))
                {
                    string value = parameter[(equals + 1)..];
                    secrets.Add(value);
                    secrets.Add(Unescape(value));
                }
            }
        }

        return [.. secrets.Where(s => s.Length >= MinimumKnownSecretLength).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Removes secrets from free text, such as an error body or an exception message: every known secret, the values of sensitive
    /// parameters and headers written as <c>name=value</c>, <c>"name": "value"</c> or <c>Name: value</c>, <c>Bearer</c> and <c>Basic</c>
    /// credentials, and values shaped like WooCommerce or Shopify keys.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="knownSecrets">
    /// Secrets to remove wherever they appear, such as the consumer secret or access token in use, also in their URI-escaped form.
    /// Values shorter than <see cref="MinimumKnownSecretLength"/> are ignored.
    /// </param>
    /// <returns>The text with every secret replaced by <see cref="Mask"/>; an empty string when <paramref name="text"/> is <see langword="null"/>.</returns>
    public static string Redact(string? text, IEnumerable<string>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (knownSecrets is not null)
        {
            List<string> secrets = [];
            foreach (string? secret in knownSecrets)
            {
                if (secret is { Length: >= MinimumKnownSecretLength })
                {
                    secrets.Add(secret);
                    string escaped = Uri.EscapeDataString(secret);
                    if (!string.Equals(escaped, secret, StringComparison.Ordinal))
                    {
                        secrets.Add(escaped);
                    }
                }
            }

            // Longest first, so a secret that contains another is removed whole.
            foreach (string secret in secrets.OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = ParameterPattern().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        text = JsonPattern().Replace(text, m => m.Groups["head"].Value + Mask + "\"");
        text = HeaderPattern().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        return RedactShapes(text);
    }

    private static string RedactShapes(string text)
    {
        text = SchemePattern().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        return KeyShapePattern().Replace(text, Mask);
    }

    private static void AddHeaderSecrets(List<string> secrets, string value)
    {
        value = value.Trim();
        secrets.Add(value);
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return;
        }

        // "Scheme credentials": the credentials alone, and for Basic the user name and password inside them.
        string credentials = value[(space + 1)..].Trim();
        secrets.Add(credentials);
        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
                int colon = decoded.IndexOf(':', StringComparison.Ordinal);
                secrets.Add(decoded);
                if (colon >= 0)
                {
                    secrets.Add(decoded[..colon]);
                    secrets.Add(decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
            }
        }
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    // name=value in query strings and form bodies (also URL-encoded '=').
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_])(?<name>consumer_key|consumer_secret|oauth_consumer_key|oauth_signature|oauth_token_secret|oauth_token|access_token|refresh_token|id_token|client_secret|api_key|apikey|api_secret|private_key|password|token|secret|hmac)(?<sep>=|%3[Dd])(?!\[REDACTED\])[^&\s""'<>#,;]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();

    // "name": "value" in JSON.
    [GeneratedRegex(
        @"(?<head>""(?:consumer_key|consumer_secret|oauth_consumer_key|oauth_signature|oauth_token_secret|oauth_token|access_token|refresh_token|id_token|client_secret|api_key|apikey|api_secret|private_key|password|token|secret|hmac|accessToken|refreshToken|clientSecret|apiKey)""\s*:\s*"")(?:[^""\\]|\\.)*""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonPattern();

    // Name: value for sensitive headers written out in text.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_-])(?<name>Authorization|Proxy-Authorization|X-Shopify-Access-Token|X-Shopify-Storefront-Access-Token|X-Auth-Token|X-Api-Key|Api-Key|X-WP-Nonce|Cookie|Set-Cookie)(?<sep>""?\s*[:=]\s*""?)(?!\[REDACTED\])[^\r\n"",}]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    // Bearer/Basic credentials wherever they appear.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_-])(?<scheme>Bearer|Basic)\s+(?!\[REDACTED\])[A-Za-z0-9\-._~+/]{8,}=*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    // WooCommerce REST keys (ck_/cs_ + 40 hex) and Shopify tokens (shpat_/shpca_/shppa_/shpss_/shpua_ + 32 hex).
    [GeneratedRegex(
        @"(?<![A-Za-z0-9])(?:(?:ck|cs)_[0-9a-fA-F]{20,}|shp(?:at|ca|pa|ss|ua)_[0-9a-fA-F]{20,})(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyShapePattern();
}
