using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>Disposes a store the kits created, when the store is disposable.</summary>
internal static class StoreDisposal
{
    public static async Task DisposeAsync(ICheckpointStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
