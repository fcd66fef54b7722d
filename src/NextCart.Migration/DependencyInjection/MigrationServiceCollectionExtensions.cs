using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NextCart.Migration;
using NextCart.Migration.Checkpoints;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers NextCart.Migration in a service collection.</summary>
public static class MigrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="MigrationManager"/> singleton and, unless another store is registered, the in-memory
    /// checkpoint store. The manager's options are validated when it is first resolved, with every problem reported together.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the engine options, or <see langword="null"/>.</param>
    /// <returns>A builder to add a store and connectors.</returns>
    public static IMigrationBuilder AddNextCartMigration(this IServiceCollection services, Action<MigrationManagerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        MigrationBuilder builder = new(services);
        if (configure is not null)
        {
            builder.Configure((options, _) => configure(options));
        }

        services.TryAddSingleton(sp => CheckpointStore.CreateInMemory());
        services.TryAddSingleton(sp =>
        {
            MigrationManagerOptions options = new();
            foreach (MigrationConfigureAction action in sp.GetServices<MigrationConfigureAction>())
            {
                action.Configure(options, sp);
            }

            return new MigrationManager(
                sp.GetRequiredService<ICheckpointStore>(),
                options,
                sp.GetService<ILoggerFactory>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<IMeterFactory>());
        });
        return builder;
    }

    /// <summary>Adds a configuration step for the engine options that can use services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The step.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    public static IMigrationBuilder Configure(this IMigrationBuilder builder, Action<MigrationManagerOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new MigrationConfigureAction(configure));
        return builder;
    }

    /// <summary>Replaces the checkpoint store with one built from services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The same builder instance so that multiple calls can be chained.</returns>
    public static IMigrationBuilder UseCheckpointStore(this IMigrationBuilder builder, Func<IServiceProvider, ICheckpointStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<ICheckpointStore>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    private sealed record MigrationBuilder(IServiceCollection Services) : IMigrationBuilder;
}

/// <summary>A builder returned by <see cref="MigrationServiceCollectionExtensions.AddNextCartMigration"/> to add stores and connectors.</summary>
public interface IMigrationBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }
}

/// <summary>A registered configuration step of <see cref="MigrationManagerOptions"/>.</summary>
internal sealed class MigrationConfigureAction
{
    private readonly Action<MigrationManagerOptions, IServiceProvider> _configure;

    public MigrationConfigureAction(Action<MigrationManagerOptions, IServiceProvider> configure) => _configure = configure;

    public void Configure(MigrationManagerOptions options, IServiceProvider services) => _configure(options, services);
}
