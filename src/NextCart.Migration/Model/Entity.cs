using System.Collections.Immutable;

namespace NextCart.Migration.Model;

/// <summary>
/// The base of every canonical entity. Entities are immutable records; connectors translate between a platform's shapes and them.
/// </summary>
public abstract record Entity
{
    private static readonly ImmutableSortedDictionary<string, string> NoExtensions = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Gets the record's id in the source store. It is the key of the ID map.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets when the record was created, in UTC.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the record was last modified, in UTC.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>
    /// Gets the extension bag: platform fields the canonical model has no place for, keyed by a platform-prefixed name
    /// (for example <c>woocommerce.tax_status</c>), so that nothing is silently dropped.
    /// </summary>
    public ImmutableSortedDictionary<string, string> Extensions { get; init; } = NoExtensions;

    /// <summary>Gets the entity type of this record.</summary>
    public abstract EntityType Type { get; }

    /// <summary>Gets every reference this record holds to other records.</summary>
    /// <returns>The references, with their role and kind.</returns>
    public virtual IEnumerable<EntityReference> GetReferences() => [];

    /// <summary>Gets the record's URL path in the source store, used for SEO redirects; <see langword="null"/> when it has none.</summary>
    public virtual string? GetSourceUrl() => null;

    /// <summary>Gets the identity of this record that a target can use to find it again.</summary>
    /// <returns>The source identity with any natural keys.</returns>
    public virtual SourceIdentity GetIdentity() => new(Type, SourceId);
}

/// <summary>
/// The identity of a source record as a target may know it: its source id (which targets store on the written entity)
/// and natural keys such as a SKU, handle, e-mail or order number.
/// </summary>
/// <param name="Type">The entity type.</param>
/// <param name="SourceId">The source id.</param>
/// <param name="NaturalKey">A natural key the target enforces as unique (SKU, handle, e-mail, code, order number), or <see langword="null"/>.</param>
public sealed record SourceIdentity(EntityType Type, string SourceId, string? NaturalKey = null);
