using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using NextCart.Migration.Model;

namespace NextCart.Migration.ConsoleHost.Commands;

/// <summary>Options shared by several commands, and the parsing of their values.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show details (log lines, exception traces) on stderr.", Recursive = true };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The checkpoint store: sqlite:PATH (default sqlite:./.nextcart/nextcart.db, or NEXTCART_STORE) or postgres:CONNSTRING (postgres: alone reads NEXTCART_POSTGRES_CONNECTION).",
        Recursive = true,
    };

    public static Option<string?> Entities() => new("--entities") { Description = "Comma-separated entity types (products,customers,orders,categories,reviews,coupons,pages,blogPosts,redirects,taxes,manufacturers); default: all." };

    public static Option<string> Mode(string defaultMode) => new("--mode") { Description = "demo, full, recent, smart-update or remigration.", DefaultValueFactory = _ => defaultMode };

    public static Option<decimal?> PlanLimit() => new("--plan-limit") { Description = "The plan limit in Entity Points for this run." };

    public static Option<string?> Report() => new("--report") { Description = "Write the report as JSON to FILE." };

    /// <summary>Runs an action and turns every user-caused error into one line on stderr and its exit code.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> action) => async (parse, cancellationToken) =>
    {
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return await action(parse, cancellationToken);
        }
        catch (CliException ex)
        {
            return Fail(ex.Message, ex, verbose, ex.ExitCode);
        }
        catch (PlanLimitExceededException ex)
        {
            return Fail(ex.Message + " Raise --plan-limit, or use --limit-policy until-limit.", ex, verbose, ExitCodes.OverLimit);
        }
        catch (MigrationConfigurationException ex)
        {
            return Fail(ex.Errors.Count > 0 ? string.Join(" ", ex.Errors) : ex.Message, ex, verbose, ExitCodes.Configuration);
        }
        catch (OptionsValidationException ex)
        {
            return Fail(string.Join(" ", ex.Failures), ex, verbose, ExitCodes.Configuration);
        }
        catch (HttpRequestException ex)
        {
            return Fail($"A store could not be reached: {ex.Message} Check the URL and that the store is running.", ex, verbose, ExitCodes.Configuration);
        }
        catch (OperationCanceledException ex)
        {
            return Fail("Stopped.", ex, verbose, ExitCodes.Error);
        }
        catch (Exception ex)
        {
            // Not a user error: still one line, with the details behind --verbose.
            return Fail($"Unexpected error ({ex.GetType().Name}): {ex.Message} Run again with --verbose for details.", ex, verbose, ExitCodes.Error);
        }
    };

    public static int Fail(string message, Exception? exception, bool verbose, int exitCode)
    {
        Console.Error.WriteLine($"nextcart-migrate: {message.ReplaceLineEndings(" ")}");
        if (verbose && exception is not null)
        {
            Console.Error.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    public static ISet<EntityType> ParseEntities(string? text)
    {
        HashSet<EntityType> types = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return types;
        }

        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string normalized = part.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
            if (int.TryParse(normalized, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || !EntityTypes.TryParse(normalized, out EntityType type))
            {
                throw CliException.Configuration($"--entities: '{part}' is not an entity type; use {string.Join(",", EntityTypes.All.Select(t => t.ToCamelCase()))}.");
            }

            types.Add(type);
        }

        return types;
    }

    public static MigrationMode ParseMode(string? text) => (text ?? "full").Trim().ToLowerInvariant() switch
    {
        "demo" => MigrationMode.Demo,
        "full" => MigrationMode.Full,
        "recent" => MigrationMode.Recent,
        "smart-update" or "smartupdate" => MigrationMode.SmartUpdate,
        "remigration" => MigrationMode.Remigration,
        _ => throw CliException.Configuration($"--mode '{text}' is not a mode; use demo, full, recent, smart-update or remigration."),
    };

    public static LimitPolicy ParsePolicy(string? text) => (text ?? "block").Trim().ToLowerInvariant() switch
    {
        "block" => LimitPolicy.Block,
        "until-limit" => LimitPolicy.MigrateUntilLimit,
        _ => throw CliException.Configuration($"--limit-policy '{text}' is not a policy; use block or until-limit."),
    };
}
