using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NextCart.Migration.Sandbox.Internal;
using NextCart.Migration.Sandbox.Shopify.Internal.Gql;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>
/// Serves <c>POST /admin/api/2026-01/graphql.json</c>: checks <c>X-Shopify-Access-Token</c>, validates and costs the document
/// before anything runs, takes the requested cost from the leaky bucket (or answers <c>THROTTLED</c>), executes under the
/// store lock, refunds requested minus actual, and reports <c>extensions.cost</c>.
/// </summary>
internal sealed class ShopifyPlatform : ISandboxPlatform
{
    public const string GraphQLPath = "/admin/api/" + ShopifySandboxOptions.ApiVersion + "/graphql.json";

    /// <summary>The body of a request with a bad token (platforms.md §2.1).</summary>
    public const string InvalidTokenBody = "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}";

    private const string RateLimitDocumentation = "https://shopify.dev/api/usage/rate-limits";
    private static readonly JsonSerializerOptions Serializer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ShopifyStore _store;
    private readonly GqlEngine _engine;
    private readonly ShopifyGraph _graph;
    private readonly byte[] _tokenHash;
    private readonly int _maxCost;
    private readonly int _throttledStatus;

    public ShopifyPlatform(ShopifyStore store, GqlEngine engine, string accessToken, LeakyBucket bucket, int maxCost, int throttledStatus, ShopifyCostLedger ledger)
    {
        _store = store;
        _engine = engine;
        _graph = new ShopifyGraph(store);
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(accessToken));
        Bucket = bucket;
        _maxCost = maxCost;
        _throttledStatus = throttledStatus;
        Ledger = ledger;
    }

    public LeakyBucket Bucket { get; }

    public ShopifyCostLedger Ledger { get; }

    public static GqlEngine CreateEngine()
    {
        GqlEngine engine = new(ShopifySchema.Instance);
        engine.MutationCost = (name, args) => name == "productSet" ? ShopifyGraph.ProductSetCost(args) : 10;
        return engine;
    }

    public string GetEndpointKey(HttpRequest request) => request.Method + " " + (request.Path.Value ?? "/");

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        if (!string.Equals(request.Path.Value, GraphQLPath, StringComparison.Ordinal))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "{\"errors\":\"Not Found\"}").ConfigureAwait(false);
            return;
        }

        string token = request.Headers["X-Shopify-Access-Token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenHash))
        {
            await WriteAsync(context, StatusCodes.Status401Unauthorized, InvalidTokenBody).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "{\"errors\":\"Method Not Allowed\"}").ConfigureAwait(false);
            return;
        }

        using StreamReader reader = new(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        (string? query, JsonObject? variables, string? operationName) = ReadBody(body, request.ContentType);
        if (query is null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}").ConfigureAwait(false);
            return;
        }

        JsonObject result = Process(query, variables, operationName, out int status);
        await WriteAsync(context, status, result.ToJsonString(Serializer)).ConfigureAwait(false);
    }

    public Task WriteServerErrorAsync(HttpContext context, int statusCode)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        string body = statusCode == StatusCodes.Status500InternalServerError
            ? "{\"errors\":\"Internal Server Error\"}"
            : "{\"errors\":\"" + statusCode.ToString(CultureInfo.InvariantCulture) + " " + ReasonPhrase(statusCode) + "\"}";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    public Task WriteRateLimitedAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        JsonObject body = new() { ["errors"] = new JsonArray(ThrottledError()) };
        return context.Response.WriteAsync(body.ToJsonString(Serializer), context.RequestAborted);
    }

    /// <summary>Runs one GraphQL request and returns the response body.</summary>
    public JsonObject Process(string query, JsonObject? variables, string? operationName, out int status)
    {
        status = StatusCodes.Status200OK;
        DateTimeOffset at = _store.Now();
        (GqlPrepared? prepared, JsonArray? errors) = _engine.Prepare(query, variables, operationName);
        if (prepared is null)
        {
            Ledger.Record(at, 0, 0, false, Bucket.Available);
            return new JsonObject { ["errors"] = errors };
        }

        int requested = prepared.RequestedCost;
        if (requested > _maxCost)
        {
            Ledger.Record(at, requested, 0, false, Bucket.Available);
            string message = $"Query cost is {requested}, which exceeds the single query max cost limit ({_maxCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n";
            return new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = message,
                    ["extensions"] = new JsonObject { ["code"] = "MAX_COST_EXCEEDED", ["cost"] = requested, ["maxCost"] = _maxCost },
                }),
            };
        }

        if (!Bucket.TryTake(requested, out double available))
        {
            Ledger.Record(at, requested, null, true, available);
            status = _throttledStatus;
            return new JsonObject
            {
                ["errors"] = new JsonArray(ThrottledError()),
                ["extensions"] = Cost(requested, null, available),
            };
        }

        GqlResult result;
        lock (_store.Gate)
        {
            GqlObj root = prepared.IsMutation ? _graph.MutationRoot() : _graph.QueryRoot();
            result = _engine.Execute(prepared, root);
        }

        int actual = Math.Min(result.ActualCost, requested);
        double after = Bucket.Refund(requested - actual);
        Ledger.Record(at, requested, actual, false, after);
        JsonObject response = [];
        if (result.Errors.Count > 0)
        {
            response["errors"] = result.Errors;
        }

        response["data"] = result.Data;
        response["extensions"] = Cost(requested, actual, after);
        return response;
    }

    private JsonObject Cost(int requested, int? actual, double available) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = Bucket.Maximum,
                ["currentlyAvailable"] = Math.Floor(available),
                ["restoreRate"] = Bucket.RestoreRate,
            },
        },
    };

    private static JsonObject ThrottledError() => new()
    {
        ["message"] = "Throttled",
        ["extensions"] = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = RateLimitDocumentation },
    };

    private static (string? Query, JsonObject? Variables, string? OperationName) ReadBody(string body, string? contentType)
    {
        if (contentType is not null && contentType.StartsWith("application/graphql", StringComparison.OrdinalIgnoreCase))
        {
            return (body, null, null);
        }

        try
        {
            if (JsonNode.Parse(body) is not JsonObject json || json["query"] is not JsonValue queryValue || !queryValue.TryGetValue(out string? query))
            {
                return (null, null, null);
            }

            JsonObject? variables = json["variables"] switch
            {
                JsonObject o => o,
                JsonValue v when v.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) => JsonNode.Parse(text) as JsonObject,
                _ => null,
            };
            string? operationName = json["operationName"] is JsonValue name && name.TryGetValue(out string? op) ? op : null;
            return (query, variables, operationName);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Server Error",
    };
}

/// <summary>The schema subset embedded in the assembly, parsed once.</summary>
internal static class ShopifySchema
{
    public const string ResourceName = "NextCart.Migration.Sandbox.Shopify.admin-2026-01.subset.graphql";

    private static readonly Lazy<GqlSchema> Parsed = new(() => GqlSchema.Parse(ReadSdl()));

    public static GqlSchema Instance => Parsed.Value;

    public static string ReadSdl()
    {
        using Stream stream = typeof(ShopifySchema).Assembly.GetManifestResourceStream(ResourceName) ?? throw new InvalidOperationException("The embedded schema " + ResourceName + " is missing.");
        using StreamReader reader = new(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
