using System.CommandLine;
using NextCart.Migration.ConsoleHost;
using NextCart.Migration.ConsoleHost.Commands;

// nextcart-migrate: System.CommandLine 2.0 parses (RootCommand, Option<T>, SetAction, ParseResult.InvokeAsync); each action
// builds a generic host for the store, the manager and the worker. Exit codes are documented in ExitCodes.
RootCommand root = new("nextcart-migrate: estimate, run, watch, pause, resume and cancel store migrations. With no command, runs the sandbox demo.");
root.Options.Add(CommonOptions.Verbose);
root.Options.Add(CommonOptions.Store);
RunCommands.ConfigureDemo(root);
root.Subcommands.Add(RunCommands.Estimate());
root.Subcommands.Add(RunCommands.Run());
root.Subcommands.Add(ManageCommands.Status());
root.Subcommands.Add(ManageCommands.Resume());
root.Subcommands.Add(ManageCommands.Pause());
root.Subcommands.Add(ManageCommands.Cancel());
root.Subcommands.Add(ServiceCommands.Worker());
root.Subcommands.Add(ServiceCommands.Sandbox());

if (Console.IsOutputRedirected)
{
    // Plain output for logs and pipes: no wrapping of report lines at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line saying what to fix (a missing or unknown option), never the whole help.
    Console.Error.WriteLine($"nextcart-migrate: {parse.Errors[0].Message} See nextcart-migrate --help.");
    return ExitCodes.Configuration;
}

// The commands handle SIGINT and SIGTERM themselves (a clean pause), so System.CommandLine's termination handling is off.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
