using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace NextCart.Migration.Http.Tests.DependencyInjection;

/// <summary>Secrets never reach a log (of any category, at any level) or an exception.</summary>
public class StoreHttpRedactionTests
{
    private static readonly string[] Secrets = ["ck_KEYSECRET123", "cs_SECRET", "shpat_TOKENSECRET", "Y2tfS0VZOmNzX1NFQ1JFVA=="];

    [Fact]
    public async Task Get_FailingRequestWithSecretsInQueryAndHeaders_NoSecretInLogsOrException()
    {
        await using TestStore store = await TestStore.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"code":"woocommerce_rest_authentication_error","message":"Consumer secret cs_SECRET is invalid.","data":{"status":401}}""");
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o => o.MaxRetries = 1);
        using HttpRequestMessage request = CreateRequest();

        using HttpResponseMessage response = await provider.Client().SendAsync(request);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());

        Assert.Equal(FailureCategory.Authentication, ex.Category);
        Assert.StartsWith($"The store refused the credentials (HTTP 401 Unauthorized for GET {store.BaseAddress}products?consumer_key=[REDACTED]&consumer_secret=[REDACTED]&per_page=100).", ex.Message, StringComparison.Ordinal);
        Assert.Equal("woocommerce_rest_authentication_error", ex.ServerCode);
        Assert.Equal("Consumer secret [REDACTED] is invalid.", ex.ServerMessage);
        AssertNoSecret(ex.ToString());
        AssertNoSecret(ex.RequestUri);
        AssertNoSecretLogged(provider.Logs());
    }

    [Fact]
    public async Task Get_RetriedServerErrorsWithSecrets_NoSecretInLogs()
    {
        await using TestStore store = await TestStore.StartAsync(HttpStatusCode.InternalServerError);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o => o.MaxRetries = 2);
        using HttpRequestMessage request = CreateRequest();

        using HttpResponseMessage response = await provider.Client().SendAsync(request);
        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());

        Assert.Equal(3, store.Count);
        Assert.Contains("consumer_secret=cs_SECRET", store.Requests[0].PathAndQuery, StringComparison.Ordinal); // the secret was sent...
        AssertNoSecret(ex.ToString());
        AssertNoSecretLogged(provider.Logs());                                                         // ...but never written down
        Assert.Contains(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.RetryScheduled && r.Message.Contains("consumer_secret=[REDACTED]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_ConnectionRefusedWithSecrets_NoSecretInLogsOrException()
    {
        using ServiceProvider provider = StoreClients.Build(TestStore.ClosedPortAddress(), o => o.MaxRetries = 1);
        using HttpRequestMessage request = CreateRequest();

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => provider.Client().SendAsync(request));

        Assert.Equal(FailureCategory.Connection, ex.Category);
        AssertNoSecret(ex.ToString());
        AssertNoSecretLogged(provider.Logs());
        Assert.Contains(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.RequestFailed);
    }

    private static HttpRequestMessage CreateRequest()
    {
        HttpRequestMessage request = new(HttpMethod.Get, new Uri("products?consumer_key=ck_KEYSECRET123&consumer_secret=cs_SECRET&per_page=100", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2tfS0VZOmNzX1NFQ1JFVA==");
        request.Headers.Add("X-Shopify-Access-Token", "shpat_TOKENSECRET");
        return request;
    }

    private static void AssertNoSecretLogged(FakeLogCollector logs)
    {
        IReadOnlyList<FakeLogRecord> records = logs.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.DoesNotContain(records, r => r.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) == true); // the factory's URI logging is off
        foreach (FakeLogRecord record in records)
        {
            AssertNoSecret(record.Message);
            AssertNoSecret(record.Exception?.ToString());
            foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
            {
                AssertNoSecret(pair.Value);
            }

            foreach (object? scope in record.Scopes)
            {
                AssertNoSecret(scope?.ToString());
            }
        }
    }

    private static void AssertNoSecret(string? text)
    {
        foreach (string secret in Secrets)
        {
            Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
