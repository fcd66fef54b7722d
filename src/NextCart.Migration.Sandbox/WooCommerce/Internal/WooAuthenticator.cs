using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The credentials a sandbox accepts.</summary>
internal sealed record WooCredentials(string ConsumerKey, string ConsumerSecret, string UserName, string UserEmail, string ApplicationPassword, WooCommerceKeyPermissions Permissions);

/// <summary>
/// Authenticates a request the way WordPress with WooCommerce does it, in the same order:
/// <list type="number">
/// <item><description>
/// <c>WC_REST_Authentication</c> on <c>wc/</c> routes: query-string <c>consumer_key</c>/<c>consumer_secret</c> or HTTP Basic
/// (only over HTTPS in a real store; the sandbox allows it on loopback HTTP unless told otherwise), then OAuth 1.0a one-legged.
/// An unknown consumer key over Basic is not an error by itself; a wrong secret is.
/// </description></item>
/// <item><description>
/// WordPress application passwords (<c>wp_validate_application_password</c>) for any route when nobody is logged in yet and a
/// Basic header is present: an unknown user is <c>invalid_username</c>, a wrong password <c>incorrect_password</c>, both 401.
/// </description></item>
/// </list>
/// A WooCommerce error takes precedence over an application-password error (<c>rest_authentication_errors</c> order).
/// The messages are those of <c>WC_REST_Authentication</c> (<c>includes/rest-api/class-wc-rest-authentication.php</c>), read in
/// WooCommerce's source through the code search.
/// </summary>
internal sealed class WooAuthenticator
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly string[] OAuthParams = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"];
    private readonly WooCredentials _credentials;
    private readonly WooTime _time;
    private readonly bool _requireHttpsForBasic;
    private readonly Lock _nonceGate = new();
    private readonly Dictionary<string, long> _nonces = new(StringComparer.Ordinal);

    public WooAuthenticator(WooCredentials credentials, WooTime time, bool requireHttpsForBasic)
    {
        _credentials = credentials;
        _time = time;
        _requireHttpsForBasic = requireHttpsForBasic;
    }

    /// <summary>Sets <see cref="WooRequest.Auth"/>; throws the authentication error WordPress would answer with.</summary>
    public void Authenticate(HttpRequest http, WooRequest request, IReadOnlyList<KeyValuePair<string, string>> queryPairs, IReadOnlyList<KeyValuePair<string, string>> formPairs)
    {
        bool wcRoute = request.Route.StartsWith("/wc/", StringComparison.OrdinalIgnoreCase) || request.Route.StartsWith("/wc-", StringComparison.OrdinalIgnoreCase);
        (string User, string Password)? basic = ParseBasic(http.Headers.Authorization.ToString());
        RestException? wooError = null;
        AuthKind user = AuthKind.None;
        if (wcRoute)
        {
            if (http.IsHttps || !_requireHttpsForBasic)
            {
                (user, wooError) = PerformBasic(request, basic);
            }

            if (user == AuthKind.None)
            {
                (AuthKind oauthUser, RestException? oauthError) = PerformOAuth(http, request, queryPairs, formPairs);
                user = oauthUser;
                wooError ??= oauthError;
            }
        }

        RestException? applicationError = null;
        if (user == AuthKind.None && basic is { } credentials)
        {
            (user, applicationError) = PerformApplicationPassword(credentials.User, credentials.Password);
        }

        if (wooError is not null)
        {
            throw wooError;
        }

        if (applicationError is not null)
        {
            throw applicationError;
        }

        request.Auth = user;
        if (user == AuthKind.WooCommerceKey)
        {
            CheckKeyPermissions(request.Method);
        }
    }

    private (AuthKind, RestException?) PerformBasic(WooRequest request, (string User, string Password)? basic)
    {
        string? key = null;
        string? secret = null;
        if (Json.Str(request.Query["consumer_key"]) is { Length: > 0 } queryKey && Json.Str(request.Query["consumer_secret"]) is { Length: > 0 } querySecret)
        {
            key = queryKey;
            secret = querySecret;
        }
        else if (basic is { User.Length: > 0, Password.Length: > 0 } b)
        {
            key = b.User;
            secret = b.Password;
        }

        if (key is null || secret is null || !FixedEquals(key, _credentials.ConsumerKey))
        {
            return (AuthKind.None, null);
        }

        if (!FixedEquals(secret, _credentials.ConsumerSecret))
        {
            RestException error = new("woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401)
            {
                Headers = [new("WWW-Authenticate", "Basic realm=\"WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field.\"")],
            };
            return (AuthKind.None, error);
        }

        return (AuthKind.WooCommerceKey, null);
    }

    private (AuthKind, RestException?) PerformOAuth(HttpRequest http, WooRequest request, IReadOnlyList<KeyValuePair<string, string>> queryPairs, IReadOnlyList<KeyValuePair<string, string>> formPairs)
    {
        Dictionary<string, string> header = OAuth1.ParseHeader(http.Headers.Authorization.ToString());
        Dictionary<string, string> values = new(StringComparer.Ordinal);
        foreach ((string name, string value) in queryPairs.Concat(formPairs).Concat(header))
        {
            if (name.StartsWith("oauth_", StringComparison.Ordinal))
            {
                values[name] = value;
            }
        }

        List<string> missing = [.. OAuthParams.Where(p => !values.TryGetValue(p, out string? v) || v.Length == 0)];
        if (missing.Count == OAuthParams.Length)
        {
            return (AuthKind.None, null);
        }

        if (missing.Count > 0)
        {
            string label = missing.Count == 1 ? "Missing OAuth parameter " : "Missing OAuth parameters ";
            return (AuthKind.None, new RestException("woocommerce_rest_authentication_missing_parameter", label + string.Join(", ", missing), 401));
        }

        if (!FixedEquals(values["oauth_consumer_key"], _credentials.ConsumerKey))
        {
            return (AuthKind.None, new RestException("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401));
        }

        string method = values["oauth_signature_method"];
        if (method is not ("HMAC-SHA1" or "HMAC-SHA256"))
        {
            return (AuthKind.None, new RestException("woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.", 401));
        }

        // Every parameter is signed (RFC 5849 §3.4.1.3): the query, a form body and the header's oauth_* parameters.
        List<KeyValuePair<string, string>> signed = [.. queryPairs, .. formPairs];
        signed.AddRange(header.Where(p => p.Key.StartsWith("oauth_", StringComparison.Ordinal)));
        string path = http.PathBase.ToUriComponent() + http.Path.ToUriComponent();
        string baseUri = OAuth1.BaseUri(http.Scheme, http.Host.Host, http.Host.Port, path);
        string baseString = OAuth1.BaseString(http.Method, baseUri, signed);
        string expected = OAuth1.Sign(baseString, _credentials.ConsumerSecret, method);

        // WooCommerce reads the signature back with spaces turned into '+', for clients that did not encode it in the query.
        string given = values["oauth_signature"].Replace(' ', '+');
        if (!FixedEquals(expected, given))
        {
            return (AuthKind.None, new RestException("woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.", 401));
        }

        long now = _time.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (!long.TryParse(values["oauth_timestamp"], NumberStyles.Integer, CultureInfo.InvariantCulture, out long timestamp)
            || timestamp < now - (long)Window.TotalSeconds || timestamp > now + (long)Window.TotalSeconds)
        {
            return (AuthKind.None, new RestException("woocommerce_rest_authentication_error", "Invalid timestamp.", 401));
        }

        string nonce = values["oauth_nonce"];
        lock (_nonceGate)
        {
            foreach (string stale in _nonces.Where(n => n.Value < now - (long)Window.TotalSeconds).Select(n => n.Key).ToList())
            {
                _nonces.Remove(stale);
            }

            if (!_nonces.TryAdd(nonce, timestamp))
            {
                return (AuthKind.None, new RestException("woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.", 401));
            }
        }

        return (AuthKind.WooCommerceKey, null);
    }

    /// <summary>
    /// <c>wp_authenticate_application_password</c> (WordPress 5.6+, <c>wp-includes/user.php</c>): an unknown login is
    /// <c>invalid_username</c> (or <c>invalid_email</c>), a wrong password <c>incorrect_password</c>; every character but letters
    /// and digits is ignored, so the display spaces are optional. <c>rest_application_password_check_errors</c> answers them with 401.
    /// </summary>
    private (AuthKind, RestException?) PerformApplicationPassword(string user, string password)
    {
        bool known = string.Equals(user, _credentials.UserName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(user, _credentials.UserEmail, StringComparison.OrdinalIgnoreCase);
        if (!known)
        {
            return user.Contains('@', StringComparison.Ordinal)
                ? (AuthKind.None, new RestException("invalid_email", "<strong>Error:</strong> Unknown email address. Check again or try your username.", 401))
                : (AuthKind.None, new RestException("invalid_username", "<strong>Error:</strong> Unknown username. Check again or try your email address.", 401));
        }

        string Strip(string value) => new([.. value.Where(char.IsAsciiLetterOrDigit)]);
        return FixedEquals(Strip(password), Strip(_credentials.ApplicationPassword))
            ? (AuthKind.ApplicationPassword, null)
            : (AuthKind.None, new RestException("incorrect_password", "The provided password is an invalid application password.", 401));
    }

    private void CheckKeyPermissions(string method)
    {
        WooCommerceKeyPermissions permissions = _credentials.Permissions;
        bool read = permissions is WooCommerceKeyPermissions.Read or WooCommerceKeyPermissions.ReadWrite;
        bool write = permissions is WooCommerceKeyPermissions.Write or WooCommerceKeyPermissions.ReadWrite;
        switch (method)
        {
            case "GET" or "HEAD" when !read:
                throw new RestException("woocommerce_rest_authentication_error", "The API key provided does not have read permissions.", 401);
            case "POST" or "PUT" or "PATCH" or "DELETE" when !write:
                throw new RestException("woocommerce_rest_authentication_error", "The API key provided does not have write permissions.", 401);
        }
    }

    private static (string User, string Password)? ParseBasic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (decoded, string.Empty) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool FixedEquals(string a, string b)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>Gets the query-string pairs as sent, for signatures.</summary>
    public static List<KeyValuePair<string, string>> Pairs(string rawQuery) => [.. WooRequest.SplitQuery(rawQuery)];
}
