using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NextCart.Migration.Http.Tests;

/// <summary>A request the test store received.</summary>
public sealed record ObservedRequest(int Number, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ClockTime, long Timestamp);

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port that plays a store, counting and recording every request.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ObservedRequest> _requests = new();
    private int _count;

    private TestStore(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>Gets the server root, such as http://127.0.0.1:41234/.</summary>
    public Uri Root { get; }

    /// <summary>Gets the API base address under the root.</summary>
    public Uri BaseAddress => new(Root, "api/");

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<ObservedRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    /// <summary>Starts a store whose handler gets the context and the 1-based number of the request.</summary>
    public static async Task<TestStore> StartAsync(Func<HttpContext, int, Task> handler, TimeProvider? clock = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (kestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(kestrel);
        }

        WebApplication app = builder.Build();
        if (kestrel is null)
        {
            app.Urls.Add("http://127.0.0.1:0");
        }

        TestStore? store = null;
        app.Run(async context =>
        {
            int number = Interlocked.Increment(ref store!._count);
            Dictionary<string, string> headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            store._requests.Enqueue(new ObservedRequest(
                number,
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                headers,
                (clock ?? TimeProvider.System).GetUtcNow(),
                Stopwatch.GetTimestamp()));
            await handler(context, number);
        });

        await app.StartAsync();
        string address = app.Urls.First();
        store = new TestStore(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return store;
    }

    /// <summary>A store that answers every request with the same status.</summary>
    public static Task<TestStore> StartAsync(HttpStatusCode status) => StartAsync((context, _) =>
    {
        context.Response.StatusCode = (int)status;
        return Task.CompletedTask;
    });

    /// <summary>Gets a loopback port that nothing listens on: connections to it are refused.</summary>
    public static Uri ClosedPortAddress()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/api/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
