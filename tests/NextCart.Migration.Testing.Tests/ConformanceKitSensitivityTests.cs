using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Testing.Conformance;
using Xunit.Sdk;

namespace NextCart.Migration.Testing.Tests;

/// <summary>The conformance kits fail on deliberately broken implementations, so passing them means something.</summary>
public sealed class ConformanceKitSensitivityTests
{
    private static readonly SampleStore Store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 3 });

    [Fact]
    public async Task StoreKit_StoreThatIgnoresLeases_FailsTheFencingTests()
    {
        BrokenStoreKit kit = new(inner => new DecoratedStore(inner) { IgnoreLeases = true });

        await AssertFailsAsync(kit, () => kit.CommitBatchAsync_WithStaleLease_ThrowsLeaseLostExceptionAndWritesNothing());
        await AssertFailsAsync(kit, () => kit.UpdateRunAsync_WithStaleLease_ThrowsLeaseLostExceptionAndKeepsTheRun());
        await AssertFailsAsync(kit, () => kit.AddPendingAsync_WithStaleLease_ThrowsLeaseLostExceptionAndAddsNothing());
        await AssertPassesAsync(kit, () => kit.CommitBatchAsync_SameSourceIdAgain_ChargesNothingAndKeepsFirstMigratedAt());
    }

    [Fact]
    public async Task StoreKit_StoreThatChargesEveryCommit_FailsTheLedgerTest()
    {
        BrokenStoreKit kit = new(inner => new DecoratedStore(inner) { ChargeEveryRow = true });

        await AssertFailsAsync(kit, () => kit.CommitBatchAsync_SameSourceIdAgain_ChargesNothingAndKeepsFirstMigratedAt());
        await AssertFailsAsync(kit, () => kit.CommitBatchAsync_ConcurrentCommitsOfSameSourceIds_ChargeEachIdOnce());
    }

    [Fact]
    public async Task StoreKit_StoreThatLosesTheToken_FailsTheTokenTest()
    {
        BrokenStoreKit kit = new(inner => new DecoratedStore(inner) { AlwaysAdvanceToken = true });

        await AssertFailsAsync(kit, () => kit.CommitBatchAsync_AdvanceToken_ReplacesTheTokenOnlyWhenSet());
    }

    [Fact]
    public async Task StoreKit_StoreWrittenBeforeStopRequests_CompilesButFailsTheStopRequestTestsWithAClearReason()
    {
        // DecoratedStore forwards only the members a store had before stop requests, as a third-party store built then does:
        // it keeps compiling through the interface's default members, which refuse a request and report none.
        BrokenStoreKit kit = new(inner => new DecoratedStore(inner));
        ICheckpointStore store = new DecoratedStore(CheckpointStore.CreateInMemory());

        await ((IAsyncLifetime)kit).InitializeAsync();
        try
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => kit.RequestStopAsync_None_ClearsTheRequest());
            await Assert.ThrowsAsync<NotSupportedException>(() => kit.RequestStopAsync_PauseAfterCancel_KeepsTheCancel());
            await kit.GetStopRequestAsync_NoRequest_ReturnsNone();
        }
        finally
        {
            await ((IAsyncLifetime)kit).DisposeAsync();
        }

        NotSupportedException refused = await Assert.ThrowsAsync<NotSupportedException>(() => store.RequestStopAsync("r1", RunStopRequest.Pause).AsTask());
        Assert.Contains("DecoratedStore does not record stop requests", refused.Message, StringComparison.Ordinal);
        Assert.Equal(RunStopRequest.None, await store.GetStopRequestAsync("r1"));
    }

    [Fact]
    public async Task SourceKit_SourceThatResumesInclusively_FailsTheResumeTest()
    {
        BrokenSourceKit kit = new(store => new InclusiveResumeSource(new InMemorySourceConnector(store) { PageSize = 4 }));

        await AssertFailsAsync(() => kit.ReadAsync_ResumeFromEachPageToken_ContinuesWithoutGapOrDuplicate());
        await kit.ReadAsync_FullRead_ReturnsEveryRecordExactlyOnce();
    }

    [Fact]
    public async Task SourceKit_SourceThatIgnoresTheLimit_FailsTheLimitTest()
    {
        BrokenSourceKit kit = new(store => new InMemorySourceConnector(store.WithChanges(e => e)) { PageSize = 4 }, ignoreLimit: true);

        await AssertFailsAsync(() => kit.ReadAsync_Limit_ReturnsAtMostTheLimit());
    }

    [Fact]
    public async Task TargetKit_TargetThatReordersOutcomes_FailsTheOutcomeOrderTest()
    {
        BrokenTargetKit kit = new(reverseOutcomes: true);

        await AssertFailsAsync(() => kit.WriteAsync_Create_ReturnsOneCreatedOutcomePerRecordInOrder());
    }

    [Fact]
    public async Task TargetKit_TargetThatForgetsSourceIds_FailsTheReconciliationTests()
    {
        BrokenTargetKit kit = new(reverseOutcomes: false);

        await AssertFailsAsync(() => kit.FindExistingAsync_SourceIdAlone_FindsEachRecord());
    }

    private static async Task AssertFailsAsync(Func<Task> test) => await Assert.ThrowsAnyAsync<XunitException>(test);

    private static async Task AssertFailsAsync(IAsyncLifetime kit, Func<Task> test)
    {
        await kit.InitializeAsync();
        try
        {
            await Assert.ThrowsAnyAsync<XunitException>(test);
        }
        finally
        {
            await kit.DisposeAsync();
        }
    }

    private static async Task AssertPassesAsync(IAsyncLifetime kit, Func<Task> test)
    {
        await kit.InitializeAsync();
        try
        {
            await test();
        }
        finally
        {
            await kit.DisposeAsync();
        }
    }

    // The broken kits are abstract-free but not public, so xunit does not run them as test classes of their own.
    internal sealed class BrokenStoreKit(Func<ICheckpointStore, ICheckpointStore> decorate) : CheckpointStoreConformanceTests
    {
        protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(decorate(CheckpointStore.CreateInMemory()));
    }

    internal sealed class BrokenSourceKit(Func<SampleStore, ISourceConnector> create, bool ignoreLimit = false) : SourceConnectorConformanceTests
    {
        protected override SampleStore ExpectedStore => Store;

        protected override IEnumerable<EntityType> TypesUnderTest => [EntityType.Products];

        protected override ISourceConnector CreateSource() => ignoreLimit ? new LimitIgnoringSource(create(Store)) : create(Store);
    }

    internal sealed class BrokenTargetKit(bool reverseOutcomes) : TargetConnectorConformanceTests
    {
        protected override IEnumerable<EntityType> TypesUnderTest => [EntityType.Pages];

        protected override ValueTask<ITargetConnector> CreateTargetAsync()
            => ValueTask.FromResult<ITargetConnector>(new BrokenTarget(new InMemoryTargetConnector(), reverseOutcomes));
    }

    private sealed class InclusiveResumeSource(ISourceConnector inner) : ISourceConnector
    {
        public string ProviderId => inner.ProviderId;

        public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);

        public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default) => inner.CountAsync(type, query, cancellationToken);

        public IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, CancellationToken cancellationToken = default)
            => inner.ReadAsync(type, query, resumeToken is null ? null : (long.Parse(resumeToken, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    private sealed class LimitIgnoringSource(ISourceConnector inner) : ISourceConnector
    {
        public string ProviderId => inner.ProviderId;

        public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);

        public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default) => inner.CountAsync(type, query with { Limit = null }, cancellationToken);

        public IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, CancellationToken cancellationToken = default)
            => inner.ReadAsync(type, query with { Limit = null }, resumeToken, cancellationToken);
    }

    private sealed class BrokenTarget(InMemoryTargetConnector inner, bool reverseOutcomes) : ITargetConnector
    {
        public string ProviderId => inner.ProviderId;

        public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);

        public TargetLimits GetLimits(EntityType type) => inner.GetLimits(type);

        public async ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
        {
            BatchOutcome outcome = await inner.WriteAsync(type, records, cancellationToken);
            return reverseOutcomes ? new BatchOutcome([.. outcome.Results.Reverse()]) : outcome;
        }

        public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
            => reverseOutcomes ? inner.FindExistingAsync(type, identities, cancellationToken) : inner.FindExistingAsync(type, [.. identities.Where(i => i.NaturalKey is not null)], cancellationToken);
    }

    /// <summary>A store with switchable bugs.</summary>
    private sealed class DecoratedStore(ICheckpointStore inner) : ICheckpointStore
    {
        public bool IgnoreLeases { get; init; }

        public bool ChargeEveryRow { get; init; }

        public bool AlwaysAdvanceToken { get; init; }

        public ValueTask<ProjectRecord> EnsureProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default) => inner.EnsureProjectAsync(project, cancellationToken);

        public ValueTask<ProjectRecord?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) => inner.GetProjectAsync(projectId, cancellationToken);

        public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => inner.CreateRunAsync(run, cancellationToken);

        public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

        public ValueTask<IReadOnlyList<RunRecord>> ListRunsAsync(string? projectId, CancellationToken cancellationToken = default) => inner.ListRunsAsync(projectId, cancellationToken);

        public ValueTask UpdateRunAsync(RunRecord run, RunLease? lease, CancellationToken cancellationToken = default) => inner.UpdateRunAsync(run, IgnoreLeases ? null : lease, cancellationToken);

        public ValueTask<IReadOnlyList<TypeCheckpoint>> GetCheckpointsAsync(string runId, CancellationToken cancellationToken = default) => inner.GetCheckpointsAsync(runId, cancellationToken);

        public ValueTask<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string projectId, EntityType type, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
            => inner.LookupAsync(projectId, type, sourceIds, cancellationToken);

        public ValueTask<IdMapEntry?> FindByTargetIdAsync(string projectId, EntityType type, string targetId, CancellationToken cancellationToken = default)
            => inner.FindByTargetIdAsync(projectId, type, targetId, cancellationToken);

        public ValueTask<long> CountMappedAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => inner.CountMappedAsync(projectId, type, cancellationToken);

        public IAsyncEnumerable<IdMapEntry> ReadIdMapAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => inner.ReadIdMapAsync(projectId, type, cancellationToken);

        public ValueTask AddPendingAsync(string projectId, string runId, EntityType type, IReadOnlyList<SourceIdentity> identities, RunLease? lease, CancellationToken cancellationToken = default)
            => inner.AddPendingAsync(projectId, runId, type, identities, IgnoreLeases ? null : lease, cancellationToken);

        public ValueTask<IReadOnlyList<SourceIdentity>> GetPendingAsync(string projectId, EntityType type, CancellationToken cancellationToken = default) => inner.GetPendingAsync(projectId, type, cancellationToken);

        public async ValueTask<CommitResult> CommitBatchAsync(BatchCommit commit, CancellationToken cancellationToken = default)
        {
            BatchCommit effective = commit with
            {
                Lease = IgnoreLeases ? null : commit.Lease,
                AdvanceToken = AlwaysAdvanceToken || commit.AdvanceToken,
            };
            CommitResult result = await inner.CommitBatchAsync(effective, cancellationToken);
            return ChargeEveryRow
                ? new CommitResult(commit.Mappings.Count(m => !m.IsChild), commit.Mappings.Where(m => !m.IsChild).Sum(m => m.Points))
                : result;
        }

        public ValueTask<IReadOnlyList<RecordIssue>> GetIssuesAsync(string runId, CancellationToken cancellationToken = default) => inner.GetIssuesAsync(runId, cancellationToken);

        public ValueTask<IssueSummary> GetIssueSummaryAsync(string runId, int maxWarningExamples, CancellationToken cancellationToken = default) => inner.GetIssueSummaryAsync(runId, maxWarningExamples, cancellationToken);

        public ValueTask<IReadOnlyList<DeferredLink>> GetDeferredLinksAsync(string runId, EntityType type, CancellationToken cancellationToken = default) => inner.GetDeferredLinksAsync(runId, type, cancellationToken);

        public ValueTask<RunLease?> TryAcquireLeaseAsync(string runId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
            => inner.TryAcquireLeaseAsync(runId, owner, now, duration, cancellationToken);

        public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) => inner.RenewLeaseAsync(lease, now, duration, cancellationToken);

        public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(lease, cancellationToken);
    }
}
