namespace NextCart.Migration.Http.Internal;

/// <summary>The defaults of <see cref="StoreHttpOptions"/> and the fixed tuning of the store pipeline.</summary>
internal static class StoreHttpConstants
{
    public const double DefaultRequestsPerSecond = 5;

    public const int DefaultBurst = 5;

    public const int DefaultMaxRetries = 5;

    public const string Mask = "[REDACTED]";

    public const string PipelineName = "nextcart-store";

    public const string LoggerCategory = "NextCart.Migration.Http";

    /// <summary>How many characters of an error response body the classifier reads for the server's message.</summary>
    public const int MaxErrorBodyChars = 4096;

    /// <summary>How many characters of the server's message an exception quotes.</summary>
    public const int MaxServerMessageChars = 300;

    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(100);

    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromMinutes(10);

    public static readonly string DefaultUserAgent = CreateDefaultUserAgent();

    private static string CreateDefaultUserAgent()
    {
        string? version = typeof(StoreHttpConstants).Assembly.GetName().Version?.ToString(3);
        return version is null ? "NextCart.Migration" : $"NextCart.Migration/{version}";
    }
}
