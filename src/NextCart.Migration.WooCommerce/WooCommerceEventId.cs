namespace NextCart.Migration.WooCommerce;

/// <summary>The event ids of the WooCommerce connectors' log messages: 2000–2099 for the source, 3000–3099 for the target.</summary>
public static class WooCommerceEventId
{
    /// <summary>The source read a page of records.</summary>
    public const int SourcePageRead = 2000;

    /// <summary>The source skipped a record it could not translate.</summary>
    public const int SourceRecordMalformed = 2001;

    /// <summary>The Redirection plugin's endpoint is missing, so the store has no redirects to read or write.</summary>
    public const int RedirectsUnavailable = 2002;

    /// <summary>The store's currency could not be read, so the configured default currency is used.</summary>
    public const int CurrencyDefaulted = 2003;

    /// <summary>The target wrote a batch.</summary>
    public const int BatchWritten = 3000;

    /// <summary>The target rejected one item of a batch.</summary>
    public const int ItemRejected = 3001;

    /// <summary>The target adopted an existing product with the same SKU instead of creating a duplicate.</summary>
    public const int ProductAdopted = 3002;

    /// <summary>A connector check failed.</summary>
    public const int CheckFailed = 3003;
}
