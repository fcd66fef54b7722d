using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NextCart.Migration.Http.Tests;

public class StoreHttpOptionsTests
{
    [Fact]
    public void Ctor_Ok()
    {
        StoreHttpOptions options = new();

        Assert.Null(options.BaseAddress);
        Assert.Null(options.StoreKey);
        Assert.Equal(5, options.RequestsPerSecond);
        Assert.Equal(5, options.Burst);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(100), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TotalTimeout);
        Assert.False(options.AllowInsecureHttp);
        Assert.StartsWith("NextCart.Migration/", options.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryProblemTogether()
    {
        using ServiceProvider provider = StoreClients.Build(services => services.AddNextCartHttpClient(StoreClients.Name, o =>
        {
            o.BaseAddress = null;
            o.RequestsPerSecond = 0;
            o.AttemptTimeout = TimeSpan.FromMinutes(5);
            o.TotalTimeout = TimeSpan.FromMinutes(1);
            o.UserAgent = "not a (valid";
        }));

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>().Get(StoreClients.Name));

        string[] failures = [.. ex.Failures];
        Assert.Contains(failures, f => f.Contains("BaseAddress", StringComparison.Ordinal) && f.Contains("required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("RequestsPerSecond", StringComparison.Ordinal));
        Assert.Contains("TotalTimeout (00:01:00) is shorter than AttemptTimeout (00:05:00); it must be at least as long, and long enough for retries and rate-limit waits.", failures);
        Assert.Contains("UserAgent 'not a (valid' is not a valid User-Agent header; use product tokens such as 'MyApp/1.2 (+https://myapp.example)'.", failures);
    }

    [Fact]
    public void CreateClient_InvalidOptions_ThrowsConfigurationExceptionListingEveryProblem()
    {
        using ServiceProvider provider = StoreClients.Build(services => services.AddNextCartHttpClient(StoreClients.Name, o =>
        {
            o.BaseAddress = new Uri("http://shop.example/wp-json/wc/v3/");
            o.MaxRetries = -1;
        }));

        MigrationConfigurationException ex = Assert.Throws<MigrationConfigurationException>(() => provider.Client());

        Assert.Equal(FailureCategory.Configuration, ex.Category);
        Assert.False(ex.IsTransient);
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("MaxRetries", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("uses plain http", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BaseAddressWithCredentialsAndQuery_ReportsWithoutTheSecret()
    {
        using ServiceProvider provider = StoreClients.Build(services => services.AddNextCartHttpClient(StoreClients.Name, o =>
            o.BaseAddress = new Uri("https://admin:hunter2secret@shop.example/api/?consumer_secret=cs_SECRET")));

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>().Get(StoreClients.Name));

        Assert.Equal(2, ex.Failures.Count());
        Assert.DoesNotContain("hunter2secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://[REDACTED]@shop.example/api/?consumer_secret=[REDACTED]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddNextCartHttpClient_SameNameTwice_AddsAConfigurationStepToOneClient()
    {
        await using TestStore store = await TestStore.StartAsync(System.Net.HttpStatusCode.InternalServerError);
        using ServiceProvider provider = StoreClients.Build(services =>
        {
            services.AddNextCartHttpClient(StoreClients.Name, o =>
            {
                o.BaseAddress = store.BaseAddress;
                StoreClients.Fast(o);
            });
            services.AddNextCartHttpClient(StoreClients.Name, o => o.MaxRetries = 1);
        });

        using HttpResponseMessage response = await provider.Client().GetAsync(new Uri("products", UriKind.Relative));

        Assert.Equal(2, store.Count); // one pipeline, with the second step's MaxRetries
        Assert.Equal(1, provider.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>().Get(StoreClients.Name).MaxRetries);
    }

    [Fact]
    public void AddNextCartHttpClient_InvalidArguments_Throw()
    {
        ServiceCollection services = new();

        Assert.Throws<ArgumentNullException>(() => services.AddNextCartHttpClient(StoreClients.Name, (Action<StoreHttpOptions>)null!));
        Assert.Throws<ArgumentException>(() => services.AddNextCartHttpClient(" ", _ => { }));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddNextCartHttpClient(StoreClients.Name, _ => { }));
    }

    [Fact]
    public void AddNextCartHttpClient_ConfigurationSection_BindsAndRejectsUnknownKeys()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stores:Woo:BaseAddress"] = "https://shop.example/wp-json/wc/v3/",
            ["Stores:Woo:RequestsPerSecond"] = "2.5",
            ["Stores:Woo:TotalTimeout"] = "00:20:00",
            ["Stores:Typo:BaseAdress"] = "https://shop.example/",
        }).Build();
        using ServiceProvider provider = StoreClients.Build(services =>
        {
            services.AddNextCartHttpClient("woo", configuration.GetSection("Stores:Woo"));
            services.AddNextCartHttpClient("typo", configuration.GetSection("Stores:Typo"));
        });
        IOptionsMonitor<StoreHttpOptions> monitor = provider.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>();

        StoreHttpOptions woo = monitor.Get("woo");

        Assert.Equal(new Uri("https://shop.example/wp-json/wc/v3/"), woo.BaseAddress);
        Assert.Equal(2.5, woo.RequestsPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(20), woo.TotalTimeout);
        Assert.Contains("BaseAdress", Assert.Throws<InvalidOperationException>(() => monitor.Get("typo")).Message, StringComparison.Ordinal);
    }
}
