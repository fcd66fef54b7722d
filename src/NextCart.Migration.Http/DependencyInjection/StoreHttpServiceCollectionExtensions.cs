using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NextCart.Migration.Http;
using NextCart.Migration.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="IHttpClientFactory"/> clients for store APIs, with the plumbing every NextCart HTTP connector shares.</summary>
public static class StoreHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers a named store client (add <c>.AddTypedClient&lt;T&gt;()</c> for a typed one) with <see cref="StoreHttpOptions"/> under the
    /// same name, validated on start with every problem reported together.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client name, also the name of its options.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The client builder, to add handlers or a typed client.</returns>
    /// <remarks>
    /// <para>The client's handlers, outermost first:</para>
    /// <list type="number">
    /// <item>the store handler: refuses plain-http requests to remote hosts, turns failures without a response into
    /// <see cref="StoreHttpException"/>s (caller cancellation passes through) and logs each request with a redacted URI
    /// (<see cref="HttpEventId"/>);</item>
    /// <item>the resilience pipeline: <see cref="StoreHttpOptions.TotalTimeout"/>; retries with exponential backoff, jitter and
    /// <c>Retry-After</c> under the rule described on <see cref="StoreHttpRequestOptions"/>; the store's waiting rate limiter, shared by
    /// every client with the same store key and applied to each attempt; <see cref="StoreHttpOptions.AttemptTimeout"/>;</item>
    /// <item>a primary handler that follows no redirects and keeps no cookies.</item>
    /// </list>
    /// <para>
    /// The default <see cref="IHttpClientFactory"/> request logging, which writes full URIs, is removed. The client's own timeout is
    /// infinite; the pipeline's timeouts govern. Responses with an error status are returned, not thrown: call
    /// <see cref="HttpFailureClassifier.EnsureSuccessAsync"/> to throw the classified failure.
    /// </para>
    /// <para>Calling it again with the same name adds another configuration step to the same client.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHttpClientBuilder AddNextCartHttpClient(this IServiceCollection services, string name, Action<StoreHttpOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddNextCartHttpClient(name, (options, _) => configure(options));
    }

    /// <summary>Registers a named store client whose options are configured with services, such as a connector's own options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client name, also the name of its options.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The client builder, to add handlers or a typed client.</returns>
    /// <remarks>See <see cref="AddNextCartHttpClient(IServiceCollection, string, Action{StoreHttpOptions})"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHttpClientBuilder AddNextCartHttpClient(this IServiceCollection services, string name, Action<StoreHttpOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<StoreHttpOptions>(name).Configure<IServiceProvider>(configure);
        return AddCore(services, name);
    }

    /// <summary>Registers a named store client whose options are bound from configuration; unknown keys are errors.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client name, also the name of its options.</param>
    /// <param name="section">The configuration section, with keys named after the properties of <see cref="StoreHttpOptions"/>.</param>
    /// <returns>The client builder, to add handlers or a typed client.</returns>
    /// <remarks>See <see cref="AddNextCartHttpClient(IServiceCollection, string, Action{StoreHttpOptions})"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHttpClientBuilder AddNextCartHttpClient(this IServiceCollection services, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<StoreHttpOptions>(name).Bind(section, binder => binder.ErrorOnUnknownConfiguration = true);
        return AddCore(services, name);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services, string name)
    {
        // A second call for the same name only adds its configuration step: the handlers are already in place.
        if (services.Any(d => d.ServiceType == typeof(StoreHttpClientRegistration) && Equals(d.ImplementationInstance, new StoreHttpClientRegistration(name))))
        {
            return services.AddHttpClient(name);
        }

        services.AddSingleton(new StoreHttpClientRegistration(name));
        services.AddOptionsWithValidateOnStart<StoreHttpOptions>(name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreHttpOptions>, StoreHttpOptionsDataAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreHttpOptions>, StoreHttpOptionsValidator>());
        services.TryAddSingleton(sp => new StoreThrottleRegistry(sp.GetService<TimeProvider>()));

        IHttpClientBuilder builder = services.AddHttpClient(name);
        builder.ConfigureHttpClient((sp, client) =>
        {
            StoreHttpOptions options = StoreHttpOptionsAccessor.Get(sp.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>(), name);
            client.BaseAddress = WithTrailingSlash(options.BaseAddress!);
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.Clear();
            client.DefaultRequestHeaders.UserAgent.TryParseAdd(options.UserAgent);
        });
        builder.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        builder.RemoveAllLoggers();
        builder.AddHttpMessageHandler(sp => new StoreHttpHandler(
            name,
            sp.GetRequiredService<IOptionsMonitor<StoreHttpOptions>>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger(StoreHttpConstants.LoggerCategory) ?? NullLogger.Instance,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.AddResilienceHandler(StoreHttpConstants.PipelineName, (pipeline, context) => StorePipeline.Configure(pipeline, context, name));
        return builder;
    }

    private sealed record StoreHttpClientRegistration(string Name);

    private static Uri WithTrailingSlash(Uri address)
        => address.AbsolutePath.EndsWith('/') ? address : new Uri(address.GetLeftPart(UriPartial.Path) + "/");
}
