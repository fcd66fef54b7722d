using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using NextCart.Migration.Http.Internal;
using Polly.RateLimiting;
using Polly.Timeout;

namespace NextCart.Migration.Http;

/// <summary>
/// Maps failed HTTP calls to the engine's failure categories, as <see cref="StoreHttpException"/>s whose messages say what to fix.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>failure</term><description>category, transient</description></listheader>
/// <item><term>401</term><description><see cref="FailureCategory.Authentication"/>, no</description></item>
/// <item><term>403</term><description><see cref="FailureCategory.Permission"/>, no</description></item>
/// <item><term>404, 405, 410, 3xx redirects</term><description><see cref="FailureCategory.Configuration"/> (wrong URL or API version), no</description></item>
/// <item><term>400, 409, 413, 414, 422</term><description><see cref="FailureCategory.Validation"/> (the record or batch was rejected), no</description></item>
/// <item><term>429</term><description><see cref="FailureCategory.RateLimit"/>, yes, with <see cref="MigrationException.RetryAfter"/></description></item>
/// <item><term>408, 5xx but 501 and 505, timeouts, refused or reset connections, DNS failures</term><description><see cref="FailureCategory.Connection"/>, yes</description></item>
/// <item><term>TLS and certificate failures</term><description><see cref="FailureCategory.Connection"/>, no</description></item>
/// <item><term>anything else</term><description><see cref="FailureCategory.Connection"/>, no, quoting the status</description></item>
/// </list>
/// A 404 for a single record (as opposed to a missing route) is the connector's business: it knows whether it asked for a record, and
/// handles that case before calling the classifier. Every member is thread-safe.
/// </remarks>
public static class HttpFailureClassifier
{
    /// <summary>Gets whether a status means the call may succeed if repeated: 408, 429 and every 5xx except 501 and 505.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <returns><see langword="true"/> when a retry may succeed.</returns>
    public static bool IsTransient(HttpStatusCode statusCode)
    {
        int code = (int)statusCode;
        return code is 408 or 429 || (code is >= 500 and <= 599 && code is not 501 and not 505);
    }

    /// <summary>Gets the failure category of an unsuccessful HTTP status.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <returns>The category; <see cref="FailureCategory.Connection"/> for statuses that say nothing more specific.</returns>
    public static FailureCategory GetCategory(HttpStatusCode statusCode) => (int)statusCode switch
    {
        401 => FailureCategory.Authentication,
        403 => FailureCategory.Permission,
        404 or 405 or 410 => FailureCategory.Configuration,
        >= 300 and <= 399 => FailureCategory.Configuration,
        400 or 409 or 413 or 414 or 422 => FailureCategory.Validation,
        429 => FailureCategory.RateLimit,
        _ => FailureCategory.Connection,
    };

    /// <summary>Reads how long the store asked to wait, from <c>Retry-After</c> as delta-seconds (decimals allowed) or an HTTP-date.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock for HTTP-dates, or <see langword="null"/> for the system clock.</param>
    /// <returns>The wait, never negative, or <see langword="null"/> when the response has no readable <c>Retry-After</c>.</returns>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        return RetryAfterParser.Get(response, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Classifies an unsuccessful response without reading its body.</summary>
    /// <param name="response">The response; its status must not be a success.</param>
    /// <param name="serverMessage">What the store said about the error, if the caller parsed it; it is redacted before use.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates, or <see langword="null"/> for the system clock.</param>
    /// <returns>The exception to throw.</returns>
    /// <exception cref="ArgumentException">The response is a success.</exception>
    public static StoreHttpException Classify(HttpResponseMessage response, string? serverMessage = null, TimeProvider? timeProvider = null)
        => Build(response, serverCode: null, serverMessage, timeProvider);

    /// <summary>
    /// Classifies an unsuccessful response, reading the start of its body for the store's error code and message
    /// (<c>{"code","message"}</c>, <c>{"errors"}</c>, <c>{"title"}</c>, <c>{"error_description"}</c>).
    /// </summary>
    /// <param name="response">The response; its status must not be a success. It is not disposed.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates, or <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">The token to cancel reading the body.</param>
    /// <returns>The exception to throw.</returns>
    /// <exception cref="ArgumentException">The response is a success.</exception>
    public static async ValueTask<StoreHttpException> ClassifyAsync(HttpResponseMessage response, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        EnsureFailure(response);
        (string? code, string? message) = await ReadServerErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return Build(response, code, message, timeProvider);
    }

    /// <summary>Throws a classified <see cref="StoreHttpException"/> when the response is not a success.</summary>
    /// <param name="response">The response. It is not disposed.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates, or <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">The token to cancel reading the body of a failed response.</param>
    /// <returns>A task that completes when the response is a success.</returns>
    /// <exception cref="StoreHttpException">The response is not a success.</exception>
    public static async ValueTask EnsureSuccessAsync(HttpResponseMessage response, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode)
        {
            throw await ClassifyAsync(response, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Classifies an exception thrown while calling a store: connection, DNS, TLS and timeout failures, rate-limiter rejections.
    /// A <see cref="MigrationException"/> is returned unchanged.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="request">The request that failed, for the message, or <see langword="null"/>.</param>
    /// <returns>The exception to throw.</returns>
    public static MigrationException Classify(Exception exception, HttpRequestMessage? request = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is MigrationException migration)
        {
            return migration;
        }

        string call = DescribeCall(request);
        string host = DescribeHost(request?.RequestUri);
        IReadOnlyList<string> secrets = request is null ? [] : SecretRedactor.FindSecrets(request);
        switch (exception)
        {
            case TimeoutRejectedException timeout:
                return Create(
                    $"The store did not answer {call} within {Format(timeout.Timeout)}. The host may be overloaded; if it keeps happening, lower the batch size or raise AttemptTimeout or TotalTimeout.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception);

            case RateLimiterRejectedException rejected:
                return Create(
                    $"The client-side rate limiter for the store refused {call}. Lower the number of concurrent writers or raise RequestsPerSecond.",
                    FailureCategory.RateLimit,
                    isTransient: true,
                    request,
                    exception,
                    retryAfter: rejected.RetryAfter);

            case OperationCanceledException when exception.InnerException is TimeoutException:
                return Create(
                    $"The store did not answer {call} before the client's timeout. The host may be overloaded; if it keeps happening, lower the batch size or raise the timeouts.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception);

            case OperationCanceledException:
                return Create(
                    $"{Capitalize(call)} was canceled before the store answered.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception);
        }

        if (FindTlsFailure(exception) is { } tls)
        {
            return Create(
                $"A secure connection to {host} could not be established: {SecretRedactor.Redact(tls.Message, secrets)} Check the store's TLS certificate (it may be expired, self-signed or issued for another host name) and that the store URL uses the host name on the certificate.",
                FailureCategory.Connection,
                isTransient: false,
                request,
                exception);
        }

        if (exception is HttpRequestException http)
        {
            string detail = SecretRedactor.Redact(Innermost(http).Message, secrets);
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => Create(
                    $"The store's host name {host} could not be resolved ({detail}). Check the store URL; if it is right, the DNS failure is usually temporary.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception),
                HttpRequestError.ConnectionError => Create(
                    $"Could not connect to the store at {host} ({detail}). The store may be down or blocking this machine; check the store URL if it keeps happening.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception),
                HttpRequestError.UserAuthenticationError or HttpRequestError.ProxyTunnelError => Create(
                    $"{Capitalize(call)} could not pass the proxy ({detail}). Check the proxy settings of this machine.",
                    FailureCategory.Connection,
                    isTransient: false,
                    request,
                    exception),
                HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.ExtendedConnectNotSupported or HttpRequestError.VersionNegotiationError => Create(
                    $"{Capitalize(call)} failed: {detail}",
                    FailureCategory.Connection,
                    isTransient: false,
                    request,
                    exception),
                _ => Create(
                    $"The connection to the store broke during {call} ({detail}). This is usually temporary.",
                    FailureCategory.Connection,
                    isTransient: true,
                    request,
                    exception),
            };
        }

        if (exception is IOException or SocketException)
        {
            return Create(
                $"The connection to the store broke during {call} ({SecretRedactor.Redact(exception.Message, secrets)}). This is usually temporary.",
                FailureCategory.Connection,
                isTransient: true,
                request,
                exception);
        }

        return Create(
            $"{Capitalize(call)} failed with {exception.GetType().Name}: {SecretRedactor.Redact(exception.Message, secrets)}",
            FailureCategory.Connection,
            isTransient: false,
            request,
            exception);
    }

    private static StoreHttpException Build(HttpResponseMessage response, string? serverCode, string? serverMessage, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        EnsureFailure(response);
        HttpRequestMessage? request = response.RequestMessage;
        HttpStatusCode status = response.StatusCode;
        int code = (int)status;
        string call = DescribeCall(request);
        IReadOnlyList<string> secrets = request is null ? [] : SecretRedactor.FindSecrets(request);
        string statusText = DescribeStatus(response, secrets);
        TimeSpan? retryAfter = RetryAfterParser.Get(response, timeProvider ?? TimeProvider.System);
        string? said = Shorten(SecretRedactor.Redact(serverMessage, secrets));
        string saidSuffix = said is null ? string.Empty : $" The store said: \"{said}\".";
        string? location = response.Headers.Location is { } target ? SecretRedactor.RedactUri(target) : null;

        string message = code switch
        {
            401 => $"The store refused the credentials ({statusText} for {call}).{saidSuffix} Check the API key or access token (for WooCommerce, the consumer key and secret): it must belong to this store and must not be revoked.",
            403 => $"The credentials lack permission for {call} ({statusText}).{saidSuffix} Give the API key read/write access or grant the app the missing access scope; a security plugin or firewall on the store can also refuse API calls.",
            404 or 410 => $"The store has no API at {call} ({statusText}).{saidSuffix} Check the store URL and the API version; for WooCommerce, pretty permalinks must be enabled and the REST API reachable under /wp-json/.",
            405 => $"The store does not accept {call} ({statusText}).{saidSuffix} Check the store URL and the API version.",
            >= 300 and <= 399 => $"The store redirected {call} to {location ?? "another address"} ({statusText}). Use the final address as the store URL (https, with or without www. as the store uses it); redirects are not followed because they drop credentials and request bodies.",
            413 => $"The store refused {call} as too large ({statusText}).{saidSuffix} Lower the batch size.",
            409 => $"The store reported a conflict for {call} ({statusText}).{saidSuffix} The record may already exist or have been changed at the same time; fix the record or the mapping and migrate it again.",
            400 or 414 or 422 => $"The store rejected {call} as invalid ({statusText}).{saidSuffix} Fix the record's data or the mapping and migrate it again.",
            429 => $"The store's rate limit was hit ({statusText} for {call}) and retries did not get through{(retryAfter is { } wait ? $"; it asked to wait {Format(wait)}" : string.Empty)}. The run waits and continues; lower RequestsPerSecond or the number of writers if it keeps happening.",
            408 => $"The store timed out waiting for {call} ({statusText}). This is usually temporary; if it keeps happening, lower the batch size.",
            503 when retryAfter is { } wait => $"The store is unavailable ({statusText} for {call}, maintenance or overload) and asked to wait {Format(wait)}.{saidSuffix}",
            _ when IsTransient(status) => $"The store failed with {statusText} for {call}.{saidSuffix} This is usually temporary (an overloaded host or a failing plugin); if it keeps happening, check the store's error log.",
            _ => $"The store answered {call} with {statusText}.{saidSuffix}",
        };

        return new StoreHttpException(message, GetCategory(status), IsTransient(status), status)
        {
            RetryAfter = retryAfter,
            RequestMethod = request?.Method.Method,
            RequestUri = request?.RequestUri is { } uri ? SecretRedactor.RedactUri(uri) : null,
            ServerCode = Shorten(SecretRedactor.Redact(serverCode, secrets)),
            ServerMessage = said,
        };
    }

    private static StoreHttpException Create(string message, FailureCategory category, bool isTransient, HttpRequestMessage? request, Exception innerException, TimeSpan? retryAfter = null)
        => new(message, category, isTransient, statusCode: null, innerException)
        {
            RetryAfter = retryAfter,
            RequestMethod = request?.Method.Method,
            RequestUri = request?.RequestUri is { } uri ? SecretRedactor.RedactUri(uri) : null,
        };

    private static void EnsureFailure(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            throw new ArgumentException($"The response is a success ({(int)response.StatusCode}); there is no failure to classify.", nameof(response));
        }
    }

    private static async ValueTask<(string? Code, string? Message)> ReadServerErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                Encoding encoding = GetEncoding(response.Content.Headers.ContentType?.CharSet);
                using StreamReader reader = new(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1024, leaveOpen: true);
                char[] buffer = new char[StoreHttpConstants.MaxErrorBodyChars];
                int read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                text = new string(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or ObjectDisposedException or DecoderFallbackException)
        {
            return (null, null);
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            return (null, null);
        }

        if (text[0] is '{' or '[')
        {
            return ParseJsonError(text);
        }

        // An HTML page (a firewall, a maintenance page or a PHP error) says nothing useful in a message.
        if (text[0] == '<')
        {
            return (null, null);
        }

        int newline = text.IndexOfAny(['\r', '\n']);
        return (null, newline < 0 ? text : text[..newline]);
    }

    private static (string? Code, string? Message) ParseJsonError(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return (null, FirstMessage(root));
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? code = GetString(root, "code");
            string? message = GetString(root, "message")
                ?? GetString(root, "title")
                ?? GetString(root, "error_description")
                ?? (root.TryGetProperty("errors", out JsonElement errors) ? FirstMessage(errors) : null)
                ?? GetString(root, "error");
            return (code, message);
        }
        catch (JsonException)
        {
            // A truncated or malformed body: say nothing rather than quote half a document.
            return (null, null);
        }
    }

    private static string? FirstMessage(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array => element.EnumerateArray().Select(FirstMessage).FirstOrDefault(m => m is not null),
        JsonValueKind.Object => GetString(element, "message") ?? element.EnumerateObject().Select(p => FirstMessage(p.Value)).FirstOrDefault(m => m is not null),
        _ => null,
    };

    private static string? GetString(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()
            : element.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText()
            : null;

    private static Encoding GetEncoding(string? charSet)
    {
        if (!string.IsNullOrEmpty(charSet))
        {
            try
            {
                return Encoding.GetEncoding(charSet.Trim('"'));
            }
            catch (ArgumentException)
            {
            }
        }

        return Encoding.UTF8;
    }

    private static Exception? FindTlsFailure(Exception exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return exception.InnerException ?? exception;
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                return current;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        Exception current = exception;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }

    private static string DescribeCall(HttpRequestMessage? request)
        => request is null ? "the request" : $"{request.Method.Method} {SecretRedactor.RedactUri(request.RequestUri)}";

    private static string DescribeHost(Uri? uri)
        => uri is { IsAbsoluteUri: true } ? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}") : "the store";

    private static string DescribeStatus(HttpResponseMessage response, IReadOnlyList<string> secrets)
    {
        int code = (int)response.StatusCode;
        string? reason = response.ReasonPhrase;
        return string.IsNullOrWhiteSpace(reason)
            ? $"HTTP {code.ToString(CultureInfo.InvariantCulture)}"
            : $"HTTP {code.ToString(CultureInfo.InvariantCulture)} {SecretRedactor.Redact(reason, secrets)}";
    }

    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        return text.Length <= StoreHttpConstants.MaxServerMessageChars ? text : string.Concat(text.AsSpan(0, StoreHttpConstants.MaxServerMessageChars), "…");
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    private static string Format(TimeSpan value)
        => value.TotalSeconds < 1
            ? $"{value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
            : value.TotalSeconds < 120
                ? $"{value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
                : value.ToString("c", CultureInfo.InvariantCulture);
}
