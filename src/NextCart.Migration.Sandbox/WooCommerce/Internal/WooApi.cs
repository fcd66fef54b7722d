using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>Every resource of the sandbox and the route table that dispatches to them, as <c>WP_REST_Server</c> matches routes.</summary>
internal sealed partial class WooApi
{
    private readonly List<Route> _routes = [];

    public WooApi(WooContext context)
    {
        Context = context;
        Products = new ProductsResource(context);
        Variations = new VariationsResource(context);
        Attributes = new AttributesResource(context);
        AttributeTerms = new TermsResource(context, TermKind.AttributeTerm);
        Categories = new TermsResource(context, TermKind.Category);
        Tags = new TermsResource(context, TermKind.Tag);
        Reviews = new ReviewsResource(context);
        Customers = new CustomersResource(context);
        Orders = new OrdersResource(context);
        OrderNotes = new OrderNotesResource(context);
        Refunds = new RefundsResource(context);
        Coupons = new CouponsResource(context);
        Taxes = new TaxesResource(context);
        Posts = new WpPostsResource(context, pages: false);
        Pages = new WpPostsResource(context, pages: true);
        WpCategories = new WpTermsResource(context, categories: true);
        WpTags = new WpTermsResource(context, categories: false);
        Redirection = new RedirectionResource(context);

        Crud("/wc/v3/products/attributes/(?<attribute_id>\\d+)/terms", AttributeTerms);
        Crud("/wc/v3/products/attributes", Attributes);
        Crud("/wc/v3/products/categories", Categories);
        Crud("/wc/v3/products/tags", Tags);
        Crud("/wc/v3/products/reviews", Reviews);
        Crud("/wc/v3/products/(?<product_id>\\d+)/variations", Variations);
        Crud("/wc/v3/products", Products);
        Add("/wc/v3/customers/(?<customer_id>\\d+)/downloads", "GET", Customers.Downloads);
        Crud("/wc/v3/customers", Customers);
        Crud("/wc/v3/orders/(?<order_id>\\d+)/notes", OrderNotes, editable: false, batch: false);
        Crud("/wc/v3/orders/(?<order_id>\\d+)/refunds", Refunds, editable: false, batch: false);
        Crud("/wc/v3/orders", Orders);
        Crud("/wc/v3/coupons", Coupons);
        Crud("/wc/v3/taxes", Taxes);
        Crud("/wp/v2/posts", Posts, batch: false);
        Crud("/wp/v2/pages", Pages, batch: false);
        Crud("/wp/v2/categories", WpCategories, batch: false);
        Crud("/wp/v2/tags", WpTags, batch: false);
        Add("/wp/v2/users/me", "GET", UsersMe);
        Add("/redirection/v1/redirect", "GET", Redirection.List);
        Add("/redirection/v1/redirect", "POST PUT PATCH", Redirection.Create);
        Add("/redirection/v1/redirect/(?<id>\\d+)", "POST PUT PATCH", Redirection.Update);
        Add("/redirection/v1/bulk/redirect/(?<bulk>delete|enable|disable|reset)", "POST PUT PATCH", r => Redirection.Bulk(r, r.Str("bulk") ?? string.Empty));
        Add("/", "GET", Index);
    }

    public WooContext Context { get; }

    public ProductsResource Products { get; }

    public VariationsResource Variations { get; }

    public AttributesResource Attributes { get; }

    public TermsResource AttributeTerms { get; }

    public TermsResource Categories { get; }

    public TermsResource Tags { get; }

    public ReviewsResource Reviews { get; }

    public CustomersResource Customers { get; }

    public OrdersResource Orders { get; }

    public OrderNotesResource OrderNotes { get; }

    public RefundsResource Refunds { get; }

    public CouponsResource Coupons { get; }

    public TaxesResource Taxes { get; }

    public WpPostsResource Posts { get; }

    public WpPostsResource Pages { get; }

    public WpTermsResource WpCategories { get; }

    public WpTermsResource WpTags { get; }

    public RedirectionResource Redirection { get; }

    /// <summary>Dispatches a request to the first route whose pattern and method match; <c>rest_no_route</c> otherwise.</summary>
    public WooResponse Dispatch(WooRequest request)
    {
        string path = request.Route.Length > 1 ? request.Route.TrimEnd('/') : request.Route;
        string method = request.Method == "HEAD" ? "GET" : request.Method;
        foreach (Route route in _routes)
        {
            Match match = route.Pattern.Match(path);
            if (!match.Success || !route.Methods.Contains(method))
            {
                continue;
            }

            foreach (Group group in match.Groups)
            {
                if (group.Success && !int.TryParse(group.Name, out _))
                {
                    request.SetUrlParam(group.Name, group.Value);
                }
            }

            return route.Handler(request);
        }

        throw RestException.NoRoute();
    }

    /// <summary>The endpoint a path is counted under: numeric segments become <c>{id}</c>.</summary>
    public static string EndpointKey(string method, string route) => method + " " + NumberSegment().Replace(route.TrimEnd('/'), "/{id}");

    private void Crud(string collection, WooResource resource, bool editable = true, bool batch = true)
    {
        if (batch)
        {
            Add(collection + "/batch", "POST PUT PATCH", resource.Batch);
        }

        Add(collection, "GET", resource.List);
        Add(collection, "POST", resource.Create);
        Add(collection + "/(?<id>\\d+)", "GET", resource.Get);
        if (editable)
        {
            Add(collection + "/(?<id>\\d+)", "POST PUT PATCH", resource.Update);
        }

        Add(collection + "/(?<id>\\d+)", "DELETE", resource.Delete);
    }

    private void Add(string pattern, string methods, Func<WooRequest, WooResponse> handler)
        => _routes.Add(new Route(new Regex("^" + pattern + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), [.. methods.Split(' ')], handler));

    private WooResponse UsersMe(WooRequest request)
    {
        if (!request.IsAuthenticated)
        {
            // WP_REST_Users_Controller::get_current_item; the body is quoted in WordPress/application-passwords#105.
            throw new RestException("rest_not_logged_in", "You are not currently logged in.", 401);
        }

        JsonObject admin = Context.Store.Users.Find(WooStore.AdminUserId) ?? [];
        string email = Json.Str(admin, "email");
        return new WooResponse(200, new JsonObject
        {
            ["id"] = WooStore.AdminUserId,
            ["name"] = Json.Str(admin, "username"),
            ["url"] = string.Empty,
            ["description"] = string.Empty,
            ["link"] = $"{Context.Store.SiteUrl}/author/{Json.Str(admin, "username")}/",
            ["slug"] = Json.Str(admin, "username"),
            ["avatar_urls"] = new JsonObject { ["24"] = WooContext.Gravatar(email, 24), ["48"] = WooContext.Gravatar(email, 48), ["96"] = WooContext.Gravatar(email, 96) },
            ["meta"] = new JsonArray(),
            ["_links"] = new JsonObject
            {
                ["self"] = WooContext.Links(Context.RestUrl("/wp/v2/users/1")),
                ["collection"] = WooContext.Links(Context.RestUrl("/wp/v2/users")),
            },
        });
    }

    private WooResponse Index(WooRequest request) => new(200, new JsonObject
    {
        ["name"] = "NextCart Sandbox Store",
        ["description"] = "A WooCommerce REST v3 emulator",
        ["url"] = Context.Store.SiteUrl,
        ["home"] = Context.Store.SiteUrl,
        ["gmt_offset"] = Context.Time.UtcOffset.TotalHours,
        ["timezone_string"] = string.Empty,
        ["namespaces"] = Json.Strings(["wp/v2", "wc/v3", "redirection/v1"]),
        ["authentication"] = new JsonObject { ["application-passwords"] = new JsonObject { ["endpoints"] = new JsonObject { ["authorization"] = Context.Store.SiteUrl + "/wp-admin/authorize-application.php" } } },
        ["routes"] = new JsonObject(),
    });

    [GeneratedRegex(@"/\d+(?=/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberSegment();

    private sealed record Route(Regex Pattern, HashSet<string> Methods, Func<WooRequest, WooResponse> Handler);
}
