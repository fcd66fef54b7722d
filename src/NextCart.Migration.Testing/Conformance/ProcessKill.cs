using System.Runtime.CompilerServices;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>Where in the pipeline a simulated process kill happens.</summary>
public enum CrashStage
{
    /// <summary>Right after the reader received a page from the source.</summary>
    AfterPageRead = 0,

    /// <summary>Right after the mapper recorded a batch's write intents in the store.</summary>
    AfterIntentRecorded = 1,

    /// <summary>Right after the target applied a batch, before the engine saw the response or committed it.</summary>
    AfterTargetWrite = 2,

    /// <summary>Right after the committer committed a batch.</summary>
    AfterCommit = 3,
}

/// <summary>
/// A simulated process kill: when the chosen stage is reached for the chosen occurrence, the process is dead, and every
/// later call of the dying engine to the store, the source or the target fails.
/// </summary>
internal sealed class ProcessKill(CrashStage stage, EntityType type, int occurrence)
{
    private int _seen;
    private volatile bool _killed;

    public bool Killed => _killed;

    public void ThrowIfDead()
    {
        if (_killed)
        {
            throw new SimulatedProcessKillException();
        }
    }

    /// <summary>Counts an occurrence of a stage and kills the process when it is the chosen one.</summary>
    public void Reached(CrashStage reached, EntityType reachedType)
    {
        ThrowIfDead();
        if (reached == stage && reachedType == type && Interlocked.Increment(ref _seen) - 1 == occurrence)
        {
            _killed = true;
            throw new SimulatedProcessKillException();
        }
    }
}

/// <summary>Thrown by every call of a killed engine.</summary>
internal sealed class SimulatedProcessKillException : Exception
{
    public SimulatedProcessKillException()
        : base("Simulated process kill.")
    {
    }
}

/// <summary>A store as seen by a process that can be killed.</summary>
internal sealed class CrashingStore(ICheckpointStore inner, ProcessKill kill) : ICheckpointStore
{
    private ICheckpointStore Live
    {
        get
        {
            kill.ThrowIfDead();
            return inner;
        }
    }

    public ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default) => Live.EnsureProjectAsync(project, cancellationToken);

    public ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) => Live.GetProjectAsync(projectId, cancellationToken);

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => Live.CreateRunAsync(run, cancellationToken);

    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => Live.GetRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default) => Live.ListRunsAsync(projectId, cancellationToken);

    public ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default) => Live.UpdateRunAsync(run, lease, cancellationToken);

    public ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default) => Live.GetCheckpointsAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
        => Live.LookupAsync(projectId, type, sourceIds, cancellationToken);

    public ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default)
        => Live.FindByTargetIdAsync(projectId, type, targetId, cancellationToken);

    public ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => Live.CountMappedAsync(projectId, type, cancellationToken);

    public async IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (IdMapEntry entry in Live.ReadIdMapAsync(projectId, type, cancellationToken).ConfigureAwait(false))
        {
            kill.ThrowIfDead();
            yield return entry;
        }
    }

    public async ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default)
    {
        await Live.AddPendingAsync(projectId, runId, type, identities, lease, cancellationToken).ConfigureAwait(false);
        kill.Reached(CrashStage.AfterIntentRecorded, type);
    }

    public ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => Live.GetPendingAsync(projectId, type, cancellationToken);

    public async ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default)
    {
        CommitResult result = await Live.CommitBatchAsync(commit, cancellationToken).ConfigureAwait(false);
        if (commit.Mappings.Count > 0 || commit.Counters.Processed > 0)
        {
            kill.Reached(CrashStage.AfterCommit, commit.Type);
        }

        return result;
    }

    public ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default) => Live.GetIssuesAsync(runId, cancellationToken);

    public ValueTask<IssueSummary> GetIssueSummaryAsync(string runId, int maxWarningExamples, CancellationToken cancellationToken = default) => Live.GetIssueSummaryAsync(runId, maxWarningExamples, cancellationToken);

    public ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default) => Live.GetDeferredLinksAsync(runId, type, cancellationToken);

    public ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
        => Live.TryAcquireLeaseAsync(runId, owner, now, duration, cancellationToken);

    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
        => Live.RenewLeaseAsync(lease, now, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default) => Live.ReleaseLeaseAsync(lease, cancellationToken);

    public ValueTask<bool> RequestStopAsync(string runId, RunStopRequest request, CancellationToken cancellationToken = default)
        => Live.RequestStopAsync(runId, request, cancellationToken);

    public ValueTask<RunStopRequest> GetStopRequestAsync(string runId, CancellationToken cancellationToken = default)
        => Live.GetStopRequestAsync(runId, cancellationToken);
}

/// <summary>A source as seen by a process that can be killed.</summary>
internal sealed class CrashingSource(ISourceConnector inner, ProcessKill kill) : ISourceConnector, ISourceValueInspector
{
    public string ProviderId => inner.ProviderId;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.CheckAsync(cancellationToken);
    }

    public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.CountAsync(type, query, cancellationToken);
    }

    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        await foreach (SourcePage page in inner.ReadAsync(type, query, resumeToken, cancellationToken).ConfigureAwait(false))
        {
            kill.Reached(CrashStage.AfterPageRead, type);
            yield return page;
        }
    }

    public ValueTask<IReadOnlyCollection<string>> GetDistinctValuesAsync(MappedField field, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner is ISourceValueInspector inspector ? inspector.GetDistinctValuesAsync(field, cancellationToken) : ValueTask.FromResult<IReadOnlyCollection<string>>([]);
    }
}

/// <summary>A target as seen by a process that can be killed; the target itself lives on, as a remote store would.</summary>
internal sealed class CrashingTarget(InMemoryTargetConnector inner, ProcessKill kill) : ITargetConnector, ITargetLinker, ITargetClearer
{
    public string ProviderId => inner.ProviderId;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.CheckAsync(cancellationToken);
    }

    public TargetLimits GetLimits(EntityType type) => inner.GetLimits(type);

    public async ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        BatchOutcome outcome = await inner.WriteAsync(type, records, cancellationToken).ConfigureAwait(false);
        kill.Reached(CrashStage.AfterTargetWrite, type);
        return outcome;
    }

    public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.FindExistingAsync(type, identities, cancellationToken);
    }

    public ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.LinkAsync(type, links, cancellationToken);
    }

    public ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default)
    {
        kill.ThrowIfDead();
        return inner.ClearAsync(type, cancellationToken);
    }
}
