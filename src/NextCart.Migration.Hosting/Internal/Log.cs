using Microsoft.Extensions.Logging;

namespace NextCart.Migration.Hosting.Internal;

/// <summary>The hosting package's log messages. They carry run and project ids, never settings or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = HostingEventId.WorkerStarted, EventName = "WorkerStarted", Level = LogLevel.Information, Message = "Migration worker {OwnerId} started: at most {MaxConcurrentRuns} concurrent runs, polling every {PollInterval}")]
    public static partial void WorkerStarted(this ILogger logger, string ownerId, int maxConcurrentRuns, TimeSpan pollInterval);

    [LoggerMessage(EventId = HostingEventId.RunClaimed, EventName = "RunClaimed", Level = LogLevel.Information, Message = "Migration worker claimed run {RunId} of project {ProjectId} (was {PreviousState})")]
    public static partial void RunClaimed(this ILogger logger, string runId, string projectId, MigrationRunState previousState);

    [LoggerMessage(EventId = HostingEventId.RunStopped, EventName = "RunStopped", Level = LogLevel.Information, Message = "Run {RunId} stopped in this worker: {State}")]
    public static partial void RunStopped(this ILogger logger, string runId, MigrationRunState state);

    [LoggerMessage(EventId = HostingEventId.RunNotStarted, EventName = "RunNotStarted", Level = LogLevel.Warning, Message = "Migration worker could not start run {RunId}: {Reason}")]
    public static partial void RunNotStarted(this ILogger logger, string runId, string reason, Exception? exception);

    [LoggerMessage(EventId = HostingEventId.PollFailed, EventName = "PollFailed", Level = LogLevel.Warning, Message = "Migration worker could not poll the store ({ConsecutiveFailures} in a row); it tries again at the next poll")]
    public static partial void PollFailed(this ILogger logger, int consecutiveFailures, Exception exception);

    [LoggerMessage(EventId = HostingEventId.ShutdownPausing, EventName = "ShutdownPausing", Level = LogLevel.Information, Message = "Host shutdown: pausing {Count} run(s) after their in-flight batches commit")]
    public static partial void ShutdownPausing(this ILogger logger, int count);

    [LoggerMessage(EventId = HostingEventId.ShutdownTimedOut, EventName = "ShutdownTimedOut", Level = LogLevel.Warning, Message = "The shutdown timeout elapsed before run {RunId} paused; it resumes from its last checkpoint once its lease expires")]
    public static partial void ShutdownTimedOut(this ILogger logger, string runId);

    [LoggerMessage(EventId = HostingEventId.WorkerStopped, EventName = "WorkerStopped", Level = LogLevel.Information, Message = "Migration worker {OwnerId} stopped")]
    public static partial void WorkerStopped(this ILogger logger, string ownerId);
}
