using Microsoft.Extensions.Logging;

namespace NextCart.Migration.ConsoleHost.Stores;

/// <summary>Whether a store is read from or written to.</summary>
internal enum StoreRole
{
    Source = 0,
    Target = 1,
}

/// <summary>What a provider needs to build a connector: the role, secrets from the environment, logging, and whether it rebuilds a stored project.</summary>
/// <param name="Role">The store's role.</param>
/// <param name="Environment">Reads an environment variable (secrets never come from the command line).</param>
/// <param name="LoggerFactory">The logger factory.</param>
/// <param name="IsRebuild">Whether the connector is rebuilt for a stored project (resume, worker) rather than for a new run.</param>
/// <param name="Notify">Prints a note for the user (for example a sandbox's address).</param>
internal sealed record ConnectorContext(StoreRole Role, Func<string, string?> Environment, ILoggerFactory LoggerFactory, bool IsRebuild, Action<string> Notify)
{
    /// <summary>Reads a secret: the role-specific variable (<c>NEXTCART_SOURCE_X</c>) first, then the shared one (<c>NEXTCART_X</c>).</summary>
    public string? Secret(string name)
    {
        string role = Role == StoreRole.Source ? "SOURCE" : "TARGET";
        string? specific = Environment($"NEXTCART_{role}_{name}");
        return string.IsNullOrEmpty(specific) ? NullIfEmpty(Environment($"NEXTCART_{name}")) : specific;
    }

    public string RoleName => Role == StoreRole.Source ? "source" : "target";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A connector with what it owns (an HTTP client container, an in-process sandbox), disposed when the run stops.</summary>
internal sealed record BuiltConnector<T>(T Connector, IAsyncDisposable? Owner)
    where T : class;
