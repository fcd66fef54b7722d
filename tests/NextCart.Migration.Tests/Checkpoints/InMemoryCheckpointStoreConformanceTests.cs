using NextCart.Migration.Checkpoints;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Tests.Checkpoints;

/// <summary>The shipped in-memory store against the shared store conformance kit.</summary>
public sealed class InMemoryCheckpointStoreConformanceTests : CheckpointStoreConformanceTests
{
    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(CheckpointStore.CreateInMemory());
}
