using System.Runtime.CompilerServices;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Engine;

/// <summary>
/// Wraps a store and models a process kill: after <see cref="Kill"/>, every call fails, so nothing the dying engine does
/// afterwards reaches the store, exactly as if the process had died at that instant.
/// </summary>
internal sealed class CrashableStore(ICheckpointStore inner) : ICheckpointStore
{
    private volatile bool _dead;

    public void Kill() => _dead = true;

    private ICheckpointStore Live => _dead ? throw new SimulatedCrashException() : inner;

    public ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default) => Live.EnsureProjectAsync(project, cancellationToken);

    public ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) => Live.GetProjectAsync(projectId, cancellationToken);

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => Live.CreateRunAsync(run, cancellationToken);

    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => Live.GetRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default) => Live.ListRunsAsync(projectId, cancellationToken);

    public ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default) => Live.UpdateRunAsync(run, lease, cancellationToken);

    public ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default) => Live.GetCheckpointsAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default) => Live.LookupAsync(projectId, type, sourceIds, cancellationToken);

    public ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default) => Live.FindByTargetIdAsync(projectId, type, targetId, cancellationToken);

    public ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => Live.CountMappedAsync(projectId, type, cancellationToken);

    public async IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (IdMapEntry entry in Live.ReadIdMapAsync(projectId, type, cancellationToken))
        {
            _ = Live;
            yield return entry;
        }
    }

    public ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default) => Live.AddPendingAsync(projectId, runId, type, identities, lease, cancellationToken);

    public ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => Live.GetPendingAsync(projectId, type, cancellationToken);

    public ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default) => Live.CommitBatchAsync(commit, cancellationToken);

    public ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default) => Live.GetIssuesAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default) => Live.GetDeferredLinksAsync(runId, type, cancellationToken);

    public ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) => Live.TryAcquireLeaseAsync(runId, owner, now, duration, cancellationToken);

    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) => Live.RenewLeaseAsync(lease, now, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default) => Live.ReleaseLeaseAsync(lease, cancellationToken);
}

/// <summary>Thrown by a killed <see cref="CrashableStore"/> and by crash hooks.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated process kill.")
    {
    }
}
