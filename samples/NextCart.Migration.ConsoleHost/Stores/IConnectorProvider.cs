using NextCart.Migration.Connectors;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>
/// Turns one kind of store spec into connectors. Register a provider in <see cref="ConnectorRegistry"/> to add a platform:
/// the spec text it normalizes is what a project stores, so a resume or a worker can rebuild the connector from it plus
/// secrets from environment variables.
/// </summary>
internal interface IConnectorProvider
{
    /// <summary>Gets the spec scheme, such as <c>woocommerce</c> or <c>sandbox:woocommerce</c>.</summary>
    string Scheme { get; }

    /// <summary>Gets the spec's usage, such as <c>woocommerce:https://HOST</c>.</summary>
    string Usage { get; }

    /// <summary>Validates a spec and returns its canonical text, without secrets; the project stores it.</summary>
    string Normalize(StoreSpec spec, StoreRole role);

    /// <summary>Builds a source connector.</summary>
    Task<BuiltConnector<ISourceConnector>> CreateSourceAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken);

    /// <summary>Builds a target connector.</summary>
    Task<BuiltConnector<ITargetConnector>> CreateTargetAsync(StoreSpec spec, ConnectorContext context, CancellationToken cancellationToken);
}
