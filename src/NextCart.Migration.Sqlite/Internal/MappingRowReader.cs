using System.Text;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>
/// Reads the ID-map rows of one lookup from a <see cref="NativeStatement"/> whose columns are
/// <c>target_id, target_url, source_url, checksum, is_child, first_migrated_at, last_updated_at, run_key, points</c>.
/// </summary>
/// <remarks>
/// The instants are UTC ticks (schema version 4). The rows a lookup returns were mostly written by the same batches, so
/// their run and points repeat from row to row. The run key is turned into its run id through the store's cache of
/// <c>run_keys</c> when it differs from the previous row's; the points are compared with the previous row's UTF-8 bytes
/// and, when equal, the value already parsed is reused: a row then costs the four strings that differ per row and the entry. The
/// source id is the caller's own string, which the statement matched byte for byte, so it is not read back at all.
/// One instance serves one lookup on one thread.
/// </remarks>
internal sealed class MappingRowReader
{
    private const int StackChars = 64;

    private readonly EntityType _type;
    private readonly KeyTable _runKeys;
    private readonly StoreConnection _connection;
    private long _runKey = -1;
    private Memo _points;
    private string _runValue = string.Empty;
    private decimal _pointsValue;

    /// <summary>Creates a reader for rows of <paramref name="type"/> read on <paramref name="connection"/>.</summary>
    public MappingRowReader(EntityType type, KeyTable runKeys, StoreConnection connection)
    {
        _type = type;
        _runKeys = runKeys;
        _connection = connection;
    }

    /// <summary>Reads the current row as the mapping of <paramref name="sourceId"/>.</summary>
    public IdMapEntry Read(NativeStatement row, string sourceId)
    {
        long runKey = row.GetInt64(7);
        if (runKey != _runKey)
        {
            _runValue = _runKeys.IdOf(_connection, runKey);
            _runKey = runKey;
        }

        ReadOnlySpan<byte> points = row.GetUtf8(8);
        if (!_points.Matches(points))
        {
            _pointsValue = ParseDecimal(points);
            _points.Remember(points);
        }

        return new IdMapEntry
        {
            Type = _type,
            SourceId = sourceId,
            TargetId = row.GetString(0),
            TargetUrl = row.GetNullableString(1),
            SourceUrl = row.GetNullableString(2),
            Checksum = row.GetNullableString(3),
            IsChild = row.GetInt64(4) != 0,
            FirstMigratedAt = SqliteValues.FromTicks(row.GetInt64(5)),
            LastUpdatedAt = SqliteValues.FromTicks(row.GetInt64(6)),
            RunId = _runValue,
            Points = _pointsValue,
        };
    }

    private static decimal ParseDecimal(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackChars)
        {
            return SqliteValues.ParseDecimal(Encoding.UTF8.GetString(utf8));
        }

        Span<char> chars = stackalloc char[StackChars];
        return SqliteValues.ParseDecimal(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
    }

    /// <summary>The UTF-8 bytes of a column's value in the previous row (short values only; longer ones are never reused).</summary>
    private struct Memo
    {
        private byte[]? _bytes;
        private int _length;

        public readonly bool Matches(ReadOnlySpan<byte> value) => _bytes is not null && value.SequenceEqual(_bytes.AsSpan(0, _length));

        public void Remember(ReadOnlySpan<byte> value)
        {
            if (value.Length > StackChars)
            {
                _bytes = null;
                return;
            }

            _bytes ??= new byte[StackChars];
            value.CopyTo(_bytes);
            _length = value.Length;
        }
    }
}
