using Microsoft.AspNetCore.Http;

namespace NextCart.Migration.Sandbox.Internal;

/// <summary>
/// Lets a server start (and learn its port) before the platform behind it exists: the platform needs the site URL for its
/// links, and the server picks the port. Requests that arrive before the platform is set get a 503.
/// </summary>
internal sealed class DeferredPlatform : ISandboxPlatform
{
    private volatile ISandboxPlatform? _inner;

    public ISandboxPlatform? Inner
    {
        get => _inner;
        set => _inner = value;
    }

    public Task HandleAsync(HttpContext context)
    {
        if (_inner is { } inner)
        {
            return inner.HandleAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Task.CompletedTask;
    }

    public Task WriteServerErrorAsync(HttpContext context, int statusCode)
        => _inner is { } inner ? inner.WriteServerErrorAsync(context, statusCode) : Task.CompletedTask;

    public Task WriteRateLimitedAsync(HttpContext context)
        => _inner is { } inner ? inner.WriteRateLimitedAsync(context) : Task.CompletedTask;

    public string GetEndpointKey(HttpRequest request)
        => _inner is { } inner ? inner.GetEndpointKey(request) : request.Method + " " + request.Path;
}
