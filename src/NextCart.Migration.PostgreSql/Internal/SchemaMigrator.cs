using System.Globalization;
using System.Text;
using Npgsql;

namespace NextCart.Migration.PostgreSql.Internal;

/// <summary>
/// Creates the store's schema and upgrades it through ordered migrations, recorded in a <c>schema_version</c> table.
/// </summary>
/// <remarks>
/// Workers that start together serialize on a transaction-scoped advisory lock keyed by the schema name, so each migration
/// is applied exactly once, inside one transaction with its version row. A schema that is already current is checked with
/// two reads and no lock. A schema at a newer version than this code knows is refused and left unchanged.
/// </remarks>
internal static class SchemaMigrator
{
    /// <summary>The ordered migrations; a migration's version is its position plus one. Never edit a shipped one: append.</summary>
    private static readonly Migration[] Migrations =
    [
        new(1, "Projects, runs, checkpoints, the ID map, write intents, issues, deferred links and leases.", """
            CREATE TABLE {0}.projects (
                project_id         text COLLATE "C" PRIMARY KEY,
                source_provider_id text NOT NULL,
                target_provider_id text NOT NULL,
                settings           jsonb NOT NULL DEFAULT '{{}}',
                created_at         timestamptz NOT NULL
            );
            CREATE TABLE {0}.runs (
                run_id           text COLLATE "C" PRIMARY KEY,
                seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                project_id       text COLLATE "C" NOT NULL,
                mode             smallint NOT NULL,
                state            smallint NOT NULL,
                options_json     text,
                created_at       timestamptz NOT NULL,
                started_at       timestamptz,
                ended_at         timestamptz,
                estimated_points numeric,
                message          text
            );
            CREATE TABLE {0}.checkpoints (
                run_id         text COLLATE "C" NOT NULL,
                entity_type    smallint NOT NULL,
                resume_token   text,
                completed      boolean NOT NULL DEFAULT false,
                read_count     bigint NOT NULL DEFAULT 0,
                created_count  bigint NOT NULL DEFAULT 0,
                updated_count  bigint NOT NULL DEFAULT 0,
                skipped_count  bigint NOT NULL DEFAULT 0,
                failed_count   bigint NOT NULL DEFAULT 0,
                points_charged numeric NOT NULL DEFAULT 0,
                hwm_created_at timestamptz,
                hwm_source_id  text,
                PRIMARY KEY (run_id, entity_type)
            );
            CREATE TABLE {0}.id_map (
                project_id        text COLLATE "C" NOT NULL,
                entity_type       smallint NOT NULL,
                source_id         text COLLATE "C" NOT NULL,
                target_id         text NOT NULL,
                target_url        text,
                source_url        text,
                checksum          text,
                is_child          boolean NOT NULL,
                points            numeric NOT NULL,
                first_migrated_at timestamptz NOT NULL,
                last_updated_at   timestamptz NOT NULL,
                run_id            text NOT NULL,
                PRIMARY KEY (project_id, entity_type, source_id)
            );
            CREATE TABLE {0}.pending (
                project_id  text COLLATE "C" NOT NULL,
                entity_type smallint NOT NULL,
                source_id   text COLLATE "C" NOT NULL,
                natural_key text,
                run_id      text NOT NULL,
                seq         bigint GENERATED ALWAYS AS IDENTITY,
                PRIMARY KEY (project_id, entity_type, source_id)
            );
            CREATE TABLE {0}.issues (
                seq         bigserial PRIMARY KEY,
                run_id      text COLLATE "C" NOT NULL,
                entity_type smallint NOT NULL,
                source_id   text NOT NULL,
                category    smallint NOT NULL,
                message     text NOT NULL,
                severity    smallint NOT NULL
            );
            CREATE INDEX issues_by_run ON {0}.issues (run_id, seq);
            CREATE TABLE {0}.deferred_links (
                run_id           text COLLATE "C" NOT NULL,
                entity_type      smallint NOT NULL,
                link_type        smallint NOT NULL,
                source_id        text COLLATE "C" NOT NULL,
                target_type      smallint NOT NULL,
                target_source_id text COLLATE "C" NOT NULL,
                role             smallint NOT NULL,
                kind             smallint NOT NULL,
                PRIMARY KEY (run_id, entity_type, link_type, source_id, target_type, target_source_id, role, kind)
            );
            CREATE TABLE {0}.leases (
                run_id     text COLLATE "C" PRIMARY KEY,
                owner      text,
                version    bigint NOT NULL DEFAULT 0,
                expires_at timestamptz
            );
            CREATE SEQUENCE {0}.lease_versions AS bigint;

            -- The fence of a write: locks the run's lease row and aborts the transaction (SQLSTATE NC001) unless the
            -- caller's owner and version still hold it.
            CREATE FUNCTION {0}.check_lease(p_run_id text, p_owner text, p_version bigint) RETURNS boolean
            LANGUAGE plpgsql AS $fn$
            DECLARE
                current_owner text;
                current_version bigint;
            BEGIN
                SELECT owner, version INTO current_owner, current_version FROM {0}.leases WHERE run_id = p_run_id FOR UPDATE;
                IF NOT FOUND OR current_owner IS DISTINCT FROM p_owner OR current_version <> p_version THEN
                    RAISE EXCEPTION 'The lease on run % is no longer held by this worker.', p_run_id USING ERRCODE = 'NC001';
                END IF;
                RETURN true;
            END
            $fn$;

            -- SourceIdComparer's test: an id is an integer when it is ASCII digits only and fits in a signed 64-bit integer.
            CREATE FUNCTION {0}.is_int64_id(id text) RETURNS boolean
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
                SELECT id ~ '^[0-9]+$' AND (length(ltrim(id, '0')) < 19
                    OR (length(ltrim(id, '0')) = 19 AND ltrim(id, '0') COLLATE "C" <= '9223372036854775807'))
            $fn$;

            -- HighWaterMark.CompareTo: creation time, then SourceIdComparer (integer ids numerically, then ordinally, before
            -- every other id; other ids ordinally, compared here bytewise in UTF-8).
            CREATE FUNCTION {0}.hwm_compare(a_at timestamptz, a_id text, b_at timestamptz, b_id text) RETURNS integer
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
                SELECT CASE
                    WHEN a_at < b_at THEN -1
                    WHEN a_at > b_at THEN 1
                    WHEN {0}.is_int64_id(a_id) AND {0}.is_int64_id(b_id) AND a_id::numeric <> b_id::numeric THEN
                        CASE WHEN a_id::numeric < b_id::numeric THEN -1 ELSE 1 END
                    WHEN {0}.is_int64_id(a_id) AND NOT {0}.is_int64_id(b_id) THEN -1
                    WHEN {0}.is_int64_id(b_id) AND NOT {0}.is_int64_id(a_id) THEN 1
                    WHEN a_id COLLATE "C" < b_id COLLATE "C" THEN -1
                    WHEN a_id COLLATE "C" > b_id COLLATE "C" THEN 1
                    ELSE 0
                END
            $fn$;
            """),
        new(2, "Index the ID map by target id and runs by project.", """
            CREATE INDEX id_map_by_target ON {0}.id_map (project_id, entity_type, target_id);
            CREATE INDEX runs_by_project ON {0}.runs (project_id, seq);
            """),
        new(3, "Stop requests: pause or cancel a run executing in another process.", """
            CREATE TABLE {0}.stop_requests (
                run_id  text COLLATE "C" PRIMARY KEY REFERENCES {0}.runs (run_id),
                request smallint NOT NULL
            );
            """),
        new(4, "A smaller ID map and intent log: integer project and run keys, binary checksums, fixed-width columns first.", """
            -- Every ID-map and intent row repeated the project id and the run id as text, and the primary key and the
            -- target-id index repeated the project id; the checksum was 32 hex digits as text. Keys are now integers from
            -- project_keys and run_keys (made on first write, never reused; a project or run need not have a row in
            -- projects or runs, as before), the checksum is bytea (a tag byte, 1: lowercase hex decoded, 2: other text
            -- in UTF-8, so every string reads back unchanged), and the fixed-width columns come first so that no
            -- alignment padding sits between them. Rows are copied; the version-3 tables are dropped.
            CREATE TABLE {0}.project_keys (
                project_id  text COLLATE "C" PRIMARY KEY,
                project_key integer GENERATED ALWAYS AS IDENTITY UNIQUE
            );
            CREATE TABLE {0}.run_keys (
                run_id  text COLLATE "C" PRIMARY KEY,
                run_key integer GENERATED ALWAYS AS IDENTITY UNIQUE
            );
            INSERT INTO {0}.project_keys (project_id)
                SELECT project_id FROM {0}.id_map UNION SELECT project_id FROM {0}.pending ORDER BY 1;
            INSERT INTO {0}.run_keys (run_id)
                SELECT run_id COLLATE "C" FROM {0}.id_map UNION SELECT run_id COLLATE "C" FROM {0}.pending ORDER BY 1;

            CREATE TABLE {0}.id_map_v4 (
                first_migrated_at timestamptz NOT NULL,
                last_updated_at   timestamptz NOT NULL,
                project_key       integer NOT NULL,
                run_key           integer NOT NULL,
                entity_type       smallint NOT NULL,
                is_child          boolean NOT NULL,
                source_id         text COLLATE "C" NOT NULL,
                target_id         text NOT NULL,
                points            numeric NOT NULL,
                checksum          bytea,
                target_url        text,
                source_url        text,
                CONSTRAINT id_map_v4_pkey PRIMARY KEY (project_key, entity_type, source_id)
            );
            INSERT INTO {0}.id_map_v4 (first_migrated_at, last_updated_at, project_key, run_key, entity_type, is_child,
                source_id, target_id, points, checksum, target_url, source_url)
            SELECT m.first_migrated_at, m.last_updated_at, p.project_key, r.run_key, m.entity_type, m.is_child,
                m.source_id, m.target_id, m.points,
                CASE
                    WHEN m.checksum IS NULL THEN NULL
                    WHEN m.checksum COLLATE "C" ~ '^([0-9a-f][0-9a-f])*$' THEN decode('01', 'hex') || decode(m.checksum, 'hex')
                    ELSE decode('02', 'hex') || convert_to(m.checksum, 'UTF8')
                END,
                m.target_url, m.source_url
            FROM {0}.id_map m
            JOIN {0}.project_keys p ON p.project_id = m.project_id
            JOIN {0}.run_keys r ON r.run_id = m.run_id COLLATE "C"
            ORDER BY p.project_key, m.entity_type, m.source_id;
            DROP TABLE {0}.id_map;
            ALTER TABLE {0}.id_map_v4 RENAME TO id_map;
            ALTER INDEX {0}.id_map_v4_pkey RENAME TO id_map_pkey;
            CREATE INDEX id_map_by_target ON {0}.id_map (project_key, entity_type, target_id);

            CREATE TABLE {0}.pending_v4 (
                seq         bigint GENERATED ALWAYS AS IDENTITY,
                project_key integer NOT NULL,
                run_key     integer NOT NULL,
                entity_type smallint NOT NULL,
                source_id   text COLLATE "C" NOT NULL,
                natural_key text,
                CONSTRAINT pending_v4_pkey PRIMARY KEY (project_key, entity_type, source_id)
            );
            INSERT INTO {0}.pending_v4 (seq, project_key, run_key, entity_type, source_id, natural_key) OVERRIDING SYSTEM VALUE
            SELECT q.seq, p.project_key, r.run_key, q.entity_type, q.source_id, q.natural_key
            FROM {0}.pending q
            JOIN {0}.project_keys p ON p.project_id = q.project_id
            JOIN {0}.run_keys r ON r.run_id = q.run_id COLLATE "C"
            ORDER BY q.seq;
            -- The intent log is read in seq order: new intents must come after the copied ones.
            SELECT setval(pg_get_serial_sequence('{0}.pending_v4', 'seq'), coalesce(max(seq), 0) + 1, false) FROM {0}.pending_v4;
            DROP TABLE {0}.pending;
            ALTER TABLE {0}.pending_v4 RENAME TO pending;
            ALTER INDEX {0}.pending_v4_pkey RENAME TO pending_pkey;
            ANALYZE {0}.id_map, {0}.pending, {0}.project_keys, {0}.run_keys;
            """),
    ];

    /// <summary>Gets the schema version this code writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings a schema to <paramref name="targetVersion"/> (by default the latest).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="schema">The schema name, validated.</param>
    /// <param name="commandTimeout">The command timeout in seconds.</param>
    /// <param name="targetVersion">The version to reach; tests use an older one to prove upgrades.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The schema's version before the call.</returns>
    /// <exception cref="MigrationConfigurationException">The schema is at a newer version than this code knows.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, int commandTimeout, int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        int target = targetVersion ?? LatestVersion;
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1, nameof(targetVersion));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, LatestVersion, nameof(targetVersion));
        string quoted = Quote(schema);

        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Fast path: a current schema needs two reads, no lock and no DDL privilege.
            int? current = await ReadVersionAsync(connection, null, quoted, commandTimeout, cancellationToken).ConfigureAwait(false);
            if (current is { } known)
            {
                ThrowIfNewer(schema, known);
                if (known >= target)
                {
                    return known;
                }
            }

            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", commandTimeout, cancellationToken, LockKey(schema)).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"""
                    CREATE SCHEMA IF NOT EXISTS {quoted};
                    CREATE TABLE IF NOT EXISTS {quoted}.schema_version (
                        version     integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now()
                    );
                    """,
                    commandTimeout,
                    cancellationToken).ConfigureAwait(false);

                // Read again under the lock: another worker may have migrated while we waited.
                int before = await ReadVersionAsync(connection, transaction, quoted, commandTimeout, cancellationToken).ConfigureAwait(false) ?? 0;
                ThrowIfNewer(schema, before);
                foreach (Migration migration in Migrations.Where(m => m.Version > before && m.Version <= target))
                {
                    await ExecuteAsync(connection, transaction, string.Format(CultureInfo.InvariantCulture, migration.Sql, quoted), commandTimeout, cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(
                        connection,
                        transaction,
                        $"INSERT INTO {quoted}.schema_version (version, description) VALUES ($1, $2)",
                        commandTimeout,
                        cancellationToken,
                        migration.Version,
                        migration.Description).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return before;
            }
        }
    }

    /// <summary>Quotes a validated schema name as an identifier.</summary>
    /// <param name="schema">The schema name.</param>
    /// <returns>The quoted name.</returns>
    public static string Quote(string schema) => "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Gets the advisory lock key of a schema: a stable 64-bit FNV-1a hash of a fixed prefix and the name.</summary>
    /// <param name="schema">The schema name.</param>
    /// <returns>The key.</returns>
    internal static long LockKey(string schema)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes("NextCart.Migration.PostgreSql/schema/" + schema))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return unchecked((long)hash);
    }

    private static void ThrowIfNewer(string schema, int version)
    {
        if (version > LatestVersion)
        {
            throw new MigrationConfigurationException(
                FailureCategory.Configuration,
                $"The checkpoint store schema '{schema}' is at version {version}, but this version of NextCart.Migration.PostgreSql knows versions up to {LatestVersion}. A newer release has upgraded it: update NextCart.Migration.PostgreSql on every worker (the schema was not changed).");
        }
    }

    private static async Task<int?> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string quoted, int commandTimeout, CancellationToken cancellationToken)
    {
        NpgsqlCommand exists = new("SELECT to_regclass($1) IS NOT NULL", connection, transaction) { CommandTimeout = commandTimeout };
        await using (exists.ConfigureAwait(false))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = quoted + ".schema_version" });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return null;
            }
        }

        NpgsqlCommand max = new($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection, transaction) { CommandTimeout = commandTimeout };
        await using (max.ConfigureAwait(false))
        {
            return Convert.ToInt32(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, int commandTimeout, CancellationToken cancellationToken, params object[] parameters)
    {
        NpgsqlCommand command = new(sql, connection, transaction) { CommandTimeout = commandTimeout };
        await using (command.ConfigureAwait(false))
        {
            foreach (object parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Migration(int Version, string Description, string Sql);
}
