using System.Globalization;
using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify.Internal;

namespace NextCart.Migration.Sandbox.Shopify;

/// <summary>
/// A read-only view of a <see cref="ShopifySandbox"/>'s data and cost counters, for tests that compare a target with its
/// source without going through HTTP (and without spending cost points), and for benchmarks that measure cost points per
/// second. Records come back as JSON with the GraphQL field names (ids are GIDs, money is a string), ordered by id;
/// metafields are an object keyed by <c>namespace.key</c>.
/// </summary>
/// <remarks>Thread-safe: each call takes a consistent snapshot under the store's lock.</remarks>
public sealed class ShopifyStoreView
{
    private readonly ShopifyStore _store;
    private readonly ShopifyPlatform _platform;
    private readonly SandboxRequestCounters _counters;
    private readonly Dictionary<(EntityType, string), string> _seedMap;

    internal ShopifyStoreView(ShopifyStore store, ShopifyPlatform platform, SandboxRequestCounters counters, Dictionary<(EntityType, string), string> seedMap)
    {
        _store = store;
        _platform = platform;
        _counters = counters;
        _seedMap = seedMap;
    }

    /// <summary>Gets the number of HTTP requests received (all paths, injected faults included).</summary>
    public long TotalRequests => _counters.TotalRequests;

    /// <summary>Gets the number of GraphQL requests that reached validation and costing (after authentication).</summary>
    public long GraphQLRequests => _platform.Ledger.Requests;

    /// <summary>Gets the number of <c>THROTTLED</c> answers.</summary>
    public long ThrottledResponses => _platform.Ledger.Throttled;

    /// <summary>Gets the cost points consumed: the sum of <c>actualQueryCost</c> of executed requests.</summary>
    public long CostPointsConsumed => _platform.Ledger.ActualPoints;

    /// <summary>Gets the sum of <c>requestedQueryCost</c> of executed requests.</summary>
    public long RequestedCostPoints => _platform.Ledger.RequestedPoints;

    /// <summary>Gets the points now available in the bucket.</summary>
    public double CurrentlyAvailable => _platform.Bucket.Available;

    /// <summary>Gets the bucket size.</summary>
    public double MaximumAvailable => _platform.Bucket.Maximum;

    /// <summary>Gets the points restored per second.</summary>
    public double RestoreRate => _platform.Bucket.RestoreRate;

    /// <summary>Gets the cost of every GraphQL request in arrival order: a time series from which a benchmark computes cost points per second.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<ShopifyCostSample> GetCostSamples() => _platform.Ledger.Samples();

    /// <summary>Sets the cost counters and the time series back to zero (the request counters of <see cref="PlatformSandbox.Requests"/> are separate).</summary>
    public void ResetCostCounters() => _platform.Ledger.Reset();

    /// <summary>Gets the GID a seeded record got, by its sample-store source id (variants by <c>{product}/{variant}</c>).</summary>
    /// <param name="type">The entity type (categories map to collections, blog posts to articles, coupons to discounts).</param>
    /// <param name="sourceId">The source id in the sample store.</param>
    /// <returns>The GID, or <see langword="null"/> when the record was not seeded.</returns>
    public string? FindSeeded(EntityType type, string sourceId) => _seedMap.TryGetValue((type, sourceId), out string? gid) ? gid : null;

    /// <summary>Gets the products with their options, variants (with their metafields), images, collections and metafields.</summary>
    /// <returns>The products.</returns>
    public IReadOnlyList<JsonObject> GetProducts() => Read(() => _store.Products.OrderBy(p => p.Id).Select(Product));

    /// <summary>Gets a product by GID.</summary>
    /// <param name="gid">The product's GID.</param>
    /// <returns>The product, or <see langword="null"/>.</returns>
    public JsonObject? GetProduct(string gid) => ReadOne(() => _store.FindOwner(gid) is ProductRec p ? Product(p) : null);

    /// <summary>Gets the collections with the GIDs of their products, in collection order.</summary>
    /// <returns>The collections.</returns>
    public IReadOnlyList<JsonObject> GetCollections() => Read(() => _store.Collections.OrderBy(c => c.Id).Select(c => Owner(c, new JsonObject
    {
        ["handle"] = c.Handle,
        ["title"] = c.Title,
        ["descriptionHtml"] = c.DescriptionHtml,
        ["seo"] = Seo(c.SeoTitle, c.SeoDescription),
        ["updatedAt"] = Date(c.UpdatedAt),
        ["products"] = Array(c.ProductIds.Select(id => ShopifyStore.Gid("Product", id))),
    })));

    /// <summary>Gets the customers with their addresses.</summary>
    /// <returns>The customers.</returns>
    public IReadOnlyList<JsonObject> GetCustomers() => Read(() => _store.Customers.OrderBy(c => c.Id).Select(c => Owner(c, new JsonObject
    {
        ["firstName"] = c.FirstName,
        ["lastName"] = c.LastName,
        ["email"] = c.Email,
        ["phone"] = c.Phone,
        ["note"] = c.Note,
        ["tags"] = Array(c.Tags),
        ["taxExempt"] = c.TaxExempt,
        ["addresses"] = new JsonArray([.. c.Addresses.Select(Address)]),
        ["createdAt"] = Date(c.CreatedAt),
        ["updatedAt"] = Date(c.UpdatedAt),
    })));

    /// <summary>Gets the orders with their line items (variant and product GIDs) and customer GID.</summary>
    /// <returns>The orders.</returns>
    public IReadOnlyList<JsonObject> GetOrders() => Read(() => _store.Orders.OrderBy(o => o.Id).Select(o => Owner(o, new JsonObject
    {
        ["name"] = o.Name,
        ["email"] = o.Email,
        ["phone"] = o.Phone,
        ["customer"] = o.CustomerId is { } c ? ShopifyStore.Gid("Customer", c) : null,
        ["currencyCode"] = o.Currency,
        ["displayFinancialStatus"] = o.FinancialStatus,
        ["displayFulfillmentStatus"] = o.FulfillmentStatus,
        ["note"] = o.Note,
        ["tags"] = Array(o.Tags),
        ["sourceName"] = o.SourceName,
        ["sourceIdentifier"] = o.SourceIdentifier,
        ["subtotal"] = ShopifyGraph.Money(o.Subtotal),
        ["total"] = ShopifyGraph.Money(o.Total),
        ["processedAt"] = Date(o.ProcessedAt),
        ["createdAt"] = Date(o.CreatedAt),
        ["updatedAt"] = Date(o.UpdatedAt),
        ["billingAddress"] = o.BillingAddress is { } b ? Address(b) : null,
        ["shippingAddress"] = o.ShippingAddress is { } s ? Address(s) : null,
        ["lineItems"] = new JsonArray([.. o.LineItems.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = ShopifyStore.Gid("LineItem", l.Id),
            ["title"] = l.Title,
            ["sku"] = l.Sku,
            ["quantity"] = l.Quantity,
            ["price"] = ShopifyGraph.Money(l.UnitPrice),
            ["variant"] = l.VariantId is { } v ? ShopifyStore.Gid("ProductVariant", v) : null,
            ["product"] = l.ProductId is { } p ? ShopifyStore.Gid("Product", p) : null,
        })]),
    })));

    /// <summary>Gets the pages.</summary>
    /// <returns>The pages.</returns>
    public IReadOnlyList<JsonObject> GetPages() => Read(() => _store.Pages.OrderBy(p => p.Id).Select(p => Owner(p, new JsonObject
    {
        ["title"] = p.Title,
        ["handle"] = p.Handle,
        ["body"] = p.Body,
        ["isPublished"] = p.IsPublished,
        ["publishedAt"] = p.PublishedAt is { } d ? Date(d) : null,
        ["updatedAt"] = Date(p.UpdatedAt),
    })));

    /// <summary>Gets the blogs.</summary>
    /// <returns>The blogs.</returns>
    public IReadOnlyList<JsonObject> GetBlogs() => Read(() => _store.Blogs.OrderBy(b => b.Id).Select(b => Owner(b, new JsonObject { ["title"] = b.Title, ["handle"] = b.Handle })));

    /// <summary>Gets the articles of every blog.</summary>
    /// <returns>The articles.</returns>
    public IReadOnlyList<JsonObject> GetArticles() => Read(() => _store.Articles.OrderBy(a => a.Id).Select(a => Owner(a, new JsonObject
    {
        ["blog"] = ShopifyStore.Gid("Blog", a.BlogId),
        ["title"] = a.Title,
        ["handle"] = a.Handle,
        ["body"] = a.Body,
        ["summary"] = a.Summary,
        ["author"] = a.Author,
        ["tags"] = Array(a.Tags),
        ["isPublished"] = a.IsPublished,
        ["publishedAt"] = a.PublishedAt is { } d ? Date(d) : null,
        ["updatedAt"] = Date(a.UpdatedAt),
    })));

    /// <summary>Gets the basic code discounts.</summary>
    /// <returns>The discounts; <c>percentage</c> is a fraction (0.1 is 10%), <c>amount</c> a money string.</returns>
    public IReadOnlyList<JsonObject> GetDiscounts() => Read(() => _store.Discounts.OrderBy(d => d.Id).Select(d => Owner(d, new JsonObject
    {
        ["code"] = d.Code,
        ["title"] = d.Title,
        ["startsAt"] = Date(d.StartsAt),
        ["endsAt"] = d.EndsAt is { } e ? Date(e) : null,
        ["usageLimit"] = d.UsageLimit,
        ["appliesOncePerCustomer"] = d.AppliesOncePerCustomer,
        ["percentage"] = d.Percentage,
        ["amount"] = d.Amount is { } a ? ShopifyGraph.Money(a) : null,
        ["products"] = Array(d.ProductIds.Select(id => ShopifyStore.Gid("Product", id))),
        ["collections"] = Array(d.CollectionIds.Select(id => ShopifyStore.Gid("Collection", id))),
        ["minimumSubtotal"] = d.MinimumSubtotal is { } m ? ShopifyGraph.Money(m) : null,
        ["minimumQuantity"] = d.MinimumQuantity,
    })));

    /// <summary>Gets the URL redirects.</summary>
    /// <returns>The redirects.</returns>
    public IReadOnlyList<JsonObject> GetRedirects() => Read(() => _store.Redirects.OrderBy(r => r.Id).Select(r => new JsonObject { ["id"] = r.Gid, ["path"] = r.Path, ["target"] = r.Target }));

    /// <summary>Gets the metafield definitions.</summary>
    /// <returns>The definitions, with <c>uniqueValues</c>.</returns>
    public IReadOnlyList<JsonObject> GetMetafieldDefinitions() => Read(() => _store.Definitions.OrderBy(d => d.Id).Select(d => new JsonObject
    {
        ["id"] = ShopifyStore.Gid("MetafieldDefinition", d.Id),
        ["ownerType"] = d.OwnerType,
        ["namespace"] = d.Namespace,
        ["key"] = d.Key,
        ["type"] = d.Type,
        ["uniqueValues"] = d.UniqueValues,
    }));

    private JsonObject Product(ProductRec p) => Owner(p, new JsonObject
    {
        ["handle"] = p.Handle,
        ["title"] = p.Title,
        ["descriptionHtml"] = p.DescriptionHtml,
        ["vendor"] = p.Vendor,
        ["productType"] = p.ProductType,
        ["status"] = p.Status,
        ["tags"] = Array(p.Tags),
        ["seo"] = Seo(p.SeoTitle, p.SeoDescription),
        ["createdAt"] = Date(p.CreatedAt),
        ["updatedAt"] = Date(p.UpdatedAt),
        ["options"] = new JsonArray([.. p.Options.OrderBy(o => o.Position).Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["position"] = o.Position,
            ["values"] = Array(o.Values.Select(v => v.Name)),
        })]),
        ["variants"] = new JsonArray([.. p.Variants.OrderBy(v => v.Position).Select(v => (JsonNode)Owner(v, new JsonObject
        {
            ["title"] = v.Title,
            ["sku"] = v.Sku,
            ["barcode"] = v.Barcode,
            ["price"] = ShopifyGraph.Money(v.Price),
            ["compareAtPrice"] = v.CompareAtPrice is { } c ? ShopifyGraph.Money(c) : null,
            ["position"] = v.Position,
            ["inventoryQuantity"] = v.InventoryQuantity,
            ["inventoryPolicy"] = v.InventoryPolicy,
            ["taxable"] = v.Taxable,
            ["selectedOptions"] = new JsonArray([.. v.SelectedOptions.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["value"] = s.Value })]),
        }))]),
        ["images"] = new JsonArray([.. p.Media.Select(m => (JsonNode)new JsonObject { ["url"] = m.Url, ["alt"] = m.Alt })]),
        ["collections"] = Array(_store.Collections.Where(c => c.ProductIds.Contains(p.Id)).OrderBy(c => c.Id).Select(c => c.Gid)),
    });

    private static JsonObject Owner(OwnerRec owner, JsonObject fields)
    {
        JsonObject result = new() { ["id"] = owner.Gid };
        foreach ((string key, JsonNode? value) in fields.ToList())
        {
            fields.Remove(key);
            result[key] = value;
        }

        JsonObject metafields = [];
        foreach (MetafieldRec m in owner.Metafields.Values.OrderBy(m => m.Namespace, StringComparer.Ordinal).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            metafields[m.Namespace + "." + m.Key] = m.Value;
        }

        result["metafields"] = metafields;
        return result;
    }

    private static JsonObject Address(AddressRec a) => new()
    {
        ["address1"] = a.Address1,
        ["address2"] = a.Address2,
        ["city"] = a.City,
        ["company"] = a.Company,
        ["countryCode"] = a.CountryCode,
        ["provinceCode"] = a.ProvinceCode,
        ["zip"] = a.Zip,
        ["phone"] = a.Phone,
        ["firstName"] = a.FirstName,
        ["lastName"] = a.LastName,
    };

    private static JsonObject Seo(string? title, string? description) => new() { ["title"] = title, ["description"] = description };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private List<JsonObject> Read(Func<IEnumerable<JsonObject>> read)
    {
        lock (_store.Gate)
        {
            return [.. read()];
        }
    }

    private JsonObject? ReadOne(Func<JsonObject?> read)
    {
        lock (_store.Gate)
        {
            return read();
        }
    }
}
