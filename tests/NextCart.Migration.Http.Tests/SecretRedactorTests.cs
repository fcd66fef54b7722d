using System.Net.Http.Headers;

namespace NextCart.Migration.Http.Tests;

public class SecretRedactorTests
{
    [Theory]
    [InlineData(
        "https://shop.example/wp-json/wc/v3/products?consumer_key=ck_1&consumer_secret=cs_SECRET&per_page=100#frag",
        "https://shop.example/wp-json/wc/v3/products?consumer_key=[REDACTED]&consumer_secret=[REDACTED]&per_page=100")]
    [InlineData(
        "https://admin:hunter2@shop.example:8443/api?oauth_signature=abc%2Bdef&oauth_nonce=n1&Access_Token=t",
        "https://[REDACTED]@shop.example:8443/api?oauth_signature=[REDACTED]&oauth_nonce=n1&Access_Token=[REDACTED]")]
    [InlineData("https://shop.example/api/products", "https://shop.example/api/products")]
    [InlineData("products?password=pw12345&page=2", "products?password=[REDACTED]&page=2")]
    public void RedactUri_SecretsInUserInfoAndQuery_Replaced(string uri, string expected)
        => Assert.Equal(expected, SecretRedactor.RedactUri(new Uri(uri, UriKind.RelativeOrAbsolute)));

    [Fact]
    public void RedactUri_Null_Empty() => Assert.Equal(string.Empty, SecretRedactor.RedactUri(null));

    [Fact]
    public void RedactHeaders_SensitiveHeaders_ValuesReplaced()
    {
        using HttpRequestMessage request = new();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.payload.sig");
        request.Headers.Add("X-Shopify-Access-Token", "shpat_0123456789abcdef0123456789abcdef");
        request.Headers.Add("x-auth-token", "bc-token-123");
        request.Headers.Add("Accept", "application/json");

        Dictionary<string, string> headers = SecretRedactor.RedactHeaders(request.Headers).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Equal("[REDACTED]", headers["Authorization"]);
        Assert.Equal("[REDACTED]", headers["X-Shopify-Access-Token"]);
        Assert.Equal("[REDACTED]", headers["X-Auth-Token"]);
        Assert.Equal("application/json", headers["Accept"]);
    }

    [Theory]
    [InlineData("consumer_key=ck_abc&consumer_secret=cs_def&name=Shirt", "consumer_key=[REDACTED]&consumer_secret=[REDACTED]&name=Shirt")]
    [InlineData("""{"password": "s3cr3t!", "email":"a@b.example","accessToken":"tok"}""", """{"password": "[REDACTED]", "email":"a@b.example","accessToken":"[REDACTED]"}""")]
    [InlineData("Authorization: Basic Y2tfMTpjc18y\r\nAccept: */*", "Authorization: [REDACTED]\r\nAccept: */*")]
    [InlineData("X-Shopify-Access-Token: abc123", "X-Shopify-Access-Token: [REDACTED]")]
    [InlineData("sent Bearer abcdefghijklmnop to the store", "sent Bearer [REDACTED] to the store")]
    [InlineData("key ck_0123456789abcdef0123456789abcdef01234567 refused", "key [REDACTED] refused")]
    [InlineData("token shpat_0123456789abcdef0123456789abcdef refused", "token [REDACTED] refused")]
    [InlineData("nothing secret here: page=2&per_page=100", "nothing secret here: page=2&per_page=100")]
    public void Redact_SecretsByNameAndShape_Replaced(string text, string expected)
        => Assert.Equal(expected, SecretRedactor.Redact(text));

    [Fact]
    public void Redact_KnownSecrets_ReplacedAlsoWhenEscaped()
    {
        string redacted = SecretRedactor.Redact("Consumer secret my secret/1 is invalid (my%20secret%2F1); abc stays", ["my secret/1", "abc"]);

        Assert.Equal("Consumer secret [REDACTED] is invalid ([REDACTED]); abc stays", redacted);
    }

    [Fact]
    public void FindSecrets_Request_CollectsHeaderQueryAndBasicCredentials()
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "https://shop.example/api/products?consumer_secret=cs_SECRET&page=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ck_KEY1:cs_PASS1"u8.ToArray()));

        IReadOnlyList<string> secrets = SecretRedactor.FindSecrets(request);

        Assert.Contains("cs_SECRET", secrets);
        Assert.Contains("ck_KEY1", secrets);
        Assert.Contains("cs_PASS1", secrets);
        Assert.DoesNotContain("2", secrets);
    }

    [Fact]
    public void SensitiveNames_IncludeThePlatformsCredentials()
    {
        Assert.True(SecretRedactor.IsSensitiveHeader("authorization"));
        Assert.True(SecretRedactor.IsSensitiveHeader("X-Shopify-Access-Token"));
        Assert.True(SecretRedactor.IsSensitiveHeader("X-Auth-Token"));
        Assert.True(SecretRedactor.IsSensitiveParameter("CONSUMER_SECRET"));
        Assert.True(SecretRedactor.IsSensitiveParameter("oauth_signature"));
        Assert.False(SecretRedactor.IsSensitiveParameter("per_page"));
    }
}
