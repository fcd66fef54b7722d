using System.Runtime.InteropServices;
using NextCart.Migration.ConsoleHost.Output;

namespace NextCart.Migration.ConsoleHost.Commands;

/// <summary>Follows a run in the foreground: progress, Ctrl+C or SIGTERM to pause cleanly, then the report and the exit code.</summary>
internal static class Foreground
{
    public static async Task<int> FollowAsync(MigrationOperation operation, string? reportPath, string projectId)
    {
        int signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                // The first signal pauses cleanly; a second one lets the process die (the run resumes from its last checkpoint).
                context.Cancel = true;
                Console.Error.WriteLine("nextcart-migrate: pausing after the in-flight batches commit… (press Ctrl+C again to stop at once)");
                _ = operation.PauseAsync(CancellationToken.None);
            }
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        MigrationReport report = await ProgressView.FollowAsync(operation, CancellationToken.None);
        ReportOutput.PrintReport(report);
        if (reportPath is not null)
        {
            await ReportOutput.WriteJsonAsync(report, reportPath, CancellationToken.None);
        }

        if (report.Status is MigrationRunState.Paused or MigrationRunState.OverLimit or MigrationRunState.Failed)
        {
            Console.Out.WriteLine($"Run {report.RunId} is {report.Status}; continue it with: nextcart-migrate resume --project {projectId}");
        }

        return ExitCodes.For(report.Status);
    }
}
