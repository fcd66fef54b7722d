namespace NextCart.Migration;

/// <summary>The troubleshooting category of a failure, as users see it in reports.</summary>
public enum FailureCategory
{
    /// <summary>The store could not be reached or the connection broke (DNS, TLS, timeouts, 5xx after retries).</summary>
    Connection = 0,

    /// <summary>The credentials were refused (HTTP 401).</summary>
    Authentication = 1,

    /// <summary>The credentials lack a permission or scope (HTTP 403, a missing scope, a file that cannot be written).</summary>
    Permission = 2,

    /// <summary>An API limit was hit and retries did not get through (429, Shopify <c>THROTTLED</c>).</summary>
    RateLimit = 3,

    /// <summary>The record's data was rejected (per-record validation errors, a missing required reference, malformed input).</summary>
    Validation = 4,

    /// <summary>The target has no place for the record or feature (reviews on Shopify, grouped products).</summary>
    Unsupported = 5,

    /// <summary>The run is configured wrongly (a bad URL, an unmapped status, invalid options); fix it and resume.</summary>
    Configuration = 6,
}

/// <summary>How a run reacts when a record fails.</summary>
public enum ErrorMode
{
    /// <summary>Record the failure and go on with the rest of the run, up to the optional error budget.</summary>
    ContinueOnRecordFailure = 0,

    /// <summary>Stop the run, in state <see cref="MigrationRunState.Failed"/>, at the first record that fails.</summary>
    StopOnFirstFailure = 1,
}

/// <summary>
/// The root of every operational failure raised by NextCart.Migration and its connectors.
/// Misuse of the API raises the standard CLR exceptions instead.
/// </summary>
public class MigrationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MigrationException"/> class.</summary>
    public MigrationException()
        : this("A migration operation failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MigrationException"/> class.</summary>
    /// <param name="message">The message, which must never contain secrets.</param>
    public MigrationException(string message)
        : this(message, FailureCategory.Connection, isTransient: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MigrationException"/> class.</summary>
    /// <param name="message">The message, which must never contain secrets.</param>
    /// <param name="innerException">The underlying exception.</param>
    public MigrationException(string message, Exception? innerException)
        : this(message, FailureCategory.Connection, isTransient: false, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MigrationException"/> class.</summary>
    /// <param name="message">The message, which must never contain secrets.</param>
    /// <param name="category">The troubleshooting category.</param>
    /// <param name="isTransient">Whether a retry may succeed.</param>
    /// <param name="innerException">The underlying exception.</param>
    public MigrationException(string message, FailureCategory category, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        IsTransient = isTransient;
    }

    /// <summary>Gets the troubleshooting category.</summary>
    public FailureCategory Category { get; }

    /// <summary>Gets a value indicating whether the operation may succeed if retried.</summary>
    public bool IsTransient { get; }

    /// <summary>Gets how long the server asked the client to wait before retrying, when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>Raised when a run is configured wrongly. It lists every problem found, so all can be fixed at once.</summary>
public sealed class MigrationConfigurationException : MigrationException
{
    /// <summary>Initializes a new instance of the <see cref="MigrationConfigurationException"/> class.</summary>
    /// <param name="errors">Every problem found; each says what to fix.</param>
    public MigrationConfigurationException(IReadOnlyList<string> errors)
        : base(BuildMessage(errors), FailureCategory.Configuration, isTransient: false)
        => Errors = errors;

    /// <summary>Initializes a new instance of the <see cref="MigrationConfigurationException"/> class.</summary>
    /// <param name="category">The category: <see cref="FailureCategory.Configuration"/>, <see cref="FailureCategory.Authentication"/> or <see cref="FailureCategory.Permission"/>.</param>
    /// <param name="error">The problem, saying what to fix.</param>
    public MigrationConfigurationException(FailureCategory category, string error)
        : base(error, category, isTransient: false)
        => Errors = [error];

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string BuildMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? errors[0]
            : $"The migration is not configured correctly ({errors.Count} problems):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}";
    }
}

/// <summary>Raised when a run's chargeable Entity Points exceed the plan limit under the <c>Block</c> policy.</summary>
public sealed class PlanLimitExceededException : MigrationException
{
    /// <summary>Initializes a new instance of the <see cref="PlanLimitExceededException"/> class.</summary>
    /// <param name="chargeablePoints">The chargeable points the run needs.</param>
    /// <param name="planLimit">The plan limit per run.</param>
    public PlanLimitExceededException(decimal chargeablePoints, decimal planLimit)
        : base(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"The run needs {chargeablePoints:0.##} chargeable Entity Points but the plan limit is {planLimit:0.##} per run. Raise the plan limit, select fewer entities, or use the MigrateUntilLimit policy."),
            FailureCategory.Configuration,
            isTransient: false)
    {
        ChargeablePoints = chargeablePoints;
        PlanLimit = planLimit;
    }

    /// <summary>Gets the chargeable points the run needs.</summary>
    public decimal ChargeablePoints { get; }

    /// <summary>Gets the plan limit per run.</summary>
    public decimal PlanLimit { get; }
}

/// <summary>Raised by a checkpoint store when a commit is fenced off because the caller no longer holds the run's lease.</summary>
public sealed class LeaseLostException : MigrationException
{
    /// <summary>Initializes a new instance of the <see cref="LeaseLostException"/> class.</summary>
    /// <param name="runId">The run whose lease was lost.</param>
    public LeaseLostException(string runId)
        : base($"The lease on run '{runId}' is held by another worker; this worker stopped writing.", FailureCategory.Configuration, isTransient: false)
        => RunId = runId;

    /// <summary>Gets the run whose lease was lost.</summary>
    public string RunId { get; }
}
