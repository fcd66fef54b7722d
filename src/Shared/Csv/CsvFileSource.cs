using System.Globalization;
using System.Runtime.CompilerServices;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Csv.Internal;

/// <summary>One item a CSV source yields: a record, or the failure of the row(s) that should have made it.</summary>
/// <param name="Record">The record, or <see langword="null"/> when the row failed.</param>
/// <param name="Error">The row's failure, with its row number in the message, or <see langword="null"/>.</param>
internal sealed record CsvItem(Entity? Record, RecordIssue? Error);

/// <summary>
/// The common machinery of the CSV file sources: the header check, counting, and paging with a resume token that is the
/// number of items already emitted plus a fingerprint of the file, so a file changed since the run started is refused.
/// A source says which types it reads, checks its header, and streams its items.
/// </summary>
internal abstract class CsvFileSource(string path, int pageSize) : ISourceConnector
{
    /// <summary>Gets the file's path.</summary>
    protected string FilePath { get; } = path;

    /// <summary>
    /// Reads the file's header names, trimmed, without the UTF-8 byte-order mark a platform's exporter may leave on the first one.
    /// </summary>
    /// <param name="format">What the file should be, for the error, such as "WooCommerce product CSV".</param>
    /// <returns>The names; empty for an empty file.</returns>
    /// <exception cref="MigrationConfigurationException">The file does not exist.</exception>
    protected string[] ReadHeaderNames(string format)
    {
        if (!File.Exists(FilePath))
        {
            throw new MigrationConfigurationException(FailureCategory.Configuration, $"The {format} '{FilePath}' does not exist.");
        }

        return CsvText.HeaderNames(CsvRows.ReadHeader(FilePath) ?? []);
    }

    /// <inheritdoc/>
    public abstract string ProviderId { get; }

    /// <inheritdoc/>
    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            ValidateHeader();
            return ValueTask.FromResult(ConnectorCheck.Passed(FilePath));
        }
        catch (MigrationConfigurationException ex)
        {
            return ValueTask.FromResult(ConnectorCheck.Failed(ex.Category, ex.Message));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!Reads(type))
        {
            return ValueTask.FromResult<long?>(0);
        }

        long count = IsUnfiltered(query) && QuickCount(type, cancellationToken) is { } quick
            ? quick
            : Items(type, cancellationToken).LongCount(i => i.Record is null || query.Matches(i.Record));
        return ValueTask.FromResult<long?>(query.Limit is { } limit ? Math.Min(limit, count) : count);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await Task.Yield();
        if (!Reads(type))
        {
            yield return new SourcePage([], null);
            yield break;
        }

        string fingerprint = CsvRows.Fingerprint(FilePath);
        long skip = 0;
        if (resumeToken is not null)
        {
            int colon = resumeToken.LastIndexOf(':');
            if (colon < 0 || resumeToken[..colon] != fingerprint || !long.TryParse(resumeToken[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            {
                throw new MigrationConfigurationException(FailureCategory.Configuration, $"The file '{FilePath}' changed since the run started (resume token '{resumeToken}'); start a new run to read the new file.");
            }
        }

        long ordinal = 0;
        int returned = 0;
        List<Entity> records = new(pageSize);
        List<RecordIssue> errors = [];
        foreach (CsvItem item in Items(type, cancellationToken))
        {
            if (ordinal++ < skip)
            {
                continue;
            }

            if (item.Record is { } record)
            {
                if (!query.Matches(record) || (query.Limit is { } limit && returned >= limit))
                {
                    continue;
                }

                records.Add(record);
                returned++;
            }
            else
            {
                errors.Add(item.Error!);
            }

            if (records.Count + errors.Count >= pageSize)
            {
                yield return new SourcePage(records.ToArray(), $"{fingerprint}:{ordinal.ToString(CultureInfo.InvariantCulture)}") { Errors = errors.ToArray() };
                records.Clear();
                errors.Clear();
            }
        }

        yield return new SourcePage(records.ToArray(), null) { Errors = errors.ToArray() };
    }

    /// <summary>
    /// Counts the items of a type (records and row failures) that an unfiltered read yields, without building the records; a
    /// source that cannot do it more cheaply than <see cref="Items"/> returns <see langword="null"/> (the default).
    /// </summary>
    /// <param name="type">A type the source <see cref="Reads"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The count, or <see langword="null"/>.</returns>
    protected virtual long? QuickCount(EntityType type, CancellationToken cancellationToken) => null;

    /// <summary>Gets whether the file holds records of a type; other types read as empty.</summary>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> when the file holds the type.</returns>
    protected abstract bool Reads(EntityType type);

    private static bool IsUnfiltered(SourceQuery query)
        => query.CreatedSince is null && query.CreatedBefore is null && query.UpdatedSince is null && query.Ids is null && query.Statuses is null;

    /// <summary>Checks that the file exists and has the format's required columns.</summary>
    /// <exception cref="MigrationConfigurationException">It does not; the message names the missing columns and the header found.</exception>
    protected abstract void ValidateHeader();

    /// <summary>Streams the items of a type, in a stable order.</summary>
    /// <param name="type">A type the source <see cref="Reads"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The items.</returns>
    protected abstract IEnumerable<CsvItem> Items(EntityType type, CancellationToken cancellationToken);
}
