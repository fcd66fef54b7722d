using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Http;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>One GraphQL error from the top-level <c>errors</c> list.</summary>
internal sealed record GraphError(string Message, string? Code);

/// <summary>A GraphQL response: <c>data</c> (default when absent) and the top-level errors.</summary>
internal sealed record GraphResult(JsonElement Data, IReadOnlyList<GraphError> Errors, double? RequestedCost, double? ActualCost)
{
    public JsonElement Field(string key) => Data.Prop(key) ?? default;
}

/// <summary>Request counters of one client, for tests and benchmarks.</summary>
internal sealed class ShopifyClientStatistics
{
    private long _requests;
    private long _throttled;
    private long _requestedPoints;
    private long _actualPoints;

    public long Requests => Interlocked.Read(ref _requests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long RequestedPoints => Interlocked.Read(ref _requestedPoints);

    public long ActualPoints => Interlocked.Read(ref _actualPoints);

    public void Request() => Interlocked.Increment(ref _requests);

    public void Throttle() => Interlocked.Increment(ref _throttled);

    public void Points(double? requested, double? actual)
    {
        Interlocked.Add(ref _requestedPoints, (long)Math.Round(requested ?? 0));
        Interlocked.Add(ref _actualPoints, (long)Math.Round(actual ?? 0));
    }
}

/// <summary>
/// Sends GraphQL documents to one shop through the shared cost bucket. Thread-safe. Each document's cost is predicted
/// (<see cref="QueryCost"/>), the bucket is waited on until it can hold it, and every response's <c>throttleStatus</c> re-synchronises
/// the bucket. <c>THROTTLED</c> answers (HTTP 200 or 429) are retried after the bucket refills.
/// </summary>
internal sealed class ShopifyClient
{
    private readonly HttpClient _http;
    private readonly ShopifyConnectorOptions _options;
    private readonly CostBucket _bucket;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;
    private readonly SemaphoreSlim _concurrency;

    public ShopifyClient(HttpClient http, ShopifyConnectorOptions options, CostBucket bucket, ILogger logger)
    {
        _http = http;
        _options = options;
        _bucket = bucket;
        _logger = logger;
        string root = options.ShopUrl!.GetLeftPart(UriPartial.Path);
        _endpoint = new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), ShopifyConstants.GraphQLPath);
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    public ShopifyConnectorOptions Options => _options;

    public TimeProvider TimeProvider => _bucket.TimeProvider;

    public CostBucket Bucket => _bucket;

    public ShopifyClientStatistics Statistics { get; } = new();

    public string StoreIdentity => SecretRedactor.RedactUri(_options.ShopUrl!);

    /// <summary>The largest cost one document may have: the API's 1000 points, or less when the shop's bucket is smaller.</summary>
    public int MaxDocumentCost => (int)Math.Min(ShopifyConstants.MaxQueryCost, Math.Floor(_bucket.MaximumAvailable));

    /// <summary>Sends a document and returns its data; throws a classified <see cref="MigrationException"/> for a failed request.</summary>
    public Task<GraphResult> ExecuteAsync(string document, JsonObject? variables, CancellationToken cancellationToken)
        => ExecuteAsync(document, variables, idempotent: false, cancellationToken);

    /// <summary>
    /// Sends a document and returns its data. A query, or a mutation the caller marks <paramref name="idempotent"/>, may be repeated by
    /// the resilience pipeline after a transient failure; any other mutation is only repeated when the store refused it unexecuted.
    /// </summary>
    public async Task<GraphResult> ExecuteAsync(string document, JsonObject? variables, bool idempotent, CancellationToken cancellationToken)
    {
        bool mutation = document.StartsWith("mutation", StringComparison.Ordinal);
        int predicted = QueryCost.Predict(document, variables);
        if (predicted > ShopifyConstants.MaxQueryCost)
        {
            throw new InvalidOperationException($"The connector built a document of cost {predicted}, over Shopify's limit of {ShopifyConstants.MaxQueryCost}; it must split it.");
        }

        string body = new JsonObject { ["query"] = document, ["variables"] = variables?.DeepClone() ?? new JsonObject() }.ToJsonString();
        bool predictive = _options.ThrottleMode == ShopifyThrottleMode.Predictive;
        for (int attempt = 0; ; attempt++)
        {
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            double reserved = 0;
            ThrottleStatus? status = null;
            bool executed = false;
            try
            {
                if (predictive)
                {
                    reserved = predicted;
                    if (_bucket.Available < predicted)
                    {
                        Log.BucketWait(_logger, _bucket.Shop, predicted);
                    }

                    await _bucket.AcquireAsync(predicted, cancellationToken).ConfigureAwait(false);
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation(ShopifyConstants.AccessTokenHeader, _options.AccessToken);

                // A query changes nothing, so it is safe to repeat, and so is an upsert; other mutations are only repeated by the
                // pipeline when the store refused them.
                request.SetSafeToRetry(!mutation || idempotent);
                Statistics.Request();
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw Redact(HttpFailureClassifier.Classify(ex, request));
                }

                using (response)
                {
                    executed = true;
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        throw new MigrationConfigurationException(
                            FailureCategory.Authentication,
                            $"Shopify refused the access token for {StoreIdentity} (HTTP 401). Check AccessToken: it must be the Admin API access token of a custom app installed on this shop.");
                    }

                    if (response.StatusCode == HttpStatusCode.Forbidden)
                    {
                        throw new MigrationConfigurationException(
                            FailureCategory.Permission,
                            $"Shopify answered HTTP 403 for {StoreIdentity}: the app lacks an access scope this migration needs. Give the custom app read and write access to products, customers, orders, discounts, content and online store navigation.");
                    }

                    string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    JsonElement root = Parse(text, response);
                    status = ReadThrottle(root, out double? requested, out double? actual);
                    Statistics.Points(requested, actual);
                    List<GraphError> errors = ReadErrors(root);
                    bool throttled = response.StatusCode == HttpStatusCode.TooManyRequests || errors.Any(e => e.Code == "THROTTLED");
                    if (throttled)
                    {
                        executed = false;
                        Statistics.Throttle();
                        if (attempt >= _options.MaxThrottleRetries)
                        {
                            throw new MigrationException($"Shopify kept throttling requests to {StoreIdentity} after {attempt + 1} attempts.", FailureCategory.RateLimit, isTransient: true)
                            {
                                RetryAfter = WaitFor(requested ?? predicted, status),
                            };
                        }

                        TimeSpan delay = WaitFor(requested ?? predicted, status);
                        Log.Throttled(_logger, _bucket.Shop, (int)(requested ?? predicted), status?.CurrentlyAvailable ?? 0, status?.MaximumAvailable ?? 0, attempt + 1, delay);
                        if (!predictive)
                        {
                            await Task.Delay(delay, _bucket.TimeProvider, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw Redact(await HttpFailureClassifier.ClassifyAsync(response, _bucket.TimeProvider, cancellationToken).ConfigureAwait(false));
                    }

                    JsonElement data = root.Prop("data") ?? default;
                    if (errors.Count > 0 && data.ValueKind != JsonValueKind.Object)
                    {
                        throw Classify(errors);
                    }

                    return new GraphResult(data, errors, requested, actual);
                }
            }
            finally
            {
                if (predictive)
                {
                    _bucket.Complete(reserved, status, executed);
                }

                _concurrency.Release();
            }
        }
    }

    private TimeSpan WaitFor(double cost, ThrottleStatus? status)
    {
        double available = status?.CurrentlyAvailable ?? 0;
        double rate = status?.RestoreRate is > 0 and var r ? r : _bucket.RestoreRate;
        double seconds = Math.Max(0.05, (Math.Min(cost, status?.MaximumAvailable ?? cost) - available) / rate);
        return TimeSpan.FromSeconds(seconds);
    }

    private JsonElement Parse(string text, HttpResponseMessage response)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            if (!response.IsSuccessStatusCode)
            {
                return default;
            }

            throw new MigrationException(
                $"Shopify answered {(int)response.StatusCode} with a body that is not JSON; check that ShopUrl {StoreIdentity} is the shop's myshopify.com URL.",
                FailureCategory.Configuration,
                isTransient: false,
                ex);
        }
    }

    private static ThrottleStatus? ReadThrottle(JsonElement root, out double? requested, out double? actual)
    {
        JsonElement? cost = root.Path("extensions", "cost");
        requested = cost?.Double("requestedQueryCost");
        actual = cost?.Double("actualQueryCost");
        if (cost?.Prop("throttleStatus") is not { } t)
        {
            return null;
        }

        return new ThrottleStatus(t.Double("maximumAvailable") ?? 0, t.Double("currentlyAvailable") ?? 0, t.Double("restoreRate") ?? 0);
    }

    private static List<GraphError> ReadErrors(JsonElement root)
    {
        var errors = new List<GraphError>();
        if (root.Prop("errors") is not { } list)
        {
            return errors;
        }

        if (list.ValueKind == JsonValueKind.String)
        {
            errors.Add(new GraphError(list.GetString() ?? "error", null));
            return errors;
        }

        foreach (JsonElement e in list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [])
        {
            errors.Add(new GraphError(e.Str("message") ?? "error", e.Prop("extensions")?.Str("code")));
        }

        return errors;
    }

    private MigrationException Classify(List<GraphError> errors)
    {
        string message = SecretRedactor.Redact(string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Code}: {e.Message}")), Secrets);
        string? code = errors.Select(e => e.Code).FirstOrDefault(c => c is not null);
        return code switch
        {
            "INTERNAL_SERVER_ERROR" or "SERVICE_UNAVAILABLE" or "TIMEOUT" => new MigrationException($"Shopify failed to answer: {message}", FailureCategory.Connection, isTransient: true),
            "ACCESS_DENIED" => new MigrationConfigurationException(FailureCategory.Permission, $"Shopify denied access: {message}. Give the custom app the access scope named."),
            "MAX_COST_EXCEEDED" => new MigrationException($"Shopify refused a query as too costly: {message}", FailureCategory.Configuration, isTransient: false),
            _ => new MigrationException($"Shopify rejected the request: {message}", FailureCategory.Validation, isTransient: false),
        };
    }

    private MigrationException Redact(MigrationException ex)
        => ex.Message.Contains(_options.AccessToken!, StringComparison.Ordinal)
            ? new MigrationException(SecretRedactor.Redact(ex.Message, Secrets), ex.Category, ex.IsTransient) { RetryAfter = ex.RetryAfter }
            : ex;

    public IEnumerable<string> Secrets => [_options.AccessToken!];

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
