using NextCart.Migration.Sandbox.Internal;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox;

/// <summary>
/// What every platform sandbox offers: a real HTTP server on 127.0.0.1 and an ephemeral port, request counters, seeded fault
/// injection that can change at run time, and the sample store it was seeded from.
/// </summary>
/// <remarks>Dispose it to stop the server. It is safe to use from many threads.</remarks>
public abstract class PlatformSandbox : IAsyncDisposable
{
    private readonly SandboxHost _host;

    private protected PlatformSandbox(SandboxHost host, SampleStore? seededFrom)
    {
        _host = host;
        SeededFrom = seededFrom;
    }

    /// <summary>Gets the server's address, such as <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress => _host.Server.BaseAddress;

    /// <summary>Gets the request counters and the log of injected faults.</summary>
    public SandboxRequestCounters Requests => _host.Counters;

    /// <summary>Gets the sample store the sandbox was seeded from, or <see langword="null"/> for an empty sandbox.</summary>
    public SampleStore? SeededFrom { get; }

    /// <summary>Replaces the fault injection settings; the seeded sequence of faults starts again.</summary>
    /// <param name="faults">The new settings.</param>
    /// <exception cref="ArgumentException">The rates add up to more than 1.</exception>
    public void SetFaults(SandboxFaultOptions faults) => _host.Faults.Update(faults, _host.Seed);

    /// <summary>Gets a copy of the current fault injection settings.</summary>
    /// <returns>The settings.</returns>
    public SandboxFaultOptions GetFaults() => _host.Faults.Options;

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _host.Server.DisposeAsync();
    }
}
