namespace NextCart.Migration.Hosting;

/// <summary>The options of the background migration worker registered by <c>AddNextCartMigrationWorker</c>.</summary>
public sealed class MigrationWorkerOptions
{
    /// <summary>The message a run paused by a host shutdown carries (<see cref="Checkpoints.RunRecord.Message"/>).</summary>
    public const string ShutdownPauseMessage = "Paused by a host shutdown after committing its in-flight batches; a worker resumes it.";

    /// <summary>Gets or sets how many runs this worker executes at once.</summary>
    /// <value>The default value is 2.</value>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Gets or sets how often the worker looks for runs to claim when nothing wakes it earlier (a run of its own stopping does).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets a value indicating whether the worker starts <see cref="MigrationRunState.Queued"/> runs.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ExecuteQueuedRuns { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the worker resumes runs left executing by a crashed process (or one that lost its
    /// lease), once their lease has expired.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResumeInterruptedRuns { get; set; } = true;

    /// <summary>Gets or sets which paused runs the worker resumes.</summary>
    /// <value>The default value is <see cref="PausedRunResumption.PausedByShutdown"/>.</value>
    public PausedRunResumption ResumePausedRuns { get; set; } = PausedRunResumption.PausedByShutdown;

    /// <summary>Gets the problems with these options, one message each; empty when they are valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        List<string> errors = [];
        if (MaxConcurrentRuns is < 1 or > 1024)
        {
            errors.Add($"MaxConcurrentRuns {MaxConcurrentRuns} must be between 1 and 1024.");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"PollInterval {PollInterval} must be between 10 milliseconds and 1 hour.");
        }

        if (!Enum.IsDefined(ResumePausedRuns))
        {
            errors.Add($"ResumePausedRuns '{(int)ResumePausedRuns}' is not one of Never, PausedByShutdown or Always.");
        }

        return errors;
    }
}

/// <summary>Which paused runs a worker resumes by itself.</summary>
public enum PausedRunResumption
{
    /// <summary>None: a paused run waits for an explicit resume.</summary>
    Never = 0,

    /// <summary>Only runs a host shutdown paused (their message is <see cref="MigrationWorkerOptions.ShutdownPauseMessage"/>); a user's pause is kept.</summary>
    PausedByShutdown = 1,

    /// <summary>Every paused run.</summary>
    Always = 2,
}
