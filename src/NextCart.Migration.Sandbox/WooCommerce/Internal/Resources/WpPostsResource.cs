using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// WordPress core <c>/wp/v2/posts</c> and <c>/wp/v2/pages</c> (<c>WP_REST_Posts_Controller</c>). Published items are public;
/// drafts, <c>status</c> other than publish, <c>context=edit</c> and every write need a logged-in user (an application password).
/// A page past the end is <c>400 rest_post_invalid_page_number</c>.
/// </summary>
internal sealed partial class WpPostsResource : WooResource
{
    private readonly bool _pages;

    public WpPostsResource(WooContext context, bool pages)
        : base(context)
    {
        _pages = pages;
        List<ParamSpec> specs =
        [
            Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("desc"),
            Params.OrderBy("date", "author", "date", "id", "include", "modified", "parent", "relevance", "slug", "include_slugs", "title", "menu_order"),
            new("after", ParamType.DateTime), new("before", ParamType.DateTime), new("modified_after", ParamType.DateTime), new("modified_before", ParamType.DateTime),
            new("author", ParamType.IntegerList), new("slug", ParamType.StringList), new("status", ParamType.StringList, Default: "publish"),
        ];
        if (pages)
        {
            specs.Add(new("parent", ParamType.IntegerList));
        }
        else
        {
            specs.Add(new("categories", ParamType.IntegerList));
            specs.Add(new("tags", ParamType.IntegerList));
            specs.Add(new("sticky", ParamType.Boolean));
        }

        CollectionParams = specs;
    }

    protected override ResourceTable Table => _pages ? Store.Pages : Store.Posts;

    protected override string ObjectType => "post";

    protected override Paging Paging => Paging.WordPress;

    protected override bool SupportsTrash => true;

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; }

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Any("title"),
        FieldSpec.Any("content"),
        FieldSpec.Any("excerpt"),
        FieldSpec.Str("status", "publish", "future", "draft", "pending", "private"),
        FieldSpec.Str("slug"),
        FieldSpec.Any("date"),
        FieldSpec.Any("date_gmt"),
        FieldSpec.Int("author"),
        FieldSpec.Int("featured_media"),
        FieldSpec.Str("comment_status", "open", "closed"),
        FieldSpec.Str("ping_status", "open", "closed"),
        FieldSpec.Str("format", "standard", "aside", "chat", "gallery", "link", "image", "quote", "status", "video", "audio"),
        FieldSpec.Bool("sticky"),
        FieldSpec.Ints("categories"),
        FieldSpec.Ints("tags"),
        FieldSpec.Int("parent"),
        FieldSpec.Int("menu_order"),
        FieldSpec.Str("template"),
        FieldSpec.Str("password"));

    protected override string CollectionRoute(WooRequest request) => _pages ? "/wp/v2/pages" : "/wp/v2/posts";

    protected override RestException InvalidId(int status) => new("rest_post_invalid_id", "Invalid post ID.", 404);

    protected override RestException AlreadyTrashed() => new("rest_already_trashed", "The post has already been deleted.", 410);

    protected override void Authorize(WooRequest request, Operation operation)
    {
        if (request.IsAuthenticated)
        {
            return;
        }

        switch (operation)
        {
            case Operation.List or Operation.Read when request.Str("context") == "edit":
                throw new RestException("rest_forbidden_context", "Sorry, you are not allowed to edit posts in this post type.", 401);
            case Operation.List or Operation.Read:
                return;
            case Operation.Create:
                throw new RestException("rest_cannot_create", $"Sorry, you are not allowed to create {(_pages ? "pages" : "posts")} as this user.", 401);
            case Operation.Edit:
                throw new RestException("rest_cannot_edit", $"Sorry, you are not allowed to edit this {(_pages ? "page" : "post")}.", 401);
            default:
                throw new RestException("rest_cannot_delete", $"Sorry, you are not allowed to delete this {(_pages ? "page" : "post")}.", 401);
        }
    }

    public override WooResponse List(WooRequest request)
    {
        // sanitize_post_statuses: anything but "publish" needs edit rights, reported as an invalid "status" parameter.
        List<string> statuses = Json.List(request.Param("status"));
        if (!request.IsAuthenticated && statuses.Any(s => s != "publish"))
        {
            throw RestException.InvalidParams([new ParamError("status", "rest_forbidden_status", "Status is forbidden.", new JsonObject { ["status"] = 401 })]);
        }

        return base.List(request);
    }

    public override WooResponse Get(WooRequest request)
    {
        Params.Validate(request, [Params.Context]);
        JsonObject item = Find(request, request.UrlId("id")) ?? throw InvalidId(404);
        Authorize(request, Operation.Read);
        if (!request.IsAuthenticated && Json.Str(item, "status") != "publish")
        {
            throw new RestException("rest_forbidden", "Sorry, you are not allowed to do that.", 401);
        }

        return new WooResponse(200, Fields(Render(item, request), request));
    }

    public override WooResponse Delete(WooRequest request)
    {
        bool force = Params.Bool(request, "force");
        WooResponse response = base.Delete(request);
        if (force)
        {
            return new WooResponse(200, new JsonObject { ["deleted"] = true, ["previous"] = response.Body?.DeepClone() });
        }

        // wp_trash_post, then the trashed post is returned.
        JsonObject item = Table.Find(request.UrlId("id"))!;
        return new WooResponse(200, Fields(Render(item, request), request));
    }

    public override WooResponse Batch(WooRequest request) => throw RestException.NoRoute();

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        List<string> statuses = Json.List(request.Param("status"));
        if (statuses.Count == 0)
        {
            statuses = ["publish"];
        }

        items = statuses.Contains("any")
            ? items.Where(p => Json.Str(p, "status") != "trash")
            : items.Where(p => statuses.Contains(Json.Str(p, "status")));
        // WordPress registers the slug filter with 'sanitize_callback' => 'wp_parse_slug_list', which runs sanitize_title over
        // each value (WP_REST_Posts_Controller::get_collection_params): ?slug=About Us finds the page whose slug is about-us.
        if (Json.List(request.Param("slug")) is { Count: > 0 } slugs)
        {
            var sanitized = slugs.Select(WooContext.SanitizeTitle).ToHashSet(StringComparer.OrdinalIgnoreCase);
            items = items.Where(p => sanitized.Contains(Json.Str(p, "slug")));
        }

        if (request.Str("search") is { Length: > 0 } search)
        {
            items = items.Where(p => Json.Str(p, "__title").Contains(search, StringComparison.OrdinalIgnoreCase) || Json.Str(p, "__content").Contains(search, StringComparison.OrdinalIgnoreCase));
        }

        if (Json.IdList(request.Param("author")) is { Count: > 0 } authors)
        {
            items = items.Where(p => authors.Contains(Json.Long(p, "author")));
        }

        foreach (string taxonomy in new[] { "categories", "tags" })
        {
            if (!_pages && Json.IdList(request.Param(taxonomy)) is { Count: > 0 } termIds)
            {
                items = items.Where(p => Json.IdList(p[taxonomy]).Any(termIds.Contains));
            }
        }

        if (_pages && Json.IdList(request.Param("parent")) is { Count: > 0 } parents)
        {
            items = items.Where(p => parents.Contains(Json.Long(p, "parent")));
        }

        if (!_pages && request.Has("sticky"))
        {
            bool sticky = Params.Bool(request, "sticky");
            items = items.Where(p => Json.Bool(p, "sticky") == sticky);
        }

        return FilterDates(items, request, "date", "modified");
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "author" => (a, b) => Json.Long(a, "author").CompareTo(Json.Long(b, "author")),
        "modified" => (a, b) => CompareDate(a, b, "modified"),
        "parent" => (a, b) => Json.Long(a["parent"]).CompareTo(Json.Long(b["parent"])),
        "slug" or "include_slugs" => (a, b) => CompareText(a, b, "slug"),
        "title" => (a, b) => string.Compare(Json.Str(a, "__title"), Json.Str(b, "__title"), StringComparison.OrdinalIgnoreCase),
        "menu_order" => (a, b) => Json.Long(a["menu_order"]).CompareTo(Json.Long(b["menu_order"])),
        _ => (a, b) => CompareDate(a, b, "date"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        links["about"] = WooContext.Links(Context.RestUrl("/wp/v2/types/" + (_pages ? "page" : "post")));
        links["author"] = new JsonArray(new JsonObject { ["embeddable"] = true, ["href"] = Context.RestUrl("/wp/v2/users/" + Json.Long(stored, "author").ToString(CultureInfo.InvariantCulture)) });
        return links;
    }

    public override JsonObject View(JsonObject stored) => View(stored, edit: false);

    protected override JsonObject ViewFor(JsonObject stored, WooRequest request)
        => View(stored, edit: request.IsAuthenticated && request.Str("context") == "edit");

    public JsonObject View(JsonObject stored, bool edit)
    {
        long id = Json.Long(stored, "id");
        string slug = Json.Str(stored, "slug");
        string status = Json.Str(stored, "status");
        string guid = string.Create(CultureInfo.InvariantCulture, $"{Store.SiteUrl}/?{(_pages ? "page_id" : "p")}={id}");
        string title = Json.Str(stored, "__title");
        string content = Json.Str(stored, "__content");
        string excerpt = Json.Str(stored, "__excerpt");
        JsonObject view = new() { ["id"] = id };
        view["date"] = Json.Clone(stored["date"]);
        view["date_gmt"] = Json.Clone(stored["date_gmt"]);
        view["guid"] = Rendered(guid, edit, guid);
        view["modified"] = Json.Clone(stored["modified"]);
        view["modified_gmt"] = Json.Clone(stored["modified_gmt"]);
        view["slug"] = slug;
        view["status"] = status;
        view["type"] = _pages ? "page" : "post";
        view["link"] = status == "publish" && slug.Length > 0 ? $"{Store.SiteUrl}/{PathOf(stored)}/" : guid;
        view["title"] = Rendered(title, edit, title);
        JsonObject contentView = Rendered(content, edit, content);
        contentView["protected"] = false;
        view["content"] = contentView;
        JsonObject excerptView = Rendered(ExcerptHtml(excerpt, content), edit, excerpt);
        excerptView["protected"] = false;
        view["excerpt"] = excerptView;
        view["author"] = Json.Long(stored, "author");
        view["featured_media"] = Json.Long(stored, "featured_media");
        if (_pages)
        {
            view["parent"] = Json.Long(stored, "parent");
            view["menu_order"] = Json.Long(stored, "menu_order");
        }

        view["comment_status"] = Json.Str(stored, "comment_status");
        view["ping_status"] = Json.Str(stored, "ping_status");
        if (!_pages)
        {
            view["sticky"] = Json.Bool(stored, "sticky");
        }

        view["template"] = Json.Str(stored, "template");
        if (!_pages)
        {
            view["format"] = Json.Str(stored, "format");
        }

        view["meta"] = new JsonArray();
        if (!_pages)
        {
            view["categories"] = Json.Clone(stored["categories"]) ?? new JsonArray();
            view["tags"] = Json.Clone(stored["tags"]) ?? new JsonArray();
        }

        if (edit)
        {
            view["password"] = string.Empty;
            view["generated_slug"] = WooContext.SanitizeTitle(title);
        }

        return view;
    }

    public JsonObject NewPost(long id, DateTimeOffset created)
    {
        JsonObject post = new() { ["id"] = id };
        Time.Set(post, "date", created);
        Time.Set(post, "modified", created);
        post["slug"] = string.Empty;
        post["status"] = "draft";
        post["author"] = WooStore.AdminUserId;
        post["featured_media"] = 0;
        post["parent"] = 0;
        post["menu_order"] = 0;
        post["comment_status"] = _pages ? "closed" : "open";
        post["ping_status"] = _pages ? "closed" : "open";
        post["sticky"] = false;
        post["template"] = string.Empty;
        post["format"] = "standard";
        post["categories"] = new JsonArray();
        post["tags"] = new JsonArray();
        post["__title"] = string.Empty;
        post["__content"] = string.Empty;
        post["__excerpt"] = string.Empty;
        return post;
    }

    public override WooResponse Create(WooRequest request)
    {
        if (!request.IsBatchItem && Json.Long(request.Param("id")) != 0)
        {
            throw new RestException("rest_post_exists", "Cannot create existing post.", 400);
        }

        return base.Create(request);
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject post = NewPost(Store.NextPostId(), Time.Now());
        Apply(post, args);
        Table.Put(post);
        return post;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args);
        Table.Put(updated);
    }

    protected override void Trash(JsonObject stored, WooRequest request)
    {
        stored["__previous_status"] = Json.Str(stored, "status");
        stored["status"] = "trash";
        Time.Set(stored, "modified", Time.Now());
        Table.Touch();
    }

    private void Apply(JsonObject post, JsonObject args)
    {
        if (args.ContainsKey("title"))
        {
            post["__title"] = RawOf(args["title"]);
        }

        if (args.ContainsKey("content"))
        {
            post["__content"] = RawOf(args["content"]);
        }

        if (args.ContainsKey("excerpt"))
        {
            post["__excerpt"] = RawOf(args["excerpt"]);
        }

        ProductsResource.CopyStrings(post, args, "status", "comment_status", "ping_status", "template", "format");
        ProductsResource.CopyLongs(post, args, "author", "featured_media", "parent", "menu_order");
        ProductsResource.CopyBools(post, args, "sticky");
        if (!_pages)
        {
            foreach ((string field, ResourceTable terms) in new[] { ("categories", Store.WpCategories), ("tags", Store.WpTags) })
            {
                if (args.ContainsKey(field))
                {
                    post[field] = Json.Longs(Json.IdList(args[field]).Where(id => terms.Find(id) is not null).Distinct());
                }
            }

            if (Json.IdList(post["categories"]).Count == 0)
            {
                // The default category ("Uncategorized", id 1).
                post["categories"] = Json.Longs([1]);
            }
        }

        ProductRules.SetDate(Time, post, args, "date");
        string status = Json.Str(post, "status");
        if (args.ContainsKey("slug") || Json.Str(post, "slug").Length == 0)
        {
            string wanted = WooContext.SanitizeTitle(Json.Str(args["slug"]) is { Length: > 0 } slug ? slug : Json.Str(post, "__title"));
            if (!args.ContainsKey("slug") && status is "draft" or "pending")
            {
                wanted = string.Empty;
            }

            post["slug"] = wanted.Length == 0 ? string.Empty : WooContext.UniqueSlug(wanted, Table.All, Json.Long(post, "id"));
        }

        Time.Set(post, "modified", Time.Now());
    }

    private string PathOf(JsonObject post)
    {
        string slug = Json.Str(post, "slug");
        if (_pages && Json.Long(post, "parent") is > 0 and var parentId && Store.Pages.Find(parentId) is { } parent && parentId != Json.Long(post, "id"))
        {
            return PathOf(parent) + "/" + slug;
        }

        return slug;
    }

    private static string RawOf(JsonNode? value) => value is JsonObject o ? Json.Str(o["raw"]) ?? string.Empty : Json.Str(value) ?? string.Empty;

    private static JsonObject Rendered(string rendered, bool edit, string raw)
    {
        JsonObject value = [];
        if (edit)
        {
            value["raw"] = raw;
        }

        value["rendered"] = rendered;
        return value;
    }

    /// <summary>The rendered excerpt: the given excerpt in a paragraph, or the first 55 words of the content with <c>[&amp;hellip;]</c>.</summary>
    private static string ExcerptHtml(string excerpt, string content)
    {
        if (excerpt.Length > 0)
        {
            return excerpt.TrimStart().StartsWith('<') ? excerpt : "<p>" + excerpt + "</p>\n";
        }

        string text = TagPattern().Replace(content, " ");
        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        return "<p>" + string.Join(" ", words.Take(55)) + (words.Length > 55 ? " [&hellip;]" : string.Empty) + "</p>\n";
    }

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
