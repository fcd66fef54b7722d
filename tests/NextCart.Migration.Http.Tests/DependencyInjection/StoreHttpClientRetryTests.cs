using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace NextCart.Migration.Http.Tests.DependencyInjection;

/// <summary>The retry half of the store pipeline, against a real Kestrel store on loopback.</summary>
public class StoreHttpClientRetryTests
{
    [Fact]
    public async Task Get_500Then503ThenOk_RetriedUntilSuccess()
    {
        await using TestStore store = await TestStore.StartAsync((context, n) => Answer(context, n switch { 1 => 500, 2 => 503, _ => 200 }));
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, store.Count);
        Assert.All(store.Requests, r => Assert.Equal("/api/products", r.PathAndQuery));
        Assert.Equal(2, provider.Logs().GetSnapshot().Count(r => r.Id.Id == HttpEventId.RetryScheduled));
    }

    [Fact]
    public async Task Get_AlwaysFails_StopsAfterMaxRetriesAndReturnsTheLastResponse()
    {
        await using TestStore store = await TestStore.StartAsync(HttpStatusCode.BadGateway);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o => o.MaxRetries = 2);

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, store.Count);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Get_NotTransient_NotRetried()
    {
        await using TestStore store = await TestStore.StartAsync(HttpStatusCode.UnprocessableEntity);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1, store.Count);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30.0")]
    public async Task Get_429WithRetryAfterSeconds_WaitsAsToldThenSucceeds(string retryAfter)
    {
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync(
            (context, n) => n == 1 ? Answer(context, 429, retryAfter) : Answer(context, 200),
            clock);

        // The backoff alone would wait ~0 and at most 1 s; only Retry-After explains a 30 s gap.
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o => o.MaxRetryDelay = TimeSpan.FromSeconds(1), clock);

        using HttpResponseMessage response = await clock.AdvanceUntilDone(provider.Client().GetAsync(new Uri("products", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, store.Count);
        TimeSpan gap = store.Requests[1].ClockTime - store.Requests[0].ClockTime;
        Assert.True(gap >= TimeSpan.FromSeconds(30), $"The retry came {gap} after the 429.");
        Assert.Equal("00:00:30", Assert.Single(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.RetryScheduled).GetStructuredStateValue("Delay"));
    }

    [Fact]
    public async Task Get_503WithRetryAfterHttpDate_WaitsUntilTheDate()
    {
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync(
            (context, n) => n == 1
                ? Answer(context, 503, clock.GetUtcNow().AddSeconds(20).ToString("r", CultureInfo.InvariantCulture))
                : Answer(context, 200),
            clock);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, clock: clock);

        using HttpResponseMessage response = await clock.AdvanceUntilDone(provider.Client().GetAsync(new Uri("products", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, store.Count);
        TimeSpan gap = store.Requests[1].ClockTime - store.Requests[0].ClockTime;
        Assert.True(gap >= TimeSpan.FromSeconds(19), $"The retry came {gap} after the 503."); // HTTP-dates have whole seconds
    }

    [Fact]
    public async Task Get_RetryAfterBeyondTotalTimeout_NotRetriedAndFailureCarriesTheWait()
    {
        await using TestStore store = await TestStore.StartAsync((context, _) => Answer(context, 429, "7200"));
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMinutes(1);
            o.TotalTimeout = TimeSpan.FromMinutes(10);
        });

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(1, store.Count);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());
        Assert.Equal(FailureCategory.RateLimit, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromHours(2), ex.RetryAfter);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Send_UnsafeMethodGets500_NotRetriedAndSurfacesTransientFailure(string method)
    {
        await using TestStore store = await TestStore.StartAsync(HttpStatusCode.InternalServerError);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        using HttpRequestMessage request = new(new HttpMethod(method), new Uri("products/batch", UriKind.Relative)) { Content = new StringContent("{}") };

        using HttpResponseMessage response = await provider.Client().SendAsync(request);

        Assert.Equal(1, store.Count);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.Contains(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.UnsafeRequestNotRetried);
    }

    [Fact]
    public async Task Post_MarkedSafeToRetry_RetriedOn500()
    {
        await using TestStore store = await TestStore.StartAsync((context, n) => Answer(context, n < 3 ? 500 : 200));
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Post, new Uri("graphql.json", UriKind.Relative))
        {
            Content = new StringContent("""{"query":"{ shop { name } }"}"""),
        }.SetSafeToRetry();

        using HttpResponseMessage response = await provider.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task Get_ExplicitlyNotSafeToRetry_NotRetriedOn500()
    {
        await using TestStore store = await TestStore.StartAsync(HttpStatusCode.InternalServerError);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, new Uri("export", UriKind.Relative)).SetSafeToRetry(false);

        using HttpResponseMessage response = await provider.Client().SendAsync(request);

        Assert.Equal(1, store.Count);
    }

    [Theory]
    [InlineData(429, null, 2)]
    [InlineData(429, "0", 2)]
    [InlineData(503, "0", 2)]
    [InlineData(503, null, 1)]
    [InlineData(502, "0", 1)]
    public async Task Post_RefusedByTheStore_RetriedOnlyWhenTheStoreSaysItDidNotProcess(int status, string? retryAfter, int expectedRequests)
    {
        await using TestStore store = await TestStore.StartAsync((context, n) => n == 1 ? Answer(context, status, retryAfter) : Answer(context, 201));
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);

        using HttpResponseMessage response = await provider.Client().PostAsync(new Uri("products", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(expectedRequests, store.Count);
        Assert.Equal(expectedRequests == 2 ? HttpStatusCode.Created : (HttpStatusCode)status, response.StatusCode);
    }

    [Fact]
    public async Task Post_StoreDropsTheConnectionAfterReceiving_NotRetriedAndSurfacesTransientFailure()
    {
        await using TestStore store = await TestStore.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(
            () => provider.Client().PostAsync(new Uri("products", UriKind.Relative), new StringContent("{}")));

        Assert.Equal(1, store.Count);
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Get_StoreDropsTheConnection_Retried()
    {
        await using TestStore store = await TestStore.StartAsync((context, n) =>
        {
            if (n == 1)
            {
                context.Abort();
                return Task.CompletedTask;
            }

            return Answer(context, 200);
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Post_ConnectionRefused_RetriedBecauseNothingWasSentThenClassified()
    {
        using ServiceProvider provider = StoreClients.Build(TestStore.ClosedPortAddress(), o => o.MaxRetries = 2);

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(
            () => provider.Client().PostAsync(new Uri("products", UriKind.Relative), new StringContent("{}")));

        Assert.Equal(2, provider.Logs().GetSnapshot().Count(r => r.Id.Id == HttpEventId.RetryScheduled));
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.StartsWith("Could not connect to the store at 127.0.0.1:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.RequestFailed);
    }

    [Fact]
    public async Task Get_AttemptTimesOut_RetriedThenClassifiedAsTransientTimeout()
    {
        await using TestStore store = await TestStore.StartAsync(async (context, _) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        });

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => provider.Client().GetAsync(new Uri("products", UriKind.Relative)));

        Assert.Equal(2, store.Count);
        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.Equal("The store did not answer GET " + store.BaseAddress + "products within 200 ms. The host may be overloaded; if it keeps happening, lower the batch size or raise AttemptTimeout or TotalTimeout.", ex.Message);
    }

    [Fact]
    public async Task Get_CallerCancels_OperationCanceledExceptionPassesThrough()
    {
        await using TestStore store = await TestStore.StartAsync(async (context, _) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.Client().GetAsync(new Uri("products", UriKind.Relative), cts.Token));
    }

    [Fact]
    public async Task Client_Defaults_SendsUserAgentUsesBaseAddressWithTrailingSlashAndDoesNotFollowRedirects()
    {
        await using TestStore store = await TestStore.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "https://www.shop.example/api/products";
            return Task.CompletedTask;
        });
        using ServiceProvider provider = StoreClients.Build(new Uri(store.Root, "api"), o => o.UserAgent = "Tests/1.0");

        HttpClient client = provider.Client();
        using HttpResponseMessage response = await client.GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout); // the pipeline's timeouts govern
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        ObservedRequest request = Assert.Single(store.Requests);
        Assert.Equal("/api/products", request.PathAndQuery);
        Assert.Equal("Tests/1.0", request.Headers["User-Agent"]);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());
        Assert.Equal(FailureCategory.Configuration, ex.Category);
        Assert.Contains("to https://www.shop.example/api/products", ex.Message, StringComparison.Ordinal);
    }

    internal static Task Answer(HttpContext context, int status, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return Task.CompletedTask;
    }
}
