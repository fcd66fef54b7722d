using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace NextCart.Migration.Http.Tests.DependencyInjection;

/// <summary>The per-store rate limiter: it waits instead of rejecting, it is shared per store, and a Retry-After holds the whole store.</summary>
public class StoreRateLimiterTests
{
    [Fact]
    public async Task Get_ManyConcurrentRequestsAtALowRate_AllSucceedSpacedByTheRate()
    {
        const int Requests = 6;
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync((context, _) => StoreHttpClientRetryTests.Answer(context, 200), clock);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o =>
        {
            o.RequestsPerSecond = 10;
            o.Burst = 1;
        }, clock);
        HttpClient client = provider.Client();
        DateTimeOffset start = clock.GetUtcNow();

        HttpResponseMessage[] responses = await clock.AdvanceUntilDone(
            Task.WhenAll(Enumerable.Range(0, Requests).Select(i => client.GetAsync(new Uri($"products?page={i}", UriKind.Relative)))),
            Step);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Requests, store.Count);
        AssertSpacing(store.Requests, start, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Get_Retried_EveryAttemptWaitsForTheLimiter()
    {
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync((context, n) => StoreHttpClientRetryTests.Answer(context, n < 5 ? 500 : 200), clock);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o =>
        {
            o.MaxRetries = 4;
            o.RequestsPerSecond = 10;
            o.Burst = 1;
        }, clock);
        DateTimeOffset start = clock.GetUtcNow();

        using HttpResponseMessage response = await clock.AdvanceUntilDone(provider.Client().GetAsync(new Uri("products", UriKind.Relative)), Step);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, store.Count);
        AssertSpacing(store.Requests, start, TimeSpan.FromMilliseconds(100)); // no backoff: only the limiter spaces the attempts
    }

    [Fact]
    public async Task Get_TwoClientsOfTheSameStore_ShareOneLimiter()
    {
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync((context, _) => StoreHttpClientRetryTests.Answer(context, 200), clock);
        using ServiceProvider provider = StoreClients.Build(
            services =>
            {
                foreach (string name in new[] { "rest", "graphql" })
                {
                    services.AddNextCartHttpClient(name, o =>
                    {
                        o.BaseAddress = store.BaseAddress;
                        o.RequestsPerSecond = 10;
                        o.Burst = 1;
                    });
                }
            },
            clock);
        HttpClient rest = provider.Client("rest");
        HttpClient graphql = provider.Client("graphql");
        DateTimeOffset start = clock.GetUtcNow();

        HttpResponseMessage[] responses = await clock.AdvanceUntilDone(
            Task.WhenAll(
                Enumerable.Range(0, 3).Select(_ => rest.GetAsync(new Uri("products", UriKind.Relative)))
                    .Concat(Enumerable.Range(0, 3).Select(_ => graphql.GetAsync(new Uri("orders", UriKind.Relative))))),
            Step);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        AssertSpacing(store.Requests, start, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Get_StoreAsksToWait_EveryRequestToTheStoreWaits()
    {
        FakeTimeProvider clock = new();
        await using TestStore store = await TestStore.StartAsync(
            (context, n) => n == 1 ? StoreHttpClientRetryTests.Answer(context, 429, "30") : StoreHttpClientRetryTests.Answer(context, 200),
            clock);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, clock: clock);
        HttpClient client = provider.Client();

        Task<HttpResponseMessage> first = client.GetAsync(new Uri("products", UriKind.Relative));
        await WaitUntil(() => provider.Logs().GetSnapshot().Any(r => r.Id.Id == HttpEventId.StorePaused));
        Task<HttpResponseMessage> second = client.GetAsync(new Uri("customers", UriKind.Relative));
        await Task.Delay(300); // real time passes, the fake clock does not: the second request must still be held
        Assert.Equal(1, store.Count);

        clock.Advance(TimeSpan.FromSeconds(30));
        HttpResponseMessage[] responses = await Task.WhenAll(clock.AdvanceUntilDone(first), clock.AdvanceUntilDone(second));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, store.Count);
        Assert.All(store.Requests.Skip(1), r => Assert.True(r.ClockTime - store.Requests[0].ClockTime >= TimeSpan.FromSeconds(30)));
    }

    /// <summary>A clock step well under the limiter's 100 ms refill period.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The limiter lets one request through at once and one more per refill period, so on the fake clock the k-th request to
    /// arrive (counting from 0) cannot arrive before k periods after the start; requests that were not held would all arrive at the start.
    /// </summary>
    private static void AssertSpacing(IReadOnlyList<ObservedRequest> requests, DateTimeOffset start, TimeSpan period)
    {
        DateTimeOffset[] arrivals = [.. requests.Select(r => r.ClockTime).Order()];
        for (int k = 0; k < arrivals.Length; k++)
        {
            Assert.True(
                arrivals[k] - start >= period * k,
                $"Request {k} of {arrivals.Length} arrived {(arrivals[k] - start).TotalMilliseconds:0} ms (fake clock) after the start; the limiter should have held it for at least {(period * k).TotalMilliseconds:0} ms.");
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
