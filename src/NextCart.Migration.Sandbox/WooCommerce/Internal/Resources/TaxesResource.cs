using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary><c>/wc/v3/taxes</c> (<c>WC_REST_Taxes_Controller</c>): tax rates, ordered by their <c>order</c> by default.</summary>
internal sealed class TaxesResource : WooResource
{
    public TaxesResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Taxes;

    protected override string ObjectType => "tax";

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Include, Params.Exclude, Params.Order("asc"),
        Params.OrderBy("order", "id", "order", "priority"), new("class", ParamType.String),
    ];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Str("country"),
        FieldSpec.Str("state"),
        FieldSpec.Str("postcode"),
        FieldSpec.Str("city"),
        FieldSpec.Strs("postcodes"),
        FieldSpec.Strs("cities"),
        FieldSpec.Str("rate"),
        FieldSpec.Str("name"),
        FieldSpec.Int("priority"),
        FieldSpec.Bool("compound"),
        FieldSpec.Bool("shipping"),
        FieldSpec.Int("order"),
        FieldSpec.Str("class"));

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/taxes";

    protected override RestException InvalidId(int status) => new("woocommerce_rest_invalid_id", "Invalid resource ID.", 404);

    protected override RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501);

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
        => FilterEquals(items, request, "class", "class");

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "priority" => (a, b) => Json.Long(a, "priority").CompareTo(Json.Long(b, "priority")),
        _ => (a, b) => Json.Long(a, "order").CompareTo(Json.Long(b, "order")),
    };

    public override JsonObject View(JsonObject stored) => Json.Public(stored);

    public static JsonObject NewTax(long id) => new()
    {
        ["id"] = id,
        ["country"] = string.Empty,
        ["state"] = string.Empty,
        ["postcode"] = string.Empty,
        ["city"] = string.Empty,
        ["postcodes"] = new JsonArray(),
        ["cities"] = new JsonArray(),
        ["rate"] = string.Empty,
        ["name"] = string.Empty,
        ["priority"] = 1,
        ["compound"] = false,
        ["shipping"] = true,
        ["order"] = 0,
        ["class"] = "standard",
    };

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        JsonObject tax = NewTax(Store.NextTaxId());
        Apply(tax, args);
        Store.Taxes.Put(tax);
        return tax;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        JsonObject updated = Json.Clone(stored);
        Apply(updated, args);
        Store.Taxes.Put(updated);
    }

    private static void Apply(JsonObject tax, JsonObject args)
    {
        if (args.ContainsKey("country"))
        {
            tax["country"] = (Json.Str(args["country"]) ?? string.Empty).Trim().ToUpperInvariant();
        }

        if (args.ContainsKey("state"))
        {
            tax["state"] = (Json.Str(args["state"]) ?? string.Empty).Trim().ToUpperInvariant();
        }

        ProductsResource.CopyStrings(tax, args, "name");
        ProductsResource.CopyLongs(tax, args, "priority", "order");
        ProductsResource.CopyBools(tax, args, "compound", "shipping");
        if (args.ContainsKey("rate"))
        {
            tax["rate"] = Json.TryDec(args["rate"], out decimal rate) ? Json.Rate(rate) : string.Empty;
        }

        if (args.ContainsKey("class"))
        {
            string taxClass = WooContext.SanitizeTitle(Json.Str(args["class"]));
            tax["class"] = taxClass.Length == 0 ? "standard" : taxClass;
        }

        List<string> postcodes = args.ContainsKey("postcodes") ? Json.List(args["postcodes"]) : args.ContainsKey("postcode") ? Json.List(args["postcode"]) : Json.List(tax["postcodes"]);
        List<string> cities = args.ContainsKey("cities") ? Json.List(args["cities"]) : args.ContainsKey("city") ? Json.List(args["city"]) : Json.List(tax["cities"]);
        tax["postcodes"] = Json.Strings(postcodes.Select(p => p.ToUpperInvariant()));
        tax["cities"] = Json.Strings(cities.Select(c => c.ToUpperInvariant()));
        tax["postcode"] = postcodes.Count > 0 ? postcodes[^1].ToUpperInvariant() : string.Empty;
        tax["city"] = cities.Count > 0 ? cities[^1].ToUpperInvariant() : string.Empty;
    }
}
