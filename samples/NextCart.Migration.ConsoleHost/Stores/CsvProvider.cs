using NextCart.Migration.Connectors;
using NextCart.Migration.Shopify.Csv;
using NextCart.Migration.WooCommerce.Csv;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>
/// <c>woocommerce-csv:PATH</c> and <c>shopify-csv:PATH</c>: as a source, PATH is a product CSV file; as a target, PATH is a
/// directory the connector writes its CSV files into (published when the run completes). The canonical spec holds the full
/// path, so a resume or a worker started from another working directory opens the same file.
/// </summary>
/// <param name="scheme">The scheme, which is also the connectors' provider id.</param>
/// <param name="format">The format's name in messages, such as <c>WooCommerce product CSV</c>.</param>
/// <param name="writes">The files a target writes, in messages.</param>
/// <param name="createSource">Creates the source over a file (the connector factory's <c>CreateSource</c>).</param>
/// <param name="createTarget">Creates the target over a directory (the connector factory's <c>CreateTarget</c>).</param>
internal sealed class CsvProvider(
    string scheme,
    string format,
    string writes,
    Func<string, ISourceConnector> createSource,
    Func<string, ITargetConnector> createTarget) : IConnectorProvider
{
    public string Scheme { get; } = scheme;

    public string Usage => $"{Scheme}:PATH";

    public static CsvProvider WooCommerce() => new(
        WooCommerceCsvConnectorFactory.ProviderId,
        "WooCommerce product CSV",
        "products.csv",
        path => WooCommerceCsvConnectorFactory.CreateSource(path),
        directory => WooCommerceCsvConnectorFactory.CreateTarget(directory));

    public static CsvProvider Shopify() => new(
        ShopifyCsvConnectorFactory.ProviderId,
        "Shopify product CSV",
        "products.csv, customers.csv and redirects.csv",
        path => ShopifyCsvConnectorFactory.CreateSource(path),
        directory => ShopifyCsvConnectorFactory.CreateTarget(directory));

    public string Normalize(StoreSpec spec, StoreRole role) => $"{Scheme}:{FullPath(spec, role)}";

    public async Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        string path = FullPath(spec, StoreRole.Source);
        ISourceConnector source = createSource(path);

        // The connector's check reads the header: a file that is not the format fails here, naming the missing columns and the
        // header found, before a run is created for it.
        ConnectorCheck check = await source.CheckAsync(cancellationToken).ConfigureAwait(false);
        return check.Succeeded
            ? new BuiltConnector<ISourceConnector>(source, source as IAsyncDisposable)
            : throw CliException.Configuration(check.Message ?? $"'{path}' is not a {format}.");
    }

    public async Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken)
    {
        string directory = FullPath(spec, StoreRole.Target);
        ITargetConnector target = createTarget(directory);
        Owner owner = new(target);
        ConnectorCheck check = await target.CheckAsync(cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            await owner.DisposeAsync().ConfigureAwait(false);
            throw CliException.Configuration(check.Message ?? $"The output directory '{directory}' cannot be written.");
        }

        return new BuiltConnector<ITargetConnector>(target, owner);
    }

    private string FullPath(StoreSpec spec, StoreRole role)
    {
        string value = spec.Value.Trim();
        if (value.Length == 0)
        {
            throw CliException.Configuration(role == StoreRole.Source
                ? $"{Scheme}: needs the path of a {format} file, such as {Scheme}:./products.csv."
                : $"{Scheme}: needs the path of the directory to write {writes} into, such as {Scheme}:./out.");
        }

        string path;
        try
        {
            path = Path.GetFullPath(value);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw CliException.Configuration($"{Scheme}:{value} is not a valid path: {ex.Message}");
        }

        if (role == StoreRole.Source)
        {
            if (Directory.Exists(path))
            {
                throw CliException.Configuration($"{Scheme}:{value} is a directory; as a source, give the {format} file itself.");
            }

            if (!File.Exists(path))
            {
                throw CliException.Configuration($"The {format} '{path}' does not exist; check the path after {Scheme}:.");
            }
        }
        else if (File.Exists(path))
        {
            throw CliException.Configuration($"{Scheme}:{value} is a file; as a target, give the directory to write {writes} into.");
        }

        return path;
    }

    /// <summary>Disposes of a target that holds its journal files open.</summary>
    private sealed class Owner(ITargetConnector target) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            switch (target)
            {
                case IAsyncDisposable asyncDisposable:
                    return asyncDisposable.DisposeAsync();
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }

            return ValueTask.CompletedTask;
        }
    }
}
