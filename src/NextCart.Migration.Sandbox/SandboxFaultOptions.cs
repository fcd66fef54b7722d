using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Sandbox.Internal;

namespace NextCart.Migration.Sandbox;

/// <summary>
/// Fault injection for a sandbox: the share of requests that fail with a server error, time out, lose their connection or are
/// rate limited, plus latency added to every request. Faults are drawn from a seeded <see cref="Random"/>, so the same seed and
/// the same order of requests always give the same faults.
/// </summary>
/// <remarks>
/// One draw is made per request, in the order requests arrive. The four rates are slices of that draw, so their sum must not
/// exceed 1. Requests sent one at a time therefore see a repeatable sequence of faults; concurrent requests see the same
/// sequence in their arrival order.
/// </remarks>
public sealed class SandboxFaultOptions
{
    private double _serverErrorRate;
    private double _timeoutRate;
    private double _connectionResetRate;
    private double _rateLimitRate;
    private double _lostResponseRate;
    private TimeSpan _timeoutDelay = SandboxFaultConstants.DefaultTimeoutDelay;
    private TimeSpan _retryAfter = SandboxFaultConstants.DefaultRetryAfter;
    private TimeSpan _latency;
    private IReadOnlyList<int> _serverErrorStatusCodes = SandboxFaultConstants.DefaultServerErrorStatusCodes;

    /// <summary>Gets or sets the share of requests answered with a server error (see <see cref="ServerErrorStatusCodes"/>).</summary>
    /// <value>The default value is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    [Range(0d, 1d)]
    public double ServerErrorRate
    {
        get => _serverErrorRate;
        set => _serverErrorRate = CheckRate(value);
    }

    /// <summary>
    /// Gets or sets the share of requests that time out: the response is held for <see cref="TimeoutDelay"/> before the request
    /// is processed normally, so a client whose timeout is shorter sees a timeout.
    /// </summary>
    /// <value>The default value is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    [Range(0d, 1d)]
    public double TimeoutRate
    {
        get => _timeoutRate;
        set => _timeoutRate = CheckRate(value);
    }

    /// <summary>Gets or sets the share of requests whose connection is aborted (<c>HttpContext.Abort()</c>) without a response.</summary>
    /// <value>The default value is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    [Range(0d, 1d)]
    public double ConnectionResetRate
    {
        get => _connectionResetRate;
        set => _connectionResetRate = CheckRate(value);
    }

    /// <summary>
    /// Gets or sets the share of requests answered <c>429 Too Many Requests</c> with a <c>Retry-After</c> header, as a host, WAF
    /// or CDN in front of the store does.
    /// </summary>
    /// <value>The default value is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    [Range(0d, 1d)]
    public double RateLimitRate
    {
        get => _rateLimitRate;
        set => _rateLimitRate = CheckRate(value);
    }

    /// <summary>
    /// Gets or sets the share of requests that are carried out and whose connection is then aborted before the response is sent
    /// (a proxy or load balancer dropping the connection after the store committed the write).
    /// </summary>
    /// <value>The default value is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    [Range(0d, 1d)]
    public double LostResponseRate
    {
        get => _lostResponseRate;
        set => _lostResponseRate = CheckRate(value);
    }

    /// <summary>Gets or sets how long a timed-out request is held, measured on the sandbox's <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is 100 seconds, the default timeout of <see cref="System.Net.Http.HttpClient"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan TimeoutDelay
    {
        get => _timeoutDelay;
        set => _timeoutDelay = CheckNotNegative(value);
    }

    /// <summary>Gets or sets the delay announced in the <c>Retry-After</c> header of injected 429 responses, rounded up to whole seconds.</summary>
    /// <value>The default value is 1 second.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan RetryAfter
    {
        get => _retryAfter;
        set => _retryAfter = CheckNotNegative(value);
    }

    /// <summary>Gets or sets the latency added to every request before it is processed, measured on the sandbox's <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Latency
    {
        get => _latency;
        set => _latency = CheckNotNegative(value);
    }

    /// <summary>Gets or sets the status codes injected server errors use; each fault picks one with the same seeded draw.</summary>
    /// <value>The default value is 500, 502, 503 and 504.</value>
    /// <exception cref="ArgumentException">The list is empty or holds a code outside 500 to 599.</exception>
    public IReadOnlyList<int> ServerErrorStatusCodes
    {
        get => _serverErrorStatusCodes;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0 || value.Any(code => code is < 500 or > 599))
            {
                throw new ArgumentException("ServerErrorStatusCodes must hold at least one status code from 500 to 599.", nameof(value));
            }

            _serverErrorStatusCodes = [.. value];
        }
    }

    /// <summary>Gets or sets the seed of the fault draws, or <see langword="null"/> to use the sandbox's seed.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets a value indicating whether any fault or latency is configured.</summary>
    public bool IsEnabled => TotalRate > 0 || Latency > TimeSpan.Zero;

    internal double TotalRate => ServerErrorRate + TimeoutRate + ConnectionResetRate + RateLimitRate + LostResponseRate;

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>The copy.</returns>
    public SandboxFaultOptions Clone() => (SandboxFaultOptions)MemberwiseClone();

    /// <summary>Throws when the options are inconsistent.</summary>
    /// <exception cref="ArgumentException">The rates add up to more than 1.</exception>
    internal void Validate()
    {
        if (TotalRate > 1d + 1e-9)
        {
            throw new ArgumentException(
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"The fault rates must add up to at most 1, but ServerErrorRate ({ServerErrorRate}) + TimeoutRate ({TimeoutRate}) + ConnectionResetRate ({ConnectionResetRate}) + RateLimitRate ({RateLimitRate}) + LostResponseRate ({LostResponseRate}) = {TotalRate}."),
                nameof(SandboxFaultOptions));
        }
    }

    private static double CheckRate(double value)
    {
        if (double.IsNaN(value) || value is < 0d or > 1d)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A fault rate must be between 0 and 1.");
        }

        return value;
    }

    private static TimeSpan CheckNotNegative(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return value;
    }
}
