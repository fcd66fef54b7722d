using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Http.Internal;

namespace NextCart.Migration.Http;

/// <summary>
/// The options of one store's HTTP client, registered with
/// <see cref="Microsoft.Extensions.DependencyInjection.StoreHttpServiceCollectionExtensions.AddNextCartHttpClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{StoreHttpOptions})"/>
/// as named options under the client's name.
/// </summary>
/// <remarks>
/// The options are validated when the host starts and again when the client is first used; every problem is reported together.
/// Clients that share a store key share one rate limiter, created from <see cref="RequestsPerSecond"/> and <see cref="Burst"/> of the first of them to be created; give them the same values.
/// </remarks>
public sealed class StoreHttpOptions
{
    /// <summary>Gets or sets the store's API base address, such as <c>https://shop.example/wp-json/wc/v3/</c>.</summary>
    /// <remarks>
    /// A trailing slash is added when missing, so relative request URIs resolve below it. Remote stores need <c>https</c>;
    /// plain <c>http</c> is accepted only for loopback hosts or with <see cref="AllowInsecureHttp"/>.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the key that identifies the store for rate limiting. Every client with the same key shares one limiter.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the scheme, host and port of <see cref="BaseAddress"/>.</value>
    public string? StoreKey { get; set; }

    /// <summary>Gets or sets how many requests per second the store's rate limiter lets through, across every client of the store.</summary>
    /// <remarks>Requests over the rate wait in a queue, oldest first; they are never rejected by the limiter.</remarks>
    /// <value>The default value is 5.</value>
    [Range(0.01, 10_000)]
    public double RequestsPerSecond { get; set; } = StoreHttpConstants.DefaultRequestsPerSecond;

    /// <summary>Gets or sets how many requests the store's rate limiter lets through at once after an idle period.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 10_000)]
    public int Burst { get; set; } = StoreHttpConstants.DefaultBurst;

    /// <summary>Gets or sets how many times a failed request is retried when the retry rules allow it. Zero disables retries.</summary>
    /// <value>The default value is 5.</value>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = StoreHttpConstants.DefaultMaxRetries;

    /// <summary>Gets or sets the base delay of the exponential backoff, with jitter, between retries.</summary>
    /// <remarks>A <c>Retry-After</c> header from the store replaces the backoff delay.</remarks>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = StoreHttpConstants.DefaultRetryBaseDelay;

    /// <summary>Gets or sets the longest backoff delay between retries. It does not shorten a delay the store asks for with <c>Retry-After</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = StoreHttpConstants.DefaultMaxRetryDelay;

    /// <summary>Gets or sets how long one attempt may take, from sending the request to receiving the response headers.</summary>
    /// <remarks>Time spent waiting for the rate limiter does not count.</remarks>
    /// <value>The default value is 100 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = StoreHttpConstants.DefaultAttemptTimeout;

    /// <summary>
    /// Gets or sets how long a request may take in all: every attempt, the delays between them and the waits for the rate limiter.
    /// It must be at least <see cref="AttemptTimeout"/>.
    /// </summary>
    /// <remarks>A store that asks to wait longer than this (<c>Retry-After</c>) is not retried; the failure carries the wait instead.</remarks>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = StoreHttpConstants.DefaultTotalTimeout;

    /// <summary>
    /// Gets or sets a value indicating whether a remote store may be reached over plain <c>http</c>, which sends the credentials unencrypted.
    /// Loopback hosts (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>) never need it.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Gets or sets the <c>User-Agent</c> header sent with every request. Some hosts' firewalls block requests without one.</summary>
    /// <value>The default value is <c>NextCart.Migration/{version}</c>.</value>
    [Required]
    public string UserAgent { get; set; } = StoreHttpConstants.DefaultUserAgent;
}
