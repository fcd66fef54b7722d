using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>One mutation to send for one record: the document, its variables and what the record reports besides.</summary>
internal sealed record MutationPlan(string Document, JsonObject Variables)
{
    public List<string> Warnings { get; init; } = [];

    /// <summary>For products: the target variant each source variant maps to, by the option values it was written with.</summary>
    public IReadOnlyList<(string SourceId, IReadOnlyList<KeyValuePair<string, string>> Options)> Variants { get; init; } = [];

    /// <summary>The URL prefix of the record on the target, such as <c>/products/</c>, which the handle completes.</summary>
    public string? UrlPrefix { get; init; }

    /// <summary>
    /// Whether sending the mutation twice has the same effect as sending it once (an upsert such as <c>metafieldsSet</c>), so the
    /// HTTP pipeline may repeat it after a transient failure instead of leaving the outcome unknown.
    /// </summary>
    public bool Idempotent { get; init; }
}

/// <summary>Translates canonical records into Admin GraphQL mutation inputs, resolving references through the ID map.</summary>
internal static class TargetMapper
{
    public static JsonObject SourceIdMetafield(string sourceId) => new()
    {
        ["namespace"] = ShopifyDocuments.Namespace,
        ["key"] = ShopifyDocuments.SourceIdKey,
        ["type"] = ShopifyConstants.SourceIdType,
        ["value"] = sourceId,
    };

    public static JsonObject CustomId(string sourceId) => new()
    {
        ["namespace"] = ShopifyDocuments.Namespace,
        ["key"] = ShopifyDocuments.SourceIdKey,
        ["value"] = sourceId,
    };

    public static string Num(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- products

    public static MutationPlan Product(TargetRecord record, string currency)
    {
        var p = (Product)record.Entity;
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(p.Name))
        {
            throw new InvalidOperationException("The product has no name; Shopify requires a title.");
        }

        var input = new JsonObject
        {
            ["title"] = p.Name,
            ["descriptionHtml"] = p.Description ?? string.Empty,
            ["status"] = p.Status switch
            {
                PublishStatus.Active => "ACTIVE",
                PublishStatus.Archived => "ARCHIVED",
                PublishStatus.Private => "UNLISTED",
                _ => "DRAFT",
            },
            ["tags"] = Strings(p.Tags),
        };
        if (Handle(p.Slug) is { } handle)
        {
            input["handle"] = handle;
        }

        if (p.ProductType is not null)
        {
            input["productType"] = p.ProductType;
        }

        if (p.Extensions.TryGetValue("shopify.vendor", out string? vendor))
        {
            input["vendor"] = vendor;
        }

        if (p.Seo is { } seo && (seo.Title is not null || seo.Description is not null))
        {
            input["seo"] = new JsonObject { ["title"] = seo.Title, ["description"] = seo.Description };
        }

        // Options and variants.
        var variantPlans = new List<(string SourceId, IReadOnlyList<KeyValuePair<string, string>> Options)>();
        var options = new JsonArray();
        var variants = new JsonArray();
        if (p.Variants.Count == 0 || p.Kind != ProductKind.Variable)
        {
            options.Add(new JsonObject { ["name"] = "Title", ["position"] = 1, ["values"] = new JsonArray(new JsonObject { ["name"] = "Default Title" }) });
            JsonObject v = Variant(p.Sku, null, p.Price, p.SalePrice, 1, [new("Title", "Default Title")]);
            v["metafields"] = new JsonArray(SourceIdMetafield(p.SourceId));
            variants.Add(v);
            if (p.Variants.Count > 0 && p.Kind != ProductKind.Variable)
            {
                warnings.Add($"The {p.Kind.ToString().ToLowerInvariant()} product carried {p.Variants.Count} variants; Shopify received it as a single-variant product.");
            }
        }
        else
        {
            (List<ProductOption> used, List<(ProductVariant Variant, List<KeyValuePair<string, string>> Values, bool Expanded)> expanded) = ExpandVariants(p, warnings);
            if (used.Count > ShopifyConstants.MaxOptions)
            {
                throw new InvalidOperationException($"The product has {used.Count} options ({string.Join(", ", used.Select(o => o.Name))}); Shopify allows at most {ShopifyConstants.MaxOptions}.");
            }

            if (expanded.Count > ShopifyConstants.MaxVariants)
            {
                throw new InvalidOperationException($"The product has {expanded.Count} variants after expansion; Shopify allows at most {ShopifyConstants.MaxVariants}.");
            }

            int position = 1;
            foreach (ProductOption option in used)
            {
                options.Add(new JsonObject
                {
                    ["name"] = option.Name,
                    ["position"] = position++,
                    ["values"] = new JsonArray(option.Values.Select(v => (JsonNode)new JsonObject { ["name"] = v }).ToArray()),
                });
            }

            int vp = 1;
            foreach ((ProductVariant variant, List<KeyValuePair<string, string>> values, bool isCopy) in expanded)
            {
                JsonObject v = Variant(variant.Sku, variant.Barcode, variant.Price ?? p.Price, variant.SalePrice ?? (variant.Price is null ? p.SalePrice : null), vp++, values);
                if (!isCopy)
                {
                    v["metafields"] = new JsonArray(SourceIdMetafield(variant.SourceId));
                    variantPlans.Add((variant.SourceId, values));
                }
                else if (v["sku"] is not null)
                {
                    v.Remove("sku"); // SKUs identify one variant; the expanded copies carry none.
                }

                variants.Add(v);
            }
        }

        input["productOptions"] = options;
        input["variants"] = variants;
        if (p.Variants.Count == 0 || p.Kind != ProductKind.Variable)
        {
            variantPlans.Add((p.SourceId, [new("Title", "Default Title")]));
        }

        input["files"] = new JsonArray(p.Images.OrderBy(i => i.Position).Select(i => (JsonNode)new JsonObject
        {
            ["originalSource"] = i.Url,
            ["alt"] = i.Alt ?? string.Empty,
            ["contentType"] = "IMAGE",
        }).ToArray());

        var metafields = new JsonArray(SourceIdMetafield(p.SourceId));
        if (!string.IsNullOrWhiteSpace(p.ShortDescription))
        {
            metafields.Add(new JsonObject { ["namespace"] = ShopifyDocuments.Namespace, ["key"] = "short_description", ["type"] = "multi_line_text_field", ["value"] = p.ShortDescription });
        }

        foreach ((ReferenceRole role, string key) in LinkKeys)
        {
            List<string> ids = p.GetReferences().Where(r => r.Role == role)
                .Select(r => record.TryResolve(r.Target, out ResolvedTarget t) ? t.TargetId : null).OfType<string>().ToList();
            if (ids.Count > 0)
            {
                metafields.Add(ProductList(key, ids));
            }
        }

        input["metafields"] = metafields;
        var collections = new JsonArray();
        foreach (string categoryId in p.CategoryIds)
        {
            if (record.TryResolve(new EntityRef(EntityType.Categories, categoryId), out ResolvedTarget c))
            {
                collections.Add(Handles.Gid("Collection", c.TargetId));
            }
        }

        input["collections"] = collections;
        if (p.Kind == ProductKind.External && p.ExternalUrl is not null)
        {
            warnings.Add("Shopify has no external (affiliate) products; the product was created as an ordinary product and its external URL is kept in the nextcart.external_url metafield.");
            metafields.Add(new JsonObject { ["namespace"] = ShopifyDocuments.Namespace, ["key"] = "external_url", ["type"] = "url", ["value"] = p.ExternalUrl });
        }

        if (p.StockQuantity is not null || p.Variants.Any(v => v.StockQuantity is not null))
        {
            warnings.Add("Stock quantities were not written: Shopify keeps inventory per location and the connector does not set inventory levels.");
        }

        var identifier = record.Action == WriteAction.Update
            ? new JsonObject { ["id"] = Handles.Gid("Product", record.ExistingTargetId!) }
            : new JsonObject { ["customId"] = CustomId(p.SourceId) };
        _ = currency;
        return new MutationPlan(ShopifyDocuments.ProductSet, new JsonObject { ["identifier"] = identifier, ["input"] = input, ["variants"] = Math.Max(1, variants.Count) })
        {
            Warnings = warnings,
            Variants = variantPlans,
            UrlPrefix = "/products/",
        };
    }

    public static readonly (ReferenceRole Role, string Key)[] LinkKeys =
    [
        (ReferenceRole.Related, "related_products"),
        (ReferenceRole.Upsell, "upsell_products"),
        (ReferenceRole.CrossSell, "cross_sell_products"),
        (ReferenceRole.GroupedChild, "grouped_products"),
    ];

    public static JsonObject ProductList(string key, IEnumerable<string> targetIds) => new()
    {
        ["namespace"] = ShopifyDocuments.Namespace,
        ["key"] = key,
        ["type"] = "list.product_reference",
        ["value"] = JsonSerializer.Serialize(targetIds.Select(id => Handles.Gid("Product", id)).Distinct(StringComparer.Ordinal).ToArray()),
    };

    /// <summary>
    /// Chooses the options that build variants and expands "any value" variants (a <see langword="null"/> option value) into one
    /// variant per value the parent lists, skipping combinations another variant already has.
    /// </summary>
    internal static (List<ProductOption> Options, List<(ProductVariant Variant, List<KeyValuePair<string, string>> Values, bool Expanded)> Variants) ExpandVariants(Product p, List<string> warnings)
    {
        var names = p.Variants.SelectMany(v => v.OptionValues.Select(o => o.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var used = new List<ProductOption>();
        foreach (string name in names)
        {
            ProductOption? declared = p.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            var values = new List<string>(declared?.Values ?? []);
            foreach (ProductVariant v in p.Variants)
            {
                if (v.OptionValues.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))?.Value is { Length: > 0 } value
                    && !values.Contains(value, StringComparer.Ordinal))
                {
                    values.Add(value);
                }
            }

            used.Add(new ProductOption { Name = declared?.Name ?? name, Values = values });
        }

        var result = new List<(ProductVariant, List<KeyValuePair<string, string>>, bool)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var anyValue = new List<(ProductVariant Variant, List<List<KeyValuePair<string, string>>> Combos)>();
        foreach (ProductVariant variant in p.Variants.OrderBy(v => v.Position))
        {
            var combos = new List<List<KeyValuePair<string, string>>> { new() };
            bool any = false;
            foreach (ProductOption option in used)
            {
                string? value = variant.OptionValues.FirstOrDefault(o => string.Equals(o.Name, option.Name, StringComparison.OrdinalIgnoreCase))?.Value;
                if (string.IsNullOrEmpty(value))
                {
                    any = true;
                    combos = combos.SelectMany(c => option.Values.Select(v => new List<KeyValuePair<string, string>>(c) { new(option.Name, v) })).ToList();
                }
                else
                {
                    combos.ForEach(c => c.Add(new(option.Name, value)));
                }
            }

            if (any)
            {
                anyValue.Add((variant, combos));
            }
            else if (seen.Add(Key(combos[0])))
            {
                result.Add((variant, combos[0], false));
            }
            else
            {
                warnings.Add($"Variant {variant.SourceId} has the same option values as another variant ({Key(combos[0])}) and was not written.");
            }
        }

        // Explicit variants win over the copies of an "any value" variant; its first new combination keeps its identity.
        foreach ((ProductVariant variant, List<List<KeyValuePair<string, string>>> combos) in anyValue)
        {
            var added = combos.Where(c => seen.Add(Key(c))).ToList();
            for (int i = 0; i < added.Count; i++)
            {
                result.Add((variant, added[i], i > 0));
            }

            warnings.Add(added.Count == 0
                ? $"Variant {variant.SourceId} applies to any value of an option, and every value already has its own variant; it was not written."
                : $"Variant {variant.SourceId} applies to any value of an option; Shopify needs a value, so it was expanded into {added.Count} variants ({string.Join("; ", added.Select(Key))}).");
        }

        return (used, result);
    }

    internal static string Key(IEnumerable<KeyValuePair<string, string>> values) => string.Join(" / ", values.Select(v => v.Key + "=" + v.Value));

    private static JsonObject Variant(string? sku, string? barcode, Money? price, Money? sale, int position, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var v = new JsonObject
        {
            ["optionValues"] = new JsonArray(values.Select(x => (JsonNode)new JsonObject { ["optionName"] = x.Key, ["name"] = x.Value }).ToArray()),
            ["position"] = position,
            ["inventoryPolicy"] = "DENY",
            ["taxable"] = true,
        };
        if (sale is { } s && price is { } regular && s.Amount < regular.Amount)
        {
            v["price"] = Num(s.Amount);
            v["compareAtPrice"] = Num(regular.Amount);
        }
        else if (price is { } only)
        {
            v["price"] = Num(only.Amount);
        }
        else if (sale is { } saleOnly)
        {
            v["price"] = Num(saleOnly.Amount);
        }

        if (!string.IsNullOrEmpty(sku))
        {
            v["sku"] = sku;
        }

        if (!string.IsNullOrEmpty(barcode))
        {
            v["barcode"] = barcode;
        }

        return v;
    }

    // ---------------------------------------------------------------- collections

    public static MutationPlan Collection(TargetRecord record, string? parentTitle)
    {
        var c = (Category)record.Entity;
        var warnings = new List<string>();
        string title = parentTitle is null ? c.Name : parentTitle + " / " + c.Name;
        if (parentTitle is not null)
        {
            warnings.Add($"Shopify collections are flat; the nested category was written as the collection '{title}' and its parent's source id is kept in the nextcart.parent_id metafield.");
        }

        var metafields = new JsonArray(SourceIdMetafield(c.SourceId));
        if (c.ParentId is not null)
        {
            metafields.Add(new JsonObject { ["namespace"] = ShopifyDocuments.Namespace, ["key"] = "parent_id", ["type"] = ShopifyConstants.SourceIdType, ["value"] = c.ParentId });
        }

        var input = new JsonObject
        {
            ["title"] = title,
            ["descriptionHtml"] = c.Description ?? string.Empty,
            ["metafields"] = metafields,
        };
        if ((Handle(c.Slug) ?? Handle(c.Name)) is { } handle)
        {
            input["handle"] = handle;
        }

        if (c.Seo is { } seo && (seo.Title is not null || seo.Description is not null))
        {
            input["seo"] = new JsonObject { ["title"] = seo.Title, ["description"] = seo.Description };
        }

        if (c.Image is not null)
        {
            warnings.Add("The category image was not copied; set the collection image in the Shopify admin.");
        }

        if (record.Action == WriteAction.Update)
        {
            input["id"] = Handles.Gid("Collection", record.ExistingTargetId!);
            input.Remove("metafields");
            input["metafields"] = metafields;
            return new MutationPlan(ShopifyDocuments.CollectionUpdate, new JsonObject { ["input"] = input }) { Warnings = warnings, UrlPrefix = "/collections/" };
        }

        return new MutationPlan(ShopifyDocuments.CollectionCreate, new JsonObject { ["input"] = input }) { Warnings = warnings, UrlPrefix = "/collections/" };
    }

    // ---------------------------------------------------------------- customers

    public static MutationPlan Customer(TargetRecord record)
    {
        var c = (Customer)record.Entity;
        var input = new JsonObject
        {
            ["firstName"] = c.FirstName,
            ["lastName"] = c.LastName,
            ["note"] = c.Note,
            ["tags"] = Strings(c.Group is { Length: > 0 } g && !c.Tags.Contains(g) ? [.. c.Tags, g] : c.Tags),
            ["addresses"] = new JsonArray(c.Addresses.Select(a => (JsonNode)Address(a)).ToArray()),
        };
        if (!string.IsNullOrWhiteSpace(c.Email))
        {
            input["email"] = c.Email.Trim();
        }

        if (!string.IsNullOrWhiteSpace(c.Phone))
        {
            input["phone"] = c.Phone;
        }

        JsonObject identifier = record.Action == WriteAction.Update
            ? new JsonObject { ["id"] = Handles.Gid("Customer", record.ExistingTargetId!) }
            : !string.IsNullOrWhiteSpace(c.Email)
                ? new JsonObject { ["email"] = c.Email.Trim() }
                : new JsonObject { ["customId"] = CustomId(c.SourceId) };
        return new MutationPlan(ShopifyDocuments.CustomerSet, new JsonObject { ["identifier"] = identifier, ["input"] = input });
    }

    public static JsonObject Address(Address a)
    {
        var o = new JsonObject
        {
            ["address1"] = a.Line1,
            ["address2"] = a.Line2,
            ["city"] = a.City,
            ["company"] = a.Company,
            ["firstName"] = a.FirstName,
            ["lastName"] = a.LastName,
            ["phone"] = a.Phone,
            ["zip"] = a.PostalCode,
        };
        if (a.CountryCode is { Length: 2 } country)
        {
            o["countryCode"] = country.ToUpperInvariant();
        }

        if (!string.IsNullOrEmpty(a.Region))
        {
            o["provinceCode"] = a.Region;
        }

        return o;
    }

    // ---------------------------------------------------------------- orders

    public static MutationPlan Order(TargetRecord record, IReadOnlyDictionary<string, string> defaultVariants, string defaultCurrency)
    {
        var o = (Order)record.Entity;
        var warnings = new List<string>();
        string currency = string.IsNullOrEmpty(o.Currency) ? defaultCurrency : o.Currency.ToUpperInvariant();
        if (record.Action == WriteAction.Update)
        {
            var update = new JsonObject
            {
                ["id"] = Handles.Gid("Order", record.ExistingTargetId!),
                ["note"] = Note(o),
                ["tags"] = Strings(OrderTags(o)),
                ["metafields"] = new JsonArray(SourceIdMetafield(o.SourceId)),
            };
            if (o.Email is not null)
            {
                update["email"] = o.Email;
            }

            if (o.ShippingAddress is { } ship)
            {
                update["shippingAddress"] = Address(ship);
            }

            warnings.Add("Shopify orders cannot change their lines, totals or status after creation; only the note, tags, e-mail and shipping address were updated.");
            return new MutationPlan(ShopifyDocuments.OrderUpdate, new JsonObject { ["input"] = update }) { Warnings = warnings };
        }

        if (o.Lines.Count == 0)
        {
            throw new InvalidOperationException("The order has no lines; Shopify requires at least one line item.");
        }

        var lines = new JsonArray();
        foreach (OrderLine line in o.Lines)
        {
            if (line.Quantity < 1)
            {
                throw new InvalidOperationException($"Order line {line.SourceId} has quantity {line.Quantity}; Shopify requires at least 1.");
            }

            var item = new JsonObject
            {
                ["quantity"] = line.Quantity,
                ["priceSet"] = MoneyBag(line.UnitPrice.Amount, currency),
            };
            string? variantId = null;
            if (line.ProductId is not null && line.VariantId is not null && record.TryResolve(EntityRef.Variant(line.ProductId, line.VariantId), out ResolvedTarget variant))
            {
                variantId = variant.TargetId;
            }
            else if (line.ProductId is not null && record.TryResolve(EntityRef.Product(line.ProductId), out ResolvedTarget product)
                && defaultVariants.TryGetValue(Handles.Tail(product.TargetId), out string? defaultVariant))
            {
                variantId = defaultVariant;
                if (line.VariantId is not null)
                {
                    warnings.Add($"Line {line.SourceId}: variant {line.VariantId} was not migrated; the line points at the product's first variant.");
                }
            }

            if (variantId is not null)
            {
                item["variantId"] = Handles.Gid("ProductVariant", variantId);
            }
            else
            {
                item["title"] = line.Name;
            }

            if (line.Sku is not null)
            {
                item["sku"] = line.Sku;
            }

            lines.Add(item);
        }

        var order = new JsonObject
        {
            ["currency"] = currency,
            ["lineItems"] = lines,
            ["sourceName"] = "nextcart",
            ["sourceIdentifier"] = o.SourceId,
            ["financialStatus"] = o.Status switch
            {
                OrderStatuses.Pending or OrderStatuses.OnHold => "PENDING",
                OrderStatuses.Refunded => "REFUNDED",
                OrderStatuses.Cancelled or OrderStatuses.Failed => "VOIDED",
                _ => "PAID",
            },
            ["tags"] = Strings(OrderTags(o)),
            ["metafields"] = new JsonArray(SourceIdMetafield(o.SourceId)),
        };
        if (o.Number is { Length: > 0 } number)
        {
            order["name"] = number.StartsWith('#') ? number : "#" + number;
        }

        if (o.Email is { Length: > 0 } email)
        {
            order["email"] = email;
        }

        if (o.BillingAddress?.Phone is { Length: > 0 } phone)
        {
            order["phone"] = phone;
        }

        if (o.CreatedAt is { } created)
        {
            order["processedAt"] = ShopifyClient.Iso(created);
        }

        if (Note(o) is { } note)
        {
            order["note"] = note;
        }

        if (o.BillingAddress is { } billing)
        {
            order["billingAddress"] = Address(billing);
        }

        if (o.ShippingAddress is { } shipping)
        {
            order["shippingAddress"] = Address(shipping);
        }

        if (o.ShippingTotal is { Amount: > 0 } shippingTotal)
        {
            // Shipping lines are not written (the contract's orderCreate input carries none); the charge is kept as a metafield.
            ((JsonArray)order["metafields"]!).Add(new JsonObject
            {
                ["namespace"] = ShopifyDocuments.Namespace,
                ["key"] = "shipping",
                ["type"] = "json",
                ["value"] = new JsonObject { ["title"] = o.ShippingMethod ?? "Shipping", ["amount"] = Num(shippingTotal.Amount), ["currencyCode"] = currency }.ToJsonString(),
            });
        }

        if (o.CustomerId is not null && record.TryResolve(new EntityRef(EntityType.Customers, o.CustomerId), out ResolvedTarget customer))
        {
            order["customer"] = new JsonObject { ["toAssociate"] = new JsonObject { ["id"] = Handles.Gid("Customer", customer.TargetId) } };
        }

        return new MutationPlan(ShopifyDocuments.OrderCreate, new JsonObject { ["order"] = order }) { Warnings = warnings };
    }

    private static IEnumerable<string> OrderTags(Order o)
    {
        yield return "nextcart-status-" + o.Status;
        foreach (string code in o.CouponCodes)
        {
            yield return "coupon-" + code;
        }
    }

    private static string? Note(Order o)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.CustomerNote))
        {
            parts.Add(o.CustomerNote);
        }

        foreach (OrderNote n in o.Notes.OrderBy(n => n.CreatedAt))
        {
            string when = n.CreatedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + ": " : string.Empty;
            parts.Add(when + n.Content);
        }

        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    private static JsonObject MoneyBag(decimal amount, string currency)
        => new() { ["shopMoney"] = new JsonObject { ["amount"] = Num(amount), ["currencyCode"] = currency } };

    // ---------------------------------------------------------------- coupons

    public static MutationPlan Coupon(TargetRecord record)
    {
        var c = (Coupon)record.Entity;
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(c.Code))
        {
            throw new InvalidOperationException("The coupon has no code.");
        }

        JsonObject value = c.Kind == DiscountKind.Percentage
            ? new JsonObject { ["percentage"] = (double)Math.Clamp(c.Amount / 100m, 0m, 1m) }
            : new JsonObject { ["discountAmount"] = new JsonObject { ["amount"] = Num(c.Amount), ["appliesOnEachItem"] = c.Kind == DiscountKind.FixedProduct } };
        var products = c.ProductIds.Select(id => record.TryResolve(EntityRef.Product(id), out ResolvedTarget t) ? Handles.Gid("Product", t.TargetId) : null).OfType<string>().ToArray();
        var collections = c.CategoryIds.Select(id => record.TryResolve(new EntityRef(EntityType.Categories, id), out ResolvedTarget t) ? Handles.Gid("Collection", t.TargetId) : null).OfType<string>().ToArray();
        JsonObject items = products.Length > 0
            ? new JsonObject { ["products"] = new JsonObject { ["productsToAdd"] = new JsonArray(products.Select(x => (JsonNode)x).ToArray()) } }
            : collections.Length > 0
                ? new JsonObject { ["collections"] = new JsonObject { ["add"] = new JsonArray(collections.Select(x => (JsonNode)x).ToArray()) } }
                : new JsonObject { ["all"] = true };
        if (products.Length > 0 && collections.Length > 0)
        {
            warnings.Add("A Shopify basic discount applies to products or to collections, not both; the category restriction was dropped and the product restriction kept.");
        }

        if (c.ExcludedProductIds.Count > 0 || c.ExcludedCategoryIds.Count > 0)
        {
            warnings.Add("Shopify basic discounts cannot exclude products or collections; the exclusions were not copied.");
        }

        if (c.EmailRestrictions.Count > 0)
        {
            warnings.Add("The coupon's e-mail restrictions were not copied; Shopify restricts discounts to customers or segments, not to e-mail addresses.");
        }

        if (c.FreeShipping)
        {
            warnings.Add("The coupon also granted free shipping; a Shopify basic discount cannot, so create a free-shipping discount for it.");
        }

        if (c.MaximumAmount is not null)
        {
            warnings.Add("Shopify discounts have no maximum order amount; it was not copied.");
        }

        var input = new JsonObject
        {
            ["title"] = string.IsNullOrWhiteSpace(c.Description) ? c.Code : c.Description,
            ["code"] = c.Code,
            ["startsAt"] = ShopifyClient.Iso(c.StartsAt ?? c.CreatedAt ?? DateTimeOffset.UnixEpoch),
            ["endsAt"] = c.ExpiresAt is { } end ? ShopifyClient.Iso(end) : null,
            ["usageLimit"] = c.UsageLimit,
            ["appliesOncePerCustomer"] = c.UsageLimitPerCustomer == 1,
            ["context"] = new JsonObject { ["all"] = "ALL" },
            ["customerGets"] = new JsonObject { ["value"] = value, ["items"] = items },
        };
        if (c.MinimumAmount is { } minimum && minimum > 0)
        {
            input["minimumRequirement"] = new JsonObject { ["subtotal"] = new JsonObject { ["greaterThanOrEqualToSubtotal"] = Num(minimum) } };
        }

        if (record.Action == WriteAction.Update)
        {
            return new MutationPlan(ShopifyDocuments.DiscountCodeBasicUpdate, new JsonObject { ["id"] = Handles.Gid("DiscountCodeNode", record.ExistingTargetId!), ["basicCodeDiscount"] = input }) { Warnings = warnings };
        }

        return new MutationPlan(ShopifyDocuments.DiscountCodeBasicCreate, new JsonObject { ["basicCodeDiscount"] = input }) { Warnings = warnings };
    }

    // ---------------------------------------------------------------- content

    public static MutationPlan Page(TargetRecord record)
    {
        var p = (Page)record.Entity;
        var page = new JsonObject
        {
            ["title"] = p.Title,
            ["body"] = p.Body ?? string.Empty,
            ["isPublished"] = p.Status == PublishStatus.Active,
            ["metafields"] = new JsonArray(SourceIdMetafield(p.SourceId)),
        };
        page["handle"] = ContentHandle(p.GetIdentity());

        if (p.PublishedAt is { } published && p.Status == PublishStatus.Active)
        {
            page["publishDate"] = ShopifyClient.Iso(published);
        }

        return record.Action == WriteAction.Update
            ? new MutationPlan(ShopifyDocuments.PageUpdate, new JsonObject { ["id"] = Handles.Gid("Page", record.ExistingTargetId!), ["page"] = page }) { UrlPrefix = "/pages/" }
            : new MutationPlan(ShopifyDocuments.PageCreate, new JsonObject { ["page"] = page }) { UrlPrefix = "/pages/" };
    }

    public static MutationPlan Article(TargetRecord record, string blogId, string blogHandle)
    {
        var b = (BlogPost)record.Entity;
        var article = new JsonObject
        {
            ["title"] = b.Title,
            ["author"] = new JsonObject { ["name"] = string.IsNullOrWhiteSpace(b.Author) ? "Staff" : b.Author },
            ["blogId"] = blogId,
            ["body"] = b.Body ?? string.Empty,
            ["isPublished"] = b.Status == PublishStatus.Active,
            ["tags"] = Strings(b.Tags.Concat(b.BlogCategories).Distinct(StringComparer.Ordinal).ToArray()),
            ["metafields"] = new JsonArray(SourceIdMetafield(b.SourceId)),
        };
        if (!string.IsNullOrWhiteSpace(b.Excerpt))
        {
            article["summary"] = b.Excerpt;
        }

        article["handle"] = ContentHandle(b.GetIdentity());

        if (b.PublishedAt is { } published && b.Status == PublishStatus.Active)
        {
            article["publishDate"] = ShopifyClient.Iso(published);
        }

        List<string> warnings = b.FeaturedImage is null ? [] : ["The featured image was not copied; set the article image in the Shopify admin."];
        string prefix = "/blogs/" + blogHandle + "/";
        return record.Action == WriteAction.Update
            ? new MutationPlan(ShopifyDocuments.ArticleUpdate, new JsonObject { ["id"] = Handles.Gid("Article", record.ExistingTargetId!), ["article"] = article }) { UrlPrefix = prefix, Warnings = warnings }
            : new MutationPlan(ShopifyDocuments.ArticleCreate, new JsonObject { ["article"] = article }) { UrlPrefix = prefix, Warnings = warnings };
    }

    public static MutationPlan Redirect(TargetRecord record)
    {
        var r = (Redirect)record.Entity;
        string? target = r.ToPath;
        if (r.TargetEntity is { } entity)
        {
            if (!record.TryResolve(entity, out ResolvedTarget resolved) || string.IsNullOrEmpty(resolved.TargetUrl))
            {
                throw new InvalidOperationException($"The redirect points at {entity}, which has no URL on the target.");
            }

            target = resolved.TargetUrl;
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            throw new InvalidOperationException("The redirect has no target path.");
        }

        string path = PathOnly(r.FromPath);
        if (path == "/")
        {
            // A redirect from the home page would send every visitor of the shop away; it is always a source URL that lost its
            // query (a plain permalink such as /?p=12), never a page that moved.
            throw new InvalidOperationException($"The redirect from '{r.FromPath}' would redirect the shop's home page to {target}; it was not created.");
        }

        var input = new JsonObject { ["path"] = path, ["target"] = target };
        return record.Action == WriteAction.Update
            ? new MutationPlan(ShopifyDocuments.UrlRedirectUpdate, new JsonObject { ["id"] = Handles.Gid("UrlRedirect", record.ExistingTargetId!), ["urlRedirect"] = input })
            : new MutationPlan(ShopifyDocuments.UrlRedirectCreate, new JsonObject { ["urlRedirect"] = input });
    }

    public static string PathOnly(string fromPath)
    {
        string path = Uri.TryCreate(fromPath, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https" ? absolute.PathAndQuery : fromPath;
        return path.StartsWith('/') ? path : "/" + path;
    }

    public static JsonObject Review(Review r, string productTargetId) => new()
    {
        ["ownerId"] = Handles.Gid("Product", productTargetId),
        ["namespace"] = ShopifyConstants.ReviewNamespace,
        ["key"] = "review_" + Handles.Normalize(r.SourceId).Replace('-', '_'),
        ["type"] = "json",
        ["value"] = new JsonObject
        {
            ["sourceId"] = r.SourceId,
            ["rating"] = r.Rating,
            ["reviewer"] = r.ReviewerName,
            ["content"] = r.Content,
            ["approved"] = r.Approved,
            ["verifiedBuyer"] = r.VerifiedBuyer,
            ["createdAt"] = r.CreatedAt is { } at ? ShopifyClient.Iso(at) : null,
        }.ToJsonString(),
    };

    /// <summary>
    /// The handle a page or article is written with, and looked up by when a write's outcome was lost: from its natural key (the
    /// slug, or the title when it has none), or, when that leaves no handle (a title of symbols alone), from its source id. The
    /// write and the lookup compute it by this one function from the same identity, so any process finds what another wrote.
    /// </summary>
    public static string ContentHandle(SourceIdentity identity)
        => Handle(identity.NaturalKey) ?? Handle((identity.Type == EntityType.Pages ? "page-" : "post-") + identity.SourceId) ?? (identity.Type == EntityType.Pages ? "page" : "post");

    public static string? Handle(string? value) => string.IsNullOrWhiteSpace(value) ? null : Handles.Normalize(value) is { Length: > 0 } h ? h : null;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
