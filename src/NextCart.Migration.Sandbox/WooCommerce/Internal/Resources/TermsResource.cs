using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>The taxonomies <c>WC_REST_Terms_Controller</c> serves.</summary>
internal enum TermKind
{
    Category = 0,
    Tag = 1,
    AttributeTerm = 2,
}

/// <summary>
/// <c>/wc/v3/products/categories</c>, <c>/wc/v3/products/tags</c> and <c>/wc/v3/products/attributes/{attribute_id}/terms</c>
/// (<c>WC_REST_Terms_Controller</c>): a duplicate name under the same parent is <c>400 term_exists</c> with the existing term's
/// <c>resource_id</c>, terms cannot be trashed, and an unknown id is 404 for every operation.
/// </summary>
internal sealed class TermsResource : WooResource
{
    private readonly TermKind _kind;

    public TermsResource(WooContext context, TermKind kind)
        : base(context)
    {
        _kind = kind;
        CollectionParams =
        [
            Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("asc"),
            Params.OrderBy("name", "id", "include", "name", "slug", "term_group", "description", "count"),
            new("hide_empty", ParamType.Boolean), new("parent", ParamType.Integer), new("product", ParamType.Integer), new("slug", ParamType.String),
        ];
    }

    protected override ResourceTable Table => _kind switch
    {
        TermKind.Category => Store.Categories,
        TermKind.Tag => Store.Tags,
        _ => Store.AttributeTerms,
    };

    protected override string ObjectType => "term";

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; }

    protected override IReadOnlyList<string> RequiredOnCreate => ["name"];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Str("name"),
        FieldSpec.Str("slug"),
        FieldSpec.Int("parent"),
        FieldSpec.Str("description"),
        FieldSpec.Str("display", "default", "products", "subcategories", "both"),
        FieldSpec.Obj("image", FieldSpec.Int("id"), FieldSpec.Str("src"), FieldSpec.Str("name"), FieldSpec.Str("alt")),
        FieldSpec.Int("menu_order"));

    protected override string CollectionRoute(WooRequest request) => _kind switch
    {
        TermKind.Category => "/wc/v3/products/categories",
        TermKind.Tag => "/wc/v3/products/tags",
        _ => string.Create(CultureInfo.InvariantCulture, $"/wc/v3/products/attributes/{request.UrlId("attribute_id")}/terms"),
    };

    protected override void CheckScope(WooRequest request)
    {
        if (_kind == TermKind.AttributeTerm && Store.Attributes.Find(request.UrlId("attribute_id")) is null)
        {
            throw new RestException("woocommerce_rest_taxonomy_invalid", "Taxonomy does not exist.", 404);
        }
    }

    protected override bool InScope(JsonObject item, WooRequest request)
        => _kind != TermKind.AttributeTerm || Json.Long(item, "__attribute") == request.UrlId("attribute_id");

    protected override RestException InvalidId(int status) => new("woocommerce_rest_term_invalid", "Resource does not exist.", 404);

    protected override RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501);

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        items = FilterSearch(items, request, "name", "slug", "description");
        items = FilterEquals(items, request, "slug", "slug");
        if (_kind == TermKind.Category && request.Has("parent"))
        {
            long parent = Params.Int(request, "parent", 0);
            items = items.Where(t => Json.Long(t, "parent") == parent);
        }

        if (Params.Bool(request, "hide_empty"))
        {
            items = items.Where(t => Context.Index.TermCount(Json.Long(t, "id")) > 0);
        }

        if (request.Has("product") && Store.Products.Find(Params.Int(request, "product", 0)) is { } product)
        {
            HashSet<long> assigned = [.. CatalogIndex.TermIds(product)];
            items = items.Where(t => assigned.Contains(Json.Long(t, "id")));
        }

        return items;
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" or "term_group" => CompareId,
        "slug" => (a, b) => CompareText(a, b, "slug"),
        "description" => (a, b) => CompareText(a, b, "description"),
        "count" => (a, b) => Context.Index.TermCount(Json.Long(a, "id")).CompareTo(Context.Index.TermCount(Json.Long(b, "id"))),
        _ => (a, b) => CompareText(a, b, "name"),
    };

    protected override JsonObject ItemLinks(JsonObject stored, WooRequest request)
    {
        JsonObject links = base.ItemLinks(stored, request);
        if (_kind == TermKind.Category && Json.Long(stored, "parent") is > 0 and var parent)
        {
            links["up"] = WooContext.Links(Context.RestUrl(CollectionRoute(request) + "/" + parent.ToString(CultureInfo.InvariantCulture)));
        }

        return links;
    }

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        if (_kind == TermKind.Category)
        {
            long imageId = Json.Long(stored, "__image");
            view["image"] = imageId > 0 && Store.Attachments.Find(imageId) is { } image ? WooContext.ImageView(image) : null;
        }

        view["count"] = Context.Index.TermCount(Json.Long(stored, "id"));
        return view;
    }

    public JsonObject NewTerm(long id)
    {
        JsonObject term = new() { ["id"] = id, ["name"] = string.Empty, ["slug"] = string.Empty };
        if (_kind == TermKind.Category)
        {
            term["parent"] = 0;
        }

        term["description"] = string.Empty;
        if (_kind == TermKind.Category)
        {
            term["display"] = "default";
            term["image"] = null;
            term["__image"] = 0;
        }

        if (_kind != TermKind.Tag)
        {
            term["menu_order"] = 0;
        }

        term["count"] = 0;
        return term;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject term = NewTerm(0);
        if (_kind == TermKind.AttributeTerm)
        {
            term["__attribute"] = request.UrlId("attribute_id");
        }

        Apply(term, args, request, creating: true);
        term["id"] = Store.NextTermId();
        Table.Put(term);
        return term;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args, request, creating: false);
        Table.Put(updated);
    }

    protected override void Remove(JsonObject stored, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        if (_kind == TermKind.Category)
        {
            // wp_delete_term moves the children of a deleted category up to its parent.
            long parent = Json.Long(stored, "parent");
            foreach (JsonObject child in Store.Categories.All.Where(c => Json.Long(c, "parent") == id).ToList())
            {
                child["parent"] = parent;
            }
        }

        Table.Remove(id);
        Store.Products.Touch();
    }

    private void Apply(JsonObject term, JsonObject args, WooRequest request, bool creating)
    {
        long self = Json.Long(term, "id");
        List<JsonObject> siblings = [.. Table.All.Where(t => InScope(t, request) && Json.Long(t, "id") != self)];
        string name = args.ContainsKey("name") ? (Json.Str(args["name"]) ?? string.Empty).Trim() : Json.Str(term, "name");
        if (creating && name.Length == 0)
        {
            throw new RestException("empty_term_name", "A name is required for this term.", 400);
        }

        long parent = Json.Long(term["parent"]);
        if (_kind == TermKind.Category && args.ContainsKey("parent"))
        {
            parent = Json.Long(args["parent"]);
            if (parent > 0 && (Store.Categories.Find(parent) is null || parent == self))
            {
                throw new RestException("missing_parent", "Parent term does not exist.", 400);
            }
        }

        if (creating)
        {
            JsonObject? same = siblings.FirstOrDefault(t => string.Equals(Json.Str(t, "name"), name, StringComparison.OrdinalIgnoreCase)
                && (_kind != TermKind.Category || Json.Long(t, "parent") == parent));
            if (same is not null)
            {
                string message = _kind == TermKind.Category
                    ? "A term with the name provided already exists with this parent."
                    : "A term with the name provided already exists in this taxonomy.";
                throw new RestException("term_exists", message, 400, new JsonObject { ["resource_id"] = Json.Long(same, "id") });
            }
        }

        term["name"] = name;
        if (_kind == TermKind.Category)
        {
            term["parent"] = parent;
        }

        if (args.ContainsKey("slug") && Json.Str(args["slug"]) is { Length: > 0 } slug)
        {
            string wanted = WooContext.SanitizeTitle(slug);
            if (siblings.Any(t => Json.Str(t, "slug") == wanted))
            {
                throw new RestException("duplicate_term_slug", $"The slug \u201c{wanted}\u201d is already in use by another term.", 400);
            }

            term["slug"] = wanted;
        }
        else if (creating)
        {
            term["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(name), siblings, self);
        }

        ProductsResource.CopyStrings(term, args, "description");
        if (_kind == TermKind.Category)
        {
            ProductsResource.CopyStrings(term, args, "display");
            if (args.ContainsKey("image"))
            {
                term["__image"] = args["image"] is JsonObject image && (Json.Long(image["id"]) > 0 || Json.Str(image["src"]) is { Length: > 0 })
                    ? Json.Long(Context.ResolveImage(image, "woocommerce_term_image_upload_error"), "id")
                    : 0;
            }
        }

        if (_kind != TermKind.Tag)
        {
            ProductsResource.CopyLongs(term, args, "menu_order");
        }
    }
}
