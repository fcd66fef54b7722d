namespace NextCart.Migration.Sandbox.Shopify.Internal;

#pragma warning disable SA1402 // The records of the in-memory shop belong together.

/// <summary>A metafield value on an owner.</summary>
internal sealed class MetafieldRec
{
    public long Id { get; set; }

    public required string Namespace { get; set; }

    public required string Key { get; set; }

    public required string Type { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A record with a GID and metafields.</summary>
internal abstract class OwnerRec
{
    public long Id { get; set; }

    /// <summary>Gets the metafields keyed by <c>namespace.key</c>.</summary>
    public Dictionary<string, MetafieldRec> Metafields { get; } = new(StringComparer.Ordinal);

    public abstract string GidType { get; }

    /// <summary>Gets the <c>MetafieldOwnerType</c> enum value of the owner.</summary>
    public abstract string OwnerType { get; }

    public string Gid => "gid://shopify/" + GidType + "/" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed class ProductRec : OwnerRec
{
    public override string GidType => "Product";

    public override string OwnerType => "PRODUCT";

    public string Title { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;

    public string DescriptionHtml { get; set; } = string.Empty;

    public string Vendor { get; set; } = string.Empty;

    public string ProductType { get; set; } = string.Empty;

    public string Status { get; set; } = "ACTIVE";

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public string? SeoTitle { get; set; }

    public string? SeoDescription { get; set; }

    public List<OptionRec> Options { get; set; } = [];

    public List<VariantRec> Variants { get; set; } = [];

    public List<MediaRec> Media { get; set; } = [];
}

internal sealed class OptionRec
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public int Position { get; set; }

    public List<(long Id, string Name)> Values { get; set; } = [];
}

internal sealed class VariantRec : OwnerRec
{
    public override string GidType => "ProductVariant";

    public override string OwnerType => "PRODUCTVARIANT";

    public long ProductId { get; set; }

    public string? Sku { get; set; }

    public string? Barcode { get; set; }

    public decimal Price { get; set; }

    public decimal? CompareAtPrice { get; set; }

    public int Position { get; set; }

    public int InventoryQuantity { get; set; }

    public string InventoryPolicy { get; set; } = "DENY";

    public bool Taxable { get; set; } = true;

    public List<(string Name, string Value)> SelectedOptions { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string Title => SelectedOptions.Count == 0 ? "Default Title" : string.Join(" / ", SelectedOptions.Select(o => o.Value));
}

internal sealed class MediaRec
{
    public long Id { get; set; }

    public long ImageId { get; set; }

    public required string Url { get; set; }

    public string? Alt { get; set; }
}

internal sealed class CollectionRec : OwnerRec
{
    public override string GidType => "Collection";

    public override string OwnerType => "COLLECTION";

    public string Title { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;

    public string DescriptionHtml { get; set; } = string.Empty;

    public string? SeoTitle { get; set; }

    public string? SeoDescription { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<long> ProductIds { get; } = [];
}

internal sealed class AddressRec
{
    public long Id { get; set; }

    public string? Address1 { get; set; }

    public string? Address2 { get; set; }

    public string? City { get; set; }

    public string? Company { get; set; }

    public string? CountryCode { get; set; }

    public string? ProvinceCode { get; set; }

    public string? Zip { get; set; }

    public string? Phone { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }
}

internal sealed class CustomerRec : OwnerRec
{
    public override string GidType => "Customer";

    public override string OwnerType => "CUSTOMER";

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Note { get; set; }

    public List<string> Tags { get; set; } = [];

    public bool TaxExempt { get; set; }

    public List<AddressRec> Addresses { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class LineItemRec
{
    public long Id { get; set; }

    public required string Title { get; set; }

    public string? Sku { get; set; }

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }

    public long? VariantId { get; set; }

    public long? ProductId { get; set; }
}

internal sealed class OrderRec : OwnerRec
{
    public override string GidType => "Order";

    public override string OwnerType => "ORDER";

    public string Name { get; set; } = string.Empty;

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }

    public string Currency { get; set; } = "USD";

    public string FinancialStatus { get; set; } = "PAID";

    public string FulfillmentStatus { get; set; } = "UNFULFILLED";

    public string? Note { get; set; }

    public List<string> Tags { get; set; } = [];

    public string? SourceName { get; set; }

    public string? SourceIdentifier { get; set; }

    public decimal Subtotal { get; set; }

    public decimal Tax { get; set; }

    public decimal Shipping { get; set; }

    public decimal Total { get; set; }

    public AddressRec? BillingAddress { get; set; }

    public AddressRec? ShippingAddress { get; set; }

    public long? CustomerId { get; set; }

    public List<LineItemRec> LineItems { get; set; } = [];
}

internal sealed class PageRec : OwnerRec
{
    public override string GidType => "Page";

    public override string OwnerType => "PAGE";

    public string Title { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    public bool IsPublished { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class BlogRec : OwnerRec
{
    public override string GidType => "Blog";

    public override string OwnerType => "BLOG";

    public string Title { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;
}

internal sealed class ArticleRec : OwnerRec
{
    public override string GidType => "Article";

    public override string OwnerType => "ARTICLE";

    public long BlogId { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    public string? Summary { get; set; }

    public string Author { get; set; } = string.Empty;

    public List<string> Tags { get; set; } = [];

    public bool IsPublished { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class DiscountRec : OwnerRec
{
    public override string GidType => "DiscountCodeNode";

    public override string OwnerType => "DISCOUNT";

    public string Title { get; set; } = string.Empty;

    public string Code { get; set; } = string.Empty;

    public long CodeId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public int? UsageLimit { get; set; }

    public bool AppliesOncePerCustomer { get; set; }

    /// <summary>Gets or sets the percentage as a fraction (0.1 is 10%), or null for an amount.</summary>
    public double? Percentage { get; set; }

    public decimal? Amount { get; set; }

    public bool AppliesOnEachItem { get; set; }

    public List<long> ProductIds { get; set; } = [];

    public List<long> CollectionIds { get; set; } = [];

    public decimal? MinimumSubtotal { get; set; }

    public long? MinimumQuantity { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class RedirectRec : OwnerRec
{
    public override string GidType => "UrlRedirect";

    public override string OwnerType => "URL_REDIRECT";

    public string Path { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;
}

internal sealed class MetafieldDefinitionRec
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Namespace { get; set; }

    public required string Key { get; set; }

    public required string Type { get; set; }

    public required string OwnerType { get; set; }

    public bool UniqueValues { get; set; }
}
