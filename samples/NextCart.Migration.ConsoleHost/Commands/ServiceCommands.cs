using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NextCart.Migration.ConsoleHost.Hosting;
using NextCart.Migration.ConsoleHost.Stores;
using NextCart.Migration.Hosting;
using NextCart.Migration.Sandbox;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Sandbox.WooCommerce;

namespace NextCart.Migration.ConsoleHost.Commands;

/// <summary><c>worker</c> and <c>sandbox</c>: long-lived processes that run until SIGINT or SIGTERM.</summary>
internal static class ServiceCommands
{
    public static Command Worker()
    {
        Option<int> maxRuns = new("--max-runs") { Description = "Runs executed at once.", DefaultValueFactory = _ => 2 };
        Option<double> poll = new("--poll-seconds") { Description = "Seconds between polls of the store.", DefaultValueFactory = _ => 5 };
        Option<string> resumePaused = new("--resume-paused") { Description = "never, shutdown (runs a shutdown paused) or always.", DefaultValueFactory = _ => "shutdown" };
        Option<double> shutdownTimeout = new("--shutdown-timeout") { Description = "Seconds a shutdown waits for in-flight batches to commit.", DefaultValueFactory = _ => 30 };
        Command command = new("worker", "Run queued and interrupted runs from the store until stopped (SIGTERM pauses them cleanly). Several workers may share a PostgreSQL store.")
        {
            maxRuns, poll, resumePaused, shutdownTimeout,
        };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            PausedRunResumption resumption = parse.GetValue(resumePaused)?.ToLowerInvariant() switch
            {
                "never" => PausedRunResumption.Never,
                "shutdown" => PausedRunResumption.PausedByShutdown,
                "always" => PausedRunResumption.Always,
                string other => throw CliException.Configuration($"--resume-paused '{other}' is not one of never, shutdown or always."),
                null => PausedRunResumption.PausedByShutdown,
            };
            double pollSeconds = parse.GetValue(poll);
            double timeout = parse.GetValue(shutdownTimeout);
            if (timeout is <= 0 or > 3600)
            {
                throw CliException.Configuration($"--shutdown-timeout {timeout} must be from 0 to 3600 seconds.");
            }

            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose), LogLevel.Information, builder =>
            {
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(timeout));
                builder.Services.AddNextCartMigrationWorker(o =>
                {
                    o.MaxConcurrentRuns = parse.GetValue(maxRuns);
                    o.PollInterval = pollSeconds is > 0 and < 3600 ? TimeSpan.FromSeconds(pollSeconds) : TimeSpan.Zero;
                    o.ResumePausedRuns = resumption;
                });
            });
            Console.Out.WriteLine($"Worker {app.Manager.OwnerId} started; stop it with Ctrl+C or SIGTERM.");
            await app.Host.RunAsync(cancellationToken);
            Console.Out.WriteLine("Worker stopped.");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Sandbox()
    {
        Option<int> wooPort = new("--woocommerce-port") { Description = "The WooCommerce sandbox's port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 0 };
        Option<int> shopifyPort = new("--shopify-port") { Description = "The Shopify sandbox's port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 0 };
        Option<int> products = new("--products") { Description = "Products to seed the WooCommerce sandbox with (with customers, orders, reviews, coupons, pages and posts in proportion).", DefaultValueFactory = _ => WooCommerceSandboxProvider.DefaultProducts };
        Option<int> shopifyProducts = new("--shopify-products") { Description = "Products to seed the Shopify sandbox with (0, the default: it starts empty, as a target).", DefaultValueFactory = _ => 0 };
        Option<int> seed = new("--seed") { Description = "The seed of the data and of the credentials.", DefaultValueFactory = _ => 42 };
        Option<int> latency = new("--latency-ms") { Description = "Latency added to every request, in both sandboxes.", DefaultValueFactory = _ => 0 };
        Option<double> faultRate = new("--fault-rate") { Description = "The share of requests answered with a server error (0 to 1), in both sandboxes.", DefaultValueFactory = _ => 0 };
        Option<bool> empty = new("--empty") { Description = "Start the WooCommerce sandbox empty (a target) instead of seeded." };
        Command command = new("sandbox", "Run the WooCommerce and Shopify emulators on 127.0.0.1 until stopped, printing their URLs and credentials.")
        {
            wooPort, shopifyPort, products, shopifyProducts, seed, latency, faultRate, empty,
        };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            int port = parse.GetValue(wooPort);
            int shopPort = parse.GetValue(shopifyPort);
            int count = parse.GetValue(products);
            int shopCount = parse.GetValue(shopifyProducts);
            double rate = parse.GetValue(faultRate);
            int latencyMs = parse.GetValue(latency);
            int dataSeed = parse.GetValue(seed);
            if (port is < 0 or > 65535 || shopPort is < 0 or > 65535 || (port != 0 && port == shopPort))
            {
                throw CliException.Configuration("--woocommerce-port and --shopify-port must be 0-65535 and different (0 picks a free port).");
            }

            if (count < 0 || shopCount < 0 || rate is < 0 or > 1 || double.IsNaN(rate) || latencyMs < 0)
            {
                throw CliException.Configuration("--products, --shopify-products and --latency-ms must be at least 0, --fault-rate from 0 to 1.");
            }

            WooCommerceSandboxOptions wooOptions = new() { Port = port, Seed = dataSeed, Faults = Faults() };
            if (parse.GetValue(empty))
            {
                wooOptions.Empty = true;
            }
            else
            {
                wooOptions.Data = WooCommerceSandboxProvider.Data(count, dataSeed);
            }

            // The restore rate of the demo's in-process Shopify sandbox: a standalone one is for trying the connector, not its patience.
            int restoreRate = ShopifySandboxProvider.DefaultRestoreRate;
            ShopifySandboxOptions shopOptions = new() { Port = shopPort, Seed = dataSeed, Faults = Faults(), BucketSize = restoreRate * 20d, RestoreRate = restoreRate };
            if (shopCount > 0)
            {
                shopOptions.Data = WooCommerceSandboxProvider.Data(shopCount, dataSeed);
            }
            else
            {
                shopOptions.Empty = true;
            }

            await using WooCommerceSandbox sandbox = await ListenAsync("WooCommerce", port, () => WooCommerceSandbox.StartAsync(wooOptions, cancellationToken));
            await using ShopifySandbox shop = await ListenAsync("Shopify", shopPort, () => ShopifySandbox.StartAsync(shopOptions, cancellationToken));
            TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stopped.TrySetResult();
            }

            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            string faults = latencyMs > 0 || rate > 0 ? $"; {latencyMs} ms latency, fault rate {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;

            // Sandbox credentials, printed on purpose: they are generated from --seed and open nothing but these emulators.
            Console.Out.WriteLine($"WooCommerce sandbox: {sandbox.BaseAddress} ({(wooOptions.Empty ? "empty" : $"{count} products, seed {dataSeed}")}{faults})");
            Console.Out.WriteLine($"  spec: woocommerce:{sandbox.BaseAddress.ToString().TrimEnd('/')}");
            Console.Out.WriteLine($"  NEXTCART_WOOCOMMERCE_KEY={sandbox.ConsumerKey}");
            Console.Out.WriteLine($"  NEXTCART_WOOCOMMERCE_SECRET={sandbox.ConsumerSecret}");
            Console.Out.WriteLine($"  NEXTCART_WORDPRESS_USER={sandbox.WordPressUserName}");
            Console.Out.WriteLine($"  NEXTCART_WORDPRESS_APP_PASSWORD={sandbox.ApplicationPassword}");
            Console.Out.WriteLine($"Shopify sandbox: {shop.BaseAddress} ({(shopOptions.Empty ? "empty" : $"{shopCount} products, seed {dataSeed}")}; cost bucket {restoreRate * 20}, restoring {restoreRate} points/s{faults})");
            Console.Out.WriteLine($"  spec: shopify:{shop.BaseAddress.ToString().TrimEnd('/')}");
            Console.Out.WriteLine($"  NEXTCART_SHOPIFY_TOKEN={shop.AccessToken}");
            Console.Out.WriteLine("Sandbox ready; stop it with Ctrl+C or SIGTERM.");
            await stopped.Task.WaitAsync(cancellationToken);
            return ExitCodes.Success;

            SandboxFaultOptions Faults() => new() { Latency = TimeSpan.FromMilliseconds(latencyMs), ServerErrorRate = rate, Seed = dataSeed };
        }));
        return command;
    }

    /// <summary>Starts one emulator, turning a port that is taken into one line saying so.</summary>
    private static async Task<T> ListenAsync<T>(string platform, int port, Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (IOException ex)
        {
            throw CliException.Configuration($"The {platform} sandbox cannot listen on 127.0.0.1:{port}: {ex.Message} Choose another port, or 0 for any free one.");
        }
    }
}
