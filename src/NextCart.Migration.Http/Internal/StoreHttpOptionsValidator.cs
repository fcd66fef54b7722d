using System.Globalization;
using Microsoft.Extensions.Options;

namespace NextCart.Migration.Http.Internal;

/// <summary>The DataAnnotations rules of <see cref="StoreHttpOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class StoreHttpOptionsDataAnnotationsValidator : IValidateOptions<StoreHttpOptions>
{
}

/// <summary>The rules of <see cref="StoreHttpOptions"/> that span fields or need code; each message quotes the offending value.</summary>
internal sealed class StoreHttpOptionsValidator : IValidateOptions<StoreHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Validate(StoreHttpOptions options)
    {
        List<string> errors = [];
        if (options.BaseAddress is { } address)
        {
            if (!address.IsAbsoluteUri)
            {
                errors.Add($"BaseAddress '{SecretRedactor.RedactUri(address)}' is not an absolute URI; give the full address, such as https://shop.example/wp-json/wc/v3/.");
            }
            else if (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)
            {
                errors.Add($"BaseAddress '{SecretRedactor.RedactUri(address)}' uses the scheme '{address.Scheme}'; only https (and http for loopback hosts) can reach a store.");
            }
            else
            {
                if (!TransportSecurity.IsAllowed(address, options.AllowInsecureHttp))
                {
                    errors.Add(TransportSecurity.InsecureMessage("BaseAddress", address));
                }

                if (address.UserInfo.Length > 0)
                {
                    errors.Add($"BaseAddress '{SecretRedactor.RedactUri(address)}' contains credentials (user information); remove them from the address and pass credentials in headers.");
                }

                if (address.Query.Length > 0 || address.Fragment.Length > 0)
                {
                    errors.Add($"BaseAddress '{SecretRedactor.RedactUri(address)}' has a query or fragment; give the address of the API's root only.");
                }
            }
        }

        if (options.StoreKey is { } key && string.IsNullOrWhiteSpace(key))
        {
            errors.Add("StoreKey is empty; leave it null to key the rate limiter by the base address, or give a non-empty key.");
        }

        if (options.TotalTimeout < options.AttemptTimeout)
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"TotalTimeout ({options.TotalTimeout:c}) is shorter than AttemptTimeout ({options.AttemptTimeout:c}); it must be at least as long, and long enough for retries and rate-limit waits."));
        }

        if (options.MaxRetryDelay < options.RetryBaseDelay)
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"MaxRetryDelay ({options.MaxRetryDelay:c}) is shorter than RetryBaseDelay ({options.RetryBaseDelay:c}); it must be at least as long."));
        }

        if (!double.IsFinite(options.RequestsPerSecond))
        {
            errors.Add($"RequestsPerSecond is {options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)}; it must be a finite number of requests per second.");
        }

        if (!string.IsNullOrEmpty(options.UserAgent))
        {
            using HttpRequestMessage probe = new();
            if (!probe.Headers.UserAgent.TryParseAdd(options.UserAgent))
            {
                errors.Add($"UserAgent '{options.UserAgent}' is not a valid User-Agent header; use product tokens such as 'MyApp/1.2 (+https://myapp.example)'.");
            }
        }

        return errors;
    }
}
