using System.Globalization;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using Xunit;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>
/// The conformance kit of <see cref="ICheckpointStore"/>: every store implementation must pass it. Subclass it in a test
/// project and implement <see cref="CreateStoreAsync"/>; xunit runs every inherited fact against the store.
/// </summary>
/// <remarks>
/// A new store is created for each test (see <see cref="DisposeStoreAsync"/> for cleanup). Every test uses fresh random
/// project and run ids, so a store that shares one database across tests passes too. Timestamps are whole seconds, so a
/// store may keep them at millisecond precision.
/// </remarks>
/// <example>
/// <code>
/// public sealed class SqliteStoreConformanceTests : CheckpointStoreConformanceTests
/// {
///     protected override Task&lt;ICheckpointStore&gt; CreateStoreAsync() => Task.FromResult(CreateMyStore());
/// }
/// </code>
/// </example>
public abstract class CheckpointStoreConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private ICheckpointStore? _store;

    /// <summary>Gets the base instant of the tests' timestamps.</summary>
    protected static DateTimeOffset T0 { get; } = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the store under test, created by <see cref="CreateStoreAsync"/> for the current test.</summary>
    protected ICheckpointStore Store => _store ?? throw new InvalidOperationException("The store is created when the test starts.");

    /// <summary>Verifies that a new project is stored and returned as given.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task EnsureProjectAsync_NewProject_StoresAndReturnsIt()
    {
        ProjectRecord project = NewProject() with { Settings = new Dictionary<string, string> { ["url"] = "https://shop.example.test" } };

        ProjectRecord stored = await Store.EnsureProjectAsync(project).ConfigureAwait(false);
        ProjectRecord? read = await Store.GetProjectAsync(project.ProjectId).ConfigureAwait(false);

        AssertSameProject(project, stored);
        Assert.NotNull(read);
        AssertSameProject(project, read);
        Assert.Equal("https://shop.example.test", read.Settings["url"]);
    }

    /// <summary>Verifies that ensuring the same project twice keeps one project and its first creation time.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task EnsureProjectAsync_SameProjectTwice_IsIdempotentAndKeepsCreatedAt()
    {
        ProjectRecord project = NewProject();
        await Store.EnsureProjectAsync(project).ConfigureAwait(false);

        ProjectRecord again = await Store.EnsureProjectAsync(project with { CreatedAt = T0.AddDays(1) }).ConfigureAwait(false);

        Assert.Equal(project.ProjectId, again.ProjectId);
        Assert.Equal(project.CreatedAt, again.CreatedAt);
        ProjectRecord? read = await Store.GetProjectAsync(project.ProjectId).ConfigureAwait(false);
        Assert.NotNull(read);
        Assert.Equal(project.CreatedAt, read.CreatedAt);
    }

    /// <summary>Verifies that a project id cannot be reused for another pair of stores.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task EnsureProjectAsync_MismatchedProviders_ThrowsMigrationConfigurationException()
    {
        ProjectRecord project = NewProject();
        await Store.EnsureProjectAsync(project).ConfigureAwait(false);

        await Assert.ThrowsAsync<MigrationConfigurationException>(() => Store.EnsureProjectAsync(project with { SourceProviderId = "other-source" }).AsTask()).ConfigureAwait(false);
        await Assert.ThrowsAsync<MigrationConfigurationException>(() => Store.EnsureProjectAsync(project with { TargetProviderId = "other-target" }).AsTask()).ConfigureAwait(false);

        ProjectRecord? read = await Store.GetProjectAsync(project.ProjectId).ConfigureAwait(false);
        Assert.NotNull(read);
        Assert.Equal(project.SourceProviderId, read.SourceProviderId);
        Assert.Equal(project.TargetProviderId, read.TargetProviderId);
    }

    /// <summary>Verifies that an unknown project is not found.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetProjectAsync_UnknownProject_ReturnsNull()
        => Assert.Null(await Store.GetProjectAsync(NewId("missing")).ConfigureAwait(false));

    /// <summary>Verifies that a created run reads back with every field.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CreateRunAsync_NewRun_GetRunAsyncReturnsIt()
    {
        ProjectRecord project = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        RunRecord run = NewRun(project.ProjectId) with
        {
            Mode = MigrationMode.SmartUpdate,
            OptionsJson = "{\"mode\":\"smartUpdate\"}",
            StartedAt = T0.AddSeconds(5),
            EstimatedPoints = 12.5m,
            Message = "queued",
        };

        await Store.CreateRunAsync(run).ConfigureAwait(false);

        Assert.Equal(run, await Store.GetRunAsync(run.RunId).ConfigureAwait(false));
    }

    /// <summary>Verifies that an unknown run is not found.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetRunAsync_UnknownRun_ReturnsNull()
        => Assert.Null(await Store.GetRunAsync(NewId("missing")).ConfigureAwait(false));

    /// <summary>Verifies that a project's runs are listed oldest first, without other projects' runs.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ListRunsAsync_ByProject_ReturnsOnlyItsRunsOldestFirst()
    {
        ProjectRecord a = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        ProjectRecord b = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        List<string> expected = [];
        for (int i = 0; i < 5; i++)
        {
            RunRecord run = NewRun(a.ProjectId) with { CreatedAt = T0.AddSeconds(i) };
            await Store.CreateRunAsync(run).ConfigureAwait(false);
            expected.Add(run.RunId);
            await Store.CreateRunAsync(NewRun(b.ProjectId) with { CreatedAt = T0.AddSeconds(i) }).ConfigureAwait(false);
        }

        IReadOnlyList<RunRecord> runs = await Store.ListRunsAsync(a.ProjectId).ConfigureAwait(false);

        Assert.Equal(expected, runs.Select(r => r.RunId));
        Assert.All(runs, r => Assert.Equal(a.ProjectId, r.ProjectId));
    }

    /// <summary>Verifies that listing without a project includes every project's runs, oldest first.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ListRunsAsync_AllProjects_IncludesEveryProjectsRunsOldestFirst()
    {
        ProjectRecord a = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        ProjectRecord b = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        List<string> expected = [];
        for (int i = 0; i < 3; i++)
        {
            foreach (ProjectRecord project in new[] { a, b })
            {
                RunRecord run = NewRun(project.ProjectId) with { CreatedAt = T0.AddSeconds(expected.Count) };
                await Store.CreateRunAsync(run).ConfigureAwait(false);
                expected.Add(run.RunId);
            }
        }

        IReadOnlyList<RunRecord> runs = await Store.ListRunsAsync(null).ConfigureAwait(false);

        // Other tests may share the store: ours must appear, in creation order.
        HashSet<string> ours = [.. expected];
        Assert.Equal(expected, runs.Select(r => r.RunId).Where(ours.Contains));
    }

    /// <summary>Verifies that an update without a lease replaces the run.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task UpdateRunAsync_WithoutLease_ReplacesTheRun()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord updated = run with { State = MigrationRunState.Completed, StartedAt = T0.AddSeconds(1), EndedAt = T0.AddMinutes(3), Message = "done" };

        await Store.UpdateRunAsync(updated, null).ConfigureAwait(false);

        Assert.Equal(updated, await Store.GetRunAsync(run.RunId).ConfigureAwait(false));
    }

    /// <summary>Verifies that an update with the current lease replaces the run.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task UpdateRunAsync_WithCurrentLease_ReplacesTheRun()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease lease = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        RunRecord updated = run with { State = MigrationRunState.Running };

        await Store.UpdateRunAsync(updated, lease).ConfigureAwait(false);

        Assert.Equal(MigrationRunState.Running, (await Store.GetRunAsync(run.RunId).ConfigureAwait(false))?.State);
    }

    /// <summary>Verifies that an update fenced with a lease another worker took over is refused and changes nothing.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task UpdateRunAsync_WithStaleLease_ThrowsLeaseLostExceptionAndKeepsTheRun()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease stale = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        LeaseLostException ex = await Assert.ThrowsAsync<LeaseLostException>(
            () => Store.UpdateRunAsync(run with { State = MigrationRunState.Failed }, stale).AsTask()).ConfigureAwait(false);

        Assert.Equal(run.RunId, ex.RunId);
        Assert.Equal(run.State, (await Store.GetRunAsync(run.RunId).ConfigureAwait(false))?.State);
    }

    /// <summary>Verifies that new mappings are inserted, charged and read back with every field.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_NewMappings_InsertsRowsAndChargesPoints()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        IdMapEntry first = Mapping(EntityType.Products, run.RunId, "1", "t-1", 1m) with { TargetUrl = "/products/a", SourceUrl = "/product/a/", Checksum = "c1" };
        IdMapEntry second = Mapping(EntityType.Products, run.RunId, "2", "t-2", 1m);

        CommitResult result = await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Mappings = [first, second] }).ConfigureAwait(false);

        Assert.Equal(new CommitResult(2, 2m), result);
        IReadOnlyDictionary<string, IdMapEntry> found = await Store.LookupAsync(project.ProjectId, EntityType.Products, ["1", "2"]).ConfigureAwait(false);
        Assert.Equal(first, found["1"]);
        Assert.Equal(second, found["2"]);
        TypeCheckpoint checkpoint = await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false);
        Assert.Equal(2m, checkpoint.PointsCharged);
    }

    /// <summary>Verifies that committing a known source id again charges nothing and keeps when it was first migrated.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_SameSourceIdAgain_ChargesNothingAndKeepsFirstMigratedAt()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord rerun = NewRun(project.ProjectId);
        await Store.CreateRunAsync(rerun).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Mappings = [Mapping(EntityType.Products, run.RunId, "1", "t-1", 1m)] }).ConfigureAwait(false);

        IdMapEntry again = Mapping(EntityType.Products, rerun.RunId, "1", "t-1", 1m) with { Checksum = "changed", FirstMigratedAt = T0.AddDays(1), LastUpdatedAt = T0.AddDays(1) };
        CommitResult result = await Store.CommitBatchAsync(Commit(project, rerun, EntityType.Products) with { Mappings = [again] }).ConfigureAwait(false);

        Assert.Equal(new CommitResult(0, 0m), result);
        IdMapEntry stored = (await Store.LookupAsync(project.ProjectId, EntityType.Products, ["1"]).ConfigureAwait(false))["1"];
        Assert.Equal(T0, stored.FirstMigratedAt);
        Assert.Equal(T0.AddDays(1), stored.LastUpdatedAt);
        Assert.Equal("changed", stored.Checksum);
        Assert.Equal(rerun.RunId, stored.RunId);
        Assert.Equal(0m, (await GetCheckpointAsync(rerun.RunId, EntityType.Products).ConfigureAwait(false)).PointsCharged);
        Assert.Equal(1L, await Store.CountMappedAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
    }

    /// <summary>Verifies that child rows (variants) are stored and found but never charged or counted as entities.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_ChildRows_AreNeverChargedOrCounted()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        IdMapEntry product = Mapping(EntityType.Products, run.RunId, "5", "t-5", 1m);
        IdMapEntry variant = Mapping(EntityType.Products, run.RunId, "5/501", "t-variant-1", 1m) with { IsChild = true };

        CommitResult result = await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Mappings = [product, variant] }).ConfigureAwait(false);

        Assert.Equal(new CommitResult(1, 1m), result);
        Assert.Equal(1L, await Store.CountMappedAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
        Assert.Equal(["5"], await ReadIdMapAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
        IReadOnlyDictionary<string, IdMapEntry> found = await Store.LookupAsync(project.ProjectId, EntityType.Products, ["5/501"]).ConfigureAwait(false);
        Assert.True(found["5/501"].IsChild);
        Assert.Equal("t-variant-1", found["5/501"].TargetId);
    }

    /// <summary>Verifies that remapping a source id to a new target id moves the target-id lookup.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_ChangedTargetId_MovesFindByTargetId()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Customers) with { Mappings = [Mapping(EntityType.Customers, run.RunId, "3", "t-old", 0.5m)] }).ConfigureAwait(false);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Customers) with { Mappings = [Mapping(EntityType.Customers, run.RunId, "3", "t-new", 0.5m)] }).ConfigureAwait(false);

        Assert.Null(await Store.FindByTargetIdAsync(project.ProjectId, EntityType.Customers, "t-old").ConfigureAwait(false));
        Assert.Equal("3", (await Store.FindByTargetIdAsync(project.ProjectId, EntityType.Customers, "t-new").ConfigureAwait(false))?.SourceId);
    }

    /// <summary>Verifies that one commit applies all of its effects together.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_OneCommit_AppliesEveryEffect()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Products, [new(EntityType.Products, "1", "NC-1"), new(EntityType.Products, "2")], null).ConfigureAwait(false);
        RecordIssue issue = new(EntityType.Products, "2", FailureCategory.Validation, "SKU taken");
        DeferredLink link = new(EntityType.Products, "1", new EntityReference(EntityRef.Product("9"), ReferenceRole.Related, ReferenceKind.Deferred));

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with
        {
            Mappings = [Mapping(EntityType.Products, run.RunId, "1", "t-1", 1m)],
            ResolvedPending = ["1", "2"],
            AdvanceToken = true,
            ResumeToken = "page-1",
            CompletesType = true,
            Counters = new TypeCounters(2, 1, 0, 0, 1),
            HighWaterMark = new HighWaterMark(T0, "2"),
            Issues = [issue],
            AddLinks = [link],
        }).ConfigureAwait(false);

        Assert.Single(await Store.LookupAsync(project.ProjectId, EntityType.Products, ["1", "2"]).ConfigureAwait(false));
        Assert.Empty(await Store.GetPendingAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
        TypeCheckpoint checkpoint = await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false);
        Assert.Equal("page-1", checkpoint.ResumeToken);
        Assert.True(checkpoint.Completed);
        Assert.Equal(new TypeCounters(2, 1, 0, 0, 1), checkpoint.Counters);
        Assert.Equal(1m, checkpoint.PointsCharged);
        Assert.Equal(new HighWaterMark(T0, "2"), checkpoint.HighWaterMark);
        Assert.Equal([issue], await Store.GetIssuesAsync(run.RunId).ConfigureAwait(false));
        Assert.Equal([link], await Store.GetDeferredLinksAsync(run.RunId, EntityType.Products).ConfigureAwait(false));
    }

    /// <summary>Verifies that write intents are stored with their natural keys and scoped to project and type.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task AddPendingAsync_Identities_GetPendingAsyncReturnsThemPerProjectAndType()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        SourceIdentity[] identities = [new(EntityType.Customers, "1", "a@example.test"), new(EntityType.Customers, "2"), new(EntityType.Customers, "3", "c@example.test")];

        await Store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Customers, identities, null).ConfigureAwait(false);

        IReadOnlyList<SourceIdentity> pending = await Store.GetPendingAsync(project.ProjectId, EntityType.Customers).ConfigureAwait(false);
        Assert.Equal(identities.OrderBy(i => i.SourceId, StringComparer.Ordinal), pending.OrderBy(i => i.SourceId, StringComparer.Ordinal));
        Assert.Empty(await Store.GetPendingAsync(project.ProjectId, EntityType.Orders).ConfigureAwait(false));
        Assert.Empty(await Store.GetPendingAsync(NewId("other"), EntityType.Customers).ConfigureAwait(false));
    }

    /// <summary>Verifies that a commit resolves only the intents it names.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_ResolvedPending_RemovesOnlyThoseIntents()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Orders, [new(EntityType.Orders, "1"), new(EntityType.Orders, "2"), new(EntityType.Orders, "3")], null).ConfigureAwait(false);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { ResolvedPending = ["1", "3"] }).ConfigureAwait(false);

        IReadOnlyList<SourceIdentity> pending = await Store.GetPendingAsync(project.ProjectId, EntityType.Orders).ConfigureAwait(false);
        Assert.Equal(["2"], pending.Select(p => p.SourceId));
    }

    /// <summary>Verifies that a commit without <see cref="BatchCommit.AdvanceToken"/> keeps the stored token, and one with it replaces it (even with null).</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_AdvanceToken_ReplacesTheTokenOnlyWhenSet()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AdvanceToken = false, ResumeToken = "ignored" }).ConfigureAwait(false);
        Assert.Null((await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false)).ResumeToken);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AdvanceToken = true, ResumeToken = "p1" }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AdvanceToken = false, ResumeToken = "ignored" }).ConfigureAwait(false);
        Assert.Equal("p1", (await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false)).ResumeToken);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AdvanceToken = true, ResumeToken = "p2" }).ConfigureAwait(false);
        Assert.Equal("p2", (await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false)).ResumeToken);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AdvanceToken = true, ResumeToken = null }).ConfigureAwait(false);
        Assert.Null((await GetCheckpointAsync(run.RunId, EntityType.Products).ConfigureAwait(false)).ResumeToken);
    }

    /// <summary>Verifies that counters and points add up over commits and that completion sticks.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_Counters_Accumulate()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { Counters = new TypeCounters(10, 7, 1, 1, 1), Mappings = [Mapping(EntityType.Orders, run.RunId, "1", "t-1", 0.8m)] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { Counters = new TypeCounters(5, 2, 2, 0, 1), CompletesType = true, Mappings = [Mapping(EntityType.Orders, run.RunId, "2", "t-2", 0.8m)] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { Counters = new TypeCounters(1, 0, 0, 1, 0), CompletesType = false }).ConfigureAwait(false);

        TypeCheckpoint checkpoint = await GetCheckpointAsync(run.RunId, EntityType.Orders).ConfigureAwait(false);
        Assert.Equal(new TypeCounters(16, 9, 3, 2, 2), checkpoint.Counters);
        Assert.Equal(1.6m, checkpoint.PointsCharged);
        Assert.True(checkpoint.Completed);
    }

    /// <summary>Verifies that the stored high-water mark is the largest (creation time, then numeric id) ever committed.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_HighWaterMark_KeepsTheMaximum()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        async Task<HighWaterMark?> CommitMarkAsync(HighWaterMark? mark)
        {
            await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { HighWaterMark = mark }).ConfigureAwait(false);
            return (await GetCheckpointAsync(run.RunId, EntityType.Orders).ConfigureAwait(false)).HighWaterMark;
        }

        Assert.Equal(new HighWaterMark(T0.AddMinutes(5), "9"), await CommitMarkAsync(new HighWaterMark(T0.AddMinutes(5), "9")).ConfigureAwait(false));
        Assert.Equal(new HighWaterMark(T0.AddMinutes(5), "9"), await CommitMarkAsync(new HighWaterMark(T0.AddMinutes(1), "50")).ConfigureAwait(false));
        Assert.Equal(new HighWaterMark(T0.AddMinutes(5), "10"), await CommitMarkAsync(new HighWaterMark(T0.AddMinutes(5), "10")).ConfigureAwait(false));
        Assert.Equal(new HighWaterMark(T0.AddMinutes(5), "10"), await CommitMarkAsync(null).ConfigureAwait(false));
    }

    /// <summary>Verifies that issues are recorded per run, in the order committed.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_Issues_AreRecordedInOrderPerRun()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord other = NewRun(project.ProjectId);
        await Store.CreateRunAsync(other).ConfigureAwait(false);
        RecordIssue[] issues =
        [
            new(EntityType.Customers, "7", FailureCategory.Validation, "Email has already been taken"),
            new(EntityType.Customers, "9", FailureCategory.Validation, "Email has already been taken"),
            new(EntityType.Orders, "8", FailureCategory.Validation, "Customer 900000008 was not migrated; linked by e-mail.", IssueSeverity.Warning),
        ];

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Customers) with { Issues = issues[..2] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, other, EntityType.Customers) with { Issues = [new(EntityType.Customers, "1", FailureCategory.Connection, "other run")] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { Issues = issues[2..] }).ConfigureAwait(false);

        Assert.Equal(issues, await Store.GetIssuesAsync(run.RunId).ConfigureAwait(false));
        Assert.Empty(await Store.GetIssuesAsync(NewId("run")).ConfigureAwait(false));
    }

    /// <summary>
    /// Verifies that the issue summary holds every failure in order, counts each kind's distinct warnings (a warning recorded
    /// twice counts once) and keeps the first of each kind, as <see cref="IssueSummary.Create"/> does over every issue.
    /// </summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetIssueSummaryAsync_WarningsOfSeveralKindsRepeatedAndFailures_CountsDistinctAndKeepsTheFirstOfEachKind()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord other = NewRun(project.ProjectId);
        await Store.CreateRunAsync(other).ConfigureAwait(false);
        static RecordIssue Short(string id) => new(EntityType.Products, id, FailureCategory.Unsupported, "no short description", IssueSeverity.Warning);
        RecordIssue[] first =
        [
            Short("p1"),
            new(EntityType.Products, "p2", FailureCategory.Validation, "the price is not a number"),
            Short("p2"),
            new(EntityType.Products, "p3", FailureCategory.Validation, "tags lost their commas", IssueSeverity.Warning),
            Short("p3"),
        ];
        RecordIssue[] second =
        [
            Short("p1"),
            new(EntityType.Categories, "c1", FailureCategory.Unsupported, "collections are flat", IssueSeverity.Warning),
            new(EntityType.Products, "p2", FailureCategory.Validation, "the price is not a number"),
            Short("p4"),
        ];
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Issues = first }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, other, EntityType.Products) with { Issues = [Short("x9")] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Issues = second }).ConfigureAwait(false);

        IssueSummary summary = await Store.GetIssueSummaryAsync(run.RunId, maxWarningExamples: 2).ConfigureAwait(false);
        IssueSummary none = await Store.GetIssueSummaryAsync(run.RunId, maxWarningExamples: 0).ConfigureAwait(false);

        Assert.Equal([first[1], second[2]], summary.Failures);
        Assert.Equal([Short("p1"), Short("p2"), first[3], second[1]], summary.WarningExamples);
        Assert.Equal(
            [
                new WarningCount(EntityType.Categories, FailureCategory.Unsupported, 1),
                new WarningCount(EntityType.Products, FailureCategory.Validation, 1),
                new WarningCount(EntityType.Products, FailureCategory.Unsupported, 4),
            ],
            summary.WarningCounts);
        IssueSummary expected = IssueSummary.Create(await Store.GetIssuesAsync(run.RunId).ConfigureAwait(false), 2);
        Assert.Equal(expected.Failures, summary.Failures);
        Assert.Equal(expected.WarningExamples, summary.WarningExamples);
        Assert.Equal(expected.WarningCounts, summary.WarningCounts);
        Assert.Empty(none.WarningExamples);
        Assert.Equal(summary.WarningCounts, none.WarningCounts);
        Assert.Equal(summary.Failures, none.Failures);
        IssueSummary empty = await Store.GetIssueSummaryAsync(NewId("run"), 2).ConfigureAwait(false);
        Assert.Empty(empty.Failures);
        Assert.Empty(empty.WarningCounts);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.GetIssueSummaryAsync(run.RunId, -1).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Verifies that deferred links are added and removed per run and type.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_DeferredLinks_AreAddedAndRemoved()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        DeferredLink parent = new(EntityType.Categories, "2", new EntityReference(new EntityRef(EntityType.Categories, "3"), ReferenceRole.Parent, ReferenceKind.Deferred));
        DeferredLink related = new(EntityType.Products, "1", new EntityReference(EntityRef.Product("40"), ReferenceRole.Related, ReferenceKind.Deferred));
        DeferredLink upsell = new(EntityType.Products, "1", new EntityReference(EntityRef.Product("40"), ReferenceRole.Upsell, ReferenceKind.Deferred));
        DeferredLink crossSell = new(EntityType.Products, "2", new EntityReference(EntityRef.Product("3"), ReferenceRole.CrossSell, ReferenceKind.Deferred));

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Categories) with { AddLinks = [parent] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { AddLinks = [related, upsell, crossSell] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { RemoveLinks = [upsell] }).ConfigureAwait(false);

        IReadOnlyList<DeferredLink> products = await Store.GetDeferredLinksAsync(run.RunId, EntityType.Products).ConfigureAwait(false);
        Assert.Equal(2, products.Count);
        Assert.Contains(related, products);
        Assert.Contains(crossSell, products);
        Assert.Equal([parent], await Store.GetDeferredLinksAsync(run.RunId, EntityType.Categories).ConfigureAwait(false));

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Categories) with { RemoveLinks = [parent] }).ConfigureAwait(false);
        Assert.Empty(await Store.GetDeferredLinksAsync(run.RunId, EntityType.Categories).ConfigureAwait(false));
    }

    /// <summary>Verifies that a bulk lookup of 1000 ids returns exactly the ones in the ID map.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task LookupAsync_ThousandIds_ReturnsExactlyThePresentOnes()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        List<IdMapEntry> mappings = [.. Enumerable.Range(0, 500).Select(i => Mapping(EntityType.Products, run.RunId, Id(i * 2), "t-" + Id(i * 2), 1m))];
        for (int i = 0; i < mappings.Count; i += 100)
        {
            await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Mappings = mappings.GetRange(i, 100) }).ConfigureAwait(false);
        }

        string[] wanted = [.. Enumerable.Range(0, 1000).Select(Id)];
        IReadOnlyDictionary<string, IdMapEntry> found = await Store.LookupAsync(project.ProjectId, EntityType.Products, wanted).ConfigureAwait(false);

        Assert.Equal(500, found.Count);
        Assert.All(found, pair =>
        {
            Assert.Equal(pair.Key, pair.Value.SourceId);
            Assert.Equal("t-" + pair.Key, pair.Value.TargetId);
        });
        Assert.Equal(Enumerable.Range(0, 500).Select(i => Id(i * 2)).Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await Store.LookupAsync(project.ProjectId, EntityType.Customers, wanted).ConfigureAwait(false));
        Assert.Empty(await Store.LookupAsync(NewId("other"), EntityType.Products, wanted).ConfigureAwait(false));
    }

    /// <summary>Verifies that a target id is found in its project and type only.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task FindByTargetIdAsync_KnownTargetId_ReturnsItsRowOnlyInItsProjectAndType()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Pages) with { Mappings = [Mapping(EntityType.Pages, run.RunId, "4", "t-page-4", 0m) with { TargetUrl = "/pages/faq" }] }).ConfigureAwait(false);

        IdMapEntry? found = await Store.FindByTargetIdAsync(project.ProjectId, EntityType.Pages, "t-page-4").ConfigureAwait(false);

        Assert.NotNull(found);
        Assert.Equal("4", found.SourceId);
        Assert.Equal("/pages/faq", found.TargetUrl);
        Assert.Null(await Store.FindByTargetIdAsync(project.ProjectId, EntityType.BlogPosts, "t-page-4").ConfigureAwait(false));
        Assert.Null(await Store.FindByTargetIdAsync(NewId("other"), EntityType.Pages, "t-page-4").ConfigureAwait(false));
        Assert.Null(await Store.FindByTargetIdAsync(project.ProjectId, EntityType.Pages, "t-unknown").ConfigureAwait(false));
    }

    /// <summary>Verifies that entity rows are counted per project and type.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CountMappedAsync_Rows_CountsEntityRowsPerProjectAndType()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Customers) with { Mappings = [.. Enumerable.Range(1, 7).Select(i => Mapping(EntityType.Customers, run.RunId, Id(i), "t-" + Id(i), 0.5m))] }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Orders) with { Mappings = [Mapping(EntityType.Orders, run.RunId, "1", "t-o1", 0.8m)] }).ConfigureAwait(false);

        Assert.Equal(7L, await Store.CountMappedAsync(project.ProjectId, EntityType.Customers).ConfigureAwait(false));
        Assert.Equal(1L, await Store.CountMappedAsync(project.ProjectId, EntityType.Orders).ConfigureAwait(false));
        Assert.Equal(0L, await Store.CountMappedAsync(project.ProjectId, EntityType.Reviews).ConfigureAwait(false));
        Assert.Equal(0L, await Store.CountMappedAsync(NewId("other"), EntityType.Customers).ConfigureAwait(false));
    }

    /// <summary>Verifies that the ID map is read as entity rows only, in ordinal order of source id.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ReadIdMapAsync_Rows_ReturnsEntityRowsInOrdinalOrder()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        string[] ids = ["10", "9", "2", "100", "1", "b", "a"];
        List<IdMapEntry> mappings = [.. ids.Select(id => Mapping(EntityType.Products, run.RunId, id, "t-" + id, 1m))];
        mappings.Add(Mapping(EntityType.Products, run.RunId, "1/101", "t-variant-101", 0m) with { IsChild = true });

        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Mappings = mappings }).ConfigureAwait(false);

        Assert.Equal(ids.Order(StringComparer.Ordinal), await ReadIdMapAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
        Assert.Empty(await ReadIdMapAsync(project.ProjectId, EntityType.Orders).ConfigureAwait(false));
    }

    /// <summary>Verifies that a run's checkpoints cover the types it has committed, and no other run's.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetCheckpointsAsync_Run_ReturnsOnlyTheTypesItCommitted()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord other = NewRun(project.ProjectId);
        await Store.CreateRunAsync(other).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Counters = new TypeCounters(1, 1, 0, 0, 0) }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Categories) with { Counters = new TypeCounters(2, 2, 0, 0, 0) }).ConfigureAwait(false);
        await Store.CommitBatchAsync(Commit(project, other, EntityType.Orders)).ConfigureAwait(false);

        IReadOnlyList<TypeCheckpoint> checkpoints = await Store.GetCheckpointsAsync(run.RunId).ConfigureAwait(false);

        Assert.Equal([EntityType.Categories, EntityType.Products], checkpoints.Select(c => c.Type).Order());
        Assert.All(checkpoints, c => Assert.Equal(run.RunId, c.RunId));
        Assert.Empty(await Store.GetCheckpointsAsync(NewId("run")).ConfigureAwait(false));
    }

    /// <summary>Verifies that a run nobody asked to stop has no stop request.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetStopRequestAsync_NoRequest_ReturnsNone()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);

        Assert.Equal(RunStopRequest.None, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));
        Assert.Equal(RunStopRequest.None, await Store.GetStopRequestAsync(NewId("run")).ConfigureAwait(false));
    }

    /// <summary>Verifies that a stop request is recorded for its run only, while another owner holds the run's lease.</summary>
    /// <param name="request">The request.</param>
    /// <returns>A task that completes when the test does.</returns>
    [Theory]
    [InlineData(RunStopRequest.Pause)]
    [InlineData(RunStopRequest.Cancel)]
    public async Task RequestStopAsync_WhileAnotherOwnerHoldsTheLease_IsReadBackForThatRunOnly(RunStopRequest request)
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunRecord other = NewRun(project.ProjectId);
        await Store.CreateRunAsync(other).ConfigureAwait(false);
        RunLease lease = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        Assert.True(await Store.RequestStopAsync(run.RunId, request).ConfigureAwait(false));

        Assert.Equal(request, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));
        Assert.Equal(RunStopRequest.None, await Store.GetStopRequestAsync(other.RunId).ConfigureAwait(false));

        // The request does not touch the lease: the holder still renews it, and its run record is unchanged.
        Assert.NotNull(await Store.RenewLeaseAsync(lease, T0.AddSeconds(10), LeaseDuration).ConfigureAwait(false));
        Assert.Equal(run.State, (await Store.GetRunAsync(run.RunId).ConfigureAwait(false))!.State);
    }

    /// <summary>Verifies that a cancel is not downgraded by a later pause, and that a pause is upgraded by a cancel.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task RequestStopAsync_PauseAfterCancel_KeepsTheCancel()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);

        await Store.RequestStopAsync(run.RunId, RunStopRequest.Pause).ConfigureAwait(false);
        await Store.RequestStopAsync(run.RunId, RunStopRequest.Cancel).ConfigureAwait(false);
        Assert.Equal(RunStopRequest.Cancel, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));

        Assert.True(await Store.RequestStopAsync(run.RunId, RunStopRequest.Pause).ConfigureAwait(false));
        Assert.Equal(RunStopRequest.Cancel, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));
    }

    /// <summary>Verifies that <see cref="RunStopRequest.None"/> clears a request, and a new request can follow.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task RequestStopAsync_None_ClearsTheRequest()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await Store.RequestStopAsync(run.RunId, RunStopRequest.Cancel).ConfigureAwait(false);

        Assert.True(await Store.RequestStopAsync(run.RunId, RunStopRequest.None).ConfigureAwait(false));
        Assert.Equal(RunStopRequest.None, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));

        await Store.RequestStopAsync(run.RunId, RunStopRequest.Pause).ConfigureAwait(false);
        Assert.Equal(RunStopRequest.Pause, await Store.GetStopRequestAsync(run.RunId).ConfigureAwait(false));
    }

    /// <summary>Verifies that a stop request for a run that does not exist is refused and leaves nothing behind.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task RequestStopAsync_UnknownRun_ReturnsFalse()
    {
        string runId = NewId("run");

        Assert.False(await Store.RequestStopAsync(runId, RunStopRequest.Pause).ConfigureAwait(false));
        Assert.False(await Store.RequestStopAsync(runId, RunStopRequest.None).ConfigureAwait(false));
        Assert.Equal(RunStopRequest.None, await Store.GetStopRequestAsync(runId).ConfigureAwait(false));
    }

    /// <summary>Verifies that a free run's lease is granted to the caller.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task TryAcquireLeaseAsync_FreeRun_ReturnsLeaseForTheOwner()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);

        RunLease? lease = await Store.TryAcquireLeaseAsync(run.RunId, "worker-a", T0, LeaseDuration).ConfigureAwait(false);

        Assert.NotNull(lease);
        Assert.Equal(run.RunId, lease.RunId);
        Assert.Equal("worker-a", lease.Owner);
        Assert.Equal(T0 + LeaseDuration, lease.ExpiresAt);
    }

    /// <summary>Verifies that a valid lease is not granted to a second owner.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnotherOwner_ReturnsNull()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        Assert.Null(await Store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0.AddSeconds(30), LeaseDuration).ConfigureAwait(false));
    }

    /// <summary>Verifies that an expired lease is taken over with a higher fencing version.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task TryAcquireLeaseAsync_AfterExpiry_TakesOverWithAHigherVersion()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease first = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        RunLease? second = await Store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1), LeaseDuration).ConfigureAwait(false);

        Assert.NotNull(second);
        Assert.Equal("worker-b", second.Owner);
        Assert.True(second.Version > first.Version, $"The version went from {first.Version} to {second.Version}.");
    }

    /// <summary>Verifies that the holder may acquire its lease again.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task TryAcquireLeaseAsync_SameOwner_Succeeds()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        RunLease? again = await Store.TryAcquireLeaseAsync(run.RunId, "worker-a", T0.AddSeconds(10), LeaseDuration).ConfigureAwait(false);

        Assert.NotNull(again);
        Assert.Equal("worker-a", again.Owner);
    }

    /// <summary>Verifies that renewing extends the lease, keeps its version, and keeps other owners out.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task RenewLeaseAsync_CurrentLease_ExtendsItAndKeepsTheVersion()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease lease = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        RunLease? renewed = await Store.RenewLeaseAsync(lease, T0.AddSeconds(50), LeaseDuration).ConfigureAwait(false);

        Assert.NotNull(renewed);
        Assert.Equal(lease.Version, renewed.Version);
        Assert.Equal(T0.AddSeconds(50) + LeaseDuration, renewed.ExpiresAt);
        Assert.Null(await Store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(5), LeaseDuration).ConfigureAwait(false));
    }

    /// <summary>Verifies that a lease another owner took over cannot be renewed.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task RenewLeaseAsync_AfterTakeover_ReturnsNull()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease stale = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        Assert.Null(await Store.RenewLeaseAsync(stale, T0 + LeaseDuration + TimeSpan.FromSeconds(2), LeaseDuration).ConfigureAwait(false));
    }

    /// <summary>Verifies that a released lease can be taken at once by another owner.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ReleaseLeaseAsync_HeldLease_LetsAnotherOwnerAcquireAtOnce()
    {
        (_, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease lease = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        await Store.ReleaseLeaseAsync(lease).ConfigureAwait(false);

        Assert.NotNull(await Store.TryAcquireLeaseAsync(run.RunId, "worker-b", T0.AddSeconds(1), LeaseDuration).ConfigureAwait(false));
    }

    /// <summary>Verifies that releasing a lost lease leaves the new owner's lease in place.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ReleaseLeaseAsync_LostLease_KeepsTheNewOwnersLease()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease stale = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        DateTimeOffset later = T0 + LeaseDuration + TimeSpan.FromSeconds(1);
        RunLease current = await AcquireAsync(run.RunId, "worker-b", later).ConfigureAwait(false);

        await Store.ReleaseLeaseAsync(stale).ConfigureAwait(false);

        Assert.Null(await Store.TryAcquireLeaseAsync(run.RunId, "worker-c", later.AddSeconds(1), LeaseDuration).ConfigureAwait(false));
        await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Lease = current, Counters = new TypeCounters(1, 0, 0, 1, 0) }).ConfigureAwait(false);
    }

    /// <summary>Verifies that a commit fenced with the current lease lands.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_WithCurrentLease_Commits()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease lease = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);

        CommitResult result = await Store.CommitBatchAsync(Commit(project, run, EntityType.Products) with { Lease = lease, Mappings = [Mapping(EntityType.Products, run.RunId, "1", "t-1", 1m)] }).ConfigureAwait(false);

        Assert.Equal(new CommitResult(1, 1m), result);
    }

    /// <summary>Verifies that a commit fenced with a stale lease throws and writes none of its effects.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_WithStaleLease_ThrowsLeaseLostExceptionAndWritesNothing()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease stale = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        await Store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Products, [new(EntityType.Products, "1")], stale).ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        BatchCommit commit = Commit(project, run, EntityType.Products) with
        {
            Lease = stale,
            Mappings = [Mapping(EntityType.Products, run.RunId, "1", "t-1", 1m)],
            ResolvedPending = ["1"],
            AdvanceToken = true,
            ResumeToken = "p1",
            Counters = new TypeCounters(1, 1, 0, 0, 0),
            HighWaterMark = new HighWaterMark(T0, "1"),
            Issues = [new(EntityType.Products, "1", FailureCategory.Validation, "x", IssueSeverity.Warning)],
            AddLinks = [new(EntityType.Products, "1", new EntityReference(EntityRef.Product("2"), ReferenceRole.Related, ReferenceKind.Deferred))],
        };

        LeaseLostException ex = await Assert.ThrowsAsync<LeaseLostException>(() => Store.CommitBatchAsync(commit).AsTask()).ConfigureAwait(false);

        Assert.Equal(run.RunId, ex.RunId);
        Assert.Empty(await Store.LookupAsync(project.ProjectId, EntityType.Products, ["1"]).ConfigureAwait(false));
        Assert.Single(await Store.GetPendingAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
        Assert.Empty(await Store.GetCheckpointsAsync(run.RunId).ConfigureAwait(false));
        Assert.Empty(await Store.GetIssuesAsync(run.RunId).ConfigureAwait(false));
        Assert.Empty(await Store.GetDeferredLinksAsync(run.RunId, EntityType.Products).ConfigureAwait(false));
    }

    /// <summary>Verifies that write intents fenced with a stale lease are refused and not recorded.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task AddPendingAsync_WithStaleLease_ThrowsLeaseLostExceptionAndAddsNothing()
    {
        (ProjectRecord project, RunRecord run) = await CreateProjectAndRunAsync().ConfigureAwait(false);
        RunLease stale = await AcquireAsync(run.RunId, "worker-a", T0).ConfigureAwait(false);
        await AcquireAsync(run.RunId, "worker-b", T0 + LeaseDuration + TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        await Assert.ThrowsAsync<LeaseLostException>(
            () => Store.AddPendingAsync(project.ProjectId, run.RunId, EntityType.Orders, [new(EntityType.Orders, "1")], stale).AsTask()).ConfigureAwait(false);

        Assert.Empty(await Store.GetPendingAsync(project.ProjectId, EntityType.Orders).ConfigureAwait(false));
    }

    /// <summary>Verifies that many concurrent commits from different runs all land, with exact totals.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_ConcurrentCommitsFromDifferentRuns_AllLand()
    {
        const int Runs = 4;
        const int CommitsPerRun = 25;
        const int RowsPerCommit = 10;
        ProjectRecord project = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        RunRecord[] runs = [.. Enumerable.Range(0, Runs).Select(_ => NewRun(project.ProjectId))];
        foreach (RunRecord run in runs)
        {
            await Store.CreateRunAsync(run).ConfigureAwait(false);
        }

        List<Task<CommitResult>> commits = [];
        for (int r = 0; r < Runs; r++)
        {
            for (int c = 0; c < CommitsPerRun; c++)
            {
                RunRecord run = runs[r];
                int first = (((r * CommitsPerRun) + c) * RowsPerCommit) + 1;
                BatchCommit commit = Commit(project, run, EntityType.Customers) with
                {
                    Mappings = [.. Enumerable.Range(first, RowsPerCommit).Select(i => Mapping(EntityType.Customers, run.RunId, Id(i), "t-" + Id(i), 0.5m))],
                    Counters = new TypeCounters(RowsPerCommit, RowsPerCommit, 0, 0, 0),
                };
                commits.Add(Task.Run(() => Store.CommitBatchAsync(commit).AsTask()));
            }
        }

        CommitResult[] results = await Task.WhenAll(commits).ConfigureAwait(false);

        const int Total = Runs * CommitsPerRun * RowsPerCommit;
        Assert.Equal(Total, results.Sum(r => r.InsertedRows));
        Assert.Equal(Total * 0.5m, results.Sum(r => r.PointsCharged));
        Assert.Equal(Total, await Store.CountMappedAsync(project.ProjectId, EntityType.Customers).ConfigureAwait(false));
        foreach (RunRecord run in runs)
        {
            TypeCheckpoint checkpoint = await GetCheckpointAsync(run.RunId, EntityType.Customers).ConfigureAwait(false);
            Assert.Equal(CommitsPerRun * RowsPerCommit, checkpoint.Counters.Created);
            Assert.Equal(CommitsPerRun * RowsPerCommit * 0.5m, checkpoint.PointsCharged);
        }
    }

    /// <summary>Verifies that concurrent commits of the same source ids charge each id exactly once.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CommitBatchAsync_ConcurrentCommitsOfSameSourceIds_ChargeEachIdOnce()
    {
        ProjectRecord project = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        RunRecord[] runs = [NewRun(project.ProjectId), NewRun(project.ProjectId), NewRun(project.ProjectId)];
        foreach (RunRecord run in runs)
        {
            await Store.CreateRunAsync(run).ConfigureAwait(false);
        }

        List<Task<CommitResult>> commits = [];
        for (int round = 0; round < 10; round++)
        {
            foreach (RunRecord run in runs)
            {
                int first = (round * 20) + 1;
                BatchCommit commit = Commit(project, run, EntityType.Products) with
                {
                    Mappings = [.. Enumerable.Range(first, 20).Select(i => Mapping(EntityType.Products, run.RunId, Id(i), "t-" + Id(i), 1m))],
                };
                commits.Add(Task.Run(() => Store.CommitBatchAsync(commit).AsTask()));
            }
        }

        CommitResult[] results = await Task.WhenAll(commits).ConfigureAwait(false);

        Assert.Equal(200, results.Sum(r => r.InsertedRows));
        Assert.Equal(200m, results.Sum(r => r.PointsCharged));
        Assert.Equal(200L, await Store.CountMappedAsync(project.ProjectId, EntityType.Products).ConfigureAwait(false));
    }

    /// <summary>Creates the store for one test. It should be empty, or shared safely (tests use fresh ids).</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ICheckpointStore> CreateStoreAsync();

    /// <summary>Cleans up the store after a test. By default it disposes it when it is disposable.</summary>
    /// <param name="store">The store.</param>
    /// <returns>A task that completes when cleaned up.</returns>
    protected virtual Task DisposeStoreAsync(ICheckpointStore store) => StoreDisposal.DisposeAsync(store);

    /// <summary>Creates a unique id with a prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The id.</returns>
    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Creates a project record with a fresh id.</summary>
    /// <returns>The project.</returns>
    protected static ProjectRecord NewProject() => new(NewId("project"), "memory-source", "memory-target") { CreatedAt = T0 };

    /// <summary>Creates a pending run record with a fresh id.</summary>
    /// <param name="projectId">The project id.</param>
    /// <returns>The run.</returns>
    protected static RunRecord NewRun(string projectId)
        => new() { RunId = NewId("run"), ProjectId = projectId, Mode = MigrationMode.Full, State = MigrationRunState.Pending, CreatedAt = T0 };

    /// <summary>Stores a new project and a run in it.</summary>
    /// <returns>The project and the run.</returns>
    protected async Task<(ProjectRecord Project, RunRecord Run)> CreateProjectAndRunAsync()
    {
        ProjectRecord project = await Store.EnsureProjectAsync(NewProject()).ConfigureAwait(false);
        RunRecord run = NewRun(project.ProjectId);
        await Store.CreateRunAsync(run).ConfigureAwait(false);
        return (project, run);
    }

    /// <summary>Creates an ID-map row first migrated at <see cref="T0"/>.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="sourceId">The source id.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="points">The points the row charges when new.</param>
    /// <returns>The row.</returns>
    protected static IdMapEntry Mapping(EntityType type, string runId, string sourceId, string targetId, decimal points)
        => new() { Type = type, SourceId = sourceId, TargetId = targetId, RunId = runId, Points = points, FirstMigratedAt = T0, LastUpdatedAt = T0 };

    /// <summary>Creates an empty commit of a run and type.</summary>
    /// <param name="project">The project.</param>
    /// <param name="run">The run.</param>
    /// <param name="type">The entity type.</param>
    /// <returns>The commit.</returns>
    protected static BatchCommit Commit(ProjectRecord project, RunRecord run, EntityType type)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(run);
        return new BatchCommit { ProjectId = project.ProjectId, RunId = run.RunId, Type = type };
    }

    private async Task<RunLease> AcquireAsync(string runId, string owner, DateTimeOffset now)
    {
        RunLease? lease = await Store.TryAcquireLeaseAsync(runId, owner, now, LeaseDuration).ConfigureAwait(false);
        Assert.NotNull(lease);
        return lease;
    }

    private async Task<TypeCheckpoint> GetCheckpointAsync(string runId, EntityType type)
    {
        IReadOnlyList<TypeCheckpoint> checkpoints = await Store.GetCheckpointsAsync(runId).ConfigureAwait(false);
        TypeCheckpoint? checkpoint = checkpoints.SingleOrDefault(c => c.Type == type);
        Assert.NotNull(checkpoint);
        return checkpoint;
    }

    private async Task<List<string>> ReadIdMapAsync(string projectId, EntityType type)
    {
        List<string> ids = [];
        await foreach (IdMapEntry entry in Store.ReadIdMapAsync(projectId, type).ConfigureAwait(false))
        {
            Assert.False(entry.IsChild);
            ids.Add(entry.SourceId);
        }

        return ids;
    }

    private static void AssertSameProject(ProjectRecord expected, ProjectRecord actual)
    {
        Assert.Equal(expected.ProjectId, actual.ProjectId);
        Assert.Equal(expected.SourceProviderId, actual.SourceProviderId);
        Assert.Equal(expected.TargetProviderId, actual.TargetProviderId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
    }

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    Task IAsyncLifetime.InitializeAsync() => InitializeCoreAsync();

    Task IAsyncLifetime.DisposeAsync() => _store is null ? Task.CompletedTask : DisposeStoreAsync(_store);

    private async Task InitializeCoreAsync() => _store = await CreateStoreAsync().ConfigureAwait(false);
}
