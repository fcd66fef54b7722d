using System.Globalization;

namespace NextCart.Migration.PostgreSql.Internal;

/// <summary>The SQL of the store, with the schema name filled in once. Parameters are positional (<c>$n</c>).</summary>
internal sealed class StoreSql
{
    public StoreSql(string schema)
    {
        string s = SchemaMigrator.Quote(schema);
        string F(string sql) => string.Format(CultureInfo.InvariantCulture, sql, s);

        InsertProject = F("""
            INSERT INTO {0}.projects (project_id, source_provider_id, target_provider_id, settings, created_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id) DO NOTHING
            """);
        LockProject = F("SELECT source_provider_id, target_provider_id, created_at FROM {0}.projects WHERE project_id = $1 FOR UPDATE");
        UpdateProjectSettings = F("UPDATE {0}.projects SET settings = $2 WHERE project_id = $1");
        GetProject = F("SELECT project_id, source_provider_id, target_provider_id, settings, created_at FROM {0}.projects WHERE project_id = $1");

        const string RunColumns = "run_id, project_id, mode, state, options_json, created_at, started_at, ended_at, estimated_points, message";
        InsertRun = F($$"""
            INSERT INTO {0}.runs ({{RunColumns}})
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM {0}.projects WHERE project_id = $2)
            ON CONFLICT (run_id) DO NOTHING
            """);
        ProjectExists = F("SELECT EXISTS (SELECT 1 FROM {0}.projects WHERE project_id = $1)");
        GetRun = F($"SELECT {RunColumns} FROM {{0}}.runs WHERE run_id = $1");
        ListRuns = F($"SELECT {RunColumns} FROM {{0}}.runs WHERE project_id = $1 ORDER BY seq");
        ListAllRuns = F($"SELECT {RunColumns} FROM {{0}}.runs ORDER BY seq");
        LockRun = F("SELECT 1 FROM {0}.runs WHERE run_id = $1 FOR UPDATE");
        UpdateRun = F("""
            UPDATE {0}.runs SET project_id = $2, mode = $3, state = $4, options_json = $5, created_at = $6, started_at = $7,
                ended_at = $8, estimated_points = $9, message = $10
            WHERE run_id = $1
            """);
        UpdateRunFenced = UpdateRun + F(" AND EXISTS (SELECT 1 FROM {0}.leases WHERE run_id = $1 AND owner = $11 AND version = $12)");

        GetCheckpoints = F("""
            SELECT entity_type, resume_token, completed, read_count, created_count, updated_count, skipped_count, failed_count,
                points_charged, hwm_created_at, hwm_source_id
            FROM {0}.checkpoints WHERE run_id = $1 ORDER BY entity_type
            """);

        // Reads name the project by its key (project_keys, schema version 4); a project without a key has no rows. The run
        // is returned as its key, which the store turns back into the run id (run_keys).
        const string MapColumns = "source_id, target_id, target_url, source_url, checksum, is_child, points, first_migrated_at, last_updated_at, run_key";
        Lookup = F($"SELECT {MapColumns} FROM {{0}}.id_map WHERE project_key = $1 AND entity_type = $2 AND source_id = ANY($3)");
        FindByTargetId = F($$"""
            SELECT {{MapColumns}} FROM {0}.id_map WHERE project_key = $1 AND entity_type = $2 AND target_id = $3
            ORDER BY last_updated_at DESC, source_id LIMIT 1
            """);
        CountMapped = F("SELECT count(*) FROM {0}.id_map WHERE project_key = $1 AND entity_type = $2 AND NOT is_child");
        ReadIdMapFirst = F($$"""
            SELECT {{MapColumns}} FROM {0}.id_map WHERE project_key = $1 AND entity_type = $2 AND NOT is_child
            ORDER BY source_id LIMIT $3
            """);
        ReadIdMapNext = F($$"""
            SELECT {{MapColumns}} FROM {0}.id_map WHERE project_key = $1 AND entity_type = $2 AND NOT is_child AND source_id > $4
            ORDER BY source_id LIMIT $3
            """);

        // A key is made on first write and never changes or goes away. When another worker inserts the same id at the same
        // time, ON CONFLICT waits for it and does nothing, and the select's snapshot (taken before) does not see its row:
        // the statement returns no row and the store asks again.
        GetProjectKey = F("SELECT project_key FROM {0}.project_keys WHERE project_id = $1");
        EnsureProjectKey = F("""
            WITH inserted AS (
                INSERT INTO {0}.project_keys (project_id) VALUES ($1) ON CONFLICT (project_id) DO NOTHING RETURNING project_key
            )
            SELECT project_key FROM inserted UNION ALL SELECT project_key FROM {0}.project_keys WHERE project_id = $1
            """);
        EnsureRunKey = F("""
            WITH inserted AS (
                INSERT INTO {0}.run_keys (run_id) VALUES ($1) ON CONFLICT (run_id) DO NOTHING RETURNING run_key
            )
            SELECT run_key FROM inserted UNION ALL SELECT run_key FROM {0}.run_keys WHERE run_id = $1
            """);
        GetRunIds = F("SELECT run_key, run_id FROM {0}.run_keys WHERE run_key = ANY($1)");

        LockLease = F("SELECT owner, version FROM {0}.leases WHERE run_id = $1 FOR UPDATE");
        AddPending = F("""
            INSERT INTO {0}.pending AS p (project_key, entity_type, source_id, natural_key, run_key)
            SELECT $1, $2, u.source_id, u.natural_key, $3 FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(source_id, natural_key, ord)
            ORDER BY u.ord
            ON CONFLICT (project_key, entity_type, source_id) DO UPDATE SET natural_key = EXCLUDED.natural_key, run_key = EXCLUDED.run_key
            """);
        GetPending = F("SELECT source_id, natural_key FROM {0}.pending WHERE project_key = $1 AND entity_type = $2 ORDER BY seq");

        // A commit is one batch, so one round trip and one implicit transaction: the fence (check_lease raises NC001 and
        // aborts everything when the lease was lost; with asynchronous commits the same statement sets synchronous_commit
        // for the transaction), then one statement for the resolved intents' delete, the ID-map upsert (xmax = 0 marks the
        // rows this statement inserted), the points of the new entity rows and the checkpoint upsert, then issues and
        // links. Every statement of a batch costs its own bind, execute, portal and snapshot on the server, so the commit's
        // fixed work is in as few as possible; a data-modifying CTE always runs to completion, read or not
        // (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING). ID-map rows are locked in ordinal order of source id, so concurrent commits lock shared rows alike.
        // The high-water mark's test runs once per commit (OFFSET 0 keeps the planner from pulling the sub-select up and
        // copying the test into both columns), written out in the statement rather than as a call of hwm_compare: PostgreSQL
        // does not inline that function (it is STRICT and its CASE is not provably strict), so every commit planned and ran
        // its body and is_int64_id's through the SQL-function executor (0.06–0.18 ms of server time per commit).
        CheckLease = F("SELECT {0}.check_lease($1, $2, $3)");
        CheckLeaseAsynchronously = F("SELECT {0}.check_lease($1, $2, $3), set_config('synchronous_commit', 'off', true)");
        CommitMappingsAndCheckpoint = F("""
            WITH input AS (
                SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::boolean[], $9::numeric[],
                    $10::timestamptz[], $11::timestamptz[], $12::integer[], $13::boolean[], $25::numeric[])
                    WITH ORDINALITY AS u(source_id, target_id, target_url, source_url, checksum, is_child, points,
                        first_migrated_at, last_updated_at, run_key, chargeable, charge, ord)
            ),
            resolved AS (
                DELETE FROM {0}.pending WHERE project_key = $1 AND entity_type = $2 AND source_id = ANY($26::text[])
            ),
            upserted AS (
                INSERT INTO {0}.id_map AS m (first_migrated_at, last_updated_at, project_key, run_key, entity_type, is_child,
                    source_id, target_id, points, checksum, target_url, source_url)
                SELECT first_migrated_at, last_updated_at, $1, run_key, $2, is_child, source_id, target_id, points, checksum,
                    target_url, source_url
                FROM input ORDER BY ord
                ON CONFLICT (project_key, entity_type, source_id) DO UPDATE SET
                    target_id = EXCLUDED.target_id, target_url = EXCLUDED.target_url, source_url = EXCLUDED.source_url,
                    checksum = EXCLUDED.checksum, is_child = EXCLUDED.is_child, points = EXCLUDED.points,
                    last_updated_at = EXCLUDED.last_updated_at, run_key = EXCLUDED.run_key
                RETURNING m.source_id, (m.xmax = 0) AS inserted
            ),
            charged AS (
                SELECT count(*)::integer AS inserted_rows, coalesce(sum(i.charge), 0) AS charged_points
                FROM upserted u JOIN input i ON i.source_id = u.source_id
                WHERE u.inserted AND i.chargeable
            ),
            checkpoint AS (
                INSERT INTO {0}.checkpoints AS c (run_id, entity_type, resume_token, completed, read_count, created_count,
                    updated_count, skipped_count, failed_count, points_charged, hwm_created_at, hwm_source_id)
                SELECT $14, $2, $16, $17, $18, $19, $20, $21, $22, charged.charged_points, $23, $24 FROM charged
                ON CONFLICT (run_id, entity_type) DO UPDATE SET
                    resume_token = CASE WHEN $15 THEN EXCLUDED.resume_token ELSE c.resume_token END,
                    completed = c.completed OR EXCLUDED.completed,
                    read_count = c.read_count + EXCLUDED.read_count,
                    created_count = c.created_count + EXCLUDED.created_count,
                    updated_count = c.updated_count + EXCLUDED.updated_count,
                    skipped_count = c.skipped_count + EXCLUDED.skipped_count,
                    failed_count = c.failed_count + EXCLUDED.failed_count,
                    points_charged = c.points_charged + EXCLUDED.points_charged,
                    (hwm_created_at, hwm_source_id) = (
                        SELECT CASE WHEN a.advance THEN EXCLUDED.hwm_created_at ELSE c.hwm_created_at END,
                            CASE WHEN a.advance THEN EXCLUDED.hwm_source_id ELSE c.hwm_source_id END
                        FROM (SELECT {1} AS advance OFFSET 0) AS a)
                RETURNING 1
            )
            SELECT inserted_rows, charged_points, (SELECT count(*) FROM checkpoint) FROM charged
            """.Replace(
                "{1}",
                "EXCLUDED.hwm_created_at IS NOT NULL AND (c.hwm_created_at IS NULL OR "
                    + HighWaterMarkPrecedes("c.hwm_created_at", "c.hwm_source_id", "EXCLUDED.hwm_created_at", "EXCLUDED.hwm_source_id") + ")",
                StringComparison.Ordinal));
        InsertIssues = F("""
            INSERT INTO {0}.issues (run_id, entity_type, source_id, category, message, severity)
            SELECT $1, u.entity_type, u.source_id, u.category, u.message, u.severity
            FROM unnest($2::smallint[], $3::text[], $4::smallint[], $5::text[], $6::smallint[])
                WITH ORDINALITY AS u(entity_type, source_id, category, message, severity, ord)
            ORDER BY u.ord
            """);
        const string LinkArrays = """
            unnest($3::smallint[], $4::text[], $5::smallint[], $6::text[], $7::smallint[], $8::smallint[])
                AS u(link_type, source_id, target_type, target_source_id, role, kind)
            """;
        AddLinks = F($$"""
            INSERT INTO {0}.deferred_links (run_id, entity_type, link_type, source_id, target_type, target_source_id, role, kind)
            SELECT $1, $2, u.link_type, u.source_id, u.target_type, u.target_source_id, u.role, u.kind FROM {{LinkArrays}}
            ON CONFLICT DO NOTHING
            """);
        RemoveLinks = F($$"""
            DELETE FROM {0}.deferred_links d USING {{LinkArrays}}
            WHERE d.run_id = $1 AND d.entity_type = $2 AND d.link_type = u.link_type AND d.source_id = u.source_id
                AND d.target_type = u.target_type AND d.target_source_id = u.target_source_id AND d.role = u.role AND d.kind = u.kind
            """);
        GetIssues = F("SELECT entity_type, source_id, category, message, severity FROM {0}.issues WHERE run_id = $1 ORDER BY seq");
        GetFailures = F("SELECT entity_type, source_id, category, message, severity FROM {0}.issues WHERE run_id = $1 AND severity = 0 ORDER BY seq");
        GetWarningExamples = F("""
            SELECT entity_type, source_id, category, message, severity FROM (
                SELECT entity_type, source_id, category, message, 1::smallint AS severity, first_seq,
                       row_number() OVER (PARTITION BY entity_type, category ORDER BY first_seq) AS n
                FROM (SELECT entity_type, source_id, category, message, min(seq) AS first_seq FROM {0}.issues
                      WHERE run_id = $1 AND severity = 1
                      GROUP BY entity_type, source_id, category, message) d) w
            WHERE n <= $2 ORDER BY first_seq
            """);
        CountWarnings = F("""
            SELECT entity_type, category, count(*) FROM (
                SELECT DISTINCT entity_type, source_id, category, message FROM {0}.issues WHERE run_id = $1 AND severity = 1) d
            GROUP BY entity_type, category ORDER BY entity_type, category
            """);
        GetLinks = F("""
            SELECT link_type, source_id, target_type, target_source_id, role, kind FROM {0}.deferred_links
            WHERE run_id = $1 AND entity_type = $2
            ORDER BY source_id, target_source_id, role, target_type, kind, link_type
            """);

        EnsureLease = F("INSERT INTO {0}.leases (run_id) VALUES ($1) ON CONFLICT (run_id) DO NOTHING");
        ClaimLease = F("""
            WITH claimed AS (
                SELECT run_id FROM {0}.leases
                WHERE run_id = $1 AND (owner IS NULL OR owner = $2 OR expires_at <= $3)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {0}.leases l SET owner = $2, version = nextval('{0}.lease_versions'), expires_at = $4
            FROM claimed WHERE l.run_id = claimed.run_id
            RETURNING l.version
            """);
        RenewLease = F("UPDATE {0}.leases SET expires_at = $4 WHERE run_id = $1 AND owner = $2 AND version = $3");
        Analyze = F("ANALYZE {0}.id_map, {0}.pending");
        ReleaseLease = F("UPDATE {0}.leases SET owner = NULL, expires_at = NULL WHERE run_id = $1 AND owner = $2 AND version = $3");

        // A cancel (2) is never downgraded to a pause (1); the insert happens only for a run that exists.
        RequestStop = F("""
            INSERT INTO {0}.stop_requests (run_id, request)
            SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM {0}.runs WHERE run_id = $1)
            ON CONFLICT (run_id) DO UPDATE SET request = GREATEST({0}.stop_requests.request, excluded.request)
            """);
        ClearStop = F("""
            WITH cleared AS (DELETE FROM {0}.stop_requests WHERE run_id = $1)
            SELECT EXISTS (SELECT 1 FROM {0}.runs WHERE run_id = $1)
            """);
        GetStop = F("SELECT request FROM {0}.stop_requests WHERE run_id = $1");
    }

    public string InsertProject { get; }

    /// <summary>
    /// Gets a boolean SQL expression that is true when the high-water mark (<paramref name="aAt"/>, <paramref name="aId"/>)
    /// sorts before (<paramref name="bAt"/>, <paramref name="bId"/>), as <c>HighWaterMark.CompareTo</c> orders them and
    /// the schema's <c>hwm_compare</c> function does: creation time, then integer ids numerically (then ordinally), before
    /// every other id, other ids ordinally (bytewise in UTF-8). The operands must not be null.
    /// </summary>
    /// <param name="aAt">The first mark's creation time.</param>
    /// <param name="aId">The first mark's source id.</param>
    /// <param name="bAt">The second mark's creation time.</param>
    /// <param name="bId">The second mark's source id.</param>
    /// <returns>The expression, in parentheses.</returns>
    public static string HighWaterMarkPrecedes(string aAt, string aId, string bAt, string bId)
    {
        string aInt = IsInt64Id(aId);
        string bInt = IsInt64Id(bId);
        return $"""
            ({aAt} < {bAt} OR ({aAt} = {bAt} AND CASE
                WHEN {aInt} AND {bInt} THEN CASE
                    WHEN {aId}::numeric <> {bId}::numeric THEN {aId}::numeric < {bId}::numeric
                    ELSE {aId} COLLATE "C" < {bId} COLLATE "C"
                END
                WHEN {aInt} <> {bInt} THEN {aInt}
                ELSE {aId} COLLATE "C" < {bId} COLLATE "C"
            END))
            """;
    }

    public string LockProject { get; }

    public string UpdateProjectSettings { get; }

    public string GetProject { get; }

    public string InsertRun { get; }

    public string ProjectExists { get; }

    public string GetRun { get; }

    public string ListRuns { get; }

    public string ListAllRuns { get; }

    public string LockRun { get; }

    public string UpdateRun { get; }

    public string UpdateRunFenced { get; }

    public string GetCheckpoints { get; }

    public string Lookup { get; }

    public string FindByTargetId { get; }

    public string CountMapped { get; }

    public string ReadIdMapFirst { get; }

    public string ReadIdMapNext { get; }

    public string GetProjectKey { get; }

    public string EnsureProjectKey { get; }

    public string EnsureRunKey { get; }

    public string GetRunIds { get; }

    public string LockLease { get; }

    public string AddPending { get; }

    public string GetPending { get; }

    public string CheckLease { get; }

    public string CheckLeaseAsynchronously { get; }

    public string CommitMappingsAndCheckpoint { get; }

    public string InsertIssues { get; }

    public string AddLinks { get; }

    public string RemoveLinks { get; }

    public string GetIssues { get; }

    /// <summary>A run's failures (severity 0, <c>IssueSeverity.Failure</c>), in the order recorded.</summary>
    public string GetFailures { get; }

    /// <summary>The first $2 distinct warnings (severity 1) of each entity type and category, in the order recorded.</summary>
    public string GetWarningExamples { get; }

    /// <summary>The distinct warnings of each entity type and category.</summary>
    public string CountWarnings { get; }

    public string GetLinks { get; }

    public string EnsureLease { get; }

    public string ClaimLease { get; }

    public string RenewLease { get; }

    public string ReleaseLease { get; }

    public string RequestStop { get; }

    public string ClearStop { get; }

    public string GetStop { get; }

    public string Analyze { get; }

    /// <summary>The schema's <c>is_int64_id</c> test written out: ASCII digits only, fitting in a signed 64-bit integer.</summary>
    private static string IsInt64Id(string id)
        => $"""({id} ~ '^[0-9]+$' AND (length(ltrim({id}, '0')) < 19 OR (length(ltrim({id}, '0')) = 19 AND ltrim({id}, '0') COLLATE "C" <= '9223372036854775807')))""";
}
