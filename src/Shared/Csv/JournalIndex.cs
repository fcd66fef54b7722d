namespace NextCart.Migration.Csv.Internal;

/// <summary>
/// Maps a key (a source id, a natural key) to the journal line that holds it, keeping 8 bytes per key instead of the key's
/// string: a 28-bit fingerprint of the key's 64-bit hash and the line's byte offset, packed into one <see cref="long"/> slot of
/// an open-addressing table (linear probing, at most three quarters full), so what a file target retains per record stays
/// small (~11–21 bytes per key with the table's free room; a <see cref="Dictionary{TKey, TValue}"/> of hash and offset took
/// ~28–56). Every hit is confirmed by reading the line's head back from the journal, so neither a fingerprint shared by two
/// keys nor a hash collision can return the wrong record: the probe simply goes on to the next slot with the fingerprint.
/// </summary>
/// <remarks>
/// The home slot is derived from the fingerprint alone, so the table grows without re-reading any key from the journal. An
/// offset that does not fit in the slot's 36 bits (a journal over 64 GB) is kept by the key's string in a small overflow map,
/// which is looked at first.
/// </remarks>
/// <param name="journal">The journal the offsets point into.</param>
/// <param name="keyOf">The key an entry's head holds (its source id, its natural key).</param>
/// <param name="ignoreCase">Whether keys compare ignoring case (ordinal).</param>
/// <param name="hash">The key hash; <see langword="null"/> for FNV-1a (tests pass a colliding one).</param>
internal sealed class JournalIndex(FileJournal journal, Func<JournalEntry, string?> keyOf, bool ignoreCase, Func<string, ulong>? hash = null)
{
    private const int OffsetBits = 36;
    private const long OffsetMask = (1L << OffsetBits) - 1;
    private const int InitialSlots = 64;

    private readonly Dictionary<string, long> _overflow = new(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    private readonly StringComparison _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The slots: 0 is empty, else the fingerprint in the top 28 bits and the offset plus one in the low 36.</summary>
    private long[] _slots = new long[InitialSlots];
    private int _used;

    /// <summary>The keys kept in a slot whose newer offset went to the overflow map (counted once).</summary>
    private int _shadowed;

    /// <summary>Gets the number of keys.</summary>
    public int Count => _used - _shadowed + _overflow.Count;

    /// <summary>Finds the entry that holds a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="head">The head of the entry (read from the journal), or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the key is indexed.</returns>
    public bool TryGet(string key, out JournalEntry? head)
    {
        if (_overflow.Count > 0 && _overflow.TryGetValue(key, out long offset))
        {
            head = journal.ReadHeadAt(offset);
            return true;
        }

        int fingerprint = Fingerprint(key);
        int mask = _slots.Length - 1;
        for (int i = fingerprint & mask; _slots[i] != 0; i = (i + 1) & mask)
        {
            if (FingerprintOf(_slots[i]) == fingerprint && Holds(OffsetOf(_slots[i]), key, out JournalEntry found))
            {
                head = found;
                return true;
            }
        }

        head = null;
        return false;
    }

    /// <summary>Points a key at the entry at <paramref name="offset"/> (the key's latest entry).</summary>
    /// <param name="key">The key, which the entry's head holds.</param>
    /// <param name="offset">The entry's byte offset in the journal.</param>
    public void Set(string key, long offset)
    {
        if (_overflow.Count > 0 && _overflow.ContainsKey(key))
        {
            _overflow[key] = offset;
            return;
        }

        int fingerprint = Fingerprint(key);
        int mask = _slots.Length - 1;
        int i = fingerprint & mask;
        for (; _slots[i] != 0; i = (i + 1) & mask)
        {
            long existing = OffsetOf(_slots[i]);
            if (FingerprintOf(_slots[i]) != fingerprint || (existing != offset && !Holds(existing, key, out _)))
            {
                // Another key (a shared fingerprint, or a hash collision): it keeps its slot, the probe goes on.
                continue;
            }

            if (offset >= OffsetMask)
            {
                _overflow[key] = offset;
                _shadowed++;
                return;
            }

            _slots[i] = Pack(fingerprint, offset);
            return;
        }

        if (offset >= OffsetMask)
        {
            _overflow[key] = offset;
            return;
        }

        _slots[i] = Pack(fingerprint, offset);
        if (++_used * 4L > _slots.Length * 3L)
        {
            Grow();
        }
    }

    /// <summary>Forgets every key (the journal was deleted).</summary>
    public void Clear()
    {
        _slots = new long[InitialSlots];
        _used = 0;
        _shadowed = 0;
        _overflow.Clear();
    }

    private static long Pack(int fingerprint, long offset) => ((long)fingerprint << OffsetBits) | (offset + 1);

    private static int FingerprintOf(long slot) => (int)((ulong)slot >> OffsetBits);

    private static long OffsetOf(long slot) => (slot & OffsetMask) - 1;

    /// <summary>Doubles the table; each slot moves by its fingerprint, so no key is read back.</summary>
    private void Grow()
    {
        long[] old = _slots;
        _slots = new long[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (long slot in old)
        {
            if (slot == 0)
            {
                continue;
            }

            int i = FingerprintOf(slot) & mask;
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    private bool Holds(long offset, string key, out JournalEntry head)
    {
        head = journal.ReadHeadAt(offset);
        return string.Equals(keyOf(head), key, _comparison);
    }

    /// <summary>
    /// The top 28 bits of the key's hash. The home slot is their low bits, so two keys with the same home share the whole
    /// fingerprint (and cost a journal read to tell apart) with a chance of 2^-(28 - log2 slots): 1 in 128 at 2 million slots.
    /// </summary>
    private int Fingerprint(string key) => (int)((hash is null ? Fnv1A(key, ignoreCase) : hash(key)) >> OffsetBits);

    /// <summary>FNV-1a over the UTF-16 code units (upper-cased when keys ignore case); its quality only matters for speed.</summary>
    /// <param name="key">The key.</param>
    /// <param name="ignoreCase">Whether keys equal ignoring case (ordinal) must hash alike.</param>
    /// <returns>The hash.</returns>
    public static ulong Fnv1A(string key, bool ignoreCase)
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
