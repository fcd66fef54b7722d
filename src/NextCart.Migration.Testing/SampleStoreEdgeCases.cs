using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>
/// The source ids of the records of a <see cref="SampleStore"/> that hold an edge case, found by scanning the store
/// (see <see cref="SampleStore.FindEdgeCases"/>). Every list is in ascending source-id order.
/// </summary>
public sealed record SampleStoreEdgeCases
{
    /// <summary>Gets the orders without a customer (guest orders).</summary>
    public IReadOnlyList<string> GuestOrderIds { get; init; } = [];

    /// <summary>Gets the guest orders whose e-mail belongs to a customer (ignoring case), so they can be linked by e-mail.</summary>
    public IReadOnlyList<string> GuestOrdersWithCustomerEmailIds { get; init; } = [];

    /// <summary>Gets the orders whose customer id is not in the store (a deleted customer).</summary>
    public IReadOnlyList<string> DeletedCustomerOrderIds { get; init; } = [];

    /// <summary>Gets the orders with a line whose product id is not in the store (a deleted product).</summary>
    public IReadOnlyList<string> DeletedProductLineOrderIds { get; init; } = [];

    /// <summary>Gets the orders with a custom line, one without a product id.</summary>
    public IReadOnlyList<string> CustomLineOrderIds { get; init; } = [];

    /// <summary>Gets the orders whose creation time equals another order's.</summary>
    public IReadOnlyList<string> SharedCreatedAtOrderIds { get; init; } = [];

    /// <summary>Gets the customers whose e-mail equals, ignoring case, the e-mail of a customer with a lower id.</summary>
    public IReadOnlyList<string> DuplicateEmailCustomerIds { get; init; } = [];

    /// <summary>Gets the subset of <see cref="DuplicateEmailCustomerIds"/> whose e-mail differs from the earlier one only in case.</summary>
    public IReadOnlyList<string> CaseOnlyDuplicateEmailCustomerIds { get; init; } = [];

    /// <summary>Gets the customers with an address that lacks its first line or city.</summary>
    public IReadOnlyList<string> IncompleteAddressCustomerIds { get; init; } = [];

    /// <summary>Gets the categories whose parent has a higher id, so they come before their parent in id order.</summary>
    public IReadOnlyList<string> ChildBeforeParentCategoryIds { get; init; } = [];

    /// <summary>Gets the depth of the deepest category: 0 for a root, 1 for its child, and so on.</summary>
    public int MaxCategoryDepth { get; init; }

    /// <summary>Gets the variable products.</summary>
    public IReadOnlyList<string> VariableProductIds { get; init; } = [];

    /// <summary>Gets the products with a variant whose option value is "any value" (<see cref="OptionValue.Value"/> is <see langword="null"/>).</summary>
    public IReadOnlyList<string> AnyValueVariantProductIds { get; init; } = [];

    /// <summary>Gets the grouped products.</summary>
    public IReadOnlyList<string> GroupedProductIds { get; init; } = [];

    /// <summary>Gets the external (affiliate) products.</summary>
    public IReadOnlyList<string> ExternalProductIds { get; init; } = [];

    /// <summary>Gets the products that link (related, up-sell, cross-sell or grouped) to a product with a higher id.</summary>
    public IReadOnlyList<string> ForwardLinkedProductIds { get; init; } = [];

    /// <summary>Gets the products without images.</summary>
    public IReadOnlyList<string> ProductsWithoutImagesIds { get; init; } = [];

    /// <summary>Gets the reviews without a customer (guest reviews).</summary>
    public IReadOnlyList<string> GuestReviewIds { get; init; } = [];

    /// <summary>Gets the redirects whose destination is a migrated record (<see cref="Redirect.TargetEntity"/>) rather than a fixed path.</summary>
    public IReadOnlyList<string> EntityRedirectIds { get; init; } = [];

    internal static SampleStoreEdgeCases Find(SampleStore store)
    {
        HashSet<string> customerIds = new(store.Get(EntityType.Customers).Select(c => c.SourceId), StringComparer.Ordinal);
        HashSet<string> productIds = new(store.Get(EntityType.Products).Select(p => p.SourceId), StringComparer.Ordinal);

        Dictionary<string, string> firstEmail = new(StringComparer.OrdinalIgnoreCase);
        List<string> duplicates = [];
        List<string> caseOnly = [];
        List<string> incomplete = [];
        foreach (Customer customer in store.Get<Customer>())
        {
            if (customer.Email is { } email)
            {
                if (firstEmail.TryGetValue(email, out string? earlier))
                {
                    duplicates.Add(customer.SourceId);
                    if (!string.Equals(earlier, email, StringComparison.Ordinal))
                    {
                        caseOnly.Add(customer.SourceId);
                    }
                }
                else
                {
                    firstEmail[email] = email;
                }
            }

            if (customer.Addresses.Any(a => string.IsNullOrEmpty(a.Line1) || string.IsNullOrEmpty(a.City)))
            {
                incomplete.Add(customer.SourceId);
            }
        }

        List<string> guest = [];
        List<string> guestWithEmail = [];
        List<string> deletedCustomer = [];
        List<string> deletedProduct = [];
        List<string> customLine = [];
        Dictionary<DateTimeOffset, int> timestamps = [];
        foreach (Order order in store.Get<Order>())
        {
            if (order.CustomerId is null)
            {
                guest.Add(order.SourceId);
                if (order.Email is not null && firstEmail.ContainsKey(order.Email))
                {
                    guestWithEmail.Add(order.SourceId);
                }
            }
            else if (!customerIds.Contains(order.CustomerId))
            {
                deletedCustomer.Add(order.SourceId);
            }

            if (order.Lines.Any(l => l.ProductId is not null && !productIds.Contains(l.ProductId)))
            {
                deletedProduct.Add(order.SourceId);
            }

            if (order.Lines.Any(l => l.ProductId is null))
            {
                customLine.Add(order.SourceId);
            }

            if (order.CreatedAt is { } created)
            {
                timestamps[created] = timestamps.GetValueOrDefault(created) + 1;
            }
        }

        List<string> shared = store.Get<Order>()
            .Where(o => o.CreatedAt is { } c && timestamps[c] > 1)
            .Select(o => o.SourceId)
            .ToList();

        Dictionary<string, string?> parents = store.Get<Category>().ToDictionary(c => c.SourceId, c => c.ParentId, StringComparer.Ordinal);
        List<string> childBeforeParent = store.Get<Category>()
            .Where(c => c.ParentId is not null && SourceIdComparer.Instance.Compare(c.ParentId, c.SourceId) > 0)
            .Select(c => c.SourceId)
            .ToList();
        int maxDepth = 0;
        foreach (string id in parents.Keys)
        {
            int depth = 0;
            string? current = parents[id];
            while (current is not null && parents.TryGetValue(current, out string? next) && depth <= parents.Count)
            {
                depth++;
                current = next;
            }

            maxDepth = Math.Max(maxDepth, depth);
        }

        List<Product> products = [.. store.Get<Product>()];
        return new SampleStoreEdgeCases
        {
            GuestOrderIds = guest,
            GuestOrdersWithCustomerEmailIds = guestWithEmail,
            DeletedCustomerOrderIds = deletedCustomer,
            DeletedProductLineOrderIds = deletedProduct,
            CustomLineOrderIds = customLine,
            SharedCreatedAtOrderIds = shared,
            DuplicateEmailCustomerIds = duplicates,
            CaseOnlyDuplicateEmailCustomerIds = caseOnly,
            IncompleteAddressCustomerIds = incomplete,
            ChildBeforeParentCategoryIds = childBeforeParent,
            MaxCategoryDepth = maxDepth,
            VariableProductIds = Ids(products.Where(p => p.Kind == ProductKind.Variable)),
            AnyValueVariantProductIds = Ids(products.Where(p => p.Variants.Any(v => v.OptionValues.Any(o => o.Value is null)))),
            GroupedProductIds = Ids(products.Where(p => p.Kind == ProductKind.Grouped)),
            ExternalProductIds = Ids(products.Where(p => p.Kind == ProductKind.External)),
            ForwardLinkedProductIds = Ids(products.Where(p => p.RelatedIds.Concat(p.UpsellIds).Concat(p.CrossSellIds).Concat(p.GroupedIds)
                .Any(id => SourceIdComparer.Instance.Compare(id, p.SourceId) > 0))),
            ProductsWithoutImagesIds = Ids(products.Where(p => p.Images.Count == 0)),
            GuestReviewIds = Ids(store.Get<Review>().Where(r => r.CustomerId is null)),
            EntityRedirectIds = Ids(store.Get<Redirect>().Where(r => r.TargetEntity is not null)),
        };
    }

    private static List<string> Ids(IEnumerable<Entity> entities) => entities.Select(e => e.SourceId).ToList();
}
