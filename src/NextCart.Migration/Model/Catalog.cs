namespace NextCart.Migration.Model;

/// <summary>A tax rate.</summary>
public sealed record Tax : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Taxes;

    /// <summary>Gets the rate's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the rate in percent, such as <c>20.0000</c>.</summary>
    public decimal Rate { get; init; }

    /// <summary>Gets the ISO country code it applies to, or <see langword="null"/> for all.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Gets the state or region code it applies to, or <see langword="null"/> for all.</summary>
    public string? Region { get; init; }

    /// <summary>Gets the tax class, such as <c>standard</c> or <c>reduced-rate</c>.</summary>
    public string? TaxClass { get; init; }

    /// <summary>Gets a value indicating whether the rate also applies to shipping.</summary>
    public bool AppliesToShipping { get; init; }

    /// <summary>Gets the priority among rates of the same place.</summary>
    public int Priority { get; init; }

    /// <summary>
    /// Gets the rate's identity. Platforms keep no unique key for tax rates, so the natural key is the rate's content: place, class,
    /// name, rate and priority (see <see cref="GetContentKey"/>). Reconciliation uses it to find a rate whose create response was lost.
    /// </summary>
    /// <returns>The identity.</returns>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, GetContentKey(CountryCode, Region, TaxClass, Name, Rate, Priority));

    /// <summary>Builds the content key of a tax rate, normalised so that a source rate and the rate a target stored compare equal.</summary>
    /// <param name="countryCode">The country code, or <see langword="null"/>.</param>
    /// <param name="region">The region code, or <see langword="null"/>.</param>
    /// <param name="taxClass">The tax class; empty and <c>standard</c> are the same class.</param>
    /// <param name="name">The rate's name.</param>
    /// <param name="rate">The rate in percent.</param>
    /// <param name="priority">The priority.</param>
    /// <returns>The key.</returns>
    public static string GetContentKey(string? countryCode, string? region, string? taxClass, string? name, decimal rate, int priority)
        => string.Join(
            '|',
            (countryCode ?? string.Empty).ToUpperInvariant(),
            (region ?? string.Empty).ToUpperInvariant(),
            string.IsNullOrEmpty(taxClass) ? "standard" : taxClass,
            name ?? string.Empty,
            rate.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
            priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A manufacturer or brand.</summary>
public sealed record Manufacturer : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Manufacturers;

    /// <summary>Gets the name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the URL slug.</summary>
    public string? Slug { get; init; }

    /// <summary>Gets the description, as HTML.</summary>
    public string? Description { get; init; }

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Slug);
}

/// <summary>A product category, possibly nested under a parent.</summary>
public sealed record Category : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Categories;

    /// <summary>Gets the name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the URL slug or handle.</summary>
    public string? Slug { get; init; }

    /// <summary>Gets the description, as HTML.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the parent category's source id, or <see langword="null"/> for a root category.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the category image.</summary>
    public ImageInfo? Image { get; init; }

    /// <summary>Gets the sort position among its siblings.</summary>
    public int Position { get; init; }

    /// <summary>Gets the SEO fields.</summary>
    public SeoInfo? Seo { get; init; }

    /// <summary>Gets the category's URL path in the source store, such as <c>/product-category/clothing/</c>.</summary>
    public string? Url { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        if (ParentId is not null)
        {
            yield return new(new EntityRef(EntityType.Categories, ParentId), ReferenceRole.Parent, ReferenceKind.Deferred);
        }
    }

    /// <inheritdoc/>
    public override string? GetSourceUrl() => Url;

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Slug);
}

/// <summary>How a product is sold.</summary>
public enum ProductKind
{
    /// <summary>A product with one variant.</summary>
    Simple = 0,

    /// <summary>A product with options and several variants.</summary>
    Variable = 1,

    /// <summary>A set of other products sold together (WooCommerce grouped products).</summary>
    Grouped = 2,

    /// <summary>An affiliate product sold on another site.</summary>
    External = 3,
}

/// <summary>The publication status of a product, page or post.</summary>
public enum PublishStatus
{
    /// <summary>Visible to shoppers.</summary>
    Active = 0,

    /// <summary>Not yet published.</summary>
    Draft = 1,

    /// <summary>Hidden but kept.</summary>
    Archived = 2,

    /// <summary>Published but not listed, or private.</summary>
    Private = 3,
}

/// <summary>A product option such as Size or Color, with the values it offers.</summary>
public sealed record ProductOption
{
    /// <summary>Gets the option's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the values the option offers, in display order.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Gets a value indicating whether the option is shown on the product page.</summary>
    public bool Visible { get; init; } = true;

    /// <summary>Gets a value indicating whether the option is used to build variants.</summary>
    public bool UsedForVariants { get; init; } = true;
}

/// <summary>The value a variant takes for one option.</summary>
/// <param name="Name">The option's name.</param>
/// <param name="Value">The value, or <see langword="null"/> for "any value" (a WooCommerce variation with an empty attribute).</param>
public sealed record OptionValue(string Name, string? Value);

/// <summary>One purchasable variant of a product.</summary>
public sealed record ProductVariant
{
    /// <summary>Gets the variant's id in the source store.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets the SKU.</summary>
    public string? Sku { get; init; }

    /// <summary>Gets the GTIN, UPC, EAN or ISBN barcode.</summary>
    public string? Barcode { get; init; }

    /// <summary>Gets the regular price.</summary>
    public Money? Price { get; init; }

    /// <summary>Gets the sale price, when the variant is on sale.</summary>
    public Money? SalePrice { get; init; }

    /// <summary>Gets the option values that identify the variant.</summary>
    public IReadOnlyList<OptionValue> OptionValues { get; init; } = [];

    /// <summary>Gets the stock quantity, or <see langword="null"/> when stock is not tracked.</summary>
    public int? StockQuantity { get; init; }

    /// <summary>Gets the weight in kilograms.</summary>
    public decimal? WeightKg { get; init; }

    /// <summary>Gets the variant's image.</summary>
    public ImageInfo? Image { get; init; }

    /// <summary>Gets the position among the product's variants.</summary>
    public int Position { get; init; }
}

/// <summary>A product with its options, variants, images and links to other records.</summary>
public sealed record Product : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Products;

    /// <summary>Gets the name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the SKU of the product itself (simple products carry it here).</summary>
    public string? Sku { get; init; }

    /// <summary>Gets the URL slug or handle.</summary>
    public string? Slug { get; init; }

    /// <summary>Gets the description, as HTML.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the short description, as HTML.</summary>
    public string? ShortDescription { get; init; }

    /// <summary>Gets how the product is sold.</summary>
    public ProductKind Kind { get; init; }

    /// <summary>Gets the publication status.</summary>
    public PublishStatus Status { get; init; }

    /// <summary>Gets the regular price of a simple product, or the default price of a variable one.</summary>
    public Money? Price { get; init; }

    /// <summary>Gets the sale price, when on sale.</summary>
    public Money? SalePrice { get; init; }

    /// <summary>Gets the stock quantity, or <see langword="null"/> when stock is not tracked.</summary>
    public int? StockQuantity { get; init; }

    /// <summary>Gets the weight in kilograms.</summary>
    public decimal? WeightKg { get; init; }

    /// <summary>Gets the tax class.</summary>
    public string? TaxClass { get; init; }

    /// <summary>Gets the product type or vendor-specific classification (Shopify's product type).</summary>
    public string? ProductType { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets the options, such as Size and Color.</summary>
    public IReadOnlyList<ProductOption> Options { get; init; } = [];

    /// <summary>Gets the variants. A simple product may have none.</summary>
    public IReadOnlyList<ProductVariant> Variants { get; init; } = [];

    /// <summary>Gets the images, in gallery order.</summary>
    public IReadOnlyList<ImageInfo> Images { get; init; } = [];

    /// <summary>Gets the source ids of the categories the product belongs to.</summary>
    public IReadOnlyList<string> CategoryIds { get; init; } = [];

    /// <summary>Gets the manufacturer's source id.</summary>
    public string? ManufacturerId { get; init; }

    /// <summary>Gets the source ids of related products.</summary>
    public IReadOnlyList<string> RelatedIds { get; init; } = [];

    /// <summary>Gets the source ids of up-sell products.</summary>
    public IReadOnlyList<string> UpsellIds { get; init; } = [];

    /// <summary>Gets the source ids of cross-sell products.</summary>
    public IReadOnlyList<string> CrossSellIds { get; init; } = [];

    /// <summary>Gets the source ids of a grouped product's children.</summary>
    public IReadOnlyList<string> GroupedIds { get; init; } = [];

    /// <summary>Gets an external product's URL.</summary>
    public string? ExternalUrl { get; init; }

    /// <summary>Gets an external product's button text.</summary>
    public string? ButtonText { get; init; }

    /// <summary>Gets the SEO fields.</summary>
    public SeoInfo? Seo { get; init; }

    /// <summary>Gets the product's URL path in the source store, such as <c>/product/blue-shirt/</c>.</summary>
    public string? Url { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        foreach (string id in CategoryIds)
        {
            yield return new(new EntityRef(EntityType.Categories, id), ReferenceRole.Category, ReferenceKind.Required);
        }

        if (ManufacturerId is not null)
        {
            yield return new(new EntityRef(EntityType.Manufacturers, ManufacturerId), ReferenceRole.Manufacturer, ReferenceKind.Optional);
        }

        foreach (string id in RelatedIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.Related, ReferenceKind.Deferred);
        }

        foreach (string id in UpsellIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.Upsell, ReferenceKind.Deferred);
        }

        foreach (string id in CrossSellIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.CrossSell, ReferenceKind.Deferred);
        }

        foreach (string id in GroupedIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.GroupedChild, ReferenceKind.Deferred);
        }
    }

    /// <inheritdoc/>
    public override string? GetSourceUrl() => Url;

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Sku ?? Slug);
}
