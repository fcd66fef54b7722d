using System.Globalization;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal.Resources;

/// <summary>
/// <c>/wc/v3/customers</c> (<c>WC_REST_Customers_Controller</c>): WordPress users with the <c>customer</c> role. E-mails are
/// unique (case-insensitively); the list has no date filter, sorts by name ascending by default, and customers cannot be trashed.
/// </summary>
internal sealed class CustomersResource : WooResource
{
    public static readonly string[] BillingFields = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "email", "phone"];
    public static readonly string[] ShippingFields = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "phone"];

    public CustomersResource(WooContext context)
        : base(context)
    {
    }

    protected override ResourceTable Table => Store.Users;

    protected override string ObjectType => "customer";

    protected override IReadOnlyList<string> RequiredOnCreate => ["email"];

    protected override IReadOnlyList<ParamSpec> CollectionParams { get; } =
    [
        Params.Context, Params.Page, Params.PerPage, Params.Offset, Params.Search, Params.Include, Params.Exclude, Params.Order("asc"),
        Params.OrderBy("name", "id", "include", "name", "registered_date"), new("email", ParamType.String),
        new("role", ParamType.String, Enum: ["all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager"], Default: "customer"),
    ];

    protected override Schema WriteSchema { get; } = new(
        FieldSpec.Str("email"),
        FieldSpec.Str("first_name"),
        FieldSpec.Str("last_name"),
        FieldSpec.Str("username"),
        FieldSpec.Str("password"),
        FieldSpec.Obj("billing", [.. BillingFields.Select(f => FieldSpec.Str(f))]),
        FieldSpec.Obj("shipping", [.. ShippingFields.Select(f => FieldSpec.Str(f))]),
        FieldSpec.MetaData);

    protected override string CollectionRoute(WooRequest request) => "/wc/v3/customers";

    protected override RestException InvalidId(int status) => new("woocommerce_rest_invalid_id", "Invalid resource ID.", status);

    protected override RestException TrashNotSupported() => new("woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501);

    protected override IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, WooRequest request)
    {
        string role = request.Str("role") ?? "customer";
        if (role != "all")
        {
            items = items.Where(u => Json.Str(u, "role") == role);
        }

        items = FilterEquals(items, request, "email", "email");
        return FilterSearch(items, request, "email", "username", "first_name", "last_name");
    }

    protected override Comparison<JsonObject> OrderBy(string orderBy) => orderBy switch
    {
        "id" => CompareId,
        "registered_date" => (a, b) => CompareDate(a, b, "date_created"),

        // WP_User_Query orders "name" by display_name, which WordPress sets to the login for new users.
        _ => (a, b) => CompareText(a, b, "username"),
    };

    public override JsonObject View(JsonObject stored)
    {
        JsonObject view = Json.Public(stored);
        long id = Json.Long(stored, "id");
        view["is_paying_customer"] = Context.Index.IsPayingCustomer(id);
        view["avatar_url"] = WooContext.Gravatar(Json.Str(stored, "email"));
        return view;
    }

    public JsonObject NewCustomer(long id, DateTimeOffset created)
    {
        JsonObject customer = new() { ["id"] = id };
        Time.Set(customer, "date_created", created);
        Time.Set(customer, "date_modified", created);
        customer["email"] = string.Empty;
        customer["first_name"] = string.Empty;
        customer["last_name"] = string.Empty;
        customer["role"] = "customer";
        customer["username"] = string.Empty;
        customer["billing"] = Address(BillingFields);
        customer["shipping"] = Address(ShippingFields);
        customer["is_paying_customer"] = false;
        customer["avatar_url"] = string.Empty;
        customer["meta_data"] = new JsonArray();
        return customer;
    }

    public static JsonObject Address(string[] fields)
    {
        JsonObject address = [];
        foreach (string field in fields)
        {
            address[field] = string.Empty;
        }

        return address;
    }

    protected override JsonObject Insert(JsonObject args, WooRequest request)
    {
        // wc_create_new_customer: https://github.com/woocommerce/woocommerce-rest-api/issues/251 shows the REST API answering a
        // duplicate e-mail with "registration-error-email-exists" (status 400, as WC_Data_Exception defaults).
        string email = (Json.Str(args["email"]) ?? string.Empty).Trim();
        if (!email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@'))
        {
            throw new RestException("registration-error-invalid-email", "Please provide a valid email address.", 400);
        }

        if (Store.FindUserByEmail(email) is not null)
        {
            throw new RestException("registration-error-email-exists", "An account is already registered with your email address. <a href=\"#\" class=\"showlogin\">Please log in.</a>", 400);
        }

        string username = (Json.Str(args["username"]) ?? string.Empty).Trim();
        if (username.Length > 0)
        {
            if (Store.FindUserByLogin(username) is not null)
            {
                throw new RestException("registration-error-username-exists", "An account is already registered with that username. Please choose another.", 400);
            }
        }
        else
        {
            username = GenerateUsername(email, Json.Str(args["first_name"]), Json.Str(args["last_name"]));
        }

        JsonObject customer = NewCustomer(Store.NextUserId(), Time.Now());
        customer["email"] = email;
        customer["username"] = username;
        Apply(customer, args);
        if (Json.Str(customer["billing"]!.AsObject(), "email").Length == 0)
        {
            customer["billing"]!["email"] = email;
        }

        Store.Users.Put(customer);
        return customer;
    }

    protected override void Modify(JsonObject stored, JsonObject args, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        if (args.ContainsKey("email"))
        {
            string email = (Json.Str(args["email"]) ?? string.Empty).Trim();
            if (!string.Equals(email, Json.Str(stored, "email"), StringComparison.OrdinalIgnoreCase) && (email.Length == 0 || Store.FindUserByEmail(email, id) is not null))
            {
                throw new RestException("woocommerce_rest_customer_invalid_email", "Email address is invalid.", 400);
            }
        }

        if (args.ContainsKey("username") && !string.Equals(Json.Str(args["username"]), Json.Str(stored, "username"), StringComparison.Ordinal))
        {
            throw new RestException("woocommerce_rest_customer_invalid_argument", "Username isn't editable.", 400);
        }

        JsonObject updated = Json.Clone(stored);
        if (args.ContainsKey("email"))
        {
            updated["email"] = (Json.Str(args["email"]) ?? string.Empty).Trim();
        }

        Apply(updated, args);
        Time.Set(updated, "date_modified", Time.Now());
        Store.Users.Put(updated);
    }

    protected override void Remove(JsonObject stored, WooRequest request)
    {
        long id = Json.Long(stored, "id");
        foreach (JsonObject order in Store.Orders.All.Where(o => Json.Long(o, "customer_id") == id).ToList())
        {
            // wc_reset_order_customer_id_on_deleted_user keeps the orders of a deleted user as guest orders.
            order["customer_id"] = 0;
        }

        Store.Orders.Touch();
        Store.Users.Remove(id);
    }

    public override WooResponse Delete(WooRequest request)
    {
        Params.Validate(request, [Params.Force]);
        JsonObject item = Find(request, request.UrlId("id")) ?? throw InvalidId(400);
        if (!request.IsBatchItem)
        {
            Authorize(request, Operation.Delete);
        }

        if (!request.IsBatchItem && !Params.Bool(request, "force"))
        {
            throw TrashNotSupported();
        }

        JsonObject previous = Render(item, request);
        Remove(item, request);
        return new WooResponse(200, previous);
    }

    /// <summary><c>/customers/{id}/downloads</c>: the files of downloadable products in the customer's paid orders.</summary>
    public WooResponse Downloads(WooRequest request)
    {
        Authorize(request, Operation.List);
        long customerId = request.UrlId("customer_id");
        if (Store.Users.Find(customerId) is null)
        {
            throw new RestException("woocommerce_rest_customer_invalid_id", "Invalid customer ID.", 404);
        }

        JsonArray downloads = [];
        foreach (JsonObject order in Store.Orders.All.Where(o => Json.Long(o, "customer_id") == customerId && Json.Str(o, "status") is "processing" or "completed").OrderBy(o => Json.Long(o, "id")))
        {
            long orderId = Json.Long(order, "id");
            string orderKey = Json.Str(order, "order_key");
            string email = Json.Str(order["billing"]!.AsObject(), "email");
            foreach (JsonObject line in ((order["line_items"] as JsonArray) ?? []).OfType<JsonObject>())
            {
                long productId = Json.Long(line, "product_id");
                long variationId = Json.Long(line, "variation_id");
                JsonObject? product = Store.FindProductOrVariation(variationId > 0 ? variationId : productId);
                if (product is null || !Json.Bool(product, "downloadable"))
                {
                    continue;
                }

                string productName = Json.Str((Store.Products.Find(productId) ?? product), "name");
                foreach (JsonObject file in ((product["downloads"] as JsonArray) ?? []).OfType<JsonObject>())
                {
                    string downloadId = Json.Str(file, "id");
                    long limit = Json.Long(product, "download_limit");
                    long expiry = Json.Long(product, "download_expiry");
                    DateTimeOffset? expires = expiry > 0 && WooTime.ReadGmt(order, "date_created") is { } created ? created.AddDays(expiry) : null;
                    string url = string.Create(CultureInfo.InvariantCulture, $"{Store.SiteUrl}/?download_file={productId}&order={orderKey}&email={Uri.EscapeDataString(email)}&key={downloadId}");
                    downloads.Add(new JsonObject
                    {
                        ["download_id"] = downloadId,
                        ["download_url"] = url,
                        ["product_id"] = productId,
                        ["product_name"] = productName,
                        ["download_name"] = productName + " &ndash; " + Json.Str(file, "name"),
                        ["order_id"] = orderId,
                        ["order_key"] = orderKey,
                        ["downloads_remaining"] = limit < 0 ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture),
                        ["access_expires"] = expires is { } e ? Time.Local(e) : "never",
                        ["access_expires_gmt"] = expires is { } g ? WooTime.Gmt(g) : "never",
                        ["file"] = new JsonObject { ["name"] = Json.Str(file, "name"), ["file"] = Json.Str(file, "file") },
                        ["_links"] = new JsonObject
                        {
                            ["collection"] = WooContext.Links(Context.RestUrl($"/wc/v3/customers/{customerId}/downloads")),
                            ["product"] = WooContext.Links(Context.RestUrl($"/wc/v3/products/{productId}")),
                            ["order"] = WooContext.Links(Context.RestUrl($"/wc/v3/orders/{orderId}")),
                        },
                    });
                }
            }
        }

        return new WooResponse(200, downloads);
    }

    private void Apply(JsonObject customer, JsonObject args)
    {
        ProductsResource.CopyStrings(customer, args, "first_name", "last_name");
        if (args["billing"] is JsonObject billing)
        {
            customer["billing"] = MergeAddress(customer["billing"] as JsonObject, billing, BillingFields);
        }

        if (args["shipping"] is JsonObject shipping)
        {
            customer["shipping"] = MergeAddress(customer["shipping"] as JsonObject, shipping, ShippingFields);
        }

        if (args.ContainsKey("password") && Json.Str(args["password"]) is { Length: > 0 } password)
        {
            customer["__password"] = WooContext.Token("password:" + password, 32);
        }

        Context.ApplyMeta(customer, args["meta_data"]);
    }

    public static JsonObject MergeAddress(JsonObject? current, JsonObject given, string[] fields)
    {
        JsonObject address = current is null ? Address(fields) : Json.Clone(current);
        foreach (string field in fields)
        {
            if (given.ContainsKey(field))
            {
                string value = Json.Str(given[field]) ?? string.Empty;
                address[field] = field is "country" or "state" ? value.Trim().ToUpperInvariant() : value;
            }
        }

        return address;
    }

    /// <summary><c>wc_create_new_customer_username</c>: <c>first.last</c> or the e-mail's local part, with a suffix when taken.</summary>
    public string GenerateUsername(string email, string? firstName, string? lastName, Func<string, bool>? isTaken = null)
    {
        isTaken ??= login => Store.FindUserByLogin(login) is not null;
        string baseName = !string.IsNullOrWhiteSpace(firstName) && !string.IsNullOrWhiteSpace(lastName)
            ? SanitizeUser(firstName) + "." + SanitizeUser(lastName)
            : SanitizeUser(email.Split('@')[0]);
        if (baseName.Trim('.').Length == 0)
        {
            baseName = "user";
        }

        string username = baseName;
        for (int attempt = 1; isTaken(username); attempt++)
        {
            username = baseName + "-" + (Convert.ToInt32(WooContext.Token(email + attempt.ToString(CultureInfo.InvariantCulture), 4), 16) % 10000).ToString("D4", CultureInfo.InvariantCulture);
        }

        return username;
    }

    private static string SanitizeUser(string value)
        => new([.. value.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '@')]);
}
