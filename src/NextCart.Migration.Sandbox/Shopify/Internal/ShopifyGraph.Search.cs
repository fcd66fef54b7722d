namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>The search filters each resource supports (shopify.dev search syntax); any other filter is ignored.</summary>
internal sealed partial class ShopifyGraph
{
    private static object? Opt(string? value) => value is null ? ShopifySearch.Missing.Value : value;

    private static object? ProductField(ProductRec p, string field) => field switch
    {
        "id" => p.Id,
        "handle" => p.Handle,
        "title" or "default" => p.Title,
        "sku" => p.Variants.Select(v => v.Sku).OfType<string>().ToList(),
        "barcode" => p.Variants.Select(v => v.Barcode).OfType<string>().ToList(),
        "vendor" => p.Vendor,
        "product_type" => p.ProductType,
        "status" => p.Status,
        "tag" => p.Tags,
        "updated_at" => p.UpdatedAt,
        "created_at" => p.CreatedAt,
        "published_at" => p.PublishedAt is { } d ? d : ShopifySearch.Missing.Value,
        _ => null,
    };

    private static object? CollectionField(CollectionRec c, string field) => field switch
    {
        "id" => c.Id,
        "handle" => c.Handle,
        "title" or "default" => c.Title,
        "updated_at" => c.UpdatedAt,
        _ => null,
    };

    private static object? CustomerField(CustomerRec c, string field) => field switch
    {
        "id" => c.Id,
        "email" => Opt(c.Email),
        "phone" => Opt(c.Phone),
        "first_name" => Opt(c.FirstName),
        "last_name" => Opt(c.LastName),
        "tag" => c.Tags,
        "updated_at" => c.UpdatedAt,
        "created_at" => c.CreatedAt,
        "default" => new[] { c.Email, c.FirstName, c.LastName }.OfType<string>().ToList(),
        _ => null,
    };

    private static object? OrderField(OrderRec o, string field) => field switch
    {
        "id" => o.Id,
        "name" or "default" => o.Name,
        "email" => Opt(o.Email),
        "tag" => o.Tags,
        "source_identifier" => Opt(o.SourceIdentifier),
        "source_name" => Opt(o.SourceName),
        "financial_status" => o.FinancialStatus,
        "customer_id" => o.CustomerId is { } id ? id : ShopifySearch.Missing.Value,
        "updated_at" => o.UpdatedAt,
        "created_at" => o.CreatedAt,
        "processed_at" => o.ProcessedAt,
        _ => null,
    };

    private static object? PageField(PageRec p, string field) => field switch
    {
        "id" => p.Id,
        "handle" => p.Handle,
        "title" or "default" => p.Title,
        "updated_at" => p.UpdatedAt,
        "created_at" => p.CreatedAt,
        "published_status" => p.IsPublished ? "published" : "unpublished",
        _ => null,
    };

    private static object? BlogField(BlogRec b, string field) => field switch
    {
        "id" => b.Id,
        "handle" => b.Handle,
        "title" or "default" => b.Title,
        _ => null,
    };

    private static object? ArticleField(ArticleRec a, string field) => field switch
    {
        "id" => a.Id,
        "handle" => a.Handle,
        "title" or "default" => a.Title,
        "tag" => a.Tags,
        "author" => a.Author,
        "blog_id" => a.BlogId,
        "updated_at" => a.UpdatedAt,
        "created_at" => a.CreatedAt,
        _ => null,
    };

    private static object? DiscountField(DiscountRec d, string field) => field switch
    {
        "id" => d.Id,
        "code" => d.Code,
        "title" or "default" => d.Title,
        "updated_at" => d.UpdatedAt,
        "created_at" => d.CreatedAt,
        "starts_at" => d.StartsAt,
        _ => null,
    };

    private static object? RedirectField(RedirectRec r, string field) => field switch
    {
        "id" => r.Id,
        "path" or "default" => r.Path,
        "target" => r.Target,
        _ => null,
    };
}
