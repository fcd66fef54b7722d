using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NextCart.Migration.WooCommerce.Tests;

/// <summary>A request the fake store received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string RawQuery, string? Authorization, string Body);

/// <summary>A canned answer.</summary>
internal sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Reply Json(string body, long? total = null, int? totalPages = null)
    {
        var headers = new Dictionary<string, string>();
        if (total is { } t)
        {
            headers["X-WP-Total"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (totalPages is { } p)
        {
            headers["X-WP-TotalPages"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Reply(200, body, headers);
    }

    public static Reply NotFound() => new(404, """{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}""");
}

/// <summary>A tiny Kestrel server on loopback that answers WooCommerce routes from a handler and records every request.</summary>
internal sealed class FakeWooStore : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeWooStore(WebApplication app, Func<RecordedRequest, Reply?> handler)
    {
        _app = app;
        Handler = handler;
    }

    public Func<RecordedRequest, Reply?> Handler { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeWooStore> StartAsync(Func<RecordedRequest, Reply?> handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var store = new FakeWooStore(app, handler);
        app.Run(store.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        store.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return store;
    }

    public IEnumerable<RecordedRequest> To(string method, string path) => Requests.Where(r => r.Method == method && r.Path == path);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            query,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.FirstOrDefault(),
            body);
        Requests.Enqueue(request);
        Reply reply = Handler(request) ?? Reply.NotFound();
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        foreach (KeyValuePair<string, string> header in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class DocExamples
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "woocommerce", "rest-v3-doc-examples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data/woocommerce/rest-v3-doc-examples was not found above " + AppContext.BaseDirectory);
    });

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder.Value, name + ".json"));
}

internal static class TestOptions
{
    public const string Key = "ck_0123456789abcdef0123456789abcdef";
    public const string Secret = "cs_fedcba9876543210fedcba9876543210";
    public const string AppPassword = "abcd EFGH ijkl MNOP qrst UVWX";

    public static WooCommerceConnectorOptions For(FakeWooStore store, WooCommerceAuthMode mode = WooCommerceAuthMode.Basic) => new()
    {
        StoreUrl = store.BaseAddress,
        ConsumerKey = Key,
        ConsumerSecret = Secret,
        AuthMode = mode,
        WordPressUser = "admin",
        WordPressApplicationPassword = AppPassword,
    };
}
