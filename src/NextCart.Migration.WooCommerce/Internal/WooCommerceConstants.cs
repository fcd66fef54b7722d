namespace NextCart.Migration.WooCommerce.Internal;

internal static class WooCommerceConstants
{
    public const string ProviderId = "woocommerce";
    public const int MaxPageSize = 100;
    public const int MaxBatchSize = 100;
    public const int DefaultMaxConcurrency = 4;
    public const int MaxConcurrencyLimit = 32;
    public const string DefaultCurrency = "USD";
    public const string SourceIdMetaKey = "_nextcart_source_id";
    public const string ExtensionPrefix = "woocommerce.";
    public const string ApiPath = "wp-json/wc/v3/";
    public const string WordPressPath = "wp-json/wp/v2/";
    public const string RedirectionPath = "wp-json/redirection/v1/";
}
