using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce.Internal;

namespace NextCart.Migration.Sandbox.WooCommerce;

/// <summary>
/// A read-only view of a <see cref="WooCommerceSandbox"/>'s data, for tests that compare a target with its source without
/// going through HTTP. Every method returns fresh copies of the records as the REST API would show them (computed fields
/// included, <c>_links</c> left out), ordered by id.
/// </summary>
/// <remarks>Thread-safe: each call takes a consistent snapshot under the store's lock. Trashed records are included, with their <c>trash</c> status.</remarks>
public sealed class WooCommerceStoreView
{
    private readonly WooApi _api;

    internal WooCommerceStoreView(WooApi api)
    {
        _api = api;
    }

    private WooStore Store => _api.Context.Store;

    /// <summary>Gets the id of the default product category, "Uncategorized", which every WooCommerce store has and which products without a category get.</summary>
    public long DefaultCategoryId => Store.DefaultCategoryId;

    /// <summary>Gets the products (not their variations).</summary>
    /// <returns>The products.</returns>
    public IReadOnlyList<JsonObject> GetProducts() => Read(Store.Products, _api.Products.View);

    /// <summary>Gets a product.</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product, or <see langword="null"/>.</returns>
    public JsonObject? GetProduct(long id) => ReadOne(Store.Products, id, _api.Products.View);

    /// <summary>Gets the variations of a product.</summary>
    /// <param name="productId">The product id.</param>
    /// <returns>The variations.</returns>
    public IReadOnlyList<JsonObject> GetVariations(long productId)
        => Read(Store.Variations, _api.Variations.View, v => Json.Long(v, "__parent") == productId);

    /// <summary>Gets the product categories, including "Uncategorized".</summary>
    /// <returns>The categories.</returns>
    public IReadOnlyList<JsonObject> GetCategories() => Read(Store.Categories, _api.Categories.View);

    /// <summary>Gets the product tags.</summary>
    /// <returns>The tags.</returns>
    public IReadOnlyList<JsonObject> GetTags() => Read(Store.Tags, _api.Tags.View);

    /// <summary>Gets the global product attributes.</summary>
    /// <returns>The attributes.</returns>
    public IReadOnlyList<JsonObject> GetAttributes() => Read(Store.Attributes, _api.Attributes.View);

    /// <summary>Gets the terms of a global attribute.</summary>
    /// <param name="attributeId">The attribute id.</param>
    /// <returns>The terms.</returns>
    public IReadOnlyList<JsonObject> GetAttributeTerms(long attributeId)
        => Read(Store.AttributeTerms, _api.AttributeTerms.View, t => Json.Long(t, "__attribute") == attributeId);

    /// <summary>Gets the tax rates.</summary>
    /// <returns>The tax rates.</returns>
    public IReadOnlyList<JsonObject> GetTaxes() => Read(Store.Taxes, _api.Taxes.View);

    /// <summary>Gets the customers: the users with the <c>customer</c> role (the administrator is left out).</summary>
    /// <returns>The customers.</returns>
    public IReadOnlyList<JsonObject> GetCustomers() => Read(Store.Users, _api.Customers.View, u => Json.Str(u, "role") == "customer");

    /// <summary>Gets the orders.</summary>
    /// <returns>The orders.</returns>
    public IReadOnlyList<JsonObject> GetOrders() => Read(Store.Orders, _api.Orders.View);

    /// <summary>Gets an order.</summary>
    /// <param name="id">The order id.</param>
    /// <returns>The order, or <see langword="null"/>.</returns>
    public JsonObject? GetOrder(long id) => ReadOne(Store.Orders, id, _api.Orders.View);

    /// <summary>Gets the notes of an order.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>The notes.</returns>
    public IReadOnlyList<JsonObject> GetOrderNotes(long orderId)
        => Read(Store.OrderNotes, _api.OrderNotes.View, n => Json.Long(n, "__order") == orderId);

    /// <summary>Gets the refunds of an order.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>The refunds.</returns>
    public IReadOnlyList<JsonObject> GetRefunds(long orderId)
        => Read(Store.Refunds, _api.Refunds.View, r => Json.Long(r, "__order") == orderId);

    /// <summary>Gets the product reviews, whatever their status.</summary>
    /// <returns>The reviews.</returns>
    public IReadOnlyList<JsonObject> GetReviews() => Read(Store.Reviews, _api.Reviews.View);

    /// <summary>Gets the coupons.</summary>
    /// <returns>The coupons.</returns>
    public IReadOnlyList<JsonObject> GetCoupons() => Read(Store.Coupons, _api.Coupons.View);

    /// <summary>Gets the WordPress blog posts.</summary>
    /// <returns>The posts.</returns>
    public IReadOnlyList<JsonObject> GetPosts() => Read(Store.Posts, _api.Posts.View);

    /// <summary>Gets the WordPress pages.</summary>
    /// <returns>The pages.</returns>
    public IReadOnlyList<JsonObject> GetPages() => Read(Store.Pages, _api.Pages.View);

    /// <summary>Gets the redirects of the Redirection plugin.</summary>
    /// <returns>The redirects.</returns>
    public IReadOnlyList<JsonObject> GetRedirects() => Read(Store.Redirects, RedirectView);

    /// <summary>Gets the number of records of each resource, keyed by its route name (<c>products</c>, <c>variations</c>, <c>orders</c>, …).</summary>
    /// <returns>The counts.</returns>
    public IReadOnlyDictionary<string, int> GetCounts()
    {
        lock (Store.Gate)
        {
            return new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["products"] = Store.Products.Count,
                ["variations"] = Store.Variations.Count,
                ["categories"] = Store.Categories.Count,
                ["tags"] = Store.Tags.Count,
                ["attributes"] = Store.Attributes.Count,
                ["taxes"] = Store.Taxes.Count,
                ["customers"] = Store.Users.All.Count(u => Json.Str(u, "role") == "customer"),
                ["orders"] = Store.Orders.Count,
                ["order_notes"] = Store.OrderNotes.Count,
                ["refunds"] = Store.Refunds.Count,
                ["reviews"] = Store.Reviews.Count,
                ["coupons"] = Store.Coupons.Count,
                ["posts"] = Store.Posts.Count,
                ["pages"] = Store.Pages.Count,
                ["redirects"] = Store.Redirects.Count,
            };
        }
    }

    /// <summary>
    /// Gets the id a record of the seeding sample store got in this sandbox. Variants are found with their
    /// <see cref="EntityRef.Variant"/> key (<c>{product}/{variant}</c>) under <see cref="EntityType.Products"/>.
    /// </summary>
    /// <param name="type">The canonical entity type.</param>
    /// <param name="sourceId">The record's source id in the sample store.</param>
    /// <returns>The WooCommerce id, or <see langword="null"/> when the record was not seeded (manufacturers never are; nor are reviews of missing products).</returns>
    public long? FindSeededId(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        lock (Store.Gate)
        {
            return Store.SeedIds.TryGetValue((type, sourceId), out long id) ? id : null;
        }
    }

    /// <summary>Finds the records of a list whose <c>meta_data</c> has an entry with a key and value, such as <c>_nextcart_source_id</c>.</summary>
    /// <param name="records">Records read from this view.</param>
    /// <param name="key">The meta key.</param>
    /// <param name="value">The meta value, compared as text.</param>
    /// <returns>The matching records.</returns>
    public static IEnumerable<JsonObject> WithMeta(IEnumerable<JsonObject> records, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Where(r => r["meta_data"] is JsonArray meta
            && meta.OfType<JsonObject>().Any(m => Json.Str(m, "key") == key && Json.Str(m["value"]) == value));
    }

    private static JsonObject RedirectView(JsonObject stored) => Internal.Resources.RedirectionResource.View(stored);

    /// <summary>Re-reads a record from its JSON text, so its values convert as parsed JSON does (any number to <see cref="long"/> or <see cref="decimal"/>).</summary>
    private static JsonObject Detach(JsonObject record) => JsonNode.Parse(record.ToJsonString())!.AsObject();

    private List<JsonObject> Read(ResourceTable table, Func<JsonObject, JsonObject> view, Func<JsonObject, bool>? filter = null)
    {
        lock (Store.Gate)
        {
            return [.. table.All.Where(filter ?? (_ => true)).OrderBy(r => Json.Long(r, "id")).Select(r => Detach(view(r)))];
        }
    }

    private JsonObject? ReadOne(ResourceTable table, long id, Func<JsonObject, JsonObject> view)
    {
        lock (Store.Gate)
        {
            return table.Find(id) is { } item ? Detach(view(item)) : null;
        }
    }
}
