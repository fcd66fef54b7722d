using NextCart.Migration.Internal;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Engine;

public class CrashRecoveryTests
{
    private static readonly EntityType[] Migrated = EntityTypes.All.Where(t => t != EntityType.Redirects).ToArray();

    public static TheoryData<string, EntityType, long> CrashPoints => new()
    {
        { "PageRead", EntityType.Categories, 0 },
        { "PageRead", EntityType.Orders, 2 },
        { "BatchMapped", EntityType.Products, 1 },
        { "BatchMapped", EntityType.Orders, 5 },
        { "BatchWritten", EntityType.Products, 2 },
        { "BatchWritten", EntityType.Customers, 0 },
        { "BatchWritten", EntityType.Orders, 7 },
        { "BatchCommitted", EntityType.Orders, 3 },
        { "BatchCommitted", EntityType.Redirects, 0 },
    };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task ResumeAsync_AfterCrashAtStage_ExactlyOnceWithReferencesIntact(string stageName, EntityType type, long sequence)
    {
        EngineStage stage = Enum.Parse<EngineStage>(stageName);
        EngineHarness h = new();
        CrashableStore dying = new(h.Checkpoints);
        EngineHooks hooks = new()
        {
            OnStage = (s, t, n) =>
            {
                if (s == stage && t == type && n == sequence)
                {
                    dying.Kill();
                    throw new SimulatedCrashException();
                }

                return ValueTask.CompletedTask;
            },
        };

        MigrationManager first = h.CreateManager(dying, hooks);
        MigrationOperation crashed = await first.StartAsync(h.Project, EngineHarness.Options());
        await Assert.ThrowsAnyAsync<Exception>(() => crashed.WaitForCompletionAsync());
        Assert.Equal(MigrationRunState.Running, (await h.Checkpoints.GetRunAsync(crashed.RunId))!.State);

        // A new engine instance on the same store takes over once the dead one's lease has expired.
        MigrationManager second = h.CreateManager(time: EngineHarness.AnHourLater());
        MigrationOperation resumed = await second.ResumeAsync(h.Project, crashed.RunId);
        MigrationReport report = await resumed.WaitForCompletionAsync();

        Assert.Equal(MigrationRunState.CompletedWithErrors, report.Status);
        h.AssertOnlyExpectedFailures(report);
        h.AssertExactlyOnce(report, Migrated);
        h.AssertReferencesIntact();
        decimal expectedPoints = h.Store.Count(EntityType.Products) + (0.5m * (h.Store.Count(EntityType.Customers) - report.Failures.Count))
            + (0.8m * h.Store.Count(EntityType.Orders)) + (0.6m * h.Store.Count(EntityType.BlogPosts));
        Assert.Equal(expectedPoints, report.Points.Charged);
    }

    [Fact]
    public async Task ResumeAsync_LeaseStillHeld_Refused()
    {
        EngineHarness h = new();
        CrashableStore dying = new(h.Checkpoints);
        EngineHooks hooks = new()
        {
            OnStage = (s, t, n) =>
            {
                if (s == EngineStage.BatchCommitted && t == EntityType.Products)
                {
                    dying.Kill();
                    throw new SimulatedCrashException();
                }

                return ValueTask.CompletedTask;
            },
        };
        MigrationOperation crashed = await h.CreateManager(dying, hooks).StartAsync(h.Project, EngineHarness.Options());
        await Assert.ThrowsAnyAsync<Exception>(() => crashed.WaitForCompletionAsync());

        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.CreateManager().ResumeAsync(h.Project, crashed.RunId));

        Assert.Contains("another worker", ex.Message, StringComparison.Ordinal);
    }
}
