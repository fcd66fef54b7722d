namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>The settings of the WooCommerce product CSV source and target.</summary>
public sealed class WooCommerceCsvOptions
{
    /// <summary>Gets or sets the ISO currency code of the prices (the file does not say).</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// Gets or sets a value indicating whether the source derives product and category URL paths, for redirects. The export has no
    /// slug column, so the slug is derived from the name as WordPress does by default; a product renamed after creation may differ.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DeriveUrls { get; set; } = true;

    /// <summary>Gets or sets the product permalink base used when <see cref="DeriveUrls"/> is set.</summary>
    /// <value>The default value is <c>/product/</c>.</value>
    public string ProductBase { get; set; } = "/product/";

    /// <summary>Gets or sets the product category permalink base used when <see cref="DeriveUrls"/> is set.</summary>
    /// <value>The default value is <c>/product-category/</c>.</value>
    public string CategoryBase { get; set; } = "/product-category/";

    /// <summary>Gets or sets how many records a source page holds, from 1 to 10000.</summary>
    /// <value>The default value is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>Gets or sets the name of the file the target writes in its directory.</summary>
    /// <value>The default value is <c>products.csv</c>.</value>
    public string FileName { get; set; } = "products.csv";

    /// <summary>Gets or sets the weight unit the target writes (<c>kg</c>, <c>g</c>, <c>lbs</c> or <c>oz</c>), as in <c>Weight (kg)</c>.</summary>
    /// <value>The default value is <c>kg</c>.</value>
    public string WeightUnit { get; set; } = "kg";

    /// <summary>Gets or sets the dimension unit the target writes (<c>m</c>, <c>cm</c>, <c>mm</c>, <c>in</c> or <c>yd</c>).</summary>
    /// <value>The default value is <c>cm</c>.</value>
    public string DimensionUnit { get; set; } = "cm";

    /// <summary>Gets or sets how many records the target takes in one write, from 1 to 10000.</summary>
    /// <value>The default value is 500.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets a value indicating whether the target flushes its journal to disk after every batch. Turning it off is faster
    /// but a machine crash (not a process crash) may then lose batches the engine believes are written.
    /// </summary>
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

        if (!WooCsvFormat.IsWeightUnit(WeightUnit ?? string.Empty))
        {
            errors.Add($"WeightUnit '{WeightUnit}' must be kg, g, lbs or oz.");
        }

        if (!WooCsvFormat.IsDimensionUnit(DimensionUnit ?? string.Empty))
        {
            errors.Add($"DimensionUnit '{DimensionUnit}' must be m, cm, mm, in or yd.");
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"FileName '{FileName}' is not a valid file name.");
        }

        return errors;
    }

    internal WooCommerceCsvOptions Clone() => (WooCommerceCsvOptions)MemberwiseClone();
}
