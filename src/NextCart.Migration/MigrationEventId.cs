namespace NextCart.Migration;

/// <summary>
/// The public event ids of NextCart.Migration's logs, in ranges by area: 1000 engine, 2000 source, 3000 target,
/// 4000 checkpoint store, 5000 hosting.
/// </summary>
public static class MigrationEventId
{
    /// <summary>A run started or resumed.</summary>
    public const int RunStarted = 1000;

    /// <summary>A run stopped in a final or paused state.</summary>
    public const int RunStopped = 1001;

    /// <summary>An entity type started.</summary>
    public const int TypeStarted = 1002;

    /// <summary>An entity type completed.</summary>
    public const int TypeCompleted = 1003;

    /// <summary>A record failed.</summary>
    public const int RecordFailed = 1004;

    /// <summary>A run failed with an error.</summary>
    public const int RunFailed = 1005;

    /// <summary>Pending intents from an interrupted run were reconciled with the target.</summary>
    public const int PendingReconciled = 1006;

    /// <summary>A run reached the plan limit.</summary>
    public const int PlanLimitReached = 1007;

    /// <summary>A deferred link pass ran.</summary>
    public const int DeferredLinksApplied = 1008;

    /// <summary>A run's lease was lost to another worker.</summary>
    public const int LeaseLost = 1009;

    /// <summary>Another process asked, through the checkpoint store, that a run executing here pause or cancel.</summary>
    public const int StopRequested = 1010;

    /// <summary>
    /// A record was reported with a warning (an adjustment the target made, an optional reference dropped, a link not set,
    /// a record of a type the target lacks skipped); logged at <c>Debug</c> level, once per warning, when it is committed.
    /// </summary>
    public const int RecordWarning = 1011;

    /// <summary>A source page read failed transiently and is retried.</summary>
    public const int SourceReadRetry = 2000;

    /// <summary>A target write failed transiently and is retried.</summary>
    public const int TargetWriteRetry = 3000;

    /// <summary>A batch was rejected as a whole and is split to isolate the bad record.</summary>
    public const int TargetBatchSplit = 3001;

    /// <summary>Setting deferred links on the target failed transiently and is retried (links are idempotent updates).</summary>
    public const int TargetLinkRetry = 3002;

    /// <summary>A store call failed while the run was stopping.</summary>
    public const int StoreUpdateFailed = 4000;
}
