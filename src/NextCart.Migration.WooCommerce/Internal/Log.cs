using Microsoft.Extensions.Logging;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>The WooCommerce connectors' log messages. They never carry secrets or record payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = WooCommerceEventId.SourcePageRead, EventName = "SourcePageRead", Level = LogLevel.Debug, Message = "WooCommerce {Resource} page {Page}: {Count} records")]
    public static partial void SourcePageRead(this ILogger logger, string resource, int page, int count);

    [LoggerMessage(EventId = WooCommerceEventId.SourceRecordMalformed, EventName = "SourceRecordMalformed", Level = LogLevel.Warning, Message = "WooCommerce {Resource} record {SourceId} could not be read: {Reason}")]
    public static partial void SourceRecordMalformed(this ILogger logger, string resource, string sourceId, string reason);

    [LoggerMessage(EventId = WooCommerceEventId.RedirectsUnavailable, EventName = "RedirectsUnavailable", Level = LogLevel.Information, Message = "The store has no Redirection plugin endpoint; redirects are skipped")]
    public static partial void RedirectsUnavailable(this ILogger logger);

    [LoggerMessage(EventId = WooCommerceEventId.CurrencyDefaulted, EventName = "CurrencyDefaulted", Level = LogLevel.Warning, Message = "The store's currency could not be read ({Reason}); using {Currency}")]
    public static partial void CurrencyDefaulted(this ILogger logger, string reason, string currency);

    [LoggerMessage(EventId = WooCommerceEventId.BatchWritten, EventName = "BatchWritten", Level = LogLevel.Debug, Message = "WooCommerce {Resource} batch: {Count} items, {Failed} failed")]
    public static partial void BatchWritten(this ILogger logger, string resource, int count, int failed);

    [LoggerMessage(EventId = WooCommerceEventId.ItemRejected, EventName = "ItemRejected", Level = LogLevel.Information, Message = "WooCommerce rejected {Resource} record {SourceId}: {Code}")]
    public static partial void ItemRejected(this ILogger logger, string resource, string sourceId, string code);

    [LoggerMessage(EventId = WooCommerceEventId.ProductAdopted, EventName = "ProductAdopted", Level = LogLevel.Information, Message = "Product {SourceId} has the SKU of existing product {TargetId}; it was adopted and updated")]
    public static partial void ProductAdopted(this ILogger logger, string sourceId, string targetId);

    [LoggerMessage(EventId = WooCommerceEventId.CheckFailed, EventName = "CheckFailed", Level = LogLevel.Warning, Message = "WooCommerce check failed ({Category}): {Message}")]
    public static partial void CheckFailed(this ILogger logger, FailureCategory category, string message);
}
