using System.Collections.Immutable;
using System.Text.Json;
using NextCart.Migration.Model;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>Translates Admin GraphQL nodes into canonical records. Source ids are the numeric tails of the global ids.</summary>
internal static class SourceMapper
{
    public static Entity Map(EntityType type, JsonElement node, string defaultCurrency) => type switch
    {
        EntityType.Products => Product(node, defaultCurrency),
        EntityType.Categories => Category(node),
        EntityType.Customers => Customer(node),
        EntityType.Orders => Order(node, defaultCurrency),
        EntityType.Pages => Page(node),
        EntityType.BlogPosts => Article(node),
        EntityType.Coupons => Coupon(node, defaultCurrency),
        EntityType.Redirects => Redirect(node),
        _ => throw new NotSupportedException($"The Shopify source does not read {type.ToCamelCase()}."),
    };

    public static string Id(JsonElement node) => node.Str("id") is { Length: > 0 } gid ? Handles.Tail(gid) : throw new FormatException("The node has no id.");

    private static Product Product(JsonElement n, string currency)
    {
        string id = Id(n);
        var variants = n.Nodes("variants").ToList();
        var options = n.Array("options")
            .Select(o => new ProductOption { Name = o.Str("name") ?? string.Empty, Values = o.Array("optionValues").Select(v => v.Str("name") ?? string.Empty).ToArray() })
            .ToList();
        bool simple = variants.Count <= 1 && (options.Count == 0 || (options.Count == 1 && options[0].Name == "Title" && options[0].Values.All(v => v == "Default Title")));
        JsonElement? first = variants.Count > 0 ? variants[0] : null;
        var images = n.Nodes("media").Where(m => m.Path("image", "url") is not null)
            .Select((m, i) => new ImageInfo { SourceId = Handles.Tail(m.Str("id") ?? string.Empty), Url = m.Path("image", "url")!.Value.GetString()!, Alt = m.Str("alt") ?? m.Prop("image")?.Str("altText"), Position = i })
            .ToArray();
        var extensions = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (n.Str("vendor") is { Length: > 0 } vendor)
        {
            extensions["shopify.vendor"] = vendor;
        }

        if (n.SourceId() is { } origin)
        {
            extensions["shopify.nextcart_source_id"] = origin;
        }

        (Money? price, Money? sale) = first is { } f ? Prices(f, currency) : (null, null);
        return new Product
        {
            SourceId = id,
            Name = n.Str("title") ?? string.Empty,
            Slug = n.Str("handle"),
            Description = n.Str("descriptionHtml"),
            Kind = simple ? ProductKind.Simple : ProductKind.Variable,
            Status = n.Str("status") switch
            {
                "ACTIVE" => PublishStatus.Active,
                "ARCHIVED" => PublishStatus.Archived,
                "UNLISTED" => PublishStatus.Private,
                _ => PublishStatus.Draft,
            },
            Sku = simple ? first?.Str("sku") is { Length: > 0 } sku ? sku : null : null,
            Price = simple ? price : null,
            SalePrice = simple ? sale : null,
            StockQuantity = simple ? first?.Int("inventoryQuantity") : null,
            ProductType = n.Str("productType") is { Length: > 0 } pt ? pt : null,
            Tags = n.Strings("tags"),
            Options = simple ? [] : options,
            Variants = simple ? [] : variants.Select((v, i) => Variant(v, currency, i)).ToArray(),
            Images = images,
            CategoryIds = n.Nodes("collections").Select(c => Handles.Tail(c.Str("id") ?? string.Empty)).Where(c => c.Length > 0).ToArray(),
            Seo = Seo(n),
            Url = n.Str("handle") is { } handle ? "/products/" + handle : null,
            CreatedAt = n.Date("createdAt"),
            UpdatedAt = n.Date("updatedAt"),
            Extensions = extensions.ToImmutable(),
        };
    }

    public static ProductVariant Variant(JsonElement v, string currency, int index)
    {
        (Money? price, Money? sale) = Prices(v, currency);
        return new ProductVariant
        {
            SourceId = Id(v),
            Sku = v.Str("sku") is { Length: > 0 } sku ? sku : null,
            Barcode = v.Str("barcode") is { Length: > 0 } barcode ? barcode : null,
            Price = price,
            SalePrice = sale,
            StockQuantity = v.Int("inventoryQuantity"),
            Position = v.Int("position") ?? index + 1,
            OptionValues = v.Array("selectedOptions").Select(o => new OptionValue(o.Str("name") ?? string.Empty, o.Str("value"))).ToArray(),
        };
    }

    /// <summary>Shopify's price is what the customer pays and compareAtPrice the crossed-out one: a higher compare-at price means a sale.</summary>
    private static (Money? Price, Money? Sale) Prices(JsonElement v, string currency)
    {
        decimal? price = v.Dec("price");
        decimal? compare = v.Dec("compareAtPrice");
        if (price is null)
        {
            return (null, null);
        }

        return compare is { } c && c > price ? (new Money(c, currency), new Money(price.Value, currency)) : (new Money(price.Value, currency), null);
    }

    private static SeoInfo? Seo(JsonElement n)
        => n.Prop("seo") is { } seo && (seo.Str("title") is not null || seo.Str("description") is not null)
            ? new SeoInfo { Title = seo.Str("title"), Description = seo.Str("description") }
            : null;

    private static Category Category(JsonElement n) => new()
    {
        SourceId = Id(n),
        Name = n.Str("title") ?? string.Empty,
        Slug = n.Str("handle"),
        Description = n.Str("descriptionHtml"),
        Seo = Seo(n),
        Url = n.Str("handle") is { } handle ? "/collections/" + handle : null,
        UpdatedAt = n.Date("updatedAt"),
    };

    private static Customer Customer(JsonElement n)
    {
        string? defaultAddress = n.Prop("defaultAddress")?.Str("id");
        return new Customer
        {
            SourceId = Id(n),
            Email = n.Prop("defaultEmailAddress")?.Str("emailAddress"),
            Phone = n.Prop("defaultPhoneNumber")?.Str("phoneNumber"),
            FirstName = n.Str("firstName"),
            LastName = n.Str("lastName"),
            Note = n.Str("note"),
            Tags = n.Strings("tags"),
            Addresses = n.Nodes("addressesV2").Select(a => Address(a) with
            {
                IsDefaultBilling = a.Str("id") == defaultAddress,
                IsDefaultShipping = a.Str("id") == defaultAddress,
            }).ToArray(),
            CreatedAt = n.Date("createdAt"),
            UpdatedAt = n.Date("updatedAt"),
        };
    }

    public static Address Address(JsonElement a) => new()
    {
        FirstName = a.Str("firstName"),
        LastName = a.Str("lastName"),
        Company = a.Str("company"),
        Line1 = a.Str("address1"),
        Line2 = a.Str("address2"),
        City = a.Str("city"),
        Region = a.Str("provinceCode"),
        PostalCode = a.Str("zip"),
        CountryCode = a.Str("countryCodeV2"),
        Phone = a.Str("phone"),
    };

    private static Order Order(JsonElement n, string defaultCurrency)
    {
        string currency = n.Str("currencyCode") ?? defaultCurrency;
        Money? Bag(string name) => n.Prop(name)?.Prop("shopMoney") is { } m && m.Dec("amount") is { } amount ? new Money(amount, m.Str("currencyCode") ?? currency) : null;
        string financial = n.Str("displayFinancialStatus") ?? "PENDING";
        string fulfillment = n.Str("displayFulfillmentStatus") ?? "UNFULFILLED";
        string status = financial switch
        {
            "REFUNDED" => OrderStatuses.Refunded,
            "VOIDED" or "EXPIRED" => OrderStatuses.Cancelled,
            "PENDING" or "AUTHORIZED" => OrderStatuses.Pending,
            _ => fulfillment == "FULFILLED" ? OrderStatuses.Completed : OrderStatuses.Processing,
        };
        var lines = n.Nodes("lineItems").Select(l =>
        {
            decimal unit = l.Path("originalUnitPriceSet", "shopMoney")?.Dec("amount") ?? 0m;
            int quantity = l.Int("quantity") ?? 0;
            JsonElement? product = l.Prop("product");

            // A product without options has one variant titled "Default Title"; canonically it is a simple product without variants.
            bool single = l.Prop("variant")?.Str("title") == "Default Title";
            return new OrderLine
            {
                SourceId = Id(l),
                Name = l.Str("title") ?? string.Empty,
                Sku = l.Str("sku") is { Length: > 0 } sku ? sku : null,
                Quantity = quantity,
                UnitPrice = new Money(unit, currency),
                Total = new Money(unit * quantity, currency),
                ProductId = product?.Str("id") is { } pid ? Handles.Tail(pid) : null,
                VariantId = !single && product is not null && l.Prop("variant")?.Str("id") is { } vid ? Handles.Tail(vid) : null,
            };
        }).ToArray();
        string? name = n.Str("name");
        return new Order
        {
            SourceId = Id(n),
            Number = name?.TrimStart('#'),
            Email = n.Str("email"),
            Status = status,
            Currency = currency,
            Lines = lines,
            BillingAddress = n.Prop("billingAddress") is { } b ? Address(b) : null,
            ShippingAddress = n.Prop("shippingAddress") is { } s ? Address(s) : null,
            Subtotal = Bag("subtotalPriceSet"),
            ShippingTotal = Bag("totalShippingPriceSet"),
            TaxTotal = Bag("totalTaxSet"),
            Total = Bag("totalPriceSet") ?? new Money(0m, currency),
            CustomerId = n.Prop("customer")?.Str("id") is { } cid ? Handles.Tail(cid) : null,
            CustomerNote = n.Str("note"),
            CreatedAt = n.Date("processedAt") ?? n.Date("createdAt"),
            UpdatedAt = n.Date("updatedAt"),
            Extensions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["shopify.financial_status"] = financial,
                ["shopify.fulfillment_status"] = fulfillment,
            }),
        };
    }

    private static Page Page(JsonElement n) => new()
    {
        SourceId = Id(n),
        Title = n.Str("title") ?? string.Empty,
        Slug = n.Str("handle"),
        Body = n.Str("body"),
        Status = n.Bool("isPublished") ? PublishStatus.Active : PublishStatus.Draft,
        PublishedAt = n.Date("publishedAt"),
        Url = n.Str("handle") is { } handle ? "/pages/" + handle : null,
        CreatedAt = n.Date("createdAt"),
        UpdatedAt = n.Date("updatedAt"),
    };

    private static BlogPost Article(JsonElement n) => new()
    {
        SourceId = Id(n),
        Title = n.Str("title") ?? string.Empty,
        Slug = n.Str("handle"),
        Body = n.Str("body"),
        Excerpt = n.Str("summary"),
        Author = n.Prop("author")?.Str("name"),
        Tags = n.Strings("tags"),
        Status = n.Bool("isPublished") ? PublishStatus.Active : PublishStatus.Draft,
        PublishedAt = n.Date("publishedAt"),
        Url = n.Str("handle") is { } handle && n.Prop("blog")?.Str("handle") is { } blog ? $"/blogs/{blog}/{handle}" : null,
        CreatedAt = n.Date("createdAt"),
        UpdatedAt = n.Date("updatedAt"),
    };

    private static Coupon Coupon(JsonElement n, string currency)
    {
        JsonElement d = n.Prop("discount") ?? throw new FormatException("The discount node has no discount.");
        if (d.Str("__typename") != "DiscountCodeBasic")
        {
            throw new NotSupportedException($"{d.Str("__typename")} discounts have no canonical coupon form; only basic code discounts are read.");
        }

        JsonElement? value = d.Path("customerGets", "value");
        JsonElement? items = d.Path("customerGets", "items");
        decimal? percentage = value?.Dec("percentage");
        decimal? amount = value?.Prop("amount")?.Dec("amount");
        string code = d.Prop("codes")?.Prop("nodes") is { ValueKind: JsonValueKind.Array } codes && codes.GetArrayLength() > 0 ? codes[0].Str("code") ?? string.Empty : string.Empty;
        if (code.Length == 0)
        {
            throw new FormatException("The discount has no code.");
        }

        return new Coupon
        {
            SourceId = Id(n),
            Code = code,
            Description = d.Str("title"),
            Kind = percentage is not null ? DiscountKind.Percentage : value?.Bool("appliesOnEachItem") == true ? DiscountKind.FixedProduct : DiscountKind.FixedCart,
            Amount = percentage is { } p ? p * 100m : amount ?? 0m,
            Currency = value?.Prop("amount")?.Str("currencyCode") ?? currency,
            StartsAt = d.Date("startsAt"),
            ExpiresAt = d.Date("endsAt"),
            UsageLimit = d.Int("usageLimit"),
            UsageLimitPerCustomer = d.Bool("appliesOncePerCustomer") ? 1 : null,
            MinimumAmount = d.Path("minimumRequirement", "greaterThanOrEqualToSubtotal")?.Dec("amount"),
            ProductIds = items?.Nodes("products").Select(x => Handles.Tail(x.Str("id") ?? string.Empty)).ToArray() ?? [],
            CategoryIds = items?.Nodes("collections").Select(x => Handles.Tail(x.Str("id") ?? string.Empty)).ToArray() ?? [],
            CreatedAt = d.Date("createdAt"),
            UpdatedAt = d.Date("updatedAt"),
        };
    }

    private static Redirect Redirect(JsonElement n) => new()
    {
        SourceId = Id(n),
        FromPath = n.Str("path") ?? throw new FormatException("The redirect has no path."),
        ToPath = n.Str("target"),
    };
}
