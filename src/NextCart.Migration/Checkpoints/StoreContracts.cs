using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Checkpoints;

/// <summary>
/// The durable ledger of migrations: projects, runs and their states, per-type resume tokens, the ID map, pending write
/// intents, the points ledger, record issues, deferred links and run leases.
/// </summary>
/// <remarks>
/// <para>
/// Every implementation must pass the conformance kit in <c>NextCart.Migration.Testing</c>. The central guarantee is that
/// <see cref="CommitBatchAsync"/> is atomic: the ID-map rows, the removal of the batch's pending intents, the resume token,
/// the counters, the points and the issues of one batch are all visible, or none are.
/// </para>
/// <para>Implementations are safe for concurrent use.</para>
/// </remarks>
public interface ICheckpointStore
{
    /// <summary>Creates a project, or returns the stored one with the same id after checking the provider ids match.</summary>
    /// <param name="project">The project.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The stored project.</returns>
    ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default);

    /// <summary>Gets a project.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The project, or <see langword="null"/>.</returns>
    ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The run, or <see langword="null"/>.</returns>
    ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists the runs of a project, oldest first, or of every project when <paramref name="projectId"/> is <see langword="null"/>.</summary>
    /// <param name="projectId">The project id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The runs.</returns>
    ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a run's state, timestamps, message and settings.</summary>
    /// <param name="run">The run.</param>
    /// <param name="lease">The caller's lease; when given, the update is refused unless it is still current.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="LeaseLostException"><paramref name="lease"/> is no longer current.</exception>
    ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default);

    /// <summary>Gets the per-type checkpoints of a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The checkpoints of the types the run has started.</returns>
    ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Looks up ID-map rows by source id, in bulk.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceIds">The source ids (entity or child keys).</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The rows found, keyed by source id.</returns>
    ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default);

    /// <summary>Looks up the ID-map row of a target id.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The row, or <see langword="null"/>.</returns>
    ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default);

    /// <summary>Counts the entity rows (not children) of a type in the ID map.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default);

    /// <summary>Reads the entity rows (not children) of a type in the ID map, in ordinal order of source id.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The rows.</returns>
    IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, CancellationToken cancellationToken = default);

    /// <summary>Records write intents: the identities of a batch about to be written, before the write starts.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="identities">The identities.</param>
    /// <param name="lease">The caller's lease, fenced as in <see cref="UpdateRunAsync"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default);

    /// <summary>Gets the write intents of a type whose outcome was never committed (left by a crash).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The pending identities.</returns>
    ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default);

    /// <summary>Commits one batch atomically. See <see cref="BatchCommit"/> for what it holds.</summary>
    /// <param name="commit">The batch.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>What the commit charged.</returns>
    /// <exception cref="LeaseLostException">The commit's lease is no longer current; nothing was written.</exception>
    ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Gets the failures and warnings recorded for a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The issues, in the order recorded.</returns>
    ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets what a run's report shows of its issues without reading every warning: every failure, and per kind of warning
    /// (entity type and category) the number of distinct warnings and the first <paramref name="maxWarningExamples"/> of them.
    /// </summary>
    /// <remarks>
    /// The default implementation summarizes <see cref="GetIssuesAsync"/>'s issues in memory (<see cref="IssueSummary.Create"/>),
    /// so a store written before this member existed keeps compiling. A store that keeps issues out of memory should compute
    /// the summary where they are kept, as the SQLite and PostgreSQL stores do, so that the end of a run that warned about
    /// every record does not read every warning.
    /// </remarks>
    /// <param name="runId">The run id.</param>
    /// <param name="maxWarningExamples">How many warnings of each kind to return as examples; 0 returns none.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The summary, equal to <see cref="IssueSummary.Create"/> of <see cref="GetIssuesAsync"/>'s issues.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWarningExamples"/> is negative.</exception>
    async ValueTask<IssueSummary> GetIssueSummaryAsync(string runId, int maxWarningExamples, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWarningExamples);
        return IssueSummary.Create(await GetIssuesAsync(runId, cancellationToken).ConfigureAwait(false), maxWarningExamples);
    }

    /// <summary>Gets the deferred links a run still has to set.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="type">The type of the records that hold the links.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The links.</returns>
    ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default);

    /// <summary>Tries to take the lease on a run: succeeds when nobody holds it, the caller holds it, or it expired.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="owner">The caller's owner id.</param>
    /// <param name="now">The caller's current time.</param>
    /// <param name="duration">How long the lease lasts without a renewal.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The lease with a new fencing version, or <see langword="null"/> when another owner holds it.</returns>
    ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Renews a lease the caller holds.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="now">The caller's current time.</param>
    /// <param name="duration">How long the renewed lease lasts.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The renewed lease, or <see langword="null"/> when the lease was lost.</returns>
    ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a request, made by another process, that a run stop: the process executing the run reads it on its lease
    /// heartbeat (<see cref="GetStopRequestAsync"/>), stops reading, lets its in-flight batches commit, and ends the run
    /// <see cref="MigrationRunState.Paused"/> or <see cref="MigrationRunState.Cancelled"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A <see cref="RunStopRequest.Cancel"/> is never downgraded by a later <see cref="RunStopRequest.Pause"/>;
    /// <see cref="RunStopRequest.None"/> clears the request (the engine does once it has honoured it, and when a new execution
    /// of the run takes the lease). The request is independent of the lease: it needs none and does not fence.
    /// </para>
    /// <para>
    /// The default implementation throws <see cref="NotSupportedException"/>, so a store written before this member existed
    /// keeps compiling; a host then tells the user to stop the run in its own process.
    /// </para>
    /// </remarks>
    /// <param name="runId">The run id.</param>
    /// <param name="request">The request, or <see cref="RunStopRequest.None"/> to clear it.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> when the run does not exist.</returns>
    /// <exception cref="NotSupportedException">The store does not record stop requests.</exception>
    ValueTask<bool> RequestStopAsync(string runId, RunStopRequest request, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"The checkpoint store {GetType().Name} does not record stop requests, so a run executing in another process cannot be paused or cancelled through it.");

    /// <summary>Gets the stop request recorded for a run (see <see cref="RequestStopAsync"/>).</summary>
    /// <remarks>The default implementation, for stores that do not record stop requests, returns <see cref="RunStopRequest.None"/>.</remarks>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The request, or <see cref="RunStopRequest.None"/>.</returns>
    ValueTask<RunStopRequest> GetStopRequestAsync(string runId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(RunStopRequest.None);

    /// <summary>Releases a lease the caller holds; does nothing if it was lost.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when released.</returns>
    ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default);
}

/// <summary>What another process asked of a run executing elsewhere, through the checkpoint store.</summary>
public enum RunStopRequest
{
    /// <summary>Nothing: the run goes on.</summary>
    None = 0,

    /// <summary>Stop reading, let in-flight batches commit, and end the run <see cref="MigrationRunState.Paused"/> (it can be resumed).</summary>
    Pause = 1,

    /// <summary>Stop reading, let in-flight batches commit, and end the run <see cref="MigrationRunState.Cancelled"/>.</summary>
    Cancel = 2,
}

/// <summary>A stored migration project: a durable pairing of one source store and one target store.</summary>
/// <param name="ProjectId">The project id, chosen by the host.</param>
/// <param name="SourceProviderId">The source connector's provider id.</param>
/// <param name="TargetProviderId">The target connector's provider id.</param>
public sealed record ProjectRecord(string ProjectId, string SourceProviderId, string TargetProviderId)
{
    /// <summary>Gets the non-secret settings a host needs to rebuild the connectors (URLs, shop names, file paths).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets when the project was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A stored run.</summary>
public sealed record RunRecord
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the project id.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Gets the mode.</summary>
    public required MigrationMode Mode { get; init; }

    /// <summary>Gets the state.</summary>
    public required MigrationRunState State { get; init; }

    /// <summary>Gets the run's options, serialized by the engine (no secrets).</summary>
    public string? OptionsJson { get; init; }

    /// <summary>Gets when the run was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the run last started or resumed.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the run ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the estimated chargeable points.</summary>
    public decimal? EstimatedPoints { get; init; }

    /// <summary>Gets the reason the run failed or stopped, when it did.</summary>
    public string? Message { get; init; }
}

/// <summary>Counters of one entity type in one run.</summary>
/// <param name="Read">Records read from the source.</param>
/// <param name="Created">Records created on the target (including adopted ones).</param>
/// <param name="Updated">Records updated on the target.</param>
/// <param name="Skipped">Records skipped (unchanged, already migrated, out of scope).</param>
/// <param name="Failed">Records that failed.</param>
public readonly record struct TypeCounters(long Read, long Created, long Updated, long Skipped, long Failed)
{
    /// <summary>Adds two sets of counters.</summary>
    /// <param name="a">The first.</param>
    /// <param name="b">The second.</param>
    /// <returns>The sum.</returns>
    public static TypeCounters operator +(TypeCounters a, TypeCounters b)
        => new(a.Read + b.Read, a.Created + b.Created, a.Updated + b.Updated, a.Skipped + b.Skipped, a.Failed + b.Failed);

    /// <summary>Adds two sets of counters.</summary>
    /// <param name="other">The other counters.</param>
    /// <returns>The sum.</returns>
    public TypeCounters Add(TypeCounters other) => this + other;

    /// <summary>Gets the number of records processed to an outcome.</summary>
    public long Processed => Created + Updated + Skipped + Failed;
}

/// <summary>The checkpoint of one entity type in one run.</summary>
public sealed record TypeCheckpoint
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the entity type.</summary>
    public required EntityType Type { get; init; }

    /// <summary>Gets the source token that resumes after the last fully committed page, or <see langword="null"/> to start over.</summary>
    public string? ResumeToken { get; init; }

    /// <summary>Gets a value indicating whether the type finished in this run.</summary>
    public bool Completed { get; init; }

    /// <summary>Gets the counters.</summary>
    public TypeCounters Counters { get; init; }

    /// <summary>Gets the points charged for the type in this run.</summary>
    public decimal PointsCharged { get; init; }

    /// <summary>Gets the high-water mark of the compound cursor (creation time, then id) over the records committed.</summary>
    public HighWaterMark? HighWaterMark { get; init; }
}

/// <summary>A compound cursor: creation time, then source id, so records that share a timestamp are not lost.</summary>
/// <param name="CreatedAt">The creation time.</param>
/// <param name="SourceId">The source id.</param>
public sealed record HighWaterMark(DateTimeOffset CreatedAt, string SourceId) : IComparable<HighWaterMark>
{
    /// <inheritdoc/>
    public int CompareTo(HighWaterMark? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = CreatedAt.CompareTo(other.CreatedAt);
        return c != 0 ? c : SourceIdComparer.Instance.Compare(SourceId, other.SourceId);
    }

    /// <summary>Gets the larger of two marks.</summary>
    /// <param name="a">The first mark.</param>
    /// <param name="b">The second mark.</param>
    /// <returns>The larger mark.</returns>
    public static HighWaterMark? Max(HighWaterMark? a, HighWaterMark? b) => a is null ? b : b is null ? a : a.CompareTo(b) >= 0 ? a : b;
}

/// <summary>Orders source ids: integers numerically, before every non-integer id; non-integer ids ordinally. The order is total.</summary>
public sealed class SourceIdComparer : IComparer<string?>
{
    /// <summary>Gets the shared instance.</summary>
    public static SourceIdComparer Instance { get; } = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        bool xNumeric = long.TryParse(x, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long a);
        bool yNumeric = long.TryParse(y, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long b);
        if (xNumeric && yNumeric)
        {
            int byValue = a.CompareTo(b);
            return byValue != 0 ? byValue : string.CompareOrdinal(x, y);
        }

        // Numeric ids sort before the others, which keeps the order total when both kinds are mixed.
        return xNumeric ? -1 : yNumeric ? 1 : string.CompareOrdinal(x, y);
    }
}

/// <summary>One row of the ID map: the ledger entry of a migrated record.</summary>
public sealed record IdMapEntry
{
    /// <summary>Gets the entity type.</summary>
    public required EntityType Type { get; init; }

    /// <summary>Gets the source id, or a child key <c>{owner}/{child}</c> for a variant.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets the target id.</summary>
    public required string TargetId { get; init; }

    /// <summary>Gets the target URL or handle.</summary>
    public string? TargetUrl { get; init; }

    /// <summary>Gets the record's URL path in the source store, for redirects.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>Gets the content checksum of the record as last written.</summary>
    public string? Checksum { get; init; }

    /// <summary>Gets a value indicating whether the row maps a child record (a variant) rather than an entity.</summary>
    public bool IsChild { get; init; }

    /// <summary>Gets when the record was first migrated.</summary>
    public DateTimeOffset FirstMigratedAt { get; init; }

    /// <summary>Gets when the record was last written.</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Gets the run that last wrote the record.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the points charged if this row is a new ledger entry (0 for children and free types).</summary>
    public decimal Points { get; init; }
}

/// <summary>A link whose other end did not exist when its record was written, kept until the deferred pass sets it.</summary>
/// <param name="Type">The type of the record that holds the link.</param>
/// <param name="SourceId">The source id of the record that holds the link.</param>
/// <param name="Reference">The link.</param>
public sealed record DeferredLink(EntityType Type, string SourceId, EntityReference Reference);

/// <summary>Everything one batch commits, atomically.</summary>
public sealed record BatchCommit
{
    /// <summary>Gets the project id.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the entity type.</summary>
    public required EntityType Type { get; init; }

    /// <summary>Gets the lease the commit is fenced on, when the run is leased.</summary>
    public RunLease? Lease { get; init; }

    /// <summary>Gets the ID-map rows to insert or update. A row that is new charges its <see cref="IdMapEntry.Points"/>.</summary>
    public IReadOnlyList<IdMapEntry> Mappings { get; init; } = [];

    /// <summary>Gets the source ids whose pending intents the batch resolves.</summary>
    public IReadOnlyList<string> ResolvedPending { get; init; } = [];

    /// <summary>Gets a value indicating whether <see cref="ResumeToken"/> replaces the stored token.</summary>
    public bool AdvanceToken { get; init; }

    /// <summary>Gets the new resume token, when <see cref="AdvanceToken"/> is set.</summary>
    public string? ResumeToken { get; init; }

    /// <summary>Gets a value indicating whether the type is now complete in the run.</summary>
    public bool CompletesType { get; init; }

    /// <summary>Gets the counters to add.</summary>
    public TypeCounters Counters { get; init; }

    /// <summary>Gets the high-water mark to merge (the larger is kept).</summary>
    public HighWaterMark? HighWaterMark { get; init; }

    /// <summary>Gets the failures and warnings to record.</summary>
    public IReadOnlyList<RecordIssue> Issues { get; init; } = [];

    /// <summary>Gets the deferred links to add.</summary>
    public IReadOnlyList<DeferredLink> AddLinks { get; init; } = [];

    /// <summary>Gets the deferred links to remove because they were set or given up.</summary>
    public IReadOnlyList<DeferredLink> RemoveLinks { get; init; } = [];
}

/// <summary>What a commit did.</summary>
/// <param name="InsertedRows">The number of new entity rows in the ID map.</param>
/// <param name="PointsCharged">The points charged for the new rows.</param>
public readonly record struct CommitResult(int InsertedRows, decimal PointsCharged);

/// <summary>A lease on a run, held by one worker at a time.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Owner">The worker's owner id.</param>
/// <param name="Version">The fencing version; it grows every time the lease changes hands.</param>
/// <param name="ExpiresAt">When the lease expires without a renewal.</param>
public sealed record RunLease(string RunId, string Owner, long Version, DateTimeOffset ExpiresAt);
