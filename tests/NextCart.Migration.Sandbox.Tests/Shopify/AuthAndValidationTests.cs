using System.Net;
using System.Text.Json.Nodes;
using NextCart.Migration.Sandbox.Shopify;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

public sealed class AuthAndValidationTests
{
    [Fact]
    public async Task Post_WrongToken_Returns401WithShopifyBody()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ shop { name } }", token: "shpat_wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("[API] Invalid API key or access token (unrecognized login or wrong password)", body["errors"]!.GetValue<string>());
        Assert.Equal(0, shop.View.GraphQLRequests);
    }

    [Fact]
    public async Task Post_ConfiguredToken_IsAccepted()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, AccessToken = "shpat_fixed" });

        (HttpStatusCode status, _) = await ShopifyHttp.PostAsync(shop, "{ shop { name } }", token: "shpat_fixed");

        Assert.Equal("shpat_fixed", shop.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Query_UnknownField_ValidationErrorAndNothingCharged()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (HttpStatusCode status, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{\n  products(first: 1) { nodes { id colour } }\n}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["data"]);
        JsonObject error = body["errors"]![0]!.AsObject();
        Assert.Equal("Field 'colour' doesn't exist on type 'Product'", error["message"]!.GetValue<string>());
        Assert.Equal("undefinedField", ShopifyHttp.Code(body));
        Assert.Equal(2, error["locations"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(35, error["locations"]![0]!["column"]!.GetValue<int>());
        Assert.Equal(["query", "products", "nodes", "colour"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(shop.View.MaximumAvailable, shop.View.CurrentlyAvailable);
    }

    [Theory]
    [InlineData("{ products(first: 1, colour: \"red\") { nodes { id } } }", "argumentNotAccepted")]
    [InlineData("{ product { id } }", "missingRequiredArguments")]
    [InlineData("{ products(first: 1) { nodes { id { x } } } }", "selectionMismatch")]
    [InlineData("{ products(first: 1) { nodes { seo } } }", "selectionMismatch")]
    [InlineData("{ products(first: \"ten\") { nodes { id } } }", "argumentLiteralsIncompatible")]
    [InlineData("{ products(first: 1) { nodes { ... on Colour { id } } } }", "undefinedType")]
    [InlineData("query { products(first: $n) { nodes { id } } }", "variableNotDefined")]
    public async Task Query_Invalid_ErrorCode(string query, string code)
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, query);

        Assert.Null(body["data"]);
        Assert.Equal(code, ShopifyHttp.Code(body));
    }

    [Fact]
    public async Task Mutation_VariableWithUnknownInputField_InvalidVariable()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, ProductSetTests.ProductSet, new JsonObject { ["input"] = new JsonObject { ["title"] = "T", ["colour"] = "red" } });

        Assert.Equal("INVALID_VARIABLE", ShopifyHttp.Code(body));
        Assert.Contains("colour", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(shop.View.GetProducts());
    }

    [Fact]
    public async Task Query_SyntaxError_ErrorWithLocation()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true });

        (_, JsonObject body) = await ShopifyHttp.PostAsync(shop, "{ shop { name }");

        Assert.NotNull(body["errors"]![0]!["locations"]);
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task Query_FragmentsAliasesAndTypename_Resolved()
    {
        await using ShopifySandbox shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Seed = 3, ProductCount = 3 });

        JsonObject data = await ShopifyHttp.DataAsync(shop, "query { a: products(first: 1) { nodes { ...P } } b: shop { __typename name } } fragment P on Product { id t: title __typename }");

        Assert.Equal("Product", data["a"]!["nodes"]![0]!["__typename"]!.GetValue<string>());
        Assert.NotNull(data["a"]!["nodes"]![0]!["t"]);
        Assert.Equal("Shop", data["b"]!["__typename"]!.GetValue<string>());
    }
}
