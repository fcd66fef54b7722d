using NextCart.Migration.Estimation;
using NextCart.Migration.Model;

namespace NextCart.Migration;

/// <summary>The options of one run.</summary>
/// <remarks>The engine validates every option when the run starts and reports all problems together.</remarks>
public sealed class MigrationOptions
{
    /// <summary>Gets or sets the mode.</summary>
    /// <value>The default value is <see cref="MigrationMode.Full"/>.</value>
    public MigrationMode Mode { get; set; } = MigrationMode.Full;

    /// <summary>Gets or sets the entity types to migrate; empty means every type.</summary>
    /// <value>The default value is empty (every type).</value>
    public ISet<EntityType> Entities { get; set; } = new HashSet<EntityType>();

    /// <summary>Gets or sets the number of records per type in a demo run.</summary>
    /// <value>The default value is 10.</value>
    public int DemoSize { get; set; } = MigrationConstants.DefaultDemoSize;

    /// <summary>Gets or sets the inclusive lower bound on records' creation time, for every mode.</summary>
    public DateTimeOffset? CreatedFrom { get; set; }

    /// <summary>Gets or sets the exclusive upper bound on records' creation time, for every mode.</summary>
    public DateTimeOffset? CreatedTo { get; set; }

    /// <summary>Gets or sets the raw source order statuses to migrate; empty means every status.</summary>
    public ISet<string> OrderStatusFilter { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the types to delete on the target before the run. It cannot be undone, so it is never implied.</summary>
    /// <value>The default value is empty.</value>
    public ISet<EntityType> ClearTargetTypes { get; set; } = new HashSet<EntityType>();

    /// <summary>Gets or sets a value indicating whether the target should keep source ids where it can.</summary>
    public bool PreserveIds { get; set; }

    /// <summary>Gets or sets a value indicating whether to create 301 redirects from old product and category URLs to the new ones.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CreateRedirects { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether to strip HTML from descriptions and bodies.</summary>
    public bool StripHtml { get; set; }

    /// <summary>Gets or sets the map from raw source order statuses to canonical statuses (see <see cref="OrderStatuses"/>).</summary>
    public IDictionary<string, string> OrderStatusMap { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the canonical status for source statuses the map does not cover; <see langword="null"/> means every value must be mapped.</summary>
    public string? DefaultOrderStatus { get; set; }

    /// <summary>Gets or sets the map from raw source customer groups to canonical groups (see <see cref="CustomerGroups"/>).</summary>
    public IDictionary<string, string> CustomerGroupMap { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the canonical group for source groups the map does not cover; <see langword="null"/> means every value must be mapped.</summary>
    public string? DefaultCustomerGroup { get; set; }

    /// <summary>Gets or sets how the run reacts to a failed record.</summary>
    /// <value>The default value is <see cref="ErrorMode.ContinueOnRecordFailure"/>.</value>
    public ErrorMode ErrorMode { get; set; } = ErrorMode.ContinueOnRecordFailure;

    /// <summary>Gets or sets the number of failed records after which a run in <see cref="ErrorMode.ContinueOnRecordFailure"/> stops; <see langword="null"/> for no budget.</summary>
    public int? ErrorBudget { get; set; }

    /// <summary>Gets or sets the plan limit in Entity Points per run; <see langword="null"/> for no limit.</summary>
    public decimal? PlanLimit { get; set; }

    /// <summary>Gets or sets what happens at the plan limit.</summary>
    /// <value>The default value is <see cref="LimitPolicy.Block"/>.</value>
    public LimitPolicy LimitPolicy { get; set; } = LimitPolicy.Block;

    /// <summary>Gets or sets the point weights.</summary>
    /// <value>The default value is <see cref="PointSchedule.Default"/>.</value>
    public PointSchedule PointSchedule { get; set; } = PointSchedule.Default;

    /// <summary>Gets or sets a cap on the batch size below the target's limit; <see langword="null"/> to use the target's.</summary>
    public int? MaxBatchSize { get; set; }

    /// <summary>Gets or sets a cap on concurrent writes below the target's limit; <see langword="null"/> to use the target's.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets a callback that receives progress snapshots.</summary>
    public IProgress<MigrationProgress>? Progress { get; set; }

    /// <summary>Gets a value indicating whether customers are notified of imported orders or accounts. It is always <see langword="false"/>.</summary>
    public bool NotifyCustomers => false;

    /// <summary>Gets the selected types in dependency order.</summary>
    /// <returns>The types.</returns>
    public IReadOnlyList<EntityType> GetSelectedTypes()
        => Entities.Count == 0 ? EntityTypes.All : EntityTypes.All.Where(Entities.Contains).ToArray();
}

/// <summary>Default values of the engine's options.</summary>
internal static class MigrationConstants
{
    public const int DefaultDemoSize = 10;
    public const int DefaultMaxRetries = 5;
    public const int DefaultChannelCapacityInBatches = 4;
    public const int DefaultMaxRecordsInFlight = 1_000;
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultStopRequestPollInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultRecentLookback = TimeSpan.FromMinutes(5);
}
