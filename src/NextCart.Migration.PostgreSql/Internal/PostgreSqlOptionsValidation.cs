using System.Globalization;
using System.Text.RegularExpressions;

namespace NextCart.Migration.PostgreSql.Internal;

/// <summary>Validates <see cref="PostgreSqlCheckpointStoreOptions"/>, reporting every problem together and quoting the values.</summary>
internal static partial class PostgreSqlOptionsValidation
{
    private static readonly TimeSpan MinCommandTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxCommandTimeout = TimeSpan.FromDays(1);

    /// <summary>Throws when the options are invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    public static void ThrowIfInvalid(PostgreSqlCheckpointStoreOptions options)
    {
        List<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new MigrationConfigurationException(errors);
        }
    }

    public static List<string> Validate(PostgreSqlCheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        if (string.IsNullOrEmpty(options.SchemaName))
        {
            errors.Add("PostgreSqlCheckpointStoreOptions: SchemaName is required.");
        }
        else if (!SchemaName().IsMatch(options.SchemaName))
        {
            errors.Add($"PostgreSqlCheckpointStoreOptions: SchemaName '{options.SchemaName}' is not a plain identifier; use a letter or underscore, then letters, digits or underscores, at most 63 characters.");
        }
        else if (options.SchemaName.StartsWith("pg_", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"PostgreSqlCheckpointStoreOptions: SchemaName '{options.SchemaName}' starts with 'pg_', which PostgreSQL reserves for system schemas.");
        }

        if (options.CommandTimeout < MinCommandTimeout || options.CommandTimeout > MaxCommandTimeout)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSqlCheckpointStoreOptions: CommandTimeout is {options.CommandTimeout}; it must be between {MinCommandTimeout} and {MaxCommandTimeout}."));
        }

        if (!Enum.IsDefined(options.CommitDurability))
        {
            errors.Add($"PostgreSqlCheckpointStoreOptions: CommitDurability is '{options.CommitDurability}'; it must be {nameof(PostgreSqlCommitDurability.Asynchronous)} or {nameof(PostgreSqlCommitDurability.Synchronous)}.");
        }

        if (options.MaxLookupParallelism is < 1 or > PostgreSqlConstants.MaxLookupParallelism)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSqlCheckpointStoreOptions: MaxLookupParallelism is {options.MaxLookupParallelism}; it must be between 1 and {PostgreSqlConstants.MaxLookupParallelism}."));
        }

        return errors;
    }

    [GeneratedRegex(PostgreSqlConstants.SchemaNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
