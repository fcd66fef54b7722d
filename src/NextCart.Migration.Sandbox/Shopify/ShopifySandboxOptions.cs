using System.ComponentModel.DataAnnotations;

namespace NextCart.Migration.Sandbox.Shopify;

/// <summary>The leaky-bucket sizes of Shopify's GraphQL Admin API plans (platforms.md §2.5).</summary>
public enum ShopifyRateLimitPreset
{
    /// <summary>A bucket of 1000 points restoring 50 per second: the legacy standard plan, seen in most observed payloads.</summary>
    Standard = 0,

    /// <summary>A bucket of 2000 points restoring 100 per second: the legacy Shopify Plus plan.</summary>
    Plus = 1,
}

/// <summary>
/// Settings of a <see cref="ShopifySandbox"/>: besides the data, faults and clock every sandbox has (<see cref="PlatformSandboxOptions"/>),
/// the access token, the shop's name and currency, and the calculated-cost limits.
/// </summary>
/// <example>
/// <code>
/// await using ShopifySandbox source = await ShopifySandbox.StartAsync(new() { Seed = 7, ProductCount = 50 });
/// await using ShopifySandbox target = await ShopifySandbox.StartAsync(new() { Empty = true, ThrottledStatusCode = 429 });
/// </code>
/// </example>
public sealed class ShopifySandboxOptions : PlatformSandboxOptions
{
    /// <summary>The API version the sandbox serves.</summary>
    public const string ApiVersion = "2026-01";

    private double _bucketSize = 1000;
    private double _restoreRate = 50;
    private int _maxQueryCost = 1000;
    private int _throttledStatusCode = 200;

    /// <summary>Gets or sets the Admin API access token the sandbox accepts, or <see langword="null"/> to generate one (<c>shpat_</c> and 32 hex digits) from <see cref="PlatformSandboxOptions.Seed"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets the shop's subdomain: the shop is <c>{ShopName}.myshopify.com</c>.</summary>
    /// <value>The default value is <c>nextcart-sandbox</c>.</value>
    public string ShopName { get; set; } = "nextcart-sandbox";

    /// <summary>Gets or sets the shop's currency, or <see langword="null"/> for the sample store's currency (USD for an empty shop).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Currency { get; set; }

    /// <summary>
    /// Gets or sets the bucket size (<c>maximumAvailable</c>) in cost points. A query whose requested cost is above the bucket
    /// size can never be paid for, so it is answered <c>THROTTLED</c> every time (on Shopify the bucket is at least the
    /// 1000-point query limit, so this only happens with a smaller test bucket).
    /// </summary>
    /// <value>The default value is 1000.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    [Range(1, double.MaxValue)]
    public double BucketSize
    {
        get => _bucketSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _bucketSize = value;
        }
    }

    /// <summary>Gets or sets the points restored per second (<c>restoreRate</c>).</summary>
    /// <value>The default value is 50.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    [Range(0.001, double.MaxValue)]
    public double RestoreRate
    {
        get => _restoreRate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _restoreRate = value;
        }
    }

    /// <summary>Gets or sets the highest requested cost of one query; above it the answer is <c>MAX_COST_EXCEEDED</c>.</summary>
    /// <value>The default value is 1000.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    [Range(1, int.MaxValue)]
    public int MaxQueryCost
    {
        get => _maxQueryCost;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maxQueryCost = value;
        }
    }

    /// <summary>Gets or sets the HTTP status of a <c>THROTTLED</c> answer: 200 as widely observed, or 429 as sometimes reported (platforms.md §2.5).</summary>
    /// <value>The default value is 200.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither 200 nor 429.</exception>
    public int ThrottledStatusCode
    {
        get => _throttledStatusCode;
        set
        {
            if (value is not (200 or 429))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "ThrottledStatusCode must be 200 or 429.");
            }

            _throttledStatusCode = value;
        }
    }

    /// <summary>Sets <see cref="BucketSize"/> and <see cref="RestoreRate"/> to a plan's values.</summary>
    /// <param name="preset">The plan.</param>
    /// <returns>These options.</returns>
    public ShopifySandboxOptions UseRateLimits(ShopifyRateLimitPreset preset)
    {
        (BucketSize, RestoreRate) = preset switch
        {
            ShopifyRateLimitPreset.Plus => (2000d, 100d),
            _ => (1000d, 50d),
        };
        return this;
    }

    /// <summary>Throws when the options are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is inconsistent, quoted in the message.</exception>
    internal override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(ShopName) || !ShopName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"ShopName must be lower-case letters, digits and dashes, but was '{ShopName}'.", nameof(ShopifySandboxOptions));
        }

        if (AccessToken is { } token && string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("AccessToken must not be blank.", nameof(ShopifySandboxOptions));
        }

        if (Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            throw new ArgumentException($"Currency must be a three-letter upper-case ISO 4217 code, but was '{currency}'.", nameof(ShopifySandboxOptions));
        }
    }
}
