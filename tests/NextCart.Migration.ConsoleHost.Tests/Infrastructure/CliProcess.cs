using System.Collections.Concurrent;
using System.Diagnostics;

namespace NextCart.Migration.ConsoleHost.Tests.Infrastructure;

/// <summary>A real <c>nextcart-migrate</c> child process, started with <c>dotnet nextcart-migrate.dll</c> from the test's output.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process) => _process = process;

    /// <summary>Gets the path of the built host next to the test assembly (the test project references the host project).</summary>
    public static string HostPath { get; } = Path.Combine(AppContext.BaseDirectory, "nextcart-migrate.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    public string Output => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr);

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        ProcessStartInfo info = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(HostPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A clean environment for the host's own variables: only what the test gives.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("NEXTCART_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        Process process = new() { StartInfo = info };
        CliProcess cli = new(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli._stdoutClosed.TrySetResult();
            }
            else
            {
                cli._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli._stderrClosed.TrySetResult();
            }
            else
            {
                cli._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to its end.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        await using CliProcess process = Start(args, environment, workingDirectory);
        int exitCode = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(90));
        return new CliResult(exitCode, process.Stdout, process.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"nextcart-migrate did not exit within {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, bool stderr = false)
    {
        using CancellationTokenSource cts = new(timeout);
        while (true)
        {
            string? line = (stderr ? _stderr : _stdout).FirstOrDefault(predicate);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited && _stdoutClosed.Task.IsCompleted && _stderrClosed.Task.IsCompleted)
            {
                throw new InvalidOperationException($"nextcart-migrate exited ({_process.ExitCode}) before the expected line:\n{Output}");
            }

            try
            {
                await Task.Delay(25, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The expected line did not appear within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Kills the process with SIGKILL: no handler runs, nothing is flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Sends SIGTERM (with the system's <c>kill</c>), as a service manager or a container runtime stopping the process does.</summary>
    public void Terminate()
    {
        if (_process.HasExited)
        {
            return;
        }

        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The kill was sent; the OS reaps the process.
        }

        _process.Dispose();
    }
}

/// <summary>The result of a finished command.</summary>
internal sealed record CliResult(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)
{
    public string Output => string.Join('\n', Stdout) + "\n--- stderr ---\n" + string.Join('\n', Stderr);
}
