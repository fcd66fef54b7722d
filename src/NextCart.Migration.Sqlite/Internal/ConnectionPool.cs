namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// A small pool of open read connections. A caller rents one, uses it alone, and returns it; up to a maximum of idle
/// connections are kept (with their prepared statements), and any beyond that are closed.
/// </summary>
internal sealed class ConnectionPool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stack<StoreConnection> _idle = new();
    private readonly Func<StoreConnection> _open;
    private readonly int _maxIdle;
    private bool _disposed;

    public ConnectionPool(Func<StoreConnection> open, int maxIdle)
    {
        _open = open;
        _maxIdle = maxIdle;
    }

    public StoreConnection Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out StoreConnection? connection))
            {
                return connection;
            }
        }

        return _open();
    }

    public void Return(StoreConnection connection)
    {
        connection.EndTransaction();
        if (!connection.IsBroken)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < _maxIdle)
                {
                    _idle.Push(connection);
                    return;
                }
            }
        }

        connection.Dispose();
    }

    public void Dispose()
    {
        StoreConnection[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (StoreConnection connection in idle)
        {
            connection.Dispose();
        }
    }
}
