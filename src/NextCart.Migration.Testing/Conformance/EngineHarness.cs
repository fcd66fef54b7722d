using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;
using Xunit;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>A sample store, an in-memory source and target, a checkpoint store, and the checks every engine test makes.</summary>
internal sealed class EngineHarness
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Orders = 240, Customers = 60, Products = 80 });

    public EngineHarness(ICheckpointStore store)
    {
        Store = Sample;
        Source = new InMemorySourceConnector(Store) { PageSize = 50 };
        Target = new InMemoryTargetConnector();
        Checkpoints = store;
        EdgeCases = Store.FindEdgeCases();
        Project = new MigrationProject("scenario-" + Guid.NewGuid().ToString("N"), Source, Target);
    }

    public static IReadOnlyList<EntityType> Migrated { get; } = EntityTypes.All.Where(t => t != EntityType.Redirects).ToArray();

    public SampleStore Store { get; private set; }

    public SampleStoreEdgeCases EdgeCases { get; }

    public InMemorySourceConnector Source { get; }

    public InMemoryTargetConnector Target { get; }

    public ICheckpointStore Checkpoints { get; }

    public MigrationProject Project { get; }

    public static MigrationManagerOptions FastRetries() => new() { RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 8 };

    public MigrationManager CreateManager(ICheckpointStore? store = null, TimeProvider? time = null, MigrationManagerOptions? options = null)
        => new(store ?? Checkpoints, options ?? FastRetries(), null, time, null);

    /// <summary>A clock an hour ahead, so a manager that uses it can take over the lease of a crashed one.</summary>
    public static TimeProvider AnHourLater() => new OffsetTimeProvider(TimeSpan.FromHours(1));

    public static MigrationOptions Options(MigrationMode mode = MigrationMode.Full) => new()
    {
        Mode = mode,
        MaxBatchSize = 20,
        DefaultCustomerGroup = CustomerGroups.General,
    };

    public void ReplaceStore(SampleStore store)
    {
        Store = store;
        Source.Replace(store);
    }

    public async Task<MigrationReport> RunAsync(MigrationOptions options, MigrationManager? manager = null)
    {
        manager ??= CreateManager();
        MigrationOperation operation = await manager.StartAsync(Project, options).ConfigureAwait(false);
        return await operation.WaitForCompletionAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the exactly-once invariant for the given types: every source record is on the target exactly once, unless the
    /// report lists it as failed, in which case it is absent; and nothing on the target lacks a source record.
    /// </summary>
    public void AssertExactlyOnce(MigrationReport report, IEnumerable<EntityType> types, Func<Entity, bool>? inScope = null)
    {
        HashSet<(EntityType, string)> failed = report.Failures.Select(f => (f.EntityType, f.SourceId)).ToHashSet();
        foreach (EntityType type in types)
        {
            HashSet<string> sourceIds = new(StringComparer.Ordinal);
            foreach (Entity record in Store.Get(type))
            {
                sourceIds.Add(record.SourceId);
                if (inScope is not null && !inScope(record))
                {
                    continue;
                }

                int expected = failed.Contains((type, record.SourceId)) ? 0 : 1;
                Assert.True(
                    expected == Target.CountBySourceId(type, record.SourceId),
                    $"{type} {record.SourceId}: expected {expected} on the target, found {Target.CountBySourceId(type, record.SourceId)}.");
            }

            if (type != EntityType.Redirects)
            {
                Assert.All(Target.GetRecords(type), r => Assert.Contains(r.SourceId, sourceIds));
            }
        }
    }

    /// <summary>
    /// Checks that the run counted every record of every type once, however many times it was interrupted and resumed: in its
    /// checkpoints, the records read equal the records taken to an outcome (created, updated, skipped or failed); in its
    /// report, those outcomes add up to the records in scope.
    /// </summary>
    /// <param name="report">The run's report.</param>
    /// <returns>A task that completes when the checks do.</returns>
    public async Task AssertEachRecordCountedOnceAsync(MigrationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (TypeCheckpoint checkpoint in await Checkpoints.GetCheckpointsAsync(report.RunId).ConfigureAwait(false))
        {
            Assert.True(
                checkpoint.Counters.Read == checkpoint.Counters.Processed,
                $"{checkpoint.Type}: {checkpoint.Counters.Read} records read, {checkpoint.Counters.Processed} taken to an outcome ({checkpoint.Counters}).");
        }

        foreach (EntityReport entity in report.Entities)
        {
            Assert.True(
                entity.Migrated + entity.Updated + entity.Skipped + entity.Failed == entity.Total,
                $"{entity.Type}: {entity.Migrated} created + {entity.Updated} updated + {entity.Skipped} skipped + {entity.Failed} failed, for {entity.Total} records in scope.");
        }
    }

    /// <summary>Checks that every reference stored on the target points at the target record of the same source record.</summary>
    public void AssertReferencesIntact()
    {
        int checkedReferences = 0;
        foreach (EntityType type in EntityTypes.All)
        {
            foreach (InMemoryTargetEntry entry in Target.GetRecords(type))
            {
                foreach ((EntityRef reference, string targetId) in entry.References)
                {
                    InMemoryTargetEntry owner = Assert.Single(Target.FindBySourceId(reference.Type, reference.OwnerSourceId));
                    if (reference.IsChild)
                    {
                        string variantId = reference.SourceId[(reference.OwnerSourceId.Length + 1)..];
                        Assert.Contains(owner.Variants, v => v.SourceId == variantId && v.TargetId == targetId);
                    }
                    else
                    {
                        Assert.Equal(owner.TargetId, targetId);
                    }

                    checkedReferences++;
                }
            }
        }

        Assert.True(checkedReferences > 0, "No reference was checked.");
    }

    /// <summary>The failures the sample store causes by design: duplicate e-mails on a target that enforces unique e-mails.</summary>
    public void AssertOnlyExpectedFailures(MigrationReport report)
    {
        HashSet<string> duplicateEmails = [.. EdgeCases.DuplicateEmailCustomerIds, .. EdgeCases.CaseOnlyDuplicateEmailCustomerIds];
        Assert.All(report.Failures, f =>
        {
            Assert.Equal(EntityType.Customers, f.EntityType);
            Assert.Contains(f.SourceId, duplicateEmails);
            Assert.Equal(FailureCategory.Validation, f.Category);
        });
    }
}

/// <summary>The system clock shifted by a fixed offset; its timers run in real time.</summary>
internal sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
