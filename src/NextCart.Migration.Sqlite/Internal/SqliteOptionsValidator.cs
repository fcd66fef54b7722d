using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>Validates <see cref="SqliteCheckpointStoreOptions"/>, reporting every problem together and quoting the offending values.</summary>
internal static class SqliteOptionsValidator
{
    /// <summary>Validates the options and builds the connection string the store opens its connections with.</summary>
    /// <exception cref="MigrationConfigurationException">The options are invalid; every problem is listed.</exception>
    public static SqliteConnectionStringBuilder Validate(SqliteCheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        SqliteConnectionStringBuilder? builder = ValidateConnectionString(options.ConnectionString, errors);

        if (options.BusyTimeout < SqliteCheckpointStoreConstants.MinBusyTimeout || options.BusyTimeout > SqliteCheckpointStoreConstants.MaxBusyTimeout)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"BusyTimeout is '{options.BusyTimeout}'; it must be between {SqliteCheckpointStoreConstants.MinBusyTimeoutText} and {SqliteCheckpointStoreConstants.MaxBusyTimeoutText}."));
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            errors.Add($"Synchronous is '{options.Synchronous}'; it must be {nameof(SqliteSynchronousMode.Normal)} or {nameof(SqliteSynchronousMode.Full)}.");
        }

        if (options.MemoryMapSize < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MemoryMapSize is {options.MemoryMapSize}; it must not be negative (0 turns memory-mapped reads off)."));
        }

        if (options.MaxPooledConnections is < SqliteCheckpointStoreConstants.MinPooledConnections or > SqliteCheckpointStoreConstants.MaxPooledConnections)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxPooledConnections is {options.MaxPooledConnections}; it must be between {SqliteCheckpointStoreConstants.MinPooledConnections} and {SqliteCheckpointStoreConstants.MaxPooledConnections}."));
        }

        if (options.MaxLookupParallelism is < 1 or > SqliteCheckpointStoreConstants.MaxLookupParallelism)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxLookupParallelism is {options.MaxLookupParallelism}; it must be between 1 and {SqliteCheckpointStoreConstants.MaxLookupParallelism}."));
        }

        if (errors.Count > 0 || builder is null)
        {
            throw new MigrationConfigurationException([.. errors.Select(e => "SqliteCheckpointStoreOptions: " + e)]);
        }

        // The store pools its own connections (with their prepared statements) and sets its pragmas on each one.
        builder.Pooling = false;
        builder.ForeignKeys = null;
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        return builder;
    }

    private static SqliteConnectionStringBuilder? ValidateConnectionString(string? connectionString, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add("ConnectionString is required; name the database file, for example \"Data Source=nextcart.db\".");
            return null;
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The message names the bad keyword or value; the connection string itself is not quoted (it may hold a password).
            errors.Add($"ConnectionString is not a valid SQLite connection string: {ex.Message}");
            return null;
        }

        string dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            errors.Add("ConnectionString has no Data Source; name the database file, for example \"Data Source=nextcart.db\".");
            return null;
        }

        if (builder.Mode == SqliteOpenMode.Memory || string.Equals(dataSource.Trim(), ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"ConnectionString names an in-memory database ('{dataSource}', Mode={builder.Mode}); the SQLite store needs a file. Use CheckpointStore.CreateInMemory() for a store that lives in memory.");
            return null;
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            errors.Add($"ConnectionString opens '{dataSource}' read-only (Mode=ReadOnly); the store writes to it. Use Mode=ReadWriteCreate (the default) or Mode=ReadWrite.");
            return null;
        }

        return builder;
    }
}
