using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Sandbox.WooCommerce.Internal;

namespace NextCart.Migration.Sandbox.WooCommerce;

/// <summary>
/// Settings of a <see cref="WooCommerceSandbox"/>: besides the data, faults and clock every sandbox has, the credentials it
/// accepts, the site's timezone and the WooCommerce settings that change API behaviour.
/// </summary>
/// <remarks>An empty sandbox is a fresh install: only the administrator and the "Uncategorized" categories exist.</remarks>
/// <example>
/// <code>
/// await using WooCommerceSandbox source = await WooCommerceSandbox.StartAsync(new() { ProductCount = 120 });
/// await using WooCommerceSandbox target = await WooCommerceSandbox.StartAsync(new() { Empty = true });
/// </code>
/// </example>
public sealed class WooCommerceSandboxOptions : PlatformSandboxOptions
{
    private int _batchLimit = WooCommerceConstants.DefaultBatchLimit;
    private TimeSpan _siteUtcOffset = WooCommerceConstants.DefaultUtcOffset;
    private IReadOnlyList<string> _unreachableImageHosts = WooCommerceConstants.DefaultUnreachableImageHosts;

    /// <summary>Gets or sets the consumer key the sandbox accepts, or <see langword="null"/> to generate one (<c>ck_</c> and 40 hex digits) from <see cref="PlatformSandboxOptions.Seed"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ConsumerKey { get; set; }

    /// <summary>Gets or sets the consumer secret the sandbox accepts, or <see langword="null"/> to generate one (<c>cs_</c> and 40 hex digits) from <see cref="PlatformSandboxOptions.Seed"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ConsumerSecret { get; set; }

    /// <summary>Gets or sets the permission of the API key.</summary>
    /// <value>The default value is <see cref="WooCommerceKeyPermissions.ReadWrite"/>.</value>
    public WooCommerceKeyPermissions KeyPermissions { get; set; } = WooCommerceKeyPermissions.ReadWrite;

    /// <summary>Gets or sets the WordPress user name of the administrator who owns the application password.</summary>
    /// <value>The default value is <c>admin</c>.</value>
    public string WordPressUserName { get; set; } = WooCommerceConstants.DefaultUserName;

    /// <summary>Gets or sets the application password the sandbox accepts, or <see langword="null"/> to generate one (six groups of four letters and digits) from <see cref="PlatformSandboxOptions.Seed"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApplicationPassword { get; set; }

    /// <summary>Gets or sets the site's UTC offset: local dates (<c>date_created</c>) use it, <c>_gmt</c> dates do not.</summary>
    /// <value>The default value is -3 hours, as in the WooCommerce documentation's examples.</value>
    /// <exception cref="ArgumentOutOfRangeException">The offset is beyond ±14 hours.</exception>
    public TimeSpan SiteUtcOffset
    {
        get => _siteUtcOffset;
        set
        {
            if (value < TimeSpan.FromHours(-14) || value > TimeSpan.FromHours(14))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "SiteUtcOffset must be within 14 hours of UTC.");
            }

            _siteUtcOffset = value;
        }
    }

    /// <summary>Gets or sets the most items a <c>/batch</c> request may hold (create, update and delete combined), the <c>woocommerce_rest_batch_items_limit</c> filter.</summary>
    /// <value>The default value is 100.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    [Range(1, int.MaxValue)]
    public int BatchLimit
    {
        get => _batchLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _batchLimit = value;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether HTTP Basic and query-string keys are refused over plain HTTP, as a real store
    /// refuses them (only OAuth 1.0a authenticates <c>http://</c> requests). The sandbox listens on loopback HTTP, so the
    /// default accepts them.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RequireHttpsForBasicAuth { get; set; }

    /// <summary>Gets or sets a value indicating whether orders created through the API get taxes from the tax rates (<c>woocommerce_calc_taxes</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CalculateTaxes { get; set; }

    /// <summary>Gets or sets the host name suffixes whose images fail to download when sideloaded (<c>images[].src</c>), answering <c>woocommerce_product_image_upload_error</c>.</summary>
    /// <value>The default value is <c>.invalid</c> (RFC 2606).</value>
    public IReadOnlyList<string> UnreachableImageHosts
    {
        get => _unreachableImageHosts;
        set => _unreachableImageHosts = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>Throws when the options are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is inconsistent, quoted in the message.</exception>
    internal override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(WordPressUserName) || WordPressUserName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"WordPressUserName must be a non-empty name without ':', but was '{WordPressUserName}'.", nameof(WooCommerceSandboxOptions));
        }

        if (ConsumerKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Contains(':', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"ConsumerKey must be non-empty and without ':', but was '{key}'.", nameof(WooCommerceSandboxOptions));
        }

        if (ConsumerSecret is { } secret && string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("ConsumerSecret must not be blank.", nameof(WooCommerceSandboxOptions));
        }

        if (ApplicationPassword is { } password && !password.Any(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("ApplicationPassword must contain letters or digits (WordPress ignores every other character).", nameof(WooCommerceSandboxOptions));
        }
    }
}
