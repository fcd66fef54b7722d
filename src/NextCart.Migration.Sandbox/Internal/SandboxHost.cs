namespace NextCart.Migration.Sandbox.Internal;

/// <summary>
/// The running parts every sandbox has: the server, the fault injector, the counters and the seed. The platform is attached
/// after the server has started, because it needs the server's address for its links.
/// </summary>
internal sealed class SandboxHost
{
    private readonly DeferredPlatform _platform;

    private SandboxHost(SandboxServer server, DeferredPlatform platform, FaultInjector faults, SandboxRequestCounters counters, int seed)
    {
        Server = server;
        _platform = platform;
        Faults = faults;
        Counters = counters;
        Seed = seed;
    }

    public SandboxServer Server { get; }

    public FaultInjector Faults { get; }

    public SandboxRequestCounters Counters { get; }

    public int Seed { get; }

    /// <summary>Gets the site URL without a trailing slash, such as <c>http://127.0.0.1:54321</c>.</summary>
    public string SiteUrl => Server.BaseAddress.GetLeftPart(UriPartial.Authority);

    public static async Task<SandboxHost> StartAsync(PlatformSandboxOptions options, CancellationToken cancellationToken)
    {
        FaultInjector faults = new(options.Faults, options.Seed);
        SandboxRequestCounters counters = new();
        DeferredPlatform platform = new();
        SandboxPipeline pipeline = new(platform, faults, counters, options.TimeProvider);
        SandboxServer server = await SandboxServer.StartAsync(pipeline, options.Port, cancellationToken).ConfigureAwait(false);
        return new SandboxHost(server, platform, faults, counters, options.Seed);
    }

    /// <summary>Starts serving requests with the platform.</summary>
    public void Attach(ISandboxPlatform platform) => _platform.Inner = platform;
}
