using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

/// <summary>A response read for assertions.</summary>
internal sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
{
    public int Code => (int)Status;

    public JsonArray Array => Assert.IsType<JsonArray>(Body);

    public JsonObject Object => Assert.IsType<JsonObject>(Body);

    public string? Header(string name) => Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(", ", values) : null;

    public long Total => long.Parse(Header("X-WP-Total")!, System.Globalization.CultureInfo.InvariantCulture);

    public long TotalPages => long.Parse(Header("X-WP-TotalPages")!, System.Globalization.CultureInfo.InvariantCulture);

    public string ErrorCode => (string)Object["code"]!;
}

internal static class Http
{
    public static async Task<Reply> SendAsync(HttpClient client, HttpMethod method, string url, JsonNode? body = null, string? authorization = null)
    {
        using HttpRequestMessage request = new(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            json = JsonNode.Parse(text);
        }

        return new Reply(response.StatusCode, json, response.Headers, text);
    }

    public static Task<Reply> GetReplyAsync(this HttpClient client, string url) => SendAsync(client, HttpMethod.Get, url);

    public static Task<Reply> PostReplyAsync(this HttpClient client, string url, JsonNode body) => SendAsync(client, HttpMethod.Post, url, body);

    public static Task<Reply> PutReplyAsync(this HttpClient client, string url, JsonNode body) => SendAsync(client, HttpMethod.Put, url, body);

    public static Task<Reply> DeleteReplyAsync(this HttpClient client, string url) => SendAsync(client, HttpMethod.Delete, url);

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public static long Id(JsonNode? node) => (long)node!["id"]!;

    public static IEnumerable<long> Ids(JsonArray array) => array.Select(Id);

    /// <summary>Reads every page of a WooCommerce collection.</summary>
    public static async Task<List<JsonObject>> GetAllAsync(HttpClient client, string url)
    {
        List<JsonObject> items = [];
        for (int page = 1; ; page++)
        {
            string separator = url.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            Reply reply = await client.GetReplyAsync($"{url}{separator}per_page=100&page={page}");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            items.AddRange(reply.Array.Cast<JsonObject>());
            if (page >= reply.TotalPages)
            {
                return items;
            }
        }
    }
}
