namespace NextCart.Migration.Shopify.Internal;

internal static class ShopifyConstants
{
    public const string ProviderId = "shopify";
    public const string ApiVersion = "2026-01";
    public const string GraphQLPath = "admin/api/" + ApiVersion + "/graphql.json";
    public const string AccessTokenHeader = "X-Shopify-Access-Token";
    public const int MaxPageSize = 250;
    public const int MaxQueryCost = 1000;
    public const int DefaultBucketSize = 1000;
    public const double DefaultRestoreRate = 50;
    public const int MaxConcurrencyLimit = 32;
    public const int MaxBatchSize = 250;
    public const int MaxMetafieldsPerSet = 25;
    public const int MaxVariants = 2048;
    public const int MaxOptions = 3;
    public const string SourceIdType = "single_line_text_field";
    public const string ReviewNamespace = "nextcart_reviews";
}
