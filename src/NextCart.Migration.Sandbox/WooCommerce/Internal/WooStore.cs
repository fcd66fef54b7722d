using System.Text.Json.Nodes;
using NextCart.Migration.Model;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The records of one resource type, by id, with a version that changes on every write.</summary>
internal sealed class ResourceTable
{
    private readonly Dictionary<long, JsonObject> _items = [];

    public int Version { get; private set; }

    public int Count => _items.Count;

    public IEnumerable<JsonObject> All => _items.Values;

    public JsonObject? Find(long id) => _items.TryGetValue(id, out JsonObject? item) ? item : null;

    public void Put(JsonObject item)
    {
        _items[Json.Long(item, "id")] = item;
        Version++;
    }

    public bool Remove(long id)
    {
        bool removed = _items.Remove(id);
        Version++;
        return removed;
    }

    public void Touch() => Version++;
}

/// <summary>
/// The in-memory database of a WooCommerce sandbox. Ids come from the sequences WordPress has: one for posts (products,
/// variations, orders, refunds, coupons, attachments, blog posts and pages share it, as they share <c>wp_posts</c>), one for
/// terms, users, comments (reviews and order notes), order items, meta, attributes, tax rates and redirects.
/// </summary>
/// <remarks>Every access happens under <see cref="Gate"/>.</remarks>
internal sealed class WooStore
{
    /// <summary>The WordPress administrator, who owns the application password.</summary>
    public const long AdminUserId = 1;

    private long _postId = 9;
    private long _termId = 1;
    private long _userId = AdminUserId;
    private long _commentId;
    private long _orderItemId;
    private long _metaId;
    private long _attributeId;
    private long _taxId;
    private long _redirectId;

    public WooStore(WooTime time, string siteUrl)
    {
        Time = time;
        SiteUrl = siteUrl;
    }

    public Lock Gate { get; } = new();

    public WooTime Time { get; }

    /// <summary>Gets the site URL, such as <c>http://127.0.0.1:5000</c> (no trailing slash).</summary>
    public string SiteUrl { get; }

    public ResourceTable Products { get; } = new();

    public ResourceTable Variations { get; } = new();

    public ResourceTable Attachments { get; } = new();

    public ResourceTable Orders { get; } = new();

    public ResourceTable Refunds { get; } = new();

    public ResourceTable Coupons { get; } = new();

    public ResourceTable Posts { get; } = new();

    public ResourceTable Pages { get; } = new();

    public ResourceTable Categories { get; } = new();

    public ResourceTable Tags { get; } = new();

    public ResourceTable AttributeTerms { get; } = new();

    public ResourceTable WpCategories { get; } = new();

    public ResourceTable WpTags { get; } = new();

    public ResourceTable Attributes { get; } = new();

    public ResourceTable Taxes { get; } = new();

    public ResourceTable Users { get; } = new();

    public ResourceTable Reviews { get; } = new();

    public ResourceTable OrderNotes { get; } = new();

    public ResourceTable Redirects { get; } = new();

    /// <summary>Gets the id of the default product category ("Uncategorized", <c>default_product_cat</c>).</summary>
    public long DefaultCategoryId { get; set; }

    /// <summary>Gets the ids the seeded records got, by canonical type and source id (variants as <c>product/variant</c>).</summary>
    public Dictionary<(EntityType Type, string SourceId), long> SeedIds { get; } = [];

    /// <summary>Gets a number that changes whenever any table changes.</summary>
    public long Version => (long)Products.Version + Variations.Version + Attachments.Version + Orders.Version + Refunds.Version + Coupons.Version
        + Posts.Version + Pages.Version + Categories.Version + Tags.Version + AttributeTerms.Version + WpCategories.Version + WpTags.Version
        + Attributes.Version + Taxes.Version + Users.Version + Reviews.Version + OrderNotes.Version + Redirects.Version;

    public long NextPostId() => ++_postId;

    public long NextTermId() => ++_termId;

    public long NextUserId() => ++_userId;

    public long NextCommentId() => ++_commentId;

    public long NextOrderItemId() => ++_orderItemId;

    public long NextMetaId() => ++_metaId;

    public long NextAttributeId() => ++_attributeId;

    public long NextTaxId() => ++_taxId;

    public long NextRedirectId() => ++_redirectId;

    /// <summary>Finds a product or variation by id.</summary>
    public JsonObject? FindProductOrVariation(long id) => Products.Find(id) ?? Variations.Find(id);

    /// <summary>Finds the product or variation that owns a SKU (case-insensitive, as MySQL compares), ignoring trashed products.</summary>
    public JsonObject? FindBySku(string sku, long exceptId = 0)
    {
        foreach (JsonObject item in Products.All.Concat(Variations.All))
        {
            if (Json.Long(item, "id") != exceptId
                && Json.Str(item, "status") != "trash"
                && string.Equals(Json.Str(item, "sku"), sku, StringComparison.OrdinalIgnoreCase))
            {
                return item;
            }
        }

        return null;
    }

    public JsonObject? FindUserByEmail(string email, long exceptId = 0)
        => Users.All.FirstOrDefault(u => Json.Long(u, "id") != exceptId && string.Equals(Json.Str(u, "email"), email, StringComparison.OrdinalIgnoreCase));

    public JsonObject? FindUserByLogin(string login)
        => Users.All.FirstOrDefault(u => string.Equals(Json.Str(u, "username"), login, StringComparison.OrdinalIgnoreCase));

    public JsonObject? FindCouponByCode(string code, long exceptId = 0)
        => Coupons.All.FirstOrDefault(c => Json.Long(c, "id") != exceptId && Json.Str(c, "status") != "trash" && string.Equals(Json.Str(c, "code"), code, StringComparison.OrdinalIgnoreCase));
}
