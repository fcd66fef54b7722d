using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

/// <summary>Posts GraphQL documents to a sandbox as the connector does.</summary>
internal static class ShopifyHttp
{
    public static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(ShopifySandbox shop, string query, object? variables = null, string? token = null)
    {
        using HttpClient client = new() { BaseAddress = shop.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", token ?? shop.AccessToken);
        JsonObject request = new() { ["query"] = query };
        if (variables is not null)
        {
            request["variables"] = variables as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(variables);
        }

        using StringContent content = new(request.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync(ShopifySandbox.GraphQLPath, content);
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? body = JsonNode.Parse(text);
        return (response.StatusCode, body as JsonObject ?? new JsonObject { ["raw"] = text });
    }

    /// <summary>Posts and asserts a 200 without top-level errors; returns <c>data</c>.</summary>
    public static async Task<JsonObject> DataAsync(ShopifySandbox shop, string query, object? variables = null)
    {
        (HttpStatusCode status, JsonObject body) = await PostAsync(shop, query, variables);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!.AsObject();
    }

    public static string Code(JsonObject body, int index = 0) => body["errors"]![index]!["extensions"]!["code"]!.GetValue<string>();
}
