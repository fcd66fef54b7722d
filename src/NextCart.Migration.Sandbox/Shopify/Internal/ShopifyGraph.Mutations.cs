using System.Globalization;
using NextCart.Migration.Sandbox.Shopify.Internal.Gql;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>The mutation root. Business errors are <c>userErrors</c> in the payload with HTTP 200 (platforms.md §2.6).</summary>
internal sealed partial class ShopifyGraph
{
    /// <summary>The most metafields one <c>metafieldsSet</c> call takes.</summary>
    public const int MaxMetafieldsPerSet = 25;

    public GqlObj MutationRoot()
    {
        GqlObj root = new("Mutation");
        root.Lazy("productSet", ProductSet);
        root.Lazy("productDelete", ProductDelete);
        root.Lazy("collectionCreate", a => CollectionSave(a.Obj("input")!, false));
        root.Lazy("collectionUpdate", a => CollectionSave(a.Obj("input")!, true));
        root.Lazy("collectionAddProducts", CollectionAddProducts);
        root.Lazy("collectionDelete", a => Delete(a.Obj("input")?.Str("id"), "Collection", _store.Collections, "CollectionDeletePayload", "deletedCollectionId", "UserError"));
        root.Lazy("customerSet", CustomerSet);
        root.Lazy("customerDelete", a => Delete(a.Obj("input")?.Str("id"), "Customer", _store.Customers, "CustomerDeletePayload", "deletedCustomerId", "UserError"));
        root.Lazy("orderCreate", OrderCreate);
        root.Lazy("orderUpdate", OrderUpdate);
        root.Lazy("orderDelete", a => Delete(a.Str("orderId"), "Order", _store.Orders, "OrderDeletePayload", "deletedId", "OrderDeleteUserError"));
        root.Lazy("discountCodeBasicCreate", a => DiscountSave(a.Obj("basicCodeDiscount")!, null));
        root.Lazy("discountCodeBasicUpdate", a => DiscountSave(a.Obj("basicCodeDiscount")!, a.Str("id")));
        root.Lazy("discountCodeDelete", a => Delete(a.Str("id"), "DiscountCodeNode", _store.Discounts, "DiscountCodeDeletePayload", "deletedCodeDiscountId", "DiscountUserError"));
        root.Lazy("pageCreate", a => PageSave(a.Obj("page")!, null));
        root.Lazy("pageUpdate", a => PageSave(a.Obj("page")!, a.Str("id")));
        root.Lazy("pageDelete", a => Delete(a.Str("id"), "Page", _store.Pages, "PageDeletePayload", "deletedPageId", "PageDeleteUserError"));
        root.Lazy("blogCreate", BlogCreate);
        root.Lazy("articleCreate", a => ArticleSave(a.Obj("article")!, null));
        root.Lazy("articleUpdate", a => ArticleSave(a.Obj("article")!, a.Str("id")));
        root.Lazy("articleDelete", a => Delete(a.Str("id"), "Article", _store.Articles, "ArticleDeletePayload", "deletedArticleId", "ArticleDeleteUserError"));
        root.Lazy("urlRedirectCreate", a => RedirectSave(a.Obj("urlRedirect")!, null));
        root.Lazy("urlRedirectUpdate", a => RedirectSave(a.Obj("urlRedirect")!, a.Str("id")));
        root.Lazy("urlRedirectDelete", a => Delete(a.Str("id"), "UrlRedirect", _store.Redirects, "UrlRedirectDeletePayload", "deletedUrlRedirectId", "UrlRedirectUserError"));
        root.Lazy("metafieldsSet", MetafieldsSet);
        root.Lazy("metafieldDefinitionCreate", MetafieldDefinitionCreate);
        return root;
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private GqlObj Delete<T>(string? gid, string type, List<T> list, string payload, string field, string errorType)
        where T : OwnerRec
    {
        Errors errors = new(errorType);
        T? item = ShopifyStore.ParseGid(gid) is { } parsed && parsed.Type == type ? list.Find(x => x.Id == parsed.Id) : null;
        if (item is null)
        {
            string code = errorType switch
            {
                "UrlRedirectUserError" => "DELETE_FAILED",
                "UserError" or "DiscountUserError" => string.Empty,
                _ => "NOT_FOUND",
            };
            return errors.Add(["id"], type + " does not exist", code.Length > 0 ? code : null).Payload(payload, field);
        }

        _store.Remove(list, item);
        if (item is CollectionRec collection)
        {
            foreach (DiscountRec discount in _store.Discounts)
            {
                discount.CollectionIds.Remove(collection.Id);
            }
        }

        return errors.Payload(payload, field, item.Gid);
    }

    private void SetMetafields(OwnerRec owner, IReadOnlyList<Input> metafields, string[] path, Errors errors)
    {
        for (int i = 0; i < metafields.Count; i++)
        {
            Input m = metafields[i];
            if (m.Str("key") is not { } key || m.Str("value") is not { } value)
            {
                errors.Add([.. path, Index(i)], "Metafield key and value can't be blank", errors.TypeName == "UserError" ? null : "INVALID");
                continue;
            }

            if (_store.SetMetafield(owner, m.Str("namespace") ?? "$app", key, m.Str("type"), value) is { } problem)
            {
                errors.Add([.. path, Index(i), "value"], problem, errors.TypeName == "UserError" ? null : "TAKEN");
            }
        }
    }

    private GqlObj CollectionSave(Input input, bool update)
    {
        string payload = update ? "CollectionUpdatePayload" : "CollectionCreatePayload";
        Errors errors = new("UserError");
        CollectionRec? collection = null;
        if (update)
        {
            collection = Lookup<CollectionRec>(input.Str("id"), "Collection");
            if (collection is null)
            {
                return errors.Add(["id"], "Collection does not exist").Payload(payload, "collection");
            }
        }
        else if (input.Has("id"))
        {
            return errors.Add(["id"], "Id is not allowed when creating a collection").Payload(payload, "collection");
        }

        if (!update && string.IsNullOrWhiteSpace(input.Str("title")))
        {
            errors.Add(["title"], "Title can't be blank");
        }

        if (input.Str("handle") is { } handle && _store.Collections.Find(c => c.Handle == handle) is { } other && !ReferenceEquals(other, collection))
        {
            errors.Add(["handle"], $"Handle '{handle}' already exists. Please try a different handle.");
        }

        List<long> products = [];
        IReadOnlyList<string> productIds = input.Strs("products") ?? [];
        for (int i = 0; i < productIds.Count; i++)
        {
            if (ShopifyStore.ParseGid(productIds[i]) is { Type: "Product" } parsed && _store.FindProduct(parsed.Id) is not null)
            {
                products.Add(parsed.Id);
            }
            else
            {
                errors.Add(["products", Index(i)], "Product does not exist");
            }
        }

        if (errors.Any)
        {
            return errors.Payload(payload, "collection");
        }

        DateTimeOffset now = _store.Now();
        collection ??= new CollectionRec { Id = _store.NextId("Collection") };
        collection.Title = input.Str("title") ?? collection.Title;
        if (!update || input.Has("handle"))
        {
            CollectionRec self = collection;
            collection.Handle = input.Str("handle") ?? ShopifyStore.UniqueHandle(ShopifyStore.Handleize(collection.Title), h => _store.Collections.Exists(c => c.Handle == h && !ReferenceEquals(c, self)));
        }

        collection.DescriptionHtml = input.Has("descriptionHtml") ? input.Str("descriptionHtml") ?? string.Empty : collection.DescriptionHtml;
        if (input.Obj("seo") is { } seo)
        {
            collection.SeoTitle = seo.Str("title");
            collection.SeoDescription = seo.Str("description");
        }

        foreach (long id in products.Where(id => !collection.ProductIds.Contains(id)))
        {
            collection.ProductIds.Add(id);
        }

        collection.UpdatedAt = now;
        if (!update)
        {
            _store.Add(_store.Collections, collection);
        }

        SetMetafields(collection, input.Objs("metafields"), ["metafields"], errors);
        return errors.Payload(payload, "collection", Collection(collection));
    }

    private GqlObj CollectionAddProducts(GqlArgs args)
    {
        Errors errors = new("UserError");
        CollectionRec? collection = Lookup<CollectionRec>(args.Str("id"), "Collection");
        if (collection is null)
        {
            return errors.Add(["id"], "Collection does not exist").Payload("CollectionAddProductsPayload", "collection");
        }

        List<long> add = [];
        IReadOnlyList<object?> ids = args.List("productIds") ?? [];
        for (int i = 0; i < ids.Count; i++)
        {
            if (ShopifyStore.ParseGid(Input.Str(ids[i])) is { Type: "Product" } parsed && _store.FindProduct(parsed.Id) is not null)
            {
                add.Add(parsed.Id);
            }
            else
            {
                errors.Add(["productIds", Index(i)], "Product does not exist");
            }
        }

        if (errors.Any)
        {
            return errors.Payload("CollectionAddProductsPayload", "collection");
        }

        foreach (long id in add.Where(id => !collection.ProductIds.Contains(id)))
        {
            collection.ProductIds.Add(id);
        }

        collection.UpdatedAt = _store.Now();
        return errors.Payload("CollectionAddProductsPayload", "collection", Collection(collection));
    }

    private GqlObj CustomerSet(GqlArgs args)
    {
        Input input = args.Obj("input")!;
        Input? identifier = args.Obj("identifier");
        Errors errors = new("CustomerSetUserError");
        CustomerRec? customer = null;
        Input? customId = null;
        string? email = input.Str("email");
        if (identifier is not null)
        {
            if (identifier.Str("id") is { } id)
            {
                customer = Lookup<CustomerRec>(id, "Customer");
                if (customer is null)
                {
                    return errors.Add(["identifier", "id"], "Customer does not exist", "NOT_FOUND").Payload("CustomerSetPayload", "customer");
                }
            }
            else if (identifier.Str("email") is { } byEmail)
            {
                if (email is not null && !string.Equals(email, byEmail, StringComparison.OrdinalIgnoreCase))
                {
                    return errors.Add(["input", "email"], "The identifier value does not match the value in the input field.", "INPUT_MISMATCH").Payload("CustomerSetPayload", "customer");
                }

                email = byEmail;
                customer = _store.Customers.Find(c => string.Equals(c.Email, byEmail, StringComparison.OrdinalIgnoreCase));
            }
            else if (identifier.Str("phone") is { } byPhone)
            {
                customer = _store.Customers.Find(c => c.Phone == byPhone);
                input.Values.TryAdd("phone", byPhone);
            }
            else if (identifier.Obj("customId") is { } custom)
            {
                customId = custom;
                string ns = custom.Str("namespace") ?? "$app";
                if (_store.FindDefinition("CUSTOMER", ns, custom.Str("key") ?? string.Empty) is not { UniqueValues: true })
                {
                    return errors.Add(["identifier", "customId"], $"Metafield definition of type 'id' with namespace '{ns}' and key '{custom.Str("key")}' does not exist or does not have unique values enabled.", "NOT_FOUND").Payload("CustomerSetPayload", "customer");
                }

                customer = _store.FindByMetafield("CUSTOMER", ns, custom.Str("key")!, custom.Str("value")!) as CustomerRec;
            }
        }

        if (email is not null && _store.Customers.Find(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)) is { } holder && !ReferenceEquals(holder, customer))
        {
            errors.Add(["input", "email"], "Email has already been taken", "TAKEN");
        }

        if (input.Str("phone") is { } phone && _store.Customers.Find(c => c.Phone == phone) is { } phoneHolder && !ReferenceEquals(phoneHolder, customer))
        {
            errors.Add(["input", "phone"], "Phone has already been taken", "TAKEN");
        }

        bool creating = customer is null;
        if (creating && email is null && input.Str("phone") is null && string.IsNullOrWhiteSpace(input.Str("firstName")) && string.IsNullOrWhiteSpace(input.Str("lastName")))
        {
            errors.Add(["input"], "A name, phone number, or email address must be present", "BLANK");
        }

        if (errors.Any)
        {
            return errors.Payload("CustomerSetPayload", "customer");
        }

        DateTimeOffset now = _store.Now();
        customer ??= new CustomerRec { Id = _store.NextId("Customer"), CreatedAt = now };
        customer.Email = email ?? customer.Email;
        customer.FirstName = input.Has("firstName") ? input.Str("firstName") : customer.FirstName;
        customer.LastName = input.Has("lastName") ? input.Str("lastName") : customer.LastName;
        customer.Phone = input.Has("phone") ? input.Str("phone") : customer.Phone;
        customer.Note = input.Has("note") ? input.Str("note") : customer.Note;
        customer.TaxExempt = input.Bool("taxExempt") ?? customer.TaxExempt;
        if (input.Strs("tags") is { } tags)
        {
            customer.Tags = [.. tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        if (input.Has("addresses"))
        {
            customer.Addresses = [.. input.Objs("addresses").Select(AddressFrom)];
        }

        customer.UpdatedAt = now;
        if (creating)
        {
            _store.Add(_store.Customers, customer);
        }

        if (customId is not null)
        {
            _store.SetMetafield(customer, customId.Str("namespace") ?? "$app", customId.Str("key")!, null, customId.Str("value")!);
        }

        return errors.Payload("CustomerSetPayload", "customer", Customer(customer));
    }

    private AddressRec AddressFrom(Input a) => new()
    {
        Id = _store.NextId("MailingAddress"),
        Address1 = a.Str("address1"),
        Address2 = a.Str("address2"),
        City = a.Str("city"),
        Company = a.Str("company"),
        CountryCode = a.Str("countryCode"),
        ProvinceCode = a.Str("provinceCode"),
        Zip = a.Str("zip"),
        Phone = a.Str("phone"),
        FirstName = a.Str("firstName"),
        LastName = a.Str("lastName"),
    };

    private GqlObj OrderCreate(GqlArgs args)
    {
        Input order = args.Obj("order")!;
        Errors errors = new("OrderCreateUserError");
        IReadOnlyList<Input> lines = order.Objs("lineItems");
        if (lines.Count == 0)
        {
            errors.Add(["order", "lineItems"], "Line items must have at least one line item", "INVALID");
        }

        List<LineItemRec> items = [];
        for (int i = 0; i < lines.Count; i++)
        {
            Input line = lines[i];
            int quantity = line.Int("quantity") ?? 0;
            if (quantity < 1)
            {
                errors.Add(["order", "lineItems", Index(i), "quantity"], "Quantity must be greater than or equal to 1", "INVALID");
            }

            VariantRec? variant = null;
            if (line.Str("variantId") is { } variantId)
            {
                variant = ShopifyStore.ParseGid(variantId) is { Type: "ProductVariant" } parsed ? _store.FindVariant(parsed.Id) : null;
                if (variant is null)
                {
                    errors.Add(["order", "lineItems", Index(i), "variantId"], $"Variant {variantId} does not exist", "INVALID");
                    continue;
                }
            }

            ProductRec? product = variant is not null ? _store.FindProduct(variant.ProductId) : null;
            if (variant is null && line.Str("productId") is { } productId)
            {
                product = ShopifyStore.ParseGid(productId) is { Type: "Product" } parsed ? _store.FindProduct(parsed.Id) : null;
                if (product is null)
                {
                    errors.Add(["order", "lineItems", Index(i), "productId"], $"Product {productId} does not exist", "INVALID");
                    continue;
                }
            }

            string? title = line.Str("title") ?? (product is not null ? product.Title : null);
            if (title is null)
            {
                errors.Add(["order", "lineItems", Index(i), "title"], "Title can't be blank for a line item without a variant", "INVALID");
                continue;
            }

            decimal price = line.Obj("priceSet")?.Obj("shopMoney")?.Dec("amount") ?? variant?.Price ?? 0;
            items.Add(new LineItemRec { Title = title, Sku = line.Str("sku") ?? variant?.Sku, Quantity = quantity, UnitPrice = price, VariantId = variant?.Id, ProductId = product?.Id });
        }

        CustomerRec? customer = null;
        if (order.Obj("customer")?.Obj("toAssociate") is { } associate)
        {
            customer = associate.Str("id") is { } customerId
                ? (ShopifyStore.ParseGid(customerId) is { Type: "Customer" } parsed ? _store.Find<CustomerRec>(parsed.Id) : null)
                : _store.Customers.Find(c => string.Equals(c.Email, associate.Str("email"), StringComparison.OrdinalIgnoreCase));
            if (customer is null)
            {
                errors.Add(["order", "customer", "toAssociate"], "Customer does not exist", "INVALID");
            }
        }

        DateTimeOffset now = _store.Now();
        DateTimeOffset? processedAt = order.Str("processedAt") is { } processed ? ParseDate(processed) : now;
        if (processedAt is null || processedAt > now)
        {
            errors.Add(["order", "processedAt"], "Processed at must not be in the future", "PROCESSED_AT_INVALID");
        }

        if (errors.Any)
        {
            return errors.Payload("OrderCreatePayload", "order");
        }

        foreach (LineItemRec item in items)
        {
            item.Id = _store.NextId("LineItem");
        }

        decimal subtotal = items.Sum(i => i.UnitPrice * i.Quantity);
        OrderRec record = new()
        {
            Id = _store.NextId("Order"),
            Name = order.Str("name") ?? _store.NextOrderName(),
            Email = order.Str("email") ?? customer?.Email,
            Phone = order.Str("phone"),
            CreatedAt = now,
            UpdatedAt = now,
            ProcessedAt = processedAt!.Value,
            Currency = order.Str("currency") ?? _store.Currency,
            FinancialStatus = order.Str("financialStatus") ?? "PAID",
            Note = order.Str("note"),
            Tags = [.. (order.Strs("tags") ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            SourceName = order.Str("sourceName"),
            SourceIdentifier = order.Str("sourceIdentifier"),
            Subtotal = subtotal,
            Total = subtotal,
            BillingAddress = order.Obj("billingAddress") is { } billing ? AddressFrom(billing) : null,
            ShippingAddress = order.Obj("shippingAddress") is { } shipping ? AddressFrom(shipping) : null,
            CustomerId = customer?.Id,
            LineItems = items,
        };
        _store.NoteOrderName(record.Name);
        _store.Add(_store.Orders, record);
        SetMetafields(record, order.Objs("metafields"), ["order", "metafields"], errors);
        return errors.Payload("OrderCreatePayload", "order", Order(record));
    }

    private GqlObj OrderUpdate(GqlArgs args)
    {
        Input input = args.Obj("input")!;
        Errors errors = new("UserError");
        OrderRec? order = Lookup<OrderRec>(input.Str("id"), "Order");
        if (order is null)
        {
            return errors.Add(["id"], "Order does not exist").Payload("OrderUpdatePayload", "order");
        }

        order.Note = input.Has("note") ? input.Str("note") : order.Note;
        order.Email = input.Has("email") ? input.Str("email") : order.Email;
        if (input.Strs("tags") is { } tags)
        {
            order.Tags = [.. tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        if (input.Obj("shippingAddress") is { } shipping)
        {
            order.ShippingAddress = AddressFrom(shipping);
        }

        SetMetafields(order, input.Objs("metafields"), ["metafields"], errors);
        order.UpdatedAt = _store.Now();
        return errors.Payload("OrderUpdatePayload", "order", Order(order));
    }

    private GqlObj DiscountSave(Input input, string? id)
    {
        string payload = id is null ? "DiscountCodeBasicCreatePayload" : "DiscountCodeBasicUpdatePayload";
        Errors errors = new("DiscountUserError");
        DiscountRec? discount = null;
        if (id is not null)
        {
            discount = Lookup<DiscountRec>(id, "DiscountCodeNode");
            if (discount is null)
            {
                return errors.Add(["id"], "Discount does not exist", "INVALID").Payload(payload, "codeDiscountNode");
            }
        }

        string? code = input.Str("code");
        if (discount is null && string.IsNullOrWhiteSpace(code))
        {
            errors.Add(["basicCodeDiscount", "code"], "Code can't be blank", "BLANK");
        }

        if (code is not null && _store.Discounts.Find(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase)) is { } other && !ReferenceEquals(other, discount))
        {
            errors.Add(["basicCodeDiscount", "code"], "Code must be unique. Please try a different code.", "TAKEN");
        }

        if (discount is null && string.IsNullOrWhiteSpace(input.Str("title")))
        {
            errors.Add(["basicCodeDiscount", "title"], "Title can't be blank", "BLANK");
        }

        Input? gets = input.Obj("customerGets");
        if (discount is null && gets is null)
        {
            errors.Add(["basicCodeDiscount", "customerGets"], "Customer gets can't be blank", "BLANK");
        }

        double? percentage = gets?.Obj("value")?.Get("percentage") switch
        {
            double d => d,
            long l => l,
            _ => null,
        };
        if (percentage is < 0 or > 1)
        {
            errors.Add(["basicCodeDiscount", "customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
        }

        DateTimeOffset now = _store.Now();
        DateTimeOffset? startsAt = input.Str("startsAt") is { } starts ? ParseDate(starts) : null;
        DateTimeOffset? endsAt = input.Str("endsAt") is { } ends ? ParseDate(ends) : null;
        if (endsAt is not null && endsAt < (startsAt ?? discount?.StartsAt ?? now))
        {
            errors.Add(["basicCodeDiscount", "endsAt"], "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE");
        }

        List<long> products = [], collections = [];
        if (gets?.Obj("items") is { } items)
        {
            foreach (string gid in items.Obj("products")?.Strs("productsToAdd") ?? [])
            {
                if (ShopifyStore.ParseGid(gid) is { Type: "Product" } parsed && _store.FindProduct(parsed.Id) is not null)
                {
                    products.Add(parsed.Id);
                }
                else
                {
                    errors.Add(["basicCodeDiscount", "customerGets", "items", "products", "productsToAdd"], $"Product {gid} does not exist", "INVALID");
                }
            }

            foreach (string gid in items.Obj("collections")?.Strs("add") ?? [])
            {
                if (ShopifyStore.ParseGid(gid) is { Type: "Collection" } parsed && _store.Find<CollectionRec>(parsed.Id) is not null)
                {
                    collections.Add(parsed.Id);
                }
                else
                {
                    errors.Add(["basicCodeDiscount", "customerGets", "items", "collections", "add"], $"Collection {gid} does not exist", "INVALID");
                }
            }
        }

        if (errors.Any)
        {
            return errors.Payload(payload, "codeDiscountNode");
        }

        bool creating = discount is null;
        discount ??= new DiscountRec { Id = _store.NextId("DiscountCodeNode"), CodeId = _store.NextId("DiscountRedeemCode"), CreatedAt = now, StartsAt = now };
        discount.Code = code ?? discount.Code;
        discount.Title = input.Str("title") ?? discount.Title;
        discount.StartsAt = startsAt ?? discount.StartsAt;
        discount.EndsAt = input.Has("endsAt") ? endsAt : discount.EndsAt;
        discount.UsageLimit = input.Has("usageLimit") ? input.Int("usageLimit") : discount.UsageLimit;
        discount.AppliesOncePerCustomer = input.Bool("appliesOncePerCustomer") ?? discount.AppliesOncePerCustomer;
        if (gets is not null)
        {
            if (gets.Obj("value") is { } value)
            {
                discount.Percentage = percentage;
                discount.Amount = value.Obj("discountAmount")?.Dec("amount");
                discount.AppliesOnEachItem = value.Obj("discountAmount")?.Bool("appliesOnEachItem") ?? false;
            }

            if (gets.Obj("items") is not null)
            {
                discount.ProductIds = products;
                discount.CollectionIds = collections;
            }
        }

        if (input.Obj("minimumRequirement") is { } minimum)
        {
            discount.MinimumSubtotal = minimum.Obj("subtotal")?.Dec("greaterThanOrEqualToSubtotal");
            discount.MinimumQuantity = minimum.Obj("quantity")?.Str("greaterThanOrEqualToQuantity") is { } q && long.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
        }

        discount.UpdatedAt = now;
        if (creating)
        {
            _store.Add(_store.Discounts, discount);
        }

        return errors.Payload(payload, "codeDiscountNode", DiscountCodeNode(discount));
    }

    private GqlObj PageSave(Input input, string? id)
    {
        string payload = id is null ? "PageCreatePayload" : "PageUpdatePayload";
        Errors errors = new(id is null ? "PageCreateUserError" : "PageUpdateUserError");
        PageRec? page = null;
        if (id is not null)
        {
            page = Lookup<PageRec>(id, "Page");
            if (page is null)
            {
                return errors.Add(["id"], "Page does not exist", "INVALID").Payload(payload, "page");
            }
        }

        if (page is null && string.IsNullOrWhiteSpace(input.Str("title")))
        {
            errors.Add(["page", "title"], "Title can't be blank", "BLANK");
        }

        if (input.Str("handle") is { } handle && _store.Pages.Find(p => p.Handle == handle) is { } other && !ReferenceEquals(other, page))
        {
            errors.Add(["page", "handle"], "Handle has already been taken", "TAKEN");
        }

        if (errors.Any)
        {
            return errors.Payload(payload, "page");
        }

        DateTimeOffset now = _store.Now();
        bool creating = page is null;
        page ??= new PageRec { Id = _store.NextId("Page"), CreatedAt = now, IsPublished = true, PublishedAt = now };
        page.Title = input.Str("title") ?? page.Title;
        if (creating || input.Has("handle"))
        {
            PageRec self = page;
            page.Handle = input.Str("handle") ?? ShopifyStore.UniqueHandle(ShopifyStore.Handleize(page.Title), h => _store.Pages.Exists(p => p.Handle == h && !ReferenceEquals(p, self)));
        }

        page.Body = input.Has("body") ? input.Str("body") ?? string.Empty : page.Body;
        ApplyPublication(input, now, v => page.IsPublished = v, v => page.PublishedAt = v, page.IsPublished, page.PublishedAt);
        page.UpdatedAt = now;
        if (creating)
        {
            _store.Add(_store.Pages, page);
        }

        SetMetafields(page, input.Objs("metafields"), ["page", "metafields"], errors);
        return errors.Payload(payload, "page", Page(page));
    }

    private static void ApplyPublication(Input input, DateTimeOffset now, Action<bool> setPublished, Action<DateTimeOffset?> setDate, bool published, DateTimeOffset? date)
    {
        if (input.Bool("isPublished") is { } isPublished)
        {
            setPublished(isPublished);
            setDate(isPublished ? (input.Str("publishDate") is { } d ? ParseDate(d) : date ?? now) : null);
        }
        else if (input.Str("publishDate") is { } publishDate)
        {
            setPublished(true);
            setDate(ParseDate(publishDate));
        }
        else
        {
            setPublished(published);
        }
    }

    private GqlObj BlogCreate(GqlArgs args)
    {
        Input input = args.Obj("blog")!;
        Errors errors = new("BlogCreateUserError");
        if (string.IsNullOrWhiteSpace(input.Str("title")))
        {
            return errors.Add(["blog", "title"], "Title can't be blank", "INVALID").Payload("BlogCreatePayload", "blog");
        }

        BlogRec blog = new() { Id = _store.NextId("Blog"), Title = input.Str("title")! };
        blog.Handle = input.Str("handle") ?? ShopifyStore.UniqueHandle(ShopifyStore.Handleize(blog.Title), h => _store.Blogs.Exists(b => b.Handle == h));
        _store.Add(_store.Blogs, blog);
        return errors.Payload("BlogCreatePayload", "blog", Blog(blog));
    }

    private GqlObj ArticleSave(Input input, string? id)
    {
        string payload = id is null ? "ArticleCreatePayload" : "ArticleUpdatePayload";
        Errors errors = new(id is null ? "ArticleCreateUserError" : "ArticleUpdateUserError");
        ArticleRec? article = null;
        if (id is not null)
        {
            article = Lookup<ArticleRec>(id, "Article");
            if (article is null)
            {
                return errors.Add(["id"], "Article does not exist", "NOT_FOUND").Payload(payload, "article");
            }
        }

        BlogRec? blog = null;
        if (input.Str("blogId") is { } blogId)
        {
            blog = ShopifyStore.ParseGid(blogId) is { Type: "Blog" } parsed ? _store.Find<BlogRec>(parsed.Id) : null;
            if (blog is null)
            {
                errors.Add(["article", "blogId"], "Blog does not exist", "NOT_FOUND");
            }
        }
        else if (article is null)
        {
            errors.Add(["article", "blogId"], "Must reference or create a blog when creating an article.", "BLOG_REFERENCE_REQUIRED");
        }

        if (article is null && string.IsNullOrWhiteSpace(input.Str("title")))
        {
            errors.Add(["article", "title"], "Title can't be blank", "BLANK");
        }

        if (article is null && string.IsNullOrWhiteSpace(input.Obj("author")?.Str("name")))
        {
            errors.Add(["article", "author"], "Author field is required.", "AUTHOR_FIELD_REQUIRED");
        }

        long targetBlog = blog?.Id ?? article?.BlogId ?? 0;
        if (input.Str("handle") is { } handle && _store.Articles.Find(a => a.BlogId == targetBlog && a.Handle == handle) is { } other && !ReferenceEquals(other, article))
        {
            errors.Add(["article", "handle"], "Handle has already been taken", "TAKEN");
        }

        if (errors.Any)
        {
            return errors.Payload(payload, "article");
        }

        DateTimeOffset now = _store.Now();
        bool creating = article is null;
        article ??= new ArticleRec { Id = _store.NextId("Article"), CreatedAt = now, IsPublished = true, PublishedAt = now };
        article.BlogId = targetBlog;
        article.Title = input.Str("title") ?? article.Title;
        if (creating || input.Has("handle"))
        {
            ArticleRec self = article;
            article.Handle = input.Str("handle") ?? ShopifyStore.UniqueHandle(ShopifyStore.Handleize(article.Title), h => _store.Articles.Exists(a => a.BlogId == targetBlog && a.Handle == h && !ReferenceEquals(a, self)));
        }

        article.Body = input.Has("body") ? input.Str("body") ?? string.Empty : article.Body;
        article.Summary = input.Has("summary") ? input.Str("summary") : article.Summary;
        article.Author = input.Obj("author")?.Str("name") ?? article.Author;
        if (input.Strs("tags") is { } tags)
        {
            article.Tags = [.. tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];
        }

        ApplyPublication(input, now, v => article.IsPublished = v, v => article.PublishedAt = v, article.IsPublished, article.PublishedAt);
        article.UpdatedAt = now;
        if (creating)
        {
            _store.Add(_store.Articles, article);
        }

        SetMetafields(article, input.Objs("metafields"), ["article", "metafields"], errors);
        return errors.Payload(payload, "article", Article(article));
    }

    private GqlObj RedirectSave(Input input, string? id)
    {
        string payload = id is null ? "UrlRedirectCreatePayload" : "UrlRedirectUpdatePayload";
        string failed = id is null ? "CREATE_FAILED" : "UPDATE_FAILED";
        Errors errors = new("UrlRedirectUserError");
        RedirectRec? redirect = null;
        if (id is not null)
        {
            redirect = Lookup<RedirectRec>(id, "UrlRedirect");
            if (redirect is null)
            {
                return errors.Add(["id"], "Redirect does not exist", "DOES_NOT_EXIST").Payload(payload, "urlRedirect");
            }
        }

        string? path = input.Str("path");
        if ((redirect is null || input.Has("path")) && string.IsNullOrWhiteSpace(path))
        {
            errors.Add(["urlRedirect", "path"], "Path can't be blank", failed);
        }

        if ((redirect is null || input.Has("target")) && string.IsNullOrWhiteSpace(input.Str("target")))
        {
            errors.Add(["urlRedirect", "target"], "Target can't be blank", failed);
        }

        if (path is not null && _store.Redirects.Find(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)) is { } other && !ReferenceEquals(other, redirect))
        {
            errors.Add(["urlRedirect", "path"], "Path has already been taken", failed);
        }

        if (errors.Any)
        {
            return errors.Payload(payload, "urlRedirect");
        }

        bool creating = redirect is null;
        redirect ??= new RedirectRec { Id = _store.NextId("UrlRedirect") };
        redirect.Path = path ?? redirect.Path;
        redirect.Target = input.Str("target") ?? redirect.Target;
        if (creating)
        {
            _store.Add(_store.Redirects, redirect);
        }

        return errors.Payload(payload, "urlRedirect", Redirect(redirect));
    }

    private GqlObj MetafieldsSet(GqlArgs args)
    {
        Errors errors = new("MetafieldsSetUserError");
        List<Input> inputs = [.. (args.List("metafields") ?? []).OfType<Dictionary<string, object?>>().Select(d => new Input(d))];
        if (inputs.Count > MaxMetafieldsPerSet)
        {
            return errors.Add(["metafields"], $"Exceeded the maximum metafields input limit of {MaxMetafieldsPerSet}.", "LESS_THAN_OR_EQUAL_TO").Payload("MetafieldsSetPayload", "metafields");
        }

        List<(OwnerRec Owner, Input Input)> resolved = [];
        for (int i = 0; i < inputs.Count; i++)
        {
            Input m = inputs[i];
            OwnerRec? owner = _store.FindOwner(m.Str("ownerId") ?? string.Empty);
            if (owner is null)
            {
                errors.Add(["metafields", Index(i), "ownerId"], "Owner does not exist.", "INVALID", i);
                continue;
            }

            string ns = m.Str("namespace") ?? "$app";
            string key = m.Str("key")!;
            string value = m.Str("value")!;
            string? type = m.Str("type") ?? _store.FindDefinition(owner.OwnerType, ns, key)?.Type;
            if (type is null)
            {
                errors.Add(["metafields", Index(i), "type"], "Type can't be blank.", "BLANK", i);
                continue;
            }

            if (_store.FindDefinition(owner.OwnerType, ns, key) is { UniqueValues: true }
                && (_store.FindByMetafield(owner.OwnerType, ns, key, value) is { } holder && !ReferenceEquals(holder, owner)
                    || resolved.Exists(r => r.Owner != owner && r.Owner.OwnerType == owner.OwnerType && r.Input.Str("namespace") == ns && r.Input.Str("key") == key && r.Input.Str("value") == value)))
            {
                errors.Add(["metafields", Index(i), "value"], "Value is already taken.", "TAKEN", i);
                continue;
            }

            resolved.Add((owner, m));
        }

        if (errors.Any)
        {
            return errors.Payload("MetafieldsSetPayload", "metafields"); // metafieldsSet is atomic: nothing is saved.
        }

        List<GqlObj> saved = [];
        foreach ((OwnerRec owner, Input m) in resolved)
        {
            string ns = m.Str("namespace") ?? "$app";
            _store.SetMetafield(owner, ns, m.Str("key")!, m.Str("type"), m.Str("value")!);
            saved.Add(Metafield(owner.Metafields[ns + "." + m.Str("key")], owner.OwnerType));
        }

        return errors.Payload("MetafieldsSetPayload", "metafields", saved);
    }

    private GqlObj MetafieldDefinitionCreate(GqlArgs args)
    {
        Input input = args.Obj("definition")!;
        Errors errors = new("MetafieldDefinitionCreateUserError");
        string ns = input.Str("namespace") ?? "$app";
        string key = input.Str("key")!;
        string ownerType = input.Str("ownerType")!;
        if (_store.FindDefinition(ownerType, ns, key) is not null)
        {
            return errors.Add(["definition", "key"], "Key is in use for " + ownerType.ToLowerInvariant() + " metafields on the 'namespace' namespace.", "TAKEN").Payload("MetafieldDefinitionCreatePayload", "createdDefinition");
        }

        bool unique = input.Obj("capabilities")?.Obj("uniqueValues")?.Bool("enabled") ?? false;
        if (unique && _store.OwnersOf(ownerType).Select(o => o.Metafields.TryGetValue(ns + "." + key, out MetafieldRec? m) ? m.Value : null).OfType<string>().GroupBy(v => v, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            return errors.Add(["definition", "capabilities", "uniqueValues"], "Existing metafield values are not unique.", "INVALID_CAPABILITY").Payload("MetafieldDefinitionCreatePayload", "createdDefinition");
        }

        MetafieldDefinitionRec definition = new()
        {
            Id = _store.NextId("MetafieldDefinition"),
            Name = input.Str("name")!,
            Namespace = ns,
            Key = key,
            Type = input.Str("type")!,
            OwnerType = ownerType,
            UniqueValues = unique,
        };
        _store.Definitions.Add(definition);
        return errors.Payload("MetafieldDefinitionCreatePayload", "createdDefinition", Definition(definition));
    }

    private static DateTimeOffset? ParseDate(string text)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out DateTimeOffset date) ? date : null;

    /// <summary>Collects <c>userErrors</c> of one payload type.</summary>
    private sealed class Errors
    {
        private readonly List<GqlObj> _errors = [];

        public Errors(string typeName)
        {
            TypeName = typeName;
        }

        public string TypeName { get; }

        public bool Any => _errors.Count > 0;

        public Errors Add(string[] field, string message, string? code = null, int? elementIndex = null)
        {
            GqlObj error = new GqlObj(TypeName).Set("field", field.ToList()).Set("message", message);
            if (TypeName != "UserError")
            {
                error.Set("code", code);
            }

            if (elementIndex is not null)
            {
                error.Set("elementIndex", elementIndex);
            }

            _errors.Add(error);
            return this;
        }

        public GqlObj Payload(string payloadType, string field, object? value = null)
            => new GqlObj(payloadType).Set(field, Any && value is not GqlObj ? null : value).Set("userErrors", _errors.ToList());
    }
}
