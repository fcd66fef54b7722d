using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/products/{product_id}/variations</c> (<c>WC_REST_Product_Variations_Controller</c>): separate resources under their product.</summary>
internal sealed class VariationsResource : WooResource
{
    private static readonly Schema Writable = new(
        FieldSpec.Str("description"),
        FieldSpec.Str("sku"),
        FieldSpec.Str("global_unique_id"),
        FieldSpec.Str("regular_price"),
        FieldSpec.Str("sale_price"),
        FieldSpec.Any("date_on_sale_from"),
        FieldSpec.Any("date_on_sale_to"),
        FieldSpec.Str("status", "draft", "pending", "private", "publish"),
        FieldSpec.Bool("virtual"),
        FieldSpec.Bool("downloadable"),
        FieldSpec.ArrayOfObjects("downloads", FieldSpec.Str("name"), FieldSpec.Str("file")),
        FieldSpec.Int("download_limit"),
        FieldSpec.Int("download_expiry"),
        FieldSpec.Str("tax_status", "taxable", "shipping", "none"),
        FieldSpec.Str("tax_class"),
        FieldSpec.Any("manage_stock"),
        FieldSpec.Int("stock_quantity"),
        FieldSpec.Str("stock_status", ProductRules.StockStatuses),
        FieldSpec.Str("backorders", "no", "notify", "yes"),
        FieldSpec.Str("weight"),
        FieldSpec.Obj("dimensions", FieldSpec.Str("length"), FieldSpec.Str("width"), FieldSpec.Str("height")),
        FieldSpec.Str("shipping_class"),
        FieldSpec.Obj("image", FieldSpec.Int("id"), FieldSpec.Str("src"), FieldSpec.Str("name"), FieldSpec.Str("alt")),
        FieldSpec.ArrayOfObjects("attributes", FieldSpec.Int("id"), FieldSpec.Str("name"), FieldSpec.Str("option")),
        FieldSpec.Int("menu_order"),
        FieldSpec.MetaData);

    public VariationsResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Variations;

    protected override string ObjectType => "product_variation";

    protected override Schema WriteSchema => Writable;

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified", "menu_order"),
        new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("modified_after", ParamType.DateTime), new("modified_before", ParamType.DateTime),
        new("dates_are_gmt", ParamType.Boolean), new("sku", ParamType.String), new("stock_status", ParamType.String, Enum: ProductRules.StockStatuses),
        new("status", ParamType.String, Enum: ["any", "draft", "pending", "private", "publish"], Default: "any"), new("on_sale", ParamType.Boolean),
    ];

    protected override string CollectionRoute(WooRequest request)
        => string.Create(CultureInfo.InvariantCulture, $"/wc/v3/products/{request.UrlId("product_id")}/variations");

    protected override void CheckScope(WooRequest request)
    {
        if (Store.Products.Find(request.UrlId("product_id")) is null)
        {
            throw new RestException("woocommerce_rest_product_invalid_id", "Invalid ID.", 404);
        }
    }

    protected override bool InScope(JsonObject item, WooRequest request) => Json.Long(item, "__parent") == request.UrlId("product_id");

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        string status = request.Str("status") ?? "any";
        if (status != "any")
        {
            items = items.Where(v => Json.Str(v, "status") == status);
        }

        items = FilterEquals(items, request, "sku", "sku");
        items = FilterEquals(items, request, "stock_status", "stock_status");
        items = FilterDates(items, request);
        if (request.Has("on_sale"))
        {
            bool onSale = Params.Bool(request, "on_sale");
            DateTimeOffset now = Time.Now();
            items = items.Where(v => ProductRules.OnSale(v, now) == onSale);
        }

        return items;
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "modified" => (a, b) => CompareDate(a, b, "date_modified"),
        "menu_order" => (a, b) => Json.Long(a, "menu_order").CompareTo(Json.Long(b, "menu_order")),
        "title" or "slug" => (a, b) => CompareText(a, b, "sku"),
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        links["up"] = WooContext.Links(Context.RestUrl("/wc/v3/products/" + Json.Long(stored, "__parent").ToString(CultureInfo.InvariantCulture)));
        return links;
    }

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        DateTimeOffset now = Time.Now();
        JsonObject? parent = Store.Products.Find(Json.Long(stored, "__parent"));
        bool onSale = ProductRules.OnSale(stored, now);
        view["price"] = ProductsResource.ActivePrice(stored, now);
        view["on_sale"] = onSale;
        view["purchasable"] = Json.Str(view, "price").Length > 0 && Json.Str(stored, "status") == "publish";
        long imageId = Json.Long(stored, "__image");
        view["image"] = imageId > 0 && Store.Attachments.Find(imageId) is { } attachment ? WooContext.ImageView(attachment) : null;
        JsonArray attributes = [];
        List<string> query = [];
        foreach (JsonObject attribute in ((stored["attributes"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute, "id");
            string option = Json.Str(attribute, "option");
            string name = Json.Str(attribute, "name");
            string key = "attribute_" + WooContext.SanitizeTitle(name);
            if (attributeId > 0 && Store.Attributes.Find(attributeId) is { } global)
            {
                name = Json.Str(global, "name");
                key = "attribute_" + Json.Str(global, "slug");
                JsonObject? term = AttributesResource.FindTerm(Store, attributeId, option);
                option = term is null ? option : Json.Str(term, "name");
                query.Add(key + "=" + Uri.EscapeDataString(term is null ? WooContext.SanitizeTitle(option) : Json.Str(term, "slug")));
            }
            else
            {
                query.Add(key + "=" + Uri.EscapeDataString(option));
            }

            attributes.Add(new JsonObject { ["id"] = attributeId, ["name"] = name, ["option"] = option });
        }

        view["attributes"] = attributes;
        string parentLink = parent is null ? Store.SiteUrl + "/" : ProductsResource.Permalink(Store, parent);
        view["permalink"] = parentLink + (query.Count > 0 ? (parentLink.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query) : string.Empty);
        return view;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject variation = NewVariation(Store.NextPostId(), request.UrlId("product_id"), Time.Now());
        Apply(variation, args);
        Store.Variations.Put(variation);
        return variation;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args);
        Time.Set(updated, "date_modified", Time.Now());
        Store.Variations.Put(updated);
    }

    public JsonObject NewVariation(long id, long parentId, DateTimeOffset created)
    {
        JsonObject variation = new() { ["id"] = id };
        Time.Set(variation, "date_created", created);
        Time.Set(variation, "date_modified", created);
        variation["description"] = string.Empty;
        variation["permalink"] = string.Empty;
        variation["sku"] = string.Empty;
        variation["global_unique_id"] = string.Empty;
        variation["price"] = string.Empty;
        variation["regular_price"] = string.Empty;
        variation["sale_price"] = string.Empty;
        Time.Set(variation, "date_on_sale_from", null);
        Time.Set(variation, "date_on_sale_to", null);
        variation["on_sale"] = false;
        variation["status"] = "publish";
        variation["purchasable"] = false;
        variation["virtual"] = false;
        variation["downloadable"] = false;
        variation["downloads"] = new JsonArray();
        variation["download_limit"] = -1;
        variation["download_expiry"] = -1;
        variation["tax_status"] = "taxable";
        variation["tax_class"] = string.Empty;
        variation["manage_stock"] = false;
        variation["stock_quantity"] = null;
        variation["stock_status"] = "instock";
        variation["backorders"] = "no";
        variation["backorders_allowed"] = false;
        variation["backordered"] = false;
        variation["low_stock_amount"] = null;
        variation["weight"] = string.Empty;
        variation["dimensions"] = ProductRules.Dimensions(null, null);
        variation["shipping_class"] = string.Empty;
        variation["shipping_class_id"] = 0;
        variation["image"] = null;
        variation["attributes"] = new JsonArray();
        variation["menu_order"] = 0;
        variation["meta_data"] = new JsonArray();
        variation["__parent"] = parentId;
        variation["__image"] = 0;
        return variation;
    }

    public void Apply(JsonObject variation, JsonObject args)
    {
        long id = Json.Long(variation, "id");
        ProductsResource.CopyStrings(variation, args, "description", "global_unique_id", "status", "tax_status", "tax_class", "backorders", "weight");
        ProductsResource.CopyBools(variation, args, "virtual", "downloadable");
        ProductsResource.CopyLongs(variation, args, "download_limit", "download_expiry", "menu_order");
        if (args.ContainsKey("manage_stock"))
        {
            variation["manage_stock"] = Json.Str(args["manage_stock"]) != "parent" && Json.Bool(args["manage_stock"]);
        }

        ProductRules.ApplySaleFields(Store, Time, variation, args, id);

        if (args.ContainsKey("stock_quantity"))
        {
            variation["stock_quantity"] = Json.IsNull(args["stock_quantity"]) ? null : Json.Long(args["stock_quantity"]);
        }

        if (args.ContainsKey("stock_status") && !Json.Bool(variation, "manage_stock"))
        {
            variation["stock_status"] = Json.Str(args["stock_status"]) ?? "instock";
        }

        if (args.ContainsKey("dimensions"))
        {
            variation["dimensions"] = ProductRules.Dimensions(args["dimensions"], variation["dimensions"] as JsonObject);
        }

        if (args.ContainsKey("image"))
        {
            variation["__image"] = args["image"] is JsonObject image && (Json.Long(image["id"]) > 0 || Json.Str(image["src"]) is { Length: > 0 })
                ? Json.Long(Context.ResolveImage(image, "woocommerce_variation_image_upload_error"), "id")
                : 0;
        }

        if (args["attributes"] is JsonArray attributes)
        {
            JsonArray result = [];
            foreach (JsonObject attribute in attributes.OfType<JsonObject>())
            {
                long attributeId = Json.Long(attribute["id"]);
                string name = Json.Str(attribute["name"]) ?? string.Empty;
                if (attributeId > 0 && Store.Attributes.Find(attributeId) is { } global)
                {
                    name = Json.Str(global, "name");
                }
                else if (attributeId > 0 || name.Length == 0)
                {
                    continue;
                }

                string option = Json.Str(attribute["option"]) ?? string.Empty;
                if (option.Length == 0)
                {
                    // An empty value means "any": WooCommerce stores it blank and leaves it out of the response.
                    continue;
                }

                result.Add(new JsonObject { ["id"] = attributeId, ["name"] = name, ["option"] = option });
            }

            variation["attributes"] = result;
        }

        Context.ApplyMeta(variation, args["meta_data"]);
        ProductRules.SyncStock(variation);
        ProductRules.SyncPrice(variation, Time.Now());
    }
}
