using System.Globalization;
using System.Net.Http.Headers;

namespace NextCart.Migration.Http.Internal;

/// <summary>Reads <c>Retry-After</c>: delta-seconds (also Shopify's decimal form such as <c>2.0</c>) or an HTTP-date.</summary>
internal static class RetryAfterParser
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    public static TimeSpan? Get(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out HeaderStringValues values))
        {
            return null;
        }

        foreach (string value in values)
        {
            if (Parse(value, timeProvider.GetUtcNow()) is { } delay)
            {
                return delay;
            }
        }

        return null;
    }

    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds >= MaxRetryAfter.TotalSeconds ? MaxRetryAfter : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date))
        {
            TimeSpan delay = date - now;
            return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay >= MaxRetryAfter ? MaxRetryAfter : delay;
        }

        return null;
    }
}
