using System.Net;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Http;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>The shared connector check: credentials, URL and permissions, with messages that say what to fix and carry no secret.</summary>
internal static class WooCommerceCheck
{
    public static async ValueTask<ConnectorCheck> RunAsync(WooCommerceClient client, ILogger logger, CancellationToken cancellationToken)
    {
        ConnectorCheck check = await RunCoreAsync(client, cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            Log.CheckFailed(logger, check.Category ?? FailureCategory.Configuration, check.Message ?? string.Empty);
        }

        return check;
    }

    private static async ValueTask<ConnectorCheck> RunCoreAsync(WooCommerceClient client, CancellationToken cancellationToken)
    {
        string store = client.StoreIdentity;
        try
        {
            HttpResponseMessage response = await client.SendRawAsync(HttpMethod.Get, WooApi.WooCommerce, "settings/general", null, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // Some hosts and emulators hide the settings routes; a one-record product list proves the key and the URL as well.
                response.Dispose();
                response = await client.SendRawAsync(HttpMethod.Get, WooApi.WooCommerce, "products", [new("per_page", "1"), new("_fields", "id")], null, cancellationToken).ConfigureAwait(false);
            }

            using HttpResponseMessage _ = response;
            if (response.IsSuccessStatusCode)
            {
                return ConnectorCheck.Passed(store);
            }

            StoreHttpException failure = await HttpFailureClassifier.ClassifyAsync(response, client.TimeProvider, cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => ConnectorCheck.Failed(
                    FailureCategory.Authentication,
                    $"The store {store} refused the consumer key/secret. Check ConsumerKey and ConsumerSecret (WooCommerce > Settings > Advanced > REST API){(client.Options.AuthMode == WooCommerceAuthMode.Basic ? "; if the server drops the Authorization header (\"Consumer key is missing\"), set AuthMode to QueryString" : string.Empty)}."),
                HttpStatusCode.Forbidden => ConnectorCheck.Failed(
                    FailureCategory.Permission,
                    $"The store {store} accepted the key but it lacks permission; give the REST API key Read/Write permission and a user who can manage WooCommerce."),
                HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Gone => ConnectorCheck.Failed(
                    FailureCategory.Configuration,
                    $"No WooCommerce REST API answered at {store}{WooCommerceConstants.ApiPath}. Check StoreUrl (the site's root URL), that WooCommerce is active and that pretty permalinks are on."),
                _ => ConnectorCheck.Failed(failure.Category, failure.Message),
            };
        }
        catch (MigrationException ex)
        {
            FailureCategory category = ex.Category == FailureCategory.Connection && !ex.IsTransient ? FailureCategory.Configuration : ex.Category;
            return ConnectorCheck.Failed(category, $"The store at {store} could not be reached: {SecretRedactor.Redact(ex.Message, Secrets(client))} Check StoreUrl.");
        }
    }

    public static IEnumerable<string> Secrets(WooCommerceClient client)
        => new[] { client.Options.ConsumerKey, client.Options.ConsumerSecret, client.Options.WordPressApplicationPassword }.OfType<string>();
}
