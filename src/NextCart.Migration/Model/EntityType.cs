namespace NextCart.Migration.Model;

/// <summary>
/// The kinds of entity a migration moves. The numeric order is the dependency order in which the engine runs them.
/// </summary>
/// <remarks>
/// A type starts only after every type it references has finished committing, so the order of the members matters:
/// taxes, manufacturers, categories, products, customers, orders, reviews, coupons, pages, blog posts and, last, redirects.
/// </remarks>
public enum EntityType
{
    /// <summary>Tax rates and classes.</summary>
    Taxes = 0,

    /// <summary>Manufacturers or brands.</summary>
    Manufacturers = 1,

    /// <summary>Product categories (collections on some platforms), with their parents.</summary>
    Categories = 2,

    /// <summary>Products with their options, variants and images.</summary>
    Products = 3,

    /// <summary>Customers with their addresses.</summary>
    Customers = 4,

    /// <summary>Orders with lines, addresses, totals and history.</summary>
    Orders = 5,

    /// <summary>Product reviews.</summary>
    Reviews = 6,

    /// <summary>Coupons and discount codes.</summary>
    Coupons = 7,

    /// <summary>CMS pages.</summary>
    Pages = 8,

    /// <summary>Blog posts or articles.</summary>
    BlogPosts = 9,

    /// <summary>SEO redirects from old URLs to new ones.</summary>
    Redirects = 10,
}

/// <summary>Helpers for <see cref="EntityType"/>.</summary>
public static class EntityTypes
{
    /// <summary>Gets every entity type, in dependency order.</summary>
    public static IReadOnlyList<EntityType> All { get; } =
    [
        EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Products, EntityType.Customers,
        EntityType.Orders, EntityType.Reviews, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts, EntityType.Redirects,
    ];

    private static readonly string[] CamelNames =
        ["taxes", "manufacturers", "categories", "products", "customers", "orders", "reviews", "coupons", "pages", "blogPosts", "redirects"];

    /// <summary>Gets the camelCase name of a type, as used in reports and on the command line (for example <c>blogPosts</c>).</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The camelCase name.</returns>
    public static string ToCamelCase(this EntityType type) => CamelNames[(int)type];

    /// <summary>Parses a camelCase or PascalCase entity type name, ignoring case.</summary>
    /// <param name="value">The name to parse.</param>
    /// <param name="type">The parsed type.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> names an entity type.</returns>
    public static bool TryParse(string? value, out EntityType type)
    {
        type = default;
        return value is not null && Enum.TryParse(value.Trim(), ignoreCase: true, out type) && Enum.IsDefined(type);
    }

    /// <summary>Gets the types that records of <paramref name="type"/> may reference and that must therefore finish first.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The prerequisite types, excluding <paramref name="type"/> itself.</returns>
    public static IReadOnlyList<EntityType> GetPrerequisites(this EntityType type) => type switch
    {
        EntityType.Taxes or EntityType.Manufacturers or EntityType.Categories or EntityType.Pages => [],
        EntityType.Products => [EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories],
        EntityType.Customers => [],
        EntityType.Orders => [EntityType.Taxes, EntityType.Products, EntityType.Customers],
        EntityType.Reviews => [EntityType.Products, EntityType.Customers],
        EntityType.Coupons => [EntityType.Products, EntityType.Categories, EntityType.Customers],
        EntityType.BlogPosts => [],
        EntityType.Redirects => [EntityType.Categories, EntityType.Products, EntityType.Pages, EntityType.BlogPosts],
        _ => [],
    };
}
