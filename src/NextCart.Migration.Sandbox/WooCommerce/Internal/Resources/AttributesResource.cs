using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/products/attributes</c> (<c>WC_REST_Product_Attributes_Controller</c>): global attributes, listed whole.</summary>
internal sealed class AttributesResource : WooResource
{
    private static readonly Schema Writable = new(
        FieldSpec.Str("name"),
        FieldSpec.Str("slug"),
        FieldSpec.Str("type"),
        FieldSpec.Str("order_by", "menu_order", "name", "name_num", "id"),
        FieldSpec.Bool("has_archives"));

    public AttributesResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Attributes;

    protected override string ObjectType => "attribute";

    protected override Paging Paging => Paging.None;

    protected override Schema WriteSchema => Writable;

    protected override IReadOnlyList<string> RequiredOnCreate => ["name"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } = [Params.Context];

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/products/attributes";

    protected override Comparison<JsonObject> OrderBy(string orderBy) => (a, b) => CompareText(a, b, "name");

    public override WooResponse List(WooRequest request)
    {
        Params.Validate(request, CollectionParams);
        Authorize(request, Operation.List);
        List<JsonObject> items = [.. Table.All.OrderBy(a => Json.Str(a, "name"), StringComparer.OrdinalIgnoreCase).ThenBy(a => Json.Long(a, "id"))];
        return new WooResponse(200, Json.Array(items.Select(i => (JsonNode?)Fields(Render(i, request), request))));
    }

    protected override RestException InvalidId(int status) => new("woocommerce_rest_attribute_invalid", "Resource does not exist.", 404);

    protected override RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501);

    public override JsonObject View(JsonObject stored) => Json.Public(stored);

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject attribute = new()
        {
            ["id"] = 0,
            ["name"] = string.Empty,
            ["slug"] = string.Empty,
            ["type"] = "select",
            ["order_by"] = "menu_order",
            ["has_archives"] = false,
        };
        Apply(attribute, args, creating: true);
        attribute["id"] = Store.NextAttributeId();
        Store.Attributes.Put(attribute);
        return attribute;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args, creating: false);
        Store.Attributes.Put(updated);
    }

    protected override void Remove(JsonObject stored, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        foreach (JsonObject term in Store.AttributeTerms.All.Where(t => Json.Long(t, "__attribute") == id).ToList())
        {
            Store.AttributeTerms.Remove(Json.Long(term, "id"));
        }

        Store.Attributes.Remove(id);
    }

    private void Apply(JsonObject attribute, JsonObject args, bool creating)
    {
        ProductsResource.CopyStrings(attribute, args, "name", "type", "order_by");
        ProductsResource.CopyBools(attribute, args, "has_archives");
        if (args.ContainsKey("slug") || creating)
        {
            string raw = WooContext.SanitizeTitle(Json.Str(args["slug"]) is { Length: > 0 } s ? s : Json.Str(attribute, "name"));
            if (raw.StartsWith("pa_", StringComparison.Ordinal))
            {
                raw = raw[3..];
            }

            if (raw.Length > 28)
            {
                throw new RestException("woocommerce_rest_invalid_product_attribute_slug_too_long", $"Slug \"{raw}\" is too long (28 characters max). Shorten it, please.", 400);
            }

            string slug = "pa_" + raw;
            long self = Json.Long(attribute, "id");
            if (Store.Attributes.All.Any(a => Json.Long(a, "id") != self && Json.Str(a, "slug") == slug))
            {
                throw new RestException("woocommerce_rest_cannot_create", $"Slug \"{raw}\" is already in use. Change it, please.", 400);
            }

            attribute["slug"] = slug;
        }
    }

    /// <summary>Finds an attribute's term by name or slug.</summary>
    public static JsonObject? FindTerm(WooStore store, long attributeId, string nameOrSlug)
        => store.AttributeTerms.All.FirstOrDefault(t => Json.Long(t, "__attribute") == attributeId
            && (string.Equals(Json.Str(t, "name"), nameOrSlug, StringComparison.OrdinalIgnoreCase) || Json.Str(t, "slug") == WooContext.SanitizeTitle(nameOrSlug)));

    /// <summary>Finds or creates an attribute term, as <c>wp_set_object_terms</c> creates the names a product lists.</summary>
    public static JsonObject EnsureTerm(WooContext context, long attributeId, string name)
    {
        if (FindTerm(context.Store, attributeId, name) is { } existing)
        {
            return existing;
        }

        IEnumerable<JsonObject> siblings = context.Store.AttributeTerms.All.Where(t => Json.Long(t, "__attribute") == attributeId);
        JsonObject term = new()
        {
            ["id"] = context.Store.NextTermId(),
            ["name"] = name,
            ["slug"] = WooContext.UniqueSlug(WooContext.SanitizeTitle(name), siblings, 0),
            ["description"] = string.Empty,
            ["menu_order"] = 0,
            ["count"] = 0,
            ["__attribute"] = attributeId,
        };
        context.Store.AttributeTerms.Put(term);
        return term;
    }
}
