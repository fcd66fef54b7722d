using System.Net;

namespace NextCart.Migration.Http.Internal;

/// <summary>The transport rule: remote stores need https; plain http only reaches loopback hosts unless explicitly allowed.</summary>
internal static class TransportSecurity
{
    public static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }

        string host = uri.IdnHost;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Gets whether a request to <paramref name="uri"/> is allowed: https, or http to a loopback host or with the explicit opt-in.</summary>
    public static bool IsAllowed(Uri uri, bool allowInsecureHttp)
        => !uri.IsAbsoluteUri
            || string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && (allowInsecureHttp || IsLoopback(uri)));

    public static string InsecureMessage(string optionName, Uri uri)
        => $"{optionName} '{SecretRedactor.RedactUri(uri)}' uses plain http, which would send the store's credentials unencrypted. "
            + "Use https://, or set AllowInsecureHttp to true to accept that risk (only for a store on a network you trust). "
            + "Plain http is allowed without it only for loopback hosts (localhost, 127.0.0.0/8, ::1).";
}
