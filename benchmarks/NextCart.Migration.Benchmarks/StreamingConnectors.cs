using System.Globalization;
using System.Runtime.CompilerServices;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// A source of <c>count</c> customers generated page by page as they are read: nothing is held between pages, so the
/// process's memory is the engine's, not the source data's.
/// </summary>
internal sealed class GeneratedCustomerSource : ISourceConnector
{
    private readonly long _count;
    private readonly int _pageSize;

    public GeneratedCustomerSource(long count, int pageSize = 100)
    {
        _count = count;
        _pageSize = pageSize;
    }

    public string ProviderId => "generated";

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(ConnectorCheck.Passed("generated://source"));

    public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<long?>(type == EntityType.Customers ? _count : 0);

    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (type != EntityType.Customers)
        {
            yield break;
        }

        long next = resumeToken is null ? 1 : long.Parse(resumeToken, CultureInfo.InvariantCulture) + 1;
        while (next <= _count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long last = Math.Min(_count, next + _pageSize - 1);
            List<Entity> records = new((int)(last - next + 1));
            for (long id = next; id <= last; id++)
            {
                records.Add(BenchmarkData.CreateCustomer(checked((int)id)));
            }

            yield return new SourcePage(records, last < _count ? last.ToString(CultureInfo.InvariantCulture) : null);
            next = last + 1;
        }

        await Task.CompletedTask;
    }
}

/// <summary>A target that keeps nothing: it answers every create with a made-up id and counts the records.</summary>
internal sealed class CountingTargetConnector : ITargetConnector
{
    private long _written;

    public string ProviderId => "counting";

    public long Written => Interlocked.Read(ref _written);

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(ConnectorCheck.Passed("counting://target"));

    public TargetLimits GetLimits(EntityType type) => new();

    public ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
    {
        RecordOutcome[] outcomes = new RecordOutcome[records.Count];
        for (int i = 0; i < outcomes.Length; i++)
        {
            string sourceId = records[i].Entity.SourceId;
            outcomes[i] = RecordOutcome.Created(sourceId, "t-" + sourceId);
        }

        Interlocked.Add(ref _written, outcomes.Length);
        return ValueTask.FromResult(new BatchOutcome(outcomes));
    }

    public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<ExistingTarget>>([]);
}
