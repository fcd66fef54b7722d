using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// <c>/wc/v3/orders/{order_id}/refunds</c> (<c>WC_REST_Order_Refunds_Controller</c>). With <c>api_refund</c> (the default)
/// WooCommerce asks the payment gateway to refund, which fails in the sandbox as it does for gateways without refund support.
/// </summary>
internal sealed class RefundsResource : WooResource
{
    private static readonly HashSet<string> CoreGateways = new(["bacs", "cheque", "cod"], StringComparer.Ordinal);

    public RefundsResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Refunds;

    protected override string ObjectType => "shop_order_refund";

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Str("amount"),
        FieldSpec.Str("reason"),
        FieldSpec.Int("refunded_by"),
        FieldSpec.MetaData,
        FieldSpec.ArrayOfObjects("line_items", FieldSpec.Int("id"), FieldSpec.Int("quantity"), FieldSpec.Str("refund_total")),
        FieldSpec.Bool("api_refund"),
        FieldSpec.Bool("api_restock"));

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified"), new("dp", ParamType.Integer),
    ];

    protected override string CollectionRoute(WooRequest request)
        => string.Create(CultureInfo.InvariantCulture, $"/wc/v3/orders/{request.UrlId("order_id")}/refunds");

    protected override void CheckScope(WooRequest request)
    {
        if (Store.Orders.Find(request.UrlId("order_id")) is null)
        {
            throw new RestException("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404);
        }
    }

    protected override bool InScope(JsonObject item, WooRequest request) => Json.Long(item, "__order") == request.UrlId("order_id");

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" or "title" or "slug" => CompareId,
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        links["up"] = WooContext.Links(Context.RestUrl("/wc/v3/orders/" + Json.Long(stored, "__order").ToString(CultureInfo.InvariantCulture)));
        return links;
    }

    public override JsonObject View(JsonObject stored) => Json.Public(stored);

    public JsonObject NewRefund(long id, long orderId, decimal amount, string reason, long refundedBy, DateTimeOffset created)
    {
        JsonObject refund = new() { ["id"] = id };
        Time.Set(refund, "date_created", created);
        refund["amount"] = Json.Money(amount);
        refund["reason"] = reason;
        refund["refunded_by"] = refundedBy;
        refund["refunded_payment"] = false;
        refund["meta_data"] = new JsonArray();
        refund["line_items"] = new JsonArray();
        refund["shipping_lines"] = new JsonArray();
        refund["tax_lines"] = new JsonArray();
        refund["fee_lines"] = new JsonArray();
        refund["__order"] = orderId;
        return refund;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        long orderId = request.UrlId("order_id");
        JsonObject order = Store.Orders.Find(orderId)!;
        JsonArray refundLines = [];
        decimal fromLines = 0m;
        foreach (JsonObject posted in ((args["line_items"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            long itemId = Json.Long(posted["id"]);
            JsonObject? line = ((order["line_items"] as JsonArray) ?? []).OfType<JsonObject>().FirstOrDefault(l => Json.Long(l, "id") == itemId);
            if (line is null)
            {
                continue;
            }

            decimal lineRefund = Json.Dec(posted["refund_total"]);
            long quantity = Json.Long(posted["quantity"]);
            fromLines += lineRefund;
            refundLines.Add(new JsonObject
            {
                ["id"] = Store.NextOrderItemId(),
                ["name"] = Json.Str(line, "name"),
                ["product_id"] = Json.Long(line, "product_id"),
                ["variation_id"] = Json.Long(line, "variation_id"),
                ["quantity"] = -quantity,
                ["tax_class"] = Json.Str(line, "tax_class"),
                ["subtotal"] = Json.Money(-lineRefund),
                ["subtotal_tax"] = "0.00",
                ["total"] = Json.Money(-lineRefund),
                ["total_tax"] = "0.00",
                ["taxes"] = new JsonArray(),
                ["meta_data"] = Context.NewMeta(("_refunded_item_id", JsonValue.Create(itemId.ToString(CultureInfo.InvariantCulture)))),
                ["sku"] = Json.Str(Store.FindProductOrVariation(Json.Long(line, "variation_id") > 0 ? Json.Long(line, "variation_id") : Json.Long(line, "product_id")) ?? [], "sku"),
                ["price"] = quantity == 0 ? 0d : (double)(-lineRefund / quantity),
            });
        }

        decimal amount = args.ContainsKey("amount") ? Json.Dec(args["amount"]) : fromLines;
        if (amount <= 0)
        {
            throw new RestException("woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400);
        }

        decimal refunded = Store.Refunds.All.Where(r => Json.Long(r, "__order") == orderId).Sum(r => Json.Dec(r["amount"]));
        decimal remaining = Json.Dec(order["total"]) - refunded;
        if (amount > remaining)
        {
            throw new RestException("woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500);
        }

        if (!args.ContainsKey("api_refund") || Json.Bool(args["api_refund"]))
        {
            string gateway = Json.Str(order, "payment_method");
            string message = CoreGateways.Contains(gateway)
                ? "The payment gateway for this order does not support automatic refunds."
                : "The payment gateway for this order does not exist.";
            throw new RestException("woocommerce_rest_cannot_create_order_refund", message, 500);
        }

        JsonObject refund = NewRefund(Store.NextPostId(), orderId, amount, Json.Str(args["reason"]) ?? string.Empty, args.ContainsKey("refunded_by") ? Json.Long(args["refunded_by"]) : WooStore.AdminUserId, Time.Now());
        refund["line_items"] = refundLines;
        Context.ApplyMeta(refund, args["meta_data"]);
        Store.Refunds.Put(refund);
        if (amount == remaining)
        {
            // wc_order_fully_refunded: a fully refunded order moves to "refunded".
            order["status"] = "refunded";
            Time.Set(order, "date_modified", Time.Now());
            Store.Orders.Touch();
        }

        return refund;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request) => throw RestException.NoRoute();
}
