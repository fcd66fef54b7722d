using Microsoft.Extensions.Logging;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.ConsoleHost.Stores;
using NextCart.Migration.Hosting;

namespace NextCart.Migration.ConsoleHost.Hosting;

/// <summary>
/// Rebuilds a project's connectors from the store specs it holds in its settings (<c>source</c>, <c>target</c>; never secrets)
/// plus the secrets in this process's environment variables.
/// </summary>
internal sealed class SpecConnectorResolver(ConnectorRegistry registry, ILoggerFactory loggerFactory, Func<string, string?> environment) : IConnectorResolver
{
    public const string SourceSetting = "source";
    public const string TargetSetting = "target";

    public async ValueTask<ResolvedConnectors> ResolveAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        try
        {
            return await BuildAsync(
                project.Settings.GetValueOrDefault(SourceSetting),
                project.Settings.GetValueOrDefault(TargetSetting),
                isRebuild: true,
                _ => { },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            throw new MigrationConfigurationException(FailureCategory.Configuration, ex.Message);
        }
    }

    public async Task<ResolvedConnectors> BuildAsync(string? sourceSpec, string? targetSpec, bool isRebuild, Action<string> notify, CancellationToken cancellationToken)
    {
        (IConnectorProvider sourceProvider, StoreSpec source, _) = registry.Resolve(sourceSpec, "the source", StoreRole.Source);
        (IConnectorProvider targetProvider, StoreSpec target, _) = registry.Resolve(targetSpec, "the target", StoreRole.Target);
        BuiltConnector<Connectors.ISourceConnector> builtSource = await sourceProvider.CreateSourceAsync(source, new ConnectorContext(StoreRole.Source, environment, loggerFactory, isRebuild, notify), cancellationToken).ConfigureAwait(false);
        try
        {
            BuiltConnector<Connectors.ITargetConnector> builtTarget = await targetProvider.CreateTargetAsync(target, new ConnectorContext(StoreRole.Target, environment, loggerFactory, isRebuild, notify), cancellationToken).ConfigureAwait(false);
            return new ResolvedConnectors(builtSource.Connector, builtTarget.Connector, new Owners(builtSource.Owner, builtTarget.Owner));
        }
        catch
        {
            if (builtSource.Owner is not null)
            {
                await builtSource.Owner.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private sealed class Owners(IAsyncDisposable? first, IAsyncDisposable? second) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (second is not null)
            {
                await second.DisposeAsync().ConfigureAwait(false);
            }

            if (first is not null)
            {
                await first.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
