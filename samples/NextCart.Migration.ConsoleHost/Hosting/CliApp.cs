using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.ConsoleHost.Stores;
using NextCart.Migration.Hosting;

namespace NextCart.Migration.ConsoleHost.Hosting;

/// <summary>The generic host of one command: logging, the checkpoint store, the migration manager and the connector resolver.</summary>
internal sealed class CliApp : IAsyncDisposable
{
    public const string DefaultStore = "sqlite:./.nextcart/nextcart.db";

    private CliApp(IHost host, ConnectorRegistry registry, bool verbose)
    {
        Host = host;
        Registry = registry;
        Verbose = verbose;
        Manager = host.Services.GetRequiredService<MigrationManager>();
        LoggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
    }

    public IHost Host { get; }

    public MigrationManager Manager { get; }

    public ICheckpointStore Store => Manager.Store;

    public ConnectorRegistry Registry { get; }

    public ILoggerFactory LoggerFactory { get; }

    public bool Verbose { get; }

    public static Func<string, string?> Environment { get; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Builds the host. <paramref name="configure"/> adds command-specific services (the worker).</summary>
    public static CliApp Create(string? storeSpec, bool verbose, LogLevel? logLevel = null, Action<HostApplicationBuilder>? configure = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "nextcart-migrate" });
        LogLevel level = logLevel ?? (verbose ? LogLevel.Information : LogLevel.None);
        builder.Logging.SetMinimumLevel(level);
        if (level != LogLevel.None)
        {
            // Logs go to stderr, so stdout carries only progress, tables and run ids.
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        IMigrationBuilder migration = builder.Services.AddNextCartMigration(o =>
        {
            if (ReadSeconds("NEXTCART_LEASE_SECONDS") is { } lease)
            {
                o.LeaseDuration = lease;
            }
        });
        UseStore(migration, storeSpec ?? Environment("NEXTCART_STORE") ?? DefaultStore);
        ConnectorRegistry registry = ConnectorRegistry.CreateDefault();
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IConnectorResolver>(sp => new SpecConnectorResolver(registry, sp.GetRequiredService<ILoggerFactory>(), Environment));
        configure?.Invoke(builder);
        return new CliApp(builder.Build(), registry, verbose);
    }

    public static TimeSpan? ReadSeconds(string variable)
    {
        string? text = Environment(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw CliException.Configuration($"{variable}='{text}' must be a positive number of seconds.");
    }

    public ConnectorContext Context(StoreRole role, bool isRebuild, Action<string> notify)
        => new(role, Environment, LoggerFactory, isRebuild, notify);

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }

    private static void UseStore(IMigrationBuilder migration, string spec)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? spec : spec[..colon];
        string value = colon < 0 ? string.Empty : spec[(colon + 1)..];
        switch (kind.ToLowerInvariant())
        {
            case "sqlite":
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw CliException.Configuration("--store sqlite: needs a file path, such as sqlite:./.nextcart/nextcart.db.");
                }

                string path = Path.GetFullPath(value);
                string? directory = Path.GetDirectoryName(path);
                if (directory is not null)
                {
                    try
                    {
                        Directory.CreateDirectory(directory);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw CliException.Configuration($"--store: cannot create the directory {directory} for the SQLite store: {ex.Message}");
                    }
                }

                migration.UseSqliteStore($"Data Source={path}");
                break;

            case "postgres" or "postgresql":
                string connection = string.IsNullOrWhiteSpace(value) ? Environment("NEXTCART_POSTGRES_CONNECTION") ?? string.Empty : value;
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw CliException.Configuration("--store postgres: needs a connection string: give postgres:CONNSTRING, or postgres: with NEXTCART_POSTGRES_CONNECTION set.");
                }

                string? schema = Environment("NEXTCART_POSTGRES_SCHEMA");
                migration.UsePostgreSqlStore(connection, o =>
                {
                    if (!string.IsNullOrWhiteSpace(schema))
                    {
                        o.SchemaName = schema;
                    }
                });
                break;

            default:
                throw CliException.Configuration($"--store '{(kind.Length > 20 ? kind[..20] : kind)}…' is not a store; use sqlite:PATH or postgres:CONNSTRING.");
        }
    }
}
