using System.Globalization;
using NextCart.Migration.Shopify.Internal;

namespace NextCart.Migration.Shopify;

/// <summary>The settings of a Shopify shop connection (Admin GraphQL API 2026-01), for both the source and the target connector.</summary>
/// <remarks>
/// <see cref="AccessToken"/> is a secret: it is never logged, stored or echoed in messages, and <see cref="ToString"/> masks it.
/// Persist <see cref="NonSecretSettings"/> only, and ask the host for the token again when a run resumes.
/// </remarks>
public sealed class ShopifyConnectorOptions
{
    /// <summary>Gets or sets the shop's URL, such as <c>https://my-shop.myshopify.com/</c>. Requests go to <c>admin/api/2026-01/graphql.json</c> under it.</summary>
    public Uri? ShopUrl { get; set; }

    /// <summary>Gets or sets the Admin API access token of a custom app (<c>shpat_…</c>). A secret.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets how many records a list query asks for at most (<c>first</c>), from 1 to 250; it is lowered further when the query's cost needs it.</summary>
    /// <value>The default value is 250.</value>
    public int PageSize { get; set; } = ShopifyConstants.MaxPageSize;

    /// <summary>Gets or sets how many records the engine hands the target in one batch, from 1 to 250.</summary>
    /// <value>The default value is 50.</value>
    public int BatchSize { get; set; } = 50;

    /// <summary>Gets or sets how many requests may be in flight at once against the shop, from 1 to 32.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how many mutations one request may carry (as aliases), from 1 to 25.</summary>
    /// <value>The default value is 5.</value>
    public int MutationsPerRequest { get; set; } = 5;

    /// <summary>Gets or sets the bucket size assumed until Shopify's first <c>throttleStatus</c> says otherwise (1000 on standard plans, 2000 on Plus).</summary>
    /// <value>The default value is 1000.</value>
    public double BucketSize { get; set; } = ShopifyConstants.DefaultBucketSize;

    /// <summary>Gets or sets the restore rate in points per second assumed until Shopify's first <c>throttleStatus</c> says otherwise (50 standard, 100 Plus).</summary>
    /// <value>The default value is 50.</value>
    public double RestoreRate { get; set; } = ShopifyConstants.DefaultRestoreRate;

    /// <summary>Gets or sets how requests keep within the shop's query-cost budget.</summary>
    /// <value>The default value is <see cref="ShopifyThrottleMode.Predictive"/>.</value>
    public ShopifyThrottleMode ThrottleMode { get; set; } = ShopifyThrottleMode.Predictive;

    /// <summary>Gets or sets how many times a request Shopify answered <c>THROTTLED</c> is retried before the failure is reported, from 0 to 100.</summary>
    /// <value>The default value is 20.</value>
    public int MaxThrottleRetries { get; set; } = 20;

    /// <summary>Gets or sets what the target does with product reviews.</summary>
    /// <value>The default value is <see cref="ShopifyReviewStorage.None"/> (reported as unsupported).</value>
    public ShopifyReviewStorage ReviewStorage { get; set; } = ShopifyReviewStorage.None;

    /// <summary>Gets or sets the handle of the blog that receives blog posts; the target creates it when it is missing.</summary>
    /// <value>The default value is <c>news</c>.</value>
    public string BlogHandle { get; set; } = "news";

    /// <summary>Gets or sets the title given to the blog when the target creates it.</summary>
    /// <value>The default value is <c>News</c>.</value>
    public string BlogTitle { get; set; } = "News";

    /// <summary>Gets or sets the ISO currency code used when an amount carries none.</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string DefaultCurrency { get; set; } = "USD";

    /// <summary>Gets the settings a host may store with the project; the access token is not among them.</summary>
    /// <returns>The settings.</returns>
    public IReadOnlyDictionary<string, string> NonSecretSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [nameof(PageSize)] = PageSize.ToString(CultureInfo.InvariantCulture),
            [nameof(BatchSize)] = BatchSize.ToString(CultureInfo.InvariantCulture),
            [nameof(MaxConcurrency)] = MaxConcurrency.ToString(CultureInfo.InvariantCulture),
            [nameof(MutationsPerRequest)] = MutationsPerRequest.ToString(CultureInfo.InvariantCulture),
            [nameof(ThrottleMode)] = ThrottleMode.ToString(),
            [nameof(ReviewStorage)] = ReviewStorage.ToString(),
            [nameof(BlogHandle)] = BlogHandle,
            [nameof(DefaultCurrency)] = DefaultCurrency,
        };
        if (ShopUrl is not null)
        {
            settings[nameof(ShopUrl)] = Http.SecretRedactor.RedactUri(ShopUrl);
        }

        return settings;
    }

    /// <summary>Lists every problem with these options; an empty list means they are valid.</summary>
    /// <returns>The problems, each saying what to fix (never quoting the token).</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ShopUrl is null)
        {
            errors.Add("ShopUrl is required; give the shop's URL, such as https://my-shop.myshopify.com/.");
        }
        else if (!ShopUrl.IsAbsoluteUri || (ShopUrl.Scheme != Uri.UriSchemeHttps && ShopUrl.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"ShopUrl '{ShopUrl}' must be an absolute https URL, such as https://my-shop.myshopify.com/.");
        }
        else
        {
            if (!string.IsNullOrEmpty(ShopUrl.UserInfo))
            {
                errors.Add("ShopUrl contains credentials (user information); remove them and set AccessToken.");
            }

            if (ShopUrl.Scheme == Uri.UriSchemeHttp && !ShopUrl.IsLoopback)
            {
                errors.Add($"ShopUrl '{ShopUrl.GetLeftPart(UriPartial.Authority)}' uses plain http, which would send the access token unencrypted; use https.");
            }
        }

        if (string.IsNullOrWhiteSpace(AccessToken))
        {
            errors.Add("AccessToken is required; install a custom app in the Shopify admin and copy its Admin API access token.");
        }

        if (PageSize is < 1 or > ShopifyConstants.MaxPageSize)
        {
            errors.Add($"PageSize {PageSize} must be between 1 and {ShopifyConstants.MaxPageSize}.");
        }

        if (BatchSize is < 1 or > ShopifyConstants.MaxBatchSize)
        {
            errors.Add($"BatchSize {BatchSize} must be between 1 and {ShopifyConstants.MaxBatchSize}.");
        }

        if (MaxConcurrency is < 1 or > ShopifyConstants.MaxConcurrencyLimit)
        {
            errors.Add($"MaxConcurrency {MaxConcurrency} must be between 1 and {ShopifyConstants.MaxConcurrencyLimit}.");
        }

        if (MutationsPerRequest is < 1 or > 25)
        {
            errors.Add($"MutationsPerRequest {MutationsPerRequest} must be between 1 and 25.");
        }

        if (!(BucketSize >= 1 && BucketSize <= 100_000))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"BucketSize {BucketSize} must be between 1 and 100000 points."));
        }

        if (!(RestoreRate > 0 && RestoreRate <= 100_000))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"RestoreRate {RestoreRate} must be a positive number of points per second."));
        }

        if (!Enum.IsDefined(ThrottleMode))
        {
            errors.Add($"ThrottleMode '{(int)ThrottleMode}' is not one of Predictive or Reactive.");
        }

        if (!Enum.IsDefined(ReviewStorage))
        {
            errors.Add($"ReviewStorage '{(int)ReviewStorage}' is not one of None or ProductMetafields.");
        }

        if (MaxThrottleRetries is < 0 or > 100)
        {
            errors.Add($"MaxThrottleRetries {MaxThrottleRetries} must be between 0 and 100.");
        }

        if (string.IsNullOrWhiteSpace(BlogHandle) || BlogHandle != Handles.Normalize(BlogHandle))
        {
            errors.Add($"BlogHandle '{BlogHandle}' must be a Shopify handle: lowercase letters, digits and hyphens.");
        }

        if (string.IsNullOrWhiteSpace(BlogTitle))
        {
            errors.Add("BlogTitle must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(DefaultCurrency) || DefaultCurrency.Length != 3)
        {
            errors.Add($"DefaultCurrency '{DefaultCurrency}' must be a three-letter ISO 4217 code, such as USD.");
        }

        return errors;
    }

    /// <summary>Describes the options with the access token masked.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"ShopifyConnectorOptions {{ ShopUrl = {(ShopUrl is null ? "(none)" : Http.SecretRedactor.RedactUri(ShopUrl))}, AccessToken = {(string.IsNullOrEmpty(AccessToken) ? "(none)" : "***")}, PageSize = {PageSize}, BatchSize = {BatchSize}, MaxConcurrency = {MaxConcurrency}, MutationsPerRequest = {MutationsPerRequest}, ThrottleMode = {ThrottleMode}, ReviewStorage = {ReviewStorage} }}");

    internal void ThrowIfInvalid()
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count > 0)
        {
            throw new MigrationConfigurationException(errors);
        }
    }

    internal ShopifyConnectorOptions Clone() => (ShopifyConnectorOptions)MemberwiseClone();
}
