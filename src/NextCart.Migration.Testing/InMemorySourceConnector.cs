using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>
/// A source connector that reads a <see cref="SampleStore"/>, with the knobs tests need: page size, per-page latency on a
/// <see cref="TimeProvider"/>, injected read failures, malformed records, and a store that can be replaced between runs.
/// </summary>
/// <remarks>
/// <para>
/// Records are read in ascending source-id order (<see cref="SourceIdComparer"/>), filtered with
/// <see cref="SourceQuery.Matches"/> and capped at <see cref="SourceQuery.Limit"/>. A page's resume token is the source id
/// of its last record, and reading resumes strictly after it; the last page's token is <see langword="null"/>. When nothing
/// is left to read, no page is returned. A malformed record takes its place in the page as a <see cref="RecordIssue"/> in
/// <see cref="SourcePage.Errors"/>, and counts toward the page size, the limit and <see cref="CountAsync"/>.
/// </para>
/// <para>Each page reads the current <see cref="Store"/>, so a store replaced during a read takes effect at the next page.</para>
/// <para>The connector is safe for concurrent use.</para>
/// </remarks>
public sealed class InMemorySourceConnector : ISourceConnector, ISourceValueInspector
{
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<(EntityType Type, string SourceId), string> _malformed = new();
    private SampleStore _store;
    private int _pageSize = 100;
    private long _pagesRead;
    private long _readCalls;

    /// <summary>Initializes a new instance of the <see cref="InMemorySourceConnector"/> class.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="providerId">The provider id.</param>
    /// <param name="timeProvider">The time provider of <see cref="PageLatency"/>; the system's by default.</param>
    public InMemorySourceConnector(SampleStore store, string providerId = "memory", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerId);
        _store = store;
        ProviderId = providerId;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string ProviderId { get; }

    /// <summary>Gets or sets the store that is read. Replace it between runs to model a source that changed.</summary>
    public SampleStore Store
    {
        get => Volatile.Read(ref _store);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Volatile.Write(ref _store, value);
        }
    }

    /// <summary>Gets or sets the number of records per page.</summary>
    /// <value>The default value is 100.</value>
    public int PageSize
    {
        get => _pageSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _pageSize = value;
        }
    }

    /// <summary>Gets or sets the delay before each page, on the connector's <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan PageLatency { get; set; }

    /// <summary>
    /// Gets or sets a hook called before each page with the type and the page's zero-based index within the read; when it
    /// returns an exception, the read throws it.
    /// </summary>
    public Func<EntityType, int, Exception?>? ReadFailure { get; set; }

    /// <summary>Gets or sets the result of <see cref="CheckAsync"/>.</summary>
    /// <value>The default value is a passed check with the store identity <c>memory://source</c>.</value>
    public ConnectorCheck CheckResult { get; set; } = ConnectorCheck.Passed("memory://source");

    /// <summary>Gets or sets a value indicating whether <see cref="CountAsync"/> answers <see langword="null"/>, as a source that cannot count.</summary>
    public bool CannotCount { get; set; }

    /// <summary>Gets the number of pages returned since the connector was created.</summary>
    public long PagesRead => Interlocked.Read(ref _pagesRead);

    /// <summary>Gets the number of <see cref="ReadAsync"/> calls since the connector was created.</summary>
    public long ReadCalls => Interlocked.Read(ref _readCalls);

    /// <summary>Replaces the store that is read.</summary>
    /// <param name="store">The new store.</param>
    public void Replace(SampleStore store) => Store = store;

    /// <summary>Marks a record as malformed: reads return a validation issue in its place.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The record's source id.</param>
    /// <param name="reason">The reason the issue reports.</param>
    public void MarkMalformed(EntityType type, string sourceId, string reason = "The record could not be translated: a required field is malformed.")
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _malformed[(type, sourceId)] = reason;
    }

    /// <summary>Forgets every record marked malformed.</summary>
    public void ClearMalformed() => _malformed.Clear();

    /// <inheritdoc/>
    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(CheckResult);
    }

    /// <inheritdoc/>
    public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (CannotCount)
        {
            return ValueTask.FromResult<long?>(null);
        }

        long max = query.Limit is { } limit ? Math.Max(0, limit) : long.MaxValue;
        long count = 0;
        using IEnumerator<Entity> candidates = Candidates(Store, type, query, after: null).GetEnumerator();
        while (count < max && candidates.MoveNext())
        {
            count++;
        }

        return ValueTask.FromResult<long?>(count);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Interlocked.Increment(ref _readCalls);
        string? after = resumeToken;
        long remaining = query.Limit is { } limit ? Math.Max(0, limit) : long.MaxValue;
        if (after is not null && query.Limit is not null)
        {
            // Resuming a limited read continues the same window: the records up to the token were already read.
            remaining -= CountUpTo(Store, type, query, after);
        }

        for (int pageIndex = 0; remaining > 0; pageIndex++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (PageLatency > TimeSpan.Zero)
            {
                await Task.Delay(PageLatency, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (ReadFailure?.Invoke(type, pageIndex) is { } failure)
            {
                throw failure;
            }

            SampleStore store = Store;
            int capacity = (int)Math.Min(PageSize, remaining);
            List<Entity> records = [];
            List<RecordIssue> errors = [];
            string? last = null;
            bool more = false;
            foreach (Entity entity in Candidates(store, type, query, after))
            {
                if (records.Count + errors.Count == capacity)
                {
                    more = remaining > capacity;
                    break;
                }

                if (_malformed.TryGetValue((type, entity.SourceId), out string? reason))
                {
                    errors.Add(new RecordIssue(type, entity.SourceId, FailureCategory.Validation, reason));
                }
                else
                {
                    records.Add(entity);
                }

                last = entity.SourceId;
            }

            if (last is null)
            {
                yield break;
            }

            remaining -= records.Count + errors.Count;
            Interlocked.Increment(ref _pagesRead);
            yield return new SourcePage(records, more ? last : null) { Errors = errors };
            if (!more)
            {
                yield break;
            }

            after = last;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyCollection<string>> GetDistinctValuesAsync(MappedField field, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SampleStore store = Store;
        IEnumerable<string?> values = field switch
        {
            MappedField.OrderStatus => store.Get<Order>().Select(o => o.Status),
            MappedField.CustomerGroup => store.Get<Customer>().Select(c => c.Group),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown mapped field."),
        };

        SortedSet<string> distinct = new(StringComparer.Ordinal);
        foreach (string? value in values)
        {
            if (value is not null)
            {
                distinct.Add(value);
            }
        }

        return ValueTask.FromResult<IReadOnlyCollection<string>>([.. distinct]);
    }

    private static IEnumerable<Entity> Candidates(SampleStore store, EntityType type, SourceQuery query, string? after)
    {
        if (query.Ids is { } ids)
        {
            // Select by id without scanning the whole type.
            List<Entity> selected = [];
            foreach (string id in ids)
            {
                if (store.Find(type, id) is { } found && (after is null || SourceIdComparer.Instance.Compare(found.SourceId, after) > 0))
                {
                    selected.Add(found);
                }
            }

            selected.Sort(static (a, b) => SourceIdComparer.Instance.Compare(a.SourceId, b.SourceId));
            foreach (Entity entity in selected)
            {
                if (query.Matches(entity))
                {
                    yield return entity;
                }
            }

            yield break;
        }

        IReadOnlyList<Entity> list = store.Get(type);
        for (int i = after is null ? 0 : store.IndexAfter(type, after); i < list.Count; i++)
        {
            Entity entity = list[i];
            if (query.Matches(entity))
            {
                yield return entity;
            }
        }
    }

    private static long CountUpTo(SampleStore store, EntityType type, SourceQuery query, string lastId)
    {
        long count = 0;
        foreach (Entity entity in Candidates(store, type, query, after: null))
        {
            if (SourceIdComparer.Instance.Compare(entity.SourceId, lastId) > 0)
            {
                break;
            }

            count++;
        }

        return count;
    }
}
