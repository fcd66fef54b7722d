namespace NextCart.Migration.Csv.Internal;

/// <summary>
/// Maps a key (a source id, a natural key) to the journal line that holds it, keeping a 64-bit hash of the key and the line's
/// byte offset (16 bytes of data per key) instead of the key's string, so what a file target retains per record stays small. A
/// hit is confirmed by reading the line's head back from the journal, so a hash collision never returns the wrong record: the
/// second of two colliding keys is kept by its string in a small overflow map instead.
/// </summary>
/// <param name="journal">The journal the offsets point into.</param>
/// <param name="keyOf">The key an entry's head holds (its source id, its natural key).</param>
/// <param name="ignoreCase">Whether keys compare ignoring case (ordinal).</param>
/// <param name="hash">The key hash; <see langword="null"/> for FNV-1a (tests pass a colliding one).</param>
internal sealed class JournalIndex(FileJournal journal, Func<JournalEntry, string?> keyOf, bool ignoreCase, Func<string, ulong>? hash = null)
{
    private readonly Dictionary<ulong, long> _offsets = [];
    private readonly Dictionary<string, long> _overflow = new(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    private readonly StringComparison _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Gets the number of keys.</summary>
    public int Count => _offsets.Count + _overflow.Count;

    /// <summary>Finds the entry that holds a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="head">The head of the entry (read from the journal), or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the key is indexed.</returns>
    public bool TryGet(string key, out JournalEntry? head)
    {
        if (_overflow.TryGetValue(key, out long offset))
        {
            head = journal.ReadHeadAt(offset);
            return true;
        }

        if (_offsets.TryGetValue(Hash(key), out offset) && Holds(offset, key, out JournalEntry found))
        {
            head = found;
            return true;
        }

        head = null;
        return false;
    }

    /// <summary>Points a key at the entry at <paramref name="offset"/> (the key's latest entry).</summary>
    /// <param name="key">The key, which the entry's head holds.</param>
    /// <param name="offset">The entry's byte offset in the journal.</param>
    public void Set(string key, long offset)
    {
        if (_overflow.ContainsKey(key))
        {
            _overflow[key] = offset;
            return;
        }

        ulong hash = Hash(key);
        if (_offsets.TryGetValue(hash, out long existing) && existing != offset && !Holds(existing, key, out _))
        {
            // Another key has this hash: this one is kept by its string.
            _overflow[key] = offset;
            return;
        }

        _offsets[hash] = offset;
    }

    /// <summary>Forgets every key (the journal was deleted).</summary>
    public void Clear()
    {
        _offsets.Clear();
        _overflow.Clear();
    }

    private bool Holds(long offset, string key, out JournalEntry head)
    {
        head = journal.ReadHeadAt(offset);
        return string.Equals(keyOf(head), key, _comparison);
    }

    private ulong Hash(string key) => hash is null ? Fnv1A(key) : hash(key);

    /// <summary>FNV-1a over the UTF-16 code units (upper-cased when keys ignore case); its quality only matters for speed.</summary>
    private ulong Fnv1A(string key)
    {
        ulong value = 14695981039346656037UL;
        foreach (char c in key)
        {
            value = (value ^ (ignoreCase ? char.ToUpperInvariant(c) : c)) * 1099511628211UL;
        }

        return value;
    }
}

/// <summary>
/// The natural keys a file target has taken (handles, e-mail addresses, redirect paths, SKUs), with the source id that holds each,
/// compared ignoring case. Keys taken by journaled entries (<see cref="JournalEntry.NaturalKey"/>) are indexed by offset
/// (<see cref="JournalIndex"/>); keys a target reserves on its own (<see cref="this[string]"/>) and the keys of the batch being
/// written are kept as strings.
/// </summary>
internal sealed class ReservedKeys
{
    private readonly JournalIndex _journaled;
    private readonly Dictionary<string, string> _own = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _pending = new(StringComparer.OrdinalIgnoreCase);

    public ReservedKeys(FileJournal journal) => _journaled = new JournalIndex(journal, e => e.NaturalKey, ignoreCase: true);

    /// <summary>Reserves a key for a source id, kept by its string (a key no journal entry holds as its natural key).</summary>
    /// <param name="key">The key.</param>
    public string this[string key]
    {
        set => _own[key] = value;
    }

    /// <summary>Gets the source id that holds a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="owner">The source id, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the key is taken.</returns>
    public bool TryGetValue(string key, out string? owner)
    {
        if (_pending.TryGetValue(key, out owner) || _own.TryGetValue(key, out owner))
        {
            return true;
        }

        if (_journaled.TryGet(key, out JournalEntry? head))
        {
            owner = head!.SourceId;
            return true;
        }

        owner = null;
        return false;
    }

    /// <summary>Takes a key for an entry of the batch being written, until <see cref="Commit"/> or <see cref="Release"/>.</summary>
    public void Hold(string key, string sourceId) => _pending[key] = sourceId;

    /// <summary>Indexes a key by the offset of the journaled entry that holds it.</summary>
    public void Commit(string key, long offset)
    {
        _pending.Remove(key);
        _journaled.Set(key, offset);
    }

    /// <summary>Drops the keys held for a batch that was not journaled.</summary>
    public void Release() => _pending.Clear();

    public void Clear()
    {
        _journaled.Clear();
        _own.Clear();
        _pending.Clear();
    }
}
