using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>The rules products and variations share: prices, sales, stock, downloads, dimensions and SKUs.</summary>
internal static class ProductRules
{
    public static readonly string[] StockStatuses = ["instock", "outofstock", "onbackorder"];

    /// <summary><c>wc_format_decimal</c> of an entered price: kept as entered when numeric, else blank.</summary>
    public static string Price(JsonNode? value)
    {
        string? text = Json.Str(value)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number) ? (text.Contains('e', StringComparison.OrdinalIgnoreCase) ? Json.Decimal(number) : text) : string.Empty;
    }

    public static bool TryAmount(string price, out decimal amount)
        => decimal.TryParse(price, NumberStyles.Float, CultureInfo.InvariantCulture, out amount);

    /// <summary>Whether the sale price applies now (set, lower than the regular price, inside the sale dates).</summary>
    public static bool OnSale(JsonObject item, DateTimeOffset now)
    {
        string sale = Json.Str(item, "sale_price");
        string regular = Json.Str(item, "regular_price");
        if (!TryAmount(sale, out decimal saleAmount) || (TryAmount(regular, out decimal regularAmount) && saleAmount >= regularAmount))
        {
            return false;
        }

        if (WooTime.ReadGmt(item, "date_on_sale_from") is { } from && from > now)
        {
            return false;
        }

        return WooTime.ReadGmt(item, "date_on_sale_to") is not { } to || to >= now;
    }

    /// <summary>Sets the active <c>price</c> from the regular and sale prices.</summary>
    public static void SyncPrice(JsonObject item, DateTimeOffset now)
        => item["price"] = OnSale(item, now) ? Json.Str(item, "sale_price") : Json.Str(item, "regular_price");

    /// <summary>Applies the stock fields as <c>WC_Product::validate_props</c> reconciles them.</summary>
    public static void SyncStock(JsonObject item)
    {
        if (Json.Bool(item, "manage_stock"))
        {
            long quantity = Json.Long(item["stock_quantity"]);
            item["stock_quantity"] = quantity;
            string backorders = Json.Str(item, "backorders");
            item["stock_status"] = quantity > 0 ? "instock" : backorders == "no" ? "outofstock" : "onbackorder";
        }
        else
        {
            item["stock_quantity"] = null;
        }

        string backordersSetting = Json.Str(item, "backorders");
        item["backorders_allowed"] = backordersSetting is "yes" or "notify";
        item["backordered"] = Json.Bool(item, "manage_stock") && Json.Long(item["stock_quantity"]) < 0 && backordersSetting != "no";
    }

    public static JsonArray Downloads(JsonNode? argument)
    {
        JsonArray downloads = [];
        if (argument is not JsonArray requested)
        {
            return downloads;
        }

        foreach (JsonObject download in requested.OfType<JsonObject>())
        {
            string file = Json.Str(download["file"]) ?? string.Empty;
            if (file.Length == 0)
            {
                continue;
            }

            string id = Json.Str(download["id"]) is { Length: > 1 } given ? given : WooContext.Token("download:" + file, 32);
            downloads.Add(new JsonObject { ["id"] = id, ["name"] = Json.Str(download["name"]) ?? Path.GetFileName(file), ["file"] = file });
        }

        return downloads;
    }

    public static JsonObject Dimensions(JsonNode? argument, JsonObject? current)
    {
        JsonObject result = current is null ? new JsonObject { ["length"] = string.Empty, ["width"] = string.Empty, ["height"] = string.Empty } : Json.Clone(current);
        if (argument is JsonObject given)
        {
            foreach (string side in new[] { "length", "width", "height" })
            {
                if (given.ContainsKey(side))
                {
                    result[side] = Json.Str(given[side]) ?? string.Empty;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Checks a SKU as <c>WC_Product::set_sku</c> does: a SKU another product or variation uses (case-insensitively, trashed
    /// products excepted) is rejected with <c>product_invalid_sku</c>, the owner's id and the next free SKU.
    /// </summary>
    public static string CheckSku(WooStore store, JsonNode? value, long selfId)
    {
        string sku = (Json.Str(value) ?? string.Empty).Trim();
        if (sku.Length == 0)
        {
            return sku;
        }

        if (store.FindBySku(sku, selfId) is { } owner)
        {
            string unique = sku;
            for (int n = 1; store.FindBySku(unique, selfId) is not null; n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{sku}-{n}");
            }

            throw new RestException("product_invalid_sku", "Invalid or duplicated SKU.", 400, new JsonObject
            {
                ["resource_id"] = Json.Long(owner, "id"),
                ["unique_sku"] = unique,
            });
        }

        return sku;
    }

    /// <summary>Sets a date field from <c>{field}</c> (site time) or <c>{field}_gmt</c> (UTC) arguments, when present.</summary>
    /// <summary>
    /// Applies the fields products and variations share: SKU (checked for uniqueness), regular and sale prices, the sale
    /// window and downloads.
    /// </summary>
    public static void ApplySaleFields(WooStore store, WooTime time, JsonObject target, JsonObject args, long selfId)
    {
        if (args.ContainsKey("sku"))
        {
            target["sku"] = CheckSku(store, args["sku"], selfId);
        }

        if (args.ContainsKey("regular_price"))
        {
            target["regular_price"] = Price(args["regular_price"]);
        }

        if (args.ContainsKey("sale_price"))
        {
            target["sale_price"] = Price(args["sale_price"]);
        }

        SetDate(time, target, args, "date_on_sale_from");
        SetDate(time, target, args, "date_on_sale_to");
        if (args.ContainsKey("downloads"))
        {
            target["downloads"] = Downloads(args["downloads"]);
        }
    }

    public static void SetDate(WooTime time, JsonObject target, JsonObject args, string field)
    {
        if (args.ContainsKey(field + "_gmt"))
        {
            time.Set(target, field, time.ParseInstant(Json.Str(args[field + "_gmt"]), assumeGmt: true));
        }
        else if (args.ContainsKey(field))
        {
            time.Set(target, field, time.ParseInstant(Json.Str(args[field]), assumeGmt: false));
        }
    }

    public static string CurrencySymbol(string currency) => currency switch
    {
        "USD" or "CAD" or "AUD" or "NZD" or "MXN" or "SGD" or "HKD" => "&#36;",
        "EUR" => "&euro;",
        "GBP" => "&pound;",
        "JPY" or "CNY" => "&yen;",
        "BRL" => "&#082;&#036;",
        "INR" => "&#8377;",
        _ => currency,
    };

    /// <summary>The <c>wc_price</c> markup of an amount.</summary>
    public static string PriceMarkup(string amount, string currency)
    {
        string formatted = TryAmount(amount, out decimal value) ? value.ToString("F2", CultureInfo.InvariantCulture) : amount;
        return $"<span class=\"woocommerce-Price-amount amount\"><bdi><span class=\"woocommerce-Price-currencySymbol\">{CurrencySymbol(currency)}</span>{formatted}</bdi></span>";
    }

    public static string PriceHtml(JsonObject item, bool onSale, string currency)
    {
        string price = Json.Str(item, "price");
        if (price.Length == 0)
        {
            return string.Empty;
        }

        if (!onSale)
        {
            return PriceMarkup(price, currency);
        }

        string regular = Json.Str(item, "regular_price");
        return $"<del aria-hidden=\"true\">{PriceMarkup(regular, currency)}</del> <ins aria-hidden=\"true\">{PriceMarkup(price, currency)}</ins>";
    }
}
