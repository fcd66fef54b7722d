namespace NextCart.Migration.Hosting;

/// <summary>The public event ids of the logs of NextCart.Migration.Hosting, in the hosting range (5000–5999).</summary>
public static class HostingEventId
{
    /// <summary>The worker started polling the store. Logged at <c>Information</c>.</summary>
    public const int WorkerStarted = 5000;

    /// <summary>The worker claimed a run's lease and started or resumed it. Logged at <c>Information</c>.</summary>
    public const int RunClaimed = 5001;

    /// <summary>A run the worker executed stopped (completed, failed, paused, cancelled or over the limit). Logged at <c>Information</c>.</summary>
    public const int RunStopped = 5002;

    /// <summary>The worker claimed a run but could not start it; the run records why. Logged at <c>Warning</c>.</summary>
    public const int RunNotStarted = 5003;

    /// <summary>A poll of the store failed; the worker tries again at the next poll. Logged at <c>Warning</c>.</summary>
    public const int PollFailed = 5004;

    /// <summary>The host is stopping: the worker pauses its runs. Logged at <c>Information</c>.</summary>
    public const int ShutdownPausing = 5005;

    /// <summary>The shutdown timeout elapsed before a run paused; it resumes from its checkpoint once its lease expires. Logged at <c>Warning</c>.</summary>
    public const int ShutdownTimedOut = 5006;

    /// <summary>The worker stopped. Logged at <c>Information</c>.</summary>
    public const int WorkerStopped = 5007;
}
