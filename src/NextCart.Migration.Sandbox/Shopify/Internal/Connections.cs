using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify.Internal.Gql;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>
/// Relay connections as Shopify serves them: <c>nodes</c>, <c>edges{cursor node}</c> and <c>pageInfo</c>, with opaque
/// cursors that are base64 of <c>{"last_id":N,"last_value":"V"}</c> (the shape Shopify's cursors decode to, e.g.
/// <c>eyJsYXN0X2lkIjo4Nzg5OTg2MDUwMzc5LCJsYXN0X3ZhbHVlIjoiODc4OTk4NjA1MDM3OSJ9</c> in phpclassic/php-shopify#324).
/// A cursor that does not decode, or that points at a record of another type or another sort, is rejected with the
/// graphql-pro wording (rmosolgo/graphql-ruby#3735).
/// </summary>
internal static class Connections
{
    public static GqlObj Build<T>(string nodeType, IEnumerable<T> items, Func<T, long> id, Func<T, GqlObj> map, GqlArgs args, ShopifyStore store, Func<T, string?, IComparable?>? sortValue = null, string? defaultSort = null)
    {
        string? sortKey = args.Str("sortKey") ?? defaultSort;
        bool reverse = args.Bool("reverse") ?? false;
        List<T> ordered = [.. items];
        IComparable? Key(T item) => sortValue?.Invoke(item, sortKey) ?? id(item);
        ordered.Sort((a, b) =>
        {
            int c = Comparer<IComparable?>.Default.Compare(Key(a), Key(b));
            return c != 0 ? c : id(a).CompareTo(id(b));
        });
        if (reverse)
        {
            ordered.Reverse();
        }

        int start = 0, end = ordered.Count; // [start, end)
        if (args.Str("after") is { } after)
        {
            start = Position(after, "after", ordered, id, Key, nodeType, store, reverse) + 1;
        }

        if (args.Str("before") is { } before)
        {
            end = Math.Min(end, Position(before, "before", ordered, id, Key, nodeType, store, reverse));
        }

        start = Math.Clamp(start, 0, ordered.Count);
        end = Math.Clamp(end, start, ordered.Count);
        if (args.Int("first") is { } first)
        {
            end = Math.Min(end, start + first);
        }
        else if (args.Int("last") is { } last)
        {
            start = Math.Max(start, end - last);
        }

        List<T> page = ordered.GetRange(start, end - start);
        JsonArray nodes = [];
        List<GqlObj> nodeObjs = [];
        List<GqlObj> edges = [];
        foreach (T item in page)
        {
            GqlObj node = map(item);
            nodeObjs.Add(node);
            edges.Add(new GqlObj(nodeType + "Edge").Set("cursor", Cursor(id(item), Key(item))).Set("node", node));
        }

        GqlObj pageInfo = new GqlObj("PageInfo")
            .Set("hasNextPage", end < ordered.Count)
            .Set("hasPreviousPage", start > 0)
            .Set("startCursor", page.Count > 0 ? Cursor(id(page[0]), Key(page[0])) : null)
            .Set("endCursor", page.Count > 0 ? Cursor(id(page[^1]), Key(page[^1])) : null);
        return new GqlObj(nodeType + "Connection") { NodeCount = page.Count }
            .Set("nodes", nodeObjs)
            .Set("edges", edges)
            .Set("pageInfo", pageInfo);
    }

    public static string Cursor(long id, IComparable? value)
    {
        string rendered = value switch
        {
            DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            null => string.Empty,
            _ => value.ToString() ?? string.Empty,
        };
        JsonObject json = new() { ["last_id"] = id, ["last_value"] = rendered };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    private static int Position<T>(string cursor, string argument, List<T> ordered, Func<T, long> id, Func<T, IComparable?> key, string nodeType, ShopifyStore store, bool reverse)
    {
        GqlException Invalid() => new($"Invalid cursor for `{argument}: \"{cursor}\"`. Fetch a new cursor and try again.", "argumentLiteralsIncompatible");
        long lastId;
        string? lastValue;
        try
        {
            JsonNode? json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
            lastId = json?["last_id"]?.GetValue<long>() ?? throw Invalid();
            lastValue = json?["last_value"]?.GetValue<string>();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw Invalid();
        }

        if (!store.IdTypes.TryGetValue(lastId, out string? type) || !TypeMatches(type, nodeType))
        {
            throw Invalid();
        }

        int index = ordered.FindIndex(item => id(item) == lastId);
        if (index >= 0)
        {
            if (Cursor(lastId, key(ordered[index])) != cursor)
            {
                throw Invalid(); // The cursor came from another sort.
            }

            return index;
        }

        // The record is gone (deleted, or filtered out by this query): continue from where it would be by id.
        int insert = ordered.FindIndex(item => reverse ? id(item) < lastId : id(item) > lastId);
        _ = lastValue;
        return argument == "after" ? (insert < 0 ? ordered.Count : insert) - 1 : insert < 0 ? ordered.Count : insert;
    }

    private static bool TypeMatches(string idType, string nodeType) => nodeType switch
    {
        "DiscountNode" => idType == "DiscountCodeNode",
        "DiscountRedeemCode" => idType == "DiscountRedeemCode",
        "Media" => idType is "MediaImage",
        _ => idType == nodeType,
    };
}
