namespace NextCart.Migration.Http.Tests;

public class StoreHttpRequestOptionsTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("PATCH", false)]
    [InlineData("DELETE", false)]
    public void IsSafeToRetry_NotSet_TheMethodDecides(string method, bool expected)
    {
        using HttpRequestMessage request = new(new HttpMethod(method), "https://shop.example/");

        Assert.Equal(expected, request.IsSafeToRetry());
    }

    [Fact]
    public void SetSafeToRetry_OverridesTheMethod()
    {
        using HttpRequestMessage post = new HttpRequestMessage(HttpMethod.Post, "https://shop.example/graphql.json").SetSafeToRetry();
        using HttpRequestMessage get = new HttpRequestMessage(HttpMethod.Get, "https://shop.example/export").SetSafeToRetry(false);

        Assert.True(post.IsSafeToRetry());
        Assert.True(post.Options.TryGetValue(StoreHttpRequestOptions.SafeToRetry, out bool value) && value);
        Assert.False(get.IsSafeToRetry());
    }
}
