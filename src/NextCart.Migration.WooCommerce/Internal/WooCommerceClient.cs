using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NextCart.Migration.Http;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Which REST namespace a request goes to; it decides the authentication.</summary>
internal enum WooApi
{
    WooCommerce = 0,
    WordPress = 1,
    Redirection = 2,
}

/// <summary>A parsed JSON response with the paging headers.</summary>
internal readonly record struct WooResponse(HttpStatusCode Status, JsonElement Body, long? Total, int? TotalPages);

/// <summary>Sends authenticated requests to one store. Thread-safe.</summary>
internal sealed class WooCommerceClient
{
    private readonly HttpClient _http;
    private readonly WooCommerceConnectorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Uri _root;

    public WooCommerceClient(HttpClient http, WooCommerceConnectorOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _timeProvider = timeProvider;
        string root = options.StoreUrl!.GetLeftPart(UriPartial.Path);
        _root = new Uri(root.EndsWith('/') ? root : root + "/");
    }

    public WooCommerceConnectorOptions Options => _options;

    public TimeProvider TimeProvider => _timeProvider;

    public string StoreIdentity => _root.GetLeftPart(UriPartial.Path);

    public bool HasWordPressCredentials => !string.IsNullOrEmpty(_options.WordPressUser) && !string.IsNullOrEmpty(_options.WordPressApplicationPassword);

    public Uri BuildUri(WooApi api, string path, IEnumerable<KeyValuePair<string, string>>? query)
    {
        string prefix = api switch
        {
            WooApi.WordPress => WooCommerceConstants.WordPressPath,
            WooApi.Redirection => WooCommerceConstants.RedirectionPath,
            _ => WooCommerceConstants.ApiPath,
        };
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> p in query ?? [])
        {
            builder.Append(builder.Length == 0 ? string.Empty : "&").Append(OAuth1Signer.Encode(p.Key)).Append('=').Append(OAuth1Signer.Encode(p.Value));
        }

        var uri = new Uri(_root, prefix + path);
        return builder.Length == 0 ? uri : new UriBuilder(uri) { Query = builder.ToString() }.Uri;
    }

    /// <summary>Sends a request and returns the raw response (the caller disposes it). GETs are marked safe to retry.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, WooApi api, string path, IEnumerable<KeyValuePair<string, string>>? query, JsonNode? body, CancellationToken cancellationToken)
    {
        Uri uri = BuildUri(api, path, query);
        if (api == WooApi.WooCommerce)
        {
            if (_options.AuthMode == WooCommerceAuthMode.QueryString)
            {
                string extra = "consumer_key=" + OAuth1Signer.Encode(_options.ConsumerKey!) + "&consumer_secret=" + OAuth1Signer.Encode(_options.ConsumerSecret!);
                string q = uri.Query.TrimStart('?');
                uri = new UriBuilder(uri) { Query = q.Length == 0 ? extra : q + "&" + extra }.Uri;
            }
            else if (_options.AuthMode == WooCommerceAuthMode.OAuth1)
            {
                uri = OAuth1Signer.Sign(method, uri, _options.ConsumerKey!, _options.ConsumerSecret!, _timeProvider);
            }
        }

        using var request = new HttpRequestMessage(method, uri);
        if (api == WooApi.WooCommerce && _options.AuthMode == WooCommerceAuthMode.Basic)
        {
            request.Headers.Authorization = BasicHeader(_options.ConsumerKey!, _options.ConsumerSecret!);
        }
        else if (api != WooApi.WooCommerce && HasWordPressCredentials)
        {
            request.Headers.Authorization = BasicHeader(_options.WordPressUser!, _options.WordPressApplicationPassword!);
        }

        if (method == HttpMethod.Get || method == HttpMethod.Head)
        {
            request.SetSafeToRetry();
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailureClassifier.Classify(ex, request);
        }
    }

    /// <summary>Sends a request and parses the JSON body, throwing a classified failure for an error status.</summary>
    public async Task<WooResponse> SendAsync(HttpMethod method, WooApi api, string path, IEnumerable<KeyValuePair<string, string>>? query, JsonNode? body, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendRawAsync(method, api, path, query, body, cancellationToken).ConfigureAwait(false);
        await HttpFailureClassifier.EnsureSuccessAsync(response, _timeProvider, cancellationToken).ConfigureAwait(false);
        return await ParseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public Task<WooResponse> GetAsync(WooApi api, string path, IEnumerable<KeyValuePair<string, string>>? query, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, api, path, query, body: null, cancellationToken);

    public static async Task<WooResponse> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement body;
        try
        {
            body = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new MigrationException(
                $"The store answered {(int)response.StatusCode} with a body that is not JSON; check that StoreUrl points at the WordPress site and that pretty permalinks are on.",
                FailureCategory.Configuration,
                isTransient: false,
                ex);
        }

        return new WooResponse(response.StatusCode, body, ReadLong(response, "X-WP-Total"), (int?)ReadLong(response, "X-WP-TotalPages"));
    }

    private static long? ReadLong(HttpResponseMessage response, string header)
        => response.Headers.TryGetValues(header, out IEnumerable<string>? values)
           && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;

    private static AuthenticationHeaderValue BasicHeader(string user, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
