namespace NextCart.Migration.Model;

/// <summary>
/// A typed reference from one canonical entity to another, by the referenced record's id in the <b>source</b> store.
/// </summary>
/// <remarks>The engine, never a connector, turns references into target ids through the ID map.</remarks>
/// <param name="Type">The type of the referenced entity.</param>
/// <param name="SourceId">The referenced record's id in the source store.</param>
public readonly record struct EntityRef(EntityType Type, string SourceId)
{
    /// <summary>The separator between a product's id and a variant's id in a variant key.</summary>
    public const char ChildSeparator = '/';

    /// <summary>Creates a reference to a product.</summary>
    /// <param name="sourceId">The product's source id.</param>
    /// <returns>The reference.</returns>
    public static EntityRef Product(string sourceId) => new(EntityType.Products, sourceId);

    /// <summary>
    /// Creates a reference to one variant of a product. Variants are mapped as children of their product in the ID map.
    /// </summary>
    /// <param name="productSourceId">The product's source id.</param>
    /// <param name="variantSourceId">The variant's source id.</param>
    /// <returns>The reference, whose <see cref="SourceId"/> is <c>{product}/{variant}</c>.</returns>
    public static EntityRef Variant(string productSourceId, string variantSourceId)
        => new(EntityType.Products, string.Concat(productSourceId, "/", variantSourceId));

    /// <summary>Gets a value indicating whether this reference points at a child record (a variant) rather than a whole entity.</summary>
    public bool IsChild => SourceId.Contains(ChildSeparator, StringComparison.Ordinal);

    /// <summary>Gets the id of the entity that owns the referenced record: the product for a variant, else <see cref="SourceId"/>.</summary>
    public string OwnerSourceId
    {
        get
        {
            int i = SourceId.IndexOf(ChildSeparator, StringComparison.Ordinal);
            return i < 0 ? SourceId : SourceId[..i];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Type.ToCamelCase()}:{SourceId}";
}

/// <summary>How strongly a record depends on a referenced record.</summary>
public enum ReferenceKind
{
    /// <summary>The record cannot be written correctly without the reference; if it is missing, the record fails with a clear reason.</summary>
    Required = 0,

    /// <summary>The reference is dropped with a warning when it cannot be resolved (a guest order's customer, a deleted product on an order line).</summary>
    Optional = 1,

    /// <summary>
    /// The reference may point at a record that is written later (a category's parent, related products); when it cannot be
    /// resolved at write time the engine links it in a deferred pass after both ends exist.
    /// </summary>
    Deferred = 2,
}

/// <summary>The role a reference plays on the record that holds it.</summary>
public enum ReferenceRole
{
    /// <summary>The parent of a hierarchical record, such as a category's parent.</summary>
    Parent = 0,

    /// <summary>A category a product or coupon belongs to.</summary>
    Category = 1,

    /// <summary>A product's manufacturer.</summary>
    Manufacturer = 2,

    /// <summary>A product referenced by an order line, review or coupon.</summary>
    Product = 3,

    /// <summary>A product variant referenced by an order line.</summary>
    Variant = 4,

    /// <summary>The customer of an order or review.</summary>
    Customer = 5,

    /// <summary>A related product.</summary>
    Related = 6,

    /// <summary>An up-sell product.</summary>
    Upsell = 7,

    /// <summary>A cross-sell product.</summary>
    CrossSell = 8,

    /// <summary>A child product of a grouped product.</summary>
    GroupedChild = 9,

    /// <summary>A product or category that a coupon excludes.</summary>
    Excluded = 10,

    /// <summary>The entity a redirect points at.</summary>
    RedirectTarget = 11,

    /// <summary>A tax class or rate.</summary>
    Tax = 12,
}

/// <summary>One reference held by an entity, with its role and how strongly the entity depends on it.</summary>
/// <param name="Target">The referenced record.</param>
/// <param name="Role">The role of the reference.</param>
/// <param name="Kind">How the engine treats an unresolved reference.</param>
public readonly record struct EntityReference(EntityRef Target, ReferenceRole Role, ReferenceKind Kind);

/// <summary>A reference resolved through the ID map to the referenced record's target identity.</summary>
/// <param name="TargetId">The referenced record's id on the target.</param>
/// <param name="TargetUrl">The referenced record's URL or handle on the target, when known.</param>
public readonly record struct ResolvedTarget(string TargetId, string? TargetUrl);
