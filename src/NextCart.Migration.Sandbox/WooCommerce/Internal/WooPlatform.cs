using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NextCart.Migration.Sandbox.Internal;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>Turns HTTP requests into <see cref="WooRequest"/>s, authenticates them, dispatches them under the store lock and writes the responses.</summary>
internal sealed class WooPlatform : ISandboxPlatform
{
    /// <summary>
    /// The body WordPress sends when PHP dies (<c>wp_die</c> in a REST request), as seen in woocommerce/woocommerce#41791.
    /// </summary>
    public const string CriticalErrorBody = "{\"code\":\"internal_server_error\",\"message\":\"<p>There has been a critical error on this website.</p><p><a href=\\\"https://wordpress.org/documentation/article/faq-troubleshooting/\\\">Learn more about troubleshooting WordPress.</a></p>\",\"data\":{\"status\":500},\"additional_errors\":[]}";

    /// <summary>Like PHP's <c>json_encode</c>, markup stays readable (<c>&lt;p&gt;</c>, not <c>\u003Cp\u003E</c>); the body is always <c>application/json</c>.</summary>
    private static readonly JsonSerializerOptions Serializer = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly WooApi _api;
    private readonly WooAuthenticator _authenticator;

    public WooPlatform(WooApi api, WooAuthenticator authenticator)
    {
        _api = api;
        _authenticator = authenticator;
    }

    public string GetEndpointKey(HttpRequest request)
    {
        string path = request.Path.Value ?? "/";
        string route = path.StartsWith("/wp-json", StringComparison.OrdinalIgnoreCase) ? path[8..] : path;
        return WooApi.EndpointKey(request.Method, route.Length == 0 ? "/" : route);
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest http = context.Request;
        string path = http.Path.Value ?? "/";
        if (!path.StartsWith("/wp-json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Not Found</h1></body></html>", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        WooResponse response;
        try
        {
            response = await ProcessAsync(context, path).ConfigureAwait(false);
        }
        catch (RestException e)
        {
            response = new WooResponse(e.Status, e.ToBody());
            response.Headers.AddRange(e.Headers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A PHP fatal error: WordPress answers with its generic critical-error body.
            response = new WooResponse(StatusCodes.Status500InternalServerError, JsonNode.Parse(CriticalErrorBody));
            response.Headers.Add(new("X-Sandbox-Exception", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" ")));
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    public async Task WriteServerErrorAsync(HttpContext context, int statusCode)
    {
        if (statusCode == StatusCodes.Status500InternalServerError)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(CriticalErrorBody, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        string reason = ReasonPhrase(statusCode);
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync($"<html>\r\n<head><title>{statusCode} {reason}</title></head>\r\n<body>\r\n<center><h1>{statusCode} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", context.RequestAborted).ConfigureAwait(false);
    }

    public async Task WriteRateLimitedAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<WooResponse> ProcessAsync(HttpContext context, string path)
    {
        HttpRequest http = context.Request;
        string route = path[8..];
        if (route.Length == 0)
        {
            route = "/";
        }

        string rawQuery = http.QueryString.HasValue ? http.QueryString.Value![1..] : string.Empty;
        List<KeyValuePair<string, string>> queryPairs = WooAuthenticator.Pairs(rawQuery);
        string body = string.Empty;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            using StreamReader reader = new(http.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        string contentType = http.ContentType ?? string.Empty;
        bool isJson = contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        bool isForm = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        List<KeyValuePair<string, string>> formPairs = isForm ? [.. WooRequest.SplitQuery(body)] : [];
        JsonObject query = WooRequest.ParsePhpParams(queryPairs);
        string method = http.Method.ToUpperInvariant();
        if (Json.Str(query["_method"]) is { Length: > 0 } overridden)
        {
            method = overridden.ToUpperInvariant();
        }
        else if (http.Headers["X-HTTP-Method-Override"].ToString() is { Length: > 0 } header)
        {
            method = header.ToUpperInvariant();
        }

        JsonObject? json = isJson ? WooRequest.ParseJsonBody(body) : null;
        JsonObject? form = isForm ? WooRequest.ParsePhpParams(formPairs) : null;
        WooRequest request = new(method, route, query, json, form)
        {
            RawQuery = rawQuery,
            SiteUrl = _api.Context.Store.SiteUrl,
        };
        _authenticator.Authenticate(http, request, queryPairs, formPairs);
        lock (_api.Context.Store.Gate)
        {
            return _api.Dispatch(request);
        }
    }

    private static async Task WriteAsync(HttpContext context, WooResponse response)
    {
        HttpResponse http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = "application/json; charset=UTF-8";
        http.Headers["X-Robots-Tag"] = "noindex";
        http.Headers["X-Content-Type-Options"] = "nosniff";
        http.Headers["Access-Control-Expose-Headers"] = "X-WP-Total, X-WP-TotalPages, Link";
        foreach ((string name, string value) in response.Headers)
        {
            http.Headers.Append(name, value);
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        string text = response.Body is null ? "null" : response.Body.ToJsonString(Serializer);
        await http.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "Internal Server Error",
    };
}
