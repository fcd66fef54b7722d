using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NextCart.Migration.Sandbox.WooCommerce;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private WooCommerceSandbox _sandbox = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { TimeProvider = _clock, Data = new SampleStoreOptions { Products = 12 } });
        _anonymous = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _sandbox.DisposeAsync();
    }

    private Task<Reply> GetAsync(string url, string? authorization = null) => Http.SendAsync(_anonymous, HttpMethod.Get, url, authorization: authorization);

    private string Nonce(string label) => label + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Basic_RightKeyAndSecret_Returns200()
    {
        Reply reply = await GetAsync("wp-json/wc/v3/products", Http.Basic(_sandbox.ConsumerKey, _sandbox.ConsumerSecret));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Basic_WrongSecret_Returns401AuthenticationErrorWithWwwAuthenticate()
    {
        Reply reply = await GetAsync("wp-json/wc/v3/products", Http.Basic(_sandbox.ConsumerKey, "cs_wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("woocommerce_rest_authentication_error", reply.ErrorCode);
        Assert.Equal("Consumer secret is invalid.", (string)reply.Object["message"]!);
        Assert.StartsWith("Basic realm=", reply.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentials_Returns401CannotView()
    {
        Reply list = await GetAsync("wp-json/wc/v3/products");
        Reply create = await Http.SendAsync(_anonymous, HttpMethod.Post, "wp-json/wc/v3/products", new JsonObject { ["name"] = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, list.Status);
        Assert.Equal("woocommerce_rest_cannot_view", list.ErrorCode);
        Assert.Equal("Sorry, you cannot list resources.", (string)list.Object["message"]!);
        Assert.Equal("woocommerce_rest_cannot_create", create.ErrorCode);
    }

    [Fact]
    public async Task QueryString_RightKeys_Returns200AndWrongSecretReturns401()
    {
        Reply good = await GetAsync($"wp-json/wc/v3/products?consumer_key={_sandbox.ConsumerKey}&consumer_secret={_sandbox.ConsumerSecret}");
        Reply bad = await GetAsync($"wp-json/wc/v3/products?consumer_key={_sandbox.ConsumerKey}&consumer_secret=cs_nope");

        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.Status);
        Assert.Equal("Consumer secret is invalid.", (string)bad.Object["message"]!);
    }

    [Theory]
    [InlineData("HMAC-SHA1")]
    [InlineData("HMAC-SHA256")]
    public async Task OAuth_SignedHeader_Returns200(string method)
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products?per_page=5&orderby=id&order=asc");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, method, Now.ToUnixTimeSeconds(), Nonce("h"));
        string signature = OAuthTestSigner.Signature("GET", url, oauth, _sandbox.ConsumerSecret, method);

        Reply reply = await GetAsync(url.ToString(), OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(5, reply.Array.Count);
    }

    [Theory]
    [InlineData("HMAC-SHA1")]
    [InlineData("HMAC-SHA256")]
    public async Task OAuth_SignedQueryString_Returns200(string method)
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products?search=a b&per_page=3");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, method, Now.ToUnixTimeSeconds(), Nonce("q"));
        string signature = OAuthTestSigner.Signature("GET", url, oauth, _sandbox.ConsumerSecret, method);

        Reply reply = await GetAsync(url + "&" + OAuthTestSigner.Query(oauth, signature));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task OAuth_SignedPost_Returns201()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products/categories");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA256", Now.ToUnixTimeSeconds(), Nonce("p"));
        string signature = OAuthTestSigner.Signature("POST", url, oauth, _sandbox.ConsumerSecret, "HMAC-SHA256");

        Reply reply = await Http.SendAsync(_anonymous, HttpMethod.Post, url.ToString(), new JsonObject { ["name"] = "Signed Category" }, OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
    }

    [Fact]
    public async Task OAuth_SignedWithTheWrongSecret_Returns401SignatureMismatch()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.ToUnixTimeSeconds(), Nonce("w"));
        string signature = OAuthTestSigner.Signature("GET", url, oauth, "cs_not_the_secret", "HMAC-SHA1");

        Reply reply = await GetAsync(url.ToString(), OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("Invalid signature - provided signature does not match.", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task OAuth_TamperedQueryAfterSigning_Returns401SignatureMismatch()
    {
        Uri signed = new(_sandbox.BaseAddress, "wp-json/wc/v3/products?per_page=5");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.ToUnixTimeSeconds(), Nonce("t"));
        string signature = OAuthTestSigner.Signature("GET", signed, oauth, _sandbox.ConsumerSecret, "HMAC-SHA1");

        Reply reply = await GetAsync(new Uri(_sandbox.BaseAddress, "wp-json/wc/v3/products?per_page=50").ToString(), OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("woocommerce_rest_authentication_error", reply.ErrorCode);
    }

    [Fact]
    public async Task OAuth_TimestampOlderThan15Minutes_Returns401InvalidTimestamp()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.AddMinutes(-16).ToUnixTimeSeconds(), Nonce("s"));
        string signature = OAuthTestSigner.Signature("GET", url, oauth, _sandbox.ConsumerSecret, "HMAC-SHA1");

        Reply reply = await GetAsync(url.ToString(), OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("Invalid timestamp.", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task OAuth_TimestampFourteenMinutesOld_IsStillAccepted()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.AddMinutes(-14).ToUnixTimeSeconds(), Nonce("f"));
        string signature = OAuthTestSigner.Signature("GET", url, oauth, _sandbox.ConsumerSecret, "HMAC-SHA1");

        Reply reply = await GetAsync(url.ToString(), OAuthTestSigner.Header(oauth, signature));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task OAuth_ReusedNonce_Returns401InvalidNonce()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products");
        string nonce = Nonce("r");
        SortedDictionary<string, string> first = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.ToUnixTimeSeconds(), nonce);
        SortedDictionary<string, string> second = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "HMAC-SHA1", Now.ToUnixTimeSeconds() + 1, nonce);

        Reply ok = await GetAsync(url.ToString(), OAuthTestSigner.Header(first, OAuthTestSigner.Signature("GET", url, first, _sandbox.ConsumerSecret, "HMAC-SHA1")));
        Reply replay = await GetAsync(url.ToString(), OAuthTestSigner.Header(second, OAuthTestSigner.Signature("GET", url, second, _sandbox.ConsumerSecret, "HMAC-SHA1")));

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Status);
        Assert.Equal("Invalid nonce - nonce has already been used.", (string)replay.Object["message"]!);
    }

    [Fact]
    public async Task OAuth_MissingParameter_Returns401MissingParameter()
    {
        Reply reply = await GetAsync($"wp-json/wc/v3/products?oauth_consumer_key={_sandbox.ConsumerKey}&oauth_nonce=abc&oauth_signature_method=HMAC-SHA1&oauth_signature=x");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("woocommerce_rest_authentication_missing_parameter", reply.ErrorCode);
        Assert.Equal("Missing OAuth parameter oauth_timestamp", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task OAuth_UnsupportedSignatureMethod_Returns401()
    {
        Uri url = new(_sandbox.BaseAddress, "wp-json/wc/v3/products");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(_sandbox.ConsumerKey, "PLAINTEXT", Now.ToUnixTimeSeconds(), Nonce("m"));

        Reply reply = await GetAsync(url.ToString(), OAuthTestSigner.Header(oauth, _sandbox.ConsumerSecret + "&"));

        Assert.Equal("Invalid signature - signature method is invalid.", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task WordPressPosts_WithWooCommerceKeys_Returns401InvalidUsername()
    {
        Reply reply = await GetAsync("wp-json/wp/v2/posts?status=any", Http.Basic(_sandbox.ConsumerKey, _sandbox.ConsumerSecret));
        Reply query = await GetAsync($"wp-json/wp/v2/posts?status=draft&consumer_key={_sandbox.ConsumerKey}&consumer_secret={_sandbox.ConsumerSecret}");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("invalid_username", reply.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, query.Status);
        Assert.Equal("rest_forbidden_status", (string)query.Object["data"]!["details"]!["status"]!["code"]!);
    }

    [Fact]
    public async Task WordPressPosts_WithApplicationPassword_SeesDraftsAndWrongPasswordIsRejected()
    {
        Reply any = await GetAsync("wp-json/wp/v2/posts?status=any&per_page=100", Http.Basic(_sandbox.WordPressUserName, _sandbox.ApplicationPassword));
        Reply noSpaces = await GetAsync("wp-json/wp/v2/posts?status=any&per_page=100", Http.Basic(_sandbox.WordPressUserName, _sandbox.ApplicationPassword.Replace(" ", string.Empty, StringComparison.Ordinal)));
        Reply wrong = await GetAsync("wp-json/wp/v2/posts", Http.Basic(_sandbox.WordPressUserName, "abcd efgh ijkl mnop qrst uvwx"));

        Assert.Equal(HttpStatusCode.OK, any.Status);
        Assert.Equal(_sandbox.Store.GetPosts().Count, any.Array.Count);
        Assert.Equal(HttpStatusCode.OK, noSpaces.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("incorrect_password", wrong.ErrorCode);
        Assert.Equal("The provided password is an invalid application password.", (string)wrong.Object["message"]!);
    }

    [Fact]
    public async Task WordPressPosts_Anonymous_SeesOnlyPublishedAndCannotWrite()
    {
        Reply list = await GetAsync("wp-json/wp/v2/posts?per_page=100");
        Reply create = await Http.SendAsync(_anonymous, HttpMethod.Post, "wp-json/wp/v2/posts", new JsonObject { ["title"] = "Hi" });
        Reply edit = await GetAsync("wp-json/wp/v2/posts?context=edit");
        Reply me = await GetAsync("wp-json/wp/v2/users/me");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.All(list.Array, p => Assert.Equal("publish", (string)p!["status"]!));
        Assert.Equal(_sandbox.Store.GetPosts().Count(p => (string)p["status"]! == "publish"), list.Array.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, create.Status);
        Assert.Equal("rest_cannot_create", create.ErrorCode);
        Assert.Equal("rest_forbidden_context", edit.ErrorCode);
        Assert.Equal("rest_not_logged_in", me.ErrorCode);
    }

    [Fact]
    public async Task WooCommerceApi_WithApplicationPassword_IsAcceptedAsTheAdministrator()
    {
        Reply reply = await GetAsync("wp-json/wc/v3/products", Http.Basic(_sandbox.WordPressUserName, _sandbox.ApplicationPassword));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Redirection_WithoutApplicationPassword_Returns401RestForbidden()
    {
        Reply anonymous = await GetAsync("wp-json/redirection/v1/redirect");
        Reply withKeys = await GetAsync("wp-json/redirection/v1/redirect", Http.Basic(_sandbox.ConsumerKey, _sandbox.ConsumerSecret));
        Reply withPassword = await GetAsync("wp-json/redirection/v1/redirect", Http.Basic(_sandbox.WordPressUserName, _sandbox.ApplicationPassword));

        Assert.Equal("rest_forbidden", anonymous.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withKeys.Status);
        Assert.Equal(HttpStatusCode.OK, withPassword.Status);
    }

    [Fact]
    public async Task ReadOnlyKey_Write_Returns401NoWritePermission()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true, KeyPermissions = WooCommerceKeyPermissions.Read });
        using HttpClient client = sandbox.CreateClient();

        Reply read = await client.GetReplyAsync("wp-json/wc/v3/products");
        Reply write = await client.PostReplyAsync("wp-json/wc/v3/products", new JsonObject { ["name"] = "x" });

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, write.Status);
        Assert.Equal("The API key provided does not have write permissions.", (string)write.Object["message"]!);
    }

    [Fact]
    public async Task RequireHttpsForBasicAuth_BasicOverHttp_IsRefusedButOAuthWorks()
    {
        await using WooCommerceSandbox sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions { Empty = true, RequireHttpsForBasicAuth = true });
        using HttpClient client = sandbox.CreateClient();
        Uri url = new(sandbox.BaseAddress, "wp-json/wc/v3/products");
        SortedDictionary<string, string> oauth = OAuthTestSigner.Parameters(sandbox.ConsumerKey, "HMAC-SHA256", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Nonce("https"));

        Reply basic = await client.GetReplyAsync("wp-json/wc/v3/products");
        Reply signed = await Http.SendAsync(_anonymous, HttpMethod.Get, url.ToString(), authorization: OAuthTestSigner.Header(oauth, OAuthTestSigner.Signature("GET", url, oauth, sandbox.ConsumerSecret, "HMAC-SHA256")));

        Assert.Equal(HttpStatusCode.Unauthorized, basic.Status);
        Assert.Equal("invalid_username", basic.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, signed.Status);
    }

    [Fact]
    public async Task UnauthenticatedRequest_InvalidPerPage_ValidationComesBeforePermission()
    {
        Reply reply = await GetAsync("wp-json/wc/v3/products?per_page=500");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("rest_invalid_param", reply.ErrorCode);
    }
}
