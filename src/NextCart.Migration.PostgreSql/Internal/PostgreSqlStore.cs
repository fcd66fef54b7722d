using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Stores;
using Npgsql;
using NpgsqlTypes;

namespace NextCart.Migration.PostgreSql.Internal;

/// <summary>
/// An <see cref="ICheckpointStore"/> on PostgreSQL with the semantics of the in-memory reference store. Every call is one
/// implicit or explicit transaction; <see cref="CommitBatchAsync"/> is one transaction fenced on the run's lease row.
/// </summary>
/// <remarks>The schema is created or upgraded on first use, once per instance.</remarks>
internal sealed class PostgreSqlStore : ICheckpointStore, IAsyncDisposable, IDisposable
{
    /// <summary>The most ids one lookup query sends; bigger lookups are split.</summary>
    internal const int LookupBatchSize = 10_000;

    /// <summary>The rows one page of <see cref="ReadIdMapAsync"/> reads.</summary>
    internal const int ReadPageSize = 1_000;

    private const int MaxCommitAttempts = 5;

    private const string AsynchronousCommitSql = "SELECT set_config('synchronous_commit', 'off', true)";

    /// <summary>The rows this instance writes to the ID map and the intent log before it first gathers their statistics.</summary>
    internal const long FirstAnalyzeRows = 5_000;

    /// <summary>The SQLSTATE <c>check_lease</c> raises when the caller's lease is no longer current.</summary>
    private const string LeaseLostSqlState = "NC001";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly int _commandTimeout;
    private readonly bool _asynchronousCommits;
    private readonly int _lookupParallelism;
    private readonly StoreSql _sql;
    private readonly SemaphoreSlim _readyGate = new(1, 1);

    // The integer keys of project and run ids (project_keys, run_keys): made once, never changed or removed, so they are
    // cached for the life of the store.
    private readonly ConcurrentDictionary<string, int> _projectKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _runKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, string> _runIds = new();
    private volatile bool _ready;
    private long _rowsWritten;
    private long _nextAnalyzeAt = FirstAnalyzeRows;

    public PostgreSqlStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlCheckpointStoreOptions options)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schema = options.SchemaName;
        _commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _asynchronousCommits = options.CommitDurability == PostgreSqlCommitDurability.Asynchronous;
        _lookupParallelism = options.MaxLookupParallelism;
        _sql = new StoreSql(_schema);
    }

    /// <summary>Gets how this store commits batches.</summary>
    internal PostgreSqlCommitDurability CommitDurability => _asynchronousCommits ? PostgreSqlCommitDurability.Asynchronous : PostgreSqlCommitDurability.Synchronous;

    /// <summary>Gets the data source the store takes its connections from.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    public async ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        string settings = SerializeSettings(project.Settings);

        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                NpgsqlCommand insert = Command(_sql.InsertProject, connection, transaction,
                    Text(project.ProjectId), Text(project.SourceProviderId), Text(project.TargetProviderId), Jsonb(settings), Instant(project.CreatedAt));
                await using (insert.ConfigureAwait(false))
                {
                    if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return project;
                    }
                }

                ProjectRecord existing;
                NpgsqlCommand select = Command(_sql.LockProject, connection, transaction, Text(project.ProjectId));
                await using (select.ConfigureAwait(false))
                {
                    NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new InvalidOperationException($"Project '{project.ProjectId}' could not be read back.");
                        }

                        existing = new ProjectRecord(project.ProjectId, reader.GetString(0), reader.GetString(1)) { CreatedAt = GetInstant(reader, 2) };
                    }
                }

                // Throws MigrationConfigurationException when the providers differ; the transaction rolls back.
                CheckpointStoreRules.EnsureSameProviders(existing, project);
                NpgsqlCommand update = Command(_sql.UpdateProjectSettings, connection, transaction, Text(project.ProjectId), Jsonb(settings));
                await using (update.ConfigureAwait(false))
                {
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return existing with { Settings = project.Settings };
            }
        }
    }

    public async ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand command = Command(_sql.GetProject, Text(projectId));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new ProjectRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2))
                {
                    Settings = DeserializeSettings(reader.GetString(3)),
                    CreatedAt = GetInstant(reader, 4),
                };
            }
        }
    }

    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand insert = Command(_sql.InsertRun, RunParameters(run));
        await using (insert.ConfigureAwait(false))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return;
            }
        }

        // Nothing was inserted: either the project is missing or the run id is taken (projects are never deleted).
        NpgsqlCommand exists = Command(_sql.ProjectExists, Text(run.ProjectId));
        await using (exists.ConfigureAwait(false))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new InvalidOperationException($"Project '{run.ProjectId}' does not exist.");
            }
        }

        throw new InvalidOperationException($"Run '{run.RunId}' already exists.");
    }

    public async ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        List<RunRecord> runs = await ReadRunsAsync(Command(_sql.GetRun, Text(runId)), cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    public async ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand command = projectId is null ? Command(_sql.ListAllRuns) : Command(_sql.ListRuns, Text(projectId));
        return await ReadRunsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            NpgsqlCommand update = Command(_sql.UpdateRun, RunParameters(run));
            await using (update.ConfigureAwait(false))
            {
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new InvalidOperationException($"Run '{run.RunId}' does not exist.");
                }
            }

            return;
        }

        // One implicit transaction: lock the run and the lease row, then update only if the lease is still current.
        NpgsqlBatch batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = _commandTimeout;
            batch.BatchCommands.Add(BatchCommand(_sql.LockRun, Text(run.RunId)));
            batch.BatchCommands.Add(BatchCommand(_sql.LockLease, Text(run.RunId)));
            batch.BatchCommands.Add(BatchCommand(_sql.UpdateRunFenced, [.. RunParameters(run), Text(lease.Owner), Int64(lease.Version)]));
            NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                bool runExists = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                bool fenced = await ReadFenceAsync(reader, lease, cancellationToken).ConfigureAwait(false);
                if (!runExists)
                {
                    throw new InvalidOperationException($"Run '{run.RunId}' does not exist.");
                }

                if (!fenced)
                {
                    throw new LeaseLostException(run.RunId);
                }
            }
        }
    }

    public async ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        List<TypeCheckpoint> checkpoints = [];
        NpgsqlCommand command = Command(_sql.GetCheckpoints, Text(runId));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    checkpoints.Add(new TypeCheckpoint
                    {
                        RunId = runId,
                        Type = (EntityType)reader.GetInt16(0),
                        ResumeToken = GetNullableString(reader, 1),
                        Completed = reader.GetBoolean(2),
                        Counters = new TypeCounters(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)),
                        PointsCharged = reader.GetDecimal(8),
                        HighWaterMark = ReadHighWaterMark(reader, 9),
                    });
                }
            }
        }

        return checkpoints;
    }

    public async ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(sourceIds);
        Dictionary<string, IdMapEntry> found = new(StringComparer.Ordinal);
        if (sourceIds.Count == 0)
        {
            return found;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await GetProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } projectKey)
        {
            return found;
        }

        // Sorted, so that each part (and each statement) probes one contiguous stretch of the primary key, and each id once.
        string[] ids = [.. sourceIds];
        Array.Sort(ids, StringComparer.Ordinal);
        int distinct = LookupParts.RemoveAdjacentDuplicates(ids);
        int parts = LookupParts.Count(distinct, _lookupParallelism);
        int key = projectKey;
        ReadOnlyMemory<string> sorted = ids.AsMemory(0, distinct);
        if (parts == 1)
        {
            await LookupRangeAsync(key, type, sorted, found, cancellationToken).ConfigureAwait(false);
            return found;
        }

        // Parts run at the same time on connections of their own (see LookupParts), each into its own dictionary.
        Dictionary<string, IdMapEntry>[] partsFound = await LookupParts.RunAsync(
            parts,
            async (part, token) =>
            {
                Dictionary<string, IdMapEntry> into = part == 0 ? found : new(StringComparer.Ordinal);
                await LookupRangeAsync(key, type, sorted[LookupParts.Of(sorted.Length, parts, part)], into, token).ConfigureAwait(false);
                return into;
            },
            cancellationToken).ConfigureAwait(false);
        found.EnsureCapacity(partsFound.Sum(f => f.Count));
        for (int part = 1; part < partsFound.Length; part++)
        {
            foreach ((string sourceId, IdMapEntry entry) in partsFound[part])
            {
                found.Add(sourceId, entry);
            }
        }

        return found;
    }

    /// <summary>Looks up distinct ids on one connection, in statements of at most <see cref="LookupBatchSize"/> ids.</summary>
    private async Task LookupRangeAsync(int projectKey, EntityType type, ReadOnlyMemory<string> ids, Dictionary<string, IdMapEntry> found, CancellationToken cancellationToken)
    {
        MapRows rows = new(Math.Min(ids.Length, LookupBatchSize));
        for (int offset = 0; offset < ids.Length; offset += LookupBatchSize)
        {
            string[] chunk = ids[offset..Math.Min(ids.Length, offset + LookupBatchSize)].ToArray();
            await ExecuteBatchAsync(
                [BatchCommand(_sql.Lookup, Int32(projectKey), Int16((short)type), TextArray(chunk))],
                (Store: this, Rows: rows, Type: type),
                static async (reader, state, cancellationToken) =>
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        state.Store.ReadIdMapEntry(reader, state.Type, state.Rows);
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            await ResolveRunIdsAsync(rows, cancellationToken).ConfigureAwait(false);
            foreach (IdMapEntry entry in rows.Entries)
            {
                found[entry.SourceId] = entry;
            }

            rows.Clear();
        }
    }

    public async ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(targetId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await GetProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } projectKey)
        {
            return null;
        }

        MapRows rows = new(1);
        NpgsqlCommand command = Command(_sql.FindByTargetId, Int32(projectKey), Int16((short)type), Text(targetId));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                ReadIdMapEntry(reader, type, rows);
            }
        }

        await ResolveRunIdsAsync(rows, cancellationToken).ConfigureAwait(false);
        return rows.Entries[0];
    }

    public async ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await GetProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } projectKey)
        {
            return 0;
        }

        NpgsqlCommand command = Command(_sql.CountMapped, Int32(projectKey), Int16((short)type));
        await using (command.ConfigureAwait(false))
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
        }
    }

    public async IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await GetProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } projectKey)
        {
            yield break;
        }

        // Keyset pages in source-id order (C collation: bytewise), so no connection is held while the caller iterates.
        string? after = null;
        while (true)
        {
            MapRows rows = new(ReadPageSize);
            NpgsqlCommand command = after is null
                ? Command(_sql.ReadIdMapFirst, Int32(projectKey), Int16((short)type), Int32(ReadPageSize))
                : Command(_sql.ReadIdMapNext, Int32(projectKey), Int16((short)type), Int32(ReadPageSize), Text(after));
            await using (command.ConfigureAwait(false))
            {
                NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ReadIdMapEntry(reader, type, rows);
                    }
                }
            }

            await ResolveRunIdsAsync(rows, cancellationToken).ConfigureAwait(false);
            List<IdMapEntry> page = rows.Entries;

            foreach (IdMapEntry entry in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return entry;
            }

            if (page.Count < ReadPageSize)
            {
                yield break;
            }

            after = page[^1].SourceId;
        }
    }

    public async ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(identities);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // The last identity of a source id wins; rows are written in ordinal order so concurrent writers lock alike.
        Dictionary<string, SourceIdentity> unique = new(StringComparer.Ordinal);
        foreach (SourceIdentity identity in identities)
        {
            unique[identity.SourceId] = identity;
        }

        SourceIdentity[] sorted = [.. unique.Values.OrderBy(i => i.SourceId, StringComparer.Ordinal)];
        if (sorted.Length == 0 && lease is null)
        {
            return;
        }

        int projectKey = await EnsureProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false);
        int runKey = await EnsureRunKeyAsync(runId, cancellationToken).ConfigureAwait(false);
        await AnalyzeWhenGrownAsync(sorted.Length, cancellationToken).ConfigureAwait(false);
        NpgsqlParameter sourceIds = TextArray([.. sorted.Select(i => i.SourceId)]);
        NpgsqlParameter naturalKeys = TextArray([.. sorted.Select(i => i.NaturalKey)]);
        if (lease is null)
        {
            NpgsqlCommand insert = Command(_sql.AddPending, Int32(projectKey), Int16((short)type), Int32(runKey), sourceIds, naturalKeys);
            await using (insert.ConfigureAwait(false))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // One batch, so one implicit transaction: the fence aborts the insert when the lease was lost.
        try
        {
            await ExecuteBatchAsync<object?, bool>(
                [
                    BatchCommand(_sql.CheckLease, Text(runId), Text(lease.Owner), Int64(lease.Version)),
                    BatchCommand(_sql.AddPending, Int32(projectKey), Int16((short)type), Int32(runKey), sourceIds, naturalKeys),
                ],
                null,
                static async (reader, _, cancellationToken) => await reader.NextResultAsync(cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == LeaseLostSqlState)
        {
            throw new LeaseLostException(runId);
        }
    }

    public async ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        List<SourceIdentity> pending = [];
        if (await GetProjectKeyAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } projectKey)
        {
            return pending;
        }

        NpgsqlCommand command = Command(_sql.GetPending, Int32(projectKey), Int16((short)type));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    pending.Add(new SourceIdentity(type, reader.GetString(0), GetNullableString(reader, 1)));
                }
            }
        }

        return pending;
    }

    public async ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        PreparedMappings mappings = PreparedMappings.Create(commit.Mappings);
        int projectKey = await EnsureProjectKeyAsync(commit.ProjectId, cancellationToken).ConfigureAwait(false);
        int[] runKeys = new int[mappings.RunIds.Length];
        for (int i = 0; i < runKeys.Length; i++)
        {
            // Rows of one batch almost always share their run id: reuse the previous row's key.
            runKeys[i] = i > 0 && ReferenceEquals(mappings.RunIds[i], mappings.RunIds[i - 1])
                ? runKeys[i - 1]
                : await EnsureRunKeyAsync(mappings.RunIds[i], cancellationToken).ConfigureAwait(false);
        }

        await AnalyzeWhenGrownAsync(commit.Mappings.Count, cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitOnceAsync(commit, projectKey, mappings, runKeys, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (attempt < MaxCommitAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The server rolled the whole transaction back, so running it again cannot apply anything twice.
            }
        }
    }

    public async ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await ReadIssuesAsync(Command(_sql.GetIssues, Text(runId)), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IssueSummary> GetIssueSummaryAsync(string runId, int maxWarningExamples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWarningExamples);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // Failures, then the distinct warnings counted by kind and the first of each kind, all on the server: a run that warned
        // about every record does not read its warnings into memory.
        List<RecordIssue> failures = await ReadIssuesAsync(Command(_sql.GetFailures, Text(runId)), cancellationToken).ConfigureAwait(false);
        List<RecordIssue> examples = await ReadIssuesAsync(Command(_sql.GetWarningExamples, Text(runId), Int32(maxWarningExamples)), cancellationToken).ConfigureAwait(false);
        List<WarningCount> counts = [];
        NpgsqlCommand command = Command(_sql.CountWarnings, Text(runId));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts.Add(new WarningCount((EntityType)reader.GetInt16(0), (FailureCategory)reader.GetInt16(1), reader.GetInt64(2)));
                }
            }
        }

        return new IssueSummary(failures, examples, counts);
    }

    private static async Task<List<RecordIssue>> ReadIssuesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        List<RecordIssue> issues = [];
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    issues.Add(new RecordIssue((EntityType)reader.GetInt16(0), reader.GetString(1), (FailureCategory)reader.GetInt16(2), reader.GetString(3), (IssueSeverity)reader.GetInt16(4)));
                }
            }
        }

        return issues;
    }

    public async ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        List<DeferredLink> links = [];
        NpgsqlCommand command = Command(_sql.GetLinks, Text(runId), Int16((short)type));
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    links.Add(new DeferredLink(
                        (EntityType)reader.GetInt16(0),
                        reader.GetString(1),
                        new EntityReference(new EntityRef((EntityType)reader.GetInt16(2), reader.GetString(3)), (ReferenceRole)reader.GetInt16(4), (ReferenceKind)reader.GetInt16(5))));
                }
            }
        }

        // The in-memory store's order: source id as the engine orders ids, then the referenced id, then the role.
        return [.. links.OrderBy(l => l.SourceId, SourceIdComparer.Instance).ThenBy(l => l.Reference.Target.SourceId, StringComparer.Ordinal).ThenBy(l => l.Reference.Role)];
    }

    public async ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset expiresAt = now + duration;

        // One implicit transaction: make sure the lease row exists, then claim it unless another owner holds it unexpired.
        // SKIP LOCKED makes a contended claim answer at once: a row another worker is claiming or committing under is not
        // free now, so the claim returns null rather than waiting.
        NpgsqlBatch batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = _commandTimeout;
            batch.BatchCommands.Add(BatchCommand(_sql.EnsureLease, Text(runId)));
            batch.BatchCommands.Add(BatchCommand(_sql.ClaimLease, Text(runId), Text(owner), Instant(now), Instant(expiresAt)));
            NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new RunLease(runId, owner, reader.GetInt64(0), expiresAt)
                    : null;
            }
        }
    }

    public async ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset expiresAt = now + duration;
        NpgsqlCommand command = Command(_sql.RenewLease, Text(lease.RunId), Text(lease.Owner), Int64(lease.Version), Instant(expiresAt));
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? lease with { ExpiresAt = expiresAt } : null;
        }
    }

    public async ValueTask<bool> RequestStopAsync(string runId, RunStopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        _ = CheckpointStoreRules.MergeStopRequest(RunStopRequest.None, request);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand command = request == RunStopRequest.None
            ? Command(_sql.ClearStop, Text(runId))
            : Command(_sql.RequestStop, Text(runId), Int16((short)request));
        await using (command.ConfigureAwait(false))
        {
            return request == RunStopRequest.None
                ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true
                : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    public async ValueTask<RunStopRequest> GetStopRequestAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand command = Command(_sql.GetStop, Text(runId));
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short value ? (RunStopRequest)value : RunStopRequest.None;
        }
    }

    public async ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlCommand command = Command(_sql.ReleaseLease, Text(lease.RunId), Text(lease.Owner), Int64(lease.Version));
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _readyGate.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _readyGate.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Creates or upgrades the schema, once per instance; a failure is retried by the next call.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    internal async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _readyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await SchemaMigrator.MigrateAsync(_dataSource, _schema, _commandTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                _ready = true;
            }
        }
        finally
        {
            _readyGate.Release();
        }
    }

    /// <summary>
    /// Gathers the statistics of the ID map and the intent log once the rows this instance has written reach 5,000, then
    /// 50,000, 500,000 and so on, before the next write (so a failure here writes nothing).
    /// </summary>
    /// <remarks>
    /// Until a table has been analyzed, PostgreSQL has no statistics on <c>project_id</c> and <c>entity_type</c> and
    /// assumes the default selectivity of an equality (0.5% each), so it believes a (project, type) prefix holds a row or
    /// two. It then plans <c>source_id = ANY($3)</c> as a filter over every index entry of the prefix instead of an index
    /// condition, and a lookup or an intent delete reads the whole map: measured 100+ ms per 100-id delete over 100,000
    /// intents, against well under a millisecond once analyzed. Autovacuum analyzes a new table only when its worker next
    /// visits it (every minute by default), and prepared statements keep their plan until then; <c>ANALYZE</c> invalidates
    /// them. When the store's role does not own the tables, PostgreSQL skips them with a warning and nothing fails.
    /// </remarks>
    private async ValueTask AnalyzeWhenGrownAsync(int rows, CancellationToken cancellationToken)
    {
        // Only the rows already written count, so the statistics see at least the mark's rows.
        long written = Interlocked.Add(ref _rowsWritten, rows) - rows;
        long next = Volatile.Read(ref _nextAnalyzeAt);
        if (written < next || Interlocked.CompareExchange(ref _nextAnalyzeAt, next * 10, next) != next)
        {
            return;
        }

        NpgsqlCommand analyze = Command(_sql.Analyze);
        await using (analyze.ConfigureAwait(false))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CommitResult> CommitOnceAsync(BatchCommit commit, int projectKey, PreparedMappings mappings, int[] runKeys, CancellationToken cancellationToken)
    {
        List<NpgsqlBatchCommand> commands = new(5);
        if (commit.Lease is { } lease)
        {
            // For this batch's implicit transaction only (is_local), as SET LOCAL would in an explicit one.
            commands.Add(BatchCommand(_asynchronousCommits ? _sql.CheckLeaseAsynchronously : _sql.CheckLease, Text(commit.RunId), Text(lease.Owner), Int64(lease.Version)));
        }
        else if (_asynchronousCommits)
        {
            commands.Add(BatchCommand(AsynchronousCommitSql));
        }

        commands.Add(BatchCommand(
            _sql.CommitMappingsAndCheckpoint,
            [
                Int32(projectKey),
                Int16((short)commit.Type),
                .. mappings.CreateColumnParameters(runKeys),
                Text(commit.RunId),
                Bool(commit.AdvanceToken),
                Text(commit.AdvanceToken ? commit.ResumeToken : null),
                Bool(commit.CompletesType),
                Int64(commit.Counters.Read),
                Int64(commit.Counters.Created),
                Int64(commit.Counters.Updated),
                Int64(commit.Counters.Skipped),
                Int64(commit.Counters.Failed),
                Instant(commit.HighWaterMark?.CreatedAt),
                Text(commit.HighWaterMark?.SourceId),
                mappings.CreateChargeParameter(),
                TextArray(ResolvedIds(commit.ResolvedPending)),
            ]));

        if (commit.Issues.Count > 0)
        {
            commands.Add(BatchCommand(
                _sql.InsertIssues,
                Text(commit.RunId),
                Int16Array([.. commit.Issues.Select(i => (short)i.EntityType)]),
                TextArray([.. commit.Issues.Select(i => i.SourceId)]),
                Int16Array([.. commit.Issues.Select(i => (short)i.Category)]),
                TextArray([.. commit.Issues.Select(i => i.Message)]),
                Int16Array([.. commit.Issues.Select(i => (short)i.Severity)])));
        }

        if (commit.AddLinks.Count > 0)
        {
            commands.Add(BatchCommand(_sql.AddLinks, LinkParameters(commit, commit.AddLinks)));
        }

        if (commit.RemoveLinks.Count > 0)
        {
            commands.Add(BatchCommand(_sql.RemoveLinks, LinkParameters(commit, commit.RemoveLinks)));
        }

        try
        {
            return await ExecuteBatchAsync(
                commands,
                (Commit: commit, Asynchronous: _asynchronousCommits),
                static async (reader, state, cancellationToken) =>
                {
                    BatchCommit commit = state.Commit;
                    // The fence and the asynchronous-commit setting share one leading statement.
                    if (state.Asynchronous || commit.Lease is not null)
                    {
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(2) != 1)
                    {
                        throw new InvalidOperationException($"The checkpoint of run '{commit.RunId}' was not written.");
                    }

                    return new CommitResult(reader.GetInt32(0), reader.GetDecimal(1));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == LeaseLostSqlState)
        {
            // The fence aborted the batch's implicit transaction: nothing was written.
            throw new LeaseLostException(commit.RunId);
        }
    }

    /// <summary>The resolved intents' source ids, distinct and in ordinal order, so concurrent deletes lock rows alike.</summary>
    private static string[] ResolvedIds(IReadOnlyList<string> resolved)
    {
        if (resolved.Count == 0)
        {
            return [];
        }

        string[] ids = [.. resolved];
        Array.Sort(ids, StringComparer.Ordinal);
        int kept = 1;
        for (int i = 1; i < ids.Length; i++)
        {
            if (!string.Equals(ids[i], ids[kept - 1], StringComparison.Ordinal))
            {
                ids[kept++] = ids[i];
            }
        }

        return kept == ids.Length ? ids : ids[..kept];
    }

    /// <summary>
    /// Runs statements as one batch: one round trip and one implicit transaction (an error in any statement rolls back all
    /// of them). The statements are prepared, which PostgreSQL keeps per pooled connection, so they are planned once.
    /// </summary>
    private async Task<TResult> ExecuteBatchAsync<TState, TResult>(
        List<NpgsqlBatchCommand> commands,
        TState state,
        Func<NpgsqlDataReader, TState, CancellationToken, Task<TResult>> read,
        CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            NpgsqlBatch batch = new(connection) { Timeout = _commandTimeout };
            await using (batch.ConfigureAwait(false))
            {
                foreach (NpgsqlBatchCommand command in commands)
                {
                    batch.BatchCommands.Add(command);
                }

                await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
                NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await read(reader, state, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<bool> ReadFenceAsync(NpgsqlDataReader reader, RunLease lease, CancellationToken cancellationToken)
        => await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            && !reader.IsDBNull(0)
            && string.Equals(reader.GetString(0), lease.Owner, StringComparison.Ordinal)
            && reader.GetInt64(1) == lease.Version;

    private static NpgsqlParameter[] LinkParameters(BatchCommit commit, IReadOnlyList<DeferredLink> links) =>
    [
        Text(commit.RunId),
        Int16((short)commit.Type),
        Int16Array([.. links.Select(l => (short)l.Type)]),
        TextArray([.. links.Select(l => l.SourceId)]),
        Int16Array([.. links.Select(l => (short)l.Reference.Target.Type)]),
        TextArray([.. links.Select(l => l.Reference.Target.SourceId)]),
        Int16Array([.. links.Select(l => (short)l.Reference.Role)]),
        Int16Array([.. links.Select(l => (short)l.Reference.Kind)]),
    ];

    private async Task<List<RunRecord>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        List<RunRecord> runs = [];
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(new RunRecord
                    {
                        RunId = reader.GetString(0),
                        ProjectId = reader.GetString(1),
                        Mode = (MigrationMode)reader.GetInt16(2),
                        State = (MigrationRunState)reader.GetInt16(3),
                        OptionsJson = GetNullableString(reader, 4),
                        CreatedAt = GetInstant(reader, 5),
                        StartedAt = GetNullableInstant(reader, 6),
                        EndedAt = GetNullableInstant(reader, 7),
                        EstimatedPoints = reader.IsDBNull(8) ? null : reader.GetDecimal(8),
                        Message = GetNullableString(reader, 9),
                    });
                }
            }
        }

        return runs;
    }

    private static NpgsqlParameter[] RunParameters(RunRecord run) =>
    [
        Text(run.RunId),
        Text(run.ProjectId),
        Int16((short)run.Mode),
        Int16((short)run.State),
        Text(run.OptionsJson),
        Instant(run.CreatedAt),
        Instant(run.StartedAt),
        Instant(run.EndedAt),
        Numeric(run.EstimatedPoints),
        Text(run.Message),
    ];

    /// <summary>Reads an ID-map row into <paramref name="rows"/>; a run key not in the cache is resolved afterwards.</summary>
    private void ReadIdMapEntry(NpgsqlDataReader reader, EntityType type, MapRows rows)
    {
        int runKey = reader.GetInt32(9);
        if (!_runIds.TryGetValue(runKey, out string? runId))
        {
            rows.Unresolved.Add((rows.Entries.Count, runKey));
            runId = string.Empty;
        }

        rows.Entries.Add(new IdMapEntry
        {
            Type = type,
            SourceId = reader.GetString(0),
            TargetId = reader.GetString(1),
            TargetUrl = GetNullableString(reader, 2),
            SourceUrl = GetNullableString(reader, 3),
            Checksum = reader.IsDBNull(4) ? null : ReadChecksum(reader, 4, rows),
            IsChild = reader.GetBoolean(5),
            Points = reader.GetDecimal(6),
            FirstMigratedAt = GetInstant(reader, 7),
            LastUpdatedAt = GetInstant(reader, 8),
            RunId = runId,
        });
    }

    /// <summary>Decodes a stored checksum through the rows' scratch buffer, so only the string is allocated.</summary>
    private static string ReadChecksum(NpgsqlDataReader reader, int ordinal, MapRows rows)
    {
        // DbDataReader.GetBytes with a null buffer returns the field's length in bytes (the ADO.NET contract, which
        // Npgsql follows for bytea; the checksum tests read every kind of stored checksum back through here).
        int length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (rows.Scratch.Length < length)
        {
            rows.Scratch = new byte[Math.Max(length, rows.Scratch.Length * 2)];
        }

        reader.GetBytes(ordinal, 0, rows.Scratch, 0, length);
        return StoredChecksum.Decode(rows.Scratch.AsSpan(0, length));
    }

    /// <summary>Sets the run id of the rows whose run key was not cached, reading the keys from <c>run_keys</c>.</summary>
    private async ValueTask ResolveRunIdsAsync(MapRows rows, CancellationToken cancellationToken)
    {
        if (rows.Unresolved.Count == 0)
        {
            return;
        }

        int[] keys = [.. rows.Unresolved.Select(u => u.RunKey).Distinct()];
        NpgsqlCommand command = Command(_sql.GetRunIds, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = keys });
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _runIds[reader.GetInt32(0)] = reader.GetString(1);
                }
            }
        }

        foreach ((int index, int runKey) in rows.Unresolved)
        {
            if (!_runIds.TryGetValue(runKey, out string? runId))
            {
                throw new InvalidOperationException($"An ID-map row of schema '{_schema}' refers to run key {runKey}, which run_keys does not hold.");
            }

            rows.Entries[index] = rows.Entries[index] with { RunId = runId };
        }

        rows.Unresolved.Clear();
    }

    /// <summary>Gets the key of a project id, or <see langword="null"/> when nothing was ever written for the project.</summary>
    private async ValueTask<int?> GetProjectKeyAsync(string projectId, CancellationToken cancellationToken)
    {
        if (_projectKeys.TryGetValue(projectId, out int key))
        {
            return key;
        }

        NpgsqlCommand command = Command(_sql.GetProjectKey, Text(projectId));
        await using (command.ConfigureAwait(false))
        {
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int found)
            {
                _projectKeys[projectId] = found;
                return found;
            }

            return null;
        }
    }

    /// <summary>Gets the key of a project id, making it when the project has none yet.</summary>
    private ValueTask<int> EnsureProjectKeyAsync(string projectId, CancellationToken cancellationToken)
        => _projectKeys.TryGetValue(projectId, out int key) ? ValueTask.FromResult(key) : EnsureKeyAsync(_sql.EnsureProjectKey, projectId, isRun: false, cancellationToken);

    /// <summary>Gets the key of a run id, making it when the run has none yet.</summary>
    private ValueTask<int> EnsureRunKeyAsync(string runId, CancellationToken cancellationToken)
        => _runKeys.TryGetValue(runId, out int key) ? ValueTask.FromResult(key) : EnsureKeyAsync(_sql.EnsureRunKey, runId, isRun: true, cancellationToken);

    private async ValueTask<int> EnsureKeyAsync(string sql, string id, bool isRun, CancellationToken cancellationToken)
    {
        // No row comes back only while another worker's insert of the same id commits (see StoreSql): ask again.
        for (int attempt = 1; attempt <= MaxCommitAttempts; attempt++)
        {
            NpgsqlCommand command = Command(sql, Text(id));
            await using (command.ConfigureAwait(false))
            {
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int key)
                {
                    if (isRun)
                    {
                        _runKeys[id] = key;
                        _runIds[key] = id;
                    }
                    else
                    {
                        _projectKeys[id] = key;
                    }

                    return key;
                }
            }
        }

        throw new InvalidOperationException($"The {(isRun ? "run" : "project")} key of '{id}' could not be read after {MaxCommitAttempts} attempts.");
    }

    private static HighWaterMark? ReadHighWaterMark(NpgsqlDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : new HighWaterMark(GetInstant(reader, ordinal), reader.GetString(ordinal + 1));

    private static string? GetNullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset GetInstant(NpgsqlDataReader reader, int ordinal) => new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? GetNullableInstant(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : GetInstant(reader, ordinal);

    private static string SerializeSettings(IReadOnlyDictionary<string, string> settings)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream))
        {
            writer.WriteStartObject();
            foreach ((string key, string value) in settings)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<string, string> DeserializeSettings(string json)
    {
        Dictionary<string, string> settings = new(StringComparer.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            settings[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return settings;
    }

    private NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        NpgsqlCommand command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = _commandTimeout;
        command.Parameters.AddRange(parameters);
        return command;
    }

    private NpgsqlCommand Command(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, params NpgsqlParameter[] parameters)
    {
        NpgsqlCommand command = new(sql, connection, transaction) { CommandTimeout = _commandTimeout };
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        NpgsqlBatchCommand command = new(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Jsonb(string value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = value };

    private static NpgsqlParameter<short> Int16(short value) => new() { NpgsqlDbType = NpgsqlDbType.Smallint, TypedValue = value };

    private static NpgsqlParameter<int> Int32(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = value };

    private static NpgsqlParameter<long> Int64(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    private static NpgsqlParameter<bool> Bool(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, TypedValue = value };

    private static NpgsqlParameter Numeric(decimal? value) => new() { NpgsqlDbType = NpgsqlDbType.Numeric, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Instant(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.UtcDateTime : (object)DBNull.Value };

    private static NpgsqlParameter TextArray(string?[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values };

    private static NpgsqlParameter Int16Array(short[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint, Value = values };

    /// <summary>The ID-map rows of a commit as column arrays: one row per source id, sorted ordinally.</summary>
    /// <remarks>
    /// When a source id appears more than once, the in-memory store inserts the first and updates it with the later ones:
    /// the row stored is the last one with the first one's <see cref="IdMapEntry.FirstMigratedAt"/>, and a charge, if any, is
    /// the first one's. Sorting makes concurrent commits lock shared rows in the same order.
    /// </remarks>
    private sealed class PreparedMappings
    {
        private readonly string[] _sourceIds;
        private readonly string[] _targetIds;
        private readonly string?[] _targetUrls;
        private readonly string?[] _sourceUrls;
        private readonly byte[]?[] _checksums;
        private readonly bool[] _isChild;
        private readonly decimal[] _points;
        private readonly DateTime[] _firstMigratedAt;
        private readonly DateTime[] _lastUpdatedAt;
        private readonly string[] _runIds;
        private readonly bool[] _chargeable;
        private readonly decimal[] _charges;

        private PreparedMappings(int n)
        {
            _sourceIds = new string[n];
            _targetIds = new string[n];
            _targetUrls = new string?[n];
            _sourceUrls = new string?[n];
            _checksums = new byte[]?[n];
            _isChild = new bool[n];
            _points = new decimal[n];
            _firstMigratedAt = new DateTime[n];
            _lastUpdatedAt = new DateTime[n];
            _runIds = new string[n];
            _chargeable = new bool[n];
            _charges = new decimal[n];
        }

        public static PreparedMappings Create(IReadOnlyList<IdMapEntry> entries)
        {
            Dictionary<string, (IdMapEntry First, IdMapEntry Last)> rows = new(entries.Count, StringComparer.Ordinal);
            foreach (IdMapEntry entry in entries)
            {
                rows[entry.SourceId] = rows.TryGetValue(entry.SourceId, out (IdMapEntry First, IdMapEntry Last) seen) ? (seen.First, entry) : (entry, entry);
            }

            (IdMapEntry First, IdMapEntry Last)[] sorted = [.. rows.Values.OrderBy(r => r.First.SourceId, StringComparer.Ordinal)];
            PreparedMappings prepared = new(sorted.Length);
            for (int i = 0; i < sorted.Length; i++)
            {
                (IdMapEntry firstSeen, IdMapEntry row) = sorted[i];
                prepared._sourceIds[i] = row.SourceId;
                prepared._targetIds[i] = row.TargetId;
                prepared._targetUrls[i] = row.TargetUrl;
                prepared._sourceUrls[i] = row.SourceUrl;
                prepared._checksums[i] = StoredChecksum.Encode(row.Checksum);
                prepared._isChild[i] = row.IsChild;
                prepared._points[i] = row.Points;
                prepared._firstMigratedAt[i] = firstSeen.FirstMigratedAt.UtcDateTime;
                prepared._lastUpdatedAt[i] = row.LastUpdatedAt.UtcDateTime;
                prepared._runIds[i] = row.RunId;
                prepared._chargeable[i] = !firstSeen.IsChild;
                prepared._charges[i] = firstSeen.IsChild ? 0m : firstSeen.Points;
            }

            return prepared;
        }

        /// <summary>Gets each row's run id (rows of one run share the string instance when their entries do).</summary>
        public string[] RunIds => _runIds;

        /// <summary>Creates the parameters <c>$3</c> to <c>$13</c> of the commit statement (a parameter belongs to one command).</summary>
        /// <param name="runKeys">The key of each row's run id.</param>
        /// <returns>The parameters.</returns>
        public NpgsqlParameter[] CreateColumnParameters(int[] runKeys) =>
        [
            TextArray(_sourceIds),
            TextArray(_targetIds),
            TextArray(_targetUrls),
            TextArray(_sourceUrls),
            Array(NpgsqlDbType.Bytea, _checksums),
            Array(NpgsqlDbType.Boolean, _isChild),
            Array(NpgsqlDbType.Numeric, _points),
            Array(NpgsqlDbType.TimestampTz, _firstMigratedAt),
            Array(NpgsqlDbType.TimestampTz, _lastUpdatedAt),
            Array(NpgsqlDbType.Integer, runKeys),
            Array(NpgsqlDbType.Boolean, _chargeable),
        ];

        /// <summary>Creates the parameter <c>$25</c>: the charge of each row if it is new.</summary>
        /// <returns>The parameter.</returns>
        public NpgsqlParameter CreateChargeParameter() => Array(NpgsqlDbType.Numeric, _charges);

        private static NpgsqlParameter Array(NpgsqlDbType elementType, System.Array values) => new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values };
    }

    /// <summary>ID-map rows read from one result, and the rows whose run key was not in the cache yet.</summary>
    private sealed class MapRows(int capacity)
    {
        public List<IdMapEntry> Entries { get; } = new(capacity);

        public List<(int Index, int RunKey)> Unresolved { get; } = [];

        /// <summary>Gets or sets a buffer for decoding checksums (17 bytes for the engine's).</summary>
        public byte[] Scratch { get; set; } = new byte[64];

        public void Clear()
        {
            Entries.Clear();
            Unresolved.Clear();
        }
    }
}
