using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Stores;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// An <see cref="ICheckpointStore"/> in one SQLite file, with the same semantics as the in-memory reference store.
/// </summary>
/// <remarks>
/// <para>
/// Every write is one <c>BEGIN IMMEDIATE</c> transaction on a dedicated writer connection. Writers of this instance queue on
/// an async gate, so they never spin on SQLite's lock; writers of other processes or instances on the same file wait in
/// SQLite's busy handler up to the busy timeout. Reads run concurrently on pooled connections and, in WAL mode, never block
/// writers or wait for them. A read made of several statements runs in one read transaction, so it sees one snapshot.
/// </para>
/// <para>
/// Microsoft.Data.Sqlite does its I/O synchronously, so calls complete on the caller's thread, except while waiting for the
/// writer gate and for the parts of a large lookup that run on other read connections (see <see cref="LookupParts"/>).
/// </para>
/// </remarks>
internal sealed class SqliteStore : ICheckpointStore, IAsyncDisposable, IDisposable
{
    /// <summary>The pages written to the log after which a background checkpoint starts (about 40 MiB with 4 KiB pages), as SQLite's automatic checkpoint did before.</summary>
    internal const int BackgroundCheckpointPages = 10_000;

    private const int SqliteBusy = 5;

    private const int SqliteLocked = 6;

    private const string MappingColumns = "source_id, target_id, target_url, source_url, checksum, is_child, first_migrated_at, last_updated_at, run_id, points";

    // The ID map with its run ids (schema version 4 keys them; run_keys is small and stays in the page cache).
    private const string MappingTable = "id_map JOIN run_keys USING (run_key)";

    private const string InsertMappingSql = """
        INSERT INTO id_map (project_key, type, source_id, target_id, target_url, source_url, checksum, is_child, first_migrated_at, last_updated_at, run_key, points)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
        ON CONFLICT (project_key, type, source_id) DO NOTHING
        """;

    // Keeps first_migrated_at (?9 is bound but not used): the ledger entry was charged when the row was first inserted.
    private const string UpdateMappingSql = """
        UPDATE id_map
        SET target_id = ?4, target_url = ?5, source_url = ?6, checksum = ?7, is_child = ?8, last_updated_at = ?10, run_key = ?11, points = ?12
        WHERE project_key = ?1 AND type = ?2 AND source_id = ?3
        """;

    // The columns MappingRowReader reads; the source id is the one bound. The run is read as its key, which MappingRowReader
    // turns into the run id through the store's cache of run_keys: no second probe (of run_keys) per row.
    private const string LookupSql = """
        SELECT target_id, target_url, source_url, checksum, is_child, first_migrated_at, last_updated_at, run_key, points
        FROM id_map WHERE project_key = ?1 AND type = ?2 AND source_id = ?3
        """;

    private const string DeletePendingSql = "DELETE FROM pending WHERE project_key = ?1 AND type = ?2 AND source_id = ?3";

    private const string UpsertPendingSql = """
        INSERT INTO pending (project_key, type, source_id, natural_key, run_id) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (project_key, type, source_id) DO UPDATE SET natural_key = excluded.natural_key, run_id = excluded.run_id
        """;

    private const string SelectLeaseSql = "SELECT owner, version FROM leases WHERE run_id = ?1";

    private const string SelectCheckpointSql = """
        SELECT resume_token, completed, read_count, created_count, updated_count, skipped_count, failed_count, points_charged, hwm_created_at, hwm_source_id
        FROM checkpoints WHERE run_id = ?1 AND type = ?2
        """;

    private const string UpsertCheckpointSql = """
        INSERT OR REPLACE INTO checkpoints (run_id, type, resume_token, completed, read_count, created_count, updated_count, skipped_count, failed_count, points_charged, hwm_created_at, hwm_source_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
        """;

    private const string SelectRunSql = "SELECT run_id, project_id, mode, state, options_json, created_at, started_at, ended_at, estimated_points, message FROM runs";

    private readonly StoreSettings _settings;
    private readonly string _dataSource;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConnectionPool _readers;
    private readonly int _lookupParallelism;
    private readonly KeyTable _projectKeys = KeyTable.Projects();
    private readonly KeyTable _runKeys = KeyTable.Runs();
    private StoreConnection? _writer;
    private StoreConnection? _checkpointer;
    private Task _checkpoint = Task.CompletedTask;
    private int _pagesSinceCheckpoint;
    private volatile bool _backgroundCheckpoints = true;
    private volatile bool _disposed;

    private SqliteStore(SqliteConnectionStringBuilder connectionString, SqliteCheckpointStoreOptions options, ILogger logger)
    {
        _logger = logger;
        _settings = new StoreSettings(connectionString.ToString(), options.Synchronous, options.BusyTimeout, options.MemoryMapSize);
        _dataSource = connectionString.DataSource;
        _readers = new ConnectionPool(OpenConnection, options.MaxPooledConnections);
        _lookupParallelism = options.MaxLookupParallelism;
    }

    /// <summary>Gets how many background checkpoints this store has started (tests).</summary>
    internal int BackgroundCheckpointsStarted { get; private set; }

    /// <summary>Gets or sets what a background checkpoint runs on its connection (tests replace it to inject a failure).</summary>
    internal Func<StoreConnection, bool> RunBackgroundCheckpoint { get; set; } = static c => c.CheckpointPassive();

    /// <summary>Gets the background checkpoint started last, or a completed task (tests).</summary>
    internal Task BackgroundCheckpoint => _checkpoint;

    /// <summary>Gets the schema version the database had when this store opened it (0 for a new file).</summary>
    public int OpenedSchemaVersion { get; private set; }

    /// <summary>Validates the options, opens (or creates) the database, and brings its schema up to date.</summary>
    /// <exception cref="MigrationConfigurationException">The options are invalid.</exception>
    /// <exception cref="MigrationException">The database cannot be opened, is newer than this code, or is not a checkpoint database.</exception>
    public static SqliteStore Open(SqliteCheckpointStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        SqliteConnectionStringBuilder connectionString = SqliteOptionsValidator.Validate(options);
        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NextCart.Migration.Sqlite.SqliteCheckpointStore");
        SqliteStore store = new(connectionString, options, logger);
        try
        {
            StoreConnection writer = store.OpenConnection();
            store._writer = writer;
            store.OpenedSchemaVersion = SqliteSchema.Initialize(writer, store._dataSource, TimeProvider.System.GetUtcNow());
            return store;
        }
        catch (SqliteException ex)
        {
            store.Dispose();
            throw new MigrationException($"The checkpoint database '{store._dataSource}' could not be opened: {ex.Message}", FailureCategory.Configuration, isTransient: false, ex);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    // ------------------------------------------------------------------ projects and runs

    public ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return WriteAsync(project, static (c, project) =>
        {
            ProjectRecord? existing = ReadProject(c, project.ProjectId);
            if (existing is not null)
            {
                CheckpointStoreRules.EnsureSameProviders(existing, project);
                SqliteCommand update = c.Command("UPDATE projects SET settings_json = $settings WHERE project_id = $project");
                update.Parameters.AddWithValue("$settings", SqliteValues.ToJson(project.Settings));
                update.Parameters.AddWithValue("$project", project.ProjectId);
                update.ExecuteNonQuery();
                return existing with { Settings = project.Settings };
            }

            SqliteCommand insert = c.Command("""
                INSERT INTO projects (project_id, source_provider_id, target_provider_id, settings_json, created_at)
                VALUES ($project, $source, $target, $settings, $created)
                """);
            insert.Parameters.AddWithValue("$project", project.ProjectId);
            insert.Parameters.AddWithValue("$source", project.SourceProviderId);
            insert.Parameters.AddWithValue("$target", project.TargetProviderId);
            insert.Parameters.AddWithValue("$settings", SqliteValues.ToJson(project.Settings));
            insert.Parameters.AddWithValue("$created", SqliteValues.ToText(project.CreatedAt));
            insert.ExecuteNonQuery();
            return project;
        }, cancellationToken);
    }

    public ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(projectId, static (c, id) => ReadProject(c, id), cancellationToken));

    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await WriteAsync(run, static (c, run) =>
        {
            if (!Exists(c, "SELECT 1 FROM projects WHERE project_id = $id", run.ProjectId))
            {
                throw new InvalidOperationException($"Project '{run.ProjectId}' does not exist.");
            }

            if (Exists(c, "SELECT 1 FROM runs WHERE run_id = $id", run.RunId))
            {
                throw new InvalidOperationException($"Run '{run.RunId}' already exists.");
            }

            SqliteCommand insert = c.Command("""
                INSERT INTO runs (run_id, project_id, mode, state, options_json, created_at, started_at, ended_at, estimated_points, message)
                VALUES ($run, $project, $mode, $state, $options, $created, $started, $ended, $points, $message)
                """);
            AddRunParameters(insert, run);
            insert.ExecuteNonQuery();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(runId, static (c, runId) =>
        {
            SqliteCommand select = c.Command(SelectRunSql + " WHERE run_id = $run");
            select.Parameters.AddWithValue("$run", runId);
            using SqliteDataReader reader = select.ExecuteReader();
            return reader.Read() ? ReadRun(reader) : null;
        }, cancellationToken));

    public ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(projectId, static (c, projectId) =>
        {
            SqliteCommand select = projectId is null
                ? c.Command(SelectRunSql + " ORDER BY seq")
                : c.Command(SelectRunSql + " WHERE project_id = $project ORDER BY seq");
            if (projectId is not null)
            {
                select.Parameters.AddWithValue("$project", projectId);
            }

            List<RunRecord> runs = [];
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(ReadRun(reader));
            }

            return (IReadOnlyList<RunRecord>)runs;
        }, cancellationToken));

    public async ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await WriteAsync((run, lease), static (c, state) =>
        {
            (RunRecord run, RunLease? lease) = state;
            if (!Exists(c, "SELECT 1 FROM runs WHERE run_id = $id", run.RunId))
            {
                throw new InvalidOperationException($"Run '{run.RunId}' does not exist.");
            }

            EnsureLease(c, run.RunId, lease);
            SqliteCommand update = c.Command("""
                UPDATE runs
                SET project_id = $project, mode = $mode, state = $state, options_json = $options, created_at = $created,
                    started_at = $started, ended_at = $ended, estimated_points = $points, message = $message
                WHERE run_id = $run
                """);
            AddRunParameters(update, run);
            try
            {
                update.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == 787)
            {
                // SQLITE_CONSTRAINT_FOREIGNKEY: the run was moved to a project that does not exist.
                throw new InvalidOperationException($"Project '{run.ProjectId}' does not exist.", ex);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(runId, static (c, runId) =>
        {
            SqliteCommand select = c.Command("""
                SELECT type, resume_token, completed, read_count, created_count, updated_count, skipped_count, failed_count, points_charged, hwm_created_at, hwm_source_id
                FROM checkpoints WHERE run_id = $run ORDER BY type
                """);
            select.Parameters.AddWithValue("$run", runId);
            List<TypeCheckpoint> checkpoints = [];
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                checkpoints.Add(ReadCheckpoint(reader, runId, (EntityType)reader.GetInt32(0), offset: 1));
            }

            return (IReadOnlyList<TypeCheckpoint>)checkpoints;
        }, cancellationToken));

    // ------------------------------------------------------------------ ID map

    public ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        if (sourceIds.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, IdMapEntry>>(new Dictionary<string, IdMapEntry>(StringComparer.Ordinal));
        }

        // The ids are probed in ordinal order (neighbouring ids share B-tree pages), each once.
        string[] sorted = [.. sourceIds];
        Array.Sort(sorted, StringComparer.Ordinal);
        int distinct = LookupParts.RemoveAdjacentDuplicates(sorted);
        int parts = LookupParts.Count(distinct, _lookupParallelism);
        if (parts == 1)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, IdMapEntry>>(LookupRange(projectId, type, sorted.AsMemory(0, distinct), cancellationToken));
        }

        return new ValueTask<IReadOnlyDictionary<string, IdMapEntry>>(LookupInPartsAsync(projectId, type, sorted.AsMemory(0, distinct), parts, cancellationToken));
    }

    /// <summary>Looks up a large set of ids in contiguous parts on connections of their own, at the same time (see <see cref="LookupParts"/>).</summary>
    private async Task<IReadOnlyDictionary<string, IdMapEntry>> LookupInPartsAsync(string projectId, EntityType type, ReadOnlyMemory<string> sorted, int parts, CancellationToken cancellationToken)
    {
        Dictionary<string, IdMapEntry>[] found = await LookupParts.RunAsync(
            parts,
            (part, token) => Task.FromResult(LookupRange(projectId, type, sorted[LookupParts.Of(sorted.Length, parts, part)], token)),
            cancellationToken).ConfigureAwait(false);
        Dictionary<string, IdMapEntry> all = found[0];
        all.EnsureCapacity(found.Sum(f => f.Count));
        for (int part = 1; part < found.Length; part++)
        {
            foreach ((string sourceId, IdMapEntry entry) in found[part])
            {
                all.Add(sourceId, entry);
            }
        }

        return all;
    }

    /// <summary>Looks up distinct ids, in ordinal order, on one read connection.</summary>
    private Dictionary<string, IdMapEntry> LookupRange(string projectId, EntityType type, ReadOnlyMemory<string> sorted, CancellationToken cancellationToken)
        => Read((_projectKeys, _runKeys, projectId, type, sorted), static (c, state) =>
        {
            (KeyTable keys, KeyTable runKeys, string projectId, EntityType type, ReadOnlyMemory<string> sorted) = state;
            Dictionary<string, IdMapEntry> found = new(sorted.Length, StringComparer.Ordinal);
            if (keys.Find(c, projectId) is not { } projectKey)
            {
                return found;
            }

            // One read transaction: every id of the range reads the same snapshot, and the WAL read lock is taken once, not per id.
            if (sorted.Length > 1)
            {
                c.BeginRead();
            }

            // One prepared primary-key probe per id. It replaced one statement over a JSON array (json_each): that built and
            // parsed the JSON, sorted the ids again into a temporary index, and read each source id back as a new string,
            // where the caller's string is the key.
            NativeStatement select = c.Statement(LookupSql);
            select.Bind(1, projectKey);
            select.Bind(2, (long)type);
            MappingRowReader rows = new(type, runKeys, c);
            try
            {
                foreach (string sourceId in sorted.Span)
                {
                    select.BindUtf8(3, sourceId);
                    if (select.Step())
                    {
                        found[sourceId] = rows.Read(select, sourceId);
                    }

                    select.Reset();
                }
            }
            finally
            {
                select.Reset();
            }

            return found;
        }, cancellationToken);

    public ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read((_projectKeys, projectId, type, targetId), static (c, state) =>
        {
            if (state._projectKeys.Find(c, state.projectId) is not { } projectKey)
            {
                return null;
            }

            // Two source records may share a target record; the one written last is its owner.
            SqliteCommand select = c.Command($"""
                SELECT {MappingColumns} FROM {MappingTable}
                WHERE project_key = $project AND type = $type AND target_id = $target
                ORDER BY last_updated_at DESC, source_id LIMIT 1
                """);
            select.Parameters.AddWithValue("$project", projectKey);
            select.Parameters.AddWithValue("$type", (int)state.type);
            select.Parameters.AddWithValue("$target", state.targetId);
            using SqliteDataReader reader = select.ExecuteReader();
            return reader.Read() ? ReadMapping(reader, state.type) : null;
        }, cancellationToken));

    public ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read((_projectKeys, projectId, type), static (c, state) =>
        {
            if (state._projectKeys.Find(c, state.projectId) is not { } projectKey)
            {
                return 0L;
            }

            SqliteCommand count = c.Command("SELECT count(*) FROM id_map WHERE project_key = $project AND type = $type AND is_child = 0");
            count.Parameters.AddWithValue("$project", projectKey);
            count.Parameters.AddWithValue("$type", (int)state.type);
            return (long)count.ExecuteScalar()!;
        }, cancellationToken));

    public async IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        StoreConnection c = _readers.Rent();
        SqliteDataReader? reader = null;
        try
        {
            // One statement reads one snapshot, however long the caller takes; the primary key gives the BINARY order.
            reader = Guard(c, (_projectKeys, projectId, type), static (c, state) =>
            {
                if (state._projectKeys.Find(c, state.projectId) is not { } projectKey)
                {
                    return null;
                }

                SqliteCommand select = c.Command($"SELECT {MappingColumns} FROM {MappingTable} WHERE project_key = $project AND type = $type AND is_child = 0 ORDER BY source_id");
                select.Parameters.AddWithValue("$project", projectKey);
                select.Parameters.AddWithValue("$type", (int)state.type);
                return select.ExecuteReader();
            });
            while (reader is not null && Guard(c, reader, static (_, reader) => reader.Read()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return ReadMapping(reader, type);
            }
        }
        finally
        {
            reader?.Dispose();
            _readers.Return(c);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ write intents

    public async ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        await WriteAsync((_projectKeys, projectId, runId, type, identities, lease), static (c, state) =>
        {
            EnsureLease(c, state.runId, state.lease);
            if (state.identities.Count == 0)
            {
                return true;
            }

            long projectKey = state._projectKeys.Ensure(c, state.projectId);
            NativeStatement upsert = c.Statement(UpsertPendingSql);
            foreach (SourceIdentity identity in state.identities)
            {
                upsert.Bind(1, projectKey);
                upsert.Bind(2, (long)state.type);
                upsert.Bind(3, identity.SourceId);
                upsert.Bind(4, identity.NaturalKey);
                upsert.Bind(5, state.runId);
                upsert.Execute();
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read((_projectKeys, projectId, type), static (c, state) =>
        {
            List<SourceIdentity> pending = [];
            if (state._projectKeys.Find(c, state.projectId) is not { } projectKey)
            {
                return (IReadOnlyList<SourceIdentity>)pending;
            }

            SqliteCommand select = c.Command("SELECT source_id, natural_key FROM pending WHERE project_key = $project AND type = $type ORDER BY rowid");
            select.Parameters.AddWithValue("$project", projectKey);
            select.Parameters.AddWithValue("$type", (int)state.type);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                pending.Add(new SourceIdentity(state.type, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }

            return (IReadOnlyList<SourceIdentity>)pending;
        }, cancellationToken));

    // ------------------------------------------------------------------ commit

    public ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return WriteAsync((_projectKeys, _runKeys, commit), static (c, state) => Commit(c, state._projectKeys, state._runKeys, state.commit), cancellationToken);
    }

    public ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(runId, static (c, runId) =>
            (IReadOnlyList<RecordIssue>)ReadIssues(c.Command("SELECT entity_type, source_id, category, message, severity FROM issues WHERE run_id = $run ORDER BY seq"), runId, null), cancellationToken));

    public ValueTask<IssueSummary> GetIssueSummaryAsync(string runId, int maxWarningExamples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWarningExamples);
        return ValueTask.FromResult(Read((runId, maxWarningExamples), static (c, state) =>
        {
            // Failures, then the distinct warnings counted by kind and the first of each kind, all in the database (one read
            // transaction, so the three statements read one snapshot): a run that warned about every record does not read its
            // warnings into memory.
            c.BeginRead();
            List<RecordIssue> failures = ReadIssues(c.Command($"SELECT entity_type, source_id, category, message, severity FROM issues WHERE run_id = $run AND severity = {(int)IssueSeverity.Failure} ORDER BY seq"), state.runId, null);
            List<RecordIssue> examples = ReadIssues(c.Command($"""
                SELECT entity_type, source_id, category, message, {(int)IssueSeverity.Warning} FROM (
                    SELECT entity_type, source_id, category, message, first_seq,
                           row_number() OVER (PARTITION BY entity_type, category ORDER BY first_seq) AS n
                    FROM (SELECT entity_type, source_id, category, message, min(seq) AS first_seq FROM issues
                          WHERE run_id = $run AND severity = {(int)IssueSeverity.Warning}
                          GROUP BY entity_type, source_id, category, message))
                WHERE n <= $max ORDER BY first_seq
                """), state.runId, state.maxWarningExamples);
            SqliteCommand count = c.Command($"""
                SELECT entity_type, category, count(*) FROM (
                    SELECT DISTINCT entity_type, source_id, category, message FROM issues WHERE run_id = $run AND severity = {(int)IssueSeverity.Warning})
                GROUP BY entity_type, category ORDER BY entity_type, category
                """);
            count.Parameters.AddWithValue("$run", state.runId);
            List<WarningCount> counts = [];
            using (SqliteDataReader reader = count.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts.Add(new WarningCount((EntityType)reader.GetInt32(0), (FailureCategory)reader.GetInt32(1), reader.GetInt64(2)));
                }
            }

            return new IssueSummary(failures, examples, counts);
        }, cancellationToken));
    }

    /// <summary>Reads issues (entity type, source id, category, message, severity) from a query on <c>$run</c> and, when given, <c>$max</c>.</summary>
    private static List<RecordIssue> ReadIssues(SqliteCommand select, string runId, int? max)
    {
        select.Parameters.AddWithValue("$run", runId);
        if (max is { } limit)
        {
            select.Parameters.AddWithValue("$max", limit);
        }

        List<RecordIssue> issues = [];
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            issues.Add(new RecordIssue((EntityType)reader.GetInt32(0), reader.GetString(1), (FailureCategory)reader.GetInt32(2), reader.GetString(3), (IssueSeverity)reader.GetInt32(4)));
        }

        return issues;
    }

    public ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read((runId, type), static (c, state) =>
        {
            SqliteCommand select = c.Command("SELECT source_id, target_type, target_source_id, role, kind FROM deferred_links WHERE run_id = $run AND type = $type");
            select.Parameters.AddWithValue("$run", state.runId);
            select.Parameters.AddWithValue("$type", (int)state.type);
            List<DeferredLink> links = [];
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    EntityRef target = new((EntityType)reader.GetInt32(1), reader.GetString(2));
                    links.Add(new DeferredLink(state.type, reader.GetString(0), new EntityReference(target, (ReferenceRole)reader.GetInt32(3), (ReferenceKind)reader.GetInt32(4))));
                }
            }

            // The reference store's order, with the remaining fields as tie-breakers so the order is total.
            IReadOnlyList<DeferredLink> ordered = links
                .OrderBy(l => l.SourceId, SourceIdComparer.Instance)
                .ThenBy(l => l.Reference.Target.SourceId, StringComparer.Ordinal)
                .ThenBy(l => l.Reference.Role)
                .ThenBy(l => l.Reference.Target.Type)
                .ThenBy(l => l.Reference.Kind)
                .ToArray();
            return ordered;
        }, cancellationToken));

    // ------------------------------------------------------------------ leases

    public ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync((runId, owner, now, duration), static (c, state) =>
        {
            RunLease? current = ReadLease(c, state.runId);
            if (current is not null && current.Owner != state.owner && current.ExpiresAt > state.now)
            {
                return null;
            }

            long version = (long)c.Command("UPDATE sequences SET value = value + 1 WHERE name = 'lease_version' RETURNING value").ExecuteScalar()!;
            RunLease lease = new(state.runId, state.owner, version, state.now + state.duration);
            SqliteCommand upsert = c.Command("INSERT OR REPLACE INTO leases (run_id, owner, version, expires_at) VALUES ($run, $owner, $version, $expires)");
            upsert.Parameters.AddWithValue("$run", lease.RunId);
            upsert.Parameters.AddWithValue("$owner", lease.Owner);
            upsert.Parameters.AddWithValue("$version", lease.Version);
            upsert.Parameters.AddWithValue("$expires", SqliteValues.ToText(lease.ExpiresAt));
            upsert.ExecuteNonQuery();
            return (RunLease?)lease;
        }, cancellationToken);
    }

    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return WriteAsync((lease, now, duration), static (c, state) =>
        {
            RunLease? current = ReadLease(c, state.lease.RunId);
            if (current is null || current.Owner != state.lease.Owner || current.Version != state.lease.Version)
            {
                return null;
            }

            RunLease renewed = current with { ExpiresAt = state.now + state.duration };
            SqliteCommand update = c.Command("UPDATE leases SET expires_at = $expires WHERE run_id = $run");
            update.Parameters.AddWithValue("$expires", SqliteValues.ToText(renewed.ExpiresAt));
            update.Parameters.AddWithValue("$run", renewed.RunId);
            update.ExecuteNonQuery();
            return (RunLease?)renewed;
        }, cancellationToken);
    }

    // ------------------------------------------------------------------ stop requests

    public ValueTask<bool> RequestStopAsync(string runId, RunStopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        _ = CheckpointStoreRules.MergeStopRequest(RunStopRequest.None, request);
        return WriteAsync((runId, request), static (c, state) =>
        {
            if (!Exists(c, "SELECT 1 FROM runs WHERE run_id = $id", state.runId))
            {
                return false;
            }

            SqliteCommand command = state.request == RunStopRequest.None
                ? c.Command("DELETE FROM stop_requests WHERE run_id = $run")
                : c.Command("""
                    INSERT INTO stop_requests (run_id, request) VALUES ($run, $request)
                    ON CONFLICT (run_id) DO UPDATE SET request = max(request, excluded.request)
                    """);
            command.Parameters.AddWithValue("$run", state.runId);
            if (state.request != RunStopRequest.None)
            {
                command.Parameters.AddWithValue("$request", (int)state.request);
            }

            command.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    public ValueTask<RunStopRequest> GetStopRequestAsync(string runId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(runId, static (c, runId) =>
        {
            SqliteCommand select = c.Command("SELECT request FROM stop_requests WHERE run_id = $run");
            select.Parameters.AddWithValue("$run", runId);
            return select.ExecuteScalar() is long value ? (RunStopRequest)value : RunStopRequest.None;
        }, cancellationToken));

    public async ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await WriteAsync(lease, static (c, lease) =>
        {
            SqliteCommand delete = c.Command("DELETE FROM leases WHERE run_id = $run AND owner = $owner AND version = $version");
            delete.Parameters.AddWithValue("$run", lease.RunId);
            delete.Parameters.AddWithValue("$owner", lease.Owner);
            delete.Parameters.AddWithValue("$version", lease.Version);
            delete.ExecuteNonQuery();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ disposal

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Let a write in progress finish before its connection is closed.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writeGate.Wait();
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // ------------------------------------------------------------------ the commit transaction

    private static CommitResult Commit(StoreConnection c, KeyTable keys, KeyTable runKeys, BatchCommit commit)
    {
        // The fence comes first: a stale lease writes nothing. The commit's own statements (fence, checkpoint) are native
        // prepared statements, as its rows are: a Microsoft.Data.Sqlite command costs a reader and named parameters per call.
        EnsureLease(c, commit.RunId, commit.Lease);

        int inserted = 0;
        decimal points = 0;
        if (commit.Mappings.Count > 0)
        {
            // Bindings survive a statement's reset, so the batch's project and type are bound once.
            long projectKey = keys.Ensure(c, commit.ProjectId);
            NativeStatement insert = c.Statement(InsertMappingSql);
            NativeStatement update = c.Statement(UpdateMappingSql);
            insert.Bind(1, projectKey);
            insert.Bind(2, (long)commit.Type);
            update.Bind(1, projectKey);
            update.Bind(2, (long)commit.Type);
            SharedColumns text = default;
            BoundValues insertBound = default;
            BoundValues updateBound = default;
            foreach (IdMapEntry entry in commit.Mappings)
            {
                // Rows are applied in order, so a source id repeated in one batch is inserted once, then updated.
                text.Update(c, runKeys, entry);
                BindMapping(insert, entry, text, ref insertBound);
                if (insert.Execute() == 1)
                {
                    if (!entry.IsChild)
                    {
                        inserted++;
                        points += entry.Points;
                    }
                }
                else
                {
                    BindMapping(update, entry, text, ref updateBound);
                    update.Execute();
                }
            }
        }

        if (commit.ResolvedPending.Count > 0 && keys.Find(c, commit.ProjectId) is { } pendingKey)
        {
            // One prepared delete per id: each is a primary-key probe, with no JSON array to build and parse.
            NativeStatement delete = c.Statement(DeletePendingSql);
            delete.Bind(1, pendingKey);
            delete.Bind(2, (long)commit.Type);
            foreach (string sourceId in commit.ResolvedPending)
            {
                delete.BindUtf8(3, sourceId);
                delete.Execute();
            }
        }

        TypeCheckpoint checkpoint = ReadCheckpointNative(c, commit.RunId, commit.Type) ?? new TypeCheckpoint { RunId = commit.RunId, Type = commit.Type };
        WriteCheckpointNative(c, checkpoint with
        {
            ResumeToken = commit.AdvanceToken ? commit.ResumeToken : checkpoint.ResumeToken,
            Completed = checkpoint.Completed || commit.CompletesType,
            Counters = checkpoint.Counters + commit.Counters,
            PointsCharged = checkpoint.PointsCharged + points,
            HighWaterMark = HighWaterMark.Max(checkpoint.HighWaterMark, commit.HighWaterMark),
        });

        foreach (RecordIssue issue in commit.Issues)
        {
            SqliteCommand insertIssue = c.Command("""
                INSERT INTO issues (run_id, entity_type, source_id, category, severity, message)
                VALUES ($run, $type, $source, $category, $severity, $message)
                """);
            insertIssue.Parameters.AddWithValue("$run", commit.RunId);
            insertIssue.Parameters.AddWithValue("$type", (int)issue.EntityType);
            insertIssue.Parameters.AddWithValue("$source", issue.SourceId);
            insertIssue.Parameters.AddWithValue("$category", (int)issue.Category);
            insertIssue.Parameters.AddWithValue("$severity", (int)issue.Severity);
            insertIssue.Parameters.AddWithValue("$message", issue.Message);
            insertIssue.ExecuteNonQuery();
        }

        // Added first, then removed: a link both added and removed by one batch ends removed, as in the reference store.
        foreach (DeferredLink link in commit.AddLinks)
        {
            ExecuteLink(c, "INSERT OR IGNORE INTO deferred_links (run_id, type, source_id, target_type, target_source_id, role, kind) VALUES ($run, $type, $source, $targetType, $targetSource, $role, $kind)", commit, link);
        }

        foreach (DeferredLink link in commit.RemoveLinks)
        {
            ExecuteLink(c, "DELETE FROM deferred_links WHERE run_id = $run AND type = $type AND source_id = $source AND target_type = $targetType AND target_source_id = $targetSource AND role = $role AND kind = $kind", commit, link);
        }

        return new CommitResult(inserted, points);
    }

    /// <summary>
    /// Binds a mapping's columns. The instants, points and run key are usually the previous row's (the engine stamps a
    /// batch with one time and one run), and bindings survive a statement's reset, so they are bound again only when they
    /// change.
    /// </summary>
    private static void BindMapping(NativeStatement statement, IdMapEntry entry, SharedColumns text, ref BoundValues bound)
    {
        statement.BindUtf8(3, entry.SourceId);
        statement.BindUtf8(4, entry.TargetId);
        statement.BindUtf8(5, entry.TargetUrl);
        statement.BindUtf8(6, entry.SourceUrl);
        statement.BindUtf8(7, entry.Checksum);
        statement.Bind(8, entry.IsChild);
        BindIfChanged(statement, 9, entry.FirstMigratedAt.UtcTicks, ref bound.FirstMigratedAt);
        BindIfChanged(statement, 10, entry.LastUpdatedAt.UtcTicks, ref bound.LastUpdatedAt);
        BindIfChanged(statement, 11, text.RunKey, ref bound.RunKey);
        if (!ReferenceEquals(bound.Points, text.Points))
        {
            statement.BindUtf8(12, text.Points);
            bound.Points = text.Points;
        }
    }

    private static void BindIfChanged(NativeStatement statement, int index, long value, ref long? bound)
    {
        if (bound != value)
        {
            statement.Bind(index, value);
            bound = value;
        }
    }

    /// <summary>The values last bound to a statement's shared columns during one commit.</summary>
    private struct BoundValues
    {
        public long? FirstMigratedAt;
        public long? LastUpdatedAt;
        public long? RunKey;
        public string? Points;
    }

    /// <summary>
    /// A mapping's points as text and its run's key. The rows of one batch share them, so the points are formatted and the
    /// key is found again only when they differ from the previous row's.
    /// </summary>
    private struct SharedColumns
    {
        private decimal _points;
        private string? _runId;
        private bool _set;

        public string Points { get; private set; }

        public long RunKey { get; private set; }

        public void Update(StoreConnection c, KeyTable runKeys, IdMapEntry entry)
        {
            // decimal equality ignores scale (1.0 == 1), but the text keeps it, so compare the text-relevant bits too.
            if (!_set || entry.Points != _points || entry.Points.Scale != _points.Scale)
            {
                _points = entry.Points;
                Points = SqliteValues.ToText(_points);
            }

            if (!string.Equals(entry.RunId, _runId, StringComparison.Ordinal))
            {
                RunKey = runKeys.Ensure(c, entry.RunId);
                _runId = entry.RunId;
            }

            _set = true;
        }
    }

    private static void ExecuteLink(StoreConnection c, string sql, BatchCommit commit, DeferredLink link)
    {
        SqliteCommand command = c.Command(sql);
        command.Parameters.AddWithValue("$run", commit.RunId);
        command.Parameters.AddWithValue("$type", (int)commit.Type);
        command.Parameters.AddWithValue("$source", link.SourceId);
        command.Parameters.AddWithValue("$targetType", (int)link.Reference.Target.Type);
        command.Parameters.AddWithValue("$targetSource", link.Reference.Target.SourceId);
        command.Parameters.AddWithValue("$role", (int)link.Reference.Role);
        command.Parameters.AddWithValue("$kind", (int)link.Reference.Kind);
        command.ExecuteNonQuery();
    }

    private static void EnsureLease(StoreConnection c, string runId, RunLease? lease)
    {
        if (lease is null)
        {
            return;
        }

        NativeStatement select = c.Statement(SelectLeaseSql);
        try
        {
            select.BindUtf8(1, runId);
            if (!select.Step() || select.GetInt64(1) != lease.Version || !string.Equals(select.GetString(0), lease.Owner, StringComparison.Ordinal))
            {
                throw new LeaseLostException(runId);
            }
        }
        finally
        {
            select.Reset();
        }
    }

    private static TypeCheckpoint? ReadCheckpointNative(StoreConnection c, string runId, EntityType type)
    {
        NativeStatement select = c.Statement(SelectCheckpointSql);
        try
        {
            select.BindUtf8(1, runId);
            select.Bind(2, (long)type);
            if (!select.Step())
            {
                return null;
            }

            return new TypeCheckpoint
            {
                RunId = runId,
                Type = type,
                ResumeToken = select.IsNull(0) ? null : select.GetString(0),
                Completed = select.GetInt64(1) != 0,
                Counters = new TypeCounters(select.GetInt64(2), select.GetInt64(3), select.GetInt64(4), select.GetInt64(5), select.GetInt64(6)),
                PointsCharged = SqliteValues.ParseDecimal(select.GetString(7)),
                HighWaterMark = select.IsNull(8) ? null : new HighWaterMark(SqliteValues.ParseInstant(select.GetString(8)), select.GetString(9)),
            };
        }
        finally
        {
            select.Reset();
        }
    }

    private static void WriteCheckpointNative(StoreConnection c, TypeCheckpoint checkpoint)
    {
        NativeStatement upsert = c.Statement(UpsertCheckpointSql);
        upsert.BindUtf8(1, checkpoint.RunId);
        upsert.Bind(2, (long)checkpoint.Type);
        upsert.BindUtf8(3, checkpoint.ResumeToken);
        upsert.Bind(4, checkpoint.Completed);
        upsert.Bind(5, checkpoint.Counters.Read);
        upsert.Bind(6, checkpoint.Counters.Created);
        upsert.Bind(7, checkpoint.Counters.Updated);
        upsert.Bind(8, checkpoint.Counters.Skipped);
        upsert.Bind(9, checkpoint.Counters.Failed);
        upsert.BindUtf8(10, SqliteValues.ToText(checkpoint.PointsCharged));
        upsert.BindUtf8(11, checkpoint.HighWaterMark is { } mark ? SqliteValues.ToText(mark.CreatedAt) : null);
        upsert.BindUtf8(12, checkpoint.HighWaterMark?.SourceId);
        upsert.Execute();
    }

    private static TypeCheckpoint ReadCheckpoint(SqliteDataReader reader, string runId, EntityType type, int offset) => new()
    {
        RunId = runId,
        Type = type,
        ResumeToken = reader.IsDBNull(offset) ? null : reader.GetString(offset),
        Completed = reader.GetInt64(offset + 1) != 0,
        Counters = new TypeCounters(reader.GetInt64(offset + 2), reader.GetInt64(offset + 3), reader.GetInt64(offset + 4), reader.GetInt64(offset + 5), reader.GetInt64(offset + 6)),
        PointsCharged = SqliteValues.ParseDecimal(reader.GetString(offset + 7)),
        HighWaterMark = reader.IsDBNull(offset + 8) ? null : new HighWaterMark(SqliteValues.ParseInstant(reader.GetString(offset + 8)), reader.GetString(offset + 9)),
    };

    // ------------------------------------------------------------------ readers

    private static ProjectRecord? ReadProject(StoreConnection c, string projectId)
    {
        SqliteCommand select = c.Command("SELECT source_provider_id, target_provider_id, settings_json, created_at FROM projects WHERE project_id = $project");
        select.Parameters.AddWithValue("$project", projectId);
        using SqliteDataReader reader = select.ExecuteReader();
        return reader.Read()
            ? new ProjectRecord(projectId, reader.GetString(0), reader.GetString(1))
            {
                Settings = SqliteValues.ParseSettings(reader.GetString(2)),
                CreatedAt = SqliteValues.ParseInstant(reader.GetString(3)),
            }
            : null;
    }

    private static RunRecord ReadRun(SqliteDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        ProjectId = reader.GetString(1),
        Mode = (MigrationMode)reader.GetInt32(2),
        State = (MigrationRunState)reader.GetInt32(3),
        OptionsJson = reader.IsDBNull(4) ? null : reader.GetString(4),
        CreatedAt = SqliteValues.ParseInstant(reader.GetString(5)),
        StartedAt = reader.IsDBNull(6) ? null : SqliteValues.ParseInstant(reader.GetString(6)),
        EndedAt = reader.IsDBNull(7) ? null : SqliteValues.ParseInstant(reader.GetString(7)),
        EstimatedPoints = reader.IsDBNull(8) ? null : SqliteValues.ParseDecimal(reader.GetString(8)),
        Message = reader.IsDBNull(9) ? null : reader.GetString(9),
    };

    private static void AddRunParameters(SqliteCommand command, RunRecord run)
    {
        command.Parameters.AddWithValue("$run", run.RunId);
        command.Parameters.AddWithValue("$project", run.ProjectId);
        command.Parameters.AddWithValue("$mode", (int)run.Mode);
        command.Parameters.AddWithValue("$state", (int)run.State);
        command.Parameters.AddWithValue("$options", SqliteValues.ToDb(run.OptionsJson));
        command.Parameters.AddWithValue("$created", SqliteValues.ToText(run.CreatedAt));
        command.Parameters.AddWithValue("$started", SqliteValues.ToDb(run.StartedAt));
        command.Parameters.AddWithValue("$ended", SqliteValues.ToDb(run.EndedAt));
        command.Parameters.AddWithValue("$points", SqliteValues.ToDb(run.EstimatedPoints));
        command.Parameters.AddWithValue("$message", SqliteValues.ToDb(run.Message));
    }

    private static IdMapEntry ReadMapping(SqliteDataReader reader, EntityType type) => new()
    {
        Type = type,
        SourceId = reader.GetString(0),
        TargetId = reader.GetString(1),
        TargetUrl = reader.IsDBNull(2) ? null : reader.GetString(2),
        SourceUrl = reader.IsDBNull(3) ? null : reader.GetString(3),
        Checksum = reader.IsDBNull(4) ? null : reader.GetString(4),
        IsChild = reader.GetInt64(5) != 0,
        FirstMigratedAt = SqliteValues.FromTicks(reader.GetInt64(6)),
        LastUpdatedAt = SqliteValues.FromTicks(reader.GetInt64(7)),
        RunId = reader.GetString(8),
        Points = SqliteValues.ParseDecimal(reader.GetString(9)),
    };

    private static RunLease? ReadLease(StoreConnection c, string runId)
    {
        SqliteCommand select = c.Command("SELECT owner, version, expires_at FROM leases WHERE run_id = $run");
        select.Parameters.AddWithValue("$run", runId);
        using SqliteDataReader reader = select.ExecuteReader();
        return reader.Read() ? new RunLease(runId, reader.GetString(0), reader.GetInt64(1), SqliteValues.ParseInstant(reader.GetString(2))) : null;
    }

    private static bool Exists(StoreConnection c, string sql, string id)
    {
        SqliteCommand select = c.Command(sql);
        select.Parameters.AddWithValue("$id", id);
        return select.ExecuteScalar() is not null;
    }

    // ------------------------------------------------------------------ plumbing

    private StoreConnection OpenConnection() => StoreConnection.Open(_settings);

    /// <summary>Runs <paramref name="work"/> in one write transaction on the writer connection, one writer at a time.</summary>
    private async ValueTask<TResult> WriteAsync<TState, TResult>(TState state, Func<StoreConnection, TState, TResult> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            StoreConnection c = _writer ??= OpenConnection();
            try
            {
                c.BeginWrite();
                TResult result = work(c, state);
                c.Commit();
                CheckpointWhenDue(c);
                return result;
            }
            catch (SqliteException ex)
            {
                throw StoreFailure(ex);
            }
            finally
            {
                c.EndTransaction();
                if (c.IsBroken)
                {
                    c.Dispose();
                    _writer = null;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled read connection.</summary>
    private TResult Read<TState, TResult>(TState state, Func<StoreConnection, TState, TResult> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        StoreConnection c = _readers.Rent();
        try
        {
            return work(c, state);
        }
        catch (SqliteException ex)
        {
            throw StoreFailure(ex);
        }
        finally
        {
            _readers.Return(c);
        }
    }

    /// <summary>Runs one step of a streamed read, wrapping a SQLite error as <see cref="Read{TState, TResult}"/> does.</summary>
    private TResult Guard<TState, TResult>(StoreConnection c, TState state, Func<StoreConnection, TState, TResult> work)
    {
        try
        {
            return work(c, state);
        }
        catch (SqliteException ex)
        {
            throw StoreFailure(ex);
        }
    }

    /// <summary>Wraps a SQLite error in the library's exception; a busy or locked database is transient.</summary>
    private MigrationException StoreFailure(SqliteException ex)
        => new($"The checkpoint database '{_dataSource}' failed: {ex.Message}", FailureCategory.Connection, isTransient: ex.SqliteErrorCode is SqliteBusy or SqliteLocked, ex);

    /// <summary>
    /// Starts a passive checkpoint on a connection of its own, off the writer's path, once the commits since the last one
    /// wrote <see cref="BackgroundCheckpointPages"/> pages to the log. Called by the writer, inside the write gate.
    /// </summary>
    /// <remarks>
    /// A checkpoint copies the log's pages into the database file and syncs the file (with <c>synchronous=NORMAL</c>, the
    /// only sync of a WAL database: https://www.sqlite.org/pragma.html#pragma_synchronous). Left to SQLite's automatic
    /// checkpoint, it runs inside the commit that crosses the threshold, so that commit, and the engine's committer behind
    /// it, waits for the copy and the sync. Here it runs on another thread while commits go on: a WAL database lets one
    /// checkpointer run beside the writer and the readers (https://www.sqlite.org/wal.html#checkpointing). The writer
    /// keeps SQLite's automatic checkpoint (at 40,000 pages, see <see cref="StoreConnection.Open"/>) as the fallback:
    /// it only runs when the background ones fall behind or have stopped, and it reports its errors on the commit path, so
    /// a background checkpoint that fails stops the background ones and leaves the work to it. The page count is
    /// <c>SQLITE_DBSTATUS_CACHE_WRITE</c>, the pages a connection wrote to the log
    /// (https://www.sqlite.org/c3ref/c_dbstatus_options.html).
    /// </remarks>
    private void CheckpointWhenDue(StoreConnection writer)
    {
        _pagesSinceCheckpoint += writer.TakePagesWritten();
        if (_pagesSinceCheckpoint < BackgroundCheckpointPages || !_backgroundCheckpoints || !_checkpoint.IsCompleted)
        {
            return;
        }

        _pagesSinceCheckpoint = 0;
        BackgroundCheckpointsStarted++;
        _checkpoint = Task.Run(() =>
        {
            try
            {
                StoreConnection checkpointer = _checkpointer ??= OpenConnection();
                RunBackgroundCheckpoint(checkpointer);
            }
            catch (SqliteException ex)
            {
                // The writer's automatic checkpoint takes over, and reports a persistent error where it can be handled.
                _backgroundCheckpoints = false;
                Log.BackgroundCheckpointFailed(_logger, _dataSource, ex.SqliteErrorCode, ex);
            }
        });
    }

    private void CloseConnections()
    {
        // The write gate is held, so no checkpoint starts; let the running one finish before its connection is closed.
        _checkpoint.GetAwaiter().GetResult();
        _checkpointer?.Dispose();
        _checkpointer = null;
        _writer?.Dispose();
        _writer = null;
        _readers.Dispose();
    }
}
