using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Csv.Internal;

/// <summary>A reference of a journaled record, resolved to the target record it points at.</summary>
/// <param name="Key">The source reference, as <c>{type}:{sourceId}</c>.</param>
/// <param name="TargetId">The referenced record's target id.</param>
/// <param name="Url">The referenced record's target URL or handle.</param>
internal sealed record JournalRef(string Key, string TargetId, string? Url);

/// <summary>One line of a file target's journal: a written record (<c>w</c>) or links set later (<c>l</c>).</summary>
internal sealed class JournalEntry
{
    /// <summary>The write kind.</summary>
    public const char Write = 'w';

    /// <summary>The link kind.</summary>
    public const char Link = 'l';

    [JsonPropertyName("k")]
    public char Kind { get; set; } = Write;

    [JsonPropertyName("s")]
    public string SourceId { get; set; } = string.Empty;

    [JsonPropertyName("t")]
    public string TargetId { get; set; } = string.Empty;

    [JsonPropertyName("u")]
    public string? TargetUrl { get; set; }

    [JsonPropertyName("n")]
    public string? NaturalKey { get; set; }

    [JsonPropertyName("e")]
    public Entity? Entity { get; set; }

    [JsonPropertyName("r")]
    public List<JournalRef>? References { get; set; }

    [JsonPropertyName("c")]
    public List<ChildMapping>? Children { get; set; }

    /// <summary>Cells for columns outside the target's fixed header, by column name (the header is their union, made at publish).</summary>
    [JsonPropertyName("x")]
    public Dictionary<string, string>? Extra { get; set; }

    /// <summary>The record as the target rendered it at write time, journaled instead of <see cref="Entity"/> by a target that renders early.</summary>
    [JsonPropertyName("p")]
    public RenderedRecord? Rendered { get; set; }

    public string? Resolve(string key)
    {
        // A loop, not List.Find with a lambda: publishing resolves every category of every product, and the lambda captured the key.
        if (References is { } references)
        {
            foreach (JournalRef reference in references)
            {
                if (reference.Key == key)
                {
                    return reference.TargetId;
                }
            }
        }

        return null;
    }
}

/// <summary>
/// A record rendered into CSV rows when it is written, so publishing copies rows instead of rebuilding entities. The parts that
/// depend on other records (the names of its categories, which may still change) are kept as data and filled in at publish.
/// </summary>
internal sealed class RenderedRecord
{
    /// <summary>The rows' cells in the fixed header's order, already guarded against formulas; <see langword="null"/> is empty.</summary>
    [JsonPropertyName("w")]
    [JsonConverter(typeof(RenderedRowsConverter))]
    public List<string?[]> Rows { get; set; } = [];

    /// <summary>The record's own tags (a cell that also lists its categories' names).</summary>
    [JsonPropertyName("g")]
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>The record's own type (the deepest category's name stands in when it has none).</summary>
    [JsonPropertyName("y")]
    public string? Type { get; set; }

    /// <summary>The source ids of the record's categories, resolved through the entry's references at publish.</summary>
    [JsonPropertyName("c")]
    public IReadOnlyList<string>? Categories { get; set; }
}

/// <summary>
/// A journal line without its entity: the JSON reader skips the <c>e</c> property (an unknown member) instead of building the record.
/// </summary>
internal sealed class JournalHead
{
    [JsonPropertyName("k")]
    public char Kind { get; set; } = JournalEntry.Write;

    [JsonPropertyName("s")]
    public string SourceId { get; set; } = string.Empty;

    [JsonPropertyName("t")]
    public string TargetId { get; set; } = string.Empty;

    [JsonPropertyName("u")]
    public string? TargetUrl { get; set; }

    [JsonPropertyName("n")]
    public string? NaturalKey { get; set; }

    [JsonPropertyName("r")]
    public List<JournalRef>? References { get; set; }

    [JsonPropertyName("c")]
    public List<ChildMapping>? Children { get; set; }

    [JsonPropertyName("x")]
    public Dictionary<string, string>? Extra { get; set; }

    public JournalEntry ToEntry() => new() { Kind = Kind, SourceId = SourceId, TargetId = TargetId, TargetUrl = TargetUrl, NaturalKey = NaturalKey, References = References, Children = Children, Extra = Extra };
}

/// <summary>
/// The durable state of a file target: an append-only file of JSON lines, one per written record or link, flushed to disk
/// before <c>WriteAsync</c> returns. The published CSV is rendered from it (last write per target id wins), so a record the
/// engine committed is never lost by a crash, and a record whose write was torn is simply absent and written again.
/// </summary>
internal sealed class FileJournal : IDisposable
{
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly string _path;
    private readonly JsonSerializerOptions _json;
    private readonly bool _durable;
    private readonly Lock _gate = new();
    private const int InitialBuffer = 1 << 16;
    private const int MaxKeptBuffer = 16 << 20;
    private readonly Utf8JsonWriter _writer;
    private ArrayBufferWriter<byte> _buffer = new(InitialBuffer);
    private FileStream? _append;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _read;
    private bool _recovered;

    public FileJournal(string path, Type entityType, bool durable)
    {
        _path = path;
        _json = new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        _json.Converters.Add(new EntityConverter(entityType));
        _json.Converters.Add(OrdinalExtensionsConverter.Instance);
        _durable = durable;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = _json.Encoder, SkipValidation = true });
    }

    public string Path => _path;

    /// <summary>Reads every complete entry in order. A torn last line (a crash during an append) is cut off first.</summary>
    public IEnumerable<JournalEntry> ReadAll()
    {
        foreach ((long _, ReadOnlyMemory<byte> line) in Lines())
        {
            yield return Deserialize<JournalEntry>(line.Span);
        }
    }

    /// <summary>Reads, in order, the complete entries whose ordinal (the line's position, from 0) <paramref name="include"/> accepts; the others are not parsed.</summary>
    public IEnumerable<JournalEntry> ReadWhere(Func<long, bool> include)
    {
        long ordinal = 0;
        foreach ((long _, ReadOnlyMemory<byte> line) in Lines())
        {
            if (include(ordinal++))
            {
                yield return Deserialize<JournalEntry>(line.Span);
            }
        }
    }

    /// <summary>
    /// Reads every complete entry without its entity, which the JSON reader skips rather than builds: the cheap pass that finds
    /// the last version of each record and the links set on it.
    /// </summary>
    public IEnumerable<JournalEntry> ReadHeads()
    {
        foreach ((long _, JournalEntry head) in ReadHeadsWithOffsets())
        {
            yield return head;
        }
    }

    /// <summary>Reads every complete entry without its entity or rendered rows, with the byte offset its line starts at.</summary>
    public IEnumerable<(long Offset, JournalEntry Head)> ReadHeadsWithOffsets()
    {
        foreach ((long offset, ReadOnlyMemory<byte> line) in Lines())
        {
            yield return (offset, Deserialize<JournalHead>(line.Span).ToEntry());
        }
    }

    /// <summary>
    /// Reads the head of the entry whose line starts at <paramref name="offset"/> (an offset <see cref="Append"/> or
    /// <see cref="ReadHeadsWithOffsets"/> returned): the lookup behind the targets' indexes, which keep offsets, not keys.
    /// </summary>
    public JournalEntry ReadHeadAt(long offset)
    {
        lock (_gate)
        {
            _read ??= File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                int length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = RandomAccess.Read(_read, buffer.AsSpan(length), offset + length);
                    int newline = buffer.AsSpan(length, read).IndexOf((byte)'\n');
                    if (newline >= 0)
                    {
                        return Deserialize<JournalHead>(buffer.AsSpan(0, length + newline)).ToEntry();
                    }

                    if (read == 0)
                    {
                        throw new InvalidDataException($"The journal '{_path}' has no complete entry at offset {offset}.");
                    }

                    length += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private T Deserialize<T>(ReadOnlySpan<byte> line)
        where T : class
        => JsonSerializer.Deserialize<T>(line, _json) ?? throw new InvalidDataException($"The journal '{_path}' holds an empty entry.");

    /// <summary>
    /// The journal's lines as UTF-8 bytes, parsed in place (no string per line): each line is valid only until the next one is
    /// read. Empty lines are skipped.
    /// </summary>
    private IEnumerable<(long Offset, ReadOnlyMemory<byte> Line)> Lines()
    {
        Recover();
        if (!File.Exists(_path))
        {
            yield break;
        }

        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int start = 0;
            int end = 0;
            long origin = 0; // the file offset of buffer[0]
            while (true)
            {
                int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (newline > 0)
                    {
                        yield return (origin + start, buffer.AsMemory(start, newline));
                    }

                    start += newline + 1;
                    continue;
                }

                // No whole line left in the buffer: move the partial line to the front (growing the buffer for a long line) and read on.
                int partial = end - start;
                if (partial == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(start, partial).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                else if (start > 0)
                {
                    buffer.AsSpan(start, partial).CopyTo(buffer);
                }

                origin += start;
                start = 0;
                end = partial;
                int read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    // Recover() cut any torn tail, so a last line without '\n' only appears if another process is appending.
                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends entries and flushes them to disk.</summary>
    /// <returns>The byte offset of each entry's line, for <see cref="ReadHeadAt"/>.</returns>
    public long[] Append(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            // One buffer and writer per journal, reused across appends, so a batch does not regrow a fresh buffer from small.
            var offsets = new long[entries.Count];
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            for (int i = 0; i < entries.Count; i++)
            {
                offsets[i] = _buffer.WrittenCount;
                JsonSerializer.Serialize(_writer, entries[i], _json);
                _writer.Flush();
                _buffer.Write(NewLine);
                _writer.Reset(_buffer);
            }

            Recover();
            _append ??= OpenAppend();
            long origin = _append.Position;
            for (int i = 0; i < offsets.Length; i++)
            {
                offsets[i] += origin;
            }

            _append.Write(_buffer.WrittenSpan);
            _append.Flush(flushToDisk: _durable);
            if (_buffer.Capacity > MaxKeptBuffer)
            {
                // A very large batch does not keep its buffer for the rest of the run.
                _buffer = new ArrayBufferWriter<byte>(InitialBuffer);
            }

            return offsets;
        }
    }

    /// <summary>Deletes the journal (the target's clear).</summary>
    public void Delete()
    {
        lock (_gate)
        {
            _append?.Dispose();
            _append = null;
            _read?.Dispose();
            _read = null;
            if (File.Exists(_path))
            {
                File.Delete(_path);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _append?.Dispose();
            _append = null;
            _read?.Dispose();
            _read = null;
            _writer.Dispose();
        }
    }

    private FileStream OpenAppend()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 16);
    }

    private void Recover()
    {
        lock (_gate)
        {
            if (_recovered)
            {
                return;
            }

            _recovered = true;
            if (!File.Exists(_path))
            {
                return;
            }

            using var stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            long length = stream.Length;
            if (length == 0)
            {
                return;
            }

            stream.Position = length - 1;
            if (stream.ReadByte() == '\n')
            {
                return;
            }

            // Find the last complete line and cut the torn tail off.
            byte[] chunk = new byte[4096];
            long end = length;
            long keep = 0;
            while (end > 0)
            {
                int size = (int)Math.Min(chunk.Length, end);
                stream.Position = end - size;
                stream.ReadExactly(chunk, 0, size);
                int i = Array.LastIndexOf(chunk, (byte)'\n', size - 1, size);
                if (i >= 0)
                {
                    keep = end - size + i + 1;
                    break;
                }

                end -= size;
            }

            stream.SetLength(keep);
            stream.Flush(flushToDisk: true);
        }
    }
}

/// <summary>Serializes the journaled entity as its concrete type (each journal holds one entity type).</summary>
internal sealed class EntityConverter : JsonConverter<Entity>
{
    private static readonly JsonSerializerOptions Plain = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = { OrdinalExtensionsConverter.Instance } };
    private readonly Type _type;

    public EntityConverter(Type type) => _type = type;

    public override Entity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => (Entity?)JsonSerializer.Deserialize(ref reader, _type, Plain);

    public override void Write(Utf8JsonWriter writer, Entity value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, value, value.GetType(), Plain);
}

/// <summary>
/// Reads an entity's extension bag back with the ordinal comparer <see cref="Entity.Extensions"/> is built with. System.Text.Json's
/// built-in converter for <see cref="ImmutableSortedDictionary{TKey, TValue}"/> creates it with the default (culture-sensitive)
/// comparer, which orders keys differently and compares them far more slowly. The JSON shape (an object of strings) is unchanged.
/// </summary>
internal sealed class OrdinalExtensionsConverter : JsonConverter<ImmutableSortedDictionary<string, string>>
{
    public static readonly OrdinalExtensionsConverter Instance = new();

    public override ImmutableSortedDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"An extension bag must be a JSON object, not {reader.TokenType}.");
        }

        ImmutableSortedDictionary<string, string>.Builder builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            builder[key] = reader.GetString()!;
        }

        return builder.ToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableSortedDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach ((string key, string item) in value)
        {
            writer.WriteString(key, item);
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// Reads and writes <see cref="RenderedRecord.Rows"/> as the built-in converters do (an array of arrays of strings or nulls), but
/// reads each row through one reused list into an array of its exact length, instead of growing a new list per row, and shares
/// the strings of short cells that repeat from row to row (<c>TRUE</c>, <c>deny</c>, <c>manual</c>, option names) through a
/// <see cref="CellPool"/>: publishing reads every rendered row back, so this is most of what publishing allocates.
/// </summary>
internal sealed class RenderedRowsConverter : JsonConverter<List<string?[]>>
{
    private const int MaxPooledBytes = CellPool.MaxLength;

    /// <summary>Row arrays that publishing gave back once it wrote their rows (<see cref="Return"/>), reused for the next rows read.</summary>
    private static readonly CsvRowArrays Arrays = new();
    private readonly Lock _gate = new();
    private readonly List<string?> _cells = new(64);
    private readonly CellPool _pool = new();

    public override List<string?[]> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Rendered rows must be a JSON array, not {reader.TokenType}.");
        }

        List<string?[]> rows = [];
        lock (_gate)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"A rendered row must be a JSON array, not {reader.TokenType}.");
                }

                _cells.Clear();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    _cells.Add(reader.TokenType == JsonTokenType.Null ? null : Cell(ref reader));
                }

                string?[] row;
                lock (Arrays)
                {
                    row = Arrays.Rent(_cells.Count);
                }

                _cells.CopyTo(row);
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Gives back the arrays of rows that were read and written out; nothing may read them afterwards.</summary>
    public static void Return(List<string?[]> rows)
    {
        lock (Arrays)
        {
            foreach (string?[] row in rows)
            {
                Arrays.Return(row!);
            }
        }

        rows.Clear();
    }

    public override void Write(Utf8JsonWriter writer, List<string?[]> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (string?[] row in value)
        {
            writer.WriteStartArray();
            foreach (string? cell in row)
            {
                if (cell is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(cell);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private string Cell(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A rendered cell must be a string or null, not {reader.TokenType}.");
        }

        // A short unescaped cell is looked up by its text without making a string first (a hit allocates nothing).
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxPooledBytes)
        {
            Span<char> text = stackalloc char[MaxPooledBytes];
            int length = System.Text.Encoding.UTF8.GetChars(reader.ValueSpan, text);
            return _pool.Get(text[..length]);
        }

        return reader.GetString()!;
    }
}
