using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Http;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>The shared connector check: the token and the URL, with messages that say what to fix and carry no secret.</summary>
internal static class ShopifyCheck
{
    public static async ValueTask<ConnectorCheck> RunAsync(ShopifyClient client, ILogger logger, CancellationToken cancellationToken)
    {
        ConnectorCheck check;
        try
        {
            GraphResult result = await client.ExecuteAsync(ShopifyDocuments.Shop, null, cancellationToken).ConfigureAwait(false);
            string? domain = result.Field("shop").Str("myshopifyDomain");
            check = domain is null
                ? ConnectorCheck.Failed(FailureCategory.Configuration, $"{client.StoreIdentity} answered without a shop; check that ShopUrl is the shop's myshopify.com URL.")
                : ConnectorCheck.Passed(domain);
        }
        catch (MigrationConfigurationException ex)
        {
            check = ConnectorCheck.Failed(ex.Category, ex.Message);
        }
        catch (MigrationException ex) when (!ex.IsTransient)
        {
            FailureCategory category = ex.Category is FailureCategory.Connection or FailureCategory.Validation ? FailureCategory.Configuration : ex.Category;
            check = ConnectorCheck.Failed(category, $"The Shopify Admin API at {client.StoreIdentity} could not be used: {SecretRedactor.Redact(ex.Message, client.Secrets)} Check ShopUrl.");
        }

        if (!check.Succeeded)
        {
            Log.CheckFailed(logger, check.Category ?? FailureCategory.Configuration, check.Message ?? string.Empty);
        }

        return check;
    }
}
