namespace NextCart.Migration.Sandbox.Internal;

/// <summary>Defaults of <see cref="SandboxFaultOptions"/>.</summary>
internal static class SandboxFaultConstants
{
    /// <summary>The default seed of <see cref="PlatformSandboxOptions.Seed"/>.</summary>
    public const int DefaultSeed = 42;

    public static readonly TimeSpan DefaultTimeoutDelay = TimeSpan.FromSeconds(100);

    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public static readonly IReadOnlyList<int> DefaultServerErrorStatusCodes = [500, 502, 503, 504];
}
