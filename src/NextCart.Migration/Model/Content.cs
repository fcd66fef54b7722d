namespace NextCart.Migration.Model;

/// <summary>A CMS page.</summary>
public sealed record Page : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Pages;

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the URL slug or handle.</summary>
    public string? Slug { get; init; }

    /// <summary>Gets the body, as HTML.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the publication status.</summary>
    public PublishStatus Status { get; init; }

    /// <summary>Gets the author's display name.</summary>
    public string? Author { get; init; }

    /// <summary>Gets when it was published, in UTC.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Gets the SEO fields.</summary>
    public SeoInfo? Seo { get; init; }

    /// <summary>Gets the page's URL path in the source store.</summary>
    public string? Url { get; init; }

    /// <inheritdoc/>
    public override string? GetSourceUrl() => Url;

    /// <inheritdoc/>
    /// <remarks>
    /// The natural key is the slug or, for a record without one, the title: a target without a slug to write derives the
    /// handle from the title (WordPress's <c>sanitize_title</c>, Shopify's handle), so any process can look the record up by it.
    /// </remarks>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, string.IsNullOrWhiteSpace(Slug) ? Title : Slug);
}

/// <summary>A blog post or article.</summary>
public sealed record BlogPost : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.BlogPosts;

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the URL slug or handle.</summary>
    public string? Slug { get; init; }

    /// <summary>Gets the body, as HTML.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the excerpt or summary, as HTML.</summary>
    public string? Excerpt { get; init; }

    /// <summary>Gets the publication status.</summary>
    public PublishStatus Status { get; init; }

    /// <summary>Gets the author's display name.</summary>
    public string? Author { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets the names of the blog categories it is filed under.</summary>
    public IReadOnlyList<string> BlogCategories { get; init; } = [];

    /// <summary>Gets the featured image.</summary>
    public ImageInfo? FeaturedImage { get; init; }

    /// <summary>Gets when it was published, in UTC.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Gets the SEO fields.</summary>
    public SeoInfo? Seo { get; init; }

    /// <summary>Gets the post's URL path in the source store.</summary>
    public string? Url { get; init; }

    /// <inheritdoc/>
    public override string? GetSourceUrl() => Url;

    /// <inheritdoc/>
    /// <remarks>
    /// The natural key is the slug or, for a record without one, the title: a target without a slug to write derives the
    /// handle from the title (WordPress's <c>sanitize_title</c>, Shopify's handle), so any process can look the record up by it.
    /// </remarks>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, string.IsNullOrWhiteSpace(Slug) ? Title : Slug);
}

/// <summary>An SEO redirect (301) from an old path to a new one.</summary>
public sealed record Redirect : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Redirects;

    /// <summary>Gets the path to redirect from, such as <c>/product/blue-shirt/</c>.</summary>
    public required string FromPath { get; init; }

    /// <summary>Gets the path or URL to redirect to, when it is fixed; <see langword="null"/> when <see cref="TargetEntity"/> decides it.</summary>
    public string? ToPath { get; init; }

    /// <summary>
    /// Gets the migrated record the redirect points at. The engine resolves it to that record's URL on the target,
    /// so the redirect follows the final handle.
    /// </summary>
    public EntityRef? TargetEntity { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        if (TargetEntity is { } target)
        {
            yield return new(target, ReferenceRole.RedirectTarget, ReferenceKind.Required);
        }
    }

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, FromPath);
}
