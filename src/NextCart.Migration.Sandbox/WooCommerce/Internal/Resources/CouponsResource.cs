using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/coupons</c> (<c>WC_REST_Coupons_Controller</c>): codes are stored lower case and must be unique.</summary>
internal sealed class CouponsResource : WooResource
{
    public CouponsResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Coupons;

    protected override string ObjectType => "shop_coupon";

    protected override bool SupportsTrash => true;

    protected override IReadOnlyList<string> RequiredOnCreate => ["code"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified"),
        new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("modified_after", ParamType.DateTime), new("modified_before", ParamType.DateTime),
        new("dates_are_gmt", ParamType.Boolean), new("code", ParamType.String),
    ];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Str("code"),
        FieldSpec.Str("amount"),
        FieldSpec.Any("date_created"),
        FieldSpec.Any("date_created_gmt"),
        FieldSpec.Str("discount_type", "percent", "fixed_cart", "fixed_product"),
        FieldSpec.Str("description"),
        FieldSpec.Any("date_expires"),
        FieldSpec.Any("date_expires_gmt"),
        FieldSpec.Bool("individual_use"),
        FieldSpec.Ints("product_ids"),
        FieldSpec.Ints("excluded_product_ids"),
        FieldSpec.Int("usage_limit"),
        FieldSpec.Int("usage_limit_per_user"),
        FieldSpec.Int("limit_usage_to_x_items"),
        FieldSpec.Bool("free_shipping"),
        FieldSpec.Ints("product_categories"),
        FieldSpec.Ints("excluded_product_categories"),
        FieldSpec.Bool("exclude_sale_items"),
        FieldSpec.Str("minimum_amount"),
        FieldSpec.Str("maximum_amount"),
        FieldSpec.Strs("email_restrictions"),
        FieldSpec.Str("status", "draft", "pending", "private", "publish", "future"),
        FieldSpec.MetaData);

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/coupons";

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        items = items.Where(c => Json.Str(c, "status") != "trash");
        items = FilterEquals(items, request, "code", "code");
        items = FilterSearch(items, request, "code", "description");
        return FilterDates(items, request);
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "title" or "slug" => (a, b) => CompareText(a, b, "code"),
        "modified" => (a, b) => CompareDate(a, b, "date_modified"),
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    public override JsonObject View(JsonObject stored) => Json.Public(stored);

    public JsonObject NewCoupon(long id, DateTimeOffset created)
    {
        JsonObject coupon = new() { ["id"] = id, ["code"] = string.Empty, ["amount"] = "0.00", ["status"] = "publish" };
        Time.Set(coupon, "date_created", created);
        Time.Set(coupon, "date_modified", created);
        coupon["discount_type"] = "fixed_cart";
        coupon["description"] = string.Empty;
        Time.Set(coupon, "date_expires", null);
        coupon["usage_count"] = 0;
        coupon["individual_use"] = false;
        coupon["product_ids"] = new JsonArray();
        coupon["excluded_product_ids"] = new JsonArray();
        coupon["usage_limit"] = null;
        coupon["usage_limit_per_user"] = null;
        coupon["limit_usage_to_x_items"] = null;
        coupon["free_shipping"] = false;
        coupon["product_categories"] = new JsonArray();
        coupon["excluded_product_categories"] = new JsonArray();
        coupon["exclude_sale_items"] = false;
        coupon["minimum_amount"] = "0.00";
        coupon["maximum_amount"] = "0.00";
        coupon["email_restrictions"] = new JsonArray();
        coupon["used_by"] = new JsonArray();
        coupon["meta_data"] = new JsonArray();
        return coupon;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject coupon = NewCoupon(Store.NextPostId(), Time.Now());
        Apply(coupon, args);
        Store.Coupons.Put(coupon);
        return coupon;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args);
        Time.Set(updated, "date_modified", Time.Now());
        Store.Coupons.Put(updated);
    }

    /// <summary><c>wc_format_coupon_code</c> with the <c>woocommerce_coupon_code</c> filters: trimmed and lower case.</summary>
    public static string FormatCode(string? code) => (code ?? string.Empty).Trim().ToLowerInvariant();

    private void Apply(JsonObject coupon, JsonObject args)
    {
        long id = Json.Long(coupon, "id");
        if (args.ContainsKey("code"))
        {
            string code = FormatCode(Json.Str(args["code"]));
            if (code.Length > 0 && Store.FindCouponByCode(code, id) is not null)
            {
                throw new RestException("woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400);
            }

            coupon["code"] = code;
        }

        ProductsResource.CopyStrings(coupon, args, "discount_type", "description", "status");
        ProductsResource.CopyBools(coupon, args, "individual_use", "free_shipping", "exclude_sale_items");
        foreach (string field in new[] { "amount", "minimum_amount", "maximum_amount" })
        {
            if (args.ContainsKey(field))
            {
                coupon[field] = Json.Money(Json.Dec(args[field]));
            }
        }

        foreach (string field in new[] { "usage_limit", "usage_limit_per_user", "limit_usage_to_x_items" })
        {
            if (args.ContainsKey(field))
            {
                coupon[field] = Json.IsNull(args[field]) || Json.Long(args[field]) <= 0 ? null : Json.Long(args[field]);
            }
        }

        foreach (string field in new[] { "product_ids", "excluded_product_ids", "product_categories", "excluded_product_categories" })
        {
            if (args.ContainsKey(field))
            {
                coupon[field] = Json.Longs(Json.IdList(args[field]));
            }
        }

        if (args.ContainsKey("email_restrictions"))
        {
            coupon["email_restrictions"] = Json.Strings(Json.List(args["email_restrictions"]).Select(e => e.ToLowerInvariant()));
        }

        ProductRules.SetDate(Time, coupon, args, "date_created");
        ProductRules.SetDate(Time, coupon, args, "date_expires");
        Context.ApplyMeta(coupon, args["meta_data"]);
    }
}
