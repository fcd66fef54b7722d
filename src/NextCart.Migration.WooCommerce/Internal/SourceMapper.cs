using System.Collections.Frozen;
using System.Text.Json;
using NextCart.Migration.Model;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Translates WooCommerce and WordPress JSON into canonical records. Unmapped fields go to the extension bag.</summary>
internal static class SourceMapper
{
    private static readonly FrozenSet<string> TaxKnown = Set("id", "country", "state", "rate", "name", "priority", "shipping", "class");
    private static readonly FrozenSet<string> CategoryKnown = Set("id", "name", "slug", "parent", "description", "image", "menu_order");
    private static readonly FrozenSet<string> ProductKnown = Set(
        "id", "name", "slug", "permalink", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "type", "status",
        "description", "short_description", "sku", "regular_price", "sale_price", "stock_quantity", "weight", "tax_class", "tags",
        "attributes", "variations", "images", "categories", "related_ids", "upsell_ids", "cross_sell_ids", "grouped_products",
        "external_url", "button_text", "brands");
    private static readonly FrozenSet<string> VariationKnown = Set(
        "id", "sku", "regular_price", "sale_price", "attributes", "stock_quantity", "weight", "image", "menu_order", "global_unique_id");
    private static readonly FrozenSet<string> CustomerKnown = Set(
        "id", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "email", "first_name", "last_name", "role", "billing", "shipping");
    private static readonly FrozenSet<string> OrderKnown = Set(
        "id", "number", "status", "currency", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "discount_total",
        "shipping_total", "total", "total_tax", "customer_id", "customer_note", "billing", "shipping", "payment_method",
        "payment_method_title", "transaction_id", "date_paid", "date_paid_gmt", "date_completed", "date_completed_gmt", "line_items", "fee_lines", "coupon_lines");
    private static readonly FrozenSet<string> ReviewKnown = Set(
        "id", "date_created", "date_created_gmt", "product_id", "status", "reviewer", "reviewer_email", "review", "rating", "verified");
    private static readonly FrozenSet<string> CouponKnown = Set(
        "id", "code", "amount", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "discount_type", "description",
        "date_expires", "date_expires_gmt", "usage_count", "individual_use", "product_ids", "excluded_product_ids", "usage_limit",
        "usage_limit_per_user", "free_shipping", "product_categories", "excluded_product_categories", "minimum_amount", "maximum_amount",
        "email_restrictions");
    private static readonly FrozenSet<string> PostKnown = Set(
        "id", "date", "date_gmt", "modified", "modified_gmt", "slug", "status", "link", "title", "content", "excerpt", "tags", "categories");
    private static readonly FrozenSet<string> RedirectKnown = Set("id", "url", "action_data");

    public static Entity Map(EntityType type, JsonElement e, string currency, IReadOnlyList<JsonElement>? variations = null, IReadOnlyList<JsonElement>? notes = null)
        => type switch
        {
            EntityType.Taxes => MapTax(e),
            EntityType.Categories => MapCategory(e),
            EntityType.Products => MapProduct(e, currency, variations ?? []),
            EntityType.Customers => MapCustomer(e),
            EntityType.Orders => MapOrder(e, notes ?? []),
            EntityType.Reviews => MapReview(e),
            EntityType.Coupons => MapCoupon(e, currency),
            EntityType.Pages => MapPage(e),
            EntityType.BlogPosts => MapPost(e),
            EntityType.Redirects => MapRedirect(e),
            _ => throw new NotSupportedException($"WooCommerce has no {type.ToCamelCase()}."),
        };

    public static Tax MapTax(JsonElement e) => new()
    {
        SourceId = e.Id(),
        Name = e.Str("name") ?? string.Empty,
        Rate = e.Dec("rate") ?? 0m,
        CountryCode = e.Str("country"),
        Region = e.Str("state"),
        TaxClass = e.Str("class"),
        AppliesToShipping = e.Bool("shipping"),
        Priority = e.Int("priority") ?? 0,
        Extensions = e.Extensions(TaxKnown),
    };

    public static Category MapCategory(JsonElement e) => new()
    {
        SourceId = e.Id(),
        Name = e.Str("name") ?? throw new FormatException("The category has no name."),
        Slug = e.Str("slug"),
        Description = e.Str("description"),
        ParentId = e.RefId("parent"),
        Image = Image(e.Prop("image"), 0),
        Position = e.Int("menu_order") ?? 0,
        Extensions = e.Extensions(CategoryKnown),
    };

    public static Product MapProduct(JsonElement e, string currency, IReadOnlyList<JsonElement> variations)
    {
        string id = e.Id();
        List<ImageInfo> images = [];
        int position = 0;
        foreach (JsonElement img in e.Array("images"))
        {
            if (Image(img, position) is { } info)
            {
                images.Add(info);
                position++;
            }
        }

        var options = e.Array("attributes").Select(a => new ProductOption
        {
            Name = a.Str("name") ?? string.Empty,
            Values = a.Strings("options"),
            Visible = a.Prop("visible") is null || a.Bool("visible"),
            UsedForVariants = a.Bool("variation"),
        }).ToArray();

        var variants = variations.Select((v, i) => new ProductVariant
        {
            SourceId = v.Id(),
            Sku = v.Str("sku"),
            Barcode = v.Str("global_unique_id"),
            Price = Money(v.Dec("regular_price"), currency),
            SalePrice = Money(v.Dec("sale_price"), currency),
            OptionValues = v.Array("attributes").Select(a => new OptionValue(a.Str("name") ?? string.Empty, a.Str("option"))).ToArray(),
            StockQuantity = v.Int("stock_quantity"),
            WeightKg = v.Dec("weight"),
            Image = Image(v.Prop("image"), 0),
            Position = v.Int("menu_order") ?? i,
        }).ToArray();

        var extensions = e.Extensions(ProductKnown);
        foreach (JsonElement v in variations)
        {
            foreach (KeyValuePair<string, string> x in v.Extensions(VariationKnown))
            {
                extensions = extensions.SetItem($"{WooCommerceConstants.ExtensionPrefix}variations.{v.Id()}.{x.Key[WooCommerceConstants.ExtensionPrefix.Length..]}", x.Value);
            }
        }

        return new Product
        {
            SourceId = id,
            Name = e.Str("name") ?? throw new FormatException("The product has no name."),
            Sku = e.Str("sku"),
            Slug = e.Str("slug"),
            Description = e.Str("description"),
            ShortDescription = e.Str("short_description"),
            Kind = e.Str("type") switch
            {
                "variable" => ProductKind.Variable,
                "grouped" => ProductKind.Grouped,
                "external" => ProductKind.External,
                _ => ProductKind.Simple,
            },
            Status = Publish(e.Str("status")),
            Price = Money(e.Dec("regular_price"), currency),
            SalePrice = Money(e.Dec("sale_price"), currency),
            StockQuantity = e.Int("stock_quantity"),
            WeightKg = e.Dec("weight"),
            TaxClass = e.Str("tax_class"),
            Tags = e.Array("tags").Select(t => t.Str("name") ?? string.Empty).Where(t => t.Length > 0).ToArray(),
            Options = options,
            Variants = variants,
            Images = images,
            CategoryIds = e.Ids("categories"),
            ManufacturerId = e.Array("brands").Select(b => b.Str("id")).FirstOrDefault(),
            RelatedIds = e.Ids("related_ids"),
            UpsellIds = e.Ids("upsell_ids"),
            CrossSellIds = e.Ids("cross_sell_ids"),
            GroupedIds = e.Ids("grouped_products"),
            ExternalUrl = e.Str("external_url"),
            ButtonText = e.Str("button_text"),
            Url = PathOf(e.Str("permalink")),
            CreatedAt = e.DateGmt("date_created"),
            UpdatedAt = e.DateGmt("date_modified"),
            Extensions = extensions,
        };
    }

    public static Customer MapCustomer(JsonElement e)
    {
        List<Address> addresses = [];
        if (Address(e.Prop("billing"), billing: true) is { } b)
        {
            addresses.Add(b);
        }

        if (Address(e.Prop("shipping"), billing: false) is { } s)
        {
            addresses.Add(s);
        }

        return new Customer
        {
            SourceId = e.Id(),
            Email = e.Str("email"),
            FirstName = e.Str("first_name"),
            LastName = e.Str("last_name"),
            Phone = e.Prop("billing")?.Str("phone"),
            Group = e.Str("role"),
            Addresses = addresses,
            CreatedAt = e.DateGmt("date_created"),
            UpdatedAt = e.DateGmt("date_modified"),
            Extensions = e.Extensions(CustomerKnown),
        };
    }

    public static Order MapOrder(JsonElement e, IReadOnlyList<JsonElement> notes)
    {
        string currency = e.Str("currency") ?? throw new FormatException("The order has no currency.");
        var lines = e.Array("line_items").Select(l =>
        {
            int quantity = l.Int("quantity") ?? 0;
            decimal total = l.Dec("total") ?? 0m;
            decimal unit = l.Dec("price") ?? (quantity == 0 ? 0m : (l.Dec("subtotal") ?? total) / quantity);
            string? productId = l.RefId("product_id");
            return new OrderLine
            {
                SourceId = l.Id(),
                ProductId = productId,
                VariantId = productId is null ? null : l.RefId("variation_id"),
                Name = l.Str("name") ?? string.Empty,
                Sku = l.Str("sku"),
                Quantity = quantity,
                UnitPrice = new Money(unit, currency),
                Total = new Money(total, currency),
                TaxTotal = Money(l.Dec("total_tax"), currency),
            };
        }).Concat(e.Array("fee_lines").Select(f =>
        {
            // A fee (gift wrapping, a surcharge) is a line without a product: the model's custom line, quantity 1.
            decimal total = f.Dec("total") ?? 0m;
            return new OrderLine
            {
                SourceId = "fee:" + f.Id(),
                Name = f.Str("name") ?? string.Empty,
                Quantity = 1,
                UnitPrice = new Money(total, currency),
                Total = new Money(total, currency),
                TaxTotal = Money(f.Dec("total_tax"), currency),
            };
        })).ToArray();
        decimal subtotal = e.Array("line_items").Sum(l => l.Dec("subtotal") ?? 0m);
        return new Order
        {
            SourceId = e.Id(),
            Number = e.Str("number"),
            CustomerId = e.RefId("customer_id"),
            Email = e.Prop("billing")?.Str("email"),
            Status = e.Str("status") ?? throw new FormatException("The order has no status."),
            Currency = currency,
            Lines = lines,
            BillingAddress = Address(e.Prop("billing"), billing: true),
            ShippingAddress = Address(e.Prop("shipping"), billing: false),
            Subtotal = new Money(subtotal, currency),
            ShippingTotal = Money(e.Dec("shipping_total"), currency),
            TaxTotal = Money(e.Dec("total_tax"), currency),
            DiscountTotal = Money(e.Dec("discount_total"), currency),
            Total = new Money(e.Dec("total") ?? 0m, currency),
            PaymentMethod = e.Str("payment_method"),
            PaymentMethodTitle = e.Str("payment_method_title"),
            TransactionId = e.Str("transaction_id"),
            ShippingMethod = e.Array("shipping_lines").Select(s => s.Str("method_title")).FirstOrDefault(t => t is not null),
            PaidAt = e.DateGmt("date_paid"),
            CompletedAt = e.DateGmt("date_completed"),
            CustomerNote = e.Str("customer_note"),
            Notes = notes.Select(n => new OrderNote
            {
                Content = n.Str("note") ?? string.Empty,
                IsCustomerNote = n.Bool("customer_note"),
                CreatedAt = n.DateGmt("date_created"),
            }).ToArray(),
            CouponCodes = e.Array("coupon_lines").Select(c => c.Str("code")).OfType<string>().ToArray(),
            CreatedAt = e.DateGmt("date_created"),
            UpdatedAt = e.DateGmt("date_modified"),
            Extensions = e.Extensions(OrderKnown),
        };
    }

    public static Review MapReview(JsonElement e) => new()
    {
        SourceId = e.Id(),
        ProductId = e.RefId("product_id") ?? throw new FormatException("The review has no product_id."),
        ReviewerName = e.Str("reviewer"),
        ReviewerEmail = e.Str("reviewer_email"),
        Rating = e.Int("rating") ?? 0,
        Content = e.Str("review"),
        Approved = e.Str("status") is null or "approved",
        VerifiedBuyer = e.Bool("verified"),
        CreatedAt = e.DateGmt("date_created"),
        Extensions = e.Extensions(ReviewKnown),
    };

    public static Coupon MapCoupon(JsonElement e, string currency) => new()
    {
        SourceId = e.Id(),
        Code = e.Str("code") ?? throw new FormatException("The coupon has no code."),
        Description = e.Str("description"),
        Kind = e.Str("discount_type") switch
        {
            "percent" => DiscountKind.Percentage,
            "fixed_product" => DiscountKind.FixedProduct,
            _ => DiscountKind.FixedCart,
        },
        Amount = e.Dec("amount") ?? 0m,
        Currency = currency,
        ExpiresAt = e.DateGmt("date_expires"),
        UsageLimit = e.Int("usage_limit"),
        UsageLimitPerCustomer = e.Int("usage_limit_per_user"),
        UsageCount = e.Int("usage_count") ?? 0,
        MinimumAmount = PositiveOrNull(e.Dec("minimum_amount")),
        MaximumAmount = PositiveOrNull(e.Dec("maximum_amount")),
        FreeShipping = e.Bool("free_shipping"),
        IndividualUse = e.Bool("individual_use"),
        ProductIds = e.Ids("product_ids"),
        ExcludedProductIds = e.Ids("excluded_product_ids"),
        CategoryIds = e.Ids("product_categories"),
        ExcludedCategoryIds = e.Ids("excluded_product_categories"),
        EmailRestrictions = e.Strings("email_restrictions"),
        CreatedAt = e.DateGmt("date_created"),
        UpdatedAt = e.DateGmt("date_modified"),
        Extensions = e.Extensions(CouponKnown),
    };

    public static Page MapPage(JsonElement e) => new()
    {
        SourceId = e.Id(),
        Title = e.Rendered("title") ?? string.Empty,
        Slug = e.Str("slug"),
        Body = e.Rendered("content"),
        Status = Publish(e.Str("status")),
        PublishedAt = e.DateGmt("date"),
        Url = PathOf(e.Str("link")),
        CreatedAt = e.DateGmt("date"),
        UpdatedAt = e.DateGmt("modified"),
        Extensions = e.Extensions(PostKnown),
    };

    public static BlogPost MapPost(JsonElement e) => new()
    {
        SourceId = e.Id(),
        Title = e.Rendered("title") ?? string.Empty,
        Slug = e.Str("slug"),
        Body = e.Rendered("content"),
        Excerpt = e.Rendered("excerpt"),
        Status = Publish(e.Str("status")),
        PublishedAt = e.DateGmt("date"),
        Url = PathOf(e.Str("link")),
        CreatedAt = e.DateGmt("date"),
        UpdatedAt = e.DateGmt("modified"),
        Extensions = e.Extensions(PostKnown)
            .SetItem(WooCommerceConstants.ExtensionPrefix + "categories", string.Join(",", e.Ids("categories")))
            .SetItem(WooCommerceConstants.ExtensionPrefix + "tags", string.Join(",", e.Ids("tags"))),
    };

    public static Redirect MapRedirect(JsonElement e) => new()
    {
        SourceId = e.Id(),
        FromPath = e.Str("url") ?? throw new FormatException("The redirect has no url."),
        ToPath = e.Prop("action_data") is { ValueKind: JsonValueKind.Object } data ? data.Str("url") : e.Str("action_data"),
        Extensions = e.Extensions(RedirectKnown),
    };

    private static PublishStatus Publish(string? status) => status switch
    {
        "publish" or "future" => PublishStatus.Active,
        "private" => PublishStatus.Private,
        "trash" => PublishStatus.Archived,
        _ => PublishStatus.Draft,
    };

    private static Money? Money(decimal? amount, string currency) => amount is { } a ? new Money(a, currency) : null;

    private static decimal? PositiveOrNull(decimal? value) => value is > 0m ? value : null;

    private static ImageInfo? Image(JsonElement? e, int position)
        => e is { ValueKind: JsonValueKind.Object } img && img.Str("src") is { } src
            ? new ImageInfo { SourceId = img.RefId("id"), Url = src, Alt = img.Str("alt"), Position = position }
            : null;

    private static Address? Address(JsonElement? e, bool billing)
    {
        if (e is not { ValueKind: JsonValueKind.Object } a)
        {
            return null;
        }

        var address = new Address
        {
            FirstName = a.Str("first_name"),
            LastName = a.Str("last_name"),
            Company = a.Str("company"),
            Line1 = a.Str("address_1"),
            Line2 = a.Str("address_2"),
            City = a.Str("city"),
            Region = a.Str("state"),
            PostalCode = a.Str("postcode"),
            CountryCode = a.Str("country"),
            Phone = a.Str("phone"),
            Email = a.Str("email"),
            IsDefaultBilling = billing,
            IsDefaultShipping = !billing,
        };
        return address with { IsDefaultBilling = false, IsDefaultShipping = false } == new Address() ? null : address;
    }

    /// <summary>
    /// The site-relative URL of a permalink, its query kept: WordPress gives unpublished records, and every record of a site with
    /// plain permalinks, a URL whose path is the home page and whose query names the record (<c>/?post_type=product&amp;p=19</c>,
    /// <c>/?page_id=5</c>), so the path alone would make all of them "/" (and a redirect from the home page). A path already (as the
    /// ID map stores target URLs) stays as it is: only http and https count as absolute, because on Unix <see cref="Uri"/> reads
    /// "/?post_type=product&amp;p=19" as a file URI and would escape its query.
    /// </summary>
    internal static string? PathOf(string? url)
        => url is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" ? uri.PathAndQuery : url;

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);
}
