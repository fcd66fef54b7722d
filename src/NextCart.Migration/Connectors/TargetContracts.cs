using System.Collections.Frozen;
using NextCart.Migration.Model;

namespace NextCart.Migration.Connectors;

/// <summary>Writes canonical records to a target store.</summary>
public interface ITargetConnector
{
    /// <summary>Gets the stable provider id, such as <c>shopify</c>, stored in the project so a resumed run finds its connector again.</summary>
    string ProviderId { get; }

    /// <summary>Checks credentials, permissions and capabilities.</summary>
    /// <param name="cancellationToken">The token to cancel the check.</param>
    /// <returns>The result of the check.</returns>
    ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the target's limits for a type: batch size, concurrency and whether the type is supported at all.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The limits.</returns>
    TargetLimits GetLimits(EntityType type);

    /// <summary>Writes a batch of records, creating or updating each.</summary>
    /// <param name="type">The entity type of every record in the batch.</param>
    /// <param name="records">The records, at most <see cref="TargetLimits.MaxBatchSize"/>.</param>
    /// <param name="cancellationToken">The token to cancel the write.</param>
    /// <returns>One outcome per record, in the order of <paramref name="records"/>.</returns>
    /// <exception cref="MigrationException">The whole batch failed; <see cref="MigrationException.IsTransient"/> says whether a retry may succeed.</exception>
    ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds records that already exist on the target, by the source id the target stores on them or by a natural key.
    /// The engine uses it to reconcile writes whose outcome is unknown after a crash or a failed request.
    /// </summary>
    /// <param name="type">The entity type.</param>
    /// <param name="identities">The identities to look for.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The records found; identities not found are absent.</returns>
    ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default);
}

/// <summary>An optional target capability: deleting every record of a type before a run.</summary>
public interface ITargetClearer
{
    /// <summary>Deletes every record of a type on the target. This cannot be undone.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the type is clear.</returns>
    ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default);
}

/// <summary>An optional target capability: setting links whose other end was written later (deferred link passes).</summary>
public interface ITargetLinker
{
    /// <summary>Sets the given links on records that already exist on the target. It must be idempotent.</summary>
    /// <param name="type">The entity type of the records that hold the links.</param>
    /// <param name="links">The records and their resolved links.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>One outcome per record, in order.</returns>
    ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default);
}

/// <summary>
/// An optional target capability: finishing the target's output once a run has transferred every selected type. File targets
/// use it to publish their files atomically from what they recorded during the run.
/// </summary>
/// <remarks>
/// The engine calls it after every selected type, its deferred links and the redirects have committed, before the run is
/// verified, on every run that reaches that point (a resumed run included). It must be idempotent. When it throws, the run
/// fails and can be resumed; the engine then calls it again.
/// </remarks>
public interface ITargetCompleter
{
    /// <summary>Finishes the target's output.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the output is finished.</returns>
    ValueTask CompleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>The target's limits for one entity type.</summary>
public sealed record TargetLimits
{
    /// <summary>Gets limits for a type the target does not support.</summary>
    /// <remarks>
    /// The engine does not write such a type: it counts each of its records as skipped and reports it as a
    /// <see cref="FailureCategory.Unsupported"/> warning with <paramref name="reason"/>, so the run can still complete
    /// without errors.
    /// </remarks>
    /// <param name="reason">Why, as the report will show it.</param>
    /// <returns>The limits.</returns>
    public static TargetLimits Unsupported(string reason) => new() { IsSupported = false, UnsupportedReason = reason };

    /// <summary>Gets the largest batch the target accepts in one write.</summary>
    /// <value>The default value is 100.</value>
    public int MaxBatchSize { get; init; } = 100;

    /// <summary>Gets how many writes may run at once.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Gets a value indicating whether the target supports the type.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IsSupported { get; init; } = true;

    /// <summary>Gets why the type is not supported.</summary>
    public string? UnsupportedReason { get; init; }

    /// <summary>Gets a value indicating whether the target can keep source ids as target ids.</summary>
    public bool SupportsPreserveIds { get; init; }
}

/// <summary>What a write should do with a record.</summary>
public enum WriteAction
{
    /// <summary>Create the record; the ID map does not know it.</summary>
    Create = 0,

    /// <summary>Update the record the ID map already knows, at <see cref="TargetRecord.ExistingTargetId"/>.</summary>
    Update = 1,
}

/// <summary>A canonical record ready for the target, with its references resolved through the ID map.</summary>
public sealed class TargetRecord
{
    private readonly IReadOnlyDictionary<EntityRef, ResolvedTarget> _references;

    /// <summary>Initializes a new instance of the <see cref="TargetRecord"/> class.</summary>
    /// <param name="entity">The record, after the engine's transforms.</param>
    /// <param name="action">Whether to create or update.</param>
    /// <param name="existingTargetId">The target id to update, for <see cref="WriteAction.Update"/>.</param>
    /// <param name="references">The references that resolved to target records.</param>
    public TargetRecord(Entity entity, WriteAction action, string? existingTargetId, IReadOnlyDictionary<EntityRef, ResolvedTarget>? references)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (action == WriteAction.Update && existingTargetId is null)
        {
            throw new ArgumentNullException(nameof(existingTargetId), "An update needs the existing target id.");
        }

        Entity = entity;
        Action = action;
        ExistingTargetId = existingTargetId;
        _references = references ?? FrozenDictionary<EntityRef, ResolvedTarget>.Empty;
    }

    /// <summary>Gets the record.</summary>
    public Entity Entity { get; }

    /// <summary>Gets whether to create or update.</summary>
    public WriteAction Action { get; }

    /// <summary>Gets the target id to update.</summary>
    public string? ExistingTargetId { get; }

    /// <summary>Gets a value indicating whether the target should keep the source id as the target id, where it can.</summary>
    public bool PreserveId { get; init; }

    /// <summary>Gets the references that resolved, keyed by the source reference.</summary>
    public IReadOnlyDictionary<EntityRef, ResolvedTarget> References => _references;

    /// <summary>Resolves a reference to its target record.</summary>
    /// <param name="reference">The source reference.</param>
    /// <param name="target">The target record, when resolved.</param>
    /// <returns><see langword="true"/> when the reference resolved.</returns>
    public bool TryResolve(EntityRef reference, out ResolvedTarget target) => _references.TryGetValue(reference, out target);
}

/// <summary>A record on the target whose links to records written later can now be set.</summary>
/// <param name="SourceId">The record's source id.</param>
/// <param name="TargetId">The record's target id.</param>
/// <param name="Links">The resolved links: the reference with its role, and the target record it points at.</param>
public sealed record LinkRecord(string SourceId, string TargetId, IReadOnlyList<ResolvedLink> Links);

/// <summary>A link whose reference has resolved.</summary>
/// <param name="Reference">The reference on the source record.</param>
/// <param name="Target">The target record it points at.</param>
public readonly record struct ResolvedLink(EntityReference Reference, ResolvedTarget Target);

/// <summary>The outcome of writing one record.</summary>
public enum RecordStatus
{
    /// <summary>The record was created.</summary>
    Created = 0,

    /// <summary>An existing record was updated (or adopted).</summary>
    Updated = 1,

    /// <summary>The record was not written; see the category and message.</summary>
    Failed = 2,
}

/// <summary>A child of a written record that other records may reference, such as a product's variant.</summary>
/// <param name="SourceId">The child's source id (the variant id).</param>
/// <param name="TargetId">The child's target id.</param>
public readonly record struct ChildMapping(string SourceId, string TargetId);

/// <summary>The outcome of writing one record.</summary>
public sealed record RecordOutcome
{
    /// <summary>Gets the record's source id.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets the outcome.</summary>
    public required RecordStatus Status { get; init; }

    /// <summary>Gets the target id, when written.</summary>
    public string? TargetId { get; init; }

    /// <summary>Gets the target URL or handle, when written.</summary>
    public string? TargetUrl { get; init; }

    /// <summary>Gets the failure's category, when failed.</summary>
    public FailureCategory? Category { get; init; }

    /// <summary>Gets the failure's message, when failed; never a secret.</summary>
    public string? Message { get; init; }

    /// <summary>Gets a value indicating whether a failed write may succeed if retried.</summary>
    public bool IsTransient { get; init; }

    /// <summary>Gets the children written with the record, such as variants.</summary>
    public IReadOnlyList<ChildMapping> Children { get; init; } = [];

    /// <summary>Gets adjustments the target made and reports, such as expanded any-value attributes.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Creates a created outcome.</summary>
    /// <param name="sourceId">The source id.</param>
    /// <param name="targetId">The new target id.</param>
    /// <param name="targetUrl">The target URL or handle.</param>
    /// <returns>The outcome.</returns>
    public static RecordOutcome Created(string sourceId, string targetId, string? targetUrl = null)
        => new() { SourceId = sourceId, Status = RecordStatus.Created, TargetId = targetId, TargetUrl = targetUrl };

    /// <summary>Creates an updated outcome.</summary>
    /// <param name="sourceId">The source id.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="targetUrl">The target URL or handle.</param>
    /// <returns>The outcome.</returns>
    public static RecordOutcome Updated(string sourceId, string targetId, string? targetUrl = null)
        => new() { SourceId = sourceId, Status = RecordStatus.Updated, TargetId = targetId, TargetUrl = targetUrl };

    /// <summary>Creates a failed outcome.</summary>
    /// <param name="sourceId">The source id.</param>
    /// <param name="category">The category.</param>
    /// <param name="message">The reason; never a secret.</param>
    /// <param name="isTransient">Whether a retry may succeed.</param>
    /// <returns>The outcome.</returns>
    public static RecordOutcome Failed(string sourceId, FailureCategory category, string message, bool isTransient = false)
        => new() { SourceId = sourceId, Status = RecordStatus.Failed, Category = category, Message = message, IsTransient = isTransient };
}

/// <summary>The outcome of writing a batch: one result per record, in the order written.</summary>
/// <param name="Results">The results.</param>
public sealed record BatchOutcome(IReadOnlyList<RecordOutcome> Results);

/// <summary>A record found on the target during reconciliation.</summary>
/// <param name="SourceId">
/// The source id the record carries on the target (its stored source identity). For a record found by natural key that
/// carries no source identity, the requested source id. The engine adopts a record only for the source id given here, so a
/// natural-key match that belongs to another source record (a duplicate e-mail) is never adopted by the wrong one.
/// </param>
/// <param name="TargetId">Its target id.</param>
/// <param name="TargetUrl">Its target URL or handle.</param>
public sealed record ExistingTarget(string SourceId, string TargetId, string? TargetUrl)
{
    /// <summary>Gets its children, such as variants, so references to them resolve.</summary>
    public IReadOnlyList<ChildMapping> Children { get; init; } = [];
}
