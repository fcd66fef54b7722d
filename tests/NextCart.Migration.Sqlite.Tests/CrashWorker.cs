using System.Diagnostics;
using System.Reflection;

namespace NextCart.Migration.Sqlite.Tests;

/// <summary>The crash worker (tests/NextCart.Migration.Sqlite.CrashWorker) as a real child process that a test can kill.</summary>
internal sealed class CrashWorker : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private CrashWorker(Process process) => _process = process;

    public static CrashWorker Start(string mode, string databasePath, string projectId, string runId, int batchSize)
    {
        string worker = typeof(CrashWorker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashWorkerPath").Value!;
        Assert.True(File.Exists(worker), $"The crash worker was not built at {worker}.");
        ProcessStartInfo start = new(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["exec", worker, mode, databasePath, projectId, runId, batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return new CrashWorker(Process.Start(start) ?? throw new InvalidOperationException("The crash worker did not start."));
    }

    public async Task<string> ReadLineAsync()
    {
        using CancellationTokenSource timeout = new(LineTimeout);
        string? line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            string error = await _process.StandardError.ReadToEndAsync(timeout.Token);
            throw new InvalidOperationException($"The crash worker exited early: {error}");
        }

        return line;
    }

    /// <summary>Kills the process with SIGKILL (no finally blocks, no disposal, no flush) and waits until it is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "The crash worker did not die.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
