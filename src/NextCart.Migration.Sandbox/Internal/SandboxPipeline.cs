using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace NextCart.Migration.Sandbox.Internal;

/// <summary>The request pipeline every sandbox shares: counting, latency, fault injection, then the platform.</summary>
internal sealed class SandboxPipeline
{
    private readonly ISandboxPlatform _platform;
    private readonly FaultInjector _faults;
    private readonly SandboxRequestCounters _counters;
    private readonly TimeProvider _timeProvider;

    public SandboxPipeline(ISandboxPlatform platform, FaultInjector faults, SandboxRequestCounters counters, TimeProvider timeProvider)
    {
        _platform = platform;
        _faults = faults;
        _counters = counters;
        _timeProvider = timeProvider;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        long number = _counters.OnRequest(_platform.GetEndpointKey(request));
        FaultDecision decision = _faults.Decide();
        CancellationToken aborted = context.RequestAborted;
        bool reset = false;
        try
        {
            if (decision.Latency > TimeSpan.Zero)
            {
                await Task.Delay(decision.Latency, _timeProvider, aborted).ConfigureAwait(false);
            }

            if (decision.Kind is { } kind)
            {
                _counters.OnFault(new SandboxInjectedFault(number, kind, decision.StatusCode, request.Method, request.Path.Value ?? "/"));
                switch (kind)
                {
                    case SandboxFaultKind.ConnectionReset:
                        reset = true;
                        context.Abort();
                        return;
                    case SandboxFaultKind.ServerError:
                        context.Response.StatusCode = decision.StatusCode;
                        await _platform.WriteServerErrorAsync(context, decision.StatusCode).ConfigureAwait(false);
                        return;
                    case SandboxFaultKind.RateLimited:
                        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                        long seconds = (long)Math.Ceiling(decision.RetryAfter.TotalSeconds);
                        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                        await _platform.WriteRateLimitedAsync(context).ConfigureAwait(false);
                        return;
                    case SandboxFaultKind.Timeout:
                        await Task.Delay(decision.TimeoutDelay, _timeProvider, aborted).ConfigureAwait(false);
                        break;
                    case SandboxFaultKind.LostResponse:
                        // Carry the request out against a buffer, then drop the connection: nothing of the answer leaves.
                        Stream body = context.Response.Body;
                        using (var discarded = new MemoryStream())
                        {
                            context.Response.Body = discarded;
                            try
                            {
                                await _platform.HandleAsync(context).ConfigureAwait(false);
                            }
                            finally
                            {
                                context.Response.Body = body;
                            }
                        }

                        reset = true;
                        context.Abort();
                        return;
                }
            }

            await _platform.HandleAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (typically after its own timeout); there is nobody to answer.
        }
        finally
        {
            if (!reset)
            {
                _counters.OnResponse(context.Response.StatusCode);
            }
        }
    }
}
