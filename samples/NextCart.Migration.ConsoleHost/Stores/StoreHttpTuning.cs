using NextCart.Migration.Http;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>The HTTP settings every REST/GraphQL store spec shares: retries from the environment, and no request pacing on loopback.</summary>
internal static class StoreHttpTuning
{
    public static void Apply(StoreHttpOptions http, ConnectorContext context, Uri url)
    {
        if (context.Environment("NEXTCART_HTTP_MAX_RETRIES") is { Length: > 0 } retries)
        {
            http.MaxRetries = int.TryParse(retries, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value)
                ? value
                : throw CliException.Configuration($"NEXTCART_HTTP_MAX_RETRIES='{retries}' must be a whole number.");
        }

        // A store on this machine (a sandbox) is not rate limited like a hosted one; a Shopify shop is paced by its cost bucket.
        if (IsLoopback(url))
        {
            http.RequestsPerSecond = 500;
            http.Burst = 100;
        }
    }

    public static bool IsLoopback(Uri url) => url.IsLoopback || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase);
}
