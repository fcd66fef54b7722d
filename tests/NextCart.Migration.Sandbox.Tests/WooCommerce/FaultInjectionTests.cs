using System.Net;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class FaultInjectionTests
{
    private static SandboxFaultOptions Mixed(int? seed = null) => new()
    {
        ServerErrorRate = 0.1,
        TimeoutRate = 0.1,
        ConnectionResetRate = 0.1,
        RateLimitRate = 0.1,
        LostResponseRate = 0.1,
        TimeoutDelay = TimeSpan.FromMilliseconds(20),
        Seed = seed,
    };

    private static async Task<List<(long, SandboxFaultKind, int)>> RunAsync(int seed, SandboxFaultOptions faults, int requests)
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Seed = seed,
            Data = new SampleStoreOptions { Products = 5 },
            Faults = faults,
        });
        using HttpClient client = sandbox.CreateClient();
        for (int i = 0; i < requests; i++)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync("wp-json/wc/v3/products?per_page=1");
            }
            catch (HttpRequestException)
            {
                // An injected connection reset.
            }
        }

        return [.. sandbox.Requests.GetInjectedFaults().Select(f => (f.RequestNumber, f.Kind, f.StatusCode))];
    }

    [Fact]
    public async Task Faults_SameSeed_SameSequenceOfInjectedFaults()
    {
        List<(long, SandboxFaultKind, int)> first = await RunAsync(7, Mixed(), 120);
        List<(long, SandboxFaultKind, int)> second = await RunAsync(7, Mixed(), 120);

        Assert.Equal(first, second);
        Assert.Equal(Enum.GetValues<SandboxFaultKind>().Order(), first.Select(f => f.Item2).Distinct().Order());
    }

    [Fact]
    public async Task Faults_DifferentSeed_DifferentSequence()
    {
        List<(long, SandboxFaultKind, int)> first = await RunAsync(7, Mixed(), 60);
        List<(long, SandboxFaultKind, int)> second = await RunAsync(8, Mixed(), 60);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Faults_ExplicitFaultSeed_OverridesTheSandboxSeed()
    {
        List<(long, SandboxFaultKind, int)> first = await RunAsync(1, Mixed(seed: 99), 60);
        List<(long, SandboxFaultKind, int)> second = await RunAsync(2, Mixed(seed: 99), 60);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task LostResponseRateOne_WriteLandsButTheClientGetsNoResponse()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            Faults = new SandboxFaultOptions { LostResponseRate = 1 },
        });
        using HttpClient client = sandbox.CreateClient();
        using var body = new StringContent("""{"name":"Lamp","type":"simple","regular_price":"9.99","sku":"LAMP-1"}""", System.Text.Encoding.UTF8, "application/json");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("wp-json/wc/v3/products", body));

        var product = Assert.Single(sandbox.Store.GetProducts());
        Assert.Equal("LAMP-1", product["sku"]!.GetValue<string>());
        SandboxInjectedFault fault = Assert.Single(sandbox.Requests.GetInjectedFaults());
        Assert.Equal((SandboxFaultKind.LostResponse, "POST"), (fault.Kind, fault.Method));
    }

    [Fact]
    public async Task ServerErrorRateOne_EveryRequestFailsWith5xxAndIsCounted()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            Faults = new SandboxFaultOptions { ServerErrorRate = 1, ServerErrorStatusCodes = [500, 503] },
        });
        using HttpClient client = sandbox.CreateClient();

        List<Reply> replies = [];
        for (int i = 0; i < 20; i++)
        {
            replies.Add(await client.GetReplyAsync("wp-json/wc/v3/products"));
        }

        Assert.All(replies, r => Assert.Contains(r.Code, new[] { 500, 503 }));
        Reply critical = replies.First(r => r.Code == 500);
        Assert.Equal("internal_server_error", critical.ErrorCode);
        Assert.Equal(20, sandbox.Requests.TotalRequests);
        Assert.Equal(20, sandbox.Requests.GetCount(500) + sandbox.Requests.GetCount(503));
        Assert.Equal(20, sandbox.Requests.GetInjectedFaults().Count);
    }

    [Fact]
    public async Task RateLimitRateOne_Returns429WithRetryAfterInWholeSeconds()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            Faults = new SandboxFaultOptions { RateLimitRate = 1, RetryAfter = TimeSpan.FromMilliseconds(2500) },
        });
        using HttpClient client = sandbox.CreateClient();

        Reply reply = await client.GetReplyAsync("wp-json/wc/v3/products");

        Assert.Equal(HttpStatusCode.TooManyRequests, reply.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), reply.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task ConnectionResetRateOne_AbortsTheConnection()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true, Faults = new SandboxFaultOptions { ConnectionResetRate = 1 } });
        using HttpClient client = sandbox.CreateClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("wp-json/wc/v3/products"));

        Assert.True(sandbox.Requests.ConnectionResets >= 1);
    }

    [Fact]
    public async Task TimeoutRateOne_HoldsTheResponseUntilTheDelayElapsesOnTheTimeProvider()
    {
        FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            TimeProvider = clock,
            Faults = new SandboxFaultOptions { TimeoutRate = 1, TimeoutDelay = TimeSpan.FromSeconds(30) },
        });
        using HttpClient client = sandbox.CreateClient();

        Task<HttpResponseMessage> pending = client.GetAsync("wp-json/wc/v3/products");
        for (int i = 0; i < 200 && sandbox.Requests.GetInjectedFaults().Count == 0; i++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SandboxFaultKind.Timeout, Assert.Single(sandbox.Requests.GetInjectedFaults()).Kind);
    }

    [Fact]
    public async Task TimeoutRateOne_ClientWithAShorterTimeoutSeesATimeout()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            Faults = new SandboxFaultOptions { TimeoutRate = 1, TimeoutDelay = TimeSpan.FromSeconds(30) },
        });
        using HttpClient client = sandbox.CreateClient();
        client.Timeout = TimeSpan.FromMilliseconds(300);

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync("wp-json/wc/v3/products"));
    }

    [Fact]
    public async Task SetFaults_AtRunTime_TakesEffectForLaterRequests()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true });
        using HttpClient client = sandbox.CreateClient();

        Reply before = await client.GetReplyAsync("wp-json/wc/v3/products");
        sandbox.SetFaults(new SandboxFaultOptions { ServerErrorRate = 1, ServerErrorStatusCodes = [502] });
        Reply during = await client.GetReplyAsync("wp-json/wc/v3/products");
        sandbox.SetFaults(new SandboxFaultOptions());
        Reply after = await client.GetReplyAsync("wp-json/wc/v3/products");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.BadGateway, during.Status);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(2, sandbox.Requests.GetCount(200));
        Assert.Equal(3, sandbox.Requests.GetCountsByEndpoint()["GET /wc/v3/products"]);
    }

    [Fact]
    public void FaultOptions_RateAboveOne_ThrowsAtOnce()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxFaultOptions { ServerErrorRate = 1.5 });

    [Fact]
    public async Task StartAsync_FaultRatesAddingUpToMoreThanOne_ThrowsQuotingTheValues()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions
        {
            Empty = true,
            Faults = new SandboxFaultOptions { ServerErrorRate = 0.6, TimeoutRate = 0.6 },
        }));

        Assert.Contains("ServerErrorRate (0.6) + TimeoutRate (0.6)", error.Message, StringComparison.Ordinal);
    }
}
