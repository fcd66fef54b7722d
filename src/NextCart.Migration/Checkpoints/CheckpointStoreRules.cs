namespace NextCart.Migration.Checkpoints;

/// <summary>Checks that every <see cref="ICheckpointStore"/> implementation applies the same way.</summary>
public static class CheckpointStoreRules
{
    /// <summary>
    /// Ensures a project requested again pairs the same source and target providers as the stored one, as
    /// <see cref="ICheckpointStore.EnsureProjectAsync"/> requires.
    /// </summary>
    /// <param name="existing">The stored project.</param>
    /// <param name="requested">The requested project.</param>
    /// <exception cref="MigrationConfigurationException">The providers differ.</exception>
    public static void EnsureSameProviders(ProjectRecord existing, ProjectRecord requested)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(requested);
        if (!string.Equals(existing.SourceProviderId, requested.SourceProviderId, StringComparison.Ordinal)
            || !string.Equals(existing.TargetProviderId, requested.TargetProviderId, StringComparison.Ordinal))
        {
            throw new MigrationConfigurationException(
                FailureCategory.Configuration,
                $"Project '{existing.ProjectId}' pairs '{existing.SourceProviderId}' with '{existing.TargetProviderId}', not '{requested.SourceProviderId}' with '{requested.TargetProviderId}'. Use a new project id for a different pair of stores.");
        }
    }

    /// <summary>
    /// Merges a new stop request into the recorded one, as <see cref="ICheckpointStore.RequestStopAsync"/> requires:
    /// <see cref="RunStopRequest.None"/> clears, and a <see cref="RunStopRequest.Cancel"/> is never downgraded to a pause.
    /// </summary>
    /// <param name="recorded">The recorded request.</param>
    /// <param name="requested">The new request.</param>
    /// <returns>The request to record.</returns>
    public static RunStopRequest MergeStopRequest(RunStopRequest recorded, RunStopRequest requested)
    {
        if (!Enum.IsDefined(requested))
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, "Not a stop request.");
        }

        return requested == RunStopRequest.None ? RunStopRequest.None : (RunStopRequest)Math.Max((int)recorded, (int)requested);
    }
}
