using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>
/// Fills a <see cref="ShopifyStore"/> from a sample store, as a merchant's Shopify shop would hold it: categories become
/// custom collections, manufacturers become vendors, products get options, variants and images, customers their addresses,
/// orders link to customers and variants, posts go to one blog ("News"), coupons become basic code discounts, redirects
/// become URL redirects. Tax rates and reviews have no Shopify Admin API counterpart and are left out.
/// </summary>
internal sealed class ShopifySeeder
{
    private readonly ShopifyStore _store;
    private readonly Dictionary<(EntityType, string), string> _map;

    public ShopifySeeder(ShopifyStore store, Dictionary<(EntityType, string), string> map)
    {
        _store = store;
        _map = map;
    }

    public void Seed(SampleStore sample)
    {
        DateTimeOffset now = _store.Now();
        Dictionary<string, CollectionRec> collections = [];
        foreach (Category category in sample.Get<Category>())
        {
            CollectionRec c = new()
            {
                Id = _store.NextId("Collection"),
                Title = category.Name,
                DescriptionHtml = category.Description ?? string.Empty,
                SeoTitle = category.Seo?.Title,
                SeoDescription = category.Seo?.Description,
                UpdatedAt = category.UpdatedAt ?? now,
            };
            c.Handle = ShopifyStore.UniqueHandle(ShopifyStore.Handleize(category.Slug ?? category.Name), h => _store.Collections.Exists(x => x.Handle == h));
            _store.Add(_store.Collections, c);
            collections[category.SourceId] = c;
            _map[(EntityType.Categories, category.SourceId)] = c.Gid;
        }

        Dictionary<string, string> vendors = sample.Get<Manufacturer>().ToDictionary(m => m.SourceId, m => m.Name, StringComparer.Ordinal);
        foreach (Product product in sample.Get<Product>())
        {
            ProductRec p = SeedProduct(product, vendors, now);
            foreach (string categoryId in product.CategoryIds)
            {
                if (collections.TryGetValue(categoryId, out CollectionRec? c))
                {
                    c.ProductIds.Add(p.Id);
                }
            }
        }

        foreach (Customer customer in sample.Get<Customer>())
        {
            CustomerRec c = new()
            {
                Id = _store.NextId("Customer"),
                FirstName = customer.FirstName,
                LastName = customer.LastName,
                Email = customer.Email is { } email && !_store.Customers.Exists(x => string.Equals(x.Email, email, StringComparison.OrdinalIgnoreCase)) ? email : null,
                Phone = customer.Phone is { } phone && !_store.Customers.Exists(x => x.Phone == phone) ? phone : null,
                Note = customer.Note,
                Tags = [.. customer.Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                Addresses = [.. customer.Addresses.Select(Address)],
                CreatedAt = customer.CreatedAt ?? now,
                UpdatedAt = customer.UpdatedAt ?? customer.CreatedAt ?? now,
            };
            _store.Add(_store.Customers, c);
            _map[(EntityType.Customers, customer.SourceId)] = c.Gid;
        }

        foreach (Order order in sample.Get<Order>())
        {
            SeedOrder(order, now);
        }

        foreach (Page page in sample.Get<Page>())
        {
            PageRec p = new()
            {
                Id = _store.NextId("Page"),
                Title = page.Title,
                Body = page.Body ?? string.Empty,
                IsPublished = page.Status == PublishStatus.Active,
                PublishedAt = page.Status == PublishStatus.Active ? page.PublishedAt ?? page.CreatedAt ?? now : null,
                CreatedAt = page.CreatedAt ?? now,
                UpdatedAt = page.UpdatedAt ?? page.CreatedAt ?? now,
            };
            p.Handle = ShopifyStore.UniqueHandle(ShopifyStore.Handleize(page.Slug ?? page.Title), h => _store.Pages.Exists(x => x.Handle == h));
            _store.Add(_store.Pages, p);
            _map[(EntityType.Pages, page.SourceId)] = p.Gid;
        }

        if (sample.Count(EntityType.BlogPosts) > 0)
        {
            BlogRec blog = new() { Id = _store.NextId("Blog"), Title = "News", Handle = "news" };
            _store.Add(_store.Blogs, blog);
            foreach (BlogPost post in sample.Get<BlogPost>())
            {
                ArticleRec a = new()
                {
                    Id = _store.NextId("Article"),
                    BlogId = blog.Id,
                    Title = post.Title,
                    Body = post.Body ?? string.Empty,
                    Summary = post.Excerpt,
                    Author = post.Author ?? "Staff",
                    Tags = [.. post.Tags.Distinct(StringComparer.Ordinal)],
                    IsPublished = post.Status == PublishStatus.Active,
                    PublishedAt = post.Status == PublishStatus.Active ? post.PublishedAt ?? post.CreatedAt ?? now : null,
                    CreatedAt = post.CreatedAt ?? now,
                    UpdatedAt = post.UpdatedAt ?? post.CreatedAt ?? now,
                };
                a.Handle = ShopifyStore.UniqueHandle(ShopifyStore.Handleize(post.Slug ?? post.Title), h => _store.Articles.Exists(x => x.Handle == h));
                _store.Add(_store.Articles, a);
                _map[(EntityType.BlogPosts, post.SourceId)] = a.Gid;
            }
        }

        foreach (Coupon coupon in sample.Get<Coupon>())
        {
            if (_store.Discounts.Exists(d => string.Equals(d.Code, coupon.Code, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            DiscountRec d = new()
            {
                Id = _store.NextId("DiscountCodeNode"),
                CodeId = _store.NextId("DiscountRedeemCode"),
                Code = coupon.Code,
                Title = coupon.Description is { Length: > 0 } description ? description : coupon.Code,
                StartsAt = coupon.StartsAt ?? coupon.CreatedAt ?? now,
                EndsAt = coupon.ExpiresAt,
                UsageLimit = coupon.UsageLimit,
                AppliesOncePerCustomer = coupon.UsageLimitPerCustomer == 1,
                Percentage = coupon.Kind == DiscountKind.Percentage ? (double)(coupon.Amount / 100m) : null,
                Amount = coupon.Kind == DiscountKind.Percentage ? null : coupon.Amount,
                AppliesOnEachItem = coupon.Kind == DiscountKind.FixedProduct,
                ProductIds = [.. coupon.ProductIds.Select(id => Id(EntityType.Products, id)).OfType<long>()],
                CollectionIds = [.. coupon.CategoryIds.Select(id => Id(EntityType.Categories, id)).OfType<long>()],
                MinimumSubtotal = coupon.MinimumAmount,
                CreatedAt = coupon.CreatedAt ?? now,
                UpdatedAt = coupon.UpdatedAt ?? coupon.CreatedAt ?? now,
            };
            _store.Add(_store.Discounts, d);
            _map[(EntityType.Coupons, coupon.SourceId)] = d.Gid;
        }

        foreach (Redirect redirect in sample.Get<Redirect>())
        {
            string? target = redirect.ToPath ?? TargetPath(redirect.TargetEntity);
            if (target is null || _store.Redirects.Exists(r => string.Equals(r.Path, redirect.FromPath, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            RedirectRec r = new() { Id = _store.NextId("UrlRedirect"), Path = redirect.FromPath, Target = target };
            _store.Add(_store.Redirects, r);
            _map[(EntityType.Redirects, redirect.SourceId)] = r.Gid;
        }
    }

    private ProductRec SeedProduct(Product product, Dictionary<string, string> vendors, DateTimeOffset now)
    {
        ProductRec p = new()
        {
            Id = _store.NextId("Product"),
            Title = product.Name,
            DescriptionHtml = product.Description ?? string.Empty,
            Vendor = product.ManufacturerId is { } m && vendors.TryGetValue(m, out string? vendor) ? vendor : string.Empty,
            ProductType = product.ProductType ?? string.Empty,
            Status = product.Status switch
            {
                PublishStatus.Draft or PublishStatus.Private => "DRAFT",
                PublishStatus.Archived => "ARCHIVED",
                _ => "ACTIVE",
            },
            Tags = [.. product.Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            CreatedAt = product.CreatedAt ?? now,
            UpdatedAt = product.UpdatedAt ?? product.CreatedAt ?? now,
            PublishedAt = product.Status == PublishStatus.Active ? product.CreatedAt ?? now : null,
            SeoTitle = product.Seo?.Title,
            SeoDescription = product.Seo?.Description,
        };
        p.Handle = ShopifyStore.UniqueHandle(ShopifyStore.Handleize(product.Slug ?? product.Name), h => _store.Products.Exists(x => x.Handle == h));
        List<ProductOption> variantOptions = [.. product.Options.Where(o => o.UsedForVariants && o.Values.Count > 0)];
        if (product.Variants.Count > 0 && variantOptions.Count > 0)
        {
            int position = 1;
            foreach (ProductOption option in variantOptions)
            {
                p.Options.Add(new OptionRec
                {
                    Id = _store.NextId("ProductOption"),
                    Name = option.Name,
                    Position = position++,
                    Values = [.. option.Values.Distinct(StringComparer.Ordinal).Select(v => (_store.NextId("ProductOptionValue"), v))],
                });
            }

            HashSet<string> seen = new(StringComparer.Ordinal);
            foreach (ProductVariant variant in product.Variants.OrderBy(v => v.Position))
            {
                List<(string, string)> selected = [];
                foreach (OptionRec option in p.Options)
                {
                    string? value = variant.OptionValues.FirstOrDefault(v => string.Equals(v.Name, option.Name, StringComparison.OrdinalIgnoreCase))?.Value;
                    if (value is null || !option.Values.Exists(x => x.Name == value))
                    {
                        value = option.Values[0].Name;
                    }

                    selected.Add((option.Name, value));
                }

                if (!seen.Add(string.Join('\u001f', selected.Select(s => s.Item2))))
                {
                    continue; // Shopify has no two variants with the same option values.
                }

                VariantRec v = Variant(p, variant.Sku, variant.Barcode, variant.Price ?? product.Price, variant.SalePrice, variant.StockQuantity, now, selected);
                _map[(EntityType.Products, product.SourceId + "/" + variant.SourceId)] = v.Gid;
            }
        }
        else
        {
            p.Options.Add(new OptionRec { Id = _store.NextId("ProductOption"), Name = "Title", Position = 1, Values = [(_store.NextId("ProductOptionValue"), "Default Title")] });
            Variant(p, product.Sku, null, product.Price, product.SalePrice, product.StockQuantity, now, [("Title", "Default Title")]);
        }

        foreach (ImageInfo image in product.Images.OrderBy(i => i.Position))
        {
            p.Media.Add(new MediaRec { Id = _store.NextId("MediaImage"), ImageId = _store.NextId("ImageSource"), Url = image.Url, Alt = image.Alt });
        }

        _store.Add(_store.Products, p);
        _map[(EntityType.Products, product.SourceId)] = p.Gid;
        return p;
    }

    private VariantRec Variant(ProductRec p, string? sku, string? barcode, Money? price, Money? salePrice, int? stock, DateTimeOffset now, List<(string, string)> selected)
    {
        VariantRec v = new()
        {
            Id = _store.NextId("ProductVariant"),
            ProductId = p.Id,
            Sku = sku,
            Barcode = barcode,
            Price = salePrice?.Amount ?? price?.Amount ?? 0,
            CompareAtPrice = salePrice is not null ? price?.Amount : null,
            Position = p.Variants.Count + 1,
            InventoryQuantity = stock ?? 0,
            SelectedOptions = selected,
            CreatedAt = p.CreatedAt,
            UpdatedAt = p.UpdatedAt,
        };
        _ = now;
        p.Variants.Add(v);
        return v;
    }

    private void SeedOrder(Order order, DateTimeOffset now)
    {
        OrderRec o = new()
        {
            Id = _store.NextId("Order"),
            Email = order.Email,
            CreatedAt = order.CreatedAt ?? now,
            UpdatedAt = order.UpdatedAt ?? order.CreatedAt ?? now,
            ProcessedAt = order.CreatedAt ?? now,
            Currency = order.Currency,
            FinancialStatus = order.Status switch
            {
                OrderStatuses.Pending or OrderStatuses.OnHold or OrderStatuses.Failed => "PENDING",
                OrderStatuses.Refunded => "REFUNDED",
                OrderStatuses.Cancelled => "VOIDED",
                _ => "PAID",
            },
            FulfillmentStatus = order.Status == OrderStatuses.Completed ? "FULFILLED" : "UNFULFILLED",
            Note = order.CustomerNote,
            Subtotal = order.Subtotal?.Amount ?? order.Lines.Sum(l => l.UnitPrice.Amount * l.Quantity),
            Tax = order.TaxTotal?.Amount ?? 0,
            Shipping = order.ShippingTotal?.Amount ?? 0,
            Total = order.Total.Amount,
            BillingAddress = order.BillingAddress is { } billing ? Address(billing) : null,
            ShippingAddress = order.ShippingAddress is { } shipping ? Address(shipping) : null,
            CustomerId = order.CustomerId is { } customerId ? Id(EntityType.Customers, customerId) : null,
            SourceName = "web",
        };
        string name = order.Number is { Length: > 0 } number ? "#" + number.TrimStart('#') : _store.NextOrderName();
        o.Name = _store.Orders.Exists(x => x.Name == name) ? _store.NextOrderName() : name;
        _store.NoteOrderName(o.Name);
        foreach (OrderLine line in order.Lines)
        {
            long? variantId = line.ProductId is null ? null
                : line.VariantId is not null ? Id(EntityType.Products, line.ProductId + "/" + line.VariantId)
                : Id(EntityType.Products, line.ProductId) is { } productId ? _store.FindProduct(productId)?.Variants.FirstOrDefault()?.Id : null;
            o.LineItems.Add(new LineItemRec
            {
                Id = _store.NextId("LineItem"),
                Title = line.Name,
                Sku = line.Sku,
                Quantity = Math.Max(1, line.Quantity),
                UnitPrice = line.UnitPrice.Amount,
                VariantId = variantId,
                ProductId = variantId is { } vid ? _store.FindVariant(vid)?.ProductId : null,
            });
        }

        _store.Add(_store.Orders, o);
        _map[(EntityType.Orders, order.SourceId)] = o.Gid;
    }

    private AddressRec Address(Address a) => new()
    {
        Id = _store.NextId("MailingAddress"),
        Address1 = a.Line1,
        Address2 = a.Line2,
        City = a.City,
        Company = a.Company,
        CountryCode = a.CountryCode,
        ProvinceCode = a.Region,
        Zip = a.PostalCode,
        Phone = a.Phone,
        FirstName = a.FirstName,
        LastName = a.LastName,
    };

    private long? Id(EntityType type, string sourceId)
        => _map.TryGetValue((type, sourceId), out string? gid) && ShopifyStore.ParseGid(gid) is { } parsed ? parsed.Id : null;

    private string? TargetPath(EntityRef? target)
    {
        if (target is not { } t || !_map.TryGetValue((t.Type, t.SourceId), out string? gid) || _store.FindOwner(gid) is not { } owner)
        {
            return null;
        }

        return owner switch
        {
            ProductRec p => "/products/" + p.Handle,
            CollectionRec c => "/collections/" + c.Handle,
            PageRec p => "/pages/" + p.Handle,
            ArticleRec a => "/blogs/news/" + a.Handle,
            _ => null,
        };
    }
}
