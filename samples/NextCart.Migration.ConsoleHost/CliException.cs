namespace NextCart.Migration.ConsoleHost;

/// <summary>An error the user can fix; the host prints its message on one line and exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException(int exitCode, string message, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    public int ExitCode { get; }

    public static CliException Configuration(string message) => new(ExitCodes.Configuration, message);
}

/// <summary>The process exit codes of <c>nextcart-migrate</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed, or the command succeeded.</summary>
    public const int Success = 0;

    /// <summary>Anything else: a paused, failed or cancelled run, an unknown run or project, an unexpected error.</summary>
    public const int Error = 1;

    /// <summary>The run completed with failed records.</summary>
    public const int CompletedWithErrors = 2;

    /// <summary>The run stopped at the plan limit, or the plan limit blocked it.</summary>
    public const int OverLimit = 3;

    /// <summary>A configuration or authentication error: a bad store spec, a missing secret or file, an unreachable store.</summary>
    public const int Configuration = 4;

    public static int For(MigrationRunState state) => state switch
    {
        MigrationRunState.Completed => Success,
        MigrationRunState.CompletedWithErrors => CompletedWithErrors,
        MigrationRunState.OverLimit => OverLimit,
        _ => Error,
    };
}
