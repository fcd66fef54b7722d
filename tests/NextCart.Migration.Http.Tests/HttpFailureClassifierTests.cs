using System.Net;
using Microsoft.AspNetCore.Hosting;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;

namespace NextCart.Migration.Http.Tests;

public class HttpFailureClassifierTests
{
    [Theory]
    [InlineData(401, FailureCategory.Authentication, false, "The store refused the credentials (HTTP 401 Unauthorized for GET {0}products).")]
    [InlineData(403, FailureCategory.Permission, false, "The credentials lack permission for GET {0}products (HTTP 403 Forbidden).")]
    [InlineData(404, FailureCategory.Configuration, false, "The store has no API at GET {0}products (HTTP 404 Not Found).")]
    [InlineData(405, FailureCategory.Configuration, false, "The store does not accept GET {0}products (HTTP 405 Method Not Allowed).")]
    [InlineData(400, FailureCategory.Validation, false, "The store rejected GET {0}products as invalid (HTTP 400 Bad Request).")]
    [InlineData(409, FailureCategory.Validation, false, "The store reported a conflict for GET {0}products (HTTP 409 Conflict).")]
    [InlineData(413, FailureCategory.Validation, false, "The store refused GET {0}products as too large (HTTP 413 Payload Too Large). Lower the batch size.")]
    [InlineData(422, FailureCategory.Validation, false, "The store rejected GET {0}products as invalid (HTTP 422 Unprocessable Entity).")]
    [InlineData(429, FailureCategory.RateLimit, true, "The store's rate limit was hit (HTTP 429 Too Many Requests for GET {0}products)")]
    [InlineData(408, FailureCategory.Connection, true, "The store timed out waiting for GET {0}products (HTTP 408 Request Timeout).")]
    [InlineData(500, FailureCategory.Connection, true, "The store failed with HTTP 500 Internal Server Error for GET {0}products.")]
    [InlineData(502, FailureCategory.Connection, true, "The store failed with HTTP 502 Bad Gateway for GET {0}products.")]
    [InlineData(503, FailureCategory.Connection, true, "The store failed with HTTP 503 Service Unavailable for GET {0}products.")]
    [InlineData(504, FailureCategory.Connection, true, "The store failed with HTTP 504 Gateway Timeout for GET {0}products.")]
    [InlineData(501, FailureCategory.Connection, false, "The store answered GET {0}products with HTTP 501 Not Implemented.")]
    [InlineData(402, FailureCategory.Connection, false, "The store answered GET {0}products with HTTP 402 Payment Required.")]
    public async Task EnsureSuccessAsync_StatusFromARealStore_ClassifiedWithAMessageSayingWhatToFix(int status, FailureCategory category, bool transient, string messageStart)
    {
        await using TestStore store = await TestStore.StartAsync((HttpStatusCode)status);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress, o => o.MaxRetries = 0);
        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => HttpFailureClassifier.EnsureSuccessAsync(response).AsTask());

        Assert.Equal(category, ex.Category);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal("GET", ex.RequestMethod);
        Assert.Equal(store.BaseAddress + "products", ex.RequestUri);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, messageStart, store.BaseAddress), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassifyAsync_WooCommerceDuplicateSku_ValidationWithTheStoresCodeAndMessage()
    {
        await using TestStore store = await TestStore.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json; charset=UTF-8";
            return context.Response.WriteAsync("""{"code":"product_invalid_sku","message":"Invalid or duplicated SKU.","data":{"status":400,"resource_id":42,"unique_sku":"TSHIRT-1"}}""");
        });
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        using HttpResponseMessage response = await provider.Client().PostAsync(new Uri("products", UriKind.Relative), new StringContent("{}"));

        StoreHttpException ex = await HttpFailureClassifier.ClassifyAsync(response);

        Assert.Equal(FailureCategory.Validation, ex.Category);
        Assert.False(ex.IsTransient);
        Assert.Equal("product_invalid_sku", ex.ServerCode);
        Assert.Equal("Invalid or duplicated SKU.", ex.ServerMessage);
        Assert.Equal(
            $"The store rejected POST {store.BaseAddress}products as invalid (HTTP 400 Bad Request). The store said: \"Invalid or duplicated SKU.\". Fix the record's data or the mapping and migrate it again.",
            ex.Message);
    }

    [Theory]
    [InlineData("""{"errors":"Exceeded 2 calls per second for api client."}""", "Exceeded 2 calls per second for api client.")]
    [InlineData("""{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}""", "Throttled")]
    [InlineData("""{"status":422,"title":"The product name is required.","type":"about:blank"}""", "The product name is required.")]
    [InlineData("""{"error":"invalid_request","error_description":"The access token is invalid."}""", "The access token is invalid.")]
    [InlineData("<html><body>Blocked by firewall</body></html>", null)]
    [InlineData("Service temporarily down\nmore", "Service temporarily down")]
    [InlineData("""{"message":"truncated""", null)]
    public async Task ClassifyAsync_ErrorBodiesOfKnownShapes_QuotesTheStoresMessage(string body, string? expected)
    {
        using HttpResponseMessage response = new(HttpStatusCode.UnprocessableEntity)
        {
            Content = new StringContent(body),
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://shop.example/api/products"),
        };

        StoreHttpException ex = await HttpFailureClassifier.ClassifyAsync(response);

        Assert.Equal(expected, ex.ServerMessage);
    }

    [Fact]
    public void Classify_429WithRetryAfter_RateLimitTransientWithTheWait()
    {
        using HttpResponseMessage response = new(HttpStatusCode.TooManyRequests) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://shop.example/api/products") };
        response.Headers.TryAddWithoutValidation("Retry-After", "2.0");

        StoreHttpException ex = HttpFailureClassifier.Classify(response);

        Assert.Equal(FailureCategory.RateLimit, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Contains("it asked to wait 2 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SuccessfulResponse_Throws()
    {
        using HttpResponseMessage response = new(HttpStatusCode.OK);

        Assert.Throws<ArgumentException>(() => HttpFailureClassifier.Classify(response));
    }

    [Fact]
    public async Task Classify_ConnectionRefusedByAClosedPort_ConnectionTransient()
    {
        using HttpClient client = new();
        using HttpRequestMessage request = new(HttpMethod.Get, new Uri(TestStore.ClosedPortAddress(), "products"));
        HttpRequestException http = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        MigrationException ex = HttpFailureClassifier.Classify(http, request);

        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.True(ex.IsTransient);
        Assert.StartsWith($"Could not connect to the store at 127.0.0.1:{request.RequestUri!.Port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_UntrustedCertificate_ConnectionNotTransientSayingToCheckTheCertificate()
    {
        using X509Certificate2 certificate = CreateSelfSignedCertificate();
        await using TestStore store = await TestStore.StartAsync(
            (context, _) => Task.CompletedTask,
            kestrel: k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        Uri httpsAddress = new UriBuilder(store.BaseAddress) { Scheme = "https", Host = "localhost" }.Uri;
        using ServiceProvider provider = StoreClients.Build(httpsAddress);

        StoreHttpException ex = await Assert.ThrowsAsync<StoreHttpException>(() => provider.Client().GetAsync(new Uri("products", UriKind.Relative)));

        Assert.Equal(FailureCategory.Connection, ex.Category);
        Assert.False(ex.IsTransient);
        Assert.StartsWith($"A secure connection to localhost:{httpsAddress.Port} could not be established", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Check the store's TLS certificate", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
        Assert.DoesNotContain(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.RetryScheduled);
    }

    [Fact]
    public void Classify_Exceptions_MappedToCategories()
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "https://shop.example/api/products?consumer_secret=cs_SECRET");

        Assert.True(HttpFailureClassifier.Classify(new TimeoutRejectedException(TimeSpan.FromSeconds(5)), request).IsTransient);
        Assert.True(HttpFailureClassifier.Classify(new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (shop.example:443)"), request).IsTransient);
        Assert.True(HttpFailureClassifier.Classify(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), request).IsTransient);
        Assert.True(HttpFailureClassifier.Classify(new IOException("reset", new SocketException((int)SocketError.ConnectionReset)), request).IsTransient);
        Assert.False(HttpFailureClassifier.Classify(new HttpRequestException("SSL failed", new AuthenticationException("The remote certificate is invalid")), request).IsTransient);
        Assert.False(HttpFailureClassifier.Classify(new InvalidOperationException("odd"), request).IsTransient);

        MigrationException original = new("kept", FailureCategory.Validation, isTransient: false);
        Assert.Same(original, HttpFailureClassifier.Classify(original, request));

        MigrationException timeout = HttpFailureClassifier.Classify(new TimeoutRejectedException(TimeSpan.FromSeconds(5)), request);
        Assert.Equal("The store did not answer POST https://shop.example/api/products?consumer_secret=[REDACTED] within 5 s. The host may be overloaded; if it keeps happening, lower the batch size or raise AttemptTimeout or TotalTimeout.", timeout.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData((HttpStatusCode)522, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    public void IsTransient_Status_Expected(HttpStatusCode status, bool expected)
        => Assert.Equal(expected, HttpFailureClassifier.IsTransient(status));

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using RSA key = RSA.Create(2048);
        CertificateRequest request = new("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        SubjectAlternativeNameBuilder names = new();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
