using System.Collections.Frozen;
using NextCart.Migration.Model;

namespace NextCart.Migration.Connectors;

/// <summary>Reads canonical records from a source store.</summary>
/// <remarks>
/// Implementations must return records of a type in a stable order (for example ascending id), so that a resume token
/// taken after a page always resumes at the same place.
/// </remarks>
public interface ISourceConnector
{
    /// <summary>Gets the stable provider id, such as <c>woocommerce</c>, stored in the project so a resumed run finds its connector again.</summary>
    string ProviderId { get; }

    /// <summary>Checks credentials, permissions and capabilities.</summary>
    /// <param name="cancellationToken">The token to cancel the check.</param>
    /// <returns>The result of the check.</returns>
    ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts the records of a type that a query selects.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">The token to cancel the count.</param>
    /// <returns>The count, or <see langword="null"/> when the source cannot count without reading everything.</returns>
    ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads the records of a type that a query selects, a page at a time.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="query">The query.</param>
    /// <param name="resumeToken">The token of the last page fully committed, or <see langword="null"/> to start at the beginning.</param>
    /// <param name="cancellationToken">The token to cancel reading.</param>
    /// <returns>The pages, each with the token that resumes after it.</returns>
    IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, CancellationToken cancellationToken = default);
}

/// <summary>An optional capability of a source: listing the distinct values of fields that need a pre-mapping.</summary>
public interface ISourceValueInspector
{
    /// <summary>Lists the distinct raw values of a mapped field across the source store.</summary>
    /// <param name="field">The field.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The distinct values.</returns>
    ValueTask<IReadOnlyCollection<string>> GetDistinctValuesAsync(MappedField field, CancellationToken cancellationToken = default);
}

/// <summary>A field whose source values must be mapped to canonical values before a run starts.</summary>
public enum MappedField
{
    /// <summary>An order's status.</summary>
    OrderStatus = 0,

    /// <summary>A customer's group or role.</summary>
    CustomerGroup = 1,
}

/// <summary>What a read selects: the run mode's filter.</summary>
public sealed record SourceQuery
{
    /// <summary>Gets a query that selects everything.</summary>
    public static SourceQuery All { get; } = new();

    /// <summary>Gets the inclusive lower bound on the creation time.</summary>
    public DateTimeOffset? CreatedSince { get; init; }

    /// <summary>Gets the exclusive upper bound on the creation time (the ceiling taken at run start).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Gets the inclusive lower bound on the modification time.</summary>
    public DateTimeOffset? UpdatedSince { get; init; }

    /// <summary>Gets the maximum number of records to return, or <see langword="null"/> for no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>Gets the ids to select, or <see langword="null"/> to select by the other filters.</summary>
    public FrozenSet<string>? Ids { get; init; }

    /// <summary>Gets the raw statuses to select (orders), or <see langword="null"/> for all.</summary>
    public FrozenSet<string>? Statuses { get; init; }

    /// <summary>Gets a value indicating whether a record passes the time, id and status filters (the limit aside).</summary>
    /// <param name="entity">The record.</param>
    /// <returns><see langword="true"/> when the record is selected.</returns>
    /// <remarks>Connectors that cannot filter on the server use this to filter on the client.</remarks>
    public bool Matches(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (Ids is not null && !Ids.Contains(entity.SourceId))
        {
            return false;
        }

        if (CreatedSince is { } since && (entity.CreatedAt is not { } c1 || c1 < since))
        {
            return false;
        }

        if (CreatedBefore is { } before && entity.CreatedAt is { } c2 && c2 >= before)
        {
            return false;
        }

        if (UpdatedSince is { } updated && (entity.UpdatedAt ?? entity.CreatedAt) is { } u && u < updated)
        {
            return false;
        }

        return Statuses is null || entity is not Order order || Statuses.Contains(order.Status);
    }
}

/// <summary>A page of source records and the token that resumes reading after it.</summary>
/// <param name="Records">The records.</param>
/// <param name="ResumeToken">The opaque token that resumes after this page, or <see langword="null"/> when this is the last page.</param>
public sealed record SourcePage(IReadOnlyList<Entity> Records, string? ResumeToken)
{
    /// <summary>Gets the records that could not be read or translated (malformed input), each with its source id and reason.</summary>
    public IReadOnlyList<RecordIssue> Errors { get; init; } = [];
}

/// <summary>The result of a connector's check of credentials, permissions and capabilities.</summary>
public sealed record ConnectorCheck
{
    /// <summary>Gets a value indicating whether the check passed.</summary>
    public bool Succeeded { get; init; }

    /// <summary>Gets the category of the failure, when the check failed.</summary>
    public FailureCategory? Category { get; init; }

    /// <summary>Gets a message saying what is wrong and what to fix, when the check failed.</summary>
    public string? Message { get; init; }

    /// <summary>Gets a non-secret identity of the store, such as its URL or shop domain.</summary>
    public string? StoreIdentity { get; init; }

    /// <summary>Creates a passed check.</summary>
    /// <param name="storeIdentity">A non-secret identity of the store.</param>
    /// <returns>The check.</returns>
    public static ConnectorCheck Passed(string? storeIdentity = null) => new() { Succeeded = true, StoreIdentity = storeIdentity };

    /// <summary>Creates a failed check.</summary>
    /// <param name="category">The failure category.</param>
    /// <param name="message">What is wrong and what to fix; never a secret.</param>
    /// <returns>The check.</returns>
    public static ConnectorCheck Failed(FailureCategory category, string message) => new() { Succeeded = false, Category = category, Message = message };
}

/// <summary>The severity of a reported record issue.</summary>
public enum IssueSeverity
{
    /// <summary>The record did not migrate.</summary>
    Failure = 0,

    /// <summary>The record migrated with a reported adjustment.</summary>
    Warning = 1,
}

/// <summary>A failure or warning about one record, as it appears in the report.</summary>
/// <param name="EntityType">The record's type.</param>
/// <param name="SourceId">The record's source id (or row number for file sources).</param>
/// <param name="Category">The troubleshooting category.</param>
/// <param name="Message">What happened and what to do; never a secret.</param>
/// <param name="Severity">Whether the record failed or migrated with a warning.</param>
public sealed record RecordIssue(EntityType EntityType, string SourceId, FailureCategory Category, string Message, IssueSeverity Severity = IssueSeverity.Failure);
