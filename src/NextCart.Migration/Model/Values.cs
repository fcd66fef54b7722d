namespace NextCart.Migration.Model;

/// <summary>An amount of money in a currency.</summary>
/// <param name="Amount">The amount, exactly as the store holds it.</param>
/// <param name="Currency">The ISO 4217 currency code, such as <c>USD</c>.</param>
public readonly record struct Money(decimal Amount, string Currency)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Amount} {Currency}");
}

/// <summary>A postal address.</summary>
public sealed record Address
{
    /// <summary>Gets the first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Gets the last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gets the company.</summary>
    public string? Company { get; init; }

    /// <summary>Gets the first address line.</summary>
    public string? Line1 { get; init; }

    /// <summary>Gets the second address line.</summary>
    public string? Line2 { get; init; }

    /// <summary>Gets the city.</summary>
    public string? City { get; init; }

    /// <summary>Gets the state, province or region code.</summary>
    public string? Region { get; init; }

    /// <summary>Gets the postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Gets the ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Gets the phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the e-mail address (billing addresses carry one on some platforms).</summary>
    public string? Email { get; init; }

    /// <summary>Gets a value indicating whether this is the customer's default billing address.</summary>
    public bool IsDefaultBilling { get; init; }

    /// <summary>Gets a value indicating whether this is the customer's default shipping address.</summary>
    public bool IsDefaultShipping { get; init; }
}

/// <summary>Search-engine fields of a page-like entity.</summary>
public sealed record SeoInfo
{
    /// <summary>Gets the meta title.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the meta description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the meta keywords.</summary>
    public string? Keywords { get; init; }
}

/// <summary>An image of a product, category or post, referenced by its URL.</summary>
public sealed record ImageInfo
{
    /// <summary>Gets the image's id in the source store, when it has one.</summary>
    public string? SourceId { get; init; }

    /// <summary>Gets the absolute URL the image can be fetched from.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the alternative text.</summary>
    public string? Alt { get; init; }

    /// <summary>Gets the zero-based position in the gallery.</summary>
    public int Position { get; init; }
}
