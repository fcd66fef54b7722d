using System.ComponentModel.DataAnnotations;

namespace NextCart.Migration;

/// <summary>Engine-wide options of a migration manager.</summary>
public sealed class MigrationManagerOptions
{
    /// <summary>Gets or sets how many times a transient batch failure is retried before its records fail.</summary>
    /// <value>The default value is 5.</value>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = MigrationConstants.DefaultMaxRetries;

    /// <summary>Gets or sets the base delay of the exponential backoff (with jitter) between retries.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = MigrationConstants.DefaultRetryBaseDelay;

    /// <summary>
    /// Gets or sets the capacity of each pipeline channel, in batches. <see cref="MaxRecordsInFlight"/> bounds the records
    /// the channels hold; this bounds the number of pages and batches.
    /// </summary>
    /// <value>The default value is 4.</value>
    [Range(1, 1024)]
    public int ChannelCapacity { get; set; } = MigrationConstants.DefaultChannelCapacityInBatches;

    /// <summary>
    /// Gets or sets how many records of one entity type the pipeline holds between the source and the target: the next
    /// source page is read only while fewer records than this are read but not yet written. It bounds the run's memory
    /// by records, whatever the page and batch sizes, so the peak is the same for a short run and a long one.
    /// </summary>
    /// <remarks>
    /// The engine raises it, per type, to twice the largest source page and to twice the records the target's writers
    /// take at once (maximum concurrency × batch size), so that reading overlaps writing and every writer has a batch.
    /// A page is admitted whenever fewer records than the bound are in flight, so one page may exceed it.
    /// </remarks>
    /// <value>The default value is 1,000.</value>
    [Range(1, 10_000_000)]
    public int MaxRecordsInFlight { get; set; } = MigrationConstants.DefaultMaxRecordsInFlight;

    /// <summary>Gets or sets how long a run's lease lasts without a heartbeat. The heartbeat renews it every third of this.</summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = MigrationConstants.DefaultLeaseDuration;

    /// <summary>
    /// Gets or sets how often the heartbeat of an executing run reads its stop request from the store
    /// (<see cref="Checkpoints.ICheckpointStore.GetStopRequestAsync"/>), so a pause or cancel asked by another process is
    /// noticed; it is also read at every lease renewal. <see cref="TimeSpan.Zero"/> reads it at lease renewals only.
    /// </summary>
    /// <value>The default value is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StopRequestPollInterval { get; set; } = MigrationConstants.DefaultStopRequestPollInterval;

    /// <summary>Gets or sets how far before the previous high-water mark a <see cref="MigrationMode.Recent"/> run looks, to catch late writes.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RecentLookback { get; set; } = MigrationConstants.DefaultRecentLookback;

    /// <summary>Gets or sets this worker's lease owner id.</summary>
    /// <value>The default value is the machine name, process id and a random suffix.</value>
    [Required]
    public string OwnerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
