using NextCart.Migration.Internal;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Internal;

public class OptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_NoErrors() => Assert.Empty(OptionsValidation.Validate(new MigrationOptions()));

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneQuotingValues()
    {
        MigrationOptions options = new()
        {
            DemoSize = 0,
            ErrorBudget = -1,
            MaxBatchSize = 0,
            OrderStatusMap = { ["wc-shipped"] = "sent" },
            DefaultCustomerGroup = "gold",
            Entities = { EntityType.Products },
            ClearTargetTypes = { EntityType.Orders },
        };

        List<string> errors = OptionsValidation.Validate(options);

        Assert.Equal(
        [
            "DemoSize is 0; it must be between 1 and 10000.",
            "ErrorBudget is -1; it must not be negative.",
            "MaxBatchSize is 0; it must be at least 1.",
            "ClearTargetTypes contains 'orders', which is not selected for migration; clearing is allowed only for migrated types.",
            "OrderStatusMap maps 'wc-shipped' to 'sent', which is not a canonical order status (pending, processing, on-hold, completed, cancelled, refunded, failed).",
            "DefaultCustomerGroup 'gold' is not a canonical customer group (general, wholesale, retailer, vip).",
        ],
        errors);
    }

    [Fact]
    public void Constructor_NoRecordsInFlight_ThrowsNamingTheOption()
    {
        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(
            () => new MigrationManager(NextCart.Migration.Checkpoints.CheckpointStore.CreateInMemory(), new MigrationManagerOptions { MaxRecordsInFlight = 0 }));
        Assert.Contains(ex.Errors, e => e.Contains("MaxRecordsInFlight", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidManagerOptions_ThrowsWithEveryProblem()
    {
        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(
            () => new MigrationManager(NextCart.Migration.Checkpoints.CheckpointStore.CreateInMemory(), new MigrationManagerOptions { MaxRetries = -1, ChannelCapacity = 0 }));
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("MaxRetries", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("ChannelCapacity", StringComparison.Ordinal));
    }
}
