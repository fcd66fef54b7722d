using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The operations a permission check is made for.</summary>
internal enum Operation
{
    List = 0,
    Read = 1,
    Create = 2,
    Edit = 3,
    Delete = 4,
    Batch = 5,
}

/// <summary>How a collection pages.</summary>
internal enum Paging
{
    /// <summary><c>WC_REST_CRUD_Controller</c>: a page past the end is <c>200 []</c> with the totals; <c>Link</c> has prev and next.</summary>
    WooCommerce = 0,

    /// <summary><c>WP_REST_Posts_Controller</c>: a page past the end is <c>400 rest_post_invalid_page_number</c>.</summary>
    WordPress = 1,

    /// <summary>No paging: every item at once and no headers (attributes, order notes).</summary>
    None = 2,
}

/// <summary>
/// A REST collection and its items with the behaviour WooCommerce's controllers share: argument validation before permission
/// checks, <c>X-WP-Total</c>/<c>X-WP-TotalPages</c>/<c>Link</c> paging, <c>_fields</c>, 201 + <c>Location</c> on create, 400 for
/// an update of an unknown id but 404 for a read or delete, <c>force</c> and trash semantics, and <c>/batch</c>.
/// </summary>
internal abstract class WooResource
{
    private static readonly HashSet<string> UnfilteringParams = new(StringComparer.Ordinal)
    {
        "page", "per_page", "offset", "_fields", "context", "consumer_key", "consumer_secret", "_method", "_envelope", "_locale",
    };

    private (long Version, string Key, List<JsonObject> Items)? _listCache;

    protected WooResource(WooContext context)
    {
        Context = context;
    }

    protected WooContext Context { get; }

    protected WooStore Store => Context.Store;

    protected WooTime Time => Context.Time;

    protected abstract ResourceTable Table { get; }

    /// <summary>Gets the post type or object name used in error codes, such as <c>product</c> or <c>shop_order</c>.</summary>
    protected abstract string ObjectType { get; }

    protected virtual Paging Paging => Paging.WooCommerce;

    protected virtual bool SupportsTrash => false;

    protected virtual IReadOnlyList<ParamSpec> CollectionParams => [Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"), Params.OrderBy("date", "date", "id", "include", "title", "slug", "modified")];

    protected virtual Schema? WriteSchema => null;

    protected virtual IReadOnlyList<string> RequiredOnCreate => [];

    /// <summary>Gets the route of the collection, such as <c>/wc/v3/products</c> or <c>/wc/v3/products/12/variations</c>.</summary>
    protected abstract string CollectionRoute(WooRequest request);

    /// <summary>Gets the item's full representation, without <c>_links</c>.</summary>
    public abstract JsonObject View(JsonObject stored);

    /// <summary>Gets the item's representation for a request (the <c>context</c> may add fields).</summary>
    protected virtual JsonObject ViewFor(JsonObject stored, WooRequest request) => View(stored);

    /// <summary>Checks the URL parameters of a nested collection (the parent must exist).</summary>
    protected virtual void CheckScope(WooRequest request)
    {
    }

    protected virtual bool InScope(JsonObject item, WooRequest request) => true;

    protected virtual IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request) => items;

    /// <summary>Gets the ascending comparison for an <c>orderby</c> value.</summary>
    protected abstract Comparison<JsonObject> OrderBy(string orderBy);

    protected virtual JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        string collection = Context.RestUrl(CollectionRoute(request));
        return new JsonObject
        {
            ["self"] = WooContext.Links(collection + "/" + Json.Long(stored, "id").ToString(CultureInfo.InvariantCulture)),
            ["collection"] = WooContext.Links(collection),
        };
    }

    protected abstract JsonObject Insert(JsonObject args, WooRequest request);

    protected abstract void Modify(JsonObject stored, JsonObject args, WooRequest request);

    protected virtual void Remove(JsonObject stored, WooRequest request) => Table.Remove(Json.Long(stored, "id"));

    protected virtual void Trash(JsonObject stored, WooRequest request)
    {
        stored["status"] = "trash";
        Time.Set(stored, "date_modified", Time.Now());
        Table.Touch();
    }

    protected virtual RestException InvalidId(int status) => new($"woocommerce_rest_{ObjectType}_invalid_id", "Invalid ID.", status);

    protected virtual RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", $"The {ObjectType} does not support trashing.", 501);

    protected virtual RestException AlreadyTrashed() => new("woocommerce_rest_already_trashed", $"The {ObjectType} has already been deleted.", 410);

    /// <summary>Checks permission; WooCommerce answers an unauthenticated request with 401 and a code per operation.</summary>
    protected virtual void Authorize(WooRequest request, Operation operation)
    {
        if (request.IsAuthenticated)
        {
            return;
        }

        throw operation switch
        {
            Operation.List => new RestException("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401),
            Operation.Read => new RestException("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401),
            Operation.Create => new RestException("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.", 401),
            Operation.Edit => new RestException("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.", 401),
            Operation.Delete => new RestException("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.", 401),
            _ => new RestException("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.", 401),
        };
    }

    protected JsonObject? Find(WooRequest request, long id)
    {
        JsonObject? item = Table.Find(id);
        return item is not null && InScope(item, request) ? item : null;
    }

    /// <summary>Renders an item as the API returns it: its view plus <c>_links</c>.</summary>
    public JsonObject Render(JsonObject stored, WooRequest request)
    {
        JsonObject view = ViewFor(stored, request);
        view["_links"] = ItemLinks(stored, request);
        return view;
    }

    public virtual WooResponse List(WooRequest request)
    {
        Params.Validate(request, CollectionParams);
        Authorize(request, Operation.List);
        CheckScope(request);
        List<long> include = Json.IdList(request.Param("include"));
        string? key = CacheKey(request);
        if (key is not null && _listCache is { } cached && cached.Version == Store.Version && cached.Key == key)
        {
            return Paging == Paging.None
                ? new WooResponse(200, Json.Array(cached.Items.Select(i => (JsonNode?)Fields(Render(i, request), request))))
                : Page(cached.Items, request, i => Render(i, request));
        }

        List<JsonObject> items = [.. Filter(Table.All.Where(i => InScope(i, request)), request)];
        if (include.Count > 0)
        {
            HashSet<long> wanted = [.. include];
            items.RemoveAll(i => !wanted.Contains(Json.Long(i, "id")));
        }

        List<long> exclude = Json.IdList(request.Param("exclude"));
        if (exclude.Count > 0)
        {
            HashSet<long> unwanted = [.. exclude];
            items.RemoveAll(i => unwanted.Contains(Json.Long(i, "id")));
        }

        Sort(items, request, include);
        if (key is not null)
        {
            // Sequential paging re-runs the same query; the filtered and sorted list is kept until any table changes.
            _listCache = (Store.Version, key, items);
        }

        if (Paging == Paging.None)
        {
            return new WooResponse(200, Json.Array(items.Select(i => (JsonNode?)Fields(Render(i, request), request))));
        }

        return Page(items, request, i => Render(i, request));
    }

    public virtual WooResponse Get(WooRequest request)
    {
        Params.Validate(request, [Params.Context]);
        CheckScope(request);
        JsonObject item = Find(request, request.UrlId("id")) ?? throw InvalidId(404);
        Authorize(request, Operation.Read);
        return new WooResponse(200, Fields(Render(item, request), request));
    }

    public virtual WooResponse Create(WooRequest request)
    {
        JsonObject args = request.IsBatchItem ? request.JsonBody ?? [] : request.AllParams();
        if (!request.IsBatchItem)
        {
            List<string> missing = [.. RequiredOnCreate.Where(name => request.Param(name) is null)];
            if (missing.Count > 0)
            {
                throw RestException.MissingParams(missing);
            }

            WriteSchema?.Validate(args);
            Authorize(request, Operation.Create);
        }

        CheckScope(request);
        if (Json.Long(args["id"]) != 0)
        {
            throw new RestException($"woocommerce_rest_{ObjectType}_exists", $"Cannot create existing {ObjectType}.", 400);
        }

        JsonObject stored = Insert(args, request);
        string location = Context.RestUrl(CollectionRoute(request)) + "/" + Json.Long(stored, "id").ToString(CultureInfo.InvariantCulture);
        return new WooResponse(201, Fields(Render(stored, request), request)).WithHeader("Location", location);
    }

    public virtual WooResponse Update(WooRequest request)
    {
        JsonObject args = request.IsBatchItem ? request.JsonBody ?? [] : request.AllParams();
        if (!request.IsBatchItem)
        {
            WriteSchema?.Validate(args);
        }

        CheckScope(request);
        long id = request.IsBatchItem ? Json.Long(args["id"]) : Json.Long(request.Param("id"));
        JsonObject item = Find(request, id) ?? throw InvalidId(400);
        if (!request.IsBatchItem)
        {
            Authorize(request, Operation.Edit);
        }

        Modify(item, args, request);
        item = Table.Find(Json.Long(item, "id")) ?? item;
        return new WooResponse(200, Fields(Render(item, request), request));
    }

    public virtual WooResponse Delete(WooRequest request)
    {
        Params.Validate(request, [Params.Force]);
        CheckScope(request);
        JsonObject item = Find(request, request.UrlId("id")) ?? throw InvalidId(404);
        if (!request.IsBatchItem)
        {
            Authorize(request, Operation.Delete);
        }

        bool force = request.IsBatchItem || Params.Bool(request, "force");
        JsonObject previous = Render(item, request);
        if (force)
        {
            Remove(item, request);
            return new WooResponse(200, previous);
        }

        if (!SupportsTrash)
        {
            throw TrashNotSupported();
        }

        if (Json.Str(item, "status") == "trash")
        {
            throw AlreadyTrashed();
        }

        Trash(item, request);
        return new WooResponse(200, previous);
    }

    /// <summary><c>WC_REST_Controller::batch_items</c>: at most the batch limit of items in all, per-item errors inside a 200.</summary>
    public virtual WooResponse Batch(WooRequest request)
    {
        Authorize(request, Operation.Batch);
        CheckScope(request);
        JsonObject body = request.JsonBody ?? request.FormBody ?? [];
        JsonArray? create = body["create"] as JsonArray;
        JsonArray? update = body["update"] as JsonArray;
        JsonArray? delete = body["delete"] as JsonArray;
        int total = (create?.Count ?? 0) + (update?.Count ?? 0) + (delete?.Count ?? 0);
        int limit = Context.Settings.BatchLimit;
        if (total > limit)
        {
            throw new RestException("woocommerce_rest_request_entity_too_large", $"Unable to accept more than {limit} items for this request.", 413);
        }

        JsonObject response = [];
        if (create is { Count: > 0 })
        {
            JsonArray results = [];
            foreach (JsonNode? item in create)
            {
                JsonObject itemBody = item as JsonObject ?? [];
                results.Add(Attempt(0, () => Create(request.ForBatchItem("POST", itemBody))));
            }

            response["create"] = results;
        }

        if (update is { Count: > 0 })
        {
            JsonArray results = [];
            foreach (JsonNode? item in update)
            {
                JsonObject itemBody = item as JsonObject ?? [];
                results.Add(Attempt(Json.Long(itemBody["id"]), () => Update(request.ForBatchItem("PUT", itemBody))));
            }

            response["update"] = results;
        }

        if (delete is { Count: > 0 })
        {
            JsonArray results = [];
            foreach (JsonNode? item in delete)
            {
                long id = Json.Long(item is JsonObject o ? o["id"] : item);
                if (id == 0)
                {
                    continue;
                }

                WooRequest itemRequest = request.ForBatchItem("DELETE", []);
                itemRequest.SetUrlParam("id", id.ToString(CultureInfo.InvariantCulture));
                results.Add(Attempt(id, () => Delete(itemRequest)));
            }

            response["delete"] = results;
        }

        return new WooResponse(200, response);
    }

    private static JsonNode? Attempt(long id, Func<WooResponse> action)
    {
        try
        {
            return action().Body;
        }
        catch (RestException e)
        {
            return new JsonObject
            {
                ["id"] = id,
                ["error"] = new JsonObject { ["code"] = e.Code, ["message"] = e.Message, ["data"] = e.DataObject() },
            };
        }
    }

    /// <summary>The cache key of a list query: the route and every parameter that filters or sorts; null when the result depends on the clock.</summary>
    private static string? CacheKey(WooRequest request)
    {
        List<string> parts = [request.Route, request.IsAuthenticated ? "auth" : "anon"];
        foreach ((string name, JsonNode? value) in request.Query.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name is "on_sale" or "min_price" or "max_price" || (name == "orderby" && Json.Str(value) == "price"))
            {
                return null;
            }

            if (!UnfilteringParams.Contains(name) && !name.StartsWith("oauth_", StringComparison.Ordinal))
            {
                parts.Add(name + "=" + (value?.ToJsonString() ?? "null"));
            }
        }

        return string.Join("&", parts);
    }

    /// <summary>Sorts the items by <c>orderby</c> and <c>order</c>; ties fall back to the id, in the same direction.</summary>
    protected void Sort(List<JsonObject> items, WooRequest request, IReadOnlyList<long> include)
    {
        ParamSpec? orderSpec = CollectionParams.FirstOrDefault(p => p.Name == "order");
        ParamSpec? orderBySpec = CollectionParams.FirstOrDefault(p => p.Name == "orderby");
        bool descending = (request.Str("order") ?? orderSpec?.Default ?? "desc") == "desc";
        string orderBy = request.Str("orderby") ?? orderBySpec?.Default ?? "id";
        if (orderBy == "include" && include.Count > 0)
        {
            Dictionary<long, int> position = [];
            for (int i = 0; i < include.Count; i++)
            {
                position.TryAdd(include[i], i);
            }

            items.Sort((a, b) => position.GetValueOrDefault(Json.Long(a, "id")).CompareTo(position.GetValueOrDefault(Json.Long(b, "id"))));
            return;
        }

        Comparison<JsonObject> primary = OrderBy(orderBy);
        int sign = descending ? -1 : 1;
        items.Sort((a, b) =>
        {
            int c = primary(a, b);
            if (c == 0)
            {
                c = Json.Long(a, "id").CompareTo(Json.Long(b, "id"));
            }

            return sign * c;
        });
    }

    /// <summary>Pages a sorted list and adds <c>X-WP-Total</c>, <c>X-WP-TotalPages</c> and a <c>Link</c> with prev/next.</summary>
    protected WooResponse Page(List<JsonObject> items, WooRequest request, Func<JsonObject, JsonObject> render)
    {
        long page = Params.Int(request, "page", 1);
        long perPage = Params.Int(request, "per_page", 10);
        long offset = request.Param("offset") is { } o && Params.IsInteger(o, out long given) ? Math.Max(0, given) : (page - 1) * perPage;
        long total = items.Count;
        long maxPages = (long)Math.Ceiling(total / (double)perPage);
        if (Paging == Paging.WordPress && page > maxPages && total > 0)
        {
            throw new RestException("rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.", 400);
        }

        JsonArray body = [];
        foreach (JsonObject item in items.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)perPage))
        {
            body.Add(Fields(render(item), request));
        }

        WooResponse response = new WooResponse(200, body)
            .WithHeader("X-WP-Total", total.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-WP-TotalPages", maxPages.ToString(CultureInfo.InvariantCulture));
        List<string> links = [];
        if (page > 1)
        {
            long previous = Math.Min(page - 1, maxPages);
            links.Add($"<{PageUrl(request, previous)}>; rel=\"prev\"");
        }

        if (maxPages > page)
        {
            links.Add($"<{PageUrl(request, page + 1)}>; rel=\"next\"");
        }

        if (links.Count > 0)
        {
            response.WithHeader("Link", string.Join(", ", links));
        }

        return response;
    }

    /// <summary>The request's URL with <c>page</c> replaced, as <c>add_query_arg('page', …)</c> builds it.</summary>
    private string PageUrl(WooRequest request, long page)
    {
        string pageText = page.ToString(CultureInfo.InvariantCulture);
        List<string> parts = [.. request.RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)];
        bool replaced = false;
        for (int i = 0; i < parts.Count; i++)
        {
            string key = WooRequest.FormDecode(parts[i].Split('=')[0]);
            if (key != "page")
            {
                continue;
            }

            if (replaced)
            {
                parts.RemoveAt(i--);
            }
            else
            {
                parts[i] = "page=" + pageText;
                replaced = true;
            }
        }

        if (!replaced)
        {
            parts.Add("page=" + pageText);
        }

        return Context.RestUrl(request.Route) + "?" + string.Join("&", parts);
    }

    /// <summary>Applies <c>_fields</c> as <c>rest_filter_response_fields</c> does (nested paths with dots; <c>_links</c> only when asked).</summary>
    protected static JsonObject Fields(JsonObject item, WooRequest request)
    {
        List<string> fields = Json.List(request.Param("_fields"));
        if (fields.Count == 0)
        {
            return item;
        }

        JsonObject result = [];
        foreach (string field in fields)
        {
            string[] path = field.Split('.');
            CopyPath(item, result, path, 0);
        }

        return result;
    }

    private static void CopyPath(JsonObject source, JsonObject target, string[] path, int depth)
    {
        if (!source.TryGetPropertyValue(path[depth], out JsonNode? value))
        {
            return;
        }

        if (depth == path.Length - 1 || value is not JsonObject child)
        {
            target[path[depth]] = Json.Clone(value);
            return;
        }

        if (target[path[depth]] is not JsonObject nested)
        {
            nested = [];
            target[path[depth]] = nested;
        }

        CopyPath(child, nested, path, depth + 1);
    }

    protected static int CompareText(JsonObject a, JsonObject b, string field)
        => string.Compare(Json.Str(a, field), Json.Str(b, field), StringComparison.OrdinalIgnoreCase);

    protected static int CompareDate(JsonObject a, JsonObject b, string field)
        => string.CompareOrdinal(Json.Str(a[field + "_gmt"]), Json.Str(b[field + "_gmt"]));

    protected static int CompareId(JsonObject a, JsonObject b) => Json.Long(a, "id").CompareTo(Json.Long(b, "id"));

    /// <summary>Filters by <c>modified_after</c>/<c>modified_before</c>/<c>after</c>/<c>before</c> with <c>dates_are_gmt</c> (strict, as <c>WP_Date_Query</c>).</summary>
    protected IEnumerable<JsonObject> FilterDates(IEnumerable<JsonObject> items, WooRequest request, string createdField = "date_created", string modifiedField = "date_modified")
    {
        if (!request.Has("after") && !request.Has("before") && !request.Has("modified_after") && !request.Has("modified_before"))
        {
            foreach (JsonObject item in items)
            {
                yield return item;
            }

            yield break;
        }

        bool gmt = Params.Bool(request, "dates_are_gmt");
        DateTimeOffset? after = Time.ParseInstant(request.Str("after"), gmt);
        DateTimeOffset? before = Time.ParseInstant(request.Str("before"), gmt);
        DateTimeOffset? modifiedAfter = Time.ParseInstant(request.Str("modified_after"), gmt);
        DateTimeOffset? modifiedBefore = Time.ParseInstant(request.Str("modified_before"), gmt);
        foreach (JsonObject item in items)
        {
            DateTimeOffset created = WooTime.ReadGmt(item, createdField) ?? DateTimeOffset.MinValue;
            DateTimeOffset modified = WooTime.ReadGmt(item, modifiedField) ?? created;
            if ((after is { } a && created <= a)
                || (before is { } b && created >= b)
                || (modifiedAfter is { } ma && modified <= ma)
                || (modifiedBefore is { } mb && modified >= mb))
            {
                continue;
            }

            yield return item;
        }
    }

    protected static IEnumerable<JsonObject> FilterSearch(IEnumerable<JsonObject> items, WooRequest request, params string[] fields)
    {
        if (request.Str("search") is not { Length: > 0 } search)
        {
            return items;
        }

        return items.Where(i => fields.Any(f => Json.Str(i, f).Contains(search, StringComparison.OrdinalIgnoreCase)));
    }

    protected static IEnumerable<JsonObject> FilterEquals(IEnumerable<JsonObject> items, WooRequest request, string param, string field)
    {
        List<string> values = Json.List(request.Param(param));
        if (values.Count == 0)
        {
            return items;
        }

        HashSet<string> set = new(values, StringComparer.OrdinalIgnoreCase);
        return items.Where(i => set.Contains(Json.Str(i, field)));
    }
}
