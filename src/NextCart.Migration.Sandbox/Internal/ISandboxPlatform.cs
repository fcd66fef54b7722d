using Microsoft.AspNetCore.Http;

namespace NextCart.Migration.Sandbox.Internal;

/// <summary>The platform-specific part of a sandbox: how it answers requests and how its injected failures look.</summary>
internal interface ISandboxPlatform
{
    /// <summary>Handles a request that no fault replaced.</summary>
    Task HandleAsync(HttpContext context);

    /// <summary>Writes the body of an injected server error, as the platform's hosting stack would send it.</summary>
    Task WriteServerErrorAsync(HttpContext context, int statusCode);

    /// <summary>Writes an injected 429 response; the pipeline has already set the status and <c>Retry-After</c>.</summary>
    Task WriteRateLimitedAsync(HttpContext context);

    /// <summary>Gets the endpoint key a request is counted under.</summary>
    string GetEndpointKey(HttpRequest request);
}
