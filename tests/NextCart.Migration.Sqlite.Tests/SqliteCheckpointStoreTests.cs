using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sqlite.Internal;

namespace NextCart.Migration.Sqlite.Tests;

/// <summary>What the SQLite store guarantees beyond the conformance kit: the file, its schema, several instances and processes.</summary>
public sealed class SqliteCheckpointStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Create_NewFile_CreatesTheLatestSchemaInWalMode()
    {
        await using (Open())
        {
            Assert.Equal("wal", _database.Scalar("PRAGMA journal_mode"));
        }

        Assert.Equal((long)SqliteCheckpointStore.SchemaVersion, _database.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal(4L, _database.Scalar("SELECT count(*) FROM schema_version"));
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
        string[] tables = ["schema_version", "projects", "runs", "checkpoints", "project_keys", "run_keys", "id_map", "pending", "issues", "deferred_links", "leases", "sequences", "stop_requests"];
        foreach (string table in tables)
        {
            Assert.Equal(1L, _database.Scalar($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public async Task Create_ReopenedFile_KeepsEveryRecord()
    {
        (ProjectRecord project, RunRecord run) = await SeedAsync().ConfigureAwait(true);

        await using SqliteStore reopened = Open();

        Assert.Equal(SqliteCheckpointStore.SchemaVersion, reopened.OpenedSchemaVersion);
        Assert.Equal("https://shop.example.test", (await reopened.GetProjectAsync(project.ProjectId))!.Settings["url"]);
        Assert.Equal(run, await reopened.GetRunAsync(run.RunId));
        TypeCheckpoint checkpoint = Assert.Single(await reopened.GetCheckpointsAsync(run.RunId));
        Assert.Equal("page-1", checkpoint.ResumeToken);
        Assert.Equal(2.8m, checkpoint.PointsCharged);
        Assert.Equal(new HighWaterMark(T0.AddTicks(1234567), "2"), checkpoint.HighWaterMark);
        IReadOnlyDictionary<string, IdMapEntry> rows = await reopened.LookupAsync(project.ProjectId, EntityType.Orders, ["1", "2"]);
        Assert.Equal(0.8m, rows["1"].Points);
        Assert.Equal(T0.AddTicks(1), rows["2"].FirstMigratedAt);
        Assert.Equal("o-2", (await reopened.FindByTargetIdAsync(project.ProjectId, EntityType.Orders, "t-o-2"))?.SourceId);
        Assert.Equal(["3"], (await reopened.GetPendingAsync(project.ProjectId, EntityType.Orders)).Select(p => p.SourceId));
        Assert.Single(await reopened.GetIssuesAsync(run.RunId));
    }

    [Fact]
    public async Task Create_PreviousSchemaVersion_UpgradesInPlaceKeepingTheData()
    {
        // A file as version 1 of the package wrote it: the frozen v1 DDL and rows written with v1's SQL.
        CreateFileAtVersion(1, """
                INSERT INTO projects VALUES ('p1', 'woocommerce', 'shopify', '{"url":"https://shop.example.test"}', '2025-03-01T12:00:00.0000000Z');
                INSERT INTO runs (run_id, project_id, mode, state, options_json, created_at, started_at, ended_at, estimated_points, message)
                    VALUES ('r1', 'p1', 1, 4, '{}', '2025-03-01T12:00:00.0000000Z', '2025-03-01T12:00:01.0000000Z', NULL, '12.5', NULL);
                INSERT INTO project_keys (project_key, project_id) VALUES (1, 'p1');
                INSERT INTO id_map VALUES (1, 3, '10', 't-10', '/products/a', '/product/a/', 'c1', 0, '2025-03-01T12:00:00.0000000Z', '2025-03-01T12:00:00.0000000Z', 'r1', '1');
                INSERT INTO id_map VALUES (1, 3, '10/1', 't-v1', NULL, NULL, NULL, 1, '2025-03-01T12:00:00.0000000Z', '2025-03-01T12:00:00.0000000Z', 'r1', '0');
                INSERT INTO checkpoints VALUES ('r1', 3, 'page-4', 0, 50, 40, 0, 5, 5, '40.0', '2025-03-01T11:00:00.0000000Z', '10');
                INSERT INTO leases VALUES ('r1', 'worker-a', 7, '2025-03-01T12:01:00.0000000Z');
                UPDATE sequences SET value = 7 WHERE name = 'lease_version';
                """);

        await using SqliteStore store = Open();

        Assert.Equal(1, store.OpenedSchemaVersion);
        Assert.Equal((long)SqliteCheckpointStore.SchemaVersion, _database.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_id_map_target'"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'stop_requests'"));
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
        Assert.Equal("https://shop.example.test", (await store.GetProjectAsync("p1"))!.Settings["url"]);
        RunRecord? run = await store.GetRunAsync("r1");
        Assert.Equal(12.5m, run?.EstimatedPoints);
        Assert.Equal(MigrationMode.Full, run?.Mode);
        IdMapEntry? upgraded = await store.FindByTargetIdAsync("p1", EntityType.Products, "t-10");
        Assert.Equal(("/products/a", "r1", T0, T0), (upgraded?.TargetUrl, upgraded?.RunId, upgraded?.FirstMigratedAt, upgraded?.LastUpdatedAt));
        Assert.Equal(1L, await store.CountMappedAsync("p1", EntityType.Products));
        TypeCheckpoint checkpoint = Assert.Single(await store.GetCheckpointsAsync("r1"));
        Assert.Equal(new TypeCounters(50, 40, 0, 5, 5), checkpoint.Counters);
        Assert.Equal(40m, checkpoint.PointsCharged);

        // The upgraded file goes on working: the old lease still fences, and new leases continue its version sequence.
        RunLease old = new("r1", "worker-a", 7, T0.AddMinutes(1));
        await store.CommitBatchAsync(new BatchCommit { ProjectId = "p1", RunId = "r1", Type = EntityType.Products, Lease = old, AdvanceToken = true, ResumeToken = "page-5" });
        RunLease? taken = await store.TryAcquireLeaseAsync("r1", "worker-b", T0.AddMinutes(2), LeaseDuration);
        Assert.Equal(8, taken?.Version);
    }

    [Fact]
    public async Task Create_Version2File_AddsStopRequestsAndKeepsTheRuns()
    {
        // A file as version 2 of the package wrote it: the frozen v1 and v2 DDL, and a run executing when it was closed.
        CreateFileAtVersion(2, """
                INSERT INTO projects VALUES ('p1', 'woocommerce', 'shopify', '{}', '2025-03-01T12:00:00.0000000Z');
                INSERT INTO runs (run_id, project_id, mode, state, options_json, created_at, started_at, ended_at, estimated_points, message)
                    VALUES ('r1', 'p1', 1, 3, '{}', '2025-03-01T12:00:00.0000000Z', '2025-03-01T12:00:01.0000000Z', NULL, NULL, NULL);
                """);

        await using SqliteStore store = Open();

        Assert.Equal(2, store.OpenedSchemaVersion);
        Assert.Equal((long)SqliteCheckpointStore.SchemaVersion, _database.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal(RunStopRequest.None, await store.GetStopRequestAsync("r1"));
        Assert.True(await store.RequestStopAsync("r1", RunStopRequest.Cancel));
        Assert.Equal(RunStopRequest.Cancel, await store.GetStopRequestAsync("r1"));
        Assert.Equal(MigrationRunState.Running, (await store.GetRunAsync("r1"))!.State);
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Create_Version3File_NarrowsTheIdMapKeepingEveryValue()
    {
        // A file as version 3 wrote it: instants as ISO-8601 text to the tick, run ids as text in every ID-map row.
        CreateFileAtVersion(3, """
                INSERT INTO project_keys (project_key, project_id) VALUES (1, 'p1');
                INSERT INTO id_map VALUES (1, 3, '1', 't-1', '/products/a', '/product/a/', 'c1', 0, '2025-03-01T12:00:00.1234567Z', '2025-03-02T08:30:15.0000001Z', 'run-b', '1.50');
                INSERT INTO id_map VALUES (1, 3, '1/7', 't-v7', NULL, NULL, NULL, 1, '0001-01-01T00:00:00.0000000Z', '9999-12-31T23:59:59.9999999Z', 'run-a', '0');
                INSERT INTO id_map VALUES (1, 5, '2', 't-2', NULL, NULL, 'c2', 0, '2025-03-01T12:00:00.0000000Z', '2025-03-01T12:00:00.0000000Z', 'run-a', '2');
                """);

        await using SqliteStore store = Open();

        Assert.Equal(3, store.OpenedSchemaVersion);
        Assert.Equal((long)SqliteCheckpointStore.SchemaVersion, _database.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
        Assert.Equal(2L, _database.Scalar("SELECT count(*) FROM run_keys"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_id_map_target'"));
        Assert.Equal("integer", _database.Scalar("SELECT typeof(first_migrated_at) FROM id_map LIMIT 1"));

        IReadOnlyDictionary<string, IdMapEntry> products = await store.LookupAsync("p1", EntityType.Products, ["1", "1/7"]);
        Assert.Equal(
            new IdMapEntry
            {
                Type = EntityType.Products, SourceId = "1", TargetId = "t-1", TargetUrl = "/products/a", SourceUrl = "/product/a/", Checksum = "c1",
                FirstMigratedAt = T0.AddTicks(1234567), LastUpdatedAt = new DateTimeOffset(2025, 3, 2, 8, 30, 15, TimeSpan.Zero).AddTicks(1),
                RunId = "run-b", Points = 1.50m,
            },
            products["1"]);
        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "run-a", true), (products["1/7"].FirstMigratedAt, products["1/7"].LastUpdatedAt, products["1/7"].RunId, products["1/7"].IsChild));
        Assert.Equal("2", (await store.FindByTargetIdAsync("p1", EntityType.Orders, "t-2"))?.SourceId);

        // New rows of a new run get a key of their own; an old run's key is reused.
        await store.CommitBatchAsync(new BatchCommit
        {
            ProjectId = "p1", RunId = "run-c", Type = EntityType.Products,
            Mappings =
            [
                new IdMapEntry { Type = EntityType.Products, SourceId = "3", TargetId = "t-3", FirstMigratedAt = T0, LastUpdatedAt = T0, RunId = "run-c", Points = 1 },
                new IdMapEntry { Type = EntityType.Products, SourceId = "1", TargetId = "t-1b", FirstMigratedAt = T0, LastUpdatedAt = T0.AddDays(1), RunId = "run-a", Points = 1 },
            ],
        });
        Assert.Equal(3L, _database.Scalar("SELECT count(*) FROM run_keys"));
        IReadOnlyDictionary<string, IdMapEntry> after = await store.LookupAsync("p1", EntityType.Products, ["1", "3"]);
        Assert.Equal(("run-a", "t-1b", T0.AddTicks(1234567), T0.AddDays(1)), (after["1"].RunId, after["1"].TargetId, after["1"].FirstMigratedAt, after["1"].LastUpdatedAt));
        Assert.Equal("run-c", after["3"].RunId);
    }

    [Fact]
    public async Task Create_NewerSchemaVersion_ThrowsAndLeavesTheFileUnchanged()
    {
        await SeedAsync().ConfigureAwait(true);
        _database.Execute("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', '2030-01-01T00:00:00.0000000Z')");
        byte[] before = SHA256.HashData(await File.ReadAllBytesAsync(_database.Path));

        MigrationException ex = Assert.Throws<MigrationException>(() => SqliteCheckpointStore.Create(_database.ConnectionString));

        Assert.Equal(
            $"The checkpoint database '{_database.Path}' has schema version 99, but this version of NextCart.Migration.Sqlite supports schema versions up to {SqliteCheckpointStore.SchemaVersion}. The file was written by a newer NextCart.Migration.Sqlite; upgrade the package to open it. The file was not modified.",
            ex.Message);
        Assert.Equal(FailureCategory.Configuration, ex.Category);
        Assert.False(ex.IsTransient);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(_database.Path)));
        Assert.Equal(99L, _database.Scalar("SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public void Create_ForeignDatabase_ThrowsWithoutAddingTables()
    {
        _database.Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)");

        MigrationException ex = Assert.Throws<MigrationException>(() => SqliteCheckpointStore.Create(_database.ConnectionString));

        Assert.Contains("is not a NextCart.Migration checkpoint database", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_master"));
    }

    [Fact]
    public void Create_NotADatabaseFile_ThrowsMigrationException()
    {
        File.WriteAllText(_database.Path, new string('x', 4096));

        MigrationException ex = Assert.Throws<MigrationException>(() => SqliteCheckpointStore.Create(_database.ConnectionString));

        Assert.StartsWith($"The checkpoint database '{_database.Path}' could not be opened:", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(ex.InnerException);
    }

    [Fact]
    public async Task CommitBatchAsync_PointsAndInstants_RoundTripExactly()
    {
        await using SqliteStore store = Open();
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        DateTimeOffset odd = new(2025, 3, 1, 14, 30, 15, 123, TimeSpan.FromHours(2));
        odd = odd.AddTicks(4567);
        IdMapEntry[] rows = [.. Enumerable.Range(1, 10).Select(i => Mapping(run.RunId, Id(i), 0.8m) with { FirstMigratedAt = odd, LastUpdatedAt = odd })];

        CommitResult result = await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = rows });

        Assert.Equal(new CommitResult(10, 8.0m), result);
        IdMapEntry stored = (await store.LookupAsync(project.ProjectId, EntityType.Orders, ["1"]))["1"];
        Assert.Equal(odd, stored.FirstMigratedAt);
        Assert.Equal(odd.UtcTicks, stored.LastUpdatedAt.UtcTicks);
        Assert.Equal(0.8m, stored.Points);
        Assert.Equal(8.0m, Assert.Single(await store.GetCheckpointsAsync(run.RunId)).PointsCharged);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task LookupAsync_ManyIdsWithDuplicates_FindsEveryRowOnceWhateverTheParallelism(int parallelism)
    {
        await using SqliteStore store = (SqliteStore)SqliteCheckpointStore.Create(new SqliteCheckpointStoreOptions { ConnectionString = _database.ConnectionString, MaxLookupParallelism = parallelism });
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        for (int batch = 0; batch < 25; batch++)
        {
            IdMapEntry[] rows = [.. Enumerable.Range(batch * 100, 100).Select(i => Mapping(run.RunId, Id(i), 0.8m))];
            await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = rows });
        }

        string[] wanted = [.. Enumerable.Range(0, 3_500).Select(Id), "0", "1"];
        IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync(project.ProjectId, EntityType.Orders, wanted);

        Assert.Equal(2_500, found.Count);
        Assert.All(found, pair => Assert.Equal("t-" + pair.Key, pair.Value.TargetId));
    }

    [Fact]
    public async Task LookupAsync_RowsWithDifferentInstantsRunsAndPoints_ReadsEachRowsOwnValues()
    {
        await using SqliteStore store = Open();
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        // Neighbouring rows alternate their instants, run ids and points, and some share them, so a value reused from the
        // previous row would show.
        IdMapEntry[] rows = [.. Enumerable.Range(0, 12).Select(i => Mapping(i % 3 == 0 ? run.RunId : "run-other-" + (i % 2), Id(i), i % 4 == 0 ? 1m : 0.5m) with
        {
            FirstMigratedAt = T0.AddTicks(i % 2),
            LastUpdatedAt = T0.AddSeconds(i % 3),
            SourceUrl = i % 2 == 0 ? null : "/s/" + i,
            Checksum = i == 5 ? string.Empty : "c" + i,
        })];
        await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = rows });

        IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync(project.ProjectId, EntityType.Orders, [.. rows.Select(r => r.SourceId).Reverse(), "missing", "3"]);

        Assert.Equal(rows.Length, found.Count);
        foreach (IdMapEntry row in rows)
        {
            Assert.Equal(row, found[row.SourceId]);
        }
    }

    [Fact]
    public async Task CommitBatchAsync_ManyLogPages_CheckpointsIntoTheDatabaseFileInTheBackground()
    {
        await using SqliteStore store = Open();
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        long before = new FileInfo(_database.Path).Length;
        int batches = 0;
        while (store.BackgroundCheckpointsStarted == 0 && batches < 5_000)
        {
            IdMapEntry[] rows = [.. Enumerable.Range(batches * 100, 100).Select(i => Mapping(run.RunId, Id(i), 1m) with { TargetUrl = "https://target.example.test/products/" + new string('x', 200) + i })];
            await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = rows });
            batches++;
        }

        await store.BackgroundCheckpoint;

        Assert.Equal(1, store.BackgroundCheckpointsStarted);
        // The rows reached the database file itself, not only the log, and the store reads every one of them.
        Assert.True(new FileInfo(_database.Path).Length > before + (1L << 20), $"The database file grew from {before} to {new FileInfo(_database.Path).Length} bytes.");
        Assert.Equal(batches * 100L, await store.CountMappedAsync(project.ProjectId, EntityType.Orders));
    }

    [Fact]
    public async Task CommitBatchAsync_BackgroundCheckpointFails_LogsAWarningStopsThemAndCommitsGoOn()
    {
        FakeLogCollector logs = new();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using SqliteStore store = (SqliteStore)SqliteCheckpointStore.Create(new SqliteCheckpointStoreOptions { ConnectionString = _database.ConnectionString }, loggerFactory);
        store.RunBackgroundCheckpoint = _ => throw new SqliteException("disk I/O error", 10);
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        int batches = 0;
        async Task CommitAsync()
        {
            IdMapEntry[] rows = [.. Enumerable.Range(batches * 100, 100).Select(i => Mapping(run.RunId, Id(i), 1m) with { TargetUrl = "https://target.example.test/products/" + new string('x', 200) + i })];
            await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = rows });
            batches++;
        }

        while (store.BackgroundCheckpointsStarted == 0 && batches < 5_000)
        {
            await CommitAsync();
        }

        await store.BackgroundCheckpoint;
        int afterFailure = batches;
        // As many pages again: a working store would start a second background checkpoint by now.
        while (batches < afterFailure * 2 + 1)
        {
            await CommitAsync();
        }

        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == SqliteEventId.BackgroundCheckpointFailed);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("SQLite error 10", warning.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(warning.Exception);
        Assert.Equal(1, store.BackgroundCheckpointsStarted);
        Assert.Equal(batches * 100L, await store.CountMappedAsync(project.ProjectId, EntityType.Orders));
    }

    [Fact]
    public async Task CommitBatchAsync_CrashAfterTargetWriteBeforeCommit_IntentStaysAndNothingIsCommitted()
    {
        (ProjectRecord project, RunRecord run) = await SeedEmptyRunAsync();

        using (CrashWorker worker = CrashWorker.Start("intent-then-wait", _database.Path, project.ProjectId, run.RunId, batchSize: 50))
        {
            Assert.Equal("written 0", await worker.ReadLineAsync());
            worker.Kill();
        }

        await using SqliteStore store = Open();
        IReadOnlyList<SourceIdentity> pending = await store.GetPendingAsync(project.ProjectId, EntityType.Products);
        Assert.Equal(Enumerable.Range(0, 50).Select(Id), pending.Select(p => p.SourceId));
        Assert.All(pending, p => Assert.Equal("sku-" + p.SourceId, p.NaturalKey));
        Assert.Empty(await store.LookupAsync(project.ProjectId, EntityType.Products, [.. pending.Select(p => p.SourceId)]));
        Assert.Empty(await store.GetCheckpointsAsync(run.RunId));
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task CommitBatchAsync_ProcessKilledMidCommit_CommittedPrefixIntactAndNoBatchHalfThere()
    {
        const int BatchSize = 400;
        (ProjectRecord project, RunRecord run) = await SeedEmptyRunAsync();
        Random random = new(20250301);
        long reported = -1;

        for (int round = 0; round < 4; round++)
        {
            using (CrashWorker worker = CrashWorker.Start("commit-loop", _database.Path, project.ProjectId, run.RunId, BatchSize))
            {
                // Let it commit a few batches, then kill it at a random instant: most of its time is spent inside commits.
                int target = 3 + random.Next(5);
                for (int seen = 0; seen < target; seen++)
                {
                    string line = await worker.ReadLineAsync();
                    Assert.StartsWith("committed ", line, StringComparison.Ordinal);
                    reported = long.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
                }

                Thread.Sleep(random.Next(15));
                worker.Kill();
            }

            Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check"));
            await using SqliteStore store = Open();
            TypeCheckpoint checkpoint = Assert.Single(await store.GetCheckpointsAsync(run.RunId));
            long last = long.Parse(checkpoint.ResumeToken!["batch-".Length..], CultureInfo.InvariantCulture);
            Assert.True(last >= reported, $"Batch {reported} was reported committed but the checkpoint is at batch {last}.");
            Assert.Equal((last + 1) * BatchSize, checkpoint.Counters.Created);
            Assert.Equal((last + 1) * BatchSize * 1m, checkpoint.PointsCharged);
            Assert.Equal((last + 1) * BatchSize, await store.CountMappedAsync(project.ProjectId, EntityType.Products));

            // Every batch up to the checkpoint is wholly there, the next one wholly absent.
            for (long batch = 0; batch <= last + 1; batch++)
            {
                string[] ids = [.. Enumerable.Range(0, BatchSize).Select(i => ((batch * BatchSize) + i).ToString(CultureInfo.InvariantCulture))];
                IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync(project.ProjectId, EntityType.Products, ids);
                Assert.Equal(batch <= last ? BatchSize : 0, found.Count);
            }

            // Intents left behind belong to the one batch that did not commit, and are whole.
            IReadOnlyList<SourceIdentity> pending = await store.GetPendingAsync(project.ProjectId, EntityType.Products);
            Assert.True(pending.Count is 0 or BatchSize, $"{pending.Count} intents are pending.");
            Assert.All(pending, p => Assert.Equal(last + 1, long.Parse(p.SourceId, CultureInfo.InvariantCulture) / BatchSize));
        }
    }

    [Fact]
    public async Task CommitBatchAsync_ConcurrentCommitsFromTwoInstances_AllLandWithExactTotals()
    {
        const int Runs = 8;
        const int CommitsPerRun = 30;
        const int RowsPerCommit = 20;
        await using SqliteStore first = Open();
        await using SqliteStore second = Open();
        ProjectRecord project = await first.EnsureProjectAsync(NewProject());
        RunRecord[] runs = [.. Enumerable.Range(0, Runs).Select(_ => NewRun(project.ProjectId))];
        foreach (RunRecord run in runs)
        {
            await first.CreateRunAsync(run);
        }

        List<Task<CommitResult>> commits = [];
        for (int r = 0; r < Runs; r++)
        {
            for (int c = 0; c < CommitsPerRun; c++)
            {
                RunRecord run = runs[r];
                SqliteStore store = (r + c) % 2 == 0 ? first : second;
                int start = ((r * CommitsPerRun) + c) * RowsPerCommit;
                BatchCommit commit = new()
                {
                    ProjectId = project.ProjectId,
                    RunId = run.RunId,
                    Type = EntityType.Orders,
                    Mappings = [.. Enumerable.Range(start, RowsPerCommit).Select(i => Mapping(run.RunId, Id(i), 0.8m))],
                    Counters = new TypeCounters(RowsPerCommit, RowsPerCommit, 0, 0, 0),
                    Issues = [new RecordIssue(EntityType.Orders, Id(start), FailureCategory.Validation, $"commit {c}", IssueSeverity.Warning)],
                };
                commits.Add(Task.Run(() => store.CommitBatchAsync(commit).AsTask()));
            }
        }

        CommitResult[] results = await Task.WhenAll(commits);

        const int Total = Runs * CommitsPerRun * RowsPerCommit;
        Assert.Equal(Total, results.Sum(r => r.InsertedRows));
        Assert.Equal(Total * 0.8m, results.Sum(r => r.PointsCharged));
        Assert.Equal(Total, await second.CountMappedAsync(project.ProjectId, EntityType.Orders));
        foreach (RunRecord run in runs)
        {
            TypeCheckpoint checkpoint = Assert.Single(await second.GetCheckpointsAsync(run.RunId));
            Assert.Equal(new TypeCounters(CommitsPerRun * RowsPerCommit, CommitsPerRun * RowsPerCommit, 0, 0, 0), checkpoint.Counters);
            Assert.Equal(CommitsPerRun * RowsPerCommit * 0.8m, checkpoint.PointsCharged);
            Assert.Equal(CommitsPerRun, (await first.GetIssuesAsync(run.RunId)).Count);
        }
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoInstancesRaceForExpiredLeases_ExactlyOneWinsAndTheOldHolderIsFenced()
    {
        const int Runs = 24;
        await using SqliteStore first = Open();
        await using SqliteStore second = Open();
        ProjectRecord project = await first.EnsureProjectAsync(NewProject());
        List<(RunRecord Run, RunLease Stale)> leased = [];
        for (int i = 0; i < Runs; i++)
        {
            RunRecord run = NewRun(project.ProjectId);
            await first.CreateRunAsync(run);
            leased.Add((run, (await first.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration))!));
        }

        // Worker A died; B (on the first instance) and C (on the second) both see the lease expired and race for it.
        DateTimeOffset later = T0 + LeaseDuration + TimeSpan.FromSeconds(1);
        Task<RunLease?[]> b = Task.WhenAll(leased.Select(l => Task.Run(() => first.TryAcquireLeaseAsync(l.Run.RunId, "worker-b", later, LeaseDuration).AsTask())));
        Task<RunLease?[]> c = Task.WhenAll(leased.Select(l => Task.Run(() => second.TryAcquireLeaseAsync(l.Run.RunId, "worker-c", later, LeaseDuration).AsTask())));
        RunLease?[] byB = await b;
        RunLease?[] byC = await c;

        for (int i = 0; i < Runs; i++)
        {
            (RunRecord run, RunLease stale) = leased[i];
            RunLease? winner = byB[i] ?? byC[i];
            Assert.True(byB[i] is null ^ byC[i] is null, $"Run {i}: B got {byB[i]}, C got {byC[i]}.");
            Assert.True(winner!.Version > stale.Version);

            // The dead worker's late commit is refused and writes nothing; the winner's lands.
            SqliteStore loserStore = i % 2 == 0 ? first : second;
            BatchCommit late = new()
            {
                ProjectId = project.ProjectId,
                RunId = run.RunId,
                Type = EntityType.Products,
                Lease = stale,
                Mappings = [Mapping(run.RunId, "late", 1m)],
                AdvanceToken = true,
                ResumeToken = "late",
                Counters = new TypeCounters(1, 1, 0, 0, 0),
            };
            await Assert.ThrowsAsync<LeaseLostException>(() => loserStore.CommitBatchAsync(late).AsTask());
            Assert.Empty(await first.LookupAsync(project.ProjectId, EntityType.Products, ["late"]));
            Assert.Empty(await first.GetCheckpointsAsync(run.RunId));

            SqliteStore winnerStore = winner.Owner == "worker-b" ? first : second;
            await winnerStore.CommitBatchAsync(late with { Lease = winner, Mappings = [Mapping(run.RunId, "won", 1m)], ResumeToken = "won" });
            Assert.Equal("won", Assert.Single(await first.GetCheckpointsAsync(run.RunId)).ResumeToken);
        }

        long[] versions = [.. byB.Concat(byC).OfType<RunLease>().Select(l => l.Version)];
        Assert.Equal(versions.Length, versions.Distinct().Count());
    }

    [Fact]
    public async Task CommitBatchAsync_AnotherProcessHoldsTheWriteLockBriefly_WaitsAndCommits()
    {
        await using SqliteStore store = Open();
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        using SqliteConnection other = _database.OpenRaw();
        Execute(other, "BEGIN IMMEDIATE; INSERT INTO sequences (name, value) VALUES ('held', 1);");

        Task<CommitResult> commit = Task.Run(() => store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = [Mapping(run.RunId, "1", 0.8m)] }).AsTask());
        await Task.Delay(300);
        Assert.False(commit.IsCompleted);
        Execute(other, "COMMIT;");

        Assert.Equal(new CommitResult(1, 0.8m), await commit);
    }

    [Fact]
    public async Task CommitBatchAsync_WriteLockHeldPastTheBusyTimeout_ThrowsTransientMigrationExceptionAndWritesNothing()
    {
        await using SqliteStore store = (SqliteStore)SqliteCheckpointStore.Create(new SqliteCheckpointStoreOptions { ConnectionString = _database.ConnectionString, BusyTimeout = TimeSpan.FromMilliseconds(200) });
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);
        using SqliteConnection other = _database.OpenRaw();
        Execute(other, "BEGIN IMMEDIATE;");

        MigrationException ex = await Assert.ThrowsAsync<MigrationException>(
            () => store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = [Mapping(run.RunId, "1", 0.8m)] }).AsTask());

        Execute(other, "ROLLBACK;");
        Assert.True(ex.IsTransient);
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.StartsWith($"The checkpoint database '{_database.Path}' failed: SQLite Error 5: 'database is locked'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetCheckpointsAsync(run.RunId));
        Assert.Equal(new CommitResult(1, 0.8m), await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Orders, Mappings = [Mapping(run.RunId, "1", 0.8m)] }));
    }

    [Fact]
    public async Task UpdateRunAsync_UnknownProject_ThrowsInvalidOperationException()
    {
        await using SqliteStore store = Open();
        (_, RunRecord run) = await CreateProjectAndRunAsync(store);

        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateRunAsync(run with { ProjectId = "nowhere" }, null).AsTask());

        Assert.Equal("Project 'nowhere' does not exist.", ex.Message);
    }

    [Fact]
    public async Task CreateRunAsync_UnknownProjectOrDuplicateRun_ThrowsInvalidOperationException()
    {
        await using SqliteStore store = Open();
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync(store);

        InvalidOperationException missing = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateRunAsync(NewRun("nowhere")).AsTask());
        InvalidOperationException duplicate = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateRunAsync(run).AsTask());

        Assert.Equal("Project 'nowhere' does not exist.", missing.Message);
        Assert.Equal($"Run '{run.RunId}' already exists.", duplicate.Message);
        Assert.Single(await store.ListRunsAsync(project.ProjectId));
    }

    [Fact]
    public async Task DisposeAsync_ThenCall_ThrowsObjectDisposedException()
    {
        SqliteStore store = Open();
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetRunAsync("r").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitBatchAsync(new BatchCommit { ProjectId = "p", RunId = "r", Type = EntityType.Products }).AsTask());
    }

    private SqliteStore Open() => (SqliteStore)SqliteCheckpointStore.Create(_database.ConnectionString);

    private async Task<(ProjectRecord Project, RunRecord Run)> SeedEmptyRunAsync()
    {
        await using SqliteStore store = Open();
        return await CreateProjectAndRunAsync(store);
    }

    private async Task<(ProjectRecord Project, RunRecord Run)> SeedAsync()
    {
        await using SqliteStore store = Open();
        ProjectRecord project = await store.EnsureProjectAsync(NewProject() with { Settings = new Dictionary<string, string> { ["url"] = "https://shop.example.test" } });
        RunRecord run = NewRun(project.ProjectId) with { StartedAt = T0.AddSeconds(1), EstimatedPoints = 2.4m, OptionsJson = "{\"mode\":\"full\"}" };
        await store.CreateRunAsync(run);
        await store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Orders, [new(EntityType.Orders, "1"), new(EntityType.Orders, "2"), new(EntityType.Orders, "3", "#1003")], null);
        await store.CommitBatchAsync(new BatchCommit
        {
            ProjectId = project.ProjectId,
            RunId = run.RunId,
            Type = EntityType.Orders,
            Mappings = [Mapping(run.RunId, "1", 0.8m), Mapping(run.RunId, "o-2", 1m), Mapping(run.RunId, "2", 1m) with { FirstMigratedAt = T0.AddTicks(1) }],
            ResolvedPending = ["1", "2"],
            AdvanceToken = true,
            ResumeToken = "page-1",
            Counters = new TypeCounters(3, 3, 0, 0, 0),
            HighWaterMark = new HighWaterMark(T0.AddTicks(1234567), "2"),
            Issues = [new RecordIssue(EntityType.Orders, "4", FailureCategory.Validation, "Customer missing")],
        });
        return (project, run);
    }

    private static async Task<(ProjectRecord Project, RunRecord Run)> CreateProjectAndRunAsync(SqliteStore store)
    {
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        return (project, run);
    }

    private static ProjectRecord NewProject() => new("project-" + Guid.NewGuid().ToString("N"), "woocommerce", "shopify") { CreatedAt = T0 };

    private static RunRecord NewRun(string projectId)
        => new() { RunId = "run-" + Guid.NewGuid().ToString("N"), ProjectId = projectId, Mode = MigrationMode.Full, State = MigrationRunState.Pending, CreatedAt = T0 };

    private static IdMapEntry Mapping(string runId, string sourceId, decimal points)
        => new() { Type = EntityType.Orders, SourceId = sourceId, TargetId = "t-" + sourceId, RunId = runId, Points = points, FirstMigratedAt = T0, LastUpdatedAt = T0 };

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Creates the database file as version <paramref name="version"/> of the package left it: WAL, the frozen DDL of each
    /// migration up to that version with its schema_version row, then <paramref name="rows"/> written with that version's SQL.
    /// </summary>
    private void CreateFileAtVersion(int version, string rows)
    {
        using SqliteConnection connection = _database.OpenRaw();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        foreach (SchemaMigration migration in SqliteSchema.Migrations.Where(m => m.Version <= version))
        {
            Execute(connection, migration.Sql);
            Execute(connection, $"INSERT INTO schema_version (version, description, applied_at) VALUES ({migration.Version}, 'v{migration.Version}', '2025-01-0{migration.Version}T00:00:00.0000000Z')");
        }

        Execute(connection, rows);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
