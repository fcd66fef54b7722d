using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Tests.Engine;

public class MigrationManagerTests
{
    private static readonly EntityType[] Migrated = EntityTypes.All.Where(t => t != EntityType.Redirects).ToArray();

    [Fact]
    public async Task StartAsync_FullMode_EveryRecordOnceWithReferencesIntact()
    {
        EngineHarness h = new();

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, Migrated);
        h.AssertReferencesIntact();
        foreach (EntityReport entity in report.Entities.Where(e => e.Type != EntityType.Redirects))
        {
            Assert.Equal(h.Store.Count(entity.Type), entity.Migrated + entity.Failed);
        }
    }

    [Fact]
    public async Task StartAsync_FullMode_DeferredLinksResolveChildBeforeParentAndForwardLinks()
    {
        EngineHarness h = new();

        await h.RunAsync(EngineHarness.Options());

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

    [Fact]
    public async Task StartAsync_GuestAndDeletedReferences_OrdersKeptWithWarnings()
    {
        EngineHarness h = new();

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

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

    [Fact]
    public async Task StartAsync_DemoMode_TakesNPerTypeWithReferencedRecords()
    {
        EngineHarness h = new();
        MigrationOptions options = EngineHarness.Options(MigrationMode.Demo);
        options.DemoSize = 5;

        MigrationReport report = await h.RunAsync(options);

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

    [Theory]
    [InlineData(MigrationMode.Full)]
    [InlineData(MigrationMode.Remigration)]
    [InlineData(MigrationMode.SmartUpdate)]
    [InlineData(MigrationMode.Recent)]
    public async Task StartAsync_RerunAfterFull_CreatesNoDuplicates(MigrationMode mode)
    {
        EngineHarness h = new();
        MigrationReport first = await h.RunAsync(EngineHarness.Options());

        MigrationReport second = await h.RunAsync(EngineHarness.Options(mode));

        Assert.True(second.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, second.Message);
        h.AssertExactlyOnce(first, Migrated);
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

    [Fact]
    public async Task StartAsync_RecentMode_PicksUpNewRecordsSharingTheHighWaterTimestamp()
    {
        EngineHarness h = new();
        await h.RunAsync(EngineHarness.Options());
        DateTimeOffset highWater = h.Store.LatestCreatedAt(EntityType.Orders)!.Value;
        Order template = h.Store.Get<Order>().Last();
        string id1 = h.Store.NextSourceId(EntityType.Orders);
        SampleStore changed = h.Store.Add(template with { SourceId = id1, Number = "N-" + id1, CreatedAt = highWater, UpdatedAt = highWater });
        string id2 = changed.NextSourceId(EntityType.Orders);
        changed = changed.Add(template with { SourceId = id2, Number = "N-" + id2, CreatedAt = highWater, UpdatedAt = highWater });
        h.ReplaceStore(changed);

        MigrationReport recent = await h.RunAsync(EngineHarness.Options(MigrationMode.Recent));

        Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id1));
        Assert.Equal(1, h.Target.CountBySourceId(EntityType.Orders, id2));
        Assert.Equal(2, recent.Entities.Single(e => e.Type == EntityType.Orders).Migrated);
        Assert.Equal(1.6m, recent.Points.Charged);
        h.AssertExactlyOnce(recent, [EntityType.Orders, EntityType.Products]);
    }

    [Fact]
    public async Task StartAsync_SmartUpdate_UpdatesOnlyChangedRecords()
    {
        EngineHarness h = new();
        await h.RunAsync(EngineHarness.Options());
        string[] changedIds = h.Store.Get<Product>().Take(3).Select(p => p.SourceId).ToArray();
        SampleStore changed = h.Store;
        foreach (string id in changedIds)
        {
            changed = changed.Mutate<Product>(id, p => p with { Name = p.Name + " (new)", UpdatedAt = DateTimeOffset.UtcNow.AddDays(1) });
        }

        h.ReplaceStore(changed);

        MigrationReport smart = await h.RunAsync(EngineHarness.Options(MigrationMode.SmartUpdate));

        EntityReport products = smart.Entities.Single(e => e.Type == EntityType.Products);
        Assert.Equal(3, products.Updated);
        Assert.Equal(0, products.Migrated);
        foreach (string id in changedIds)
        {
            Assert.EndsWith("(new)", ((Product)Assert.Single(h.Target.FindBySourceId(EntityType.Products, id)).Entity).Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EstimateAsync_FreshProject_AppliesWeightsPerType()
    {
        EngineHarness h = new();

        MigrationEstimate estimate = await h.CreateManager().EstimateAsync(h.Project, EngineHarness.Options());

        decimal expected = h.Store.Count(EntityType.Products) * 1.0m + h.Store.Count(EntityType.Customers) * 0.5m
            + h.Store.Count(EntityType.Orders) * 0.8m + h.Store.Count(EntityType.BlogPosts) * 0.6m;
        Assert.Equal(expected, estimate.ChargeablePoints);
        EntityEstimate customers = estimate.Entities.Single(e => e.Type == EntityType.Customers);
        Assert.Equal(h.Store.Count(EntityType.Customers), customers.Count);
        Assert.Equal(0.5m, customers.Weight);
        Assert.Equal(0, customers.AlreadyMigrated);
    }

    [Fact]
    public async Task EstimateAsync_AfterFullRun_AlreadyMigratedIsFree()
    {
        EngineHarness h = new();
        await h.RunAsync(EngineHarness.Options());

        MigrationEstimate estimate = await h.CreateManager().EstimateAsync(h.Project, EngineHarness.Options(MigrationMode.Remigration));

        EntityEstimate products = estimate.Entities.Single(e => e.Type == EntityType.Products);
        Assert.Equal(products.Count, products.AlreadyMigrated);
        Assert.Equal(0m, products.ChargeablePoints);
    }

    [Fact]
    public async Task StartAsync_BlockPolicyOverLimit_RefusesBeforeWriting()
    {
        EngineHarness h = new();
        MigrationOptions options = EngineHarness.Options();
        options.PlanLimit = 10;

        PlanLimitExceededException ex = await Assert.ThrowsAsync<PlanLimitExceededException>(() => h.CreateManager().StartAsync(h.Project, options));

        Assert.Equal(10m, ex.PlanLimit);
        Assert.True(ex.ChargeablePoints > 10m);
        Assert.Contains(ex.ChargeablePoints.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
    }

    [Fact]
    public async Task StartAsync_MigrateUntilLimit_StopsOverLimitThenContinuesAfterRaise()
    {
        EngineHarness h = new();
        MigrationOptions options = EngineHarness.Options();
        options.Entities = new HashSet<EntityType> { EntityType.Categories, EntityType.Products, EntityType.Customers };
        options.PlanLimit = 25;
        options.LimitPolicy = LimitPolicy.MigrateUntilLimit;
        MigrationManager manager = h.CreateManager();

        MigrationOperation run = await manager.StartAsync(h.Project, options);
        MigrationReport limited = await run.WaitForCompletionAsync();

        Assert.Equal(MigrationRunState.OverLimit, limited.Status);
        Assert.Equal(25m, limited.Points.Charged);
        Assert.Equal(25, h.Target.Count(EntityType.Products));
        Assert.Equal(0, h.Target.Count(EntityType.Customers));

        // Products are charged oldest first.
        string[] oldest = h.Store.Get<Product>().Take(25).Select(p => p.SourceId).ToArray();
        Assert.All(oldest, id => Assert.Equal(1, h.Target.CountBySourceId(EntityType.Products, id)));

        options.PlanLimit = 10_000;
        MigrationOperation resumed = await manager.ResumeAsync(h.Project, run.RunId, options);
        MigrationReport done = await resumed.WaitForCompletionAsync();

        Assert.True(done.Status is MigrationRunState.Completed or MigrationRunState.CompletedWithErrors, done.Message);
        h.AssertExactlyOnce(done, [EntityType.Categories, EntityType.Products, EntityType.Customers]);
        decimal expected = h.Store.Count(EntityType.Products) + (0.5m * (h.Store.Count(EntityType.Customers) - done.Entities.Single(e => e.Type == EntityType.Customers).Failed));
        Assert.Equal(expected, done.Points.Charged);
    }

    [Fact]
    public async Task StartAsync_RejectedRecords_FailAloneAndTheRestLands()
    {
        EngineHarness h = new();
        string[] rejected = h.Store.Get<Product>().Where((_, i) => i % 7 == 3).Select(p => p.SourceId).ToArray();
        h.Target.RejectRecord = e => e is Product && rejected.Contains(e.SourceId) ? "Title can't be blank" : null;

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

        foreach (string id in rejected)
        {
            RecordIssue failure = Assert.Single(report.Failures, f => f.EntityType == EntityType.Products && f.SourceId == id);
            Assert.Equal(FailureCategory.Validation, failure.Category);
            Assert.Contains("Title can't be blank", failure.Message, StringComparison.Ordinal);
        }

        h.AssertExactlyOnce(report, Migrated);
        h.AssertReferencesIntact();
    }

    [Fact]
    public async Task StartAsync_WholeBatchRejected_SplitsToIsolateTheBadRecord()
    {
        EngineHarness h = new();
        string bad = h.Store.Get<Product>().ElementAt(10).SourceId;
        h.Target.RejectBatchWhen = e => e.SourceId == bad && e is Product;
        MigrationOptions options = EngineHarness.Options();
        options.Entities = new HashSet<EntityType> { EntityType.Categories, EntityType.Manufacturers, EntityType.Products };

        MigrationReport report = await h.RunAsync(options);

        RecordIssue failure = Assert.Single(report.Failures);
        Assert.Equal(bad, failure.SourceId);
        Assert.Equal(h.Store.Count(EntityType.Products) - 1, h.Target.Count(EntityType.Products));
    }

    [Theory]
    [InlineData(TransientFailureTiming.BeforeWrite)]
    [InlineData(TransientFailureTiming.AfterWrite)]
    public async Task StartAsync_TransientFailures_RetriedWithoutDuplicates(TransientFailureTiming timing)
    {
        EngineHarness h = new();
        h.Target.TransientFailureRate = 0.3;
        h.Target.TransientFailureTiming = timing;

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

        Assert.True(h.Target.InjectedFailures > 0);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, Migrated);
        h.AssertReferencesIntact();
    }

    [Fact]
    public async Task StartAsync_AuthenticationFailure_FailsFastWithClearError()
    {
        EngineHarness h = new();
        h.Target.AuthenticationFailure = true;
        MigrationManager manager = h.CreateManager();

        MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(() => manager.StartAsync(h.Project, EngineHarness.Options()));

        Assert.Equal(FailureCategory.Authentication, ex.Category);
        Assert.StartsWith("Target 'memory':", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
        var runs = await h.Checkpoints.ListRunsAsync("project-1");
        Assert.Equal(MigrationRunState.Failed, Assert.Single(runs).State);
    }

    [Fact]
    public async Task StartAsync_UnmappedOrderStatus_BlocksStartListingEveryValue()
    {
        EngineHarness h = new();
        SampleStore custom = h.Store.Mutate<Order>(h.Store.Get<Order>().ElementAt(0).SourceId, o => o with { Status = "wc-shipped" })
            .Mutate<Order>(h.Store.Get<Order>().ElementAt(1).SourceId, o => o with { Status = "wc-awaiting" });
        h.ReplaceStore(custom);

        MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(() => h.CreateManager().StartAsync(h.Project, EngineHarness.Options()));

        Assert.Contains("'wc-awaiting', 'wc-shipped'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.TotalWrites);
    }

    [Fact]
    public async Task StartAsync_ErrorBudgetExceeded_RunFails()
    {
        EngineHarness h = new();
        h.Target.RejectRecord = e => e is Product p && int.Parse(p.SourceId, System.Globalization.CultureInfo.InvariantCulture) % 5 == 0 ? "rejected" : null;
        MigrationOptions options = EngineHarness.Options();
        options.ErrorBudget = 2;

        MigrationReport report = await h.RunAsync(options);

        Assert.Equal(MigrationRunState.Failed, report.Status);
        Assert.Contains("error budget of 2", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.Count(EntityType.Orders));
    }

    [Fact]
    public async Task StartAsync_StopOnFirstFailure_RunFailsAtTheFirstRejectedRecord()
    {
        EngineHarness h = new();
        string bad = h.Store.Get<Product>().ElementAt(4).SourceId;
        h.Target.RejectRecord = e => e is Product && e.SourceId == bad ? "rejected" : null;
        MigrationOptions options = EngineHarness.Options();
        options.ErrorMode = ErrorMode.StopOnFirstFailure;

        // Customers (with the sample store's duplicate e-mails) are left out so that the product is the first failure.
        options.Entities = new HashSet<EntityType> { EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Products, EntityType.Orders };

        MigrationReport report = await h.RunAsync(options);

        Assert.Equal(MigrationRunState.Failed, report.Status);
        Assert.Contains($"products {bad} failed", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Target.Count(EntityType.Orders));
    }

    [Fact]
    public async Task StartAsync_UnsupportedType_ReportedPerRecord()
    {
        EngineHarness h = new();
        h.Target.MarkUnsupported(EntityType.Reviews, "The target has no review API.");

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

        Assert.Equal(0, h.Target.Count(EntityType.Reviews));
        Assert.Equal(h.Store.Count(EntityType.Reviews), report.Failures.Count(f => f.EntityType == EntityType.Reviews && f.Category == FailureCategory.Unsupported));
    }

    [Fact]
    public async Task StartAsync_CreateRedirects_OneRedirectPerChangedProductAndCategoryUrl()
    {
        EngineHarness h = new();

        MigrationReport report = await h.RunAsync(EngineHarness.Options());

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

    [Fact]
    public async Task PauseAsync_MidRun_CommitsThenResumeCompletesExactlyOnce()
    {
        EngineHarness h = new();
        h.Target.BatchLatency = TimeSpan.FromMilliseconds(5);
        MigrationManager manager = h.CreateManager();
        MigrationOperation run = await manager.StartAsync(h.Project, EngineHarness.Options());
        await foreach (MigrationProgress progress in run.WatchAsync())
        {
            if (progress.Entities.Sum(e => e.Counters.Processed) > 30)
            {
                break;
            }
        }

        await run.PauseAsync();

        Assert.Equal(MigrationRunState.Paused, run.Status);
        Assert.Equal(MigrationRunState.Paused, (await h.Checkpoints.GetRunAsync(run.RunId))!.State);

        await run.ResumeAsync();
        MigrationReport report = await run.WaitForCompletionAsync();
        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertExactlyOnce(report, Migrated);
        h.AssertReferencesIntact();
    }

    [Fact]
    public async Task StartAsync_ProgressCallback_ReportsCountsAndFinalState()
    {
        EngineHarness h = new();
        List<MigrationProgress> seen = [];
        MigrationOptions options = EngineHarness.Options();
        options.Progress = new SynchronousProgress(p => { lock (seen) { seen.Add(p); } });

        MigrationReport report = await h.RunAsync(options);

        lock (seen)
        {
            Assert.Contains(seen, p => p.State == MigrationRunState.Running);
            MigrationProgress last = seen[^1];
            Assert.Equal(report.Status, last.State);
            Assert.Equal(h.Store.Count(EntityType.Products), last.Entities.Single(e => e.Type == EntityType.Products).Counters.Created);
            Assert.True(last.PointsCharged > 0);
        }
    }

    [Fact]
    public async Task StartAsync_TargetConcurrencyLimit_NeverExceeded()
    {
        EngineHarness h = new();
        h.Target.BatchLatency = TimeSpan.FromMilliseconds(2);
        h.Target.DefaultLimits = new TargetLimits { MaxBatchSize = 10, MaxConcurrency = 3 };

        await h.RunAsync(EngineHarness.Options());

        Assert.InRange(h.Target.MaxObservedConcurrency, 2, 3);
    }

    private sealed class SynchronousProgress(Action<MigrationProgress> handler) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => handler(value);
    }
}
