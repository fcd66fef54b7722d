using NextCart.Migration.Checkpoints;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Tests.Engine;

/// <summary>The engine's end-to-end scenarios on the in-memory store.</summary>
public sealed class InMemoryEngineScenarioTests : EngineScenarioTests
{
    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult(CheckpointStore.CreateInMemory());
}
