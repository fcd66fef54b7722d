using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>A record stored by <see cref="InMemoryTargetConnector"/>: what a platform holds after a write. Snapshots are immutable.</summary>
public sealed record InMemoryTargetEntry
{
    /// <summary>Gets the entity type.</summary>
    public required EntityType Type { get; init; }

    /// <summary>Gets the target id, such as <c>t-products-7</c>.</summary>
    public required string TargetId { get; init; }

    /// <summary>Gets the source id stored on the record, as a platform keeps it in a meta field such as <c>_nextcart_source_id</c>.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets the record as last written.</summary>
    public required Entity Entity { get; init; }

    /// <summary>Gets the handle, made unique with <c>-1</c>, <c>-2</c> suffixes (products, categories, manufacturers, pages and blog posts).</summary>
    public string? Handle { get; init; }

    /// <summary>Gets the URL path on the target, such as <c>/products/{handle}</c>, or <see langword="null"/> for types without pages.</summary>
    public string? TargetUrl { get; init; }

    /// <summary>Gets where a redirect points: its fixed path, else the target URL of its resolved target entity.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>Gets the references that resolved, at write time or by a later link, to the target id they point at.</summary>
    public IReadOnlyDictionary<EntityRef, string> References { get; init; } = new Dictionary<EntityRef, string>();

    /// <summary>Gets the variants of a product: each variant's source id and target id (<c>t-variant-{n}</c>).</summary>
    public IReadOnlyList<ChildMapping> Variants { get; init; } = [];

    /// <summary>Gets the version: 1 when created, plus 1 for each update or link.</summary>
    public int Version { get; init; }

    /// <summary>Gets the order in which records were created on the target, across types.</summary>
    public long Sequence { get; init; }

    /// <summary>Gets the references of <see cref="Entity"/> that did not resolve to a target record.</summary>
    /// <returns>The unresolved references.</returns>
    public IEnumerable<EntityReference> GetUnresolvedReferences()
        => Entity.GetReferences().Where(r => !References.ContainsKey(r.Target));
}

/// <summary>When <see cref="InMemoryTargetConnector"/> throws an injected transient failure.</summary>
public enum TransientFailureTiming
{
    /// <summary>Before the batch is applied: nothing was written.</summary>
    BeforeWrite = 0,

    /// <summary>After the batch is applied: the write landed but its response was lost.</summary>
    AfterWrite = 1,

    /// <summary>Before or after, chosen by the connector's seeded random source.</summary>
    Either = 2,
}
