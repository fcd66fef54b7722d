using Microsoft.Extensions.Logging;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>The Shopify connectors' log messages. They never carry the access token or record payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = ShopifyEventId.SourcePageRead, EventName = "SourcePageRead", Level = LogLevel.Debug, Message = "Shopify {Resource}: read {Count} records (page size {PageSize})")]
    public static partial void SourcePageRead(this ILogger logger, string resource, int count, int pageSize);

    [LoggerMessage(EventId = ShopifyEventId.SourceRecordMalformed, EventName = "SourceRecordMalformed", Level = LogLevel.Warning, Message = "Shopify {Resource} record {SourceId} could not be read: {Reason}")]
    public static partial void SourceRecordMalformed(this ILogger logger, string resource, string sourceId, string reason);

    [LoggerMessage(EventId = ShopifyEventId.BucketWait, EventName = "BucketWait", Level = LogLevel.Trace, Message = "Shopify {Shop}: waiting for {Cost} query-cost points")]
    public static partial void BucketWait(this ILogger logger, string shop, int cost);

    [LoggerMessage(EventId = ShopifyEventId.Throttled, EventName = "Throttled", Level = LogLevel.Information, Message = "Shopify {Shop} throttled a request of cost {Cost} ({Available} of {Maximum} points available); retry {Attempt} after {Delay}")]
    public static partial void Throttled(this ILogger logger, string shop, int cost, double available, double maximum, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = ShopifyEventId.BatchWritten, EventName = "BatchWritten", Level = LogLevel.Debug, Message = "Shopify {Resource} batch: {Count} records, {Failed} failed")]
    public static partial void BatchWritten(this ILogger logger, string resource, int count, int failed);

    [LoggerMessage(EventId = ShopifyEventId.RecordRejected, EventName = "RecordRejected", Level = LogLevel.Information, Message = "Shopify rejected {Resource} record {SourceId}: {Message}")]
    public static partial void RecordRejected(this ILogger logger, string resource, string sourceId, string message);

    [LoggerMessage(EventId = ShopifyEventId.DefinitionsEnsured, EventName = "DefinitionsEnsured", Level = LogLevel.Debug, Message = "Shopify metafield definition nextcart.source_id is ready for {OwnerType}")]
    public static partial void DefinitionEnsured(this ILogger logger, string ownerType);

    [LoggerMessage(EventId = ShopifyEventId.CheckFailed, EventName = "CheckFailed", Level = LogLevel.Warning, Message = "Shopify check failed ({Category}): {Message}")]
    public static partial void CheckFailed(this ILogger logger, FailureCategory category, string message);

    [LoggerMessage(EventId = ShopifyEventId.BatchSplit, EventName = "BatchSplit", Level = LogLevel.Information, Message = "Shopify rejected a request of {Count} {Resource} mutations as a whole ({Reason}); they are retried one at a time")]
    public static partial void BatchSplit(this ILogger logger, int count, string resource, string reason);

    [LoggerMessage(EventId = ShopifyEventId.BlogReady, EventName = "BlogReady", Level = LogLevel.Information, Message = "Shopify blog {Handle} ({BlogId}) receives blog posts")]
    public static partial void BlogReady(this ILogger logger, string handle, string blogId);
}
