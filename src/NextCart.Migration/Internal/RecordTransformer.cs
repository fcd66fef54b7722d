using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>Applies the run's transforms to a record before it is written: status and group maps, and HTML stripping.</summary>
internal sealed class RecordTransformer
{
    private readonly MigrationOptions _options;

    public RecordTransformer(MigrationOptions options) => _options = options;

    /// <summary>Transforms a record, or returns the reason it cannot be written.</summary>
    public Entity Transform(Entity entity, out string? error)
    {
        error = null;
        switch (entity)
        {
            case Order order:
                string? status = MapValue(order.Status, OrderStatuses.IsCanonical, _options.OrderStatusMap, _options.DefaultOrderStatus);
                if (status is null)
                {
                    error = $"Order status '{order.Status}' is not a canonical status and is not in the order-status map; add it to OrderStatusMap or set DefaultOrderStatus.";
                    return entity;
                }

                return status == order.Status ? order : order with { Status = status };

            case Customer { Group: not null } customer:
                string? group = MapValue(customer.Group, CustomerGroups.IsCanonical, _options.CustomerGroupMap, _options.DefaultCustomerGroup);
                if (group is null)
                {
                    error = $"Customer group '{customer.Group}' is not a canonical group and is not in the customer-group map; add it to CustomerGroupMap or set DefaultCustomerGroup.";
                    return entity;
                }

                return group == customer.Group ? customer : customer with { Group = group };
        }

        if (!_options.StripHtml)
        {
            return entity;
        }

        return entity switch
        {
            Product p => p with { Description = HtmlText.Strip(p.Description), ShortDescription = HtmlText.Strip(p.ShortDescription) },
            Category c => c with { Description = HtmlText.Strip(c.Description) },
            Manufacturer m => m with { Description = HtmlText.Strip(m.Description) },
            Page page => page with { Body = HtmlText.Strip(page.Body) },
            BlogPost post => post with { Body = HtmlText.Strip(post.Body), Excerpt = HtmlText.Strip(post.Excerpt) },
            Review r => r with { Content = HtmlText.Strip(r.Content) },
            _ => entity,
        };
    }

    /// <summary>Maps a raw value: an explicit map entry wins, then a canonical value passes through, then the default.</summary>
    public static string? MapValue(string value, Func<string, bool> isCanonical, IDictionary<string, string> map, string? defaultValue)
    {
        if (map.TryGetValue(value, out string? mapped))
        {
            return mapped;
        }

        return isCanonical(value) ? value : defaultValue;
    }
}
