using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>How a request authenticated.</summary>
internal enum AuthKind
{
    None = 0,
    WooCommerceKey = 1,
    ApplicationPassword = 2,
}

/// <summary>
/// One REST request as WordPress sees it: the method (after <c>_method</c> or <c>X-HTTP-Method-Override</c>), the route under
/// <c>/wp-json</c>, and the parameters of each source. <see cref="Param"/> looks them up in WordPress's order: JSON body, form
/// body, query string, then the route's URL parameters.
/// </summary>
internal sealed class WooRequest
{
    private readonly Dictionary<string, JsonNode?> _url = new(StringComparer.Ordinal);

    public WooRequest(string method, string route, JsonObject query, JsonObject? json, JsonObject? form)
    {
        Method = method;
        Route = route;
        Query = query;
        JsonBody = json;
        FormBody = form;
    }

    public string Method { get; set; }

    /// <summary>Gets the route under <c>/wp-json</c>, such as <c>/wc/v3/products/12</c>.</summary>
    public string Route { get; }

    public JsonObject Query { get; }

    public JsonObject? JsonBody { get; }

    public JsonObject? FormBody { get; }

    /// <summary>Gets or sets the raw query string (without <c>?</c>), kept as sent for <c>Link</c> headers.</summary>
    public string RawQuery { get; init; } = string.Empty;

    /// <summary>Gets or sets the site URL the links are built from, such as <c>http://127.0.0.1:5000</c>.</summary>
    public string SiteUrl { get; init; } = string.Empty;

    public AuthKind Auth { get; set; }

    /// <summary>Gets a value indicating whether this is one item of a batch request (argument validation is skipped).</summary>
    public bool IsBatchItem { get; init; }

    public bool IsAuthenticated => Auth != AuthKind.None;

    public bool IsRead => Method is "GET" or "HEAD";

    public void SetUrlParam(string name, string value)
        => _url[name] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) ? JsonValue.Create(number) : JsonValue.Create(value);

    public long UrlId(string name) => _url.TryGetValue(name, out JsonNode? node) ? Json.Long(node) : 0;

    /// <summary>Looks a parameter up in WordPress's order: JSON, form body (non-GET), query, URL.</summary>
    public JsonNode? Param(string name)
    {
        if (JsonBody is not null && JsonBody.TryGetPropertyValue(name, out JsonNode? json))
        {
            return json;
        }

        if (FormBody is not null && !IsRead && FormBody.TryGetPropertyValue(name, out JsonNode? form))
        {
            return form;
        }

        if (Query.TryGetPropertyValue(name, out JsonNode? query))
        {
            return query;
        }

        return _url.TryGetValue(name, out JsonNode? url) ? url : null;
    }

    public bool Has(string name) => Param(name) is not null;

    public string? Str(string name) => Json.Str(Param(name));

    /// <summary>Merges every parameter source into one object, the later sources losing to the earlier as in <see cref="Param"/>.</summary>
    public JsonObject AllParams()
    {
        JsonObject all = [];
        foreach (KeyValuePair<string, JsonNode?> pair in _url)
        {
            all[pair.Key] = Json.Clone(pair.Value);
        }

        Overlay(all, Query);
        if (!IsRead)
        {
            Overlay(all, FormBody);
        }

        Overlay(all, JsonBody);
        return all;
    }

    /// <summary>Creates the request for one item of a batch, as <c>WC_REST_Controller::batch_items</c> builds it.</summary>
    public WooRequest ForBatchItem(string method, JsonObject body)
    {
        WooRequest item = new(method, Route, Query, body, null) { RawQuery = RawQuery, SiteUrl = SiteUrl, Auth = Auth, IsBatchItem = true };
        foreach (KeyValuePair<string, JsonNode?> pair in _url)
        {
            item._url[pair.Key] = Json.Clone(pair.Value);
        }

        return item;
    }

    /// <summary>Parses a query string or form body into PHP-style nested parameters (<c>a[]=1</c>, <c>a[b]=2</c>).</summary>
    public static JsonObject ParsePhpParams(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        JsonObject root = [];
        foreach ((string rawKey, string value) in pairs)
        {
            int bracket = rawKey.IndexOf('[', StringComparison.Ordinal);
            if (bracket <= 0)
            {
                root[rawKey] = value;
                continue;
            }

            string name = rawKey[..bracket];
            List<string> keys = [];
            string rest = rawKey[bracket..];
            while (rest.StartsWith('[') && rest.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
            {
                keys.Add(rest[1..close]);
                rest = rest[(close + 1)..];
            }

            Assign(root, name, keys, 0, value);
        }

        return root;
    }

    public static IEnumerable<KeyValuePair<string, string>> SplitQuery(string query)
    {
        foreach (string part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? string.Empty : part[(eq + 1)..];
            yield return new(FormDecode(key), FormDecode(value));
        }
    }

    public static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    public static JsonObject? ParseJsonBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            JsonNode? node = JsonNode.Parse(body);
            return node as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new RestException("rest_invalid_json", "Invalid JSON body passed.", 400, new JsonObject
            {
                ["json_error_code"] = 4,
                ["json_error_message"] = e.Message.Split('.')[0],
            });
        }
    }

    private static void Assign(JsonNode container, string key, List<string> keys, int depth, string value)
    {
        if (depth == keys.Count)
        {
            Put(container, key, JsonValue.Create(value));
            return;
        }

        bool childIsList = keys[depth].Length == 0;
        JsonNode? child = Get(container, key);
        if (child is null || (childIsList ? child is not JsonArray : child is not JsonObject))
        {
            child = childIsList ? new JsonArray() : new JsonObject();
            Put(container, key, child);
        }

        Assign(child, keys[depth], keys, depth + 1, value);
    }

    private static JsonNode? Get(JsonNode container, string key) => container switch
    {
        JsonObject o => o[key],
        _ => null,
    };

    private static void Put(JsonNode container, string key, JsonNode? value)
    {
        switch (container)
        {
            case JsonArray a:
                a.Add(value);
                break;
            case JsonObject o:
                o[key] = value;
                break;
        }
    }

    private static void Overlay(JsonObject target, JsonObject? source)
    {
        if (source is null)
        {
            return;
        }

        foreach (KeyValuePair<string, JsonNode?> pair in source)
        {
            target[pair.Key] = Json.Clone(pair.Value);
        }
    }
}

/// <summary>A response: status, body and headers.</summary>
internal sealed class WooResponse
{
    public WooResponse(int status, JsonNode? body)
    {
        Status = status;
        Body = body;
    }

    public int Status { get; }

    public JsonNode? Body { get; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public WooResponse WithHeader(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}
