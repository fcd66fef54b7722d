namespace NextCart.Migration.Shopify;

/// <summary>The event ids of the Shopify connectors' log messages (3100–3199).</summary>
public static class ShopifyEventId
{
    /// <summary>A page of source records was read.</summary>
    public const int SourcePageRead = 3100;

    /// <summary>A source record could not be translated.</summary>
    public const int SourceRecordMalformed = 3101;

    /// <summary>The connector waited for the shop's query-cost bucket before sending.</summary>
    public const int BucketWait = 3102;

    /// <summary>Shopify answered THROTTLED; the request is retried after the bucket refills.</summary>
    public const int Throttled = 3103;

    /// <summary>A batch of mutations was written.</summary>
    public const int BatchWritten = 3104;

    /// <summary>Shopify rejected a record with userErrors.</summary>
    public const int RecordRejected = 3105;

    /// <summary>The nextcart.source_id metafield definitions were created or found.</summary>
    public const int DefinitionsEnsured = 3106;

    /// <summary>The connector check failed.</summary>
    public const int CheckFailed = 3107;

    /// <summary>A request of several aliased mutations was rejected as a whole and is retried one record at a time.</summary>
    public const int BatchSplit = 3108;

    /// <summary>The blog that receives articles was created or found.</summary>
    public const int BlogReady = 3109;
}
