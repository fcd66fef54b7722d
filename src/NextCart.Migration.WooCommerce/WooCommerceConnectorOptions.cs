using System.Globalization;
using NextCart.Migration.WooCommerce.Internal;

namespace NextCart.Migration.WooCommerce;

/// <summary>The settings of a WooCommerce store connection, for both the source and the target connector.</summary>
/// <remarks>
/// <see cref="ConsumerKey"/>, <see cref="ConsumerSecret"/> and <see cref="WordPressApplicationPassword"/> are secrets: they are never
/// logged, stored or echoed in messages, and <see cref="ToString"/> masks them. Persist <see cref="NonSecretSettings"/> only, and ask
/// the host for the secrets again when a run resumes.
/// </remarks>
public sealed class WooCommerceConnectorOptions
{
    /// <summary>Gets or sets the store's root URL, such as <c>https://shop.example/</c> (the site, not the API path).</summary>
    public Uri? StoreUrl { get; set; }

    /// <summary>Gets or sets the REST API consumer key (<c>ck_…</c>). A secret.</summary>
    public string? ConsumerKey { get; set; }

    /// <summary>Gets or sets the REST API consumer secret (<c>cs_…</c>). A secret.</summary>
    public string? ConsumerSecret { get; set; }

    /// <summary>Gets or sets how the connector authenticates to <c>/wp-json/wc/v3</c>.</summary>
    /// <value>The default value is <see cref="WooCommerceAuthMode.Basic"/>.</value>
    public WooCommerceAuthMode AuthMode { get; set; } = WooCommerceAuthMode.Basic;

    /// <summary>
    /// Gets or sets the WordPress user name for <c>/wp-json/wp/v2</c> (pages and posts) and the Redirection plugin, which WooCommerce
    /// keys cannot open. Without it, only published pages and posts are read, and they cannot be written.
    /// </summary>
    public string? WordPressUser { get; set; }

    /// <summary>Gets or sets the WordPress application password of <see cref="WordPressUser"/> (WordPress 5.6+). A secret.</summary>
    public string? WordPressApplicationPassword { get; set; }

    /// <summary>Gets or sets how many records a list request asks for (<c>per_page</c>), from 1 to 100.</summary>
    /// <value>The default value is 100.</value>
    public int PageSize { get; set; } = WooCommerceConstants.MaxPageSize;

    /// <summary>Gets or sets how many items one batch request carries, from 1 to 100 (WooCommerce's limit, create and update combined).</summary>
    /// <value>The default value is 100.</value>
    public int BatchSize { get; set; } = WooCommerceConstants.MaxBatchSize;

    /// <summary>Gets or sets how many writes may run at once against the store, from 1 to 32.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; set; } = WooCommerceConstants.DefaultMaxConcurrency;

    /// <summary>
    /// Gets or sets the store's product category base (WordPress: Settings → Permalinks → Product category base). The REST API
    /// gives categories no link, so their URLs, which redirects are made from, are built from it: WordPress nests a child
    /// category under its parent's URL (<c>/product-category/clothing/shirts/</c>).
    /// </summary>
    /// <value>The default value is <c>/product-category/</c>, WooCommerce's default.</value>
    public string CategoryBase { get; set; } = "/product-category/";

    /// <summary>Gets or sets the ISO currency code used when the store's <c>woocommerce_currency</c> setting cannot be read.</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string DefaultCurrency { get; set; } = WooCommerceConstants.DefaultCurrency;

    /// <summary>Gets the settings a host may store with the project: the store URL, the auth mode, the WordPress user name and sizes.</summary>
    /// <returns>The settings, with no secret among them.</returns>
    public IReadOnlyDictionary<string, string> NonSecretSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [nameof(AuthMode)] = AuthMode.ToString(),
            [nameof(PageSize)] = PageSize.ToString(CultureInfo.InvariantCulture),
            [nameof(BatchSize)] = BatchSize.ToString(CultureInfo.InvariantCulture),
            [nameof(MaxConcurrency)] = MaxConcurrency.ToString(CultureInfo.InvariantCulture),
            [nameof(DefaultCurrency)] = DefaultCurrency,
            [nameof(CategoryBase)] = CategoryBase,
        };
        if (StoreUrl is not null)
        {
            settings[nameof(StoreUrl)] = Http.SecretRedactor.RedactUri(StoreUrl);
        }

        if (!string.IsNullOrEmpty(WordPressUser))
        {
            settings[nameof(WordPressUser)] = WordPressUser;
        }

        return settings;
    }

    /// <summary>Lists every problem with these options; an empty list means they are valid.</summary>
    /// <returns>The problems, each saying what to fix and quoting the offending value (never a secret).</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (StoreUrl is null)
        {
            errors.Add("StoreUrl is required; give the store's root URL, such as https://shop.example/.");
        }
        else if (!StoreUrl.IsAbsoluteUri || (StoreUrl.Scheme != Uri.UriSchemeHttps && StoreUrl.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"StoreUrl '{StoreUrl}' must be an absolute http or https URL, such as https://shop.example/.");
        }
        else
        {
            if (!string.IsNullOrEmpty(StoreUrl.UserInfo))
            {
                errors.Add("StoreUrl contains credentials (user information); remove them and use ConsumerKey and ConsumerSecret.");
            }

            if (StoreUrl.Scheme == Uri.UriSchemeHttp && !StoreUrl.IsLoopback && AuthMode != WooCommerceAuthMode.OAuth1)
            {
                errors.Add($"StoreUrl '{StoreUrl.GetLeftPart(UriPartial.Authority)}' uses plain http, where AuthMode {AuthMode} would send the consumer secret unencrypted; use https or AuthMode OAuth1.");
            }
        }

        if (string.IsNullOrWhiteSpace(ConsumerKey))
        {
            errors.Add("ConsumerKey is required; create a REST API key under WooCommerce > Settings > Advanced > REST API.");
        }

        if (string.IsNullOrWhiteSpace(ConsumerSecret))
        {
            errors.Add("ConsumerSecret is required; it is shown once when the REST API key is created.");
        }

        if (!Enum.IsDefined(AuthMode))
        {
            errors.Add($"AuthMode '{(int)AuthMode}' is not one of Basic, QueryString or OAuth1.");
        }

        if (string.IsNullOrEmpty(WordPressUser) != string.IsNullOrEmpty(WordPressApplicationPassword))
        {
            errors.Add("WordPressUser and WordPressApplicationPassword go together; set both or neither.");
        }

        if (PageSize is < 1 or > WooCommerceConstants.MaxPageSize)
        {
            errors.Add($"PageSize {PageSize} must be between 1 and {WooCommerceConstants.MaxPageSize}.");
        }

        if (BatchSize is < 1 or > WooCommerceConstants.MaxBatchSize)
        {
            errors.Add($"BatchSize {BatchSize} must be between 1 and {WooCommerceConstants.MaxBatchSize} (WooCommerce accepts at most 100 items per batch).");
        }

        if (MaxConcurrency is < 1 or > WooCommerceConstants.MaxConcurrencyLimit)
        {
            errors.Add($"MaxConcurrency {MaxConcurrency} must be between 1 and {WooCommerceConstants.MaxConcurrencyLimit}.");
        }

        if (string.IsNullOrWhiteSpace(DefaultCurrency) || DefaultCurrency.Length != 3)
        {
            errors.Add($"DefaultCurrency '{DefaultCurrency}' must be a three-letter ISO 4217 code, such as USD.");
        }

        if (string.IsNullOrWhiteSpace(CategoryBase) || !CategoryBase.StartsWith('/') || CategoryBase.Contains('?', StringComparison.Ordinal))
        {
            errors.Add($"CategoryBase '{CategoryBase}' must be a URL path starting with '/', such as /product-category/.");
        }

        return errors;
    }

    /// <summary>Describes the options with every secret masked.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"WooCommerceConnectorOptions {{ StoreUrl = {(StoreUrl is null ? "(none)" : Http.SecretRedactor.RedactUri(StoreUrl))}, AuthMode = {AuthMode}, ConsumerKey = {Mask(ConsumerKey)}, ConsumerSecret = {Mask(ConsumerSecret)}, WordPressUser = {WordPressUser ?? "(none)"}, WordPressApplicationPassword = {Mask(WordPressApplicationPassword)}, PageSize = {PageSize}, BatchSize = {BatchSize}, MaxConcurrency = {MaxConcurrency} }}");

    internal void ThrowIfInvalid()
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count > 0)
        {
            throw new MigrationConfigurationException(errors);
        }
    }

    internal WooCommerceConnectorOptions Clone() => (WooCommerceConnectorOptions)MemberwiseClone();

    private static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(none)" : Http.SecretRedactor.Mask;
}
