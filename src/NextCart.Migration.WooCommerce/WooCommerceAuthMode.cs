namespace NextCart.Migration.WooCommerce;

/// <summary>How the connector authenticates to the WooCommerce REST API (<c>/wp-json/wc/v3</c>).</summary>
public enum WooCommerceAuthMode
{
    /// <summary>HTTP Basic with the consumer key and secret, over HTTPS. The default.</summary>
    Basic = 0,

    /// <summary>
    /// The consumer key and secret as the <c>consumer_key</c> and <c>consumer_secret</c> query parameters, for servers that drop the
    /// <c>Authorization</c> header ("Consumer key is missing"). HTTPS only.
    /// </summary>
    QueryString = 1,

    /// <summary>One-legged OAuth 1.0a with HMAC-SHA256 signatures (RFC 5849), for stores reached over plain HTTP.</summary>
    OAuth1 = 2,
}
