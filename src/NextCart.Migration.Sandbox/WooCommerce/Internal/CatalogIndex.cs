using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>
/// Values WordPress derives from other tables (term counts, ratings, a product's variations, related products, paying
/// customers), cached until one of the tables they come from changes.
/// </summary>
internal sealed class CatalogIndex
{
    private readonly WooStore _store;
    private (int Products, int Variations, int Reviews, int Orders) _versions = (-1, -1, -1, -1);
    private Dictionary<long, int> _termCounts = [];
    private Dictionary<long, List<long>> _variations = [];
    private Dictionary<long, (decimal Average, int Count)> _ratings = [];
    private Dictionary<long, List<long>> _productsByTerm = [];
    private HashSet<long> _payingCustomers = [];
    private Dictionary<long, List<long>> _related = [];

    public CatalogIndex(WooStore store)
    {
        _store = store;
    }

    public int TermCount(long termId)
    {
        Refresh();
        return _termCounts.GetValueOrDefault(termId);
    }

    public IReadOnlyList<long> VariationIds(long productId)
    {
        Refresh();
        return _variations.TryGetValue(productId, out List<long>? ids) ? ids : [];
    }

    public (decimal Average, int Count) Rating(long productId)
    {
        Refresh();
        return _ratings.GetValueOrDefault(productId);
    }

    public bool IsPayingCustomer(long customerId)
    {
        Refresh();
        return _payingCustomers.Contains(customerId);
    }

    /// <summary>
    /// <c>wc_get_related_products</c>: published products sharing a category or tag. WooCommerce shuffles them; the sandbox
    /// returns the lowest ids so responses repeat.
    /// </summary>
    public List<long> Related(JsonObject product, int limit = 5)
    {
        Refresh();
        long self = Json.Long(product, "id");
        if (_related.TryGetValue(self, out List<long>? known))
        {
            return known;
        }

        SortedSet<long> related = [];
        foreach (long term in TermIds(product))
        {
            if (_productsByTerm.TryGetValue(term, out List<long>? ids))
            {
                foreach (long id in ids)
                {
                    if (id != self)
                    {
                        related.Add(id);
                    }
                }
            }
        }

        List<long> result = [.. related.Take(limit)];
        _related[self] = result;
        return result;
    }

    public static IEnumerable<long> TermIds(JsonObject product)
    {
        foreach (string field in new[] { "categories", "tags" })
        {
            if (product[field] is JsonArray terms)
            {
                foreach (JsonNode? term in terms)
                {
                    if (term is JsonObject t)
                    {
                        yield return Json.Long(t, "id");
                    }
                }
            }
        }
    }

    private void Refresh()
    {
        (int, int, int, int) versions = (_store.Products.Version, _store.Variations.Version, _store.Reviews.Version, _store.Orders.Version);
        if (versions == _versions)
        {
            return;
        }

        _versions = versions;
        Dictionary<long, int> counts = [];
        Dictionary<long, List<long>> byTerm = [];
        foreach (JsonObject product in _store.Products.All)
        {
            if (Json.Str(product, "status") != "publish")
            {
                continue;
            }

            long id = Json.Long(product, "id");
            foreach (long term in TermIds(product))
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
                if (!byTerm.TryGetValue(term, out List<long>? list))
                {
                    byTerm[term] = list = [];
                }

                list.Add(id);
            }

            if (product["attributes"] is JsonArray attributes)
            {
                foreach (JsonObject attribute in attributes.OfType<JsonObject>())
                {
                    if (attribute["__term_ids"] is JsonArray termIds)
                    {
                        foreach (JsonNode? termId in termIds)
                        {
                            long t = Json.Long(termId);
                            counts[t] = counts.GetValueOrDefault(t) + 1;
                        }
                    }
                }
            }
        }

        Dictionary<long, List<(long Order, long Id)>> variations = [];
        foreach (JsonObject variation in _store.Variations.All)
        {
            long parent = Json.Long(variation, "__parent");
            if (!variations.TryGetValue(parent, out List<(long, long)>? list))
            {
                variations[parent] = list = [];
            }

            list.Add((Json.Long(variation, "menu_order"), Json.Long(variation, "id")));
        }

        Dictionary<long, (decimal Sum, int Count)> ratingSums = [];
        foreach (JsonObject review in _store.Reviews.All)
        {
            long rating = Json.Long(review, "rating");
            if (Json.Str(review, "status") != "approved" || rating <= 0)
            {
                continue;
            }

            long product = Json.Long(review, "product_id");
            (decimal sum, int count) = ratingSums.GetValueOrDefault(product);
            ratingSums[product] = (sum + rating, count + 1);
        }

        HashSet<long> paying = [];
        foreach (JsonObject order in _store.Orders.All)
        {
            if (Json.Long(order, "customer_id") is > 0 and var customer && !Json.IsNull(order["date_paid"]))
            {
                paying.Add(customer);
            }
        }

        _termCounts = counts;
        _productsByTerm = byTerm;
        _variations = variations.ToDictionary(p => p.Key, p => p.Value.OrderBy(v => v.Order).ThenBy(v => v.Id).Select(v => v.Id).ToList());
        _ratings = ratingSums.ToDictionary(p => p.Key, p => (decimal.Round(p.Value.Sum / p.Value.Count, 2), p.Value.Count));
        _payingCustomers = paying;
        _related = [];
    }
}
