using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/orders/{order_id}/notes</c> (<c>WC_REST_Order_Notes_Controller</c>): comments on an order, listed whole, newest first.</summary>
internal sealed class OrderNotesResource : WooResource
{
    public OrderNotesResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.OrderNotes;

    protected override string ObjectType => "order_note";

    protected override Paging Paging => Paging.None;

    protected override IReadOnlyList<string> RequiredOnCreate => ["note"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
        [Params.Context, new("type", ParamType.String, Enum: ["any", "customer", "internal"], Default: "any")];

    protected override Schema WriteSchema { get; } = new(FieldSpec.Str("note"), FieldSpec.Bool("customer_note"), FieldSpec.Bool("added_by_user"));

    protected override string CollectionRoute(WooRequest request)
        => string.Create(CultureInfo.InvariantCulture, $"/wc/v3/orders/{request.UrlId("order_id")}/notes");

    protected override void CheckScope(WooRequest request)
    {
        if (Store.Orders.Find(request.UrlId("order_id")) is null)
        {
            throw new RestException("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404);
        }
    }

    protected override bool InScope(JsonObject item, WooRequest request) => Json.Long(item, "__order") == request.UrlId("order_id");

    protected override RestException InvalidId(int status) => new("woocommerce_rest_invalid_id", "Invalid resource ID.", 404);

    // The order notes controller shares this message with the webhooks controller it was copied from.
    protected override RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501);

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request) => request.Str("type") switch
    {
        "customer" => items.Where(n => Json.Bool(n, "customer_note")),
        "internal" => items.Where(n => !Json.Bool(n, "customer_note")),
        _ => items,
    };

    protected override Comparison<JsonObject> OrderBy(string orderBy) => (a, b) => CompareDate(a, b, "date_created");

    public override WooResponse List(WooRequest request)
    {
        Params.Validate(request, CollectionParams);
        Authorize(request, Operation.List);
        CheckScope(request);
        List<JsonObject> items = [.. Filter(Table.All.Where(i => InScope(i, request)), request)
            .OrderByDescending(n => Json.Str(n["date_created_gmt"]), StringComparer.Ordinal)
            .ThenByDescending(n => Json.Long(n, "id"))];
        return new WooResponse(200, Json.Array(items.Select(i => (JsonNode?)Fields(Render(i, request), request))));
    }

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        links["up"] = WooContext.Links(Context.RestUrl("/wc/v3/orders/" + Json.Long(stored, "__order").ToString(CultureInfo.InvariantCulture)));
        return links;
    }

    public override JsonObject View(JsonObject stored) => Json.Public(stored);

    public JsonObject NewNote(long id, long orderId, string note, bool customerNote, bool addedByUser, DateTimeOffset created)
    {
        JsonObject stored = new() { ["id"] = id, ["author"] = addedByUser ? "admin" : "system" };
        Time.Set(stored, "date_created", created);
        stored["note"] = note;
        stored["customer_note"] = customerNote;
        stored["added_by_user"] = addedByUser;
        stored["__order"] = orderId;
        return stored;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        string text = Json.Str(args["note"]) ?? string.Empty;
        if (text.Length == 0)
        {
            throw new RestException("woocommerce_api_missing_order_note", "Order note is required.", 400);
        }

        JsonObject note = NewNote(Store.NextCommentId(), request.UrlId("order_id"), text, Json.Bool(args["customer_note"]), Json.Bool(args["added_by_user"]), Time.Now());
        Store.OrderNotes.Put(note);
        return note;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
        => throw RestException.NoRoute();
}
