using System.Globalization;
using NextCart.Migration.Sandbox.Shopify.Internal.Gql;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>Builds the query root and the object graph over the store. Callers hold <see cref="ShopifyStore.Gate"/>.</summary>
internal sealed partial class ShopifyGraph
{
    private readonly ShopifyStore _store;

    public ShopifyGraph(ShopifyStore store)
    {
        _store = store;
    }

    public GqlObj QueryRoot()
    {
        ShopifyStore s = _store;
        GqlObj root = new("QueryRoot");
        root.Lazy("shop", _ => Shop());
        root.Lazy("products", a => Connections.Build("Product", Filter(s.Products, a, ProductField), p => p.Id, Product, a, s, ProductSort));
        root.Lazy("product", a => Lookup<ProductRec>(a.Str("id"), "Product") is { } p ? Product(p) : null);
        root.Lazy("productVariant", a => Lookup<VariantRec>(a.Str("id"), "ProductVariant") is { } v ? Variant(v) : null);
        root.Lazy("productByIdentifier", a => ProductByIdentifier(a.Obj("identifier")!) is { } p ? Product(p) : null);
        root.Lazy("collections", a => Connections.Build("Collection", Filter(s.Collections, a, CollectionField), c => c.Id, Collection, a, s, TitleSort<CollectionRec>(c => c.Title, c => c.UpdatedAt)));
        root.Lazy("collection", a => Lookup<CollectionRec>(a.Str("id"), "Collection") is { } c ? Collection(c) : null);
        root.Lazy("collectionByIdentifier", a => CollectionByIdentifier(a.Obj("identifier")!) is { } c ? Collection(c) : null);
        root.Lazy("customers", a => Connections.Build("Customer", Filter(s.Customers, a, CustomerField), c => c.Id, Customer, a, s, (c, k) => k switch { "UPDATED_AT" => c.UpdatedAt, "CREATED_AT" => c.CreatedAt, _ => null }));
        root.Lazy("customer", a => Lookup<CustomerRec>(a.Str("id"), "Customer") is { } c ? Customer(c) : null);
        root.Lazy("customerByIdentifier", a => CustomerByIdentifier(a.Obj("identifier")!) is { } c ? Customer(c) : null);
        root.Lazy("orders", a => Connections.Build("Order", Filter(s.Orders, a, OrderField), o => o.Id, Order, a, s, (o, k) => k switch { "PROCESSED_AT" => o.ProcessedAt, "UPDATED_AT" => o.UpdatedAt, "CREATED_AT" => o.CreatedAt, _ => null }, "PROCESSED_AT"));
        root.Lazy("order", a => Lookup<OrderRec>(a.Str("id"), "Order") is { } o ? Order(o) : null);
        root.Lazy("pages", a => Connections.Build("Page", Filter(s.Pages, a, PageField), p => p.Id, Page, a, s, TitleSort<PageRec>(p => p.Title, p => p.UpdatedAt)));
        root.Lazy("page", a => Lookup<PageRec>(a.Str("id"), "Page") is { } p ? Page(p) : null);
        root.Lazy("blogs", a => Connections.Build("Blog", Filter(s.Blogs, a, BlogField), b => b.Id, Blog, a, s, TitleSort<BlogRec>(b => b.Title, null)));
        root.Lazy("blog", a => Lookup<BlogRec>(a.Str("id"), "Blog") is { } b ? Blog(b) : null);
        root.Lazy("articles", a => Connections.Build("Article", Filter(s.Articles, a, ArticleField), x => x.Id, Article, a, s, TitleSort<ArticleRec>(x => x.Title, x => x.UpdatedAt)));
        root.Lazy("article", a => Lookup<ArticleRec>(a.Str("id"), "Article") is { } x ? Article(x) : null);
        root.Lazy("discountNodes", a => Connections.Build("DiscountNode", Filter(s.Discounts, a, DiscountField), d => d.Id, DiscountNode, a, s, TitleSort<DiscountRec>(d => d.Title, d => d.UpdatedAt)));
        root.Lazy("discountNode", a => Lookup<DiscountRec>(a.Str("id"), "DiscountNode") is { } d ? DiscountNode(d) : null);
        // codeDiscountNodeByCode: "The case-insensitive code of the DiscountCodeNode to return" (admin-2026-01 schema; shopify.dev queries/codeDiscountNodeByCode).
        root.Lazy("codeDiscountNodeByCode", a => a.Str("code") is { } code && s.Discounts.Find(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase)) is { } d ? DiscountCodeNode(d) : null);
        root.Lazy("urlRedirects", a => Connections.Build("UrlRedirect", Filter(s.Redirects, a, RedirectField), r => r.Id, Redirect, a, s, (r, k) => k == "PATH" ? r.Path : null));
        root.Lazy("urlRedirect", a => Lookup<RedirectRec>(a.Str("id"), "UrlRedirect") is { } r ? Redirect(r) : null);
        root.Lazy("metafieldDefinitions", a => Connections.Build(
            "MetafieldDefinition",
            s.Definitions.Where(d => d.OwnerType == a.Str("ownerType") && (a.Str("namespace") is not { } ns || d.Namespace == ns) && (a.Str("key") is not { } key || d.Key == key)),
            d => d.Id,
            Definition,
            a,
            s));
        root.Lazy("productsCount", a => Count(Filter(s.Products, a, ProductField).Count(), a));
        root.Lazy("productVariantsCount", a => Count(s.Products.Sum(p => p.Variants.Count), a));
        root.Lazy("collectionsCount", a => Count(Filter(s.Collections, a, CollectionField).Count(), a));
        root.Lazy("customersCount", a => Count(Filter(s.Customers, a, CustomerField).Count(), a));
        root.Lazy("ordersCount", a => Count(Filter(s.Orders, a, OrderField).Count(), a));
        root.Lazy("pagesCount", a => Count(s.Pages.Count, a));
        root.Lazy("blogsCount", a => Count(Filter(s.Blogs, a, BlogField).Count(), a));
        root.Lazy("discountNodesCount", a => Count(Filter(s.Discounts, a, DiscountField).Count(), a));
        root.Lazy("urlRedirectsCount", a => Count(Filter(s.Redirects, a, RedirectField).Count(), a));
        root.Lazy("node", a => Node(a.Str("id")));
        root.Lazy("nodes", a => a.List("ids")!.Select(id => Node(Input.Str(id))).ToList());
        return root;
    }

    public GqlObj Shop() => new GqlObj("Shop")
        .Set("id", "gid://shopify/Shop/1")
        .Set("name", _store.ShopName)
        .Set("myshopifyDomain", _store.Domain)
        .Set("currencyCode", _store.Currency)
        .Set("email", "owner@" + _store.Domain)
        .Lazy("metafield", _ => null);

    public GqlObj Product(ProductRec p)
    {
        GqlObj o = Owner("Product", p);
        o.Set("legacyResourceId", p.Id).Set("title", p.Title).Set("handle", p.Handle).Set("descriptionHtml", p.DescriptionHtml)
            .Set("vendor", p.Vendor).Set("productType", p.ProductType).Set("status", p.Status).Set("tags", p.Tags.ToList())
            .Set("createdAt", p.CreatedAt).Set("updatedAt", p.UpdatedAt).Set("publishedAt", p.PublishedAt)
            .Set("seo", new GqlObj("SEO").Set("title", p.SeoTitle).Set("description", p.SeoDescription))
            .Set("totalInventory", p.Variants.Sum(v => v.InventoryQuantity))
            .Set("variantsCount", Count(p.Variants.Count))
            .Lazy("options", a => p.Options.OrderBy(x => x.Position).Take(a.Int("first") ?? int.MaxValue).Select(x => Option(x, p)).ToList())
            .Lazy("variants", a => Connections.Build("ProductVariant", p.Variants, v => v.Id, Variant, a, _store, (v, k) => k == "POSITION" ? v.Position : k == "SKU" ? v.Sku : null, "POSITION"))
            .Lazy("media", a => Connections.Build("Media", p.Media, m => m.Id, Media, a, _store, (m, k) => k == "POSITION" ? p.Media.IndexOf(m) : null, "POSITION"))
            .Lazy("collections", a => Connections.Build("Collection", Filter(_store.Collections.Where(c => c.ProductIds.Contains(p.Id)), a, CollectionField), c => c.Id, Collection, a, _store));
        return o;
    }

    public GqlObj Variant(VariantRec v)
    {
        GqlObj o = Owner("ProductVariant", v);
        return o.Set("legacyResourceId", v.Id).Set("title", v.Title).Set("sku", v.Sku).Set("barcode", v.Barcode)
            .Set("price", Money(v.Price)).Set("compareAtPrice", v.CompareAtPrice is { } c ? Money(c) : null)
            .Set("position", v.Position).Set("inventoryQuantity", v.InventoryQuantity).Set("inventoryPolicy", v.InventoryPolicy)
            .Set("taxable", v.Taxable).Set("createdAt", v.CreatedAt).Set("updatedAt", v.UpdatedAt)
            .Set("selectedOptions", v.SelectedOptions.Select(x => new GqlObj("SelectedOption").Set("name", x.Name).Set("value", x.Value)).ToList())
            .Lazy("displayName", _ => (_store.FindProduct(v.ProductId)?.Title ?? string.Empty) + " - " + v.Title)
            .Lazy("product", _ => _store.FindProduct(v.ProductId) is { } p ? Product(p) : null);
    }

    public GqlObj Collection(CollectionRec c)
    {
        GqlObj o = Owner("Collection", c);
        return o.Set("legacyResourceId", c.Id).Set("title", c.Title).Set("handle", c.Handle).Set("descriptionHtml", c.DescriptionHtml)
            .Set("updatedAt", c.UpdatedAt).Set("seo", new GqlObj("SEO").Set("title", c.SeoTitle).Set("description", c.SeoDescription))
            .Set("productsCount", Count(c.ProductIds.Count))
            .Lazy("products", a => Connections.Build("Product", c.ProductIds.Select(_store.FindProduct).OfType<ProductRec>(), p => p.Id, Product, a, _store, (p, k) => k == "COLLECTION_DEFAULT" || k == "MANUAL" ? c.ProductIds.IndexOf(p.Id) : ProductSort(p, k), "COLLECTION_DEFAULT"));
    }

    public GqlObj Customer(CustomerRec c)
    {
        GqlObj o = Owner("Customer", c);
        return o.Set("legacyResourceId", c.Id).Set("firstName", c.FirstName).Set("lastName", c.LastName)
            .Set("displayName", string.Join(' ', new[] { c.FirstName, c.LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } name ? name : c.Email ?? string.Empty)
            .Set("email", c.Email)
            .Set("defaultEmailAddress", c.Email is null ? null : new GqlObj("CustomerEmailAddress").Set("emailAddress", c.Email))
            .Set("defaultPhoneNumber", c.Phone is null ? null : new GqlObj("CustomerPhoneNumber").Set("phoneNumber", c.Phone))
            .Set("defaultAddress", c.Addresses.Count > 0 ? Address(c.Addresses[0]) : null)
            .Lazy("addressesV2", a => Connections.Build("MailingAddress", c.Addresses, x => x.Id, Address, a, _store))
            .Set("tags", c.Tags.ToList()).Set("note", c.Note).Set("taxExempt", c.TaxExempt)
            .Set("createdAt", c.CreatedAt).Set("updatedAt", c.UpdatedAt)
            .Lazy("numberOfOrders", _ => (long)_store.Orders.Count(x => x.CustomerId == c.Id));
    }

    public static GqlObj Address(AddressRec a) => new GqlObj("MailingAddress")
        .Set("id", "gid://shopify/MailingAddress/" + a.Id.ToString(CultureInfo.InvariantCulture) + "?model_name=CustomerAddress")
        .Set("address1", a.Address1).Set("address2", a.Address2).Set("city", a.City).Set("company", a.Company)
        .Set("countryCodeV2", a.CountryCode).Set("provinceCode", a.ProvinceCode).Set("zip", a.Zip).Set("phone", a.Phone)
        .Set("firstName", a.FirstName).Set("lastName", a.LastName)
        .Set("name", string.Join(' ', new[] { a.FirstName, a.LastName }.Where(n => !string.IsNullOrEmpty(n))));

    public GqlObj Order(OrderRec r)
    {
        GqlObj o = Owner("Order", r);
        return o.Set("legacyResourceId", r.Id).Set("name", r.Name).Set("email", r.Email).Set("phone", r.Phone)
            .Set("createdAt", r.CreatedAt).Set("updatedAt", r.UpdatedAt).Set("processedAt", r.ProcessedAt).Set("currencyCode", r.Currency)
            .Set("displayFinancialStatus", r.FinancialStatus).Set("displayFulfillmentStatus", r.FulfillmentStatus)
            .Set("note", r.Note).Set("tags", r.Tags.ToList()).Set("sourceName", r.SourceName).Set("sourceIdentifier", r.SourceIdentifier)
            .Set("totalPriceSet", MoneyBag(r.Total, r.Currency)).Set("subtotalPriceSet", MoneyBag(r.Subtotal, r.Currency))
            .Set("totalTaxSet", MoneyBag(r.Tax, r.Currency)).Set("totalShippingPriceSet", MoneyBag(r.Shipping, r.Currency))
            .Set("billingAddress", r.BillingAddress is { } b ? Address(b) : null)
            .Set("shippingAddress", r.ShippingAddress is { } sh ? Address(sh) : null)
            .Lazy("customer", _ => r.CustomerId is { } id && _store.Find<CustomerRec>(id) is { } c ? Customer(c) : null)
            .Lazy("lineItems", a => Connections.Build("LineItem", r.LineItems, l => l.Id, l => LineItem(l, r.Currency), a, _store));
    }

    public GqlObj Page(PageRec p)
    {
        GqlObj o = Owner("Page", p);
        return o.Set("title", p.Title).Set("handle", p.Handle).Set("body", p.Body).Set("isPublished", p.IsPublished)
            .Set("publishedAt", p.PublishedAt).Set("createdAt", p.CreatedAt).Set("updatedAt", p.UpdatedAt);
    }

    public GqlObj Blog(BlogRec b)
    {
        GqlObj o = Owner("Blog", b);
        return o.Set("title", b.Title).Set("handle", b.Handle)
            .Lazy("articles", a => Connections.Build("Article", Filter(_store.Articles.Where(x => x.BlogId == b.Id), a, ArticleField), x => x.Id, Article, a, _store));
    }

    public GqlObj Article(ArticleRec x)
    {
        GqlObj o = Owner("Article", x);
        return o.Set("title", x.Title).Set("handle", x.Handle).Set("body", x.Body).Set("summary", x.Summary)
            .Set("author", new GqlObj("ArticleAuthor").Set("name", x.Author)).Set("tags", x.Tags.ToList())
            .Set("isPublished", x.IsPublished).Set("publishedAt", x.PublishedAt).Set("createdAt", x.CreatedAt).Set("updatedAt", x.UpdatedAt)
            .Lazy("blog", _ => _store.Find<BlogRec>(x.BlogId) is { } b ? Blog(b) : null);
    }

    public GqlObj DiscountNode(DiscountRec d)
    {
        GqlObj o = Owner("DiscountNode", d);
        return o.Set("discount", DiscountCodeBasic(d));
    }

    public GqlObj DiscountCodeNode(DiscountRec d)
    {
        GqlObj o = Owner("DiscountCodeNode", d);
        return o.Set("codeDiscount", DiscountCodeBasic(d));
    }

    public GqlObj Redirect(RedirectRec r) => new GqlObj("UrlRedirect").Set("id", r.Gid).Set("path", r.Path).Set("target", r.Target);

    public GqlObj Definition(MetafieldDefinitionRec d) => new GqlObj("MetafieldDefinition")
        .Set("id", ShopifyStore.Gid("MetafieldDefinition", d.Id)).Set("name", d.Name).Set("namespace", d.Namespace).Set("key", d.Key).Set("ownerType", d.OwnerType);

    public static GqlObj Metafield(MetafieldRec m, string ownerType) => new GqlObj("Metafield")
        .Set("id", ShopifyStore.Gid("Metafield", m.Id)).Set("namespace", m.Namespace).Set("key", m.Key).Set("value", m.Value)
        .Set("type", m.Type).Set("ownerType", ownerType).Set("createdAt", m.CreatedAt).Set("updatedAt", m.UpdatedAt);

    public static string Money(decimal amount) => amount.ToString("0.0#", CultureInfo.InvariantCulture);

    private GqlObj DiscountCodeBasic(DiscountRec d)
    {
        DateTimeOffset now = _store.Now();
        string status = d.StartsAt > now ? "SCHEDULED" : d.EndsAt is { } end && end <= now ? "EXPIRED" : "ACTIVE";
        GqlObj value = d.Percentage is { } pct
            ? new GqlObj("DiscountPercentage").Set("percentage", pct)
            : new GqlObj("DiscountAmount").Set("amount", MoneyV2(d.Amount ?? 0, _store.Currency)).Set("appliesOnEachItem", d.AppliesOnEachItem);
        GqlObj items = d.ProductIds.Count > 0
            ? new GqlObj("DiscountProducts").Lazy("products", a => Connections.Build("Product", d.ProductIds.Select(_store.FindProduct).OfType<ProductRec>(), p => p.Id, Product, a, _store))
            : d.CollectionIds.Count > 0
                ? new GqlObj("DiscountCollections").Lazy("collections", a => Connections.Build("Collection", d.CollectionIds.Select(id => _store.Find<CollectionRec>(id)).OfType<CollectionRec>(), c => c.Id, Collection, a, _store))
                : new GqlObj("AllDiscountItems").Set("allItems", true);
        GqlObj? minimum = d.MinimumSubtotal is { } subtotal
            ? new GqlObj("DiscountMinimumSubtotal").Set("greaterThanOrEqualToSubtotal", MoneyV2(subtotal, _store.Currency))
            : d.MinimumQuantity is { } quantity ? new GqlObj("DiscountMinimumQuantity").Set("greaterThanOrEqualToQuantity", quantity) : null;
        return new GqlObj("DiscountCodeBasic")
            .Set("title", d.Title).Set("status", status).Set("startsAt", d.StartsAt).Set("endsAt", d.EndsAt).Set("usageLimit", d.UsageLimit)
            .Set("appliesOncePerCustomer", d.AppliesOncePerCustomer)
            .Lazy("codes", a => Connections.Build("DiscountRedeemCode", new[] { d }, x => x.CodeId, x => new GqlObj("DiscountRedeemCode").Set("id", ShopifyStore.Gid("DiscountRedeemCode", x.CodeId)).Set("code", x.Code), a, _store))
            .Set("customerGets", new GqlObj("DiscountCustomerGets").Set("value", value).Set("items", items))
            .Set("minimumRequirement", minimum);
    }

    private GqlObj LineItem(LineItemRec l, string currency) => new GqlObj("LineItem")
        .Set("id", ShopifyStore.Gid("LineItem", l.Id)).Set("title", l.Title).Set("name", l.Title).Set("sku", l.Sku).Set("quantity", l.Quantity)
        .Set("originalUnitPriceSet", MoneyBag(l.UnitPrice, currency))
        .Lazy("variant", _ => l.VariantId is { } id && _store.FindVariant(id) is { } v ? Variant(v) : null)
        .Lazy("product", _ => l.ProductId is { } id && _store.FindProduct(id) is { } p ? Product(p) : null);

    private GqlObj Option(OptionRec x, ProductRec p) => new GqlObj("ProductOption")
        .Set("id", ShopifyStore.Gid("ProductOption", x.Id)).Set("name", x.Name).Set("position", x.Position)
        .Set("values", x.Values.Select(v => v.Name).ToList())
        .Set("optionValues", x.Values.Select(v => new GqlObj("ProductOptionValue").Set("id", ShopifyStore.Gid("ProductOptionValue", v.Id)).Set("name", v.Name)
            .Set("hasVariants", p.Variants.Any(variant => variant.SelectedOptions.Any(s => s.Name == x.Name && s.Value == v.Name)))).ToList());

    private static GqlObj Media(MediaRec m) => new GqlObj("MediaImage")
        .Set("id", ShopifyStore.Gid("MediaImage", m.Id)).Set("alt", m.Alt).Set("mediaContentType", "IMAGE").Set("status", "READY")
        .Set("image", new GqlObj("Image").Set("id", ShopifyStore.Gid("ImageSource", m.ImageId)).Set("url", m.Url).Set("altText", m.Alt).Set("width", 1024).Set("height", 1024).Lazy("metafield", _ => null))
        .Lazy("metafield", _ => null);

    private static GqlObj Count(int count) => new GqlObj("Count").Set("count", count).Set("precision", "EXACT");

    /// <summary>A count capped at <c>limit</c> (default 10000; <c>null</c> for no cap), with <c>AT_LEAST</c> precision when capped.</summary>
    private static GqlObj Count(int count, GqlArgs args)
        => args.Int("limit") is { } limit && count > limit
            ? new GqlObj("Count").Set("count", limit).Set("precision", "AT_LEAST")
            : Count(count);

    private static GqlObj MoneyBag(decimal amount, string currency)
        => new GqlObj("MoneyBag").Set("shopMoney", MoneyV2(amount, currency)).Set("presentmentMoney", MoneyV2(amount, currency));

    private static GqlObj MoneyV2(decimal amount, string currency) => new GqlObj("MoneyV2").Set("amount", Money(amount)).Set("currencyCode", currency);

    private static GqlObj Owner(string type, OwnerRec owner) => new GqlObj(type)
        .Set("id", owner.Gid)
        .Lazy("metafield", a =>
        {
            string ns = a.Str("namespace") ?? "$app";
            return owner.Metafields.TryGetValue(ns + "." + a.Str("key"), out MetafieldRec? m) ? Metafield(m, owner.OwnerType) : null;
        });

    private static Func<T, string?, IComparable?> TitleSort<T>(Func<T, string> title, Func<T, DateTimeOffset>? updated)
        => (item, key) => key switch
        {
            "TITLE" => title(item),
            "UPDATED_AT" when updated is not null => updated(item),
            _ => null,
        };

    private static IComparable? ProductSort(ProductRec p, string? key) => key switch
    {
        "TITLE" => p.Title,
        "UPDATED_AT" => p.UpdatedAt,
        "CREATED_AT" => p.CreatedAt,
        "VENDOR" => p.Vendor,
        "PRODUCT_TYPE" => p.ProductType,
        _ => null,
    };

    private static IEnumerable<T> Filter<T>(IEnumerable<T> items, GqlArgs args, Func<T, string, object?> field)
    {
        ShopifySearch search = ShopifySearch.Parse(args.Str("query"));
        return items.Where(item => search.Matches(name => field(item, name)));
    }

    private T? Lookup<T>(string? gid, string type)
        where T : OwnerRec
    {
        if (ShopifyStore.ParseGid(gid) is not { } parsed)
        {
            throw new GqlException($"Invalid global id '{gid}'", "argumentLiteralsIncompatible");
        }

        return parsed.Type == type || (type == "DiscountNode" && parsed.Type == "DiscountCodeNode") ? _store.FindOwner(ShopifyStore.Gid(type == "DiscountNode" ? "DiscountCodeNode" : type, parsed.Id)) as T : null;
    }

    private GqlObj? Node(string? gid)
    {
        if (ShopifyStore.ParseGid(gid) is not { } parsed)
        {
            throw new GqlException($"Invalid global id '{gid}'", "argumentLiteralsIncompatible");
        }

        return _store.FindOwner(gid!) switch
        {
            ProductRec p => Product(p),
            VariantRec v => Variant(v),
            CollectionRec c => Collection(c),
            CustomerRec c => Customer(c),
            OrderRec o => Order(o),
            PageRec p => Page(p),
            BlogRec b => Blog(b),
            ArticleRec a => Article(a),
            DiscountRec d => DiscountCodeNode(d),
            RedirectRec r => Redirect(r),
            _ => null,
        };
    }
}
