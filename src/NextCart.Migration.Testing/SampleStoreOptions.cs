using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>What <see cref="SampleStoreGenerator"/> generates: how many records of each type, from which seed.</summary>
/// <remarks>
/// The defaults make a small store (50 products) that holds every documented edge case. <see cref="Scale"/> makes a store
/// of any size with the other types in realistic proportion.
/// </remarks>
public sealed record SampleStoreOptions
{
    /// <summary>The instant every generated timestamp is derived from: 2024-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultBaseTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the seed. The same options always generate the same store.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the ISO currency code of every amount.</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string Currency { get; init; } = "USD";

    /// <summary>Gets the instant every generated timestamp is derived from. It must be in UTC.</summary>
    /// <value>The default value is <see cref="DefaultBaseTime"/>.</value>
    public DateTimeOffset BaseTime { get; init; } = DefaultBaseTime;

    /// <summary>Gets roughly how long after <see cref="BaseTime"/> the records of each type are spread over (the last record may fall a little later).</summary>
    /// <value>The default value is 365 days.</value>
    public TimeSpan Period { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Gets the number of tax rates.</summary>
    /// <value>The default value is 6.</value>
    public int Taxes { get; init; } = 6;

    /// <summary>Gets the number of manufacturers.</summary>
    /// <value>The default value is 8.</value>
    public int Manufacturers { get; init; } = 8;

    /// <summary>Gets the number of categories. At least 5 are needed for the depth-4, child-before-parent chain.</summary>
    /// <value>The default value is 24.</value>
    public int Categories { get; init; } = 24;

    /// <summary>Gets the number of products. At least 5 are needed for one product of every kind.</summary>
    /// <value>The default value is 50.</value>
    public int Products { get; init; } = 50;

    /// <summary>Gets the number of customers. At least 11 are needed for every customer edge case.</summary>
    /// <value>The default value is 40.</value>
    public int Customers { get; init; } = 40;

    /// <summary>Gets the number of orders. At least 33 are needed for every order edge case.</summary>
    /// <value>The default value is 80.</value>
    public int Orders { get; init; } = 80;

    /// <summary>Gets the number of reviews.</summary>
    /// <value>The default value is 50.</value>
    public int Reviews { get; init; } = 50;

    /// <summary>Gets the number of coupons.</summary>
    /// <value>The default value is 10.</value>
    public int Coupons { get; init; } = 10;

    /// <summary>Gets the number of CMS pages.</summary>
    /// <value>The default value is 6.</value>
    public int Pages { get; init; } = 6;

    /// <summary>Gets the number of blog posts.</summary>
    /// <value>The default value is 10.</value>
    public int BlogPosts { get; init; } = 10;

    /// <summary>Gets the number of redirects.</summary>
    /// <value>The default value is 12.</value>
    public int Redirects { get; init; } = 12;

    /// <summary>Gets the number of variants of each variable product, from 1 to 30 (5 sizes by 6 colors).</summary>
    /// <value>The default value is 3.</value>
    public int VariantsPerVariableProduct { get; init; } = 3;

    /// <summary>Creates options for a store of <paramref name="products"/> products, with the other types in realistic proportion.</summary>
    /// <param name="products">The number of products.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The options.</returns>
    /// <example><c>SampleStoreOptions.Scale(100_000)</c> makes 100,000 products, 75,000 customers and 150,000 orders.</example>
    public static SampleStoreOptions Scale(int products, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(products);
        return new SampleStoreOptions
        {
            Seed = seed,
            Taxes = 6,
            Manufacturers = Math.Clamp(products / 50, 5, 500),
            Categories = Math.Clamp(products / 20, 12, 2_000),
            Products = products,
            Customers = Math.Max(20, products * 3 / 4),
            Orders = Math.Max(40, products * 3 / 2),
            Reviews = Math.Max(20, products),
            Coupons = Math.Clamp(products / 50, 6, 1_000),
            Pages = Math.Clamp(products / 500, 5, 100),
            BlogPosts = Math.Clamp(products / 100, 8, 1_000),
            Redirects = Math.Clamp(products / 10, 10, 10_000),
        };
    }

    /// <summary>Gets the number of records of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The count.</returns>
    public int GetCount(EntityType type) => type switch
    {
        EntityType.Taxes => Taxes,
        EntityType.Manufacturers => Manufacturers,
        EntityType.Categories => Categories,
        EntityType.Products => Products,
        EntityType.Customers => Customers,
        EntityType.Orders => Orders,
        EntityType.Reviews => Reviews,
        EntityType.Coupons => Coupons,
        EntityType.Pages => Pages,
        EntityType.BlogPosts => BlogPosts,
        EntityType.Redirects => Redirects,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown entity type."),
    };

    /// <summary>Returns a copy with the number of records of one type changed.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="count">The count.</param>
    /// <returns>The new options.</returns>
    public SampleStoreOptions WithCount(EntityType type, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return type switch
        {
            EntityType.Taxes => this with { Taxes = count },
            EntityType.Manufacturers => this with { Manufacturers = count },
            EntityType.Categories => this with { Categories = count },
            EntityType.Products => this with { Products = count },
            EntityType.Customers => this with { Customers = count },
            EntityType.Orders => this with { Orders = count },
            EntityType.Reviews => this with { Reviews = count },
            EntityType.Coupons => this with { Coupons = count },
            EntityType.Pages => this with { Pages = count },
            EntityType.BlogPosts => this with { BlogPosts = count },
            EntityType.Redirects => this with { Redirects = count },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown entity type."),
        };
    }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    internal void Validate()
    {
        foreach (EntityType type in EntityTypes.All)
        {
            if (GetCount(type) < 0)
            {
                throw new ArgumentException($"The number of {type.ToCamelCase()} must not be negative.", nameof(SampleStoreOptions));
            }
        }

        if (VariantsPerVariableProduct is < 1 or > 30)
        {
            throw new ArgumentException("VariantsPerVariableProduct must be from 1 to 30.", nameof(SampleStoreOptions));
        }

        if (BaseTime.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException("BaseTime must be in UTC.", nameof(SampleStoreOptions));
        }

        if (Period <= TimeSpan.Zero)
        {
            throw new ArgumentException("Period must be positive.", nameof(SampleStoreOptions));
        }

        if (string.IsNullOrWhiteSpace(Currency))
        {
            throw new ArgumentException("Currency must be set.", nameof(SampleStoreOptions));
        }
    }
}
