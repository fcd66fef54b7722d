using NextCart.Migration.Connectors;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>A spec this build knows but cannot serve yet: every use fails with one clear configuration error.</summary>
internal sealed class UnavailableProvider(string scheme, string usage, string what) : IConnectorProvider
{
    public string Scheme { get; } = scheme;

    public string Usage { get; } = usage;

    public string Normalize(StoreSpec spec, StoreRole role) => throw Unavailable();

    public Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken) => throw Unavailable();

    public Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken) => throw Unavailable();

    private CliException Unavailable() => CliException.Configuration($"'{Scheme}:' ({what}) is not available in this build of nextcart-migrate.");
}
