namespace NextCart.Migration.Shopify.Csv;

/// <summary>The settings of the Shopify CSV source and target.</summary>
public sealed class ShopifyCsvOptions
{
    /// <summary>Gets or sets the ISO currency code of the prices (the file does not say).</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string Currency { get; set; } = "USD";

    /// <summary>Gets or sets how many records a source page holds, from 1 to 10000.</summary>
    /// <value>The default value is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>Gets or sets how many records the target takes in one write, from 1 to 10000.</summary>
    /// <value>The default value is 500.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets a value indicating whether the target adds the names of a product's categories to its <c>Tags</c>. Shopify's
    /// product CSV cannot hold collections; tags let automated collections rebuild them.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CategoriesAsTags { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the target writes a product's deepest category into <c>Type</c> when it has no product type.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DeepestCategoryAsType { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the target flushes its journal to disk after every batch.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DurableWrites { get; set; } = true;

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(Currency) || Currency.Length != 3)
        {
            errors.Add($"Currency '{Currency}' must be a three-letter ISO 4217 code.");
        }

        if (PageSize is < 1 or > 10_000)
        {
            errors.Add($"PageSize {PageSize} must be between 1 and 10000.");
        }

        if (BatchSize is < 1 or > 10_000)
        {
            errors.Add($"BatchSize {BatchSize} must be between 1 and 10000.");
        }

        return errors;
    }

    internal ShopifyCsvOptions Clone() => (ShopifyCsvOptions)MemberwiseClone();
}
