using NextCart.Migration.Checkpoints;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>The engine's log messages. Payloads and secrets never appear in them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = MigrationEventId.RunStarted, EventName = "RunStarted", Level = LogLevel.Information, Message = "Run {RunId} of project {ProjectId} started in mode {Mode}")]
    public static partial void RunStarted(this ILogger logger, string runId, string projectId, MigrationMode mode);

    [LoggerMessage(EventId = MigrationEventId.RunStopped, EventName = "RunStopped", Level = LogLevel.Information, Message = "Run {RunId} stopped in state {State}")]
    public static partial void RunStopped(this ILogger logger, string runId, MigrationRunState state);

    [LoggerMessage(EventId = MigrationEventId.TypeStarted, EventName = "TypeStarted", Level = LogLevel.Debug, Message = "Run {RunId}: {EntityType} started (batch {BatchSize}, concurrency {Concurrency})")]
    public static partial void TypeStarted(this ILogger logger, string runId, EntityType entityType, int batchSize, int concurrency);

    [LoggerMessage(EventId = MigrationEventId.TypeCompleted, EventName = "TypeCompleted", Level = LogLevel.Information, Message = "Run {RunId}: {EntityType} completed")]
    public static partial void TypeCompleted(this ILogger logger, string runId, EntityType entityType);

    [LoggerMessage(EventId = MigrationEventId.RecordFailed, EventName = "RecordFailed", Level = LogLevel.Warning, Message = "Run {RunId}: {EntityType} {SourceId} failed ({Category}): {Reason}")]
    public static partial void RecordFailed(this ILogger logger, string runId, EntityType entityType, string sourceId, FailureCategory category, string reason);

    [LoggerMessage(EventId = MigrationEventId.RecordWarning, EventName = "RecordWarning", Level = LogLevel.Debug, Message = "Run {RunId}: {EntityType} {SourceId} warning ({Category}): {Reason}")]
    public static partial void RecordWarning(this ILogger logger, string runId, EntityType entityType, string sourceId, FailureCategory category, string reason);

    [LoggerMessage(EventId = MigrationEventId.RunFailed, EventName = "RunFailed", Level = LogLevel.Error, Message = "Run {RunId} failed")]
    public static partial void RunFailed(this ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = MigrationEventId.PendingReconciled, EventName = "PendingReconciled", Level = LogLevel.Information, Message = "Run {RunId}: {EntityType} reconciled {Pending} pending writes, adopted {Adopted} found on the target")]
    public static partial void PendingReconciled(this ILogger logger, string runId, EntityType entityType, int pending, int adopted);

    [LoggerMessage(EventId = MigrationEventId.PlanLimitReached, EventName = "PlanLimitReached", Level = LogLevel.Warning, Message = "Run {RunId} reached the plan limit of {Limit} points at {EntityType}")]
    public static partial void PlanLimitReached(this ILogger logger, string runId, decimal limit, EntityType entityType);

    [LoggerMessage(EventId = MigrationEventId.TargetLinkRetry, EventName = "TargetLinkRetry", Level = LogLevel.Warning, Message = "Run {RunId}: setting {EntityType} links failed transiently (attempt {Attempt}); retrying in {Delay}")]
    public static partial void TargetLinkRetry(this ILogger logger, string runId, EntityType entityType, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = MigrationEventId.DeferredLinksApplied, EventName = "DeferredLinksApplied", Level = LogLevel.Debug, Message = "Run {RunId}: {EntityType} deferred links set on {Records} records, {Unresolved} unresolved")]
    public static partial void DeferredLinksApplied(this ILogger logger, string runId, EntityType entityType, int records, int unresolved);

    [LoggerMessage(EventId = MigrationEventId.LeaseLost, EventName = "LeaseLost", Level = LogLevel.Warning, Message = "Run {RunId}: the lease was lost; this worker stops writing")]
    public static partial void LeaseLost(this ILogger logger, string runId);

    [LoggerMessage(EventId = MigrationEventId.StopRequested, EventName = "StopRequested", Level = LogLevel.Information, Message = "Run {RunId}: another process asked it to {Request}; it stops reading and lets in-flight batches commit")]
    public static partial void StopRequested(this ILogger logger, string runId, RunStopRequest request);

    [LoggerMessage(EventId = MigrationEventId.SourceReadRetry, EventName = "SourceReadRetry", Level = LogLevel.Warning, Message = "Run {RunId}: reading {EntityType} failed transiently (attempt {Attempt}); retrying in {Delay}")]
    public static partial void SourceReadRetry(this ILogger logger, string runId, EntityType entityType, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = MigrationEventId.TargetWriteRetry, EventName = "TargetWriteRetry", Level = LogLevel.Warning, Message = "Run {RunId}: writing {EntityType} failed transiently (attempt {Attempt}); reconciling and retrying in {Delay}")]
    public static partial void TargetWriteRetry(this ILogger logger, string runId, EntityType entityType, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = MigrationEventId.TargetBatchSplit, EventName = "TargetBatchSplit", Level = LogLevel.Debug, Message = "Run {RunId}: a batch of {Count} {EntityType} was rejected as a whole; splitting it")]
    public static partial void TargetBatchSplit(this ILogger logger, string runId, int count, EntityType entityType);

    [LoggerMessage(EventId = MigrationEventId.StoreUpdateFailed, EventName = "StoreUpdateFailed", Level = LogLevel.Error, Message = "Run {RunId}: the store could not record the run's final state")]
    public static partial void StoreUpdateFailed(this ILogger logger, string runId, Exception exception);
}
