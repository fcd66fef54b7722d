using NextCart.Migration.Checkpoints.Internal;

namespace NextCart.Migration.Checkpoints;

/// <summary>Factory of the checkpoint stores that ship in the core package.</summary>
public static class CheckpointStore
{
    /// <summary>
    /// Creates a store that keeps everything in memory. It is thread-safe and atomic per commit, but lost with the process:
    /// use it for tests, demos and short runs; use the SQLite or PostgreSQL store for anything that must survive a restart.
    /// </summary>
    /// <returns>A new, empty store.</returns>
    public static ICheckpointStore CreateInMemory() => new InMemoryCheckpointStore();
}
