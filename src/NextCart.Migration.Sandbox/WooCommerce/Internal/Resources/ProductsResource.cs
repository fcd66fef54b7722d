using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/products</c> (<c>WC_REST_Products_Controller</c>).</summary>
internal sealed class ProductsResource : WooResource
{
    public static readonly string[] Types = ["simple", "grouped", "external", "variable"];
    public static readonly string[] Statuses = ["draft", "pending", "private", "publish", "future"];

    private static readonly Schema Writable = new(
        FieldSpec.Str("name"),
        FieldSpec.Str("slug"),
        FieldSpec.Any("date_created"),
        FieldSpec.Any("date_created_gmt"),
        FieldSpec.Str("type", Types),
        FieldSpec.Str("status", Statuses),
        FieldSpec.Bool("featured"),
        FieldSpec.Str("catalog_visibility", "visible", "catalog", "search", "hidden"),
        FieldSpec.Str("description"),
        FieldSpec.Str("short_description"),
        FieldSpec.Str("sku"),
        FieldSpec.Str("global_unique_id"),
        FieldSpec.Str("regular_price"),
        FieldSpec.Str("sale_price"),
        FieldSpec.Any("date_on_sale_from"),
        FieldSpec.Any("date_on_sale_to"),
        FieldSpec.Bool("virtual"),
        FieldSpec.Bool("downloadable"),
        FieldSpec.ArrayOfObjects("downloads", FieldSpec.Str("name"), FieldSpec.Str("file")),
        FieldSpec.Int("download_limit"),
        FieldSpec.Int("download_expiry"),
        FieldSpec.Str("external_url"),
        FieldSpec.Str("button_text"),
        FieldSpec.Str("tax_status", "taxable", "shipping", "none"),
        FieldSpec.Str("tax_class"),
        FieldSpec.Bool("manage_stock"),
        FieldSpec.Int("stock_quantity"),
        FieldSpec.Str("stock_status", ProductRules.StockStatuses),
        FieldSpec.Str("backorders", "no", "notify", "yes"),
        FieldSpec.Bool("sold_individually"),
        FieldSpec.Str("weight"),
        FieldSpec.Obj("dimensions", FieldSpec.Str("length"), FieldSpec.Str("width"), FieldSpec.Str("height")),
        FieldSpec.Str("shipping_class"),
        FieldSpec.Bool("reviews_allowed"),
        FieldSpec.Ints("upsell_ids"),
        FieldSpec.Ints("cross_sell_ids"),
        FieldSpec.Int("parent_id"),
        FieldSpec.Str("purchase_note"),
        FieldSpec.ArrayOfObjects("categories", FieldSpec.Int("id")),
        FieldSpec.ArrayOfObjects("tags", FieldSpec.Int("id")),
        FieldSpec.ArrayOfObjects("images", FieldSpec.Int("id"), FieldSpec.Str("src"), FieldSpec.Str("name"), FieldSpec.Str("alt")),
        FieldSpec.ArrayOfObjects("attributes", FieldSpec.Int("id"), FieldSpec.Str("name"), FieldSpec.Int("position"), FieldSpec.Bool("visible"), FieldSpec.Bool("variation"), FieldSpec.Strs("options")),
        FieldSpec.ArrayOfObjects("default_attributes", FieldSpec.Int("id"), FieldSpec.Str("name"), FieldSpec.Str("option")),
        FieldSpec.Ints("grouped_products"),
        FieldSpec.Int("menu_order"),
        FieldSpec.MetaData);

    public ProductsResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Products;

    protected override string ObjectType => "product";

    protected override bool SupportsTrash => true;

    protected override Schema WriteSchema => Writable;

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified", "price", "popularity", "rating"),
        new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("modified_after", ParamType.DateTime), new("modified_before", ParamType.DateTime),
        new("dates_are_gmt", ParamType.Boolean), new("parent", ParamType.IntegerList), new("parent_exclude", ParamType.IntegerList),
        new("status", ParamType.String, Enum: ["any", "future", "trash", "draft", "pending", "private", "publish"], Default: "any"),
        new("type", ParamType.String, Enum: Types), new("featured", ParamType.Boolean), new("category", ParamType.String), new("tag", ParamType.String),
        new("on_sale", ParamType.Boolean), new("stock_status", ParamType.String, Enum: ProductRules.StockStatuses),
        new("min_price", ParamType.String), new("max_price", ParamType.String), new("sku", ParamType.String), new("slug", ParamType.String),
        new("tax_class", ParamType.String),
    ];

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/products";

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        string status = request.Str("status") ?? "any";
        items = status == "any" ? items.Where(p => Json.Str(p, "status") != "trash") : items.Where(p => Json.Str(p, "status") == status);
        items = FilterEquals(items, request, "type", "type");
        items = FilterEquals(items, request, "sku", "sku");
        items = FilterEquals(items, request, "slug", "slug");
        items = FilterEquals(items, request, "stock_status", "stock_status");
        items = FilterEquals(items, request, "tax_class", "tax_class");
        items = FilterSearch(items, request, "name");
        items = FilterDates(items, request);
        if (request.Has("featured"))
        {
            bool featured = Params.Bool(request, "featured");
            items = items.Where(p => Json.Bool(p, "featured") == featured);
        }

        if (Json.IdList(request.Param("parent")) is { Count: > 0 } parents)
        {
            items = items.Where(p => parents.Contains(Json.Long(p, "parent_id")));
        }

        if (Json.IdList(request.Param("parent_exclude")) is { Count: > 0 } excludedParents)
        {
            items = items.Where(p => !excludedParents.Contains(Json.Long(p, "parent_id")));
        }

        foreach (string taxonomy in new[] { "category", "tag" })
        {
            if (Json.IdList(request.Param(taxonomy)) is { Count: > 0 } termIds)
            {
                string field = taxonomy == "category" ? "categories" : "tags";
                items = items.Where(p => p[field] is JsonArray terms && terms.OfType<JsonObject>().Any(t => termIds.Contains(Json.Long(t, "id"))));
            }
        }

        DateTimeOffset now = Time.Now();
        if (request.Has("on_sale"))
        {
            bool onSale = Params.Bool(request, "on_sale");
            items = items.Where(p => IsOnSale(p, now) == onSale);
        }

        if (Json.TryDec(request.Param("min_price"), out decimal min))
        {
            items = items.Where(p => ProductRules.TryAmount(ActivePrice(p, now), out decimal price) && price >= min);
        }

        if (Json.TryDec(request.Param("max_price"), out decimal max))
        {
            items = items.Where(p => ProductRules.TryAmount(ActivePrice(p, now), out decimal price) && price <= max);
        }

        return items;
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "title" => (a, b) => CompareText(a, b, "name"),
        "slug" => (a, b) => CompareText(a, b, "slug"),
        "modified" => (a, b) => CompareDate(a, b, "date_modified"),
        "price" => (a, b) => Amount(ActivePrice(a, Time.Now())).CompareTo(Amount(ActivePrice(b, Time.Now()))),
        "popularity" => (a, b) => Json.Long(a, "total_sales").CompareTo(Json.Long(b, "total_sales")),
        "rating" => (a, b) => Context.Index.Rating(Json.Long(a, "id")).Average.CompareTo(Context.Index.Rating(Json.Long(b, "id")).Average),
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        long id = Json.Long(stored, "id");
        DateTimeOffset now = Time.Now();
        string type = Json.Str(stored, "type");
        view["permalink"] = Permalink(Store, stored);
        IReadOnlyList<long> variationIds = Context.Index.VariationIds(id);
        bool onSale;
        if (type == "variable")
        {
            List<JsonObject> children = [.. variationIds.Select(Store.Variations.Find).OfType<JsonObject>()];
            List<(string Text, decimal Amount)> active = [.. children.Select(v => ActivePrice(v, now)).Where(p => p.Length > 0).Select(p => (p, Amount(p)))];
            List<decimal> prices = [.. active.Select(p => p.Amount)];
            onSale = children.Any(v => ProductRules.OnSale(v, now));

            // The _price meta of a variable product is its cheapest variation's price, as entered.
            view["price"] = active.Count > 0 ? active.MinBy(p => p.Amount).Text : string.Empty;
            view["regular_price"] = string.Empty;
            view["sale_price"] = string.Empty;
            view["purchasable"] = children.Any(v => Json.Str(v, "price").Length > 0 && Json.Str(v, "status") == "publish");
            view["stock_status"] = children.Any(v => Json.Str(v, "stock_status") == "instock") ? "instock"
                : children.Any(v => Json.Str(v, "stock_status") == "onbackorder") ? "onbackorder" : "outofstock";
            string currency = Context.Settings.Currency;
            view["price_html"] = prices.Count == 0 ? string.Empty
                : prices.Min() == prices.Max() ? ProductRules.PriceMarkup(Json.Decimal(prices.Min()), currency)
                : ProductRules.PriceMarkup(Json.Decimal(prices.Min()), currency) + " &ndash; " + ProductRules.PriceMarkup(Json.Decimal(prices.Max()), currency);
        }
        else
        {
            onSale = type != "grouped" && ProductRules.OnSale(stored, now);
            view["price"] = ActivePrice(stored, now);
            view["purchasable"] = type is "simple" && Json.Str(view, "price").Length > 0;
            view["price_html"] = ProductRules.PriceHtml(view, onSale, Context.Settings.Currency);
        }

        view["on_sale"] = onSale;
        bool isVirtual = Json.Bool(stored, "virtual");
        view["shipping_required"] = !isVirtual;
        view["shipping_taxable"] = !isVirtual && Json.Str(stored, "tax_status") is "taxable" or "shipping";
        (decimal average, int count) = Context.Index.Rating(id);
        view["average_rating"] = average.ToString("F2", CultureInfo.InvariantCulture);
        view["rating_count"] = count;
        view["related_ids"] = Json.Longs(Context.Index.Related(stored));
        view["categories"] = TermRefs(stored["categories"], Store.Categories);
        view["tags"] = TermRefs(stored["tags"], Store.Tags);
        view["images"] = Json.Array(Json.IdList(stored["__images"]).Select(Store.Attachments.Find).OfType<JsonObject>().Select(a => (JsonNode?)WooContext.ImageView(a)));
        view["attributes"] = AttributeViews(stored["attributes"]);
        view["variations"] = Json.Longs(variationIds);
        return view;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject product = NewProduct(Store.NextPostId(), Time.Now());
        Apply(product, args, creating: true);
        Store.Products.Put(product);
        return product;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args, creating: false);
        Store.Products.Put(updated);
    }

    protected override void Remove(JsonObject stored, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        foreach (long variation in Context.Index.VariationIds(id).ToList())
        {
            Store.Variations.Remove(variation);
        }

        Store.Products.Remove(id);
    }

    /// <summary>A product with every field at its default, as <c>new WC_Product_Simple()</c> reads back.</summary>
    public JsonObject NewProduct(long id, DateTimeOffset created)
    {
        JsonObject product = new() { ["id"] = id, ["name"] = string.Empty, ["slug"] = string.Empty, ["permalink"] = string.Empty };
        Time.Set(product, "date_created", created);
        Time.Set(product, "date_modified", created);
        product["type"] = "simple";
        product["status"] = "publish";
        product["featured"] = false;
        product["catalog_visibility"] = "visible";
        product["description"] = string.Empty;
        product["short_description"] = string.Empty;
        product["sku"] = string.Empty;
        product["global_unique_id"] = string.Empty;
        product["price"] = string.Empty;
        product["regular_price"] = string.Empty;
        product["sale_price"] = string.Empty;
        Time.Set(product, "date_on_sale_from", null);
        Time.Set(product, "date_on_sale_to", null);
        product["price_html"] = string.Empty;
        product["on_sale"] = false;
        product["purchasable"] = false;
        product["total_sales"] = 0;
        product["virtual"] = false;
        product["downloadable"] = false;
        product["downloads"] = new JsonArray();
        product["download_limit"] = -1;
        product["download_expiry"] = -1;
        product["external_url"] = string.Empty;
        product["button_text"] = string.Empty;
        product["tax_status"] = "taxable";
        product["tax_class"] = string.Empty;
        product["manage_stock"] = false;
        product["stock_quantity"] = null;
        product["stock_status"] = "instock";
        product["backorders"] = "no";
        product["backorders_allowed"] = false;
        product["backordered"] = false;
        product["low_stock_amount"] = null;
        product["sold_individually"] = false;
        product["weight"] = string.Empty;
        product["dimensions"] = ProductRules.Dimensions(null, null);
        product["shipping_required"] = true;
        product["shipping_taxable"] = true;
        product["shipping_class"] = string.Empty;
        product["shipping_class_id"] = 0;
        product["reviews_allowed"] = true;
        product["average_rating"] = "0.00";
        product["rating_count"] = 0;
        product["related_ids"] = new JsonArray();
        product["upsell_ids"] = new JsonArray();
        product["cross_sell_ids"] = new JsonArray();
        product["parent_id"] = 0;
        product["purchase_note"] = string.Empty;
        product["categories"] = new JsonArray();
        product["tags"] = new JsonArray();
        product["images"] = new JsonArray();
        product["attributes"] = new JsonArray();
        product["default_attributes"] = new JsonArray();
        product["variations"] = new JsonArray();
        product["grouped_products"] = new JsonArray();
        product["menu_order"] = 0;
        product["meta_data"] = new JsonArray();
        product["__images"] = new JsonArray();
        return product;
    }

    /// <summary>Applies create or update arguments (<c>prepare_object_for_database</c>); throws before anything is stored.</summary>
    public void Apply(JsonObject product, JsonObject args, bool creating)
    {
        long id = Json.Long(product, "id");
        DateTimeOffset now = Time.Now();
        CopyStrings(product, args, "type", "status", "catalog_visibility", "description", "short_description", "global_unique_id", "tax_status",
            "tax_class", "backorders", "weight", "purchase_note", "external_url", "button_text");
        CopyBools(product, args, "featured", "virtual", "downloadable", "manage_stock", "sold_individually", "reviews_allowed");
        if (args.ContainsKey("name"))
        {
            product["name"] = Json.Str(args["name"]) ?? string.Empty;
        }

        ProductRules.SetDate(Time, product, args, "date_created");
        ProductRules.ApplySaleFields(Store, Time, product, args, id);

        CopyLongs(product, args, "download_limit", "download_expiry", "menu_order", "parent_id");
        if (args.ContainsKey("stock_quantity"))
        {
            product["stock_quantity"] = Json.IsNull(args["stock_quantity"]) ? null : Json.Long(args["stock_quantity"]);
        }

        if (args.ContainsKey("stock_status") && !Json.Bool(product, "manage_stock"))
        {
            product["stock_status"] = Json.Str(args["stock_status"]) ?? "instock";
        }

        if (args.ContainsKey("dimensions"))
        {
            product["dimensions"] = ProductRules.Dimensions(args["dimensions"], product["dimensions"] as JsonObject);
        }

        if (args.ContainsKey("shipping_class"))
        {
            // No shipping classes exist in the sandbox; WooCommerce drops a slug it cannot find.
            product["shipping_class"] = string.Empty;
            product["shipping_class_id"] = 0;
        }

        foreach (string field in new[] { "upsell_ids", "cross_sell_ids", "grouped_products" })
        {
            if (args.ContainsKey(field))
            {
                product[field] = Json.Longs(Json.IdList(args[field]).Where(i => i != id && Store.FindProductOrVariation(i) is not null).Distinct());
            }
        }

        if (args["categories"] is JsonArray categories)
        {
            product["categories"] = TermArgs(categories, Store.Categories);
        }

        if (args["tags"] is JsonArray tags)
        {
            product["tags"] = TermArgs(tags, Store.Tags);
        }

        if (product["categories"] is JsonArray { Count: 0 } && Store.DefaultCategoryId > 0)
        {
            // WooCommerce puts a product without categories in the default category ("Uncategorized").
            product["categories"] = new JsonArray(new JsonObject { ["id"] = Store.DefaultCategoryId });
        }

        if (args["images"] is JsonArray images)
        {
            List<long> ids = [];
            foreach (JsonObject image in images.OfType<JsonObject>())
            {
                ids.Add(Json.Long(Context.ResolveImage(image, "woocommerce_product_image_upload_error"), "id"));
            }

            product["__images"] = Json.Longs(ids);
        }

        if (args["attributes"] is JsonArray attributes)
        {
            product["attributes"] = AttributeArgs(attributes);
        }

        if (args["default_attributes"] is JsonArray defaults)
        {
            product["default_attributes"] = DefaultAttributeArgs(defaults);
        }

        Context.ApplyMeta(product, args["meta_data"]);
        ProductRules.SyncStock(product);
        ProductRules.SyncPrice(product, now);
        string status = Json.Str(product, "status");
        if (args.ContainsKey("slug") || (creating && Json.Str(product, "slug").Length == 0) || (Json.Str(product, "slug").Length == 0 && status is "publish" or "private" or "future"))
        {
            string wanted = WooContext.SanitizeTitle(Json.Str(args["slug"]) is { Length: > 0 } slug ? slug : Json.Str(product, "name"));
            if (!args.ContainsKey("slug") && status is "draft" or "pending")
            {
                // wp_insert_post leaves post_name empty for drafts and pending posts until they are published.
                wanted = string.Empty;
            }

            product["slug"] = wanted.Length == 0 ? string.Empty : WooContext.UniqueSlug(wanted, Store.Products.All, id);
        }

        if (!creating || args.Count > 0)
        {
            Time.Set(product, "date_modified", now);
        }
    }

    /// <summary>The product's URL: <c>/product/{slug}/</c> once published, else the <c>?post_type=product&amp;p={id}</c> form.</summary>
    public static string Permalink(WooStore store, JsonObject product)
    {
        string slug = Json.Str(product, "slug");
        return Json.Str(product, "status") == "publish" && slug.Length > 0
            ? $"{store.SiteUrl}/product/{slug}/"
            : string.Create(CultureInfo.InvariantCulture, $"{store.SiteUrl}/?post_type=product&p={Json.Long(product, "id")}");
    }

    public static string ActivePrice(JsonObject item, DateTimeOffset now)
        => ProductRules.OnSale(item, now) ? Json.Str(item, "sale_price") : Json.Str(item, "regular_price");

    private bool IsOnSale(JsonObject product, DateTimeOffset now)
        => Json.Str(product, "type") == "variable"
            ? Context.Index.VariationIds(Json.Long(product, "id")).Select(Store.Variations.Find).OfType<JsonObject>().Any(v => ProductRules.OnSale(v, now))
            : ProductRules.OnSale(product, now);

    private static decimal Amount(string price) => ProductRules.TryAmount(price, out decimal value) ? value : 0m;

    private static JsonArray TermRefs(JsonNode? stored, ResourceTable terms)
    {
        JsonArray refs = [];
        foreach (long termId in ((stored as JsonArray) ?? []).OfType<JsonObject>().Select(t => Json.Long(t, "id")))
        {
            if (terms.Find(termId) is { } term)
            {
                refs.Add(new JsonObject { ["id"] = termId, ["name"] = Json.Str(term, "name"), ["slug"] = Json.Str(term, "slug") });
            }
        }

        return refs;
    }

    /// <summary>Term ids from <c>[{id}]</c>; ids that are not terms are skipped, as <c>wp_set_object_terms</c> skips them.</summary>
    private static JsonArray TermArgs(JsonArray requested, ResourceTable terms)
    {
        JsonArray result = [];
        HashSet<long> seen = [];
        foreach (JsonObject term in requested.OfType<JsonObject>())
        {
            long termId = Json.Long(term["id"]);
            if (terms.Find(termId) is not null && seen.Add(termId))
            {
                result.Add(new JsonObject { ["id"] = termId });
            }
        }

        return result;
    }

    private JsonArray AttributeArgs(JsonArray requested)
    {
        JsonArray result = [];
        int index = 0;
        foreach (JsonObject attribute in requested.OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute["id"]);
            List<string> options = Json.List(attribute["options"]);
            JsonObject entry = new()
            {
                ["id"] = 0,
                ["name"] = string.Empty,
                ["position"] = attribute.ContainsKey("position") ? Json.Long(attribute["position"]) : index,
                ["visible"] = attribute.ContainsKey("visible") && Json.Bool(attribute["visible"]),
                ["variation"] = attribute.ContainsKey("variation") && Json.Bool(attribute["variation"]),
                ["options"] = new JsonArray(),
            };
            index++;
            JsonObject? global = attributeId > 0 ? Store.Attributes.Find(attributeId) : null;
            if (global is null && Json.Str(attribute["name"]) is { Length: > 0 } name)
            {
                global = Store.Attributes.All.FirstOrDefault(a => string.Equals(Json.Str(a, "name"), name, StringComparison.OrdinalIgnoreCase) || Json.Str(a, "slug") == "pa_" + WooContext.SanitizeTitle(name));
                if (global is not null && attributeId == 0)
                {
                    // A name alone makes a local (custom) attribute, even if a global attribute has that name.
                    global = null;
                }
            }

            if (global is not null)
            {
                if (options.Count == 0)
                {
                    continue;
                }

                long globalId = Json.Long(global, "id");
                List<long> termIds = [];
                foreach (string option in options)
                {
                    termIds.Add(Json.Long(AttributesResource.EnsureTerm(Context, globalId, option), "id"));
                }

                entry["id"] = globalId;
                entry["name"] = Json.Str(global, "name");
                entry["__term_ids"] = Json.Longs(termIds.Distinct());
            }
            else if (attributeId > 0)
            {
                continue;
            }
            else
            {
                entry["name"] = Json.Str(attribute["name"]) ?? string.Empty;
                entry["options"] = Json.Strings(options);
                if (Json.Str(entry, "name").Length == 0)
                {
                    continue;
                }
            }

            result.Add(entry);
        }

        return result;
    }

    private JsonArray AttributeViews(JsonNode? stored)
    {
        JsonArray views = [];
        foreach (JsonObject attribute in ((stored as JsonArray) ?? []).OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute, "id");
            JsonObject view = new()
            {
                ["id"] = attributeId,
                ["name"] = Json.Str(attribute, "name"),
                ["position"] = Json.Long(attribute, "position"),
                ["visible"] = Json.Bool(attribute, "visible"),
                ["variation"] = Json.Bool(attribute, "variation"),
            };
            if (attributeId > 0)
            {
                if (Store.Attributes.Find(attributeId) is { } global)
                {
                    view["name"] = Json.Str(global, "name");
                }

                view["options"] = Json.Strings(Json.IdList(attribute["__term_ids"]).Select(Store.AttributeTerms.Find).OfType<JsonObject>().Select(t => Json.Str(t, "name")));
            }
            else
            {
                view["options"] = Json.Clone(attribute["options"]) ?? new JsonArray();
            }

            views.Add(view);
        }

        return views;
    }

    private JsonArray DefaultAttributeArgs(JsonArray requested)
    {
        JsonArray result = [];
        foreach (JsonObject attribute in requested.OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute["id"]);
            string name = attributeId > 0 && Store.Attributes.Find(attributeId) is { } global ? Json.Str(global, "name") : Json.Str(attribute["name"]) ?? string.Empty;
            string option = Json.Str(attribute["option"]) ?? string.Empty;
            if (name.Length > 0 && option.Length > 0)
            {
                result.Add(new JsonObject { ["id"] = attributeId, ["name"] = name, ["option"] = option });
            }
        }

        return result;
    }

    internal static void CopyStrings(JsonObject target, JsonObject args, params string[] fields)
    {
        foreach (string field in fields)
        {
            if (args.ContainsKey(field))
            {
                target[field] = Json.Str(args[field]) ?? string.Empty;
            }
        }
    }

    internal static void CopyBools(JsonObject target, JsonObject args, params string[] fields)
    {
        foreach (string field in fields)
        {
            if (args.ContainsKey(field))
            {
                target[field] = Json.Bool(args[field]);
            }
        }
    }

    internal static void CopyLongs(JsonObject target, JsonObject args, params string[] fields)
    {
        foreach (string field in fields)
        {
            if (args.ContainsKey(field) && !Json.IsNull(args[field]))
            {
                target[field] = Json.Long(args[field]);
            }
        }
    }
}
