using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace NextCart.Migration.Http.Tests;

/// <summary>Builds service providers with store clients, a collecting logger at Trace and an optional fake clock.</summary>
public static class StoreClients
{
    public const string Name = "store";

    public static ServiceProvider Build(Uri baseAddress, Action<StoreHttpOptions>? configure = null, TimeProvider? clock = null)
        => Build(services => services.AddNextCartHttpClient(Name, o =>
        {
            o.BaseAddress = baseAddress;
            Fast(o);
            configure?.Invoke(o);
        }), clock);

    public static ServiceProvider Build(Action<IServiceCollection> register, TimeProvider? clock = null)
    {
        ServiceCollection services = new();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// Options for tests: no rate limit in the way, no backoff to wait for, and timeouts far beyond what a fake clock advanced in steps
    /// can reach while a real request is in flight.
    /// </summary>
    public static void Fast(StoreHttpOptions options)
    {
        options.AttemptTimeout = TimeSpan.FromHours(1);
        options.TotalTimeout = TimeSpan.FromDays(1);
        options.RequestsPerSecond = 10_000;
        options.Burst = 10_000;
        options.MaxRetries = 3;
        options.RetryBaseDelay = TimeSpan.Zero;
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(1);
    }

    public static HttpClient Client(this IServiceProvider services, string name = Name)
        => services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public static FakeLogCollector Logs(this IServiceProvider services) => services.GetFakeLogCollector();

    /// <summary>Advances the fake clock in small steps until the task completes, as a waiting pipeline needs.</summary>
    public static async Task<T> AdvanceUntilDone<T>(this FakeTimeProvider clock, Task<T> task, TimeSpan? step = null)
    {
        TimeSpan by = step ?? TimeSpan.FromMilliseconds(250);
        DateTimeOffset limit = clock.GetUtcNow().AddHours(2);
        while (!task.IsCompleted)
        {
            if (clock.GetUtcNow() > limit)
            {
                throw new TimeoutException("The task did not complete within two fake hours.");
            }

            await Task.Delay(2);
            clock.Advance(by);
        }

        return await task;
    }
}
