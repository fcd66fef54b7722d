using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace NextCart.Migration.Http.Internal;

/// <summary>
/// Builds a store client's resilience pipeline, outermost first: total timeout, retry (Retry-After aware, unsafe methods only when
/// unprocessed), the store's waiting rate limiter (per attempt), attempt timeout.
/// </summary>
internal static class StorePipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context, string clientName)
    {
        IServiceProvider services = context.ServiceProvider;
        StoreHttpOptions options = StoreHttpOptionsAccessor.Get(services.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>(), clientName);
        context.EnableReloads<StoreHttpOptions>(clientName);

        TimeProvider timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        builder.TimeProvider = timeProvider;
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(StoreHttpConstants.LoggerCategory) ?? NullLogger.Instance;
        StoreThrottle throttle = services.GetRequiredService<StoreThrottleRegistry>().GetOrAdd(options);

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = options.TotalTimeout });

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), options, timeProvider, logger)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } response ? RetryAfterParser.Get(response, timeProvider) : null),
                OnRetry = args =>
                {
                    OnRetry(args, throttle, timeProvider, logger);
                    return default;
                },
            });
        }

        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "StoreRateLimiter",
            RateLimiter = args => throttle.AcquireAsync(args.Context.CancellationToken),
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout });
    }

    /// <summary>The retry rule; see <see cref="StoreHttpRequestOptions"/>.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, StoreHttpOptions options, TimeProvider timeProvider, ILogger logger)
    {
        bool safeToRetry = request?.IsSafeToRetry() ?? false;
        if (outcome.Exception is { } exception)
        {
            if (!IsTransient(exception))
            {
                return false;
            }

            if (safeToRetry || WasNotSent(exception))
            {
                return true;
            }

            LogNotRetried(logger, request, exception.GetType().Name);
            return false;
        }

        if (outcome.Result is not { } response || !HttpFailureClassifier.IsTransient(response.StatusCode))
        {
            return false;
        }

        TimeSpan? retryAfter = RetryAfterParser.Get(response, timeProvider);
        if (retryAfter > options.TotalTimeout)
        {
            // Waiting here would outlast the total timeout; the caller gets the failure with RetryAfter and schedules the wait itself.
            return false;
        }

        if (safeToRetry || WasRefused(response.StatusCode, retryAfter))
        {
            return true;
        }

        LogNotRetried(logger, request, Log.Describe(response.StatusCode));
        return false;
    }

    /// <summary>A status that says the store did not process the request: 429, or 503 with Retry-After.</summary>
    internal static bool WasRefused(HttpStatusCode statusCode, TimeSpan? retryAfter)
        => statusCode == HttpStatusCode.TooManyRequests || (statusCode == HttpStatusCode.ServiceUnavailable && retryAfter is not null);

    /// <summary>An exception that proves nothing was sent: the host name did not resolve, or the connection was never established.</summary>
    internal static bool WasNotSent(Exception exception)
        => exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }
            && !IsTlsFailure(exception);

    private static bool IsTransient(Exception exception) => exception switch
    {
        OperationCanceledException => false, // caller cancellation or the total timeout: never retried
        TimeoutRejectedException => true,     // the attempt timeout
        _ when IsTlsFailure(exception) => false,
        HttpRequestException http => http.HttpRequestError is not (HttpRequestError.UserAuthenticationError
            or HttpRequestError.ProxyTunnelError
            or HttpRequestError.ConfigurationLimitExceeded
            or HttpRequestError.ExtendedConnectNotSupported
            or HttpRequestError.VersionNegotiationError),
        IOException or SocketException => true,
        _ => false,
    };

    private static bool IsTlsFailure(Exception exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return true;
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static void OnRetry(OnRetryArguments<HttpResponseMessage> args, StoreThrottle throttle, TimeProvider timeProvider, ILogger logger)
    {
        HttpRequestMessage? request = args.Context.GetRequestMessage();
        if (args.Outcome.Result is { } response
            && WasRefused(response.StatusCode, RetryAfterParser.Get(response, timeProvider))
            && RetryAfterParser.Get(response, timeProvider) is { } retryAfter
            && throttle.PauseFor(retryAfter))
        {
            logger.StorePaused(throttle.Key, retryAfter, (int)response.StatusCode);
        }

        if (logger.IsEnabled(LogLevel.Warning))
        {
            string outcome = args.Outcome.Result is { } result
                ? Log.Describe(result.StatusCode)
                : $"{args.Outcome.Exception?.GetType().Name}: {SecretRedactor.Redact(args.Outcome.Exception?.Message)}";
            logger.RetryScheduled(request?.Method.Method ?? "?", SecretRedactor.RedactUri(request?.RequestUri), args.AttemptNumber + 1, outcome, args.RetryDelay);
        }
    }

    private static void LogNotRetried(ILogger logger, HttpRequestMessage? request, string outcome)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.UnsafeRequestNotRetried(request?.Method.Method ?? "?", SecretRedactor.RedactUri(request?.RequestUri), outcome);
        }
    }
}
