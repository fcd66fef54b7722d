using System.Globalization;
using System.Text.Json.Nodes;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>
/// Builds the sandbox's records: what every WordPress + WooCommerce install has (the administrator, the "Uncategorized"
/// categories), then, for a source store, the canonical sample store converted to WooCommerce's shapes, written straight into
/// the tables as if the shop had been run for a year (no API validation, so the sample store's edge cases survive).
/// </summary>
internal sealed class WooSeeder
{
    private readonly WooApi _api;
    private readonly WooStore _store;
    private readonly WooContext _context;
    private readonly Dictionary<string, long> _productIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _variantIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _categoryIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _customerIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _attributeIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _productSlugs = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _usernames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _tagIds = new(StringComparer.OrdinalIgnoreCase);

    public WooSeeder(WooApi api)
    {
        _api = api;
        _context = api.Context;
        _store = api.Context.Store;
    }

    private WooTime Time => _context.Time;

    /// <summary>What a fresh install has: the administrator (user 1) and the default post and product categories.</summary>
    public void SeedInstall(WooCredentials credentials, DateTimeOffset installedAt)
    {
        JsonObject admin = _api.Customers.NewCustomer(WooStore.AdminUserId, installedAt);
        admin["email"] = credentials.UserEmail;
        admin["username"] = credentials.UserName;
        admin["role"] = "administrator";
        admin["billing"]!["email"] = credentials.UserEmail;
        _store.Users.Put(admin);
        _usernames.Add(credentials.UserName);
        _store.WpCategories.Put(_api.WpCategories.NewTerm(1, "Uncategorized", "uncategorized", 0));
        JsonObject uncategorized = _api.Categories.NewTerm(_store.NextTermId());
        uncategorized["name"] = "Uncategorized";
        uncategorized["slug"] = "uncategorized";
        _store.Categories.Put(uncategorized);
        _store.DefaultCategoryId = Json.Long(uncategorized, "id");
    }

    public void Seed(SampleStore sample)
    {
        SeedTaxes(sample.Get<Tax>());
        SeedCategories(sample.Get<Category>());
        List<Product> products = [.. sample.Get<Product>()];
        SeedAttributes(products);
        foreach (Product product in products)
        {
            _productIds[product.SourceId] = _store.NextPostId();
            Map(EntityType.Products, product.SourceId, _productIds[product.SourceId]);
        }

        foreach (Product product in products)
        {
            SeedProduct(product);
        }

        foreach (Customer customer in sample.Get<Customer>())
        {
            SeedCustomer(customer);
        }

        List<Coupon> coupons = [.. sample.Get<Coupon>()];
        foreach (Order order in sample.Get<Order>())
        {
            SeedOrder(order);
        }

        foreach (Review review in sample.Get<Review>())
        {
            SeedReview(review);
        }

        foreach (Coupon coupon in coupons)
        {
            SeedCoupon(coupon);
        }

        foreach (Page page in sample.Get<Page>())
        {
            SeedPage(page);
        }

        foreach (BlogPost post in sample.Get<BlogPost>())
        {
            SeedPost(post);
        }

        int position = 0;
        foreach (Redirect redirect in sample.Get<Redirect>())
        {
            SeedRedirect(redirect, position++);
        }
    }

    private void Map(EntityType type, string sourceId, long id) => _store.SeedIds[(type, sourceId)] = id;

    private static DateTimeOffset Created(Entity entity) => entity.CreatedAt ?? SampleStoreOptions.DefaultBaseTime;

    private static DateTimeOffset Modified(Entity entity) => entity.UpdatedAt ?? Created(entity);

    private void SeedTaxes(IEnumerable<Tax> taxes)
    {
        int order = 0;
        foreach (Tax tax in taxes)
        {
            JsonObject rate = TaxesResource.NewTax(_store.NextTaxId());
            rate["country"] = tax.CountryCode ?? string.Empty;
            rate["state"] = tax.Region ?? string.Empty;
            rate["rate"] = Json.Rate(tax.Rate);
            rate["name"] = tax.Name;
            rate["priority"] = tax.Priority;
            rate["shipping"] = tax.AppliesToShipping;
            rate["order"] = order++;
            rate["class"] = string.IsNullOrEmpty(tax.TaxClass) ? "standard" : WooContext.SanitizeTitle(tax.TaxClass);
            _store.Taxes.Put(rate);
            Map(EntityType.Taxes, tax.SourceId, Json.Long(rate, "id"));
        }
    }

    private void SeedCategories(IEnumerable<Category> categories)
    {
        List<Category> list = [.. categories];
        foreach (Category category in list)
        {
            _categoryIds[category.SourceId] = _store.NextTermId();
        }

        foreach (Category category in list)
        {
            JsonObject term = _api.Categories.NewTerm(_categoryIds[category.SourceId]);
            term["name"] = category.Name;
            term["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(category.Slug ?? category.Name), _store.Categories.All, 0);
            term["parent"] = category.ParentId is { } parent && _categoryIds.TryGetValue(parent, out long parentId) ? parentId : 0;
            term["description"] = category.Description ?? string.Empty;
            term["menu_order"] = category.Position;
            if (category.Image is { } image)
            {
                term["__image"] = Json.Long(_context.CreateAttachment(image.Url, Stem(image.Url), image.Alt ?? string.Empty, Created(category)), "id");
            }

            _store.Categories.Put(term);
            Map(EntityType.Categories, category.SourceId, Json.Long(term, "id"));
        }
    }

    /// <summary>Every option name becomes a global attribute (<c>pa_size</c>, <c>pa_color</c>) with its values as terms.</summary>
    private void SeedAttributes(IEnumerable<Product> products)
    {
        foreach (ProductOption option in products.SelectMany(p => p.Options))
        {
            if (!_attributeIds.TryGetValue(option.Name, out long attributeId))
            {
                attributeId = _store.NextAttributeId();
                _attributeIds[option.Name] = attributeId;
                _store.Attributes.Put(new JsonObject
                {
                    ["id"] = attributeId,
                    ["name"] = option.Name,
                    ["slug"] = "pa_" + WooContext.SanitizeTitle(option.Name),
                    ["type"] = "select",
                    ["order_by"] = "menu_order",
                    ["has_archives"] = false,
                });
            }

            foreach (string value in option.Values)
            {
                AttributesResource.EnsureTerm(_context, attributeId, value);
            }
        }
    }

    private void SeedProduct(Product source)
    {
        long id = _productIds[source.SourceId];
        DateTimeOffset created = Created(source);
        JsonObject product = _api.Products.NewProduct(id, created);
        Time.Set(product, "date_modified", Modified(source));
        product["name"] = source.Name;
        product["slug"] = Unique(WooContext.SanitizeTitle(source.Slug ?? source.Name), _productSlugs);
        product["type"] = source.Kind switch
        {
            ProductKind.Variable => "variable",
            ProductKind.Grouped => "grouped",
            ProductKind.External => "external",
            _ => "simple",
        };
        product["status"] = Status(source.Status);
        product["description"] = source.Description ?? string.Empty;
        product["short_description"] = source.ShortDescription ?? string.Empty;
        product["sku"] = source.Sku ?? string.Empty;
        if (source.Kind is not (ProductKind.Variable or ProductKind.Grouped))
        {
            product["regular_price"] = source.Price is { } price ? Json.Money(price.Amount) : string.Empty;
            product["sale_price"] = source.SalePrice is { } sale ? Json.Money(sale.Amount) : string.Empty;
        }

        if (source.StockQuantity is { } stock)
        {
            product["manage_stock"] = true;
            product["stock_quantity"] = stock;
        }

        product["weight"] = source.WeightKg is { } weight ? Json.Decimal(weight) : string.Empty;
        product["tax_class"] = source.TaxClass is null or "standard" ? string.Empty : WooContext.SanitizeTitle(source.TaxClass);
        if (source.Extensions.TryGetValue("woocommerce.tax_status", out string? taxStatus))
        {
            product["tax_status"] = taxStatus;
        }

        if (source.Extensions.TryGetValue("woocommerce.menu_order", out string? menuOrder) && int.TryParse(menuOrder, NumberStyles.Integer, CultureInfo.InvariantCulture, out int order))
        {
            product["menu_order"] = order;
        }

        product["external_url"] = source.ExternalUrl ?? string.Empty;
        product["button_text"] = source.ButtonText ?? string.Empty;
        product["upsell_ids"] = Json.Longs(source.UpsellIds.Where(_productIds.ContainsKey).Select(p => _productIds[p]));
        product["cross_sell_ids"] = Json.Longs(source.CrossSellIds.Where(_productIds.ContainsKey).Select(p => _productIds[p]));
        product["grouped_products"] = Json.Longs(source.GroupedIds.Where(_productIds.ContainsKey).Select(p => _productIds[p]));
        List<long> categories = [.. source.CategoryIds.Where(_categoryIds.ContainsKey).Select(c => _categoryIds[c])];
        product["categories"] = Json.Array((categories.Count > 0 ? categories : [_store.DefaultCategoryId]).Select(c => (JsonNode?)new JsonObject { ["id"] = c }));
        product["tags"] = Json.Array(source.Tags.Select(t => (JsonNode?)new JsonObject { ["id"] = EnsureProductTag(t) }));
        Dictionary<string, long> images = new(StringComparer.Ordinal);
        List<long> gallery = [];
        foreach (ImageInfo image in source.Images.OrderBy(i => i.Position))
        {
            long attachment = Json.Long(_context.CreateAttachment(image.Url, Stem(image.Url), image.Alt ?? string.Empty, created), "id");
            images[image.SourceId ?? image.Url] = attachment;
            gallery.Add(attachment);
        }

        product["__images"] = Json.Longs(gallery);
        JsonArray attributes = [];
        int position = 0;
        foreach (ProductOption option in source.Options)
        {
            long attributeId = _attributeIds[option.Name];
            attributes.Add(new JsonObject
            {
                ["id"] = attributeId,
                ["name"] = option.Name,
                ["position"] = position++,
                ["visible"] = option.Visible,
                ["variation"] = option.UsedForVariants,
                ["options"] = new JsonArray(),
                ["__term_ids"] = Json.Longs(option.Values.Select(v => Json.Long(AttributesResource.EnsureTerm(_context, attributeId, v), "id"))),
            });
        }

        product["attributes"] = attributes;
        List<(string Key, JsonNode? Value)> meta = [];
        if (source.Seo?.Title is { } seoTitle)
        {
            meta.Add(("_yoast_wpseo_title", seoTitle));
        }

        if (source.Seo?.Description is { } seoDescription)
        {
            meta.Add(("_yoast_wpseo_metadesc", seoDescription));
        }

        product["meta_data"] = _context.NewMeta([.. meta]);
        ProductRules.SyncStock(product);
        ProductRules.SyncPrice(product, Time.Now());
        _store.Products.Put(product);
        foreach (ProductVariant variant in source.Variants.OrderBy(v => v.Position))
        {
            SeedVariation(source, id, variant, images, created);
        }
    }

    private void SeedVariation(Product source, long parentId, ProductVariant variant, Dictionary<string, long> images, DateTimeOffset created)
    {
        long id = _store.NextPostId();
        JsonObject variation = _api.Variations.NewVariation(id, parentId, created);
        Time.Set(variation, "date_modified", Modified(source));
        variation["sku"] = variant.Sku ?? string.Empty;
        variation["global_unique_id"] = variant.Barcode ?? string.Empty;
        variation["status"] = source.Status == PublishStatus.Active ? "publish" : "private";
        variation["regular_price"] = variant.Price is { } price ? Json.Money(price.Amount) : string.Empty;
        variation["sale_price"] = variant.SalePrice is { } sale ? Json.Money(sale.Amount) : string.Empty;
        if (variant.StockQuantity is { } stock)
        {
            variation["manage_stock"] = true;
            variation["stock_quantity"] = stock;
        }

        variation["weight"] = variant.WeightKg is { } weight ? Json.Decimal(weight) : string.Empty;
        variation["menu_order"] = variant.Position;
        if (variant.Image is { } image)
        {
            variation["__image"] = images.TryGetValue(image.SourceId ?? image.Url, out long existing)
                ? existing
                : Json.Long(_context.CreateAttachment(image.Url, Stem(image.Url), image.Alt ?? string.Empty, created), "id");
        }

        JsonArray attributes = [];
        foreach (OptionValue value in variant.OptionValues)
        {
            if (value.Value is null || !_attributeIds.TryGetValue(value.Name, out long attributeId))
            {
                // "Any" values stay blank in WooCommerce and are left out of the variation's attributes.
                continue;
            }

            attributes.Add(new JsonObject { ["id"] = attributeId, ["name"] = value.Name, ["option"] = value.Value });
        }

        variation["attributes"] = attributes;
        ProductRules.SyncStock(variation);
        ProductRules.SyncPrice(variation, Time.Now());
        _store.Variations.Put(variation);
        _variantIds[source.SourceId + "/" + variant.SourceId] = id;
        Map(EntityType.Products, EntityRef.Variant(source.SourceId, variant.SourceId).SourceId, id);
    }

    private long EnsureProductTag(string name)
    {
        if (_tagIds.TryGetValue(name, out long existing))
        {
            return existing;
        }

        JsonObject tag = _api.Tags.NewTerm(_store.NextTermId());
        tag["name"] = name;
        tag["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(name), _store.Tags.All, 0);
        _store.Tags.Put(tag);
        _tagIds[name] = Json.Long(tag, "id");
        return Json.Long(tag, "id");
    }

    private void SeedCustomer(Customer source)
    {
        long id = _store.NextUserId();
        JsonObject customer = _api.Customers.NewCustomer(id, Created(source));
        Time.Set(customer, "date_modified", Modified(source));
        string email = source.Email ?? string.Empty;
        customer["email"] = email;
        customer["first_name"] = source.FirstName ?? string.Empty;
        customer["last_name"] = source.LastName ?? string.Empty;
        string username = _api.Customers.GenerateUsername(email.Length > 0 ? email : "customer" + source.SourceId + "@example.test", null, null, _usernames.Contains);
        _usernames.Add(username);
        customer["username"] = username;
        Address? billing = source.Addresses.FirstOrDefault(a => a.IsDefaultBilling) ?? source.Addresses.FirstOrDefault();
        Address? shipping = source.Addresses.LastOrDefault(a => a.IsDefaultShipping) ?? source.Addresses.LastOrDefault();
        customer["billing"] = Address(billing, CustomersResource.BillingFields, email, source.Phone);
        customer["shipping"] = Address(shipping, CustomersResource.ShippingFields, null, null);
        _store.Users.Put(customer);
        _customerIds[source.SourceId] = id;
        Map(EntityType.Customers, source.SourceId, id);
    }

    private static JsonObject Address(Address? address, string[] fields, string? email, string? phone)
    {
        JsonObject result = CustomersResource.Address(fields);
        if (address is not null)
        {
            result["first_name"] = address.FirstName ?? string.Empty;
            result["last_name"] = address.LastName ?? string.Empty;
            result["company"] = address.Company ?? string.Empty;
            result["address_1"] = address.Line1 ?? string.Empty;
            result["address_2"] = address.Line2 ?? string.Empty;
            result["city"] = address.City ?? string.Empty;
            result["state"] = address.Region ?? string.Empty;
            result["postcode"] = address.PostalCode ?? string.Empty;
            result["country"] = address.CountryCode ?? string.Empty;
            result["phone"] = address.Phone ?? phone ?? string.Empty;
        }

        if (fields.Contains("email"))
        {
            result["email"] = email ?? address?.Email ?? string.Empty;
        }

        return result;
    }

    private void SeedOrder(Order source)
    {
        long id = _store.NextPostId();
        DateTimeOffset created = Created(source);
        JsonObject order = _api.Orders.NewOrder(id, created, "checkout");
        Time.Set(order, "date_modified", Modified(source));
        order["status"] = source.Status;
        order["currency"] = source.Currency;
        order["customer_id"] = source.CustomerId is { } customer && _customerIds.TryGetValue(customer, out long customerId) ? customerId : 0;
        order["customer_note"] = source.CustomerNote ?? string.Empty;
        order["billing"] = Address(source.BillingAddress, CustomersResource.BillingFields, source.Email ?? source.BillingAddress?.Email, null);
        order["shipping"] = Address(source.ShippingAddress ?? source.BillingAddress, CustomersResource.ShippingFields, null, null);
        order["payment_method"] = source.PaymentMethod ?? string.Empty;
        order["payment_method_title"] = source.PaymentMethodTitle ?? string.Empty;
        order["transaction_id"] = source.TransactionId ?? string.Empty;

        // What WooCommerce 8.5+ records on a checkout order (order attribution and the VAT flag); the REST API shows it.
        order["meta_data"] = _context.NewMeta(
            ("is_vat_exempt", "no"),
            ("_wc_order_attribution_source_type", "typein"),
            ("_wc_order_attribution_device_type", "Desktop"));
        Time.Set(order, "date_paid", source.PaidAt);
        Time.Set(order, "date_completed", source.CompletedAt);
        JsonObject? rate = TaxRateFor(source.BillingAddress?.CountryCode);
        long rateId = rate is null ? 0 : Json.Long(rate, "id");
        JsonArray lines = [];
        JsonArray fees = [];
        foreach (OrderLine line in source.Lines)
        {
            decimal tax = line.TaxTotal?.Amount ?? 0m;
            JsonArray taxes = rateId > 0 && tax != 0 ? [new JsonObject { ["id"] = rateId, ["total"] = Json.Money(tax), ["subtotal"] = Json.Money(tax) }] : [];
            if (line.ProductId is null)
            {
                fees.Add(new JsonObject
                {
                    ["id"] = _store.NextOrderItemId(),
                    ["name"] = line.Name,
                    ["tax_class"] = string.Empty,
                    ["tax_status"] = "taxable",
                    ["amount"] = Json.Money(line.Total.Amount),
                    ["total"] = Json.Money(line.Total.Amount),
                    ["total_tax"] = Json.Money(tax),
                    ["taxes"] = taxes,
                    ["meta_data"] = new JsonArray(),
                });
                continue;
            }

            long productId = _productIds.GetValueOrDefault(line.ProductId);
            long variationId = line.VariantId is { } variant && productId > 0 ? _variantIds.GetValueOrDefault(line.ProductId + "/" + variant) : 0;
            JsonArray meta = [];
            if (variationId > 0 && _store.Variations.Find(variationId) is { } variation)
            {
                foreach (JsonObject attribute in ((variation["attributes"] as JsonArray) ?? []).OfType<JsonObject>())
                {
                    JsonObject? term = AttributesResource.FindTerm(_store, Json.Long(attribute, "id"), Json.Str(attribute, "option"));
                    string slug = Json.Str(_store.Attributes.Find(Json.Long(attribute, "id")) ?? [], "slug");
                    meta.Add(new JsonObject
                    {
                        ["id"] = _store.NextMetaId(),
                        ["key"] = slug,
                        ["value"] = term is null ? Json.Str(attribute, "option") : Json.Str(term, "slug"),
                        ["display_key"] = Json.Str(attribute, "name"),
                        ["display_value"] = Json.Str(attribute, "option"),
                    });
                }
            }

            lines.Add(new JsonObject
            {
                ["id"] = _store.NextOrderItemId(),
                ["name"] = line.Name,
                ["product_id"] = productId,
                ["variation_id"] = variationId,
                ["quantity"] = line.Quantity,
                ["tax_class"] = string.Empty,
                ["subtotal"] = Json.Money(line.UnitPrice.Amount * line.Quantity),
                ["subtotal_tax"] = Json.Money(tax),
                ["total"] = Json.Money(line.Total.Amount),
                ["total_tax"] = Json.Money(tax),
                ["taxes"] = taxes,
                ["meta_data"] = meta,
            });
        }

        order["line_items"] = lines;
        order["fee_lines"] = fees;
        decimal taxTotal = source.TaxTotal?.Amount ?? 0m;
        order["tax_lines"] = taxTotal != 0 && rate is not null ? new JsonArray(_api.Orders.TaxLine(rate, taxTotal, 0m)) : new JsonArray();
        decimal shippingTotal = source.ShippingTotal?.Amount ?? 0m;
        order["shipping_lines"] = source.ShippingMethod is null && shippingTotal == 0
            ? new JsonArray()
            : new JsonArray(new JsonObject
            {
                ["id"] = _store.NextOrderItemId(),
                ["method_title"] = source.ShippingMethod ?? "Shipping",
                ["method_id"] = shippingTotal == 0 ? "free_shipping" : "flat_rate",
                ["instance_id"] = "1",
                ["total"] = Json.Money(shippingTotal),
                ["total_tax"] = "0.00",
                ["taxes"] = new JsonArray(),
                ["meta_data"] = new JsonArray(),
            });
        decimal discount = source.DiscountTotal?.Amount ?? 0m;
        JsonArray couponLines = [];
        foreach (string code in source.CouponCodes)
        {
            couponLines.Add(new JsonObject
            {
                ["id"] = _store.NextOrderItemId(),
                ["code"] = CouponsResource.FormatCode(code),
                ["discount"] = Json.Money(couponLines.Count == 0 ? discount : 0m),
                ["discount_tax"] = "0.00",
                ["meta_data"] = new JsonArray(),
            });
        }

        order["coupon_lines"] = couponLines;
        order["discount_total"] = Json.Money(discount);
        order["shipping_total"] = Json.Money(shippingTotal);
        order["cart_tax"] = Json.Money(taxTotal);
        order["total_tax"] = Json.Money(taxTotal);
        order["total"] = Json.Money(source.Total.Amount);
        bool paid = source.Status is OrderStatuses.Processing or OrderStatuses.Completed or OrderStatuses.Refunded;
        order["__recorded_sales"] = paid;
        order["__stock_reduced"] = paid || source.Status == OrderStatuses.OnHold;
        if (paid)
        {
            foreach (JsonObject line in lines.OfType<JsonObject>())
            {
                if (_store.Products.Find(Json.Long(line, "product_id")) is { } product)
                {
                    product["total_sales"] = Json.Long(product, "total_sales") + Json.Long(line, "quantity");
                }
            }
        }

        _store.Orders.Put(order);
        Map(EntityType.Orders, source.SourceId, id);
        if (source.Status == OrderStatuses.Refunded && source.Total.Amount > 0)
        {
            JsonObject refund = _api.Refunds.NewRefund(_store.NextPostId(), id, source.Total.Amount, "Order fully refunded.", WooStore.AdminUserId, Modified(source));
            refund["refunded_payment"] = true;
            _store.Refunds.Put(refund);
        }

        foreach (OrderNote note in source.Notes)
        {
            _store.OrderNotes.Put(_api.OrderNotes.NewNote(_store.NextCommentId(), id, note.Content, note.IsCustomerNote, addedByUser: false, note.CreatedAt ?? created));
        }
    }

    private JsonObject? TaxRateFor(string? country)
        => _store.Taxes.All.Where(t => Json.Str(t, "class") == "standard").OrderBy(t => Json.Long(t, "id")).FirstOrDefault(t => Json.Str(t, "country") == country)
            ?? _store.Taxes.All.OrderBy(t => Json.Long(t, "id")).FirstOrDefault();

    private void SeedReview(Review source)
    {
        if (!_productIds.TryGetValue(source.ProductId, out long productId))
        {
            // WordPress deletes a post's comments with the post; a review of a missing product cannot exist.
            return;
        }

        JsonObject review = _api.Reviews.NewReview(_store.NextCommentId(), productId, Created(source));
        review["status"] = source.Approved ? "approved" : "hold";
        review["reviewer"] = source.ReviewerName ?? string.Empty;
        review["reviewer_email"] = source.ReviewerEmail ?? string.Empty;
        review["review"] = source.Content ?? string.Empty;
        review["rating"] = source.Rating;
        review["verified"] = source.VerifiedBuyer;
        review["__user"] = source.CustomerId is { } customer && _customerIds.TryGetValue(customer, out long userId) ? userId : 0;
        _store.Reviews.Put(review);
        Map(EntityType.Reviews, source.SourceId, Json.Long(review, "id"));
    }

    private void SeedCoupon(Coupon source)
    {
        JsonObject coupon = _api.Coupons.NewCoupon(_store.NextPostId(), Created(source));
        Time.Set(coupon, "date_modified", Modified(source));
        coupon["code"] = CouponsResource.FormatCode(source.Code);
        coupon["amount"] = Json.Money(source.Amount);
        coupon["discount_type"] = source.Kind switch
        {
            DiscountKind.Percentage => "percent",
            DiscountKind.FixedProduct => "fixed_product",
            _ => "fixed_cart",
        };
        coupon["description"] = source.Description ?? string.Empty;
        Time.Set(coupon, "date_expires", source.ExpiresAt);
        coupon["usage_count"] = source.UsageCount;
        coupon["individual_use"] = source.IndividualUse;
        coupon["product_ids"] = Json.Longs(source.ProductIds.Where(_productIds.ContainsKey).Select(p => _productIds[p]));
        coupon["excluded_product_ids"] = Json.Longs(source.ExcludedProductIds.Where(_productIds.ContainsKey).Select(p => _productIds[p]));
        coupon["usage_limit"] = source.UsageLimit;
        coupon["usage_limit_per_user"] = source.UsageLimitPerCustomer;
        coupon["free_shipping"] = source.FreeShipping;
        coupon["product_categories"] = Json.Longs(source.CategoryIds.Where(_categoryIds.ContainsKey).Select(c => _categoryIds[c]));
        coupon["excluded_product_categories"] = Json.Longs(source.ExcludedCategoryIds.Where(_categoryIds.ContainsKey).Select(c => _categoryIds[c]));
        coupon["minimum_amount"] = Json.Money(source.MinimumAmount ?? 0m);
        coupon["maximum_amount"] = Json.Money(source.MaximumAmount ?? 0m);
        coupon["email_restrictions"] = Json.Strings(source.EmailRestrictions.Select(e => e.ToLowerInvariant()));
        _store.Coupons.Put(coupon);
        Map(EntityType.Coupons, source.SourceId, Json.Long(coupon, "id"));
    }

    private void SeedPage(Page source)
    {
        JsonObject page = _api.Pages.NewPost(_store.NextPostId(), source.PublishedAt ?? Created(source));
        Time.Set(page, "modified", Modified(source));
        page["status"] = Status(source.Status);
        page["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(source.Slug ?? source.Title), _store.Pages.All, 0);
        page["__title"] = source.Title;
        page["__content"] = source.Body ?? string.Empty;
        _store.Pages.Put(page);
        Map(EntityType.Pages, source.SourceId, Json.Long(page, "id"));
    }

    private void SeedPost(BlogPost source)
    {
        JsonObject post = _api.Posts.NewPost(_store.NextPostId(), source.PublishedAt ?? Created(source));
        Time.Set(post, "modified", Modified(source));
        post["status"] = Status(source.Status);
        post["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(source.Slug ?? source.Title), _store.Posts.All, 0);
        post["__title"] = source.Title;
        post["__content"] = source.Body ?? string.Empty;
        post["__excerpt"] = source.Excerpt ?? string.Empty;
        List<long> categories = [.. source.BlogCategories.Select(name => EnsureWpTerm(_store.WpCategories, _api.WpCategories, name))];
        post["categories"] = Json.Longs(categories.Count > 0 ? categories : [1]);
        post["tags"] = Json.Longs(source.Tags.Select(name => EnsureWpTerm(_store.WpTags, _api.WpTags, name)));
        if (source.FeaturedImage is { } image)
        {
            post["featured_media"] = Json.Long(_context.CreateAttachment(image.Url, Stem(image.Url), image.Alt ?? string.Empty, Created(source)), "id");
        }

        _store.Posts.Put(post);
        Map(EntityType.BlogPosts, source.SourceId, Json.Long(post, "id"));
    }

    private long EnsureWpTerm(ResourceTable table, WpTermsResource resource, string name)
    {
        if (table.All.FirstOrDefault(t => string.Equals(Json.Str(t, "name"), name, StringComparison.OrdinalIgnoreCase)) is { } existing)
        {
            return Json.Long(existing, "id");
        }

        JsonObject term = resource.NewTerm(_store.NextTermId(), name, WooContext.UniqueSlug(WooContext.SanitizeTitle(name), table.All, 0), 0);
        table.Put(term);
        return Json.Long(term, "id");
    }

    private void SeedRedirect(Redirect source, int position)
    {
        string target = source.ToPath ?? "/";
        if (source.TargetEntity is { Type: EntityType.Products } product && _productIds.TryGetValue(product.OwnerSourceId, out long productId)
            && _store.Products.Find(productId) is { } stored)
        {
            target = new Uri(ProductsResource.Permalink(_store, stored)).PathAndQuery;
        }

        JsonObject redirect = new()
        {
            ["id"] = _store.NextRedirectId(),
            ["url"] = source.FromPath,
            ["match_url"] = RedirectionResource.MatchUrl(source.FromPath),
            ["match_data"] = new JsonObject
            {
                ["source"] = new JsonObject { ["flag_query"] = "exact", ["flag_case"] = false, ["flag_trailing"] = false, ["flag_regex"] = false },
            },
            ["action_code"] = 301,
            ["action_type"] = "url",
            ["action_data"] = new JsonObject { ["url"] = target },
            ["match_type"] = "url",
            ["title"] = string.Empty,
            ["hits"] = 0,
            ["regex"] = false,
            ["group_id"] = 1,
            ["position"] = position,
            ["last_access"] = "-",
            ["enabled"] = true,
        };
        _store.Redirects.Put(redirect);
        Map(EntityType.Redirects, source.SourceId, Json.Long(redirect, "id"));
    }

    /// <summary>The slug, or the slug with <c>-2</c>, <c>-3</c>, … when taken (<c>wp_unique_post_slug</c>), recorded as taken.</summary>
    private static string Unique(string slug, HashSet<string> taken)
    {
        string candidate = slug;
        for (int suffix = 2; !taken.Add(candidate); suffix++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{suffix}");
        }

        return candidate;
    }

    private static string Status(PublishStatus status) => status switch
    {
        PublishStatus.Active => "publish",
        PublishStatus.Draft => "draft",
        _ => "private",
    };

    private static string Stem(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? Path.GetFileNameWithoutExtension(uri.AbsolutePath) : Path.GetFileNameWithoutExtension(url);
}
