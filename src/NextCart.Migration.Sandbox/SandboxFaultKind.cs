namespace NextCart.Migration.Sandbox;

/// <summary>The kinds of fault a sandbox injects.</summary>
public enum SandboxFaultKind
{
    /// <summary>A 5xx response, as from a crashed PHP worker or a failing gateway.</summary>
    ServerError = 0,

    /// <summary>A response held back beyond <see cref="SandboxFaultOptions.TimeoutDelay"/>.</summary>
    Timeout = 1,

    /// <summary>A connection aborted without a response.</summary>
    ConnectionReset = 2,

    /// <summary>A <c>429 Too Many Requests</c> response with <c>Retry-After</c>.</summary>
    RateLimited = 3,

    /// <summary>
    /// The request is carried out, then the connection is aborted before the response leaves: the write landed, but the client
    /// cannot know it. This is the fault that only reconciliation survives without duplicates.
    /// </summary>
    LostResponse = 4,
}

/// <summary>One fault a sandbox injected.</summary>
/// <param name="RequestNumber">The 1-based number of the request, in arrival order.</param>
/// <param name="Kind">The kind of fault.</param>
/// <param name="StatusCode">The status code sent (0 for a reset connection; for a timeout, the code of the eventual response is not known yet, so 0).</param>
/// <param name="Method">The request's HTTP method.</param>
/// <param name="Path">The request's path, without the query string.</param>
public readonly record struct SandboxInjectedFault(long RequestNumber, SandboxFaultKind Kind, int StatusCode, string Method, string Path);
