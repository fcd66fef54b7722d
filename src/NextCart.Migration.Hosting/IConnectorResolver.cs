using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Hosting;

/// <summary>
/// Rebuilds the connectors of a stored project, so a worker can start a queued run or resume an interrupted one. The host
/// implements it: the store holds only the provider ids and the non-secret settings (<see cref="ProjectRecord.Settings"/>),
/// and the host adds the secrets it keeps in configuration, environment variables or a vault.
/// </summary>
/// <remarks>Implementations are called concurrently for different projects and must be thread-safe.</remarks>
public interface IConnectorResolver
{
    /// <summary>Builds the source and target connectors of a project.</summary>
    /// <param name="project">The stored project: provider ids and non-secret settings.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The connectors, owned by the caller, who disposes of them when the run stops.</returns>
    /// <exception cref="MigrationConfigurationException">A provider is unknown, or a setting or secret is missing; the message says what to fix.</exception>
    ValueTask<ResolvedConnectors> ResolveAsync(ProjectRecord project, CancellationToken cancellationToken = default);
}
