using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NextCart.Migration;
using NextCart.Migration.Hosting;
using NextCart.Migration.Hosting.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the NextCart.Migration background worker in a service collection.</summary>
public static class MigrationWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the background worker (a hosted service) that executes queued runs, resumes interrupted ones and pauses its
    /// runs when the host stops, plus <see cref="IMigrationWorkerMonitor"/> for <see cref="MigrationWorkerHealthCheck"/>.
    /// </summary>
    /// <remarks>
    /// The worker needs <c>AddNextCartMigration()</c> (with a store every worker shares, such as PostgreSQL) and an
    /// <see cref="IConnectorResolver"/> registration. The options are validated when the host starts.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the worker options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same service collection so that multiple calls can be chained.</returns>
    public static IServiceCollection AddNextCartMigrationWorker(this IServiceCollection services, Action<MigrationWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<MigrationWorkerOptions> options = services.AddOptions<MigrationWorkerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MigrationWorkerOptions>, MigrationWorkerOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(sp => new MigrationWorker(
            sp.GetRequiredService<MigrationManager>(),
            sp.GetService<IConnectorResolver>() ?? throw new InvalidOperationException(
                "The NextCart.Migration worker needs an IConnectorResolver to rebuild connectors: register one, or use AddNextCartMigrationWorker<TResolver>()."),
            sp.GetRequiredService<IOptions<MigrationWorkerOptions>>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IMigrationWorkerMonitor>(sp => sp.GetRequiredService<MigrationWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<MigrationWorker>());
        return services;
    }

    /// <summary>Registers the background worker, as <see cref="AddNextCartMigrationWorker(IServiceCollection, Action{MigrationWorkerOptions}?)"/>, with a connector resolver.</summary>
    /// <typeparam name="TResolver">The resolver, registered as a singleton.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the worker options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same service collection so that multiple calls can be chained.</returns>
    public static IServiceCollection AddNextCartMigrationWorker<TResolver>(this IServiceCollection services, Action<MigrationWorkerOptions>? configure = null)
        where TResolver : class, IConnectorResolver
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IConnectorResolver, TResolver>();
        return services.AddNextCartMigrationWorker(configure);
    }

    private sealed class MigrationWorkerOptionsValidator : IValidateOptions<MigrationWorkerOptions>
    {
        public ValidateOptionsResult Validate(string? name, MigrationWorkerOptions options)
        {
            IReadOnlyList<string> errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
