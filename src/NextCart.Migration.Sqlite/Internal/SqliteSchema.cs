using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>One step of the schema: applied once, in order, and recorded in <c>schema_version</c>.</summary>
/// <param name="Version">The schema version the step brings the database to.</param>
/// <param name="Description">What the step changes.</param>
/// <param name="Sql">The DDL (and data changes) of the step.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// The versioned schema of the checkpoint database. On open the store reads the version, refuses a database newer than
/// this code without touching it, and applies the missing migrations in order inside one write transaction.
/// </summary>
/// <remarks>Never edit a shipped migration: add a new one at the end, so every database converges on the same schema.</remarks>
internal static class SqliteSchema
{
    /// <summary>
    /// Version 1: every table. Instants are ISO-8601 UTC text, decimals invariant text, enums their numeric values; the ID
    /// map and the intent log are keyed by an integer project key (<c>project_keys</c>). Frozen: later versions change it
    /// only through their own migrations (version 4 narrows the ID map).
    /// </summary>
    public const string V1 = """
        CREATE TABLE schema_version (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_at  TEXT    NOT NULL
        ) STRICT;

        CREATE TABLE projects (
            project_id         TEXT NOT NULL PRIMARY KEY,
            source_provider_id TEXT NOT NULL,
            target_provider_id TEXT NOT NULL,
            settings_json      TEXT NOT NULL,
            created_at         TEXT NOT NULL
        ) STRICT;

        CREATE TABLE runs (
            seq              INTEGER PRIMARY KEY,
            run_id           TEXT    NOT NULL UNIQUE,
            project_id       TEXT    NOT NULL REFERENCES projects (project_id),
            mode             INTEGER NOT NULL,
            state            INTEGER NOT NULL,
            options_json     TEXT,
            created_at       TEXT    NOT NULL,
            started_at       TEXT,
            ended_at         TEXT,
            estimated_points TEXT,
            message          TEXT
        ) STRICT;

        CREATE INDEX ix_runs_project ON runs (project_id, seq);

        CREATE TABLE checkpoints (
            run_id         TEXT    NOT NULL,
            type           INTEGER NOT NULL,
            resume_token   TEXT,
            completed      INTEGER NOT NULL,
            read_count     INTEGER NOT NULL,
            created_count  INTEGER NOT NULL,
            updated_count  INTEGER NOT NULL,
            skipped_count  INTEGER NOT NULL,
            failed_count   INTEGER NOT NULL,
            points_charged TEXT    NOT NULL,
            hwm_created_at TEXT,
            hwm_source_id  TEXT,
            PRIMARY KEY (run_id, type)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE project_keys (
            project_key INTEGER PRIMARY KEY,
            project_id  TEXT    NOT NULL UNIQUE
        ) STRICT;

        CREATE TABLE id_map (
            project_key       INTEGER NOT NULL,
            type              INTEGER NOT NULL,
            source_id         TEXT    NOT NULL,
            target_id         TEXT    NOT NULL,
            target_url        TEXT,
            source_url        TEXT,
            checksum          TEXT,
            is_child          INTEGER NOT NULL,
            first_migrated_at TEXT    NOT NULL,
            last_updated_at   TEXT    NOT NULL,
            run_id            TEXT    NOT NULL,
            points            TEXT    NOT NULL,
            PRIMARY KEY (project_key, type, source_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE pending (
            project_key INTEGER NOT NULL,
            type        INTEGER NOT NULL,
            source_id   TEXT    NOT NULL,
            natural_key TEXT,
            run_id      TEXT    NOT NULL,
            PRIMARY KEY (project_key, type, source_id)
        ) STRICT;

        CREATE TABLE issues (
            seq         INTEGER PRIMARY KEY,
            run_id      TEXT    NOT NULL,
            entity_type INTEGER NOT NULL,
            source_id   TEXT    NOT NULL,
            category    INTEGER NOT NULL,
            severity    INTEGER NOT NULL,
            message     TEXT    NOT NULL
        ) STRICT;

        CREATE INDEX ix_issues_run ON issues (run_id, seq);

        CREATE TABLE deferred_links (
            run_id           TEXT    NOT NULL,
            type             INTEGER NOT NULL,
            source_id        TEXT    NOT NULL,
            target_type      INTEGER NOT NULL,
            target_source_id TEXT    NOT NULL,
            role             INTEGER NOT NULL,
            kind             INTEGER NOT NULL,
            PRIMARY KEY (run_id, type, source_id, target_type, target_source_id, role, kind)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE leases (
            run_id     TEXT    NOT NULL PRIMARY KEY,
            owner      TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            expires_at TEXT    NOT NULL
        ) STRICT;

        CREATE TABLE sequences (
            name  TEXT    NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) STRICT;

        INSERT INTO sequences (name, value) VALUES ('lease_version', 0);
        """;

    /// <summary>Version 2: an index of the ID map by target id, for reconciliation's owner checks (a scan of the type before).</summary>
    public const string V2 = """
        CREATE INDEX ix_id_map_target ON id_map (project_key, type, target_id);
        """;

    /// <summary>
    /// Version 3: stop requests, one row per run that another process asked to pause (1) or cancel (2); the executing
    /// process reads it on its heartbeat. A run without a row has no request.
    /// </summary>
    public const string V3 = """
        CREATE TABLE stop_requests (
            run_id       TEXT    NOT NULL PRIMARY KEY,
            request      INTEGER NOT NULL
        ) STRICT;
        """;

    /// <summary>
    /// Version 4: a narrower ID map. Its two instants become integers (UTC ticks, exact, 8 bytes instead of 28 characters) and
    /// its run id an integer key from the new <c>run_keys</c> table (as project ids already were). The map is a
    /// <c>WITHOUT ROWID</c> table, whose interior B-tree pages hold whole rows, so every byte taken off a row also deepens
    /// fewer levels and fits more keys in each page a lookup reads.
    /// </summary>
    /// <remarks>
    /// Instants written by version 3 have the fixed layout <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (see
    /// <c>SqliteValues.ToText</c>); they are converted exactly, as whole seconds since the Unix epoch (SQLite's
    /// <c>unixepoch</c>) plus the seven fractional digits, plus the ticks of the Unix epoch. Any other text (none is written)
    /// falls back to SQLite's <c>julianday</c>, exact to about 10 µs.
    /// </remarks>
    public static readonly string V4 = $$"""
        CREATE TABLE run_keys (
            run_key INTEGER PRIMARY KEY,
            run_id  TEXT    NOT NULL UNIQUE
        ) STRICT;

        INSERT INTO run_keys (run_id) SELECT DISTINCT run_id FROM id_map ORDER BY run_id;

        CREATE TABLE id_map_v4 (
            project_key       INTEGER NOT NULL,
            type              INTEGER NOT NULL,
            source_id         TEXT    NOT NULL,
            target_id         TEXT    NOT NULL,
            target_url        TEXT,
            source_url        TEXT,
            checksum          TEXT,
            is_child          INTEGER NOT NULL,
            first_migrated_at INTEGER NOT NULL,
            last_updated_at   INTEGER NOT NULL,
            run_key           INTEGER NOT NULL,
            points            TEXT    NOT NULL,
            PRIMARY KEY (project_key, type, source_id)
        ) STRICT, WITHOUT ROWID;

        INSERT INTO id_map_v4
        SELECT m.project_key, m.type, m.source_id, m.target_id, m.target_url, m.source_url, m.checksum, m.is_child,
            {{TicksOf("m.first_migrated_at")}},
            {{TicksOf("m.last_updated_at")}},
            r.run_key, m.points
        FROM id_map m JOIN run_keys r ON r.run_id = m.run_id;

        DROP INDEX ix_id_map_target;
        DROP TABLE id_map;
        ALTER TABLE id_map_v4 RENAME TO id_map;
        CREATE INDEX ix_id_map_target ON id_map (project_key, type, target_id);
        """;

    /// <summary>The SQL that converts a version-3 instant column to UTC ticks (see <see cref="V4"/>).</summary>
    private static string TicksOf(string column) => $"""
        CASE WHEN length({column}) = 28 AND substr({column}, 20, 1) = '.' AND substr({column}, 28, 1) = 'Z'
                THEN unixepoch(substr({column}, 1, 19)) * 10000000 + CAST(substr({column}, 21, 7) AS INTEGER) + 621355968000000000
                ELSE CAST(round((julianday({column}) - 1721425.5) * 864000000000) AS INTEGER) END
        """;

    /// <summary>Gets every migration, in order.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, "Projects, runs, checkpoints, ID map, write intents, issues, deferred links and leases", V1),
        new(2, "Index the ID map by target id", V2),
        new(3, "Stop requests: pause or cancel a run executing in another process", V3),
        new(4, "A narrower ID map: instants as UTC ticks, run ids as integer keys", V4),
    ];

    /// <summary>Gets the newest schema version this code knows.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>
    /// Brings the database to <see cref="LatestVersion"/>: refuses a newer or foreign database without changing it, switches
    /// it to WAL, and applies the missing migrations in one write transaction.
    /// </summary>
    /// <returns>The version the database had when it was opened (0 for a new file).</returns>
    /// <exception cref="MigrationException">The database is newer than this code, or is not a checkpoint database.</exception>
    public static int Initialize(StoreConnection connection, string dataSource, DateTimeOffset now)
    {
        int found = ReadVersion(connection, dataSource);
        EnsureNotNewer(found, dataSource);
        EnableWal(connection, dataSource);
        if (found == LatestVersion)
        {
            return found;
        }

        connection.BeginWrite();
        try
        {
            // Another process may have upgraded the file while this one waited for the write lock.
            int current = ReadVersion(connection, dataSource);
            EnsureNotNewer(current, dataSource);
            foreach (SchemaMigration migration in Migrations.Where(m => m.Version > current))
            {
                connection.Execute(migration.Sql);
                SqliteCommand record = connection.Command("INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $appliedAt)");
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$description", migration.Description);
                record.Parameters.AddWithValue("$appliedAt", SqliteValues.ToText(now));
                record.ExecuteNonQuery();
            }

            connection.Commit();
        }
        finally
        {
            connection.EndTransaction();
        }

        return found;
    }

    /// <summary>Reads the schema version: 0 for an empty database.</summary>
    public static int ReadVersion(StoreConnection connection, string dataSource)
    {
        // One statement, so one snapshot: another process may be creating the schema (in one transaction) right now, and two
        // separate reads could see "no schema_version" before its commit and "14 tables" after it.
        long objects = Convert.ToInt64(connection.Scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version') THEN -1 ELSE (SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!') END"),
            CultureInfo.InvariantCulture);
        if (objects >= 0)
        {
            if (objects > 0)
            {
                throw new MigrationException(
                    $"The database '{dataSource}' is not a NextCart.Migration checkpoint database: it holds {objects} tables or indexes but no schema_version table. Use a new file for the checkpoint store.",
                    FailureCategory.Configuration,
                    isTransient: false);
            }

            return 0;
        }

        object? version = connection.Scalar("SELECT max(version) FROM schema_version");
        return version is null or DBNull ? 0 : Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    private static void EnsureNotNewer(int version, string dataSource)
    {
        if (version > LatestVersion)
        {
            throw new MigrationException(
                $"The checkpoint database '{dataSource}' has schema version {version}, but this version of NextCart.Migration.Sqlite supports schema versions up to {LatestVersion}. The file was written by a newer NextCart.Migration.Sqlite; upgrade the package to open it. The file was not modified.",
                FailureCategory.Configuration,
                isTransient: false);
        }
    }

    private static void EnableWal(StoreConnection connection, string dataSource)
    {
        string? mode = connection.Scalar("PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new MigrationException(
                $"The checkpoint database '{dataSource}' could not be switched to write-ahead logging (journal mode is '{mode}'). Put the file on a local file system that supports shared memory.",
                FailureCategory.Configuration,
                isTransient: false);
        }
    }
}
