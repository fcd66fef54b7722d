using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// The Redirection plugin's <c>/redirection/v1/redirect</c> API (<c>johngodley/redirection</c>, <c>api/api-redirect.php</c> and
/// <c>models/redirect/redirect.php</c>): the list answers <c>{items,total}</c> with a zero-based <c>page</c> and a
/// <c>per_page</c> clamped to 5..200; a create answers the list; an update answers <c>{item}</c>.
/// </summary>
internal sealed class RedirectionResource
{
    private static readonly string[] ActionTypes = ["url", "error", "random", "pass", "nothing"];
    private static readonly string[] MatchTypes = ["url", "referrer", "agent", "login", "header", "custom", "cookie", "role", "server", "ip", "page", "language"];
    private readonly WooContext _context;

    public RedirectionResource(WooContext context)
    {
        _context = context;
    }

    private WooStore Store => _context.Store;

    public static void Authorize(WooRequest request)
    {
        if (!request.IsAuthenticated)
        {
            throw new RestException("rest_forbidden", "Sorry, you are not allowed to do that.", 401);
        }
    }

    public WooResponse List(WooRequest request)
    {
        Authorize(request);
        return new WooResponse(200, ListBody(request));
    }

    public WooResponse Create(WooRequest request)
    {
        Authorize(request);
        JsonObject args = request.AllParams();
        if (args.ContainsKey("url"))
        {
            List<string> urls = args["url"] is JsonArray many ? [.. many.Select(u => Json.Str(u) ?? string.Empty)] : [Json.Str(args["url"]) ?? string.Empty];
            foreach (string url in urls.Distinct(StringComparer.Ordinal))
            {
                JsonObject redirect = new() { ["id"] = 0 };
                Apply(redirect, args, url, creating: true);
                redirect["id"] = Store.NextRedirectId();
                Store.Redirects.Put(redirect);
            }
        }

        return new WooResponse(200, ListBody(request));
    }

    public WooResponse Update(WooRequest request)
    {
        Authorize(request);
        JsonObject stored = Store.Redirects.Find(request.UrlId("id"))
            ?? throw new RestException("redirect_update_failed", "Invalid redirect details", 400);
        JsonObject args = request.AllParams();
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args, Json.Str(args["url"]) ?? Json.Str(stored, "url"), creating: false);
        Store.Redirects.Put(updated);
        return new WooResponse(200, new JsonObject { ["item"] = View(updated) });
    }

    public WooResponse Bulk(WooRequest request, string action)
    {
        Authorize(request);
        foreach (long id in Json.IdList(request.Param("items")))
        {
            if (Store.Redirects.Find(id) is not { } redirect)
            {
                continue;
            }

            switch (action)
            {
                case "delete":
                    Store.Redirects.Remove(id);
                    break;
                case "enable":
                case "disable":
                    redirect["enabled"] = action == "enable";
                    Store.Redirects.Touch();
                    break;
                default:
                    redirect["hits"] = 0;
                    redirect["last_access"] = "-";
                    Store.Redirects.Touch();
                    break;
            }
        }

        return new WooResponse(200, ListBody(request));
    }

    public static JsonObject View(JsonObject stored) => Json.Public(stored);

    /// <summary><c>Red_Item::get_filtered</c>.</summary>
    private JsonObject ListBody(WooRequest request)
    {
        IEnumerable<JsonObject> items = Store.Redirects.All;
        if (request.Param("filterBy") is JsonObject filter)
        {
            if (Json.Str(filter["status"]) is { Length: > 0 } status)
            {
                items = items.Where(r => Json.Bool(r, "enabled") == (status == "enabled"));
            }

            if (Json.Str(filter["url"]) is { Length: > 0 } url)
            {
                items = items.Where(r => Json.Str(r, "url").Contains(url, StringComparison.OrdinalIgnoreCase));
            }

            if (Json.Str(filter["target"]) is { Length: > 0 } target)
            {
                items = items.Where(r => (Json.Str((r["action_data"] as JsonObject)?["url"]) ?? string.Empty).Contains(target, StringComparison.OrdinalIgnoreCase));
            }

            if (Json.Str(filter["title"]) is { Length: > 0 } title)
            {
                items = items.Where(r => Json.Str(r, "title").Contains(title, StringComparison.OrdinalIgnoreCase));
            }

            if (filter.ContainsKey("group"))
            {
                long group = Json.Long(filter["group"]);
                items = items.Where(r => Json.Long(r, "group_id") == group);
            }

            if (filter.ContainsKey("http"))
            {
                long code = Json.Long(filter["http"]);
                items = items.Where(r => Json.Long(r, "action_code") == code);
            }
        }

        List<JsonObject> list = [.. items];
        string orderBy = request.Str("orderby") ?? "id";
        bool ascending = request.Str("direction") == "asc";
        Func<JsonObject, IComparable> key = orderBy switch
        {
            "source" or "url" => r => Json.Str(r, "url"),
            "last_count" => r => Json.Long(r, "hits"),
            "last_access" => r => Json.Str(r, "last_access"),
            "position" => r => Json.Long(r, "position"),
            _ => r => Json.Long(r, "id"),
        };
        list = ascending ? [.. list.OrderBy(key).ThenBy(r => Json.Long(r, "id"))] : [.. list.OrderByDescending(key).ThenByDescending(r => Json.Long(r, "id"))];
        long perPage = request.Has("per_page") ? Math.Clamp(Json.Long(request.Param("per_page")), 5, 200) : 25;
        long page = Math.Max(0, Json.Long(request.Param("page")));
        return new JsonObject
        {
            ["items"] = Json.Array(list.Skip((int)Math.Min(page * perPage, int.MaxValue)).Take((int)perPage).Select(r => (JsonNode?)View(r))),
            ["total"] = list.Count,
        };
    }

    /// <summary><c>Red_Item_Sanitize::get</c>, reduced to the checks a migration meets: a known group, action and match type.</summary>
    private void Apply(JsonObject redirect, JsonObject args, string url, bool creating)
    {
        long group = args.ContainsKey("group_id") ? Json.Long(args["group_id"]) : Json.Long(redirect["group_id"]);
        if (group is not (1 or 2))
        {
            throw new RestException(creating ? "redirect_create_failed" : "redirect_update_failed", "Invalid group when creating redirect", 400);
        }

        string actionType = args.ContainsKey("action_type") ? Json.Str(args["action_type"]) ?? string.Empty : Json.Str(redirect["action_type"]) ?? "url";
        if (!ActionTypes.Contains(actionType, StringComparer.Ordinal))
        {
            throw new RestException(creating ? "redirect_create_failed" : "redirect_update_failed", "Invalid redirect action", 400);
        }

        string matchType = args.ContainsKey("match_type") ? Json.Str(args["match_type"]) ?? "url" : Json.Str(redirect["match_type"]) ?? "url";
        if (!MatchTypes.Contains(matchType, StringComparer.Ordinal))
        {
            throw new RestException(creating ? "redirect_create_failed" : "redirect_update_failed", "Invalid redirect matcher", 400);
        }

        bool regex = args.ContainsKey("regex") ? Json.Bool(args["regex"]) : Json.Bool(redirect["regex"]);
        if (url.Length == 0)
        {
            url = "/" + WooContext.Token("auto:" + Store.Redirects.Count.ToString(CultureInfo.InvariantCulture), 8);
        }

        if (!regex && !url.StartsWith('/') && !url.Contains("://", StringComparison.Ordinal))
        {
            url = "/" + url;
        }

        string target = args["action_data"] is JsonObject data ? Json.Str(data["url"]) ?? string.Empty : Json.Str(args["action_data"]) ?? Json.Str((redirect["action_data"] as JsonObject)?["url"]) ?? string.Empty;
        redirect["url"] = url;
        redirect["match_url"] = regex ? "regex" : MatchUrl(url);
        redirect["match_data"] = new JsonObject
        {
            ["source"] = new JsonObject { ["flag_query"] = "exact", ["flag_case"] = false, ["flag_trailing"] = false, ["flag_regex"] = regex },
        };
        redirect["action_code"] = args.ContainsKey("action_code") ? Json.Long(args["action_code"]) : redirect.ContainsKey("action_code") ? Json.Long(redirect["action_code"]) : 301;
        redirect["action_type"] = actionType;
        redirect["action_data"] = new JsonObject { ["url"] = target };
        redirect["match_type"] = matchType;
        redirect["title"] = args.ContainsKey("title") ? Json.Str(args["title"]) ?? string.Empty : Json.Str(redirect["title"]) ?? string.Empty;
        redirect["hits"] = Json.Long(redirect["hits"]);
        redirect["regex"] = regex;
        redirect["group_id"] = group;
        redirect["position"] = args.ContainsKey("position") && Json.Long(args["position"]) > 0
            ? Json.Long(args["position"])
            : creating ? Store.Redirects.All.Count(r => Json.Long(r, "group_id") == group) : Json.Long(redirect["position"]);
        redirect["last_access"] = Json.Str(redirect["last_access"]) ?? "-";
        bool enabled = !creating && redirect.ContainsKey("enabled") ? Json.Bool(redirect["enabled"]) : true;
        if (args.ContainsKey("status"))
        {
            enabled = Json.Str(args["status"]) != "disabled";
        }
        else if (args.ContainsKey("enabled"))
        {
            enabled = Json.Bool(args["enabled"]) && Json.Str(args["enabled"]) != "disabled";
        }

        redirect["enabled"] = enabled;
    }

    /// <summary><c>Red_Url_Match::get_url</c>: lower case, without the query string and the trailing slash.</summary>
    public static string MatchUrl(string url)
    {
        string path = url.Split('?')[0].ToLowerInvariant();
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
