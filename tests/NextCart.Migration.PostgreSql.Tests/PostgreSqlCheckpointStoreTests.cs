using System.Globalization;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using NextCart.Migration.PostgreSql.Internal;
using NextCart.Migration.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace NextCart.Migration.PostgreSql.Tests;

/// <summary>What only the PostgreSQL store has to prove: schema migrations, several workers on one database, and crashes.</summary>
[RequiresPostgres]
public sealed class PostgreSqlCheckpointStoreTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task EnsureReady_SchemaAtVersion1_UpgradesToLatestAndKeepsTheData()
    {
        string name = PostgresSchema.NewName();
        try
        {
            await SchemaMigrator.MigrateAsync(PostgresServer.DataSource, name, 30, targetVersion: 1);
            Assert.Equal([1], await ReadVersionsAsync(name));
            Assert.DoesNotContain("id_map_by_target", await ReadObjectsAsync(name));
            await ExecuteAsync($$"""
                INSERT INTO "{{name}}".projects (project_id, source_provider_id, target_provider_id, settings, created_at)
                VALUES ('p1', 'woocommerce', 'shopify', '{"url":"https://shop.example.test"}', '2025-03-01T12:00:00Z')
                """);

            await using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            ProjectRecord? project = await store.GetProjectAsync("p1");

            Assert.NotNull(project);
            Assert.Equal("https://shop.example.test", project.Settings["url"]);
            Assert.Equal(T0, project.CreatedAt);
            Assert.Equal([1, 2, 3, 4], await ReadVersionsAsync(name));
            Assert.Contains("id_map_by_target", await ReadObjectsAsync(name));
            Assert.Contains("stop_requests", await ReadObjectsAsync(name));
        }
        finally
        {
            await PostgresSchema.DropAsync(name);
        }
    }

    [Fact]
    public async Task EnsureReady_SchemaAtVersion2_AddsStopRequestsKeepingTheRuns()
    {
        string name = PostgresSchema.NewName();
        try
        {
            await SchemaMigrator.MigrateAsync(PostgresServer.DataSource, name, 30, targetVersion: 2);
            Assert.DoesNotContain("stop_requests", await ReadObjectsAsync(name));
            await using (PostgreSqlStore v2 = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name }))
            {
                // Rows as a version-2 worker writes them, through the version-2 tables only.
                await ExecuteAsync($$"""
                    INSERT INTO "{{name}}".projects (project_id, source_provider_id, target_provider_id, settings, created_at)
                    VALUES ('p1', 'woocommerce', 'shopify', '{}', '2025-03-01T12:00:00Z')
                    """);
            }

            await using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            await store.CreateRunAsync(new RunRecord { RunId = "r1", ProjectId = "p1", Mode = MigrationMode.Full, State = MigrationRunState.Running, CreatedAt = T0 });

            Assert.True(await store.RequestStopAsync("r1", RunStopRequest.Pause));
            Assert.Equal(RunStopRequest.Pause, await store.GetStopRequestAsync("r1"));
            Assert.Equal([1, 2, 3, 4], await ReadVersionsAsync(name));
            Assert.Equal(MigrationRunState.Running, (await store.GetRunAsync("r1"))!.State);
        }
        finally
        {
            await PostgresSchema.DropAsync(name);
        }
    }

    [Fact]
    public async Task EnsureReady_SchemaAtVersion3WithRows_CopiesTheIdMapAndIntentsIntoVersion4AndReadsThemBack()
    {
        string name = PostgresSchema.NewName();
        try
        {
            await SchemaMigrator.MigrateAsync(PostgresServer.DataSource, name, 30, targetVersion: 3);
            Assert.DoesNotContain("project_keys", await ReadObjectsAsync(name));

            // Rows as a version-3 worker wrote them: two projects, two runs, every kind of checksum (the engine's lowercase
            // hex, uppercase and odd-length hex, other text, non-ASCII text, empty, none), intents out of key order.
            await ExecuteAsync($$"""
                INSERT INTO "{{name}}".id_map (project_id, entity_type, source_id, target_id, target_url, source_url, checksum,
                    is_child, points, first_migrated_at, last_updated_at, run_id)
                VALUES
                    ('p1', 3, '1', 't1', 'https://target.example/p/1', '/p/1/', '0123456789abcdef0123456789abcdef', false, 1.5, '2025-03-01T12:00:00Z', '2025-03-02T12:00:00Z', 'run-a'),
                    ('p1', 3, '2', 't2', NULL, NULL, 'ABCDEF', false, 1, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-b'),
                    ('p1', 3, '2/20', 't20', NULL, NULL, 'abc', true, 0, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-b'),
                    ('p1', 3, '3', 't3', NULL, NULL, 'sha:ü-é', false, 1, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-a'),
                    ('p1', 3, '4', 't4', NULL, NULL, '', false, 1, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-a'),
                    ('p1', 3, '5', 't5', NULL, NULL, NULL, false, 1, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-a'),
                    ('p2', 3, '1', 'other', NULL, NULL, NULL, false, 1, '2025-03-01T12:00:00Z', '2025-03-01T12:00:00Z', 'run-c');
                INSERT INTO "{{name}}".pending (project_id, entity_type, source_id, natural_key, run_id)
                VALUES ('p1', 4, 'b', 'sku-b', 'run-a'), ('p1', 4, 'a', NULL, 'run-a'), ('p1', 4, 'c', 'sku-c', 'run-b'),
                    ('p2', 4, 'z', NULL, 'run-c');
                """);

            await using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync("p1", EntityType.Products, ["1", "2", "2/20", "3", "4", "5", "6"]);

            Assert.Equal([1, 2, 3, 4], await ReadVersionsAsync(name));
            Assert.Equal(
                new IdMapEntry
                {
                    Type = EntityType.Products, SourceId = "1", TargetId = "t1", TargetUrl = "https://target.example/p/1", SourceUrl = "/p/1/",
                    Checksum = "0123456789abcdef0123456789abcdef", IsChild = false, Points = 1.5m, FirstMigratedAt = T0,
                    LastUpdatedAt = T0.AddDays(1), RunId = "run-a",
                },
                found["1"]);
            Assert.Equal(["1", "2", "2/20", "3", "4", "5"], found.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(
                ["0123456789abcdef0123456789abcdef", "ABCDEF", "abc", "sha:ü-é", "", null],
                new[] { "1", "2", "2/20", "3", "4", "5" }.Select(id => found[id].Checksum));
            Assert.Equal(["run-a", "run-b", "run-b", "run-a", "run-a", "run-a"], new[] { "1", "2", "2/20", "3", "4", "5" }.Select(id => found[id].RunId));
            Assert.True(found["2/20"].IsChild);
            Assert.Equal("other", (await store.LookupAsync("p2", EntityType.Products, ["1"]))["1"].TargetId);
            Assert.Equal("3", (await store.FindByTargetIdAsync("p1", EntityType.Products, "t3"))!.SourceId);
            Assert.Equal(5, await store.CountMappedAsync("p1", EntityType.Products));
            Assert.Equal(["1", "2", "3", "4", "5"], await store.ReadIdMapAsync("p1", EntityType.Products).Select(e => e.SourceId).ToListAsync());
            Assert.Equal(
                [new SourceIdentity(EntityType.Customers, "b", "sku-b"), new SourceIdentity(EntityType.Customers, "a", null), new SourceIdentity(EntityType.Customers, "c", "sku-c")],
                await store.GetPendingAsync("p1", EntityType.Customers));

            // New writes go on from the copied rows: a new intent comes after the copied ones, a commit resolves one and
            // updates a copied row, and a new run gets a key of its own.
            await store.AddPendingAsync("p1", "run-d", EntityType.Customers, [new SourceIdentity(EntityType.Customers, "0", null)], null);
            await store.CommitBatchAsync(new BatchCommit
            {
                ProjectId = "p1",
                RunId = "run-d",
                Type = EntityType.Products,
                Mappings = [Mapping("run-d", "1") with { Checksum = "ffff" }],
                ResolvedPending = [],
                Counters = new TypeCounters(1, 0, 1, 0, 0),
            });
            Assert.Equal(["b", "a", "c", "0"], (await store.GetPendingAsync("p1", EntityType.Customers)).Select(p => p.SourceId));
            IdMapEntry updated = (await store.LookupAsync("p1", EntityType.Products, ["1"]))["1"];
            Assert.Equal(("t-1", "ffff", "run-d"), (updated.TargetId, updated.Checksum, updated.RunId));

            // A second store (a fresh process) reads the run ids back from run_keys.
            await using PostgreSqlStore fresh = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            Assert.Equal("run-d", (await fresh.LookupAsync("p1", EntityType.Products, ["1"]))["1"].RunId);
            Assert.Equal("run-c", (await fresh.FindByTargetIdAsync("p2", EntityType.Products, "other"))!.RunId);
        }
        finally
        {
            await PostgresSchema.DropAsync(name);
        }
    }

    [Fact]
    public async Task EnsureReady_SchemaAtNewerVersion_ThrowsAndLeavesTheSchemaUnchanged()
    {
        string name = PostgresSchema.NewName();
        try
        {
            await SchemaMigrator.MigrateAsync(PostgresServer.DataSource, name, 30);
            await ExecuteAsync($"INSERT INTO \"{name}\".schema_version (version, description) VALUES (99, 'from the future')");
            List<string> objects = await ReadObjectsAsync(name);

            ICheckpointStore store = PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(() => store.GetProjectAsync("p1").AsTask());

            Assert.Equal(
                $"The checkpoint store schema '{name}' is at version 99, but this version of NextCart.Migration.PostgreSql knows versions up to 4. A newer release has upgraded it: update NextCart.Migration.PostgreSql on every worker (the schema was not changed).",
                ex.Message);
            Assert.Equal([1, 2, 3, 4, 99], await ReadVersionsAsync(name));
            Assert.Equal(objects, await ReadObjectsAsync(name));
        }
        finally
        {
            await PostgresSchema.DropAsync(name);
        }
    }

    [Fact]
    public async Task EnsureReady_SeveralWorkersOnAnEmptySchemaAtOnce_AllSucceedAndEachMigrationRunsOnce()
    {
        // The migrations use plain CREATE TABLE: a second application would fail, so success proves they ran once.
        string name = PostgresSchema.NewName();
        ICheckpointStore[] workers = [.. Enumerable.Range(0, 4).Select(_ => PostgreSqlCheckpointStore.Create(PostgresServer.CreateConnectionString(4), new() { SchemaName = name }))];
        try
        {
            ProjectRecord?[] results = await Task.WhenAll(workers.Select(w => Task.Run(() => w.GetProjectAsync("missing").AsTask())));

            Assert.All(results, Assert.Null);
            Assert.Equal([1, 2, 3, 4], await ReadVersionsAsync(name));
        }
        finally
        {
            foreach (ICheckpointStore worker in workers)
            {
                await ((IAsyncDisposable)worker).DisposeAsync();
            }

            await PostgresSchema.DropAsync(name);
        }
    }

    [Fact]
    public async Task CommitBatchAsync_WorkersCommittingOverlappingIdsConcurrently_ChargeEachIdOnceAndKeepEachRunsCounters()
    {
        const int Workers = 4;
        const int Batches = 30;
        const int Rows = 25;
        ICheckpointStore setup = schema.CreateStore();
        ProjectRecord project = await setup.EnsureProjectAsync(NewProject());
        ICheckpointStore[] workers = [.. Enumerable.Range(0, Workers).Select(_ => schema.CreateWorkerStore())];
        try
        {
            // Worker w commits ids [b*Rows + w*5, ...): each id is committed by up to two workers, in different orders.
            Task<(RunRecord Run, CommitResult[] Results)>[] tasks = [.. workers.Select((store, w) => Task.Run(async () =>
            {
                RunRecord run = NewRun(project.ProjectId);
                await store.CreateRunAsync(run);
                RunLease lease = (await store.TryAcquireLeaseAsync(run.RunId, $"worker-{w}", T0, LeaseDuration))!;
                List<CommitResult> results = [];
                foreach (int b in (w % 2 == 0 ? Enumerable.Range(0, Batches) : Enumerable.Range(0, Batches).Reverse()))
                {
                    int first = (b * Rows) + (w * 5);
                    results.Add(await store.CommitBatchAsync(new BatchCommit
                    {
                        ProjectId = project.ProjectId,
                        RunId = run.RunId,
                        Type = EntityType.Products,
                        Lease = lease,
                        Mappings = [.. Enumerable.Range(first, Rows).Select(i => Mapping(run.RunId, Id(i)))],
                        Counters = new TypeCounters(Rows, Rows, 0, 0, 0),
                        HighWaterMark = new HighWaterMark(T0.AddSeconds(b), Id(first)),
                    }));
                }

                return (run, results.ToArray());
            }))];
            (RunRecord Run, CommitResult[] Results)[] outcomes = await Task.WhenAll(tasks);

            int distinct = ((Batches - 1) * Rows) + ((Workers - 1) * 5) + Rows;
            Assert.Equal(distinct, outcomes.Sum(o => o.Results.Sum(r => r.InsertedRows)));
            Assert.Equal(distinct, outcomes.Sum(o => o.Results.Sum(r => r.PointsCharged)));
            Assert.Equal(distinct, await setup.CountMappedAsync(project.ProjectId, EntityType.Products));
            foreach ((RunRecord run, CommitResult[] results) in outcomes)
            {
                TypeCheckpoint checkpoint = Assert.Single(await setup.GetCheckpointsAsync(run.RunId));
                Assert.Equal(new TypeCounters(Batches * Rows, Batches * Rows, 0, 0, 0), checkpoint.Counters);
                Assert.Equal(results.Sum(r => r.PointsCharged), checkpoint.PointsCharged);
                Assert.Equal(T0.AddSeconds(Batches - 1), checkpoint.HighWaterMark?.CreatedAt);
            }
        }
        finally
        {
            await DisposeAllAsync(workers);
        }
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoWorkersRace_ExactlyOneWinsAndTheOtherTakesOverAfterExpiry()
    {
        ICheckpointStore a = schema.CreateWorkerStore();
        ICheckpointStore b = schema.CreateWorkerStore();
        try
        {
            ProjectRecord project = await a.EnsureProjectAsync(NewProject());
            for (int round = 0; round < 20; round++)
            {
                RunRecord run = NewRun(project.ProjectId);
                await a.CreateRunAsync(run);

                RunLease?[] claims = await Task.WhenAll(
                    Task.Run(() => a.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration).AsTask()),
                    Task.Run(() => b.TryAcquireLeaseAsync(run.RunId, "worker-b", T0, LeaseDuration).AsTask()));

                RunLease winner = Assert.Single(claims, c => c is not null)!;
                ICheckpointStore loserStore = winner.Owner == "worker-a" ? b : a;
                string loser = winner.Owner == "worker-a" ? "worker-b" : "worker-a";
                Assert.Null(await loserStore.TryAcquireLeaseAsync(run.RunId, loser, T0 + LeaseDuration - TimeSpan.FromSeconds(1), LeaseDuration));

                RunLease? takeover = await loserStore.TryAcquireLeaseAsync(run.RunId, loser, T0 + LeaseDuration, LeaseDuration);
                Assert.NotNull(takeover);
                Assert.Equal(loser, takeover.Owner);
                Assert.True(takeover.Version > winner.Version, $"The version went from {winner.Version} to {takeover.Version}.");
            }
        }
        finally
        {
            await DisposeAllAsync([a, b]);
        }
    }

    [Fact]
    public async Task CommitBatchAsync_LateCommitAfterTakeover_IsRefusedAndWritesNothing()
    {
        ICheckpointStore first = schema.CreateWorkerStore();
        ICheckpointStore second = schema.CreateWorkerStore();
        try
        {
            ProjectRecord project = await first.EnsureProjectAsync(NewProject());
            RunRecord run = NewRun(project.ProjectId);
            await first.CreateRunAsync(run);
            RunLease stale = (await first.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration))!;
            await first.CommitBatchAsync(Commit(project, run, stale, "1") with { AdvanceToken = true, ResumeToken = "page-1" });
            await first.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Products, [new(EntityType.Products, "2")], stale);

            // The first worker stalls past its lease; the second takes the run over.
            RunLease current = (await second.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1), LeaseDuration))!;
            await Assert.ThrowsAsync<LeaseLostException>(() => first.CommitBatchAsync(Commit(project, run, stale, "2") with
            {
                ResolvedPending = ["2"],
                AdvanceToken = true,
                ResumeToken = "page-2",
                Issues = [new(EntityType.Products, "2", FailureCategory.Validation, "late")],
                AddLinks = [new(EntityType.Products, "2", new EntityReference(EntityRef.Product("1"), ReferenceRole.Related, ReferenceKind.Deferred))],
            }).AsTask());
            await Assert.ThrowsAsync<LeaseLostException>(() => first.UpdateRunAsync(run with { State = MigrationRunState.Failed }, stale).AsTask());
            await Assert.ThrowsAsync<LeaseLostException>(() => first.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Products, [new(EntityType.Products, "3")], stale).AsTask());
            Assert.Null(await first.RenewLeaseAsync(stale, T0 + LeaseDuration + TimeSpan.FromSeconds(2), LeaseDuration));

            Assert.Equal(["1"], (await second.LookupAsync(project.ProjectId, EntityType.Products, ["1", "2"])).Keys);
            Assert.Equal(["2"], (await second.GetPendingAsync(project.ProjectId, EntityType.Products)).Select(p => p.SourceId));
            TypeCheckpoint checkpoint = Assert.Single(await second.GetCheckpointsAsync(run.RunId));
            Assert.Equal("page-1", checkpoint.ResumeToken);
            Assert.Equal(new TypeCounters(1, 1, 0, 0, 0), checkpoint.Counters);
            Assert.Empty(await second.GetIssuesAsync(run.RunId));
            Assert.Empty(await second.GetDeferredLinksAsync(run.RunId, EntityType.Products));
            Assert.Equal(MigrationRunState.Pending, (await second.GetRunAsync(run.RunId))?.State);

            // The new holder commits as usual.
            CommitResult result = await second.CommitBatchAsync(Commit(project, run, current, "2") with { ResolvedPending = ["2"], AdvanceToken = true, ResumeToken = "page-2" });
            Assert.Equal(new CommitResult(1, 1m), result);
        }
        finally
        {
            await DisposeAllAsync([first, second]);
        }
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_LeaseRowLockedByAnotherTransaction_ReturnsNullWithoutWaiting()
    {
        ICheckpointStore store = schema.CreateStore();
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        await store.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration);

        // Another worker is in the middle of a transaction on the lease row (a commit's fence, or a claim).
        await using NpgsqlConnection connection = await PostgresServer.DataSource.OpenConnectionAsync();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await using (NpgsqlCommand lockRow = new($"SELECT 1 FROM \"{schema.Name}\".leases WHERE run_id = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = run.RunId });
            await lockRow.ExecuteNonQueryAsync();
        }

        // SKIP LOCKED: the claim returns while the row is still locked. Were it waiting for the lock, it could only finish after
        // the rollback below, so it would lose this race against a generous deadline (a liveness check, not a speed check).
        Task<RunLease?> claiming = store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + (2 * LeaseDuration), LeaseDuration).AsTask();
        Assert.Same(claiming, await Task.WhenAny(claiming, Task.Delay(TimeSpan.FromMinutes(1))));

        Assert.Null(await claiming);
        await transaction.RollbackAsync();
        Assert.NotNull(await store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + (2 * LeaseDuration), LeaseDuration));
    }

    [Fact]
    public async Task GetPendingAsync_CrashBetweenTargetWriteAndCommit_IntentSurvivesForANewStoreInstance()
    {
        ProjectRecord project = NewProject();
        RunRecord run = NewRun(project.ProjectId);
        SourceIdentity[] batch = [new(EntityType.Orders, "41", "#1041"), new(EntityType.Orders, "42", "#1042")];

        // The dying worker: records its intents, "writes" to the target, and is killed before the commit.
        ICheckpointStore dying = schema.CreateWorkerStore();
        await dying.EnsureProjectAsync(project);
        await dying.CreateRunAsync(run);
        RunLease lease = (await dying.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration))!;
        await dying.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Orders, batch, lease);
        await ((IAsyncDisposable)dying).DisposeAsync();

        // A new process on the same database.
        ICheckpointStore resumed = schema.CreateWorkerStore();
        try
        {
            IReadOnlyList<SourceIdentity> pending = await resumed.GetPendingAsync(project.ProjectId, EntityType.Orders);
            Assert.Equal(batch, pending.OrderBy(p => p.SourceId, StringComparer.Ordinal));
            Assert.Null(await resumed.TryAcquireLeaseAsync(run.RunId, "worker-b", T0.AddSeconds(30), LeaseDuration));

            RunLease takeover = (await resumed.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + LeaseDuration, LeaseDuration))!;
            CommitResult adopted = await resumed.CommitBatchAsync(new BatchCommit
            {
                ProjectId = project.ProjectId,
                RunId = run.RunId,
                Type = EntityType.Orders,
                Lease = takeover,
                Mappings = [.. batch.Select(i => Mapping(run.RunId, i.SourceId) with { Type = EntityType.Orders, Points = 0.8m })],
                ResolvedPending = [.. batch.Select(i => i.SourceId)],
                Counters = new TypeCounters(2, 2, 0, 0, 0),
            });

            Assert.Equal(new CommitResult(2, 1.6m), adopted);
            Assert.Empty(await resumed.GetPendingAsync(project.ProjectId, EntityType.Orders));
        }
        finally
        {
            await DisposeAllAsync([resumed]);
        }
    }

    [Fact]
    public async Task LookupAsync_MoreIdsThanOneQuery_FindsEveryRow()
    {
        ICheckpointStore store = schema.CreateStore();
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        const int Rows = PostgreSqlStore.LookupBatchSize + 500;
        for (int i = 0; i < Rows; i += 1000)
        {
            await store.CommitBatchAsync(new BatchCommit
            {
                ProjectId = project.ProjectId,
                RunId = run.RunId,
                Type = EntityType.Customers,
                Mappings = [.. Enumerable.Range(i, Math.Min(1000, Rows - i)).Select(n => Mapping(run.RunId, Id(n)) with { Type = EntityType.Customers })],
            });
        }

        string[] wanted = [.. Enumerable.Range(0, Rows + 100).Select(Id)];
        IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync(project.ProjectId, EntityType.Customers, wanted);

        Assert.Equal(Rows, found.Count);
        Assert.Equal("t-" + Id(Rows - 1), found[Id(Rows - 1)].TargetId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task LookupAsync_ManyIdsWithDuplicates_FindsEveryRowOnceWhateverTheParallelism(int parallelism)
    {
        PostgreSqlCheckpointStoreOptions options = schema.Options;
        options.MaxLookupParallelism = parallelism;
        ICheckpointStore store = PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, options);
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        await store.CommitBatchAsync(new BatchCommit
        {
            ProjectId = project.ProjectId,
            RunId = run.RunId,
            Type = EntityType.Customers,
            Mappings = [.. Enumerable.Range(0, 2_500).Select(n => Mapping(run.RunId, Id(n)) with { Type = EntityType.Customers })],
        });

        string[] wanted = [.. Enumerable.Range(0, 3_500).Select(Id), "0", "1", "2499"];
        IReadOnlyDictionary<string, IdMapEntry> found = await store.LookupAsync(project.ProjectId, EntityType.Customers, wanted);

        Assert.Equal(2_500, found.Count);
        Assert.All(found, pair => Assert.Equal("t-" + pair.Key, pair.Value.TargetId));
        Assert.All(found, pair => Assert.Equal(run.RunId, pair.Value.RunId));
    }

    [Fact]
    public async Task ReadIdMapAsync_MoreRowsThanOnePage_ReturnsEveryEntityRowInOrdinalOrder()
    {
        ICheckpointStore store = schema.CreateStore();
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        string[] ids = [.. Enumerable.Range(0, (2 * PostgreSqlStore.ReadPageSize) + 7).Select(i => i % 3 == 0 ? "sku-" + Id(i) : i % 3 == 1 ? Id(i) : "É" + Id(i))];
        List<IdMapEntry> mappings = [.. ids.Select(id => Mapping(run.RunId, id))];
        mappings.AddRange(ids.Take(50).Select(id => Mapping(run.RunId, id + "/v1") with { IsChild = true }));
        await store.CommitBatchAsync(new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Products, Mappings = mappings });

        List<string> read = [];
        await foreach (IdMapEntry entry in store.ReadIdMapAsync(project.ProjectId, EntityType.Products))
        {
            read.Add(entry.SourceId);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), read);
    }

    [Fact]
    public async Task CommitBatchAsync_SameSourceIdTwiceInOneBatch_StoresTheLastAndChargesOnceLikeTheInMemoryStore()
    {
        ICheckpointStore store = schema.CreateStore();
        ProjectRecord project = await store.EnsureProjectAsync(NewProject());
        RunRecord run = NewRun(project.ProjectId);
        await store.CreateRunAsync(run);
        IdMapEntry first = Mapping(run.RunId, "7") with { Points = 2m };
        IdMapEntry second = Mapping(run.RunId, "7") with { TargetId = "t-7b", Points = 5m, FirstMigratedAt = T0.AddDays(1), LastUpdatedAt = T0.AddDays(1) };
        BatchCommit commit = new() { ProjectId = project.ProjectId, RunId = run.RunId, Type = EntityType.Products, Mappings = [first, second] };

        ICheckpointStore memory = CheckpointStore.CreateInMemory();
        await memory.EnsureProjectAsync(project);
        await memory.CreateRunAsync(run);
        CommitResult expected = await memory.CommitBatchAsync(commit);

        Assert.Equal(expected, await store.CommitBatchAsync(commit));
        Assert.Equal(
            (await memory.LookupAsync(project.ProjectId, EntityType.Products, ["7"]))["7"],
            (await store.LookupAsync(project.ProjectId, EntityType.Products, ["7"]))["7"]);
    }

    [Fact]
    public async Task HwmCompare_TrickyIds_OrdersLikeHighWaterMarkCompareTo()
    {
        await using PostgreSqlStore store = (PostgreSqlStore)schema.CreateStore();
        await store.EnsureReadyAsync(CancellationToken.None);

        await AssertOverTrickyMarkPairsAsync(
            $"\"{schema.Name}\".hwm_compare(a_at, a_id, b_at, b_id)",
            static reader => reader.GetInt32(0),
            static (a, b) => Math.Sign(a.CompareTo(b)));
    }

    [Fact]
    public async Task HighWaterMarkPrecedes_TrickyIds_OrdersLikeHighWaterMarkCompareTo()
    {
        // The commit statement writes hwm_compare's test out inline (StoreSql.HighWaterMarkPrecedes); it must agree with C#.
        await AssertOverTrickyMarkPairsAsync(
            StoreSql.HighWaterMarkPrecedes("a_at", "a_id", "b_at", "b_id"),
            static reader => reader.GetBoolean(0),
            static (a, b) => a.CompareTo(b) < 0);
    }

    [Fact]
    public async Task CommitBatch_AfterTheFirstAnalyzeMark_GathersStatisticsSoLookupsUseTheSourceIdIndex()
    {
        string name = PostgresSchema.NewName();
        try
        {
            await using PostgreSqlStore store = (PostgreSqlStore)PostgreSqlCheckpointStore.Create(PostgresServer.DataSource, new() { SchemaName = name });
            ProjectRecord project = await store.EnsureProjectAsync(NewProject());
            RunRecord run = NewRun(project.ProjectId);
            await store.CreateRunAsync(run);
            RunLease lease = (await store.TryAcquireLeaseAsync(run.RunId, "w1", T0, LeaseDuration))!;
            int rows = (int)PostgreSqlStore.FirstAnalyzeRows;
            await store.CommitBatchAsync(Commit(project, run, lease, "first") with
            {
                Mappings = [.. Enumerable.Range(0, rows).Select(i => Mapping(run.RunId, Id(i)))],
                Counters = new TypeCounters(rows, rows, 0, 0, 0),
            });

            // The next write finds the mark reached and analyzes first.
            await store.CommitBatchAsync(Commit(project, run, lease, "next"));

            await using NpgsqlCommand reltuples = PostgresServer.DataSource.CreateCommand($"SELECT reltuples::bigint FROM pg_class WHERE oid = '\"{name}\".id_map'::regclass");
            Assert.True((long)(await reltuples.ExecuteScalarAsync())! >= rows);
            string plan = await ExplainGenericLookupAsync(name, project.ProjectId);
            Assert.Contains("Index Cond: ((project_key = $1) AND (entity_type = $2) AND (source_id = ANY ($3)))", plan, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresSchema.DropAsync(name);
        }
    }

    /// <summary>Explains the store's lookup as a prepared statement's generic plan, the plan it keeps after five runs.</summary>
    private static async Task<string> ExplainGenericLookupAsync(string name, string projectId)
    {
        await using NpgsqlConnection connection = await PostgresServer.DataSource.OpenConnectionAsync();
        int projectKey;
        await using (NpgsqlCommand key = new(new StoreSql(name).GetProjectKey, connection))
        {
            key.Parameters.Add(new NpgsqlParameter { Value = projectId });
            projectKey = (int)(await key.ExecuteScalarAsync())!;
        }

        await using (NpgsqlCommand setup = new($"SET plan_cache_mode = force_generic_plan; PREPARE lookup(integer, smallint, text[]) AS {new StoreSql(name).Lookup}", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using NpgsqlCommand explain = new($"EXPLAIN EXECUTE lookup({projectKey}, {(short)EntityType.Products}, ARRAY['1', '2', '3'])", connection);
        await using NpgsqlDataReader reader = await explain.ExecuteReaderAsync();
        List<string> lines = [];
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static async Task DisposeAllAsync(IEnumerable<ICheckpointStore> stores)
    {
        foreach (ICheckpointStore store in stores)
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
    }

    private static ProjectRecord NewProject() => new("project-" + Guid.NewGuid().ToString("N"), "woocommerce", "shopify") { CreatedAt = T0 };

    private static RunRecord NewRun(string projectId)
        => new() { RunId = "run-" + Guid.NewGuid().ToString("N"), ProjectId = projectId, Mode = MigrationMode.Full, State = MigrationRunState.Pending, CreatedAt = T0 };

    private static IdMapEntry Mapping(string runId, string sourceId)
        => new() { Type = EntityType.Products, SourceId = sourceId, TargetId = "t-" + sourceId, RunId = runId, Points = 1m, FirstMigratedAt = T0, LastUpdatedAt = T0 };

    private static BatchCommit Commit(ProjectRecord project, RunRecord run, RunLease lease, string sourceId) => new()
    {
        ProjectId = project.ProjectId,
        RunId = run.RunId,
        Type = EntityType.Products,
        Lease = lease,
        Mappings = [Mapping(run.RunId, sourceId)],
        Counters = new TypeCounters(1, 1, 0, 0, 0),
    };

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string sql)
    {
        await using NpgsqlCommand command = PostgresServer.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<int>> ReadVersionsAsync(string name)
    {
        List<int> versions = [];
        await using NpgsqlCommand command = PostgresServer.DataSource.CreateCommand($"SELECT version FROM \"{name}\".schema_version ORDER BY version");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<List<string>> ReadObjectsAsync(string name)
    {
        List<string> objects = [];
        await using NpgsqlCommand command = PostgresServer.DataSource.CreateCommand(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            objects.Add(reader.GetString(0));
        }

        return objects;
    }

    /// <summary>
    /// Evaluates a SQL expression over <c>a_at, a_id, b_at, b_id</c> for every pair of high-water marks built from tricky
    /// ids (integers with leading zeros, past 64 bits, signs, spaces, non-ASCII digits, combining marks) at three instants,
    /// and asserts that each result equals the C# one.
    /// </summary>
    private static async Task AssertOverTrickyMarkPairsAsync<T>(string expression, Func<NpgsqlDataReader, T> read, Func<HighWaterMark, HighWaterMark, T> expected)
    {
        string[] ids =
        [
            "0", "00", "1", "01", "9", "10", "007", "9223372036854775807", "09223372036854775807", "9223372036854775808",
            "18446744073709551616", "-1", "+1", " 1", "1 ", "1\n", string.Empty, "a", "A", "b", "abc", "abd", "é", "e\u0301", "１", "٣", "1a",
        ];
        DateTimeOffset[] times = [T0, T0.AddTicks(10), T0.AddSeconds(1)];
        List<(DateTimeOffset At, string Id)> marks = [.. times.SelectMany(t => ids.Select(id => (t, id)))];
        DateTime[] aAt = [.. marks.SelectMany(a => marks.Select(_ => a.At.UtcDateTime))];
        string[] aId = [.. marks.SelectMany(a => marks.Select(_ => a.Id))];
        DateTime[] bAt = [.. marks.SelectMany(_ => marks.Select(b => b.At.UtcDateTime))];
        string[] bId = [.. marks.SelectMany(_ => marks.Select(b => b.Id))];

        await using NpgsqlCommand command = PostgresServer.DataSource.CreateCommand(
            $"SELECT {expression} FROM unnest($1::timestamptz[], $2::text[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS u(a_at, a_id, b_at, b_id, ord) ORDER BY ord");
        command.Parameters.Add(new NpgsqlParameter { Value = aAt });
        command.Parameters.Add(new NpgsqlParameter { Value = aId });
        command.Parameters.Add(new NpgsqlParameter { Value = bAt });
        command.Parameters.Add(new NpgsqlParameter { Value = bId });
        List<T> sql = [];
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sql.Add(read(reader));
            }
        }

        Assert.Equal(aAt.Length, sql.Count);
        for (int i = 0; i < sql.Count; i++)
        {
            T want = expected(new HighWaterMark(aAt[i], aId[i]), new HighWaterMark(bAt[i], bId[i]));
            Assert.True(EqualityComparer<T>.Default.Equals(want, sql[i]), $"({aAt[i]:O}, '{aId[i]}') vs ({bAt[i]:O}, '{bId[i]}'): C# {want}, SQL {sql[i]}.");
        }
    }
}
