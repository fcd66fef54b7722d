namespace NextCart.Migration.Http;

/// <summary>
/// The public event ids of the logs of NextCart.Migration.Http, the HTTP plumbing that source and target connectors share.
/// They sit at the top of the source range (2900–2999), clear of the engine's <c>MigrationEventId</c> values.
/// </summary>
/// <remarks>Every logged URI is redacted with <see cref="SecretRedactor.RedactUri(Uri?)"/>; headers and bodies are never logged.</remarks>
public static class HttpEventId
{
    /// <summary>A request completed with a response (any status), after every retry. Logged at <c>Debug</c>.</summary>
    public const int RequestCompleted = 2900;

    /// <summary>A request failed without a response (connection, TLS, timeout). Logged at <c>Warning</c>.</summary>
    public const int RequestFailed = 2901;

    /// <summary>An attempt failed transiently and is retried after a delay. Logged at <c>Warning</c>.</summary>
    public const int RetryScheduled = 2902;

    /// <summary>The store asked to wait (<c>Retry-After</c>); every request to the store waits until then. Logged at <c>Information</c>.</summary>
    public const int StorePaused = 2903;

    /// <summary>
    /// A request that is not safe to retry failed in a way that may have reached the store, so it was not retried and the caller must
    /// reconcile. Logged at <c>Information</c>.
    /// </summary>
    public const int UnsafeRequestNotRetried = 2904;

    /// <summary>A request was refused before sending because it would send credentials over plain HTTP to a remote host. Logged at <c>Error</c>.</summary>
    public const int InsecureRequestRefused = 2905;
}
