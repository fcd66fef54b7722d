namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>
/// Product category URLs as WordPress builds them. WooCommerce registers <c>product_cat</c> with
/// <c>'rewrite' =&gt; ['slug' =&gt; category base, 'with_front' =&gt; false, 'hierarchical' =&gt; true]</c>
/// (<c>WC_Post_Types::register_taxonomies</c>), so a child's URL is its parent's URL plus its own slug:
/// <c>/product-category/clothing/shirts/</c>. The REST API's category resource has no link of its own.
/// </summary>
internal static class WooPermalinks
{
    /// <summary>
    /// How many ancestors a category URL is built through at most. WordPress itself stops at no depth, but a parent loop in
    /// broken data would never end, so a walk that reaches this depth gives up and leaves the URL unknown.
    /// </summary>
    public const int MaxCategoryDepth = 100;

    /// <summary>The URL path of a category, under its parent's URL path or, for a root category (or an unknown parent), under the base.</summary>
    public static string Category(string categoryBase, string slug, string? parentUrl)
        => parentUrl is { Length: > 0 } ? $"{parentUrl.TrimEnd('/')}/{slug}/" : $"{categoryBase.TrimEnd('/')}/{slug}/";

    /// <summary>The URL path of a category from its slug and its ancestors' slugs, the root first.</summary>
    public static string Category(string categoryBase, IEnumerable<string> slugsFromRoot)
        => $"{categoryBase.TrimEnd('/')}/{string.Join('/', slugsFromRoot)}/";
}
