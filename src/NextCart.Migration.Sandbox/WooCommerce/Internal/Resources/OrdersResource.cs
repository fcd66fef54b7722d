using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// <c>/wc/v3/orders</c> (<c>WC_REST_Orders_Controller</c>). Creating or updating items recalculates the totals as
/// <c>WC_Order::calculate_totals</c> does; moving to processing or completed sets <c>date_paid</c> (and <c>date_completed</c>),
/// counts the sale and reduces managed stock once, as WooCommerce's status transitions do.
/// </summary>
internal sealed class OrdersResource : WooResource
{
    public static readonly string[] Statuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"];

    private static readonly FieldSpec[] AddressFields = [.. CustomersResource.BillingFields.Select(f => FieldSpec.Str(f))];

    public OrdersResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Orders;

    protected override string ObjectType => "shop_order";

    protected override bool SupportsTrash => true;

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
        Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified"),
        new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("modified_after", ParamType.DateTime), new("modified_before", ParamType.DateTime),
        new("dates_are_gmt", ParamType.Boolean), new("parent", ParamType.IntegerList), new("parent_exclude", ParamType.IntegerList),
        new("status", ParamType.StringList, Default: "any"), new("customer", ParamType.Integer), new("product", ParamType.Integer), new("dp", ParamType.Integer),
        new("created_via", ParamType.StringList),
    ];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Int("parent_id"),
        FieldSpec.Str("status", [.. Statuses]),
        FieldSpec.Str("currency"),
        FieldSpec.Any("date_created"),
        FieldSpec.Int("customer_id"),
        FieldSpec.Str("customer_note"),
        FieldSpec.Obj("billing", AddressFields),
        FieldSpec.Obj("shipping", AddressFields),
        FieldSpec.Str("payment_method"),
        FieldSpec.Str("payment_method_title"),
        FieldSpec.Str("transaction_id"),
        FieldSpec.Str("created_via"),
        FieldSpec.MetaData,
        FieldSpec.ArrayOfObjects("line_items", FieldSpec.Int("id"), FieldSpec.Str("name"), FieldSpec.Int("product_id"), FieldSpec.Int("variation_id"), FieldSpec.Int("quantity"), FieldSpec.Str("tax_class"), FieldSpec.Str("subtotal"), FieldSpec.Str("total"), FieldSpec.MetaData, FieldSpec.Str("sku")),
        FieldSpec.ArrayOfObjects("shipping_lines", FieldSpec.Int("id"), FieldSpec.Str("method_title"), FieldSpec.Str("method_id"), FieldSpec.Str("instance_id"), FieldSpec.Str("total"), FieldSpec.MetaData),
        FieldSpec.ArrayOfObjects("fee_lines", FieldSpec.Int("id"), FieldSpec.Str("name"), FieldSpec.Str("tax_class"), FieldSpec.Str("tax_status", "taxable", "none"), FieldSpec.Str("total"), FieldSpec.MetaData),
        FieldSpec.ArrayOfObjects("coupon_lines", FieldSpec.Int("id"), FieldSpec.Str("code"), FieldSpec.MetaData),
        FieldSpec.Bool("set_paid"));

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/orders";

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        List<string> statuses = Json.List(request.Param("status"));
        if (statuses.Count == 0 || statuses.Contains("any"))
        {
            items = items.Where(o => Json.Str(o, "status") != "trash");
        }
        else
        {
            HashSet<string> wanted = [.. statuses];
            items = items.Where(o => wanted.Contains(Json.Str(o, "status")));
        }

        if (request.Has("customer"))
        {
            long customer = Params.Int(request, "customer", 0);
            items = items.Where(o => Json.Long(o, "customer_id") == customer);
        }

        if (request.Has("product"))
        {
            long product = Params.Int(request, "product", 0);
            items = items.Where(o => ((o["line_items"] as JsonArray) ?? []).OfType<JsonObject>().Any(l => Json.Long(l, "product_id") == product || Json.Long(l, "variation_id") == product));
        }

        if (Json.IdList(request.Param("parent")) is { Count: > 0 } parents)
        {
            items = items.Where(o => parents.Contains(Json.Long(o, "parent_id")));
        }

        items = FilterEquals(items, request, "created_via", "created_via");
        items = FilterSearch(items, request, "number", "customer_note", "payment_method_title");
        return FilterDates(items, request);
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "modified" => (a, b) => CompareDate(a, b, "date_modified"),
        "title" or "slug" => CompareId,
        _ => (a, b) => CompareDate(a, b, "date_created"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        if (Json.Long(stored, "customer_id") is > 0 and var customer)
        {
            links["customer"] = WooContext.Links(Context.RestUrl("/wc/v3/customers/" + customer.ToString(CultureInfo.InvariantCulture)));
        }

        return links;
    }

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        long id = Json.Long(stored, "id");
        JsonArray lines = [];
        foreach (JsonObject line in ((stored["line_items"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            lines.Add(LineView(line));
        }

        view["line_items"] = lines;
        view["refunds"] = Json.Array(Store.Refunds.All
            .Where(r => Json.Long(r, "__order") == id)
            .OrderByDescending(r => Json.Long(r, "id"))
            .Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = Json.Long(r, "id"),
                ["reason"] = Json.Str(r, "reason"),
                ["total"] = "-" + Json.Str(r, "amount"),
            }));
        string status = Json.Str(stored, "status");
        decimal total = Json.Dec(stored["total"]);
        view["currency_symbol"] = ProductRules.CurrencySymbol(Json.Str(stored, "currency"));
        view["payment_url"] = string.Create(CultureInfo.InvariantCulture, $"{Store.SiteUrl}/checkout/order-pay/{id}/?pay_for_order=true&key={Json.Str(stored, "order_key")}");
        view["is_editable"] = status is "pending" or "on-hold" or "checkout-draft";
        view["needs_payment"] = status is "pending" or "failed" && total > 0;
        view["needs_processing"] = true;
        return view;
    }

    /// <summary>A line item as the API shows it: <c>sku</c>, <c>price</c>, <c>image</c> and <c>parent_name</c> come from the current product.</summary>
    public JsonObject LineView(JsonObject line)
    {
        JsonObject view = Json.Public(line);
        long productId = Json.Long(line, "product_id");
        long variationId = Json.Long(line, "variation_id");
        JsonObject? product = variationId > 0 ? Store.Variations.Find(variationId) : Store.Products.Find(productId);
        JsonObject? parent = variationId > 0 ? Store.Products.Find(productId) : null;
        long quantity = Json.Long(line, "quantity");
        view["sku"] = product is null ? null : Json.Str(product, "sku");
        view["price"] = quantity == 0 ? 0d : (double)(Json.Dec(line["total"]) / quantity);
        long imageId = product is null ? 0 : variationId > 0 ? Json.Long(product, "__image") : Json.IdList(product["__images"]).FirstOrDefault();
        if (imageId == 0 && parent is not null)
        {
            imageId = Json.IdList(parent["__images"]).FirstOrDefault();
        }

        view["image"] = new JsonObject
        {
            ["id"] = imageId.ToString(CultureInfo.InvariantCulture),
            ["src"] = imageId > 0 && Store.Attachments.Find(imageId) is { } image ? Json.Str(image, "src") : string.Empty,
        };
        view["parent_name"] = parent is null ? null : Json.Str(parent, "name");
        return view;
    }

    public JsonObject NewOrder(long id, DateTimeOffset created, string createdVia)
    {
        JsonObject order = new()
        {
            ["id"] = id,
            ["parent_id"] = 0,
            ["number"] = id.ToString(CultureInfo.InvariantCulture),
            ["order_key"] = "wc_order_" + WooContext.Token("order-key:" + id.ToString(CultureInfo.InvariantCulture), 13),
            ["created_via"] = createdVia,
            ["version"] = Context.Settings.Version,
            ["status"] = "pending",
            ["currency"] = Context.Settings.Currency,
        };
        Time.Set(order, "date_created", created);
        Time.Set(order, "date_modified", created);
        order["discount_total"] = "0.00";
        order["discount_tax"] = "0.00";
        order["shipping_total"] = "0.00";
        order["shipping_tax"] = "0.00";
        order["cart_tax"] = "0.00";
        order["total"] = "0.00";
        order["total_tax"] = "0.00";
        order["prices_include_tax"] = false;
        order["customer_id"] = 0;
        order["customer_ip_address"] = string.Empty;
        order["customer_user_agent"] = string.Empty;
        order["customer_note"] = string.Empty;
        order["billing"] = CustomersResource.Address(CustomersResource.BillingFields);
        order["shipping"] = CustomersResource.Address(CustomersResource.ShippingFields);
        order["payment_method"] = string.Empty;
        order["payment_method_title"] = string.Empty;
        order["transaction_id"] = string.Empty;
        Time.Set(order, "date_paid", null);
        Time.Set(order, "date_completed", null);
        order["cart_hash"] = string.Empty;
        order["meta_data"] = new JsonArray();
        order["line_items"] = new JsonArray();
        order["tax_lines"] = new JsonArray();
        order["shipping_lines"] = new JsonArray();
        order["fee_lines"] = new JsonArray();
        order["coupon_lines"] = new JsonArray();
        order["refunds"] = new JsonArray();
        return order;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        DateTimeOffset now = Time.Now();
        JsonObject order = NewOrder(Store.NextPostId(), now, "rest-api");
        Apply(order, args, creating: true);
        Store.Orders.Put(order);
        return order;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args, creating: false);
        Store.Orders.Put(updated);
    }

    protected override void Remove(JsonObject stored, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        foreach (JsonObject note in Store.OrderNotes.All.Where(n => Json.Long(n, "__order") == id).ToList())
        {
            Store.OrderNotes.Remove(Json.Long(note, "id"));
        }

        foreach (JsonObject refund in Store.Refunds.All.Where(r => Json.Long(r, "__order") == id).ToList())
        {
            Store.Refunds.Remove(Json.Long(refund, "id"));
        }

        Store.Orders.Remove(id);
    }

    private void Apply(JsonObject order, JsonObject args, bool creating)
    {
        DateTimeOffset now = Time.Now();
        string previousStatus = creating ? string.Empty : Json.Str(order, "status");
        if (args.ContainsKey("customer_id"))
        {
            long customer = Json.Long(args["customer_id"]);
            if (customer != 0 && Store.Users.Find(customer) is null)
            {
                throw new RestException("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400);
            }

            order["customer_id"] = customer;
        }

        if (args.ContainsKey("currency"))
        {
            string currency = (Json.Str(args["currency"]) ?? string.Empty).Trim().ToUpperInvariant();
            if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            {
                throw new RestException("order_invalid_currency", "Invalid currency code", 400);
            }

            order["currency"] = currency;
        }

        ProductsResource.CopyStrings(order, args, "customer_note", "payment_method", "payment_method_title", "transaction_id", "created_via");
        ProductsResource.CopyLongs(order, args, "parent_id");
        ProductRules.SetDate(Time, order, args, "date_created");
        bool recalculate = creating;
        if (args["billing"] is JsonObject billing)
        {
            order["billing"] = CustomersResource.MergeAddress(order["billing"] as JsonObject, billing, CustomersResource.BillingFields);
            recalculate = true;
        }

        if (args["shipping"] is JsonObject shipping)
        {
            order["shipping"] = CustomersResource.MergeAddress(order["shipping"] as JsonObject, shipping, CustomersResource.ShippingFields);
            recalculate = true;
        }

        if (args["line_items"] is JsonArray lineItems)
        {
            order["line_items"] = MergeItems(order["line_items"] as JsonArray, lineItems, (item, posted, isNew) => ApplyLineItem(item, posted, isNew));
            recalculate = true;
        }

        if (args["shipping_lines"] is JsonArray shippingLines)
        {
            order["shipping_lines"] = MergeItems(order["shipping_lines"] as JsonArray, shippingLines, ApplyShippingLine);
            recalculate = true;
        }

        if (args["fee_lines"] is JsonArray feeLines)
        {
            order["fee_lines"] = MergeItems(order["fee_lines"] as JsonArray, feeLines, ApplyFeeLine);
            recalculate = true;
        }

        List<JsonObject>? coupons = null;
        if (args["coupon_lines"] is JsonArray couponLines)
        {
            coupons = CheckCoupons(order, couponLines, now);
            recalculate = true;
        }

        Context.ApplyMeta(order, args["meta_data"]);
        if (recalculate)
        {
            CalculateTotals(order, coupons);
        }

        string status = Json.Str(order, "status");
        if (Json.Bool(args["set_paid"]))
        {
            // WC_Order::payment_complete: processing, or completed when no item needs processing.
            status = "processing";
        }

        if (args.ContainsKey("status") && Json.Str(args["status"]) is { Length: > 0 } requested)
        {
            status = requested;
        }

        order["status"] = status;
        if (status != previousStatus)
        {
            Transition(order, status, now);
        }

        Time.Set(order, "date_modified", now);
    }

    /// <summary>The side effects of a status change: paid and completed dates, the sale count and stock reduction (once each).</summary>
    public void Transition(JsonObject order, string status, DateTimeOffset now)
    {
        if (status is "processing" or "completed")
        {
            if (Json.IsNull(order["date_paid"]))
            {
                Time.Set(order, "date_paid", now);
            }

            if (!Json.Bool(order, "__recorded_sales"))
            {
                order["__recorded_sales"] = true;
                foreach (JsonObject line in ((order["line_items"] as JsonArray) ?? []).OfType<JsonObject>())
                {
                    if (Store.Products.Find(Json.Long(line, "product_id")) is { } product)
                    {
                        product["total_sales"] = Json.Long(product, "total_sales") + Json.Long(line, "quantity");
                    }
                }

                Store.Products.Touch();
            }
        }

        if (status == "completed" && Json.IsNull(order["date_completed"]))
        {
            Time.Set(order, "date_completed", now);
        }

        if (status is "processing" or "completed" or "on-hold" && !Json.Bool(order, "__stock_reduced"))
        {
            // wc_maybe_reduce_stock_levels: importing a paid order reduces the stock of managed products.
            order["__stock_reduced"] = true;
            foreach (JsonObject line in ((order["line_items"] as JsonArray) ?? []).OfType<JsonObject>())
            {
                long variationId = Json.Long(line, "variation_id");
                JsonObject? target = Store.FindProductOrVariation(variationId > 0 ? variationId : Json.Long(line, "product_id"));
                if (target is not null && Json.Bool(target, "manage_stock"))
                {
                    target["stock_quantity"] = Json.Long(target["stock_quantity"]) - Json.Long(line, "quantity");
                    ProductRules.SyncStock(target);
                }
            }

            Store.Products.Touch();
            Store.Variations.Touch();
        }
    }

    private JsonArray MergeItems(JsonArray? current, JsonArray posted, Action<JsonObject, JsonObject, bool> apply)
    {
        List<JsonObject> items = [.. ((current ?? []).OfType<JsonObject>().Select(Json.Clone))];
        foreach (JsonObject item in posted.OfType<JsonObject>())
        {
            long id = Json.Long(item["id"]);
            if (id > 0)
            {
                JsonObject? existing = items.FirstOrDefault(i => Json.Long(i, "id") == id)
                    ?? throw new RestException("woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.", 400);
                if (item.Where(p => p.Key != "id").All(p => Json.IsNull(p.Value) || (Json.TryLong(p.Value, out long n) && n == 0 && p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.Number)))
                {
                    items.Remove(existing);
                    continue;
                }

                apply(existing, item, false);
            }
            else
            {
                JsonObject created = new() { ["id"] = Store.NextOrderItemId() };
                apply(created, item, true);
                items.Add(created);
            }
        }

        return Json.Array(items);
    }

    /// <summary><c>prepare_line_items</c>: the product comes from <c>sku</c>, <c>product_id</c> or <c>variation_id</c>, and one of them is required.</summary>
    private void ApplyLineItem(JsonObject item, JsonObject posted, bool isNew)
    {
        long productRef;
        if (Json.Str(posted["sku"]) is { Length: > 0 } sku)
        {
            productRef = Store.FindBySku(sku) is { } bySku ? Json.Long(bySku, "id") : 0;
        }
        else if (Json.Long(posted["product_id"]) is > 0 and var productId && Json.Long(posted["variation_id"]) == 0)
        {
            productRef = productId;
        }
        else if (Json.Long(posted["variation_id"]) is > 0 and var variationId)
        {
            productRef = variationId;
        }
        else if (!isNew)
        {
            productRef = 0;
        }
        else
        {
            throw new RestException("woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400);
        }

        if (isNew)
        {
            item["name"] = string.Empty;
            item["product_id"] = 0;
            item["variation_id"] = 0;
            item["quantity"] = 1;
            item["tax_class"] = string.Empty;
            item["subtotal"] = "0.00";
            item["subtotal_tax"] = "0.00";
            item["total"] = "0.00";
            item["total_tax"] = "0.00";
            item["taxes"] = new JsonArray();
            item["meta_data"] = new JsonArray();
        }

        JsonObject? product = productRef > 0 ? Store.FindProductOrVariation(productRef) : null;
        long quantity = posted.ContainsKey("quantity") ? Json.Long(posted["quantity"]) : Json.Long(item, "quantity");
        if (product is not null)
        {
            bool isVariation = Store.Variations.Find(productRef) is not null;
            long parentId = isVariation ? Json.Long(product, "__parent") : productRef;
            JsonObject? parent = Store.Products.Find(parentId);
            if (Json.Long(item, "product_id") != parentId || Json.Long(item, "variation_id") != (isVariation ? productRef : 0))
            {
                item["product_id"] = parentId;
                item["variation_id"] = isVariation ? productRef : 0;
                item["name"] = isVariation && parent is not null ? VariationName(parent, product) : Json.Str(product, "name");
                item["tax_class"] = Json.Str(product, "tax_class");
                if (isVariation)
                {
                    item["meta_data"] = Json.Array(VariationMeta(product).Select(m => (JsonNode?)m));
                }

                if (isNew)
                {
                    DateTimeOffset now = Time.Now();
                    decimal price = ProductRules.TryAmount(ProductsResource.ActivePrice(product, now), out decimal p) ? p : 0m;
                    item["subtotal"] = Json.Money(price * quantity);
                    item["total"] = Json.Money(price * quantity);
                }
            }
        }

        if (posted.ContainsKey("name"))
        {
            item["name"] = Json.Str(posted["name"]) ?? string.Empty;
        }

        item["quantity"] = quantity;
        if (posted.ContainsKey("tax_class"))
        {
            item["tax_class"] = Json.Str(posted["tax_class"]) ?? string.Empty;
        }

        if (posted.ContainsKey("subtotal"))
        {
            item["subtotal"] = Json.Money(Json.Dec(posted["subtotal"]));
        }

        if (posted.ContainsKey("total"))
        {
            // WC_Order_Item_Product::set_total: the subtotal is never less than the total.
            decimal total = Json.Dec(posted["total"]);
            item["total"] = Json.Money(total);
            if (!posted.ContainsKey("subtotal") && Json.Dec(item["subtotal"]) < total)
            {
                item["subtotal"] = Json.Money(total);
            }
        }

        Context.ApplyMeta(item, posted["meta_data"]);
    }

    private void ApplyShippingLine(JsonObject item, JsonObject posted, bool isNew)
    {
        if (isNew)
        {
            item["method_title"] = string.Empty;
            item["method_id"] = string.Empty;
            item["instance_id"] = string.Empty;
            item["total"] = "0.00";
            item["total_tax"] = "0.00";
            item["taxes"] = new JsonArray();
            item["meta_data"] = new JsonArray();
        }

        ProductsResource.CopyStrings(item, posted, "method_title", "method_id", "instance_id");
        if (posted.ContainsKey("total"))
        {
            item["total"] = Json.Money(Json.Dec(posted["total"]));
        }

        Context.ApplyMeta(item, posted["meta_data"]);
    }

    private void ApplyFeeLine(JsonObject item, JsonObject posted, bool isNew)
    {
        if (isNew)
        {
            item["name"] = string.Empty;
            item["tax_class"] = string.Empty;
            item["tax_status"] = "taxable";
            item["amount"] = string.Empty;
            item["total"] = "0.00";
            item["total_tax"] = "0.00";
            item["taxes"] = new JsonArray();
            item["meta_data"] = new JsonArray();
        }

        ProductsResource.CopyStrings(item, posted, "name", "tax_class", "tax_status");
        if (posted.ContainsKey("total"))
        {
            item["total"] = Json.Money(Json.Dec(posted["total"]));
            item["amount"] = Json.Str(posted["total"]) ?? string.Empty;
        }

        Context.ApplyMeta(item, posted["meta_data"]);
    }

    /// <summary><c>calculate_coupons</c>: each code must name a valid coupon (it exists, has not expired, has uses left).</summary>
    private List<JsonObject> CheckCoupons(JsonObject order, JsonArray posted, DateTimeOffset now)
    {
        HashSet<string> applied = new(((order["coupon_lines"] as JsonArray) ?? []).OfType<JsonObject>().Select(c => Json.Str(c, "code")), StringComparer.OrdinalIgnoreCase);
        List<JsonObject> coupons = [];
        foreach (JsonObject line in posted.OfType<JsonObject>())
        {
            if (Json.Long(line["id"]) > 0)
            {
                throw new RestException("woocommerce_rest_coupon_item_id_readonly", "Coupon item ID is readonly.", 400);
            }

            string code = (Json.Str(line["code"]) ?? string.Empty).Trim().ToLowerInvariant();
            if (code.Length == 0)
            {
                throw new RestException("woocommerce_rest_invalid_coupon", "Coupon code is required.", 400);
            }

            JsonObject coupon = Store.FindCouponByCode(code)
                ?? throw new RestException("woocommerce_rest_invalid_coupon", $"Coupon \"{code}\" does not exist!", 400);
            if (!applied.Contains(code))
            {
                if (WooTime.ReadGmt(coupon, "date_expires") is { } expires && expires < now)
                {
                    throw new RestException("woocommerce_rest_invalid_coupon", "This coupon has expired.", 400);
                }

                if (Json.Long(coupon["usage_limit"]) is > 0 and var limit && Json.Long(coupon, "usage_count") >= limit)
                {
                    throw new RestException("woocommerce_rest_invalid_coupon", "Coupon usage limit has been reached.", 400);
                }

                coupon["usage_count"] = Json.Long(coupon, "usage_count") + 1;
                long customer = Json.Long(order, "customer_id");
                string usedBy = customer > 0 ? customer.ToString(CultureInfo.InvariantCulture) : Json.Str(order["billing"]!.AsObject(), "email");
                ((JsonArray)coupon["used_by"]!).Add(usedBy);
                Store.Coupons.Touch();
            }

            coupons.Add(coupon);
        }

        return coupons;
    }

    /// <summary><c>WC_Order::calculate_totals(true)</c>: coupon discounts, taxes (when enabled) and the order totals.</summary>
    private void CalculateTotals(JsonObject order, List<JsonObject>? coupons)
    {
        List<JsonObject> lines = [.. ((order["line_items"] as JsonArray) ?? []).OfType<JsonObject>()];
        if (coupons is not null)
        {
            foreach (JsonObject line in lines)
            {
                line["total"] = line["subtotal"]!.DeepClone();
            }

            JsonArray couponLines = [];
            foreach (JsonObject coupon in coupons)
            {
                decimal discount = ApplyCoupon(coupon, lines);
                couponLines.Add(new JsonObject
                {
                    ["id"] = Store.NextOrderItemId(),
                    ["code"] = Json.Str(coupon, "code"),
                    ["discount"] = Json.Money(discount),
                    ["discount_tax"] = "0.00",
                    ["discount_type"] = Json.Str(coupon, "discount_type"),
                    ["nominal_amount"] = Json.Dec(coupon["amount"]),
                    ["free_shipping"] = Json.Bool(coupon, "free_shipping"),
                    ["meta_data"] = new JsonArray(),
                });
            }

            order["coupon_lines"] = couponLines;
        }

        List<JsonObject> shippingLines = [.. ((order["shipping_lines"] as JsonArray) ?? []).OfType<JsonObject>()];
        List<JsonObject> feeLines = [.. ((order["fee_lines"] as JsonArray) ?? []).OfType<JsonObject>()];
        Dictionary<long, (JsonObject Rate, decimal Cart, decimal Shipping)> taxTotals = [];
        foreach (JsonObject line in lines.Concat(feeLines))
        {
            List<(JsonObject Rate, decimal Total, decimal Subtotal)> taxes = Context.Settings.CalculateTaxes && Json.Str(line, "tax_status") != "none"
                ? Taxes(order, Json.Str(line, "tax_class"), Json.Dec(line["total"]), Json.Dec(line["subtotal"] ?? line["total"]), shipping: false)
                : [];
            line["taxes"] = Json.Array(taxes.Select(t => (JsonNode?)new JsonObject
            {
                ["id"] = Json.Long(t.Rate, "id"),
                ["total"] = Json.Money(t.Total),
                ["subtotal"] = line.ContainsKey("subtotal") ? Json.Money(t.Subtotal) : string.Empty,
            }));
            line["total_tax"] = Json.Money(taxes.Sum(t => t.Total));
            if (line.ContainsKey("subtotal_tax"))
            {
                line["subtotal_tax"] = Json.Money(taxes.Sum(t => t.Subtotal));
            }

            foreach ((JsonObject rate, decimal total, _) in taxes)
            {
                long rateId = Json.Long(rate, "id");
                (JsonObject r, decimal cart, decimal ship) = taxTotals.GetValueOrDefault(rateId, (rate, 0m, 0m));
                taxTotals[rateId] = (r, cart + total, ship);
            }
        }

        foreach (JsonObject line in shippingLines)
        {
            List<(JsonObject Rate, decimal Total, decimal Subtotal)> taxes = Context.Settings.CalculateTaxes
                ? Taxes(order, string.Empty, Json.Dec(line["total"]), Json.Dec(line["total"]), shipping: true)
                : [];
            line["taxes"] = Json.Array(taxes.Select(t => (JsonNode?)new JsonObject { ["id"] = Json.Long(t.Rate, "id"), ["total"] = Json.Money(t.Total), ["subtotal"] = string.Empty }));
            line["total_tax"] = Json.Money(taxes.Sum(t => t.Total));
            foreach ((JsonObject rate, decimal total, _) in taxes)
            {
                long rateId = Json.Long(rate, "id");
                (JsonObject r, decimal cart, decimal ship) = taxTotals.GetValueOrDefault(rateId, (rate, 0m, 0m));
                taxTotals[rateId] = (r, cart, ship + total);
            }
        }

        JsonArray taxLines = [];
        foreach ((JsonObject rate, decimal cart, decimal ship) in taxTotals.Values.OrderBy(t => Json.Long(t.Rate, "id")))
        {
            taxLines.Add(TaxLine(rate, cart, ship));
        }

        order["tax_lines"] = taxLines;
        decimal subtotal = lines.Sum(l => Json.Dec(l["subtotal"]));
        decimal linesTotal = lines.Sum(l => Json.Dec(l["total"]));
        decimal fees = feeLines.Sum(f => Json.Dec(f["total"]));
        decimal shippingTotal = shippingLines.Sum(s => Json.Dec(s["total"]));
        decimal cartTax = lines.Concat(feeLines).Sum(l => Json.Dec(l["total_tax"]));
        decimal shippingTax = shippingLines.Sum(s => Json.Dec(s["total_tax"]));
        order["discount_total"] = Json.Money(subtotal - linesTotal);
        order["discount_tax"] = Json.Money(lines.Sum(l => Json.Dec(l["subtotal_tax"]) - Json.Dec(l["total_tax"])));
        order["shipping_total"] = Json.Money(shippingTotal);
        order["shipping_tax"] = Json.Money(shippingTax);
        order["cart_tax"] = Json.Money(cartTax);
        order["total_tax"] = Json.Money(cartTax + shippingTax);
        order["total"] = Json.Money(linesTotal + fees + shippingTotal + cartTax + shippingTax);
    }

    public JsonObject TaxLine(JsonObject rate, decimal cart, decimal shipping) => new()
    {
        ["id"] = Store.NextOrderItemId(),
        ["rate_code"] = RateCode(rate),
        ["rate_id"] = Json.Long(rate, "id"),
        ["label"] = Json.Str(rate, "name").Length > 0 ? Json.Str(rate, "name") : "Tax",
        ["compound"] = Json.Bool(rate, "compound"),
        ["tax_total"] = Json.Money(cart),
        ["shipping_tax_total"] = Json.Money(shipping),
        ["rate_percent"] = Json.Dec(rate["rate"]),
        ["meta_data"] = new JsonArray(),
    };

    /// <summary><c>WC_Tax::get_rate_code</c>: country, state, name and priority joined with dashes, upper case.</summary>
    public static string RateCode(JsonObject rate)
    {
        string[] parts = [Json.Str(rate, "country"), Json.Str(rate, "state"), Json.Str(rate, "name").Length > 0 ? Json.Str(rate, "name") : "TAX", Json.Long(rate, "priority").ToString(CultureInfo.InvariantCulture)];
        return string.Join("-", parts.Where(p => p.Length > 0)).ToUpperInvariant();
    }

    /// <summary><c>WC_Tax::find_rates</c> for the order's shipping address (billing when there is none), one rate per priority.</summary>
    private List<(JsonObject Rate, decimal Total, decimal Subtotal)> Taxes(JsonObject order, string taxClass, decimal total, decimal subtotal, bool shipping)
    {
        JsonObject address = order["shipping"] is JsonObject s && Json.Str(s, "country").Length > 0 ? s : (JsonObject)order["billing"]!;
        string country = Json.Str(address, "country");
        string state = Json.Str(address, "state");
        string wantedClass = taxClass.Length == 0 ? "standard" : taxClass;
        List<(JsonObject Rate, decimal Total, decimal Subtotal)> result = [];
        IEnumerable<JsonObject> candidates = Store.Taxes.All
            .Where(r => Json.Str(r, "class") == wantedClass
                && (Json.Str(r, "country").Length == 0 || Json.Str(r, "country") == country)
                && (Json.Str(r, "state").Length == 0 || Json.Str(r, "state") == state)
                && (!shipping || Json.Bool(r, "shipping")))
            .OrderBy(r => Json.Long(r, "priority"))
            .ThenByDescending(r => Json.Str(r, "state").Length)
            .ThenBy(r => Json.Long(r, "order"));
        HashSet<long> priorities = [];
        decimal baseTotal = total;
        decimal baseSubtotal = subtotal;
        foreach (JsonObject rate in candidates)
        {
            if (!priorities.Add(Json.Long(rate, "priority")))
            {
                continue;
            }

            decimal percent = Json.Dec(rate["rate"]) / 100m;
            bool compound = Json.Bool(rate, "compound");
            decimal onTotal = compound ? baseTotal + result.Sum(r => r.Total) : baseTotal;
            decimal onSubtotal = compound ? baseSubtotal + result.Sum(r => r.Subtotal) : baseSubtotal;
            result.Add((rate, decimal.Round(onTotal * percent, 2, MidpointRounding.AwayFromZero), decimal.Round(onSubtotal * percent, 2, MidpointRounding.AwayFromZero)));
        }

        return result;
    }

    /// <summary>Applies a coupon to the line totals (percent and fixed product per line, fixed cart spread by line total) and returns its discount.</summary>
    private static decimal ApplyCoupon(JsonObject coupon, List<JsonObject> lines)
    {
        string type = Json.Str(coupon, "discount_type");
        decimal amount = Json.Dec(coupon["amount"]);
        HashSet<long> onlyProducts = [.. Json.IdList(coupon["product_ids"])];
        HashSet<long> excludedProducts = [.. Json.IdList(coupon["excluded_product_ids"])];
        List<JsonObject> eligible = [.. lines.Where(l =>
        {
            long productId = Json.Long(l, "product_id");
            long variationId = Json.Long(l, "variation_id");
            bool included = onlyProducts.Count == 0 || onlyProducts.Contains(productId) || onlyProducts.Contains(variationId);
            return included && !excludedProducts.Contains(productId) && !excludedProducts.Contains(variationId);
        })];
        decimal applied = 0m;
        if (type == "fixed_cart")
        {
            decimal basis = eligible.Sum(l => Json.Dec(l["total"]));
            decimal remaining = Math.Min(amount, basis);
            for (int i = 0; i < eligible.Count && basis > 0; i++)
            {
                decimal lineTotal = Json.Dec(eligible[i]["total"]);
                decimal share = i == eligible.Count - 1 ? remaining - applied : decimal.Round(Math.Min(amount, basis) * lineTotal / basis, 2, MidpointRounding.AwayFromZero);
                share = Math.Min(share, lineTotal);
                eligible[i]["total"] = Json.Money(lineTotal - share);
                applied += share;
            }

            return applied;
        }

        foreach (JsonObject line in eligible)
        {
            decimal lineTotal = Json.Dec(line["total"]);
            decimal discount = type == "percent"
                ? decimal.Round(lineTotal * amount / 100m, 2, MidpointRounding.AwayFromZero)
                : Math.Min(lineTotal, amount * Json.Long(line, "quantity"));
            line["total"] = Json.Money(lineTotal - discount);
            applied += discount;
        }

        return applied;
    }

    private string VariationName(JsonObject parent, JsonObject variation)
    {
        List<string> values = [];
        foreach (JsonObject attribute in ((variation["attributes"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute, "id");
            string option = Json.Str(attribute, "option");
            values.Add(attributeId > 0 && AttributesResource.FindTerm(Store, attributeId, option) is { } term ? Json.Str(term, "name") : option);
        }

        return values.Count == 0 ? Json.Str(parent, "name") : Json.Str(parent, "name") + " - " + string.Join(", ", values);
    }

    /// <summary><c>WC_Order_Item_Product::set_variation</c>: one meta entry per variation attribute (<c>pa_color: black</c>).</summary>
    private IEnumerable<JsonObject> VariationMeta(JsonObject variation)
    {
        foreach (JsonObject attribute in ((variation["attributes"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            long attributeId = Json.Long(attribute, "id");
            string option = Json.Str(attribute, "option");
            string key;
            string value = option;
            if (attributeId > 0 && Store.Attributes.Find(attributeId) is { } global)
            {
                key = Json.Str(global, "slug");
                value = AttributesResource.FindTerm(Store, attributeId, option) is { } term ? Json.Str(term, "slug") : WooContext.SanitizeTitle(option);
            }
            else
            {
                key = WooContext.SanitizeTitle(Json.Str(attribute, "name"));
            }

            yield return new JsonObject
            {
                ["id"] = Store.NextMetaId(),
                ["key"] = key,
                ["value"] = value,
                ["display_key"] = Json.Str(attribute, "name"),
                ["display_value"] = option,
            };
        }
    }
}
