namespace NextCart.Migration.Shopify;

/// <summary>What the Shopify target does with product reviews, which Shopify's Admin API has no resource for.</summary>
public enum ShopifyReviewStorage
{
    /// <summary>Reviews are reported as unsupported and not written. The default.</summary>
    None = 0,

    /// <summary>
    /// Each review is stored as a <c>json</c> metafield of its product, in namespace <c>nextcart_reviews</c> with key
    /// <c>review_{source id}</c>. Themes and review apps do not show them by themselves; they keep the data for a later import.
    /// </summary>
    ProductMetafields = 1,
}
