using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using Xunit;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>
/// End-to-end scenarios of the migration engine over a checkpoint store: every mode, re-runs, crash recovery at every
/// pipeline stage, Entity Points limits and failure isolation. Subclass it with a store to prove the engine's guarantees
/// hold on that store; xunit runs every inherited scenario.
/// </summary>
/// <remarks>
/// Each scenario uses the in-memory source and target over a generated sample store, and a project id of its own, so a
/// store that shares one database across scenarios passes too. Crashes are modelled at the engine's boundaries: after a
/// page is read, after a batch's intents are recorded, after the target applied a write but before its commit, and after a
/// commit. From that instant the dying engine reaches neither the store nor the connectors, as if its process was killed;
/// a new engine instance on the same store then resumes the run once the dead one's lease has expired.
/// </remarks>
public abstract class EngineScenarioTests : IAsyncLifetime
{
    private static readonly AsyncLocal<StrongBox<int>?> CancellationsInFlow = new();

    private readonly List<ICheckpointStore> _stores = [];

    /// <summary>Creates the store a scenario runs on.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ICheckpointStore> CreateStoreAsync();

    /// <summary>Releases a store created by <see cref="CreateStoreAsync"/>.</summary>
    /// <param name="store">The store.</param>
    /// <returns>A task that completes when released.</returns>
    protected virtual Task DisposeStoreAsync(ICheckpointStore store) => StoreDisposal.DisposeAsync(store);

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        foreach (ICheckpointStore store in _stores)
        {
            await DisposeStoreAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>Scenario <c>ResumeAsync</c>, after a crash at a stage: exactly once with references intact and points charged once.</summary>
    /// <param name="stage">Where the process dies.</param>
    /// <param name="type">The entity type being transferred when it dies.</param>
    /// <param name="occurrence">Which page or batch of that type (zero-based).</param>
    /// <returns>A task that completes when the scenario does.</returns>
    [Theory]
    [InlineData(CrashStage.AfterPageRead, EntityType.Categories, 0)]
    [InlineData(CrashStage.AfterPageRead, EntityType.Orders, 2)]
    [InlineData(CrashStage.AfterIntentRecorded, EntityType.Products, 1)]
    [InlineData(CrashStage.AfterIntentRecorded, EntityType.Orders, 5)]
    [InlineData(CrashStage.AfterTargetWrite, EntityType.Products, 2)]
    [InlineData(CrashStage.AfterTargetWrite, EntityType.Customers, 0)]
    [InlineData(CrashStage.AfterTargetWrite, EntityType.Orders, 7)]
    [InlineData(CrashStage.AfterCommit, EntityType.Orders, 3)]
    [InlineData(CrashStage.AfterCommit, EntityType.Redirects, 0)]
    public async Task ResumeAsync_AfterCrashAtStage_ExactlyOnceWithReferencesIntact(CrashStage stage, EntityType type, int occurrence)
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        ProcessKill kill = new(stage, type, occurrence);
        MigrationProject dying = new(h.Project.ProjectId, new CrashingSource(h.Source, kill), new CrashingTarget(h.Target, kill));
        MigrationManager first = h.CreateManager(new CrashingStore(h.Checkpoints, kill));

        MigrationOperation crashed = await first.StartAsync(dying, EngineHarness.Options()).ConfigureAwait(false);
        await Assert.ThrowsAnyAsync<Exception>(() => crashed.WaitForCompletionAsync()).ConfigureAwait(false);

        Assert.True(kill.Killed, "The crash point was never reached.");
        Assert.Equal(MigrationRunState.Running, (await h.Checkpoints.GetRunAsync(crashed.RunId).ConfigureAwait(false))!.State);

        MigrationManager second = h.CreateManager(time: EngineHarness.AnHourLater());
        MigrationOperation resumed = await second.ResumeAsync(h.Project, crashed.RunId).ConfigureAwait(false);
        MigrationReport report = await resumed.WaitForCompletionAsync().ConfigureAwait(false);

        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
        await h.AssertEachRecordCountedOnceAsync(report).ConfigureAwait(false);
        decimal expectedPoints = h.Store.Count(EntityType.Products) + (0.5m * (h.Store.Count(EntityType.Customers) - report.Failures.Count))
            + (0.8m * h.Store.Count(EntityType.Orders)) + (0.6m * h.Store.Count(EntityType.BlogPosts));
        Assert.Equal(expectedPoints, report.Points.Charged);
    }

    /// <summary>
    /// Scenario <c>ResumeAsync</c>, a second Full run over the products (the first 50 changed, written in several batches of a
    /// page; the rest unchanged, skipped) killed after its first commit, before that page's resume token moved: the resumed
    /// run reads the page again, and still counts each product once.
    /// </summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task ResumeAsync_SecondFullRunKilledMidPage_EachRecordCountedOnce()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);
        Product[] products = [.. h.Store.Get<Product>()];
        Assert.True(products.Length > 50, $"The scenario needs more than 50 products; the sample has {products.Length}.");
        SampleStore changed = h.Store;
        foreach (Product product in products.Take(50))
        {
            changed = changed.Mutate<Product>(product.SourceId, p => p with { Name = p.Name + " (new)" });
        }

        h.ReplaceStore(changed);
        ProcessKill kill = new(CrashStage.AfterCommit, EntityType.Products, 0);
        MigrationProject dying = new(h.Project.ProjectId, new CrashingSource(h.Source, kill), new CrashingTarget(h.Target, kill));
        MigrationOperation crashed = await h.CreateManager(new CrashingStore(h.Checkpoints, kill)).StartAsync(dying, EngineHarness.Options()).ConfigureAwait(false);
        await Assert.ThrowsAnyAsync<Exception>(() => crashed.WaitForCompletionAsync()).ConfigureAwait(false);
        Assert.True(kill.Killed, "The crash point was never reached.");

        MigrationOperation resumed = await h.CreateManager(time: EngineHarness.AnHourLater()).ResumeAsync(h.Project, crashed.RunId).ConfigureAwait(false);
        MigrationReport report = await resumed.WaitForCompletionAsync().ConfigureAwait(false);

        await h.AssertEachRecordCountedOnceAsync(report).ConfigureAwait(false);
        EntityReport counted = report.Entities.Single(e => e.Type == EntityType.Products);
        Assert.Equal((products.Length, 0L, 50L, products.Length - 50L), (counted.Total, counted.Migrated, counted.Updated, counted.Skipped));
    }

    /// <summary>Scenario <c>ResumeAsync</c>, while the dead engine's lease is still valid: refused.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task ResumeAsync_LeaseStillHeld_Refused()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        ProcessKill kill = new(CrashStage.AfterCommit, EntityType.Products, 0);
        MigrationOperation crashed = await h.CreateManager(new CrashingStore(h.Checkpoints, kill)).StartAsync(h.Project, EngineHarness.Options()).ConfigureAwait(false);
        await Assert.ThrowsAnyAsync<Exception>(() => crashed.WaitForCompletionAsync()).ConfigureAwait(false);

        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.CreateManager().ResumeAsync(h.Project, crashed.RunId)).ConfigureAwait(false);

        Assert.Contains("another worker", ex.Message, StringComparison.Ordinal);
    }

    private async Task<EngineHarness> NewHarnessAsync()
    {
        ICheckpointStore store = await CreateStoreAsync().ConfigureAwait(false);
        _stores.Add(store);
        return new EngineHarness(store);
    }


    /// <summary>Scenario <c>StartAsync</c>, Full mode: Every record once with references intact.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_FullMode_EveryRecordOnceWithReferencesIntact()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
        foreach (EntityReport entity in report.Entities.Where(e => e.Type != EntityType.Redirects))
        {
            Assert.Equal(h.Store.Count(entity.Type), entity.Migrated + entity.Failed);
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Full mode: Deferred links resolve child before parent and forward links.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_FullMode_DeferredLinksResolveChildBeforeParentAndForwardLinks()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.NotEmpty(h.EdgeCases.ChildBeforeParentCategoryIds);
        foreach (string id in h.EdgeCases.ChildBeforeParentCategoryIds)
        {
            Category source = h.Store.Find<Category>(id)!;
            InMemoryTargetEntry child = Assert.Single(h.Target.FindBySourceId(EntityType.Categories, id));
            InMemoryTargetEntry parent = Assert.Single(h.Target.FindBySourceId(EntityType.Categories, source.ParentId!));
            Assert.Equal(parent.TargetId, child.References[new EntityRef(EntityType.Categories, source.ParentId!)]);
        }

        Assert.NotEmpty(h.EdgeCases.ForwardLinkedProductIds);
        foreach (string id in h.EdgeCases.ForwardLinkedProductIds)
        {
            Product source = h.Store.Find<Product>(id)!;
            InMemoryTargetEntry product = Assert.Single(h.Target.FindBySourceId(EntityType.Products, id));
            foreach (string related in source.RelatedIds.Concat(source.UpsellIds).Concat(source.CrossSellIds).Where(r => h.Store.Find<Product>(r) is not null))
            {
                Assert.True(product.References.ContainsKey(EntityRef.Product(related)), $"Product {id} lost its link to {related}.");
            }
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Guest and deleted references: Orders kept with warnings.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_GuestAndDeletedReferences_OrdersKeptWithWarnings()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.NotEmpty(h.EdgeCases.GuestOrderIds);
        Assert.All(h.EdgeCases.GuestOrderIds, id => Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id)));
        Assert.NotEmpty(h.EdgeCases.DeletedCustomerOrderIds);
        foreach (string id in h.EdgeCases.DeletedCustomerOrderIds)
        {
            Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id));
            Assert.Contains(report.Warnings, w => w.EntityType == EntityType.Orders && w.SourceId == id && w.Message.Contains("customers:", StringComparison.Ordinal));
        }

        Assert.NotEmpty(h.EdgeCases.DeletedProductLineOrderIds);
        Assert.All(h.EdgeCases.DeletedProductLineOrderIds, id => Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id)));
    }

    /// <summary>Scenario <c>StartAsync</c>, Demo mode: Takes n per type with referenced records.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_DemoMode_TakesNPerTypeWithReferencedRecords()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        MigrationOptions options = EngineHarness.Options(MigrationMode.Demo);
        options.DemoSize = 5;

        MigrationReport report = await h.RunAsync(options).ConfigureAwait(false);

        Assert.Equal(5, h.Target.Count(EntityType.Pages));
        Assert.InRange(h.Target.Count(EntityType.Orders), 5, 5);
        Assert.True(h.Target.Count(EntityType.Products) >= 5);
        Assert.True(h.Target.Count(EntityType.Products) < h.Store.Count(EntityType.Products));
        Assert.DoesNotContain(report.Failures, f => f.Message.Contains("Required reference", StringComparison.Ordinal));

        // Every order's existing customer and products came along, so the relationships are intact.
        foreach (InMemoryTargetEntry order in h.Target.GetRecords(EntityType.Orders))
        {
            Order source = (Order)order.Entity;
            if (source.CustomerId is { } customerId && h.Store.Find<Customer>(customerId) is not null
                && !report.Failures.Any(f => f.EntityType == EntityType.Customers && f.SourceId == customerId))
            {
                Assert.True(order.References.ContainsKey(new EntityRef(EntityType.Customers, customerId)), $"Demo order {order.SourceId} lost its customer.");
            }
        }

        h.AssertReferencesIntact();
    }

    /// <summary>Scenario <c>StartAsync</c>, Rerun after full: Creates no duplicates.</summary>
    /// <param name="mode">The case.</param>
    /// <returns>A task that completes when the scenario does.</returns>
    [Theory]
    [InlineData(MigrationMode.Full)]
    [InlineData(MigrationMode.Remigration)]
    [InlineData(MigrationMode.SmartUpdate)]
    [InlineData(MigrationMode.Recent)]
    public async Task StartAsync_RerunAfterFull_CreatesNoDuplicates(MigrationMode mode)
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        MigrationReport first = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        MigrationReport second = await h.RunAsync(EngineHarness.Options(mode)).ConfigureAwait(false);

        Assert.True(second.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, second.Message);
        h.AssertExactlyOnce(first, EngineHarness.Migrated);
        h.AssertReferencesIntact();
        Assert.Equal(0m, second.Points.Charged);
        long created = second.Entities.Where(e => e.Type != EntityType.Redirects).Sum(e => e.Migrated);
        Assert.Equal(0, created);
        if (mode == MigrationMode.Remigration)
        {
            Assert.True(second.Entities.Single(e => e.Type == EntityType.Products).Updated == h.Store.Count(EntityType.Products));
        }
        else
        {
            Assert.Equal(0, second.Entities.Sum(e => e.Updated));
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Recent mode: Picks up new records sharing the high water timestamp.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_RecentMode_PicksUpNewRecordsSharingTheHighWaterTimestamp()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);
        DateTimeOffset highWater = h.Store.LatestCreatedAt(EntityType.Orders)!.Value;
        Order template = h.Store.Get<Order>().Last();
        string id1 = h.Store.NextSourceId(EntityType.Orders);
        SampleStore changed = h.Store.Add(template with { SourceId = id1, Number = "N-" + id1, CreatedAt = highWater, UpdatedAt = highWater });
        string id2 = changed.NextSourceId(EntityType.Orders);
        changed = changed.Add(template with { SourceId = id2, Number = "N-" + id2, CreatedAt = highWater, UpdatedAt = highWater });
        h.ReplaceStore(changed);

        MigrationReport recent = await h.RunAsync(EngineHarness.Options(MigrationMode.Recent)).ConfigureAwait(false);

        Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id1));
        Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id2));
        Assert.Equal(2, recent.Entities.Single(e => e.Type == EntityType.Orders).Migrated);
        Assert.Equal(1.6m, recent.Points.Charged);
        h.AssertExactlyOnce(recent, [EntityType.Orders, EntityType.Products]);
    }

    /// <summary>Scenario <c>StartAsync</c>, Smart update: Updates only changed records.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_SmartUpdate_UpdatesOnlyChangedRecords()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);
        string[] changedIds = h.Store.Get<Product>().Take(3).Select(p => p.SourceId).ToArray();
        SampleStore changed = h.Store;
        foreach (string id in changedIds)
        {
            changed = changed.Mutate<Product>(id, p => p with { Name = p.Name + " (new)", UpdatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        }

        h.ReplaceStore(changed);

        MigrationReport smart = await h.RunAsync(EngineHarness.Options(MigrationMode.SmartUpdate)).ConfigureAwait(false);

        EntityReport products = smart.Entities.Single(e => e.Type == EntityType.Products);
        Assert.Equal(3, products.Updated);
        Assert.Equal(0, products.Migrated);
        foreach (string id in changedIds)
        {
            Assert.EndsWith("(new)", ((Product)Assert.Single(h.Target.FindBySourceId(EntityType.Products, id)).Entity).Name, StringComparison.Ordinal);
        }
    }

    /// <summary>Scenario <c>EstimateAsync</c>, Fresh project: Applies weights per type.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task EstimateAsync_FreshProject_AppliesWeightsPerType()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        MigrationEstimate estimate = await h.CreateManager().EstimateAsync(h.Project, EngineHarness.Options()).ConfigureAwait(false);

        decimal expected = h.Store.Count(EntityType.Products) * 1.0m + h.Store.Count(EntityType.Customers) * 0.5m
            + h.Store.Count(EntityType.Orders) * 0.8m + h.Store.Count(EntityType.BlogPosts) * 0.6m;
        Assert.Equal(expected, estimate.ChargeablePoints);
        EntityEstimate customers = estimate.Entities.Single(e => e.Type == EntityType.Customers);
        Assert.Equal(h.Store.Count(EntityType.Customers), customers.Count);
        Assert.Equal(0.5m, customers.Weight);
        Assert.Equal(0, customers.AlreadyMigrated);
    }

    /// <summary>Scenario <c>EstimateAsync</c>, After full run: Already migrated is free.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task EstimateAsync_AfterFullRun_AlreadyMigratedIsFree()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        MigrationEstimate estimate = await h.CreateManager().EstimateAsync(h.Project, EngineHarness.Options(MigrationMode.Remigration)).ConfigureAwait(false);

        EntityEstimate products = estimate.Entities.Single(e => e.Type == EntityType.Products);
        Assert.Equal(products.Count, products.AlreadyMigrated);
        Assert.Equal(0m, products.ChargeablePoints);
    }

    /// <summary>Scenario <c>StartAsync</c>, Block policy over limit: Refuses before writing.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_BlockPolicyOverLimit_RefusesBeforeWriting()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        MigrationOptions options = EngineHarness.Options();
        options.PlanLimit = 10;

        PlanLimitExceededException ex = await Assert.ThrowsAsync<PlanLimitExceededException>(() => h.CreateManager().StartAsync(h.Project, options)).ConfigureAwait(false);

        Assert.Equal(10m, ex.PlanLimit);
        Assert.True(ex.ChargeablePoints > 10m);
        Assert.Contains(ex.ChargeablePoints.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
    }

    /// <summary>Scenario <c>StartAsync</c>, Migrate until limit: Stops over limit then continues after raise.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_MigrateUntilLimit_StopsOverLimitThenContinuesAfterRaise()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        MigrationOptions options = EngineHarness.Options();
        options.Entities = new HashSet<EntityType> { EntityType.Categories, EntityType.Products, EntityType.Customers };
        options.PlanLimit = 25;
        options.LimitPolicy = LimitPolicy.MigrateUntilLimit;
        MigrationManager manager = h.CreateManager();

        MigrationOperation run = await manager.StartAsync(h.Project, options).ConfigureAwait(false);
        MigrationReport limited = await run.WaitForCompletionAsync().ConfigureAwait(false);

        Assert.Equal(MigrationRunState.OverLimit, limited.Status);
        Assert.Equal(25m, limited.Points.Charged);
        Assert.Equal(25, h.Target.Count(EntityType.Products));
        Assert.Equal(0, h.Target.Count(EntityType.Customers));

        // Products are charged oldest first.
        string[] oldest = h.Store.Get<Product>().Take(25).Select(p => p.SourceId).ToArray();
        Assert.All(oldest, id => Assert.Equal(1, h.Target.CountBySourceId(EntityType.Products, id)));

        options.PlanLimit = 10_000;
        MigrationOperation resumed = await manager.ResumeAsync(h.Project, run.RunId, options).ConfigureAwait(false);
        MigrationReport done = await resumed.WaitForCompletionAsync().ConfigureAwait(false);

        Assert.True(done.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, done.Message);
        h.AssertExactlyOnce(done, [EntityType.Categories, EntityType.Products, EntityType.Customers]);
        decimal expected = h.Store.Count(EntityType.Products) + (0.5m * (h.Store.Count(EntityType.Customers) - done.Entities.Single(e => e.Type == EntityType.Customers).Failed));
        Assert.Equal(expected, done.Points.Charged);
    }

    /// <summary>Scenario <c>StartAsync</c>, Rejected records: Fail alone and the rest lands.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_RejectedRecords_FailAloneAndTheRestLands()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        string[] rejected = h.Store.Get<Product>().Where((_, i) => i % 7 == 3).Select(p => p.SourceId).ToArray();
        h.Target.RejectRecord = e => e is Product && rejected.Contains(e.SourceId) ? "Title can't be blank" : null;

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        foreach (string id in rejected)
        {
            RecordIssue failure = Assert.Single(report.Failures, f => f.EntityType == EntityType.Products && f.SourceId == id);
            Assert.Equal(FailureCategory.Validation, failure.Category);
            Assert.Contains("Title can't be blank", failure.Message, StringComparison.Ordinal);
        }

        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
    }

    /// <summary>Scenario <c>StartAsync</c>, Whole batch rejected: Splits to isolate the bad record.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_WholeBatchRejected_SplitsToIsolateTheBadRecord()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        string bad = h.Store.Get<Product>().ElementAt(10).SourceId;
        h.Target.RejectBatchWhen = e => e.SourceId == bad && e is Product;
        MigrationOptions options = EngineHarness.Options();
        options.Entities = new HashSet<EntityType> { EntityType.Categories, EntityType.Manufacturers, EntityType.Products };

        MigrationReport report = await h.RunAsync(options).ConfigureAwait(false);

        RecordIssue failure = Assert.Single(report.Failures);
        Assert.Equal(bad, failure.SourceId);
        Assert.Equal(h.Store.Count(EntityType.Products) - 1, h.Target.Count(EntityType.Products));
    }

    /// <summary>Scenario <c>StartAsync</c>, Transient failures: Retried without duplicates.</summary>
    /// <param name="timing">The case.</param>
    /// <returns>A task that completes when the scenario does.</returns>
    [Theory]
    [InlineData(TransientFailureTiming.BeforeWrite)]
    [InlineData(TransientFailureTiming.AfterWrite)]
    public async Task StartAsync_TransientFailures_RetriedWithoutDuplicates(TransientFailureTiming timing)
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.TransientFailureRate = 0.3;
        h.Target.TransientFailureTiming = timing;

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.True(h.Target.InjectedFailures > 0);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
    }

    /// <summary>
    /// Scenario <c>StartAsync</c>, a batch of creates that landed but whose response was lost: the records are adopted, written again
    /// as updates of the records found (never created twice), and counted as migrated, not updated.
    /// </summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_LostResponseOfCreates_AdoptedCompletedAsUpdatesAndCountedAsMigrated()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.FailBatch = (type, index) => type == EntityType.Products && index == 0 ? TransientFailureTiming.AfterWrite : null;

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.Equal(1, h.Target.InjectedFailures);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
        EntityReport products = Assert.Single(report.Entities, e => e.Type == EntityType.Products);
        Assert.Equal(0, products.Updated);
        Assert.Equal(h.Target.Count(EntityType.Products), products.Migrated);
    }

    /// <summary>Scenario <c>StartAsync</c>, Authentication failure: Fails fast with clear error.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_AuthenticationFailure_FailsFastWithClearError()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.AuthenticationFailure = true;
        MigrationManager manager = h.CreateManager();

        MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(() => manager.StartAsync(h.Project, EngineHarness.Options())).ConfigureAwait(false);

        Assert.Equal(FailureCategory.Authentication, ex.Category);
        Assert.StartsWith("Target 'memory':", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
        IReadOnlyList<RunRecord> runs = await h.Checkpoints.ListRunsAsync(h.Project.ProjectId).ConfigureAwait(false);
        Assert.Equal(MigrationRunState.Failed, Assert.Single(runs).State);
    }

    /// <summary>Scenario <c>StartAsync</c>, Unmapped order status: Blocks start listing every value.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_UnmappedOrderStatus_BlocksStartListingEveryValue()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        SampleStore custom = h.Store.Mutate<Order>(h.Store.Get<Order>().ElementAt(0).SourceId, o => o with { Status = "wc-shipped" })
            .Mutate<Order>(h.Store.Get<Order>().ElementAt(1).SourceId, o => o with { Status = "wc-awaiting" });
        h.ReplaceStore(custom);

        MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(() => h.CreateManager().StartAsync(h.Project, EngineHarness.Options())).ConfigureAwait(false);

        Assert.Contains("'wc-awaiting', 'wc-shipped'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
    }

    /// <summary>Scenario <c>StartAsync</c>, Error budget exceeded: Run fails.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_ErrorBudgetExceeded_RunFails()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.RejectRecord = e => e is Product p && int.Parse(p.SourceId, System.Globalization.CultureInfo.InvariantCulture) % 5 == 0 ? "rejected" : null;
        MigrationOptions options = EngineHarness.Options();
        options.ErrorBudget = 2;

        MigrationReport report = await h.RunAsync(options).ConfigureAwait(false);

        Assert.Equal(MigrationRunState.Failed, report.Status);
        Assert.Contains("error budget of 2", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.Count(EntityType.Orders));
    }

    /// <summary>Scenario <c>StartAsync</c>, Stop on first failure: Run fails at the first rejected record.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_StopOnFirstFailure_RunFailsAtTheFirstRejectedRecord()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        string bad = h.Store.Get<Product>().ElementAt(4).SourceId;
        h.Target.RejectRecord = e => e is Product && e.SourceId == bad ? "rejected" : null;
        MigrationOptions options = EngineHarness.Options();
        options.ErrorMode = ErrorMode.StopOnFirstFailure;

        // Customers (with the sample store's duplicate e-mails) are left out so that the product is the first failure.
        options.Entities = new HashSet<EntityType> { EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Products, EntityType.Orders };

        MigrationReport report = await h.RunAsync(options).ConfigureAwait(false);

        Assert.Equal(MigrationRunState.Failed, report.Status);
        Assert.Contains($"products {bad} failed", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.Count(EntityType.Orders));
    }

    /// <summary>Scenario <c>StartAsync</c>, Unsupported type: Skipped with a warning per record, none failed.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_UnsupportedType_SkippedWithAWarningPerRecord()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        const string Reason = "The target has no review API.";
        h.Target.MarkUnsupported(EntityType.Reviews, Reason);
        long reviews = h.Store.Count(EntityType.Reviews);
        Assert.True(reviews > 0, "The sample store has no reviews to skip.");

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        // Architecture §7: a type the target lacks is skipped with a clear reason, not failed. (The sample store's
        // duplicate customer e-mails still fail on their own.)
        Assert.DoesNotContain(report.Failures, f => f.EntityType == EntityType.Reviews || f.Category == FailureCategory.Unsupported);
        Assert.Equal(0, h.Target.Count(EntityType.Reviews));
        EntityReport entity = Assert.Single(report.Entities, e => e.Type == EntityType.Reviews);
        Assert.Equal((reviews, reviews, 0L, 0L), (entity.Total, entity.Skipped, entity.Migrated, entity.Failed));
        Assert.Equal(reviews, Assert.Single(report.WarningCounts, w => w.Type == EntityType.Reviews).Count);
        RecordIssue[] examples = [.. report.Warnings.Where(w => w.EntityType == EntityType.Reviews)];
        Assert.Equal(Math.Min(reviews, MigrationReport.MaxWarningExamples), examples.Length);
        Assert.All(examples, w => Assert.Equal((FailureCategory.Unsupported, Reason, IssueSeverity.Warning), (w.Category, w.Message, w.Severity)));
        Assert.Equal(examples.Length, examples.Select(w => w.SourceId).Distinct(StringComparer.Ordinal).Count());

        // A re-run skips them again, still without errors and without writing them.
        MigrationReport again = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);
        Assert.DoesNotContain(again.Failures, f => f.EntityType == EntityType.Reviews);
        Assert.Equal(reviews, Assert.Single(again.Entities, e => e.Type == EntityType.Reviews).Skipped);
        Assert.Equal(0, h.Target.Count(EntityType.Reviews));
    }

    /// <summary>
    /// Scenario <c>StartAsync</c>, Completed run: No cancellation thrown on the way. Ending a run cancels its heartbeat and
    /// timed waits; a thrown and caught <see cref="OperationCanceledException"/> there cost a stack walk in every run.
    /// </summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_CompletedRun_ThrowsNoCancellationOnTheWay()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        // Counts the cancellations thrown in this scenario's asynchronous flow only (other tests run in parallel).
        StrongBox<int> thrown = new(0);
        List<string> seen = [];
        void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is OperationCanceledException && ReferenceEquals(CancellationsInFlow.Value, thrown))
            {
                lock (seen)
                {
                    thrown.Value++;
                    seen.Add($"{e.Exception.GetType().Name} at {e.Exception.StackTrace}");
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        try
        {
            CancellationsInFlow.Value = thrown;
            MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);
            CancellationsInFlow.Value = null;
            Assert.NotEqual(MigrationRunState.Failed, report.Status);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
        }

        lock (seen)
        {
            Assert.True(thrown.Value == 0, $"The run threw {thrown.Value} cancellations: {string.Join(" | ", seen)}");
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Create redirects: One redirect per changed product and category url.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_CreateRedirects_OneRedirectPerChangedProductAndCategoryUrl()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);

        MigrationReport report = await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        IReadOnlyList<InMemoryTargetEntry> redirects = h.Target.GetRecords(EntityType.Redirects);
        int generated = redirects.Count(r => r.SourceId.StartsWith("auto-", StringComparison.Ordinal));
        int expected = h.Target.GetRecords(EntityType.Products).Count(p => ((Product)p.Entity).Url is { } url && !SamePath(url, p.TargetUrl))
            + h.Target.GetRecords(EntityType.Categories).Count(c => ((Category)c.Entity).Url is { } url && !SamePath(url, c.TargetUrl));
        Assert.True(expected > 0);
        Assert.Equal(expected, generated);
        Assert.All(redirects.Where(r => r.SourceId.StartsWith("auto-", StringComparison.Ordinal)), r => Assert.False(string.IsNullOrEmpty(r.RedirectTo)));
        Assert.Equal(h.Store.Count(EntityType.Redirects) + generated, report.Entities.Single(e => e.Type == EntityType.Redirects).Migrated + report.Entities.Single(e => e.Type == EntityType.Redirects).Failed);

        static bool SamePath(string a, string? b) => string.Equals(a.TrimEnd('/'), b?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Scenario <c>PauseAsync</c>, Mid run: Commits then resume completes exactly once.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task PauseAsync_MidRun_CommitsThenResumeCompletesExactlyOnce()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.BatchLatency = TimeSpan.FromMilliseconds(5);
        MigrationManager manager = h.CreateManager();
        MigrationOperation run = await manager.StartAsync(h.Project, EngineHarness.Options()).ConfigureAwait(false);
        await foreach (MigrationProgress progress in run.WatchAsync().ConfigureAwait(false))
        {
            if (progress.Entities.Sum(e => e.Counters.Processed) > 30)
            {
                break;
            }
        }

        await run.PauseAsync().ConfigureAwait(false);

        Assert.Equal(MigrationRunState.Paused, run.Status);
        Assert.Equal(MigrationRunState.Paused, (await h.Checkpoints.GetRunAsync(run.RunId).ConfigureAwait(false))!.State);

        await run.ResumeAsync().ConfigureAwait(false);
        MigrationReport report = await run.WaitForCompletionAsync().ConfigureAwait(false);
        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertExactlyOnce(report, EngineHarness.Migrated);
        h.AssertReferencesIntact();
    }

    /// <summary>
    /// Scenario <c>RequestStopAsync</c>, from another process (only the store is shared): the executing manager notices the
    /// request on its heartbeat, commits its in-flight batches and stops Paused or Cancelled, clearing the request; a paused
    /// run then resumes to completion with every record exactly once.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>A task that completes when the scenario does.</returns>
    [Theory]
    [InlineData(RunStopRequest.Pause)]
    [InlineData(RunStopRequest.Cancel)]
    public async Task RequestStopAsync_ThroughTheStoreMidRun_StopsWithACommittedCheckpoint(RunStopRequest request)
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.BatchLatency = TimeSpan.FromMilliseconds(5);
        MigrationManagerOptions options = EngineHarness.FastRetries();
        options.StopRequestPollInterval = TimeSpan.FromMilliseconds(20);
        using var noticed = new StopRequestListener();
        MigrationManager manager = new(h.Checkpoints, options, noticed);
        MigrationOperation run = await manager.StartAsync(h.Project, EngineHarness.Options()).ConfigureAwait(false);
        await foreach (MigrationProgress progress in run.WatchAsync().ConfigureAwait(false))
        {
            if (progress.Entities.Sum(e => e.Counters.Processed) > 30)
            {
                break;
            }
        }

        // Hold every later write until the engine has seen the request, so the run cannot finish first on a slow machine.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Target.BeforeWrite = (_, cancellationToken) => release.Task.WaitAsync(cancellationToken);

        // What another process does: it holds no operation, only the store.
        Assert.True(await h.Checkpoints.RequestStopAsync(run.RunId, request).ConfigureAwait(false));
        await noticed.Seen.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        release.SetResult();
        MigrationReport stopped = await run.WaitForCompletionAsync().ConfigureAwait(false);
        h.Target.BeforeWrite = null;

        MigrationRunState expected = request == RunStopRequest.Cancel ? MigrationRunState.Cancelled : MigrationRunState.Paused;
        Assert.Equal(expected, stopped.Status);
        RunRecord record = (await h.Checkpoints.GetRunAsync(run.RunId).ConfigureAwait(false))!;
        Assert.Equal(expected, record.State);
        Assert.Contains("another process", record.Message, StringComparison.Ordinal);
        Assert.Equal(RunStopRequest.None, await h.Checkpoints.GetStopRequestAsync(run.RunId).ConfigureAwait(false));
        IReadOnlyList<TypeCheckpoint> checkpoints = await h.Checkpoints.GetCheckpointsAsync(run.RunId).ConfigureAwait(false);
        Assert.True(checkpoints.Sum(c => c.Counters.Processed) > 30);
        // Types not started have no checkpoint yet, and a small type already read completes with its in-flight batches.
        int completed = checkpoints.Count(c => c.Completed && EngineHarness.Migrated.Contains(c.Type));
        Assert.True(completed < EngineHarness.Migrated.Count, $"{completed} of {EngineHarness.Migrated.Count} types completed although the run stopped early.");

        if (request == RunStopRequest.Pause)
        {
            await run.ResumeAsync().ConfigureAwait(false);
            MigrationReport report = await run.WaitForCompletionAsync().ConfigureAwait(false);
            Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
            h.AssertExactlyOnce(report, EngineHarness.Migrated);
            h.AssertReferencesIntact();
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Progress callback: Reports counts and final state.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_ProgressCallback_ReportsCountsAndFinalState()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        List<MigrationProgress> seen = [];
        MigrationOptions options = EngineHarness.Options();
        options.Progress = new SynchronousProgress(p => { lock (seen) { seen.Add(p); } });

        MigrationReport report = await h.RunAsync(options).ConfigureAwait(false);

        lock (seen)
        {
            Assert.Contains(seen, p => p.State == MigrationRunState.Running);
            MigrationProgress last = seen[^1];
            Assert.Equal(report.Status, last.State);
            Assert.Equal(h.Store.Count(EntityType.Products), last.Entities.Single(e => e.Type == EntityType.Products).Counters.Created);
            Assert.True(last.PointsCharged > 0);
        }
    }

    /// <summary>Scenario <c>StartAsync</c>, Target concurrency limit: Never exceeded.</summary>
    /// <returns>A task that completes when the scenario does.</returns>
    [Fact]
    public async Task StartAsync_TargetConcurrencyLimit_NeverExceeded()
    {
        EngineHarness h = await NewHarnessAsync().ConfigureAwait(false);
        h.Target.BatchLatency = TimeSpan.FromMilliseconds(2);
        h.Target.DefaultLimits = new TargetLimits { MaxBatchSize = 10, MaxConcurrency = 3 };

        await h.RunAsync(EngineHarness.Options()).ConfigureAwait(false);

        Assert.InRange(h.Target.MaxObservedConcurrency, 2, 3);
    }

    /// <summary>A logger factory that completes <see cref="Seen"/> when the engine logs that it saw a stop request.</summary>
    private sealed class StopRequestListener : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == MigrationEventId.StopRequested)
            {
                _seen.TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class SynchronousProgress(Action<MigrationProgress> handler) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => handler(value);
    }
}
