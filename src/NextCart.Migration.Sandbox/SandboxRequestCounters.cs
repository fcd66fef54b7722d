using System.Collections.Concurrent;
using System.Collections.ObjectModel;

namespace NextCart.Migration.Sandbox;

/// <summary>Counts the requests a sandbox served, by status code and by endpoint, and records the faults it injected.</summary>
/// <remarks>All members are thread-safe. The reads are snapshots.</remarks>
public sealed class SandboxRequestCounters
{
    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly ConcurrentDictionary<string, long> _byEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxInjectedFault> _faults = new();
    private long _total;
    private long _resets;

    internal SandboxRequestCounters()
    {
    }

    /// <summary>Gets the number of requests received, including those that failed by injection.</summary>
    public long TotalRequests => Interlocked.Read(ref _total);

    /// <summary>Gets the number of connections the sandbox aborted by injection.</summary>
    public long ConnectionResets => Interlocked.Read(ref _resets);

    /// <summary>Gets the number of responses sent with a status code.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The count.</returns>
    public long GetCount(int statusCode) => _byStatus.TryGetValue(statusCode, out long count) ? count : 0;

    /// <summary>Gets the number of responses per status code.</summary>
    /// <returns>A snapshot, keyed by status code.</returns>
    public IReadOnlyDictionary<int, long> GetCountsByStatus()
        => new ReadOnlyDictionary<int, long>(new SortedDictionary<int, long>(_byStatus));

    /// <summary>
    /// Gets the number of requests per endpoint, keyed by method and route with numeric ids replaced by <c>{id}</c>, such as
    /// <c>POST /wc/v3/products/batch</c> or <c>GET /wc/v3/products/{id}/variations</c>.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, long> GetCountsByEndpoint()
        => new ReadOnlyDictionary<string, long>(new SortedDictionary<string, long>(_byEndpoint, StringComparer.Ordinal));

    /// <summary>Gets the faults injected so far, in request order.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<SandboxInjectedFault> GetInjectedFaults()
        => [.. _faults.OrderBy(f => f.RequestNumber)];

    /// <summary>Sets every counter back to zero and forgets the injected faults.</summary>
    public void Reset()
    {
        _byStatus.Clear();
        _byEndpoint.Clear();
        _faults.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _resets, 0);
    }

    internal long OnRequest(string endpoint)
    {
        _byEndpoint.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
        return Interlocked.Increment(ref _total);
    }

    internal void OnResponse(int statusCode) => _byStatus.AddOrUpdate(statusCode, 1, static (_, n) => n + 1);

    internal void OnFault(SandboxInjectedFault fault)
    {
        _faults.Enqueue(fault);
        if (fault.Kind == SandboxFaultKind.ConnectionReset)
        {
            Interlocked.Increment(ref _resets);
        }
    }
}
