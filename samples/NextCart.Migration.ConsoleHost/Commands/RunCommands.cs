using System.CommandLine;
using System.Text;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.ConsoleHost.Hosting;
using NextCart.Migration.ConsoleHost.Output;
using NextCart.Migration.ConsoleHost.Stores;
using NextCart.Migration.Connectors;
using NextCart.Migration.Hosting;
using NextCart.Migration.Model;

namespace NextCart.Migration.ConsoleHost.Commands;

/// <summary><c>run</c>, <c>estimate</c> and the no-argument sandbox demo.</summary>
internal static class RunCommands
{
    public static Command Run()
    {
        Option<string> source = new("--source") { Description = "The source store spec.", Required = true };
        Option<string> target = new("--target") { Description = "The target store spec.", Required = true };
        Option<string?> project = new("--project") { Description = "The project name (it owns the ID map); default: derived from the two specs." };
        Option<string> mode = CommonOptions.Mode("full");
        Option<string?> entities = CommonOptions.Entities();
        Option<decimal?> planLimit = CommonOptions.PlanLimit();
        Option<string> policy = new("--limit-policy") { Description = "block (refuse a run over the limit) or until-limit (migrate up to it).", DefaultValueFactory = _ => "block" };
        Option<string?> report = CommonOptions.Report();
        Option<bool> background = new("--background") { Description = "Queue the run for a worker (nextcart-migrate worker) and print its id." };
        Option<string?> orderStatus = new("--default-order-status") { Description = "The canonical order status for source statuses without a mapping (pending, processing, completed…)." };
        Option<string> customerGroup = new("--default-customer-group") { Description = "The canonical customer group for unmapped source groups.", DefaultValueFactory = _ => CustomerGroups.General };
        Option<int?> batchSize = new("--batch-size") { Description = "A cap on records per write batch, below the target's limit." };
        Command command = new("run", "Run a migration from --source to --target, with live progress (Ctrl+C pauses cleanly).")
        {
            source, target, project, mode, entities, planLimit, policy, report, background, orderStatus, customerGroup, batchSize,
        };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            MigrationOptions options = new()
            {
                Mode = CommonOptions.ParseMode(parse.GetValue(mode)),
                Entities = CommonOptions.ParseEntities(parse.GetValue(entities)),
                PlanLimit = parse.GetValue(planLimit),
                LimitPolicy = CommonOptions.ParsePolicy(parse.GetValue(policy)),
                DefaultOrderStatus = parse.GetValue(orderStatus),
                DefaultCustomerGroup = parse.GetValue(customerGroup),
                MaxBatchSize = parse.GetValue(batchSize),
            };
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            (_, StoreSpec sourceSpec, string sourceText) = app.Registry.Resolve(parse.GetValue(source), "--source", StoreRole.Source);
            (_, StoreSpec targetSpec, string targetText) = app.Registry.Resolve(parse.GetValue(target), "--target", StoreRole.Target);
            string projectId = parse.GetValue(project) ?? DeriveProjectId(sourceText, targetText);
            await CheckProjectAsync(app.Store, projectId, sourceText, targetText, cancellationToken);
            SpecConnectorResolver resolver = new(app.Registry, app.LoggerFactory, CliApp.Environment);
            bool queue = parse.GetValue(background);
            if (queue && (sourceSpec.Scheme.StartsWith("sandbox:", StringComparison.Ordinal) || targetSpec.Scheme.StartsWith("sandbox:", StringComparison.Ordinal)))
            {
                throw CliException.Configuration("--background cannot use sandbox: stores, which live only in this process; start `nextcart-migrate sandbox` and use woocommerce:http://127.0.0.1:PORT.");
            }

            await using ResolvedConnectors connectors = await resolver.BuildAsync(sourceText, targetText, isRebuild: false, Console.Out.WriteLine, cancellationToken);
            MigrationProject migrationProject = new(projectId, connectors.Source, connectors.Target) { Settings = Settings(sourceText, targetText) };
            if (queue)
            {
                string runId = await app.Manager.QueueAsync(migrationProject, options, cancellationToken);
                Console.Out.WriteLine(runId);
                return ExitCodes.Success;
            }

            MigrationOperation operation = await app.Manager.StartAsync(migrationProject, options, cancellationToken);
            Console.Out.WriteLine($"Run {operation.RunId} of project {projectId} started ({options.Mode}).");
            return await Foreground.FollowAsync(operation, parse.GetValue(report), projectId);
        }));
        return command;
    }

    public static Command Estimate()
    {
        Option<string> source = new("--source") { Description = "The source store spec.", Required = true };
        Option<string?> project = new("--project") { Description = "A project whose ID map makes already-migrated records free." };
        Option<string> mode = CommonOptions.Mode("full");
        Option<string?> entities = CommonOptions.Entities();
        Option<decimal?> planLimit = CommonOptions.PlanLimit();
        Command command = new("estimate", "Count the source and estimate the run's Entity Points, without writing anything.") { source, project, mode, entities, planLimit };
        command.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            MigrationOptions options = new()
            {
                Mode = CommonOptions.ParseMode(parse.GetValue(mode)),
                Entities = CommonOptions.ParseEntities(parse.GetValue(entities)),
                PlanLimit = parse.GetValue(planLimit),
            };
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            (IConnectorProvider provider, StoreSpec spec, string sourceText) = app.Registry.Resolve(parse.GetValue(source), "--source", StoreRole.Source);
            BuiltConnector<ISourceConnector> built = await provider.CreateSourceAsync(spec, app.Context(StoreRole.Source, false, Console.Out.WriteLine), cancellationToken);
            try
            {
                ConnectorCheck check = await built.Connector.CheckAsync(cancellationToken);
                if (!check.Succeeded)
                {
                    throw CliException.Configuration($"The source {sourceText} failed its check: {check.Message}");
                }

                MigrationProject estimateProject = new(parse.GetValue(project) ?? "estimate", built.Connector, new NoTarget());
                MigrationEstimate estimate = await app.Manager.EstimateAsync(estimateProject, options, cancellationToken);
                ReportOutput.PrintEstimate(estimate);
                return estimate.FitsPlan ? ExitCodes.Success : ExitCodes.OverLimit;
            }
            finally
            {
                if (built.Owner is not null)
                {
                    await built.Owner.DisposeAsync();
                }
            }
        }));
        return command;
    }

    /// <summary>The sandbox demo: a seeded WooCommerce sandbox migrated into a second, empty one, with live progress.</summary>
    /// <summary>The demo's target: an empty Shopify sandbox that keeps reviews as product metafields (Shopify has no review API).</summary>
    private const string DemoTarget = "sandbox:shopify?reviews=metafields";

    public static void ConfigureDemo(RootCommand root)
    {
        Option<int> products = new("--products") { Description = "Products in the demo's source sandbox.", DefaultValueFactory = _ => WooCommerceSandboxProvider.DefaultProducts };
        Option<string?> report = CommonOptions.Report();
        root.Options.Add(products);
        root.Options.Add(report);
        root.SetAction(CommonOptions.Guard(async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(products);
            if (count is < 1 or > 100_000)
            {
                throw CliException.Configuration($"--products {count} must be from 1 to 100000.");
            }

            Console.Out.WriteLine("nextcart-migrate sandbox demo: a seeded WooCommerce sandbox migrated in full into an empty Shopify sandbox.");
            Console.Out.WriteLine("Tax rates are left out (Shopify computes taxes from its own settings); reviews are kept as product metafields.");
            await using CliApp app = CliApp.Create(parse.GetValue(CommonOptions.Store), parse.GetValue(CommonOptions.Verbose));
            SpecConnectorResolver resolver = new(app.Registry, app.LoggerFactory, CliApp.Environment);
            string sourceText = $"sandbox:woocommerce?products={count}&seed=42";
            await using ResolvedConnectors connectors = await resolver.BuildAsync(sourceText, DemoTarget, isRebuild: false, Console.Out.WriteLine, cancellationToken);

            // A new project each time: the sandboxes are new, so an earlier demo's ID map does not apply to them.
            string projectId = "demo-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            MigrationProject project = new(projectId, connectors.Source, connectors.Target) { Settings = Settings(sourceText, DemoTarget) };
            MigrationOptions options = new()
            {
                Mode = MigrationMode.Full,
                // Shopify keeps no tax rates over the Admin API (it computes taxes from its own settings), so the demo leaves them out.
                Entities = new HashSet<EntityType>(EntityTypes.All.Where(t => t is not (EntityType.Manufacturers or EntityType.Taxes))),
                DefaultOrderStatus = OrderStatuses.Pending,
                DefaultCustomerGroup = CustomerGroups.General,
            };
            ReportOutput.PrintEstimate(await app.Manager.EstimateAsync(project, options, cancellationToken));
            MigrationOperation operation = await app.Manager.StartAsync(project, options, cancellationToken);
            Console.Out.WriteLine($"Run {operation.RunId} of project {projectId} started (Full); store {Path.GetFullPath(".nextcart/nextcart.db")} unless --store says otherwise.");
            return await Foreground.FollowAsync(operation, parse.GetValue(report), projectId);
        }));
    }

    public static Dictionary<string, string> Settings(string source, string target)
        => new(StringComparer.Ordinal) { [SpecConnectorResolver.SourceSetting] = source, [SpecConnectorResolver.TargetSetting] = target };

    /// <summary>A readable, stable project id from the two specs, such as <c>woocommerce-shop.example--woocommerce-127.0.0.1-8081</c>.</summary>
    public static string DeriveProjectId(string source, string target) => Slug(source) + "--" + Slug(target);

    private static string Slug(string spec)
    {
        StringBuilder builder = new();
        foreach (char c in spec.Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? char.ToLowerInvariant(c) : '-');
        }

        string slug = builder.ToString().Trim('-');
        return slug.Length > 60 ? slug[..60] : slug;
    }

    private static async Task CheckProjectAsync(ICheckpointStore store, string projectId, string source, string target, CancellationToken cancellationToken)
    {
        ProjectRecord? existing = await store.GetProjectAsync(projectId, cancellationToken);
        if (existing is null)
        {
            return;
        }

        string? storedSource = existing.Settings.GetValueOrDefault(SpecConnectorResolver.SourceSetting);
        string? storedTarget = existing.Settings.GetValueOrDefault(SpecConnectorResolver.TargetSetting);
        if (storedSource != source || storedTarget != target)
        {
            throw CliException.Configuration($"Project '{projectId}' pairs {storedSource ?? "?"} with {storedTarget ?? "?"}, not {source} with {target}; choose another --project.");
        }
    }

    /// <summary>The target of an estimate: an estimate never writes, so every call but the limits is refused.</summary>
    private sealed class NoTarget : ITargetConnector
    {
        public string ProviderId => "none";

        public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => throw Refused();

        public TargetLimits GetLimits(EntityType type) => new();

        public ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default) => throw Refused();

        public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default) => throw Refused();

        private static InvalidOperationException Refused() => new("An estimate does not use a target.");
    }
}
