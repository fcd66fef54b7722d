using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Csv.Internal;

/// <summary>
/// The common machinery of the CSV file targets: a per-type journal in <c>{directory}/.nextcart/</c> that is the target's durable
/// state, reconciliation from it, deferred links, clearing, and publishing the CSV files atomically when the run completes.
/// </summary>
/// <remarks>
/// <para>
/// <b>Exactly once.</b> <see cref="WriteAsync"/> appends each accepted record to the type's journal and flushes it to disk before
/// it returns, so a record the engine commits is durable. After a crash, <see cref="FindExistingAsync"/> finds every record whose
/// append completed (by the source id stored with it) and the engine adopts it; a torn append is cut off and the record is
/// written again. An update appends a new version; publishing keeps the last version per target id.
/// </para>
/// <para>
/// <b>Publishing.</b> The CSV files are views of the journals, rendered in <see cref="CompleteAsync"/> (the engine calls it when a
/// run has transferred everything) to a temporary file that is renamed over the destination, so the directory only ever holds
/// complete files. A crash before or during publishing leaves the previous files (or none); the resumed run publishes again.
/// </para>
/// </remarks>
internal abstract class CsvFileTarget : ITargetConnector, ITargetLinker, ITargetClearer, ITargetCompleter, IDisposable
{
    /// <summary>The name of the folder, inside the output directory, that holds the journals.</summary>
    public const string StateFolder = ".nextcart";

    private readonly Dictionary<EntityType, TypeState> _states = [];
    private readonly Lock _gate = new();
    private readonly bool _durable;
    private readonly int _batchSize;

    protected CsvFileTarget(string directory, bool durable, int batchSize)
    {
        Directory = Path.GetFullPath(directory);
        _durable = durable;
        _batchSize = batchSize;
    }

    /// <summary>Gets the output directory.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public abstract string ProviderId { get; }

    /// <summary>Gets the CLR type of the records each supported entity type journals.</summary>
    protected abstract IReadOnlyDictionary<EntityType, Type> Journaled { get; }

    /// <inheritdoc/>
    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, StateFolder));
            string probe = Path.Combine(Directory, StateFolder, "probe" + AtomicFile.TempSuffix);
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return ValueTask.FromResult(ConnectorCheck.Passed(Directory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromResult(ConnectorCheck.Failed(FailureCategory.Permission, $"The output directory '{Directory}' cannot be written: {ex.Message} Choose a directory the process may write to."));
        }
    }

    /// <inheritdoc/>
    public TargetLimits GetLimits(EntityType type)
        => Journaled.ContainsKey(type)
            ? new TargetLimits { MaxBatchSize = _batchSize, MaxConcurrency = 1 }
            : TargetLimits.Unsupported(UnsupportedReason(type));

    /// <inheritdoc/>
    public ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        TypeState state = State(type);
        var outcomes = new RecordOutcome[records.Count];
        var entries = new List<JournalEntry>(records.Count);
        var accepted = new List<(int Index, JournalEntry Entry)>(records.Count);
        lock (state)
        {
            for (int i = 0; i < records.Count; i++)
            {
                TargetRecord record = records[i];
                string sourceId = record.Entity.SourceId;
                try
                {
                    JournalEntry? known = state.BySource.TryGet(sourceId, out JournalEntry? head) ? head : null;
                    string? existing = record.ExistingTargetId ?? known?.TargetId;
                    var entry = new JournalEntry
                    {
                        SourceId = sourceId,
                        Entity = record.Entity,
                        References = record.References.Count == 0 ? null : References(record, state),
                    };
                    List<string> warnings = [];
                    string? failure = Accept(type, record, existing, (IReadOnlyList<ChildMapping>?)known?.Children ?? [], entry, warnings, state.Reserved);
                    if (failure is not null)
                    {
                        outcomes[i] = RecordOutcome.Failed(sourceId, FailureCategory.Validation, failure);
                        continue;
                    }

                    if (entry.NaturalKey is { } natural)
                    {
                        state.Reserved.Hold(natural, sourceId);
                    }

                    entries.Add(entry);
                    accepted.Add((i, entry));
                    RecordOutcome outcome = existing is null
                        ? RecordOutcome.Created(sourceId, entry.TargetId, entry.TargetUrl)
                        : RecordOutcome.Updated(sourceId, entry.TargetId, entry.TargetUrl);
                    outcomes[i] = outcome with { Children = entry.Children ?? [], Warnings = warnings };
                }
                catch (FormatException ex)
                {
                    outcomes[i] = RecordOutcome.Failed(sourceId, FailureCategory.Validation, ex.Message);
                }
            }

            long[] offsets;
            try
            {
                offsets = state.Journal.Append(entries);
            }
            catch (IOException ex)
            {
                throw new MigrationException($"The journal '{state.Journal.Path}' could not be written: {ex.Message}", FailureCategory.Permission, isTransient: false, ex);
            }
            finally
            {
                state.Reserved.Release();
            }

            OnJournaled(type, entries);
            for (int n = 0; n < accepted.Count; n++)
            {
                (int index, JournalEntry entry) = accepted[n];

                // An update, or a second write of one source id in a batch (both took the same new target id), supersedes an entry.
                state.Superseding |= outcomes[index].Status != RecordStatus.Created || state.BySource.TryGet(entry.SourceId, out _);
                state.BySource.Set(entry.SourceId, offsets[n]);
                if (entry.NaturalKey is { } natural)
                {
                    state.Reserved.Commit(natural, offsets[n]);
                }
            }
        }

        return ValueTask.FromResult(new BatchOutcome(outcomes));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (!Journaled.ContainsKey(type))
        {
            return ValueTask.FromResult<IReadOnlyList<ExistingTarget>>([]);
        }

        TypeState state = State(type);
        List<ExistingTarget> found = [];
        lock (state)
        {
            foreach (SourceIdentity identity in identities)
            {
                if (state.BySource.TryGet(identity.SourceId, out JournalEntry? known))
                {
                    found.Add(new ExistingTarget(identity.SourceId, known!.TargetId, known.TargetUrl) { Children = known.Children ?? [] });
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ExistingTarget>>(found);
    }

    /// <inheritdoc/>
    public ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        TypeState state = State(type);
        var entries = links.Select(l => new JournalEntry
        {
            Kind = JournalEntry.Link,
            SourceId = l.SourceId,
            TargetId = l.TargetId,
            References = l.Links.Select(x => new JournalRef(Key(x.Reference.Target), x.Target.TargetId, x.Target.TargetUrl)).ToList(),
        }).ToArray();
        lock (state)
        {
            state.Journal.Append(entries);
            state.Superseding = true;
        }

        return ValueTask.FromResult(new BatchOutcome(links.Select(l => RecordOutcome.Updated(l.SourceId, l.TargetId)).ToArray()));
    }

    /// <inheritdoc/>
    public ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default)
    {
        if (Journaled.ContainsKey(type))
        {
            TypeState state = State(type);
            lock (state)
            {
                state.Journal.Delete();
                state.Superseding = false;
                state.BySource.Clear();
                state.Reserved.Clear();
                OnCleared(type);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await PublishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (TypeState state in _states.Values)
            {
                state.Journal.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The key a reference is journaled under.</summary>
    public static string Key(EntityRef reference) => reference.ToString();

    /// <summary>
    /// A record's resolved references as journaled, with the key of each referenced record made once per type state (products
    /// refer to the same few categories again and again), not once per reference.
    /// </summary>
    private static List<JournalRef> References(TargetRecord record, TypeState state)
    {
        var references = new List<JournalRef>(record.References.Count);
        foreach ((EntityRef target, ResolvedTarget resolved) in record.References)
        {
            if (!state.Keys.TryGetValue(target, out string? key))
            {
                key = Key(target);
                if (state.Keys.Count < TypeState.MaxKeys)
                {
                    state.Keys[target] = key;
                }
            }

            references.Add(new JournalRef(key, resolved.TargetId, resolved.TargetUrl));
        }

        return references;
    }

    /// <summary>
    /// Reads a type's journal and returns, in journal order, the last written version of each target record with the links set
    /// on it later merged into its references.
    /// </summary>
    protected IEnumerable<JournalEntry> Latest(EntityType type)
    {
        TypeState state = State(type);
        if (!state.Superseding)
        {
            // Every entry is the first and only version of a new target record and no links were set: one pass, no index.
            return state.Journal.ReadAll();
        }

        return LatestOfMany(state);
    }

    private static IEnumerable<JournalEntry> LatestOfMany(TypeState state)
    {
        Dictionary<string, long> last = new(StringComparer.Ordinal);
        Dictionary<string, List<JournalRef>> links = new(StringComparer.Ordinal);
        long n = 0;

        // The first pass reads the heads only (the entities are skipped, not built); the second builds just the entries it yields.
        foreach (JournalEntry entry in state.Journal.ReadHeads())
        {
            if (entry.Kind == JournalEntry.Link)
            {
                if (!links.TryGetValue(entry.TargetId, out List<JournalRef>? list))
                {
                    links[entry.TargetId] = list = [];
                }

                list.AddRange(entry.References ?? []);
            }
            else
            {
                last[entry.TargetId] = n;
            }

            n++;
        }

        HashSet<long> latest = [.. last.Values];
        last.Clear();
        foreach (JournalEntry entry in state.Journal.ReadWhere(latest.Contains))
        {
            if (entry.Kind != JournalEntry.Write)
            {
                continue;
            }

            if (links.TryGetValue(entry.TargetId, out List<JournalRef>? extra))
            {
                entry.References = [.. entry.References ?? [], .. extra];
            }

            yield return entry;
        }
    }

    /// <summary>Gets a value indicating whether the type's journal holds anything.</summary>
    protected bool HasJournal(EntityType type) => Journaled.ContainsKey(type) && File.Exists(State(type).Journal.Path);

    /// <summary>
    /// Prepares one record for the journal: sets <see cref="JournalEntry.TargetId"/>, <see cref="JournalEntry.TargetUrl"/>,
    /// <see cref="JournalEntry.NaturalKey"/> and <see cref="JournalEntry.Children"/>, and adds warnings.
    /// </summary>
    /// <param name="type">The entity type.</param>
    /// <param name="record">The record.</param>
    /// <param name="existingTargetId">The record's target id when it was written before.</param>
    /// <param name="previousChildren">The children the record had when it was written before.</param>
    /// <param name="entry">The entry to fill in.</param>
    /// <param name="warnings">The warnings to report on the outcome.</param>
    /// <param name="reserved">The natural keys already taken, with the source id that holds each.</param>
    /// <returns>The reason the record is refused, or <see langword="null"/>.</returns>
    protected abstract string? Accept(EntityType type, TargetRecord record, string? existingTargetId, IReadOnlyList<ChildMapping> previousChildren, JournalEntry entry, List<string> warnings, ReservedKeys reserved);

    /// <summary>
    /// Called after a batch's entries were appended to the journal, before the outcomes are returned: what was made only to be
    /// journaled (a target's rendered rows) may be reused from here on.
    /// </summary>
    protected virtual void OnJournaled(EntityType type, IReadOnlyList<JournalEntry> entries)
    {
    }

    /// <summary>Called while a cleared type's state is reset, so a target can reset its own counters.</summary>
    protected virtual void OnCleared(EntityType type)
    {
    }

    /// <summary>
    /// Called for every journaled write when a type's journal is loaded, with the entry's head (no entity or rendered rows), so a
    /// target can rebuild its counters.
    /// </summary>
    protected virtual void OnLoaded(EntityType type, JournalEntry entry)
    {
    }

    /// <summary>Why a type is not supported.</summary>
    protected abstract string UnsupportedReason(EntityType type);

    /// <summary>Renders and atomically replaces the output files.</summary>
    protected abstract Task PublishAsync(CancellationToken cancellationToken);

    private TypeState State(EntityType type)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(type, out TypeState? state))
            {
                return state;
            }

            if (!Journaled.TryGetValue(type, out Type? clr))
            {
                throw new MigrationException(UnsupportedReason(type), FailureCategory.Unsupported, isTransient: false);
            }

            var journal = new FileJournal(Path.Combine(Directory, StateFolder, type.ToCamelCase() + ".journal"), clr, _durable);
            state = new TypeState(journal);

            // Heads only: the entities and rendered rows are skipped, and the indexes keep offsets, not the keys' strings.
            foreach ((long offset, JournalEntry entry) in journal.ReadHeadsWithOffsets())
            {
                if (entry.Kind != JournalEntry.Write)
                {
                    state.Superseding = true;
                    continue;
                }

                state.Superseding |= state.BySource.TryGet(entry.SourceId, out _);
                state.BySource.Set(entry.SourceId, offset);
                if (entry.NaturalKey is { } natural)
                {
                    state.Reserved.Commit(natural, offset);
                }

                OnLoaded(type, entry);
            }

            _states[type] = state;
            return state;
        }
    }

    private sealed class TypeState(FileJournal journal)
    {
        /// <summary>The most reference keys <see cref="Keys"/> keeps.</summary>
        public const int MaxKeys = 4096;

        public FileJournal Journal { get; } = journal;

        /// <summary>Gets the latest entry of each source id, by offset (see <see cref="JournalIndex"/>).</summary>
        public JournalIndex BySource { get; } = new(journal, e => e.SourceId, ignoreCase: false);

        /// <summary>
        /// Gets or sets a value indicating whether the journal may hold more than one version of a target record, or links: set by
        /// an update (a write of a record that already had a target id) and by a link. Until then every entry is a create with a
        /// new target id, so publishing reads the journal once without an index.
        /// </summary>
        public bool Superseding { get; set; }

        public ReservedKeys Reserved { get; } = new(journal);

        /// <summary>Gets the journal keys of referenced records (<see cref="Key"/>), bounded by <see cref="MaxKeys"/>; used under the state's lock.</summary>
        public Dictionary<EntityRef, string> Keys { get; } = [];
    }
}
