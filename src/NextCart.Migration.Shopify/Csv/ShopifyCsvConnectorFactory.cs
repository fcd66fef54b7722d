using NextCart.Migration.Connectors;

namespace NextCart.Migration.Shopify.Csv;

/// <summary>Creates connectors over Shopify's product, customer and redirect CSV files.</summary>
/// <remarks>
/// <para>
/// The source reads a product CSV in either header dialect (the legacy <c>Handle,Title,Body (HTML),…</c> export and the 2024+
/// <c>Title,URL handle,Description,…</c> template), grouping rows by handle. The customer source reads a customers CSV.
/// </para>
/// <para>
/// The target writes <c>products.csv</c> (legacy dialect), <c>customers.csv</c> and <c>redirects.csv</c> into a directory. It records
/// every write in a journal under <c>{directory}/.nextcart/</c> and publishes the files atomically when the run completes
/// (<see cref="ITargetCompleter"/>). Shopify's CSV cannot hold collections: categories are accepted so that products keep them, and
/// are written as product tags (and the deepest one as the product type), each category reporting a warning.
/// </para>
/// </remarks>
public static class ShopifyCsvConnectorFactory
{
    /// <summary>The provider id of both connectors.</summary>
    public const string ProviderId = "shopify-csv";

    /// <summary>Creates a source over a Shopify product CSV file.</summary>
    /// <param name="productsPath">The product CSV.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(string productsPath, ShopifyCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productsPath);
        return new ShopifyCsvSource(Path.GetFullPath(productsPath), Valid(options));
    }

    /// <summary>
    /// Creates a source over a Shopify customers CSV file: the import header the target writes (<c>First Name,Last Name,Email,…</c>)
    /// or an export. Each row is a customer with its default address; a row without an e-mail address and a phone number fails.
    /// </summary>
    /// <param name="customersPath">The customers CSV.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The source; it reads customers and no other type.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateCustomerSource(string customersPath, ShopifyCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customersPath);
        return new ShopifyCustomerCsvSource(Path.GetFullPath(customersPath), Valid(options));
    }

    /// <summary>Creates a target that writes <c>products.csv</c>, <c>customers.csv</c> and <c>redirects.csv</c> into a directory.</summary>
    /// <param name="directory">The output directory; it is created when missing.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The target, which also implements <see cref="ITargetLinker"/>, <see cref="ITargetClearer"/> and <see cref="ITargetCompleter"/>.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(string directory, ShopifyCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new ShopifyCsvTarget(directory, Valid(options));
    }

    private static ShopifyCsvOptions Valid(ShopifyCsvOptions? options)
    {
        ShopifyCsvOptions copy = (options ?? new ShopifyCsvOptions()).Clone();
        IReadOnlyList<string> errors = copy.Validate();
        return errors.Count > 0 ? throw new MigrationConfigurationException(errors) : copy;
    }
}
