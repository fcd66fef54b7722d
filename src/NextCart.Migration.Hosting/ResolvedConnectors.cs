using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;

namespace NextCart.Migration.Hosting;

/// <summary>The source and target connectors of a project, rebuilt by an <see cref="IConnectorResolver"/>, with what they own.</summary>
public sealed class ResolvedConnectors : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ResolvedConnectors"/> class.</summary>
    /// <param name="source">The source connector.</param>
    /// <param name="target">The target connector.</param>
    /// <param name="owner">What the connectors need until the run stops (HTTP clients, a service scope), disposed with them; or <see langword="null"/>.</param>
    public ResolvedConnectors(ISourceConnector source, ITargetConnector target, IAsyncDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        Source = source;
        Target = target;
        _owner = owner;
    }

    /// <summary>Gets the source connector.</summary>
    public ISourceConnector Source { get; }

    /// <summary>Gets the target connector.</summary>
    public ITargetConnector Target { get; }

    /// <summary>Creates the project handle the engine runs, after checking the connectors' provider ids match the stored project.</summary>
    /// <param name="project">The stored project.</param>
    /// <returns>The project, with the stored settings.</returns>
    /// <exception cref="MigrationConfigurationException">A connector's provider id differs from the stored one.</exception>
    public MigrationProject CreateProject(ProjectRecord project)
    {
        ArgumentNullException.ThrowIfNull(project);
        List<string> errors = [];
        if (!string.Equals(Source.ProviderId, project.SourceProviderId, StringComparison.Ordinal))
        {
            errors.Add($"Project '{project.ProjectId}' reads from '{project.SourceProviderId}', but the resolver built a '{Source.ProviderId}' source.");
        }

        if (!string.Equals(Target.ProviderId, project.TargetProviderId, StringComparison.Ordinal))
        {
            errors.Add($"Project '{project.ProjectId}' writes to '{project.TargetProviderId}', but the resolver built a '{Target.ProviderId}' target.");
        }

        if (errors.Count > 0)
        {
            throw new MigrationConfigurationException(errors);
        }

        return new MigrationProject(project.ProjectId, Source, Target) { Settings = project.Settings };
    }

    /// <summary>Disposes of what the connectors own.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _owner is not null)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
