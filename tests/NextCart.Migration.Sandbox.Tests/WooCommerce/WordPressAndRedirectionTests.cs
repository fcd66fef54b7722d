using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class WordPressAndRedirectionTests : IAsyncLifetime
{
    private WooCommerceSandbox _sandbox = null!;
    private HttpClient _wordpress = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions());
        _wordpress = _sandbox.CreateWordPressClient();
    }

    public async Task DisposeAsync()
    {
        _wordpress.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task ListPosts_Published_TitleContentAndExcerptAreRenderedObjectsWithGmtTwins()
    {
        Reply reply = await _wordpress.GetReplyAsync("wp-json/wp/v2/posts");

        JsonObject post = Assert.IsType<JsonObject>(reply.Array[0]);
        Assert.IsType<JsonObject>(post["title"]);
        Assert.NotNull((string?)post["title"]!["rendered"]);
        Assert.False((bool)post["content"]!["protected"]!);
        Assert.NotNull((string?)post["excerpt"]!["rendered"]);
        Assert.NotNull((string?)post["date_gmt"]);
        Assert.NotNull((string?)post["modified_gmt"]);
        Assert.Equal("post", (string)post["type"]!);
        Assert.NotNull(reply.Header("X-WP-Total"));
    }

    [Fact]
    public async Task ListPosts_PagePastTheEnd_Returns400RestPostInvalidPageNumber()
    {
        Reply reply = await _wordpress.GetReplyAsync("wp-json/wp/v2/posts?page=50");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("rest_post_invalid_page_number", reply.ErrorCode);
        Assert.Equal("The page number requested is larger than the number of pages available.", (string)reply.Object["message"]!);
    }

    [Fact]
    public async Task ListPosts_ModifiedAfter_ReturnsOnlyLaterPosts()
    {
        List<JsonObject> posts = [.. _sandbox.Store.GetPosts()];
        string pivot = posts.Select(p => (string)p["modified"]!).Order(StringComparer.Ordinal).ElementAt(posts.Count / 2);

        Reply reply = await _wordpress.GetReplyAsync($"wp-json/wp/v2/posts?status=any&per_page=100&modified_after={pivot}");

        Assert.Equal(posts.Count(p => string.CompareOrdinal((string)p["modified"]!, pivot) > 0), reply.Array.Count);
    }

    [Fact]
    public async Task ListPosts_PerPage101_Returns400()
    {
        Reply reply = await _wordpress.GetReplyAsync("wp-json/wp/v2/posts?per_page=101");

        Assert.Equal("rest_invalid_param", reply.ErrorCode);
    }

    [Fact]
    public async Task CreatePage_WithApplicationPassword_IsADraftWithoutSlugUntilPublished()
    {
        Reply draft = await _wordpress.PostReplyAsync("wp-json/wp/v2/pages", new JsonObject { ["title"] = "About Our Shop", ["content"] = "<p>Hello</p>" });
        long id = Http.Id(draft.Body);
        Reply published = await _wordpress.PostReplyAsync($"wp-json/wp/v2/pages/{id}", new JsonObject { ["status"] = "publish" });

        Assert.Equal(HttpStatusCode.Created, draft.Status);
        Assert.Equal("draft", (string)draft.Object["status"]!);
        Assert.Equal(string.Empty, (string)draft.Object["slug"]!);
        Assert.Equal("<p>Hello</p>", (string)draft.Object["content"]!["rendered"]!);
        Assert.Equal("about-our-shop", (string)published.Object["slug"]!);
        Assert.Equal($"{_sandbox.BaseAddress}about-our-shop/", (string)published.Object["link"]!);
    }

    [Fact]
    public async Task DeletePost_ForceAndTrash_FollowTheWordPressShapes()
    {
        long id = Http.Id(_sandbox.Store.GetPosts()[0]);

        Reply trash = await _wordpress.DeleteReplyAsync($"wp-json/wp/v2/posts/{id}");
        Reply again = await _wordpress.DeleteReplyAsync($"wp-json/wp/v2/posts/{id}");
        Reply force = await _wordpress.DeleteReplyAsync($"wp-json/wp/v2/posts/{id}?force=true");

        Assert.Equal("trash", (string)trash.Object["status"]!);
        Assert.Equal("rest_already_trashed", again.ErrorCode);
        Assert.True((bool)force.Object["deleted"]!);
        Assert.Equal(id, Http.Id(force.Object["previous"]));
    }

    [Fact]
    public async Task Redirects_List_ReturnsItemsAndTotal()
    {
        Reply reply = await _wordpress.GetReplyAsync("wp-json/redirection/v1/redirect?per_page=200");

        Assert.Equal(_sandbox.Store.GetRedirects().Count, (int)reply.Object["total"]!);
        JsonObject first = Assert.IsType<JsonObject>(reply.Object["items"]![0]);
        Assert.Equal(301, (int)first["action_code"]!);
        Assert.Equal("url", (string)first["action_type"]!);
        Assert.NotNull((string?)first["action_data"]!["url"]);
    }

    [Fact]
    public async Task Redirects_CreateWithTheDocumentedBody_ReturnsTheListWithTheNewRedirect()
    {
        JsonObject body = JsonNode.Parse("""{"url":"/old","action_data":{"url":"/new"},"action_type":"url","action_code":301,"match_type":"url","group_id":1}""")!.AsObject();

        Reply reply = await _wordpress.PostReplyAsync("wp-json/redirection/v1/redirect?per_page=200", body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        JsonObject created = Assert.Single(reply.Object["items"]!.AsArray().OfType<JsonObject>(), r => (string)r["url"]! == "/old");
        Assert.Equal("/new", (string)created["action_data"]!["url"]!);
        Assert.True((bool)created["enabled"]!);
        Reply update = await _wordpress.PostReplyAsync($"wp-json/redirection/v1/redirect/{Http.Id(created)}", new JsonObject { ["action_data"] = new JsonObject { ["url"] = "/newer" } });
        Assert.Equal("/newer", (string)update.Object["item"]!["action_data"]!["url"]!);
    }

    [Fact]
    public async Task Redirects_UnknownGroup_Returns400RedirectCreateFailed()
    {
        Reply reply = await _wordpress.PostReplyAsync("wp-json/redirection/v1/redirect", new JsonObject { ["url"] = "/a", ["action_data"] = new JsonObject { ["url"] = "/b" }, ["action_type"] = "url", ["match_type"] = "url", ["group_id"] = 99 });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("redirect_create_failed", reply.ErrorCode);
    }

    [Fact]
    public async Task Redirects_BulkDelete_RemovesThem()
    {
        long id = Http.Id(_sandbox.Store.GetRedirects()[^1]);

        Reply reply = await _wordpress.PostReplyAsync($"wp-json/redirection/v1/bulk/redirect/delete?items={id}", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.DoesNotContain(id, _sandbox.Store.GetRedirects().Select(r => Http.Id(r)));
    }
}
