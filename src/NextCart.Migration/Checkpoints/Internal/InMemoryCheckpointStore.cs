using System.Runtime.CompilerServices;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Checkpoints.Internal;

/// <summary>An in-memory <see cref="ICheckpointStore"/>. One lock makes every call atomic.</summary>
internal sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProjectRecord> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly List<string> _runOrder = [];
    private readonly Dictionary<(string RunId, EntityType Type), TypeCheckpoint> _checkpoints = [];
    private readonly Dictionary<(string ProjectId, EntityType Type), IdMapTable> _idMap = [];
    private readonly Dictionary<(string ProjectId, EntityType Type), Dictionary<string, IdMapEntry>> _byTarget = [];
    private readonly Dictionary<(string ProjectId, EntityType Type), Dictionary<string, SourceIdentity>> _pending = [];
    private readonly Dictionary<string, List<RecordIssue>> _issues = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RunId, EntityType Type), HashSet<DeferredLink>> _links = [];
    private readonly Dictionary<string, RunLease> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunStopRequest> _stops = new(StringComparer.Ordinal);
    private long _leaseVersion;

    public ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        lock (_gate)
        {
            if (_projects.TryGetValue(project.ProjectId, out ProjectRecord? existing))
            {
                CheckpointStoreRules.EnsureSameProviders(existing, project);
                ProjectRecord updated = existing with { Settings = project.Settings };
                _projects[project.ProjectId] = updated;
                return ValueTask.FromResult(updated);
            }

            _projects[project.ProjectId] = project;
            return ValueTask.FromResult(project);
        }
    }

    public ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_projects.GetValueOrDefault(projectId));
        }
    }

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (!_projects.ContainsKey(run.ProjectId))
            {
                throw new InvalidOperationException($"Project '{run.ProjectId}' does not exist.");
            }

            if (!_runs.TryAdd(run.RunId, run))
            {
                throw new InvalidOperationException($"Run '{run.RunId}' already exists.");
            }

            _runOrder.Add(run.RunId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_runs.GetValueOrDefault(runId));
        }
    }

    public ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RunRecord> runs = _runOrder.Select(id => _runs[id]).Where(r => projectId is null || r.ProjectId == projectId).ToArray();
            return ValueTask.FromResult(runs);
        }
    }

    public ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (!_runs.ContainsKey(run.RunId))
            {
                throw new InvalidOperationException($"Run '{run.RunId}' does not exist.");
            }

            EnsureLease(run.RunId, lease);
            _runs[run.RunId] = run;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<TypeCheckpoint> list = _checkpoints.Where(p => p.Key.RunId == runId).Select(p => p.Value).OrderBy(c => c.Type).ToArray();
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        lock (_gate)
        {
            // The result is made on the first hit: a page of new records (most lookups of a first run) finds nothing.
            Dictionary<string, IdMapEntry>? found = null;
            if (_idMap.TryGetValue((projectId, type), out IdMapTable? map))
            {
                foreach (string id in sourceIds)
                {
                    if (map.Rows.TryGetValue(id, out IdMapEntry? entry))
                    {
                        (found ??= new Dictionary<string, IdMapEntry>(sourceIds.Count, StringComparer.Ordinal))[id] = entry;
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, IdMapEntry>>(found ?? new Dictionary<string, IdMapEntry>(0, StringComparer.Ordinal));
        }
    }

    public ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byTarget.TryGetValue((projectId, type), out Dictionary<string, IdMapEntry>? map) ? map.GetValueOrDefault(targetId) : null);
        }
    }

    public ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_idMap.TryGetValue((projectId, type), out IdMapTable? map) ? map.EntityRows : 0L);
        }
    }

    public async IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IdMapEntry[] snapshot;
        lock (_gate)
        {
            snapshot = _idMap.TryGetValue((projectId, type), out IdMapTable? map)
                ? map.Rows.Values.Where(e => !e.IsChild).ToArray()
                : [];
            Array.Sort(snapshot, static (a, b) => string.CompareOrdinal(a.SourceId, b.SourceId));
        }

        foreach (IdMapEntry entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        lock (_gate)
        {
            EnsureLease(runId, lease);
            Dictionary<string, SourceIdentity> pending = GetOrAdd(_pending, (projectId, type), static () => new Dictionary<string, SourceIdentity>(StringComparer.Ordinal));
            foreach (SourceIdentity identity in identities)
            {
                pending[identity.SourceId] = identity;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SourceIdentity> list = _pending.TryGetValue((projectId, type), out Dictionary<string, SourceIdentity>? pending) ? pending.Values.ToArray() : [];
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_gate)
        {
            EnsureLease(commit.RunId, commit.Lease);

            IdMapTable table = GetOrAdd(_idMap, (commit.ProjectId, commit.Type), static () => new IdMapTable());
            Dictionary<string, IdMapEntry> map = table.Rows;
            Dictionary<string, IdMapEntry> byTarget = GetOrAdd(_byTarget, (commit.ProjectId, commit.Type), static () => new Dictionary<string, IdMapEntry>(StringComparer.Ordinal));
            int inserted = 0;
            decimal points = 0;
            foreach (IdMapEntry entry in commit.Mappings)
            {
                if (map.TryGetValue(entry.SourceId, out IdMapEntry? existing))
                {
                    // Keep the first-migrated time: the ledger entry was charged then.
                    IdMapEntry merged = entry with { FirstMigratedAt = existing.FirstMigratedAt };
                    map[entry.SourceId] = merged;
                    table.EntityRows += (existing.IsChild ? 1 : 0) - (entry.IsChild ? 1 : 0);
                    if (existing.TargetId != entry.TargetId)
                    {
                        byTarget.Remove(existing.TargetId);
                    }

                    byTarget[entry.TargetId] = merged;
                }
                else
                {
                    map[entry.SourceId] = entry;
                    byTarget[entry.TargetId] = entry;
                    if (!entry.IsChild)
                    {
                        table.EntityRows++;
                        inserted++;
                        points += entry.Points;
                    }
                }
            }

            if (_pending.TryGetValue((commit.ProjectId, commit.Type), out Dictionary<string, SourceIdentity>? pending))
            {
                foreach (string id in commit.ResolvedPending)
                {
                    pending.Remove(id);
                }
            }

            (string, EntityType) key = (commit.RunId, commit.Type);
            TypeCheckpoint checkpoint = _checkpoints.GetValueOrDefault(key) ?? new TypeCheckpoint { RunId = commit.RunId, Type = commit.Type };
            _checkpoints[key] = checkpoint with
            {
                ResumeToken = commit.AdvanceToken ? commit.ResumeToken : checkpoint.ResumeToken,
                Completed = checkpoint.Completed || commit.CompletesType,
                Counters = checkpoint.Counters + commit.Counters,
                PointsCharged = checkpoint.PointsCharged + points,
                HighWaterMark = HighWaterMark.Max(checkpoint.HighWaterMark, commit.HighWaterMark),
            };

            if (commit.Issues.Count > 0)
            {
                GetOrAdd(_issues, commit.RunId, static () => []).AddRange(commit.Issues);
            }

            if (commit.AddLinks.Count > 0 || commit.RemoveLinks.Count > 0)
            {
                HashSet<DeferredLink> links = GetOrAdd(_links, key, static () => []);
                links.UnionWith(commit.AddLinks);
                links.ExceptWith(commit.RemoveLinks);
            }

            return ValueTask.FromResult(new CommitResult(inserted, points));
        }
    }

    public ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RecordIssue> list = _issues.TryGetValue(runId, out List<RecordIssue>? issues) ? issues.ToArray() : [];
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DeferredLink> list = _links.TryGetValue((runId, type), out HashSet<DeferredLink>? links)
                ? links.OrderBy(l => l.SourceId, SourceIdComparer.Instance).ThenBy(l => l.Reference.Target.SourceId, StringComparer.Ordinal).ThenBy(l => l.Reference.Role).ToArray()
                : [];
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        lock (_gate)
        {
            if (_leases.TryGetValue(runId, out RunLease? current) && current.Owner != owner && current.ExpiresAt > now)
            {
                return ValueTask.FromResult<RunLease?>(null);
            }

            RunLease lease = new(runId, owner, ++_leaseVersion, now + duration);
            _leases[runId] = lease;
            return ValueTask.FromResult<RunLease?>(lease);
        }
    }

    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (!_leases.TryGetValue(lease.RunId, out RunLease? current) || current.Owner != lease.Owner || current.Version != lease.Version)
            {
                return ValueTask.FromResult<RunLease?>(null);
            }

            RunLease renewed = current with { ExpiresAt = now + duration };
            _leases[lease.RunId] = renewed;
            return ValueTask.FromResult<RunLease?>(renewed);
        }
    }

    public ValueTask<bool> RequestStopAsync(string runId, RunStopRequest request, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.ContainsKey(runId))
            {
                return ValueTask.FromResult(false);
            }

            _stops[runId] = CheckpointStoreRules.MergeStopRequest(_stops.GetValueOrDefault(runId), request);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<RunStopRequest> GetStopRequestAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_stops.GetValueOrDefault(runId));
        }
    }

    public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_leases.TryGetValue(lease.RunId, out RunLease? current) && current.Owner == lease.Owner && current.Version == lease.Version)
            {
                _leases.Remove(lease.RunId);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureLease(string runId, RunLease? lease)
    {
        if (lease is null)
        {
            return;
        }

        if (!_leases.TryGetValue(runId, out RunLease? current) || current.Owner != lease.Owner || current.Version != lease.Version)
        {
            throw new LeaseLostException(runId);
        }
    }

    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> dictionary, TKey key, Func<TValue> factory)
        where TKey : notnull
    {
        if (!dictionary.TryGetValue(key, out TValue? value))
        {
            value = factory();
            dictionary[key] = value;
        }

        return value;
    }

    /// <summary>The ID map of one project and type: rows by source id, and the number of entity rows (not children).</summary>
    private sealed class IdMapTable
    {
        /// <summary>Gets the rows by source id. A hash map: lookups and commits need no order, and the one ordered read
        /// (<see cref="ReadIdMapAsync"/>) sorts its snapshot.</summary>
        public Dictionary<string, IdMapEntry> Rows { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets or sets the number of entity rows, kept with every commit so that counting is not a scan.</summary>
        public long EntityRows { get; set; }
    }
}
