using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>The points in the pipeline where tests can inject a crash or a delay.</summary>
internal enum EngineStage
{
    /// <summary>The reader received a page from the source.</summary>
    PageRead,

    /// <summary>The mapper recorded a batch's intents and is about to hand it to the writers.</summary>
    BatchMapped,

    /// <summary>A writer wrote a batch to the target; its outcome is not committed yet.</summary>
    BatchWritten,

    /// <summary>The committer committed a batch.</summary>
    BatchCommitted,
}

/// <summary>Test seams of the engine. The default instance does nothing.</summary>
internal sealed class EngineHooks
{
    public static readonly EngineHooks None = new();

    /// <summary>Gets or sets a callback run at each stage with the type and the page or batch sequence number.</summary>
    public Func<EngineStage, EntityType, long, ValueTask>? OnStage { get; set; }

    public ValueTask InvokeAsync(EngineStage stage, EntityType type, long sequence)
        => OnStage is { } callback ? callback(stage, type, sequence) : ValueTask.CompletedTask;
}
