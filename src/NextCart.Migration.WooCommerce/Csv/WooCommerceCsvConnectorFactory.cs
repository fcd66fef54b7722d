using NextCart.Migration.Connectors;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>Creates connectors over WooCommerce product CSV files (the format of <c>WC_Product_CSV_Exporter</c>).</summary>
/// <remarks>
/// <para>
/// The source reads products (with variations, whichever side of their parent they are on) and the categories their
/// <c>Categories</c> paths name. A row that cannot be read fails alone, reported as <c>row N: reason</c> under the row's ID or SKU.
/// </para>
/// <para>
/// The target writes categories and products into one <c>products.csv</c> that WooCommerce's importer accepts. It records every
/// write in a journal under <c>{directory}/.nextcart/</c> (see <see cref="ITargetCompleter"/>) and publishes the file atomically
/// when the run completes.
/// </para>
/// </remarks>
public static class WooCommerceCsvConnectorFactory
{
    /// <summary>The provider id of both connectors.</summary>
    public const string ProviderId = "woocommerce-csv";

    /// <summary>Creates a source over a product CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ISourceConnector CreateSource(string path, WooCommerceCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new WooCsvSource(Path.GetFullPath(path), Valid(options));
    }

    /// <summary>Creates a target that writes <see cref="WooCommerceCsvOptions.FileName"/> into a directory.</summary>
    /// <param name="directory">The output directory; it is created when missing.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The target, which also implements <see cref="ITargetLinker"/>, <see cref="ITargetClearer"/> and <see cref="ITargetCompleter"/>.</returns>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    public static ITargetConnector CreateTarget(string directory, WooCommerceCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new WooCsvTarget(directory, Valid(options));
    }

    private static WooCommerceCsvOptions Valid(WooCommerceCsvOptions? options)
    {
        WooCommerceCsvOptions copy = (options ?? new WooCommerceCsvOptions()).Clone();
        IReadOnlyList<string> errors = copy.Validate();
        return errors.Count > 0 ? throw new MigrationConfigurationException(errors) : copy;
    }
}
