using System.Net;
using Microsoft.Extensions.Logging;

namespace NextCart.Migration.Http.Internal;

/// <summary>The HTTP plumbing's log messages. URIs are always redacted; headers and bodies never appear.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = HttpEventId.RequestCompleted, EventName = "RequestCompleted", Level = LogLevel.Debug, Message = "HTTP {Method} {Uri} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    public static partial void RequestCompleted(this ILogger logger, string method, string uri, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = HttpEventId.RequestFailed, EventName = "RequestFailed", Level = LogLevel.Warning, Message = "HTTP {Method} {Uri} failed after {ElapsedMilliseconds} ms ({Category}, transient: {IsTransient}): {Reason}")]
    public static partial void RequestFailed(this ILogger logger, string method, string uri, long elapsedMilliseconds, FailureCategory category, bool isTransient, string reason);

    [LoggerMessage(EventId = HttpEventId.RetryScheduled, EventName = "RetryScheduled", Level = LogLevel.Warning, Message = "HTTP {Method} {Uri} attempt {Attempt} failed ({Outcome}); retrying in {Delay}")]
    public static partial void RetryScheduled(this ILogger logger, string method, string uri, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(EventId = HttpEventId.StorePaused, EventName = "StorePaused", Level = LogLevel.Information, Message = "Store {StoreKey} asked to wait {Delay} (HTTP {StatusCode}); its requests wait until then")]
    public static partial void StorePaused(this ILogger logger, string storeKey, TimeSpan delay, int statusCode);

    [LoggerMessage(EventId = HttpEventId.UnsafeRequestNotRetried, EventName = "UnsafeRequestNotRetried", Level = LogLevel.Information, Message = "HTTP {Method} {Uri} failed ({Outcome}) and may have reached the store, so it is not retried; the caller reconciles before repeating it")]
    public static partial void UnsafeRequestNotRetried(this ILogger logger, string method, string uri, string outcome);

    [LoggerMessage(EventId = HttpEventId.InsecureRequestRefused, EventName = "InsecureRequestRefused", Level = LogLevel.Error, Message = "HTTP {Method} {Uri} was refused: plain HTTP to a remote host would send the credentials unencrypted")]
    public static partial void InsecureRequestRefused(this ILogger logger, string method, string uri);

    public static string Describe(HttpStatusCode statusCode) => $"HTTP {(int)statusCode}";
}
