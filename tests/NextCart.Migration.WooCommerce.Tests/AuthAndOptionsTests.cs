using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.WooCommerce.Internal;

namespace NextCart.Migration.WooCommerce.Tests;

public sealed class AuthAndOptionsTests
{
    private const string Api = "/wp-json/wc/v3/";

    [Fact]
    public void Ctor_Defaults()
    {
        var options = new WooCommerceConnectorOptions();
        Assert.Equal((WooCommerceAuthMode.Basic, 100, 100, 4, "USD"), (options.AuthMode, options.PageSize, options.BatchSize, options.MaxConcurrency, options.DefaultCurrency));
    }

    [Fact]
    public void Validate_ListsEveryProblem()
    {
        var options = new WooCommerceConnectorOptions { StoreUrl = new Uri("http://shop.example/"), PageSize = 101, BatchSize = 0, WordPressUser = "admin" };
        IReadOnlyList<string> errors = options.Validate();
        Assert.Equal(6, errors.Count);
        Assert.Contains("StoreUrl 'http://shop.example' uses plain http, where AuthMode Basic would send the consumer secret unencrypted; use https or AuthMode OAuth1.", errors);
        Assert.Contains("PageSize 101 must be between 1 and 100.", errors);
        Assert.Contains("ConsumerKey is required; create a REST API key under WooCommerce > Settings > Advanced > REST API.", errors);
        var ex = Assert.Throws<MigrationConfigurationException>(() => WooCommerceConnectorFactory.CreateSource(options, new HttpClient()));
        Assert.Equal(6, ex.Errors.Count);
    }

    [Fact]
    public void ToStringAndNonSecretSettings_NeverShowSecrets()
    {
        var options = new WooCommerceConnectorOptions { StoreUrl = new Uri("https://shop.example/"), ConsumerKey = TestOptions.Key, ConsumerSecret = TestOptions.Secret, WordPressUser = "admin", WordPressApplicationPassword = TestOptions.AppPassword };
        string text = options.ToString();
        IReadOnlyDictionary<string, string> settings = options.NonSecretSettings();
        foreach (string secret in new[] { TestOptions.Key, TestOptions.Secret, TestOptions.AppPassword })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(settings.Values, v => v.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Equal("https://shop.example/", settings["StoreUrl"]);
        Assert.Equal("admin", settings["WordPressUser"]);
        Assert.Equal("Basic", settings["AuthMode"]);
    }

    private static Task<FakeWooStore> TaxStoreAsync() => FakeWooStore.StartAsync(r => r.Path == Api + "taxes" ? Reply.Json("[]", 0, 0) : null);

    [Fact]
    public async Task Basic_SendsAuthorizationHeader()
    {
        await using FakeWooStore store = await TaxStoreAsync();
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        await source.CountAsync(EntityType.Taxes, SourceQuery.All);
        RecordedRequest request = Assert.Single(store.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TestOptions.Key + ":" + TestOptions.Secret)), request.Authorization);
        Assert.False(request.Query.ContainsKey("consumer_key"));
    }

    [Fact]
    public async Task QueryString_SendsKeyAndSecretAsParameters()
    {
        await using FakeWooStore store = await TaxStoreAsync();
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store, WooCommerceAuthMode.QueryString), http);
        await source.CountAsync(EntityType.Taxes, SourceQuery.All);
        RecordedRequest request = Assert.Single(store.Requests);
        Assert.Null(request.Authorization);
        Assert.Equal(TestOptions.Key, request.Query["consumer_key"]);
        Assert.Equal(TestOptions.Secret, request.Query["consumer_secret"]);
    }

    /// <summary>RFC 5849 §3.4 computed by hand: the base string, then HMAC-SHA256 keyed with "secret&amp;".</summary>
    private static string ExpectedSignature(string method, string baseUri, IEnumerable<KeyValuePair<string, string>> parameters, string secret)
    {
        static string Enc(string s) => Uri.EscapeDataString(s); // RFC 3986 unreserved set on .NET Core
        string normalized = string.Join("&", parameters
            .Select(p => (K: Enc(p.Key), V: Enc(p.Value)))
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal)
            .Select(p => p.K + "=" + p.V));
        string baseString = method + "&" + Enc(baseUri) + "&" + Enc(normalized);
        using var hmac = new HMACSHA256(Encoding.ASCII.GetBytes(Enc(secret) + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(baseString)));
    }

    [Fact]
    public void OAuth1_KnownVector()
    {
        var uri = new Uri("http://shop.example:8080/wp-json/wc/v3/products?per_page=100&filter=a b&order=asc");
        Uri signed = OAuth1Signer.Sign(HttpMethod.Get, uri, "ck_key", "cs_secret", "abcdefghijklmnopqrstuvwxyz012345", "1700000000");
        var query = OAuth1Signer.ParseQuery(signed.Query).ToList();
        string signature = query.Single(p => p.Key == "oauth_signature").Value;
        string expected = ExpectedSignature(
            "GET",
            "http://shop.example:8080/wp-json/wc/v3/products",
            [new("per_page", "100"), new("filter", "a b"), new("order", "asc"), new("oauth_consumer_key", "ck_key"), new("oauth_nonce", "abcdefghijklmnopqrstuvwxyz012345"), new("oauth_signature_method", "HMAC-SHA256"), new("oauth_timestamp", "1700000000")],
            "cs_secret");
        Assert.Equal(expected, signature);
        Assert.DoesNotContain(query, p => p.Key == "oauth_version");
        Assert.Equal(
            "GET&http%3A%2F%2Fshop.example%3A8080%2Fwp-json%2Fwc%2Fv3%2Fproducts&filter%3Da%2520b%26oauth_consumer_key%3Dck_key%26oauth_nonce%3Dabcdefghijklmnopqrstuvwxyz012345%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26order%3Dasc%26per_page%3D100",
            OAuth1Signer.BuildBaseString("GET", uri, query.Where(p => p.Key.StartsWith("oauth_", StringComparison.Ordinal) && p.Key != "oauth_signature")));
    }

    [Fact]
    public async Task OAuth1_RequestCarriesAVerifiableSignature()
    {
        await using FakeWooStore store = await TaxStoreAsync();
        using var http = new HttpClient();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store, WooCommerceAuthMode.OAuth1), http, time);
        await source.CountAsync(EntityType.Taxes, SourceQuery.All);
        RecordedRequest request = Assert.Single(store.Requests);
        Assert.Null(request.Authorization);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Query["oauth_timestamp"]);
        Assert.Equal(32, request.Query["oauth_nonce"].Length);
        Assert.Equal("HMAC-SHA256", request.Query["oauth_signature_method"]);
        var parameters = request.Query.Where(p => p.Key != "oauth_signature");
        string expected = ExpectedSignature("GET", $"http://127.0.0.1:{store.BaseAddress.Port}{request.Path}", parameters, TestOptions.Secret);
        Assert.Equal(expected, request.Query["oauth_signature"]);
        Assert.DoesNotContain(TestOptions.Secret, request.RawQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Unauthorized_OneClearErrorWithoutSecrets()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(_ => new Reply(401, """{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}"""));
        using var collector = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(collector).SetMinimumLevel(LogLevel.Trace));
        using var http = new HttpClient();
        ITargetConnector target = WooCommerceConnectorFactory.CreateTarget(TestOptions.For(store), http, loggerFactory: loggerFactory);
        ConnectorCheck check = await target.CheckAsync();
        Assert.False(check.Succeeded);
        Assert.Equal(FailureCategory.Authentication, check.Category);
        Assert.StartsWith("The store http://127.0.0.1:", check.Message, StringComparison.Ordinal);
        Assert.Contains("refused the consumer key/secret", check.Message, StringComparison.Ordinal);
        IReadOnlyList<FakeLogRecord> logs = collector.Collector.GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == WooCommerceEventId.CheckFailed);
        foreach (string secret in new[] { TestOptions.Key, TestOptions.Secret, TestOptions.AppPassword })
        {
            Assert.DoesNotContain(secret, check.Message!, StringComparison.Ordinal);
            Assert.DoesNotContain(logs, l => l.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Check_WrongUrl_IsConfiguration()
    {
        await using FakeWooStore store = await FakeWooStore.StartAsync(_ => null);
        using var http = new HttpClient();
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(TestOptions.For(store), http);
        ConnectorCheck check = await source.CheckAsync();
        Assert.Equal(FailureCategory.Configuration, check.Category);
    }

    [Fact]
    public async Task QueryStringMode_ThroughNextCartPipeline_LogsNoSecret()
    {
        await using FakeWooStore store = await TaxStoreAsync();
        using var collector = new FakeLoggerProvider();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(services, b => b.AddProvider(collector).SetMinimumLevel(LogLevel.Trace));
        Microsoft.Extensions.DependencyInjection.MigrationServiceCollectionExtensions.AddNextCartMigration(services).AddWooCommerce("source", o =>
        {
            o.StoreUrl = store.BaseAddress;
            o.ConsumerKey = TestOptions.Key;
            o.ConsumerSecret = TestOptions.Secret;
            o.AuthMode = WooCommerceAuthMode.QueryString;
        });
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        ISourceConnector source = WooCommerceConnectorFactory.CreateSource(provider, "source");
        Assert.Equal(0, await source.CountAsync(EntityType.Taxes, SourceQuery.All));
        IReadOnlyList<FakeLogRecord> logs = collector.Collector.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, l => l.Message.Contains(TestOptions.Secret, StringComparison.Ordinal) || l.Message.Contains(TestOptions.Key, StringComparison.Ordinal));
    }
}
