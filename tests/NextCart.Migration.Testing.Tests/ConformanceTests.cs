using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Testing.Tests;

// The core in-memory checkpoint store runs the store kit in NextCart.Migration.Tests, next to the store itself.

/// <summary>The in-memory source, with pages smaller than every type, against the source conformance kit.</summary>
public sealed class InMemorySourceConnectorConformanceTests : SourceConnectorConformanceTests
{
    private static readonly SampleStore Store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 3 });

    protected override SampleStore ExpectedStore => Store;

    protected override ISourceConnector CreateSource() => new InMemorySourceConnector(Store) { PageSize = 4 };
}

/// <summary>The in-memory source with malformed records, which must still appear exactly once (as issues).</summary>
public sealed class InMemorySourceWithMalformedRecordsConformanceTests : SourceConnectorConformanceTests
{
    private static readonly SampleStore Store = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 4, Orders = 45 });

    protected override SampleStore ExpectedStore => Store;

    protected override IEnumerable<EntityType> TypesUnderTest => [EntityType.Products, EntityType.Orders];

    protected override ISourceConnector CreateSource()
    {
        InMemorySourceConnector source = new(Store) { PageSize = 6 };
        foreach (string id in new[] { "1", "6", "7", "13", "45" })
        {
            source.MarkMalformed(EntityType.Orders, id);
        }

        source.MarkMalformed(EntityType.Products, "50");
        return source;
    }
}

/// <summary>The in-memory target, with reviews unsupported as on Shopify, against the target conformance kit.</summary>
public sealed class InMemoryTargetConnectorConformanceTests : TargetConnectorConformanceTests
{
    protected override ValueTask<ITargetConnector> CreateTargetAsync()
    {
        InMemoryTargetConnector target = new();
        target.MarkUnsupported(EntityType.Reviews, "Shopify has no reviews API.");
        target.MarkUnsupported(EntityType.Taxes, "Taxes are configured in the Shopify admin.");
        target.SetLimits(EntityType.Orders, new TargetLimits { MaxBatchSize = 10, MaxConcurrency = 2 });
        return ValueTask.FromResult<ITargetConnector>(target);
    }

    protected override ValueTask<Entity?> ReadBackAsync(ITargetConnector target, EntityType type, string targetId)
        => ValueTask.FromResult(((InMemoryTargetConnector)target).GetRecord(type, targetId)?.Entity);
}
