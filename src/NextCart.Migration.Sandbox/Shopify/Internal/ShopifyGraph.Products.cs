using System.Globalization;
using NextCart.Migration.Sandbox.Shopify.Internal.Gql;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>Product mutations: <c>productSet</c> (the upsert) and <c>productDelete</c>.</summary>
internal sealed partial class ShopifyGraph
{
    /// <summary>The variant limit of current API versions (platforms.md §2.3).</summary>
    public const int MaxVariants = 2048;

    /// <summary>
    /// The dynamic cost of <c>productSet</c> from 2025-10 (platforms.md §2.3): <c>10 + variants×0.2 + variant_files×0.6 +
    /// variant_metafields×0.4 + product_metafields×0.4 + product_files×1.9</c>, rounded up.
    /// </summary>
    public static double ProductSetCost(GqlArgs args)
    {
        Input? input = args.Obj("input");
        if (input is null)
        {
            return 10;
        }

        IReadOnlyList<Input> variants = input.Objs("variants");
        double cost = 10 + (variants.Count * 0.2) + (variants.Sum(v => v.Objs("metafields").Count) * 0.4)
            + (input.Objs("metafields").Count * 0.4) + (input.Objs("files").Count * 1.9);
        return Math.Ceiling(cost - 1e-9);
    }

    public ProductRec? ProductByIdentifier(Input identifier)
        => ByIdentifier<ProductRec>(identifier, "Product", "PRODUCT", identifier.Str("handle") is { } handle ? () => _store.Products.Find(p => p.Handle == handle) : null);

    public CustomerRec? CustomerByIdentifier(Input identifier)
        => ByIdentifier<CustomerRec>(identifier, "Customer", "CUSTOMER", identifier.Str("emailAddress") is { } email ? () => _store.Customers.Find(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)) : null);

    /// <summary>
    /// <c>collectionByIdentifier</c>: by id, handle or a custom id (CollectionIdentifierInput in 2026-01; shopify.dev
    /// input-objects/CollectionIdentifierInput), the custom id through a unique-values definition as for products and customers.
    /// </summary>
    public CollectionRec? CollectionByIdentifier(Input identifier)
        => ByIdentifier<CollectionRec>(identifier, "Collection", "COLLECTION", identifier.Str("handle") is { } handle ? () => _store.Collections.Find(c => c.Handle == handle) : null);

    /// <summary>
    /// Resolves an <c>…IdentifierInput</c>: by <c>id</c>, else by the natural key the input carries (<paramref name="byNaturalKey"/>,
    /// <see langword="null"/> when it carries none), else by <c>customId</c> through a unique-values metafield definition.
    /// </summary>
    private T? ByIdentifier<T>(Input identifier, string gidType, string ownerType, Func<T?>? byNaturalKey)
        where T : OwnerRec
    {
        if (identifier.Str("id") is { } id)
        {
            return Lookup<T>(id, gidType);
        }

        if (byNaturalKey is not null)
        {
            return byNaturalKey();
        }

        if (identifier.Obj("customId") is { } custom)
        {
            RequireUniqueDefinition(ownerType, custom);
            return _store.FindByMetafield(ownerType, custom.Str("namespace") ?? "$app", custom.Str("key")!, custom.Str("value")!) as T;
        }

        return null;
    }

    private void RequireUniqueDefinition(string ownerType, Input custom)
    {
        string ns = custom.Str("namespace") ?? "$app";
        string key = custom.Str("key") ?? string.Empty;
        if (_store.FindDefinition(ownerType, ns, key) is not { UniqueValues: true })
        {
            // Shopify resolves customId only through a metafield definition with the uniqueValues capability.
            throw new GqlException($"Metafield definition of type 'id' with namespace '{ns}' and key '{key}' does not exist or does not have unique values enabled.", "NOT_FOUND");
        }
    }

    private GqlObj ProductSet(GqlArgs args)
    {
        Input input = args.Obj("input")!;
        Input? identifier = args.Obj("identifier");
        Errors errors = new("ProductSetUserError");
        ProductRec? existing = null;
        Input? customId = null;
        if (identifier is not null)
        {
            if (identifier.Str("id") is { } id)
            {
                existing = Lookup<ProductRec>(id, "Product");
                if (existing is null)
                {
                    return errors.Add(["identifier", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST").Payload("ProductSetPayload", "product");
                }
            }
            else if (identifier.Str("handle") is { } handle)
            {
                existing = _store.Products.Find(p => p.Handle == handle);
                if (existing is null && input.Str("handle") is { } inputHandle && inputHandle != handle)
                {
                    return errors.Add(["input", "handle"], "The input handle does not match the identifier handle.", "INPUT_MISMATCH").Payload("ProductSetPayload", "product");
                }

                input.Values.TryAdd("handle", handle);
            }
            else if (identifier.Obj("customId") is { } custom)
            {
                customId = custom;
                string ns = custom.Str("namespace") ?? "$app";
                if (_store.FindDefinition("PRODUCT", ns, custom.Str("key") ?? string.Empty) is not { UniqueValues: true })
                {
                    return errors.Add(["identifier", "customId"], $"Metafield definition of type 'id' with namespace '{ns}' and key '{custom.Str("key")}' does not exist or does not have unique values enabled.", "NOT_FOUND").Payload("ProductSetPayload", "product");
                }

                existing = _store.FindByMetafield("PRODUCT", ns, custom.Str("key")!, custom.Str("value")!) as ProductRec;
            }
        }

        bool creating = existing is null;
        string? title = input.Str("title");
        if (creating && string.IsNullOrWhiteSpace(title))
        {
            errors.Add(["input", "title"], "Title can't be blank", "INVALID_PRODUCT");
        }

        if (input.Str("handle") is { } wantedHandle && _store.Products.Find(p => p.Handle == wantedHandle) is { } owner && !ReferenceEquals(owner, existing))
        {
            errors.Add(["input", "handle"], $"Handle '{wantedHandle}' has already been taken", "HANDLE_NOT_UNIQUE");
        }

        List<OptionRec>? options = null;
        List<VariantRec>? variants = null;
        if (input.Has("productOptions") || input.Has("variants"))
        {
            (options, variants) = BuildVariants(input, existing, errors);
        }

        List<CollectionRec>? collections = null;
        if (input.Strs("collections") is { } collectionIds)
        {
            collections = [];
            for (int i = 0; i < collectionIds.Count; i++)
            {
                if (ShopifyStore.ParseGid(collectionIds[i]) is { Type: "Collection" } parsed && _store.Find<CollectionRec>(parsed.Id) is { } collection)
                {
                    collections.Add(collection);
                }
                else
                {
                    errors.Add(["input", "collections", i.ToString(CultureInfo.InvariantCulture)], "Collection does not exist", "INVALID_INPUT");
                }
            }
        }

        IReadOnlyList<Input> metafields = input.Objs("metafields");
        for (int i = 0; i < metafields.Count; i++)
        {
            if (metafields[i].Str("key") is null || metafields[i].Str("value") is null)
            {
                errors.Add(["input", "metafields", i.ToString(CultureInfo.InvariantCulture)], "Metafield key and value are required", "INVALID_METAFIELD");
            }
        }

        if (errors.Any)
        {
            return errors.Payload("ProductSetPayload", "product");
        }

        DateTimeOffset now = _store.Now();
        ProductRec product = existing ?? new ProductRec { Id = _store.NextId("Product"), CreatedAt = now, PublishedAt = now };
        if (title is not null)
        {
            product.Title = title;
        }

        if (creating || input.Has("handle"))
        {
            product.Handle = input.Str("handle") ?? ShopifyStore.UniqueHandle(ShopifyStore.Handleize(product.Title), h => _store.Products.Exists(p => p.Handle == h && !ReferenceEquals(p, product)));
        }

        product.DescriptionHtml = input.Has("descriptionHtml") ? input.Str("descriptionHtml") ?? string.Empty : product.DescriptionHtml;
        product.Vendor = input.Has("vendor") ? input.Str("vendor") ?? string.Empty : product.Vendor;
        product.ProductType = input.Has("productType") ? input.Str("productType") ?? string.Empty : product.ProductType;
        product.Status = input.Str("status") ?? product.Status;
        if (input.Strs("tags") is { } tags)
        {
            product.Tags = [.. tags.SelectMany(t => t.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        if (input.Obj("seo") is { } seo)
        {
            product.SeoTitle = seo.Str("title");
            product.SeoDescription = seo.Str("description");
        }

        if (options is not null && variants is not null)
        {
            product.Options = options;
            foreach (VariantRec variant in variants)
            {
                variant.ProductId = product.Id;
                variant.UpdatedAt = now;
            }

            _store.SetVariants(product, variants);
        }
        else if (creating)
        {
            product.Options = [new OptionRec { Id = _store.NextId("ProductOption"), Name = "Title", Position = 1, Values = [(_store.NextId("ProductOptionValue"), "Default Title")] }];
            _store.SetVariants(product, [new VariantRec { Id = _store.NextId("ProductVariant"), ProductId = product.Id, Position = 1, CreatedAt = now, UpdatedAt = now, SelectedOptions = [("Title", "Default Title")] }]);
        }

        if (input.Has("files"))
        {
            product.Media = [.. input.Objs("files").Where(f => f.Str("originalSource") is not null).Select(f => new MediaRec
            {
                Id = _store.NextId("MediaImage"),
                ImageId = _store.NextId("ImageSource"),
                Url = f.Str("originalSource")!,
                Alt = f.Str("alt"),
            })];
        }

        if (creating)
        {
            _store.Add(_store.Products, product);
        }

        if (collections is not null)
        {
            foreach (CollectionRec collection in _store.Collections)
            {
                bool wanted = collections.Contains(collection);
                bool member = collection.ProductIds.Contains(product.Id);
                if (wanted && !member)
                {
                    collection.ProductIds.Add(product.Id);
                }
                else if (!wanted && member)
                {
                    collection.ProductIds.Remove(product.Id);
                }
            }
        }

        if (input.Has("metafields"))
        {
            product.Metafields.Clear();
            for (int i = 0; i < metafields.Count; i++)
            {
                if (_store.SetMetafield(product, metafields[i].Str("namespace") ?? "$app", metafields[i].Str("key")!, metafields[i].Str("type"), metafields[i].Str("value")!) is { } problem)
                {
                    errors.Add(["input", "metafields", i.ToString(CultureInfo.InvariantCulture), "value"], problem, "DUPLICATED_METAFIELD_VALUE");
                }
            }
        }

        if (customId is not null)
        {
            _store.SetMetafield(product, customId.Str("namespace") ?? "$app", customId.Str("key")!, null, customId.Str("value")!);
        }

        product.UpdatedAt = now;
        return errors.Payload("ProductSetPayload", "product", Product(product));
    }

    private (List<OptionRec> Options, List<VariantRec> Variants) BuildVariants(Input input, ProductRec? existing, Errors errors)
    {
        IReadOnlyList<Input> optionInputs = input.Objs("productOptions");
        IReadOnlyList<Input> variantInputs = input.Objs("variants");
        if (input.Has("variants") && !input.Has("productOptions") && existing is null)
        {
            errors.Add(["input", "productOptions"], "Product options input is required when updating variants.", "PRODUCT_OPTIONS_INPUT_MISSING");
        }

        if (variantInputs.Count > MaxVariants)
        {
            errors.Add(["input", "variants"], $"Number of variants exceeds the limit of {MaxVariants}.", "VARIANTS_OVER_LIMIT");
        }

        List<OptionRec> options = [];
        if (input.Has("productOptions"))
        {
            for (int i = 0; i < optionInputs.Count; i++)
            {
                Input o = optionInputs[i];
                string name = o.Str("name") ?? string.Empty;
                OptionRec? old = existing?.Options.Find(x => x.Name == name);
                OptionRec option = new() { Id = old?.Id ?? _store.NextId("ProductOption"), Name = name, Position = o.Int("position") ?? (i + 1) };
                foreach (Input v in o.Objs("values"))
                {
                    string valueName = v.Str("name") ?? string.Empty;
                    if (option.Values.Exists(x => x.Name == valueName))
                    {
                        errors.Add(["input", "productOptions", i.ToString(CultureInfo.InvariantCulture), "values"], $"Duplicated option value '{valueName}'.", "DUPLICATED_OPTION_VALUE");
                        continue;
                    }

                    long valueId = old?.Values.Find(x => x.Name == valueName) is { Id: > 0 } found ? found.Id : _store.NextId("ProductOptionValue");
                    option.Values.Add((valueId, valueName));
                }

                if (options.Exists(x => x.Name == name))
                {
                    errors.Add(["input", "productOptions", i.ToString(CultureInfo.InvariantCulture), "name"], $"Duplicated option name '{name}'.", "DUPLICATED_OPTION_NAME");
                }

                options.Add(option);
            }
        }
        else
        {
            options = existing?.Options ?? [];
        }

        List<VariantRec> variants = [];
        if (!input.Has("variants"))
        {
            if (existing is not null)
            {
                variants = existing.Variants;
            }
            else
            {
                // Options without variants: one variant of the first values, as Shopify creates it.
                DateTimeOffset now = _store.Now();
                variants.Add(new VariantRec { Id = _store.NextId("ProductVariant"), Position = 1, CreatedAt = now, SelectedOptions = [.. options.Where(o => o.Values.Count > 0).Select(o => (o.Name, o.Values[0].Name))] });
            }

            return (options, variants);
        }

        HashSet<string> combinations = new(StringComparer.Ordinal);
        for (int i = 0; i < variantInputs.Count; i++)
        {
            Input v = variantInputs[i];
            string index = i.ToString(CultureInfo.InvariantCulture);
            List<(string Name, string Value)> selected = [];
            foreach (Input ov in v.Objs("optionValues"))
            {
                string optionName = ov.Str("optionName") ?? options.Find(o => ov.Str("optionId") == ShopifyStore.Gid("ProductOption", o.Id))?.Name ?? string.Empty;
                string valueName = ov.Str("name") ?? options.SelectMany(o => o.Values).FirstOrDefault(x => ov.Str("id") == ShopifyStore.Gid("ProductOptionValue", x.Id)).Name ?? string.Empty;
                OptionRec? option = options.Find(o => o.Name == optionName);
                if (option is null)
                {
                    errors.Add(["input", "variants", index, "optionValues"], $"Option '{optionName}' does not exist.", "OPTION_DOES_NOT_EXIST");
                    continue;
                }

                if (!option.Values.Exists(x => x.Name == valueName))
                {
                    errors.Add(["input", "variants", index, "optionValues"], $"Option value '{valueName}' does not exist for option '{optionName}'.", "OPTION_VALUE_DOES_NOT_EXIST");
                    continue;
                }

                selected.Add((optionName, valueName));
            }

            if (options.Exists(o => !selected.Exists(s => s.Name == o.Name)))
            {
                errors.Add(["input", "variants", index, "optionValues"], "Variant is missing a value for one or more options.", "OPTION_VALUES_MISSING");
                continue;
            }

            selected = [.. selected.OrderBy(s => options.FindIndex(o => o.Name == s.Name))];
            string key = string.Join('\u001f', selected.Select(s => s.Name + "=" + s.Value));
            if (!combinations.Add(key))
            {
                errors.Add(["input", "variants", index, "optionValues"], $"The variant '{string.Join(" / ", selected.Select(s => s.Value))}' already exists.", "DUPLICATED_OPTION_VALUE");
                continue;
            }

            VariantRec? old = (v.Str("id") is { } vid ? existing?.Variants.Find(x => x.Gid == vid) : null)
                ?? existing?.Variants.Find(x => x.SelectedOptions.SequenceEqual(selected));
            DateTimeOffset now = _store.Now();
            VariantRec variant = old ?? new VariantRec { Id = _store.NextId("ProductVariant"), CreatedAt = now };
            variant.SelectedOptions = selected;
            variant.Position = v.Int("position") ?? (i + 1);
            variant.Price = v.Has("price") ? v.Dec("price") ?? 0 : variant.Price;
            variant.CompareAtPrice = v.Has("compareAtPrice") ? v.Dec("compareAtPrice") : variant.CompareAtPrice;
            variant.Sku = v.Has("sku") ? v.Str("sku") : variant.Sku;
            variant.Barcode = v.Has("barcode") ? v.Str("barcode") : variant.Barcode;
            variant.InventoryPolicy = v.Str("inventoryPolicy") ?? variant.InventoryPolicy;
            variant.Taxable = v.Bool("taxable") ?? variant.Taxable;
            if (v.Has("metafields"))
            {
                variant.Metafields.Clear();
                foreach (Input m in v.Objs("metafields"))
                {
                    _store.SetMetafield(variant, m.Str("namespace") ?? "$app", m.Str("key") ?? string.Empty, m.Str("type"), m.Str("value") ?? string.Empty);
                }
            }

            variants.Add(variant);
        }

        return (options, variants);
    }

    private GqlObj ProductDelete(GqlArgs args)
    {
        Errors errors = new("UserError");
        string? id = args.Obj("input")?.Str("id");
        ProductRec? product = Lookup<ProductRec>(id, "Product");
        if (product is null)
        {
            return errors.Add(["id"], "Product does not exist").Payload("ProductDeletePayload", "deletedProductId");
        }

        _store.Remove(_store.Products, product);
        foreach (CollectionRec collection in _store.Collections)
        {
            collection.ProductIds.Remove(product.Id);
        }

        return errors.Payload("ProductDeletePayload", "deletedProductId", product.Gid);
    }
}
