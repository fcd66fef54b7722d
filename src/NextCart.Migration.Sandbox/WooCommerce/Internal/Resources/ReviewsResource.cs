using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// <c>/wc/v3/products/reviews</c> (<c>WC_REST_Product_Reviews_Controller</c>): comments on products. The list shows approved
/// reviews unless <c>status</c> says otherwise; a forced delete answers <c>{"deleted":true,"previous":{…}}</c> as the
/// WordPress comments controller it follows does.
/// </summary>
internal sealed class ReviewsResource : WooResource
{
    public ReviewsResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Reviews;

    protected override string ObjectType => "review";

    protected override bool SupportsTrash => true;

    protected override IReadOnlyList<string> RequiredOnCreate => ["product_id", "review", "reviewer", "reviewer_email"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date_gmt", "date", "date_gmt", "id", "include", "product"),
        new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("reviewer", ParamType.IntegerList), new("reviewer_exclude", ParamType.IntegerList),
        new("reviewer_email", ParamType.String), new("product", ParamType.IntegerList),
        new("status", ParamType.String, Enum: ["all", "hold", "approved", "spam", "trash"], Default: "approved"),
    ];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Int("product_id"),
        FieldSpec.Str("status", "approved", "hold", "spam", "unspam", "trash", "untrash"),
        FieldSpec.Str("reviewer"),
        FieldSpec.Str("reviewer_email"),
        FieldSpec.Str("review"),
        FieldSpec.Int("rating"),
        FieldSpec.Any("date_created"),
        FieldSpec.Any("date_created_gmt"));

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/products/reviews";

    protected override RestException InvalidId(int status) => new("woocommerce_rest_review_invalid_id", "Invalid review ID.", 404);

    protected override RestException AlreadyTrashed() => new("woocommerce_rest_already_trashed", "The object has already been trashed.", 410);

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        string status = request.Str("status") ?? "approved";
        items = status == "all" ? items.Where(r => Json.Str(r, "status") is "approved" or "hold") : items.Where(r => Json.Str(r, "status") == status);
        if (Json.IdList(request.Param("product")) is { Count: > 0 } products)
        {
            items = items.Where(r => products.Contains(Json.Long(r, "product_id")));
        }

        if (Json.IdList(request.Param("reviewer")) is { Count: > 0 } reviewers)
        {
            items = items.Where(r => reviewers.Contains(Json.Long(r, "__user")));
        }

        items = FilterEquals(items, request, "reviewer_email", "reviewer_email");
        items = FilterSearch(items, request, "review", "reviewer", "reviewer_email");
        return FilterDates(items, request);
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "product" => (a, b) => Json.Long(a, "product_id").CompareTo(Json.Long(b, "product_id")),
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        links["up"] = WooContext.Links(Context.RestUrl("/wc/v3/products/" + Json.Long(stored, "product_id").ToString(CultureInfo.InvariantCulture)));
        if (Json.Long(stored, "__user") is > 0 and var user)
        {
            links["reviewer"] = new JsonArray(new JsonObject { ["embeddable"] = true, ["href"] = Context.RestUrl("/wp/v2/users/" + user.ToString(CultureInfo.InvariantCulture)) });
        }

        return links;
    }

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        string email = Json.Str(stored, "reviewer_email");
        view["reviewer_avatar_urls"] = new JsonObject
        {
            ["24"] = WooContext.Gravatar(email, 24),
            ["48"] = WooContext.Gravatar(email, 48),
            ["96"] = WooContext.Gravatar(email, 96),
        };
        if (Store.Products.Find(Json.Long(stored, "product_id")) is { } product)
        {
            view["product_name"] = Json.Str(product, "name");
            view["product_permalink"] = ProductsResource.Permalink(Store, product);
        }

        return view;
    }

    public JsonObject NewReview(long id, long productId, DateTimeOffset created)
    {
        JsonObject review = new() { ["id"] = id };
        Time.Set(review, "date_created", created);
        review["product_id"] = productId;
        review["product_name"] = string.Empty;
        review["product_permalink"] = string.Empty;
        review["status"] = "approved";
        review["reviewer"] = string.Empty;
        review["reviewer_email"] = string.Empty;
        review["review"] = string.Empty;
        review["rating"] = 0;
        review["verified"] = false;
        review["reviewer_avatar_urls"] = new JsonObject();
        review["__user"] = 0;
        return review;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        long productId = Json.Long(args["product_id"]);
        if (Store.Products.Find(productId) is null)
        {
            throw new RestException("woocommerce_rest_product_invalid_id", "Invalid product ID.", 404);
        }

        string text = Json.Str(args["review"]) ?? string.Empty;
        if (text.Trim().Length == 0)
        {
            throw new RestException("woocommerce_rest_review_content_invalid", "Invalid review content.", 400);
        }

        string email = (Json.Str(args["reviewer_email"]) ?? string.Empty).Trim();
        if (Store.Reviews.All.Any(r => Json.Long(r, "product_id") == productId && string.Equals(Json.Str(r, "reviewer_email"), email, StringComparison.OrdinalIgnoreCase) && Json.Str(r, "review") == text))
        {
            // wp_allow_comment's duplicate check, answered 409 as the WordPress comments controller does.
            throw new RestException("comment_duplicate", "Duplicate comment detected; it looks as though you\u2019ve already said that!", 409);
        }

        JsonObject review = NewReview(Store.NextCommentId(), productId, Time.Now());
        Apply(review, args);
        review["__user"] = Store.FindUserByEmail(email) is { } user ? Json.Long(user, "id") : 0;
        review["verified"] = Store.Orders.All.Any(o => Json.Str(o, "status") is "processing" or "completed"
            && string.Equals(Json.Str((JsonObject)o["billing"]!, "email"), email, StringComparison.OrdinalIgnoreCase)
            && ((o["line_items"] as JsonArray) ?? []).OfType<JsonObject>().Any(l => Json.Long(l, "product_id") == productId));
        Store.Reviews.Put(review);
        return review;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        if (args.ContainsKey("product_id"))
        {
            long productId = Json.Long(args["product_id"]);
            if (Store.Products.Find(productId) is null)
            {
                throw new RestException("woocommerce_rest_product_invalid_id", "Invalid product ID.", 404);
            }

            updated["product_id"] = productId;
        }

        Apply(updated, args);
        Store.Reviews.Put(updated);
    }

    public override WooResponse Delete(WooRequest request)
    {
        WooResponse response = base.Delete(request);
        bool force = request.IsBatchItem || Params.Bool(request, "force");
        return force ? new WooResponse(200, new JsonObject { ["deleted"] = true, ["previous"] = response.Body?.DeepClone() }) : response;
    }

    protected override void Trash(JsonObject stored, WooRequest request)
    {
        stored["__previous_status"] = Json.Str(stored, "status");
        stored["status"] = "trash";
        Table.Touch();
    }

    private void Apply(JsonObject review, JsonObject args)
    {
        ProductsResource.CopyStrings(review, args, "reviewer", "review");
        if (args.ContainsKey("reviewer_email"))
        {
            review["reviewer_email"] = (Json.Str(args["reviewer_email"]) ?? string.Empty).Trim();
        }

        if (args.ContainsKey("rating"))
        {
            review["rating"] = Math.Clamp(Json.Long(args["rating"]), 0, 5);
        }

        if (args.ContainsKey("status"))
        {
            string status = Json.Str(args["status"]) ?? "approved";
            review["status"] = status switch
            {
                "unspam" or "untrash" => Json.Str(review["__previous_status"]) is { Length: > 0 } previous ? previous : "approved",
                _ => status,
            };
            if (status is "spam" or "trash")
            {
                review["__previous_status"] = Json.Str(review, "status");
            }
        }

        ProductRules.SetDate(Time, review, args, "date_created");
    }
}
