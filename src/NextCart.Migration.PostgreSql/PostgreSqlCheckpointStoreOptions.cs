using System.ComponentModel.DataAnnotations;

namespace NextCart.Migration.PostgreSql;

/// <summary>Options of the PostgreSQL checkpoint store.</summary>
/// <remarks>
/// The options are validated when the store is created (or registered), with every problem reported together in one
/// <see cref="MigrationConfigurationException"/>.
/// </remarks>
public sealed class PostgreSqlCheckpointStoreOptions
{
    /// <summary>
    /// Gets or sets the database schema that holds the store's tables. It is created, and migrated to the current version,
    /// when the store is first used. Stores that share a schema share projects, the ID map and leases.
    /// </summary>
    /// <value>The default value is <c>nextcart</c>.</value>
    /// <remarks>
    /// A plain identifier: a letter or underscore, then letters, digits or underscores, at most 63 characters, not
    /// starting with <c>pg_</c>. It is always quoted, so its case is kept.
    /// </remarks>
    [Required]
    [RegularExpression(PostgreSqlConstants.SchemaNamePattern)]
    public string SchemaName { get; set; } = PostgreSqlConstants.DefaultSchemaName;

    /// <summary>Gets or sets how long one command may run before it is cancelled. It is rounded up to whole seconds.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CommandTimeout { get; set; } = PostgreSqlConstants.DefaultCommandTimeout;

    /// <summary>Gets or sets whether a batch commit waits for the server to flush it to disk.</summary>
    /// <value>
    /// The default value is <see cref="PostgreSqlCommitDurability.Asynchronous"/>: acknowledged commits survive a crash of
    /// the worker, and the last commits lost to a crash of the server are reconciled from their flushed write intents.
    /// </value>
    [EnumDataType(typeof(PostgreSqlCommitDurability))]
    public PostgreSqlCommitDurability CommitDurability { get; set; } = PostgreSqlCommitDurability.Asynchronous;

    /// <summary>
    /// Gets or sets how many connections one bulk ID-map lookup may use at the same time. A lookup of many ids is split
    /// into contiguous parts of its sorted ids, at least 256 ids each, whose queries run in parallel on the server; 1 runs
    /// every lookup on one connection.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Parts shorten a lookup only when the server has idle cores for them, which the worker cannot see, so the default
    /// is one connection. Measured on a 2-core VM whose server shared the worker's cores (benchmarks/README.md), a lookup
    /// of 1,000 random ids in an ID map of 1,000,000 rows took as long in two parts as on one connection (6.8 and 6.9 ms;
    /// 4.9 and 4.4 ms with <c>shared_buffers</c> large enough to hold the map). Raise it for a server with cores to spare.
    /// </para>
    /// <para>
    /// Each part's query reads its own snapshot, as the statements of one lookup always did. The connections come from
    /// the data source's pool.
    /// </para>
    /// </remarks>
    /// <value>The default value is 1. It must be between 1 and 64.</value>
    [Range(1, PostgreSqlConstants.MaxLookupParallelism)]
    public int MaxLookupParallelism { get; set; } = PostgreSqlConstants.DefaultLookupParallelism;
}

/// <summary>The defaults and limits of <see cref="PostgreSqlCheckpointStoreOptions"/>.</summary>
internal static class PostgreSqlConstants
{
    public const string DefaultSchemaName = "nextcart";

    public const string SchemaNamePattern = @"^[A-Za-z_][A-Za-z0-9_]{0,62}\z";

    public const int MaxLookupParallelism = Stores.LookupParts.MaxParallelism;

    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    public const int DefaultLookupParallelism = 1;
}
