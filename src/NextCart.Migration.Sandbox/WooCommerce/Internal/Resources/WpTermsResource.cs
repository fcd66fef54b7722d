using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>WordPress core <c>/wp/v2/categories</c> and <c>/wp/v2/tags</c> (<c>WP_REST_Terms_Controller</c>): public reads, writes need a logged-in user.</summary>
internal sealed class WpTermsResource : WooResource
{
    private readonly bool _categories;

    public WpTermsResource(WooContext context, bool categories)
        : base(context)
    {
        _categories = categories;
    }

    protected override ResourceTable Table => _categories ? Store.WpCategories : Store.WpTags;

    protected override string ObjectType => "term";

    protected override IReadOnlyList<string> RequiredOnCreate => ["name"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("asc"),
        Params.OrderBy("name", "id", "include", "name", "slug", "include_slugs", "term_group", "description", "count"),
        new("hide_empty", ParamType.Boolean), new("parent", ParamType.Integer), new("post", ParamType.Integer), new("slug", ParamType.StringList),
    ];

    protected override Schema WriteSchema { get; } = new(FieldSpec.Str("name"), FieldSpec.Str("slug"), FieldSpec.Str("description"), FieldSpec.Int("parent"));

    protected override string CollectionRoute(WooRequest request) => _categories ? "/wp/v2/categories" : "/wp/v2/tags";

    protected override RestException InvalidId(int status) => new("rest_term_invalid", "Term does not exist.", 404);

    protected override RestException TrashNotSupported() => new("rest_trash_not_supported", "Terms do not support trashing. Set 'force' to true to delete.", 501);

    protected override void Authorize(WooRequest request, Operation operation)
    {
        if (request.IsAuthenticated || operation is Operation.List or Operation.Read)
        {
            return;
        }

        throw operation switch
        {
            Operation.Create => new RestException("rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.", 401),
            Operation.Edit => new RestException("rest_cannot_update", "Sorry, you are not allowed to edit this term.", 401),
            _ => new RestException("rest_cannot_delete", "Sorry, you are not allowed to delete this term.", 401),
        };
    }

    public override WooResponse Batch(WooRequest request) => throw RestException.NoRoute();

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        items = FilterSearch(items, request, "name", "slug");
        items = FilterEquals(items, request, "slug", "slug");
        if (_categories && request.Has("parent"))
        {
            long parent = Params.Int(request, "parent", 0);
            items = items.Where(t => Json.Long(t, "parent") == parent);
        }

        return items;
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" or "term_group" => CompareId,
        "slug" or "include_slugs" => (a, b) => CompareText(a, b, "slug"),
        "description" => (a, b) => CompareText(a, b, "description"),
        "count" => (a, b) => Count(a).CompareTo(Count(b)),
        _ => (a, b) => CompareText(a, b, "name"),
    };

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        view["count"] = Count(stored);
        view["link"] = $"{Store.SiteUrl}/{(_categories ? "category" : "tag")}/{Json.Str(stored, "slug")}/";
        return view;
    }

    public JsonObject NewTerm(long id, string name, string slug, long parent)
    {
        JsonObject term = new() { ["id"] = id, ["count"] = 0, ["description"] = string.Empty, ["link"] = string.Empty, ["name"] = name, ["slug"] = slug, ["taxonomy"] = _categories ? "category" : "post_tag" };
        if (_categories)
        {
            term["parent"] = parent;
        }

        term["meta"] = new JsonArray();
        return term;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        string name = (Json.Str(args["name"]) ?? string.Empty).Trim();
        long parent = _categories ? Json.Long(args["parent"]) : 0;
        if (Table.All.FirstOrDefault(t => string.Equals(Json.Str(t, "name"), name, StringComparison.OrdinalIgnoreCase) && (!_categories || Json.Long(t, "parent") == parent)) is { } same)
        {
            // WP_REST_Terms_Controller::create_item adds the existing term's id to a term_exists error.
            string message = _categories ? "A term with the name provided already exists with this parent." : "A term with the name provided already exists in this taxonomy.";
            throw new RestException("term_exists", message, 400, new JsonObject { ["term_id"] = Json.Long(same, "id") });
        }

        string slug = WooContext.SanitizeTitle(Json.Str(args["slug"]) is { Length: > 0 } s ? s : name);
        JsonObject term = NewTerm(Store.NextTermId(), name, WooContext.UniqueSlug(slug, Table.All, 0), parent);
        ProductsResource.CopyStrings(term, args, "description");
        Table.Put(term);
        return term;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        ProductsResource.CopyStrings(updated, args, "name", "description");
        if (args.ContainsKey("slug"))
        {
            updated["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(Json.Str(args["slug"])), Table.All, Json.Long(stored, "id"));
        }

        Table.Put(updated);
    }

    private int Count(JsonObject term)
    {
        long id = Json.Long(term, "id");
        string field = _categories ? "categories" : "tags";
        return Store.Posts.All.Count(p => Json.Str(p, "status") == "publish" && Json.IdList(p[field]).Contains(id));
    }
}
