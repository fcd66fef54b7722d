namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>Defaults of <see cref="WooCommerceSandboxOptions"/>.</summary>
internal static class WooCommerceConstants
{
    /// <summary><c>apply_filters('woocommerce_rest_batch_items_limit', 100)</c>.</summary>
    public const int DefaultBatchLimit = 100;

    public const string DefaultUserName = "admin";

    public const string WooCommerceVersion = "9.8.5";

    /// <summary>The timezone of the WooCommerce docs' examples (UTC-3), so that local and <c>_gmt</c> dates differ.</summary>
    public static readonly TimeSpan DefaultUtcOffset = TimeSpan.FromHours(-3);

    public static readonly IReadOnlyList<string> DefaultUnreachableImageHosts = [".invalid"];
}
