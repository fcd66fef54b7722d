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

    /// <summary>
    /// The URL path of a category from its slug and its ancestors' slugs, read one level at a time through
    /// <paramref name="readCategory"/> (the source's cached tree, the target's store). An ancestor that cannot be read, or a
    /// parent chain deeper than <see cref="MaxCategoryDepth"/> (a loop in broken data), leaves the URL unknown rather than wrong.
    /// </summary>
    /// <param name="categoryBase">The store's category base.</param>
    /// <param name="slug">The category's own slug.</param>
    /// <param name="parentId">The category's parent id, or <see langword="null"/> for a root category.</param>
    /// <param name="readCategory">Reads a category's slug and parent id by its id, or returns <see langword="null"/> when it is not there.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The URL path, or <see langword="null"/>.</returns>
    public static async Task<string?> CategoryAsync(
        string categoryBase,
        string slug,
        string? parentId,
        Func<string, CancellationToken, Task<(string? Slug, string? Parent)?>> readCategory,
        CancellationToken cancellationToken)
    {
        var slugs = new List<string> { slug };
        for (int depth = 0; parentId is not null; depth++)
        {
            if (depth == MaxCategoryDepth
                || await readCategory(parentId, cancellationToken).ConfigureAwait(false) is not { Slug: { Length: > 0 } parentSlug } parent)
            {
                return null;
            }

            slugs.Add(parentSlug);
            parentId = parent.Parent;
        }

        slugs.Reverse();
        return Category(categoryBase, slugs);
    }
}
