using System.Globalization;
using System.Text.Json.Nodes;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Translates canonical records into WooCommerce and WordPress request bodies, resolving references through the ID map.</summary>
internal static class TargetMapper
{
    public static JsonObject Build(TargetRecord record, List<string> warnings) => record.Entity switch
    {
        Tax t => BuildTax(t),
        Category c => BuildCategory(c, record),
        Product p => BuildProduct(p, record, warnings),
        Customer c => BuildCustomer(c),
        Order o => BuildOrder(o, record, warnings),
        Review r => BuildReview(r, record),
        Coupon c => BuildCoupon(c, record),
        Page p => BuildPage(p),
        BlogPost b => BuildPost(b),
        Redirect r => BuildRedirect(r, record),
        _ => throw new NotSupportedException($"WooCommerce cannot store {record.Entity.Type.ToCamelCase()}."),
    };

    public static JsonArray SourceMeta(string sourceId) => [new JsonObject { ["key"] = WooCommerceConstants.SourceIdMetaKey, ["value"] = sourceId }];

    private static JsonObject BuildTax(Tax t) => new()
    {
        ["name"] = t.Name,
        ["rate"] = Num(t.Rate),
        ["country"] = t.CountryCode ?? string.Empty,
        ["state"] = t.Region ?? string.Empty,
        ["class"] = string.IsNullOrEmpty(t.TaxClass) ? "standard" : t.TaxClass,
        ["shipping"] = t.AppliesToShipping,
        ["priority"] = t.Priority,
    };

    private static JsonObject BuildCategory(Category c, TargetRecord record)
    {
        var body = new JsonObject
        {
            ["name"] = c.Name,
            ["description"] = c.Description ?? string.Empty,
            ["menu_order"] = c.Position,
            ["meta_data"] = SourceMeta(c.SourceId),
        };
        if (c.Slug is not null)
        {
            body["slug"] = c.Slug;
        }

        if (c.ParentId is not null && record.TryResolve(new EntityRef(EntityType.Categories, c.ParentId), out ResolvedTarget parent))
        {
            body["parent"] = Id(parent.TargetId);
        }

        if (c.Image is { } image)
        {
            body["image"] = new JsonObject { ["src"] = image.Url, ["alt"] = image.Alt ?? string.Empty };
        }

        return body;
    }

    private static JsonObject BuildProduct(Product p, TargetRecord record, List<string> warnings)
    {
        var body = new JsonObject
        {
            ["name"] = p.Name,
            ["type"] = p.Kind switch
            {
                ProductKind.Variable => "variable",
                ProductKind.Grouped => "grouped",
                ProductKind.External => "external",
                _ => "simple",
            },
            ["status"] = p.Status switch
            {
                PublishStatus.Active => "publish",
                PublishStatus.Private => "private",
                _ => "draft",
            },
            ["description"] = p.Description ?? string.Empty,
            ["short_description"] = p.ShortDescription ?? string.Empty,
            ["meta_data"] = SourceMeta(p.SourceId),
        };
        if (p.Sku is not null)
        {
            body["sku"] = p.Sku;
        }

        if (p.Slug is not null)
        {
            body["slug"] = p.Slug;
        }

        if (p.Kind != ProductKind.Variable)
        {
            body["regular_price"] = p.Price is { } price ? Num(price.Amount) : string.Empty;
            body["sale_price"] = p.SalePrice is { } sale ? Num(sale.Amount) : string.Empty;
            if (p.StockQuantity is { } stock)
            {
                body["manage_stock"] = true;
                body["stock_quantity"] = stock;
            }
        }

        if (p.WeightKg is { } weight)
        {
            body["weight"] = Num(weight);
        }

        if (p.TaxClass is not null)
        {
            body["tax_class"] = p.TaxClass;
        }

        if (p.Kind == ProductKind.External)
        {
            body["external_url"] = p.ExternalUrl ?? string.Empty;
            body["button_text"] = p.ButtonText ?? string.Empty;
        }

        body["categories"] = Refs(record, EntityType.Categories, p.CategoryIds);
        body["tags"] = new JsonArray(p.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t }).ToArray());
        body["images"] = new JsonArray(p.Images.OrderBy(i => i.Position).Select(i => (JsonNode)new JsonObject { ["src"] = i.Url, ["alt"] = i.Alt ?? string.Empty }).ToArray());
        body["attributes"] = new JsonArray(p.Options.Select((o, i) => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["position"] = i,
            ["visible"] = o.Visible,
            ["variation"] = o.UsedForVariants,
            ["options"] = new JsonArray(o.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        }).ToArray());
        body["upsell_ids"] = Refs(record, EntityType.Products, p.UpsellIds, idsOnly: true);
        body["cross_sell_ids"] = Refs(record, EntityType.Products, p.CrossSellIds, idsOnly: true);
        if (p.Kind == ProductKind.Grouped)
        {
            body["grouped_products"] = Refs(record, EntityType.Products, p.GroupedIds, idsOnly: true);
        }

        if (p.RelatedIds.Count > 0)
        {
            warnings.Add("WooCommerce computes related products itself (related_ids is read-only), so the source's related products were not copied.");
        }

        return body;
    }

    public static JsonObject BuildVariation(ProductVariant v)
    {
        var body = new JsonObject
        {
            ["regular_price"] = v.Price is { } price ? Num(price.Amount) : string.Empty,
            ["sale_price"] = v.SalePrice is { } sale ? Num(sale.Amount) : string.Empty,
            ["menu_order"] = v.Position,
            ["attributes"] = new JsonArray(v.OptionValues.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["option"] = o.Value ?? string.Empty }).ToArray()),
            ["meta_data"] = SourceMeta(v.SourceId),
        };
        if (v.Sku is not null)
        {
            body["sku"] = v.Sku;
        }

        if (v.Barcode is not null)
        {
            body["global_unique_id"] = v.Barcode;
        }

        if (v.StockQuantity is { } stock)
        {
            body["manage_stock"] = true;
            body["stock_quantity"] = stock;
        }

        if (v.WeightKg is { } weight)
        {
            body["weight"] = Num(weight);
        }

        if (v.Image is { } image)
        {
            body["image"] = new JsonObject { ["src"] = image.Url };
        }

        return body;
    }

    private static JsonObject BuildCustomer(Customer c)
    {
        // No password: WooCommerce generates one. The REST create calls wc_create_new_customer(), whose woocommerce_created_customer
        // action sends the "New account" e-mail (WC_Email_Customer_New_Account, id customer_new_account) whenever that e-mail is
        // enabled under WooCommerce > Settings > Emails; no API parameter suppresses it, so the host must disable it before a run.
        var body = new JsonObject
        {
            ["email"] = c.Email ?? string.Empty,
            ["first_name"] = c.FirstName ?? string.Empty,
            ["last_name"] = c.LastName ?? string.Empty,
            ["meta_data"] = SourceMeta(c.SourceId),
        };
        if ((c.Addresses.FirstOrDefault(a => a.IsDefaultBilling) ?? c.Addresses.FirstOrDefault()) is { } billing)
        {
            body["billing"] = Address(billing, email: true, fallbackPhone: c.Phone);
        }

        if (c.Addresses.FirstOrDefault(a => a.IsDefaultShipping) is { } shipping)
        {
            body["shipping"] = Address(shipping, email: false, fallbackPhone: null);
        }

        return body;
    }

    private static JsonObject BuildOrder(Order o, TargetRecord record, List<string> warnings)
    {
        var meta = SourceMeta(o.SourceId);
        if (o.Number is not null)
        {
            meta.Add(new JsonObject { ["key"] = "_nextcart_source_number", ["value"] = o.Number });
        }

        if (o.CreatedAt is { } created)
        {
            meta.Add(new JsonObject { ["key"] = "_nextcart_source_created_at", ["value"] = created.ToString("O", CultureInfo.InvariantCulture) });
        }

        if (o.CouponCodes.Count > 0)
        {
            // coupon_lines would make WooCommerce re-apply coupons that may not exist yet (coupons migrate after orders) and
            // recalculate totals, so the codes travel as meta and the totals stay as sold.
            meta.Add(new JsonObject { ["key"] = "_nextcart_coupon_codes", ["value"] = string.Join(",", o.CouponCodes) });
        }

        var body = new JsonObject
        {
            ["status"] = o.Status,
            ["currency"] = o.Currency,
            ["set_paid"] = false,
            ["customer_note"] = o.CustomerNote ?? string.Empty,
            ["payment_method"] = o.PaymentMethod ?? string.Empty,
            ["payment_method_title"] = o.PaymentMethodTitle ?? string.Empty,
            ["transaction_id"] = o.TransactionId ?? string.Empty,
            ["customer_id"] = o.CustomerId is not null && record.TryResolve(new EntityRef(EntityType.Customers, o.CustomerId), out ResolvedTarget customer) ? Id(customer.TargetId) : 0,
            ["meta_data"] = meta,
        };
        if (o.BillingAddress is { } billing)
        {
            body["billing"] = Address(billing with { Email = billing.Email ?? o.Email }, email: true, fallbackPhone: null);
        }
        else if (o.Email is not null)
        {
            body["billing"] = new JsonObject { ["email"] = o.Email };
        }

        if (o.ShippingAddress is { } shipping)
        {
            body["shipping"] = Address(shipping, email: false, fallbackPhone: null);
        }

        var lines = new JsonArray();
        var fees = new JsonArray();
        foreach (OrderLine line in o.Lines)
        {
            if (line.ProductId is not null && record.TryResolve(EntityRef.Product(line.ProductId), out ResolvedTarget product))
            {
                var item = new JsonObject
                {
                    ["name"] = line.Name,
                    ["product_id"] = Id(product.TargetId),
                    ["quantity"] = line.Quantity,
                    ["subtotal"] = Num(line.UnitPrice.Amount * line.Quantity),
                    ["total"] = Num(line.Total.Amount),
                };
                if (line.VariantId is not null && record.TryResolve(EntityRef.Variant(line.ProductId, line.VariantId), out ResolvedTarget variant))
                {
                    item["variation_id"] = Id(variant.TargetId);
                }

                lines.Add(item);
                continue;
            }

            // WooCommerce refuses line items without a product, so a line whose product is gone (a custom line, or a deleted
            // product) becomes a fee line that keeps its name, quantity, SKU and price.
            if (line.ProductId is not null)
            {
                warnings.Add($"Order line '{line.Name}' kept as a custom (fee) line: its product {line.ProductId} is not on the target.");
            }

            var lineMeta = new JsonArray(new JsonObject { ["key"] = "_nextcart_quantity", ["value"] = line.Quantity.ToString(CultureInfo.InvariantCulture) });
            if (line.Sku is not null)
            {
                lineMeta.Add(new JsonObject { ["key"] = "_nextcart_sku", ["value"] = line.Sku });
            }

            fees.Add(new JsonObject
            {
                ["name"] = line.Quantity == 1 ? line.Name : string.Create(CultureInfo.InvariantCulture, $"{line.Name} × {line.Quantity}"),
                ["tax_status"] = "none",
                ["total"] = Num(line.Total.Amount),
                ["meta_data"] = lineMeta,
            });
        }

        if (fees.Count > 0)
        {
            body["fee_lines"] = fees;
        }

        body["line_items"] = lines;
        if (o.ShippingTotal is { } shippingTotal && (shippingTotal.Amount != 0m || o.ShippingMethod is not null))
        {
            body["shipping_lines"] = new JsonArray(new JsonObject { ["method_id"] = "nextcart_migrated", ["method_title"] = o.ShippingMethod ?? "Shipping", ["total"] = Num(shippingTotal.Amount) });
        }

        if (record.Action == WriteAction.Update)
        {
            // WooCommerce adds every line item, fee line and shipping line sent without an item id to the order, even on an update
            // (WC_REST_Orders_V2_Controller::set_item creates a new item when the posted item has no id). The order's lines are
            // history that a migration writes once, so an update leaves them alone rather than doubling them.
            body.Remove("line_items");
            body.Remove("fee_lines");
            body.Remove("shipping_lines");
        }

        return body;
    }

    private static JsonObject BuildReview(Review r, TargetRecord record)
    {
        if (!record.TryResolve(EntityRef.Product(r.ProductId), out ResolvedTarget product))
        {
            throw new InvalidOperationException($"The reviewed product {r.ProductId} is not on the target.");
        }

        return new JsonObject
        {
            ["product_id"] = Id(product.TargetId),
            ["review"] = r.Content ?? string.Empty,
            ["reviewer"] = r.ReviewerName ?? "Anonymous",
            ["reviewer_email"] = r.ReviewerEmail ?? string.Empty,
            ["rating"] = Math.Clamp(r.Rating, 0, 5),
            ["status"] = r.Approved ? "approved" : "hold",
            ["verified"] = r.VerifiedBuyer,
            ["meta_data"] = SourceMeta(r.SourceId),
        };
    }

    private static JsonObject BuildCoupon(Coupon c, TargetRecord record)
    {
        var body = new JsonObject
        {
            ["code"] = c.Code,
            ["discount_type"] = c.Kind switch
            {
                DiscountKind.Percentage => "percent",
                DiscountKind.FixedProduct => "fixed_product",
                _ => "fixed_cart",
            },
            ["amount"] = Num(c.Amount),
            ["description"] = c.Description ?? string.Empty,
            ["individual_use"] = c.IndividualUse,
            ["free_shipping"] = c.FreeShipping,
            ["product_ids"] = Refs(record, EntityType.Products, c.ProductIds, idsOnly: true),
            ["excluded_product_ids"] = Refs(record, EntityType.Products, c.ExcludedProductIds, idsOnly: true),
            ["product_categories"] = Refs(record, EntityType.Categories, c.CategoryIds, idsOnly: true),
            ["excluded_product_categories"] = Refs(record, EntityType.Categories, c.ExcludedCategoryIds, idsOnly: true),
            ["email_restrictions"] = new JsonArray(c.EmailRestrictions.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
            ["minimum_amount"] = c.MinimumAmount is { } min ? Num(min) : string.Empty,
            ["maximum_amount"] = c.MaximumAmount is { } max ? Num(max) : string.Empty,
            ["meta_data"] = SourceMeta(c.SourceId),
        };
        if (c.ExpiresAt is { } expires)
        {
            body["date_expires_gmt"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        }

        if (c.UsageLimit is { } limit)
        {
            body["usage_limit"] = limit;
        }

        if (c.UsageLimitPerCustomer is { } perUser)
        {
            body["usage_limit_per_user"] = perUser;
        }

        return body;
    }

    private static JsonObject BuildPage(Page p) => WordPress(p.Title, p.Body, excerpt: null, p.Slug, p.Status, p.PublishedAt);

    private static JsonObject BuildPost(BlogPost b) => WordPress(b.Title, b.Body, b.Excerpt, b.Slug, b.Status, b.PublishedAt);

    private static JsonObject WordPress(string title, string? content, string? excerpt, string? slug, PublishStatus status, DateTimeOffset? published)
    {
        var body = new JsonObject
        {
            ["title"] = title,
            ["content"] = content ?? string.Empty,
            ["status"] = status switch
            {
                PublishStatus.Active => "publish",
                PublishStatus.Private => "private",
                _ => "draft",
            },
        };
        if (excerpt is not null)
        {
            body["excerpt"] = excerpt;
        }

        if (slug is not null)
        {
            body["slug"] = slug;
        }

        if (published is { } date)
        {
            body["date_gmt"] = date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return body;
    }

    private static JsonObject BuildRedirect(Redirect r, TargetRecord record)
    {
        string? to = r.ToPath;
        if (r.TargetEntity is { } target && record.TryResolve(target, out ResolvedTarget resolved) && resolved.TargetUrl is { } url)
        {
            to = SourceMapper.PathOf(url);
        }

        if (to is null)
        {
            throw new InvalidOperationException($"The redirect from '{r.FromPath}' has no destination on the target.");
        }

        return new JsonObject
        {
            ["url"] = r.FromPath,
            ["action_data"] = new JsonObject { ["url"] = to },
            ["action_type"] = "url",
            ["action_code"] = 301,
            ["match_type"] = "url",
            ["group_id"] = 1,
        };
    }

    private static JsonObject Address(Address a, bool email, string? fallbackPhone)
    {
        var o = new JsonObject
        {
            ["first_name"] = a.FirstName ?? string.Empty,
            ["last_name"] = a.LastName ?? string.Empty,
            ["company"] = a.Company ?? string.Empty,
            ["address_1"] = a.Line1 ?? string.Empty,
            ["address_2"] = a.Line2 ?? string.Empty,
            ["city"] = a.City ?? string.Empty,
            ["state"] = a.Region ?? string.Empty,
            ["postcode"] = a.PostalCode ?? string.Empty,
            ["country"] = a.CountryCode ?? string.Empty,
            ["phone"] = a.Phone ?? fallbackPhone ?? string.Empty,
        };
        if (email && a.Email is not null)
        {
            o["email"] = a.Email;
        }

        return o;
    }

    private static JsonArray Refs(TargetRecord record, EntityType type, IReadOnlyList<string> ids, bool idsOnly = false)
    {
        var array = new JsonArray();
        foreach (string id in ids)
        {
            if (record.TryResolve(new EntityRef(type, id), out ResolvedTarget target))
            {
                array.Add(idsOnly ? JsonValue.Create(Id(target.TargetId)) : new JsonObject { ["id"] = Id(target.TargetId) });
            }
        }

        return array;
    }

    public static long Id(string targetId)
        => long.TryParse(targetId, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            ? id
            : throw new InvalidOperationException($"'{targetId}' is not a WooCommerce id.");

    public static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
