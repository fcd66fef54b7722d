using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NextCart.Migration.Http.Tests;

public class TransportSecurityTests
{
    [Theory]
    [InlineData("http://shop.example/wp-json/wc/v3/")]
    [InlineData("http://192.168.1.20/api/")]
    [InlineData("http://localhost.shop.example/api/")]
    public void Validate_PlainHttpToRemoteHost_FailsSayingWhatToDo(string address)
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => Resolve(address, allowInsecureHttp: false));

        string failure = Assert.Single(ex.Failures);
        Assert.Equal(
            $"BaseAddress '{address}' uses plain http, which would send the store's credentials unencrypted. "
            + "Use https://, or set AllowInsecureHttp to true to accept that risk (only for a store on a network you trust). "
            + "Plain http is allowed without it only for loopback hosts (localhost, 127.0.0.0/8, ::1).",
            failure);
    }

    [Theory]
    [InlineData("http://localhost:8080/api/")]
    [InlineData("http://127.0.0.1/api/")]
    [InlineData("http://127.8.9.10/api/")]
    [InlineData("http://[::1]:5000/api/")]
    [InlineData("http://shop.localhost/api/")]
    [InlineData("https://shop.example/wp-json/wc/v3/")]
    public void Validate_HttpsOrLoopback_Succeeds(string address)
        => Assert.Equal(new Uri(address), Resolve(address, allowInsecureHttp: false).BaseAddress);

    [Fact]
    public void Validate_PlainHttpWithAllowInsecureHttp_Succeeds()
        => Assert.True(Resolve("http://shop.example/api/", allowInsecureHttp: true).AllowInsecureHttp);

    [Theory]
    [InlineData("ftp://shop.example/api/", "uses the scheme 'ftp'")]
    [InlineData("/api/", "is not an absolute URI")]
    public void Validate_NotAnHttpAddress_Fails(string address, string expected)
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => Resolve(address, allowInsecureHttp: false));

        Assert.Contains(expected, Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AbsolutePlainHttpUriToRemoteHost_RefusedBeforeSending()
    {
        await using TestStore store = await TestStore.StartAsync(System.Net.HttpStatusCode.OK);
        using ServiceProvider provider = StoreClients.Build(store.BaseAddress);
        HttpClient client = provider.Client();

        MigrationConfigurationException ex = await Assert.ThrowsAsync<MigrationConfigurationException>(
            () => client.GetAsync(new Uri("http://shop.invalid/wp-json/wc/v3/products?consumer_secret=cs_SECRET")));

        Assert.Equal(FailureCategory.Configuration, ex.Category);
        Assert.StartsWith("The request URI 'http://shop.invalid/wp-json/wc/v3/products?consumer_secret=[REDACTED]' uses plain http", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
        Assert.Contains(provider.Logs().GetSnapshot(), r => r.Id.Id == HttpEventId.InsecureRequestRefused);
    }

    private static StoreHttpOptions Resolve(string address, bool allowInsecureHttp)
    {
        using ServiceProvider provider = StoreClients.Build(services => services.AddNextCartHttpClient(StoreClients.Name, o =>
        {
            o.BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute);
            o.AllowInsecureHttp = allowInsecureHttp;
        }));
        return provider.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>().Get(StoreClients.Name);
    }
}
