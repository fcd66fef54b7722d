using System.Collections.Frozen;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>
/// A target connector that stores records in memory and behaves like a real store: it enforces unique SKUs, e-mails, coupon
/// codes and redirect paths, makes handles unique with <c>-1</c>, <c>-2</c> suffixes, stores the source id on every record,
/// and creates a duplicate when asked to create a record it already holds. It can inject failures, latency and limits.
/// </summary>
/// <remarks>
/// <para>
/// Target ids are <c>t-{type}-{n}</c> (for example <c>t-products-3</c>) and variant ids <c>t-variant-{n}</c>; counters are
/// never reused, not even after <see cref="ClearAsync"/>. Target URLs are <c>/products/{handle}</c>,
/// <c>/collections/{handle}</c> (categories), <c>/pages/{handle}</c>, <c>/blogs/news/{handle}</c>, and the from-path of a redirect.
/// </para>
/// <para>
/// The inspection API (<see cref="GetRecords"/>, <see cref="CountBySourceId"/>, the counters) lets tests check the
/// exactly-once invariant: every source record appears once, and every reference points at the right target record.
/// </para>
/// <para>The connector is safe for concurrent use; configure it before a run starts.</para>
/// </remarks>
public sealed class InMemoryTargetConnector : ITargetConnector, ITargetClearer, ITargetLinker
{
    private const string AuthenticationMessage = "The target refused the access token (HTTP 401). Create a new token with write access and resume the run.";

    private readonly Lock _gate = new();
    private readonly TypeState[] _types;
    private readonly Dictionary<EntityType, TargetLimits> _limits = [];
    private readonly Random _random;
    private readonly TimeProvider _timeProvider;
    private long _sequence;
    private long _variantCounter;
    private int _active;
    private int _maxActive;
    private long _writeCalls;
    private long _totalWrites;
    private long _linkCalls;
    private int _clearCount;
    private int _injectedFailures;

    /// <summary>Initializes a new instance of the <see cref="InMemoryTargetConnector"/> class.</summary>
    /// <param name="providerId">The provider id.</param>
    /// <param name="seed">The seed of the random source behind <see cref="TransientFailureRate"/>.</param>
    /// <param name="timeProvider">The time provider of <see cref="BatchLatency"/>; the system's by default.</param>
    public InMemoryTargetConnector(string providerId = "memory", int seed = 0, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerId);
        ProviderId = providerId;
        _random = new Random(seed);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _types = new TypeState[EntityTypes.All.Count];
        for (int i = 0; i < _types.Length; i++)
        {
            _types[i] = new TypeState();
        }
    }

    /// <inheritdoc/>
    public string ProviderId { get; }

    /// <summary>Gets or sets the limits of types without limits of their own (see <see cref="SetLimits"/>).</summary>
    /// <value>The default value is a batch of 100, 4 concurrent writes, supported.</value>
    public TargetLimits DefaultLimits { get; set; } = new();

    /// <summary>Gets or sets a predicate that rejects a record: a non-null message fails it with <see cref="FailureCategory.Validation"/>.</summary>
    public Func<Entity, string?>? RejectRecord { get; set; }

    /// <summary>
    /// Gets or sets a predicate that rejects a whole batch: when a record of the batch matches, the write throws a
    /// non-transient <see cref="MigrationException"/> of category <see cref="FailureCategory.Validation"/> and writes nothing,
    /// so the engine must split the batch to isolate the record.
    /// </summary>
    public Func<Entity, bool>? RejectBatchWhen { get; set; }

    /// <summary>Gets or sets the probability, from 0 to 1, that a write throws a transient connection failure.</summary>
    public double TransientFailureRate { get; set; }

    /// <summary>Gets or sets when random transient failures are thrown.</summary>
    /// <value>The default value is <see cref="TransientFailureTiming.BeforeWrite"/>.</value>
    public TransientFailureTiming TransientFailureTiming { get; set; }

    /// <summary>Gets or sets the most transient failures to inject, so that a run is sure to get through; <see langword="null"/> for no cap.</summary>
    public int? MaxTransientFailures { get; set; }

    /// <summary>
    /// Gets or sets a deterministic hook called for each write with the type and the zero-based index of the write among the
    /// type's writes; a non-null result throws a transient failure at that time. It takes precedence over <see cref="TransientFailureRate"/>.
    /// </summary>
    public Func<EntityType, int, TransientFailureTiming?>? FailBatch { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the credentials are refused: <see cref="CheckAsync"/> fails with
    /// <see cref="FailureCategory.Authentication"/>, and every other call throws <see cref="MigrationConfigurationException"/>.
    /// </summary>
    public bool AuthenticationFailure { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a record whose required reference did not resolve is failed with
    /// <see cref="FailureCategory.Validation"/>, as a strict platform would. Deferred and optional references are never required.
    /// </summary>
    public bool RequireResolvedReferences { get; set; }

    /// <summary>Gets or sets the delay of each write, on the connector's <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan BatchLatency { get; set; }

    /// <summary>
    /// Gets or sets a hook awaited at the start of every write, before anything is applied: a test can hold the writers at a
    /// known point (a gate it opens later) to make a race with another actor deterministic.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: writes are not held.</value>
    public Func<EntityType, CancellationToken, Task>? BeforeWrite { get; set; }

    /// <summary>Gets the number of <see cref="WriteAsync"/> calls.</summary>
    public long WriteCalls => Interlocked.Read(ref _writeCalls);

    /// <summary>Gets the number of records created or updated, including writes whose response was lost.</summary>
    public long TotalWrites => Interlocked.Read(ref _totalWrites);

    /// <summary>Gets the number of <see cref="LinkAsync"/> calls.</summary>
    public long LinkCalls => Interlocked.Read(ref _linkCalls);

    /// <summary>Gets the number of <see cref="ClearAsync"/> calls.</summary>
    public int ClearCount => Volatile.Read(ref _clearCount);

    /// <summary>Gets the number of transient failures injected.</summary>
    public int InjectedFailures => Volatile.Read(ref _injectedFailures);

    /// <summary>Gets the largest number of <see cref="WriteAsync"/> calls seen in flight at once.</summary>
    public int MaxObservedConcurrency => Volatile.Read(ref _maxActive);

    /// <summary>Sets the limits of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="limits">The limits.</param>
    public void SetLimits(EntityType type, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_gate)
        {
            _limits[type] = limits;
        }
    }

    /// <summary>Marks a type as not supported, as Shopify does not support reviews.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="reason">Why, as the report will show it.</param>
    public void MarkUnsupported(EntityType type, string reason = "The target does not support this type.")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        SetLimits(type, TargetLimits.Unsupported(reason));
    }

    /// <summary>Gets the records of a type, in the order they were created.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>Snapshots of the records.</returns>
    public IReadOnlyList<InMemoryTargetEntry> GetRecords(EntityType type)
    {
        lock (_gate)
        {
            return [.. _types[(int)type].ByTargetId.Values.OrderBy(e => e.Sequence)];
        }
    }

    /// <summary>Gets a record by target id.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="targetId">The target id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public InMemoryTargetEntry? GetRecord(EntityType type, string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        lock (_gate)
        {
            return _types[(int)type].ByTargetId.GetValueOrDefault(targetId);
        }
    }

    /// <summary>Gets the records that carry a source id; more than one means a duplicate.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The source id.</param>
    /// <returns>The records, oldest first.</returns>
    public IReadOnlyList<InMemoryTargetEntry> FindBySourceId(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        lock (_gate)
        {
            TypeState state = _types[(int)type];
            return state.BySourceId.TryGetValue(sourceId, out List<string>? ids) ? [.. ids.Select(id => state.ByTargetId[id])] : [];
        }
    }

    /// <summary>Counts the records that carry a source id: exactly 1 after a correct migration of the record.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The source id.</param>
    /// <returns>The count.</returns>
    public int CountBySourceId(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        lock (_gate)
        {
            return _types[(int)type].BySourceId.TryGetValue(sourceId, out List<string>? ids) ? ids.Count : 0;
        }
    }

    /// <summary>Counts the records of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The count.</returns>
    public int Count(EntityType type)
    {
        lock (_gate)
        {
            return _types[(int)type].ByTargetId.Count;
        }
    }

    /// <inheritdoc/>
    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(AuthenticationFailure
            ? ConnectorCheck.Failed(FailureCategory.Authentication, AuthenticationMessage)
            : ConnectorCheck.Passed("memory://target"));
    }

    /// <inheritdoc/>
    public TargetLimits GetLimits(EntityType type)
    {
        lock (_gate)
        {
            return _limits.GetValueOrDefault(type) ?? DefaultLimits;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        int active = Interlocked.Increment(ref _active);
        try
        {
            UpdateMax(active);
            Interlocked.Increment(ref _writeCalls);
            ThrowIfUnauthenticated();
            TargetLimits limits = GetLimits(type);
            foreach (TargetRecord record in records)
            {
                ArgumentNullException.ThrowIfNull(record, nameof(records));
                if (record.Entity.Type != type)
                {
                    throw new ArgumentException($"A {record.Entity.Type.ToCamelCase()} record was written as {type.ToCamelCase()}.", nameof(records));
                }
            }

            if (records.Count > limits.MaxBatchSize)
            {
                throw new ArgumentException($"The batch has {records.Count} records; the target accepts at most {limits.MaxBatchSize} {type.ToCamelCase()} per write.", nameof(records));
            }

            if (BeforeWrite is { } hold)
            {
                await hold(type, cancellationToken).ConfigureAwait(false);
            }

            if (BatchLatency > TimeSpan.Zero)
            {
                await Task.Delay(BatchLatency, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!limits.IsSupported)
            {
                string reason = limits.UnsupportedReason ?? $"The target does not support {type.ToCamelCase()}.";
                return new BatchOutcome([.. records.Select(r => RecordOutcome.Failed(r.Entity.SourceId, FailureCategory.Unsupported, reason))]);
            }

            TransientFailureTiming? failure = DecideFailure(type);
            if (failure == TransientFailureTiming.BeforeWrite)
            {
                throw TransientFailure(type, landed: false);
            }

            if (RejectBatchWhen is { } rejectBatch && records.FirstOrDefault(r => rejectBatch(r.Entity)) is { } bad)
            {
                throw new MigrationException(
                    $"The target rejected the whole batch of {records.Count} {type.ToCamelCase()}: record '{bad.Entity.SourceId}' is invalid.",
                    FailureCategory.Validation,
                    isTransient: false);
            }

            RecordOutcome[] outcomes = new RecordOutcome[records.Count];
            lock (_gate)
            {
                for (int i = 0; i < records.Count; i++)
                {
                    outcomes[i] = Apply(type, records[i], limits);
                }
            }

            if (failure == TransientFailureTiming.AfterWrite)
            {
                throw TransientFailure(type, landed: true);
            }

            return new BatchOutcome(outcomes);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnauthenticated();
        List<ExistingTarget> found = [];
        lock (_gate)
        {
            TypeState state = _types[(int)type];
            foreach (SourceIdentity identity in identities)
            {
                string? targetId = state.BySourceId.TryGetValue(identity.SourceId, out List<string>? ids) ? ids[0] : null;
                if (targetId is null && identity.NaturalKey is { } key)
                {
                    targetId = FindByNaturalKey(type, state, key);
                }

                if (targetId is not null)
                {
                    InMemoryTargetEntry entry = state.ByTargetId[targetId];
                    // Report the source id the record carries: a natural-key match that belongs to another source record
                    // (a duplicate e-mail) must not be adopted by this one.
                    found.Add(new ExistingTarget(entry.SourceId, entry.TargetId, entry.TargetUrl) { Children = entry.Variants });
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ExistingTarget>>(found);
    }

    /// <inheritdoc/>
    public ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnauthenticated();
        lock (_gate)
        {
            _types[(int)type].Clear();
            _clearCount++;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        Interlocked.Increment(ref _linkCalls);
        ThrowIfUnauthenticated();
        if (BatchLatency > TimeSpan.Zero)
        {
            await Task.Delay(BatchLatency, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RecordOutcome[] outcomes = new RecordOutcome[links.Count];
        lock (_gate)
        {
            TypeState state = _types[(int)type];
            for (int i = 0; i < links.Count; i++)
            {
                LinkRecord link = links[i];
                if (!state.ByTargetId.TryGetValue(link.TargetId, out InMemoryTargetEntry? entry))
                {
                    outcomes[i] = RecordOutcome.Failed(link.SourceId, FailureCategory.Validation, $"{Label(type)} {link.TargetId} does not exist on the target.");
                    continue;
                }

                Dictionary<EntityRef, string> references = new(entry.References);
                foreach (ResolvedLink resolved in link.Links)
                {
                    references[resolved.Reference.Target] = resolved.Target.TargetId;
                }

                InMemoryTargetEntry linked = entry with { References = references.ToFrozenDictionary(), Version = entry.Version + 1 };
                state.ByTargetId[entry.TargetId] = linked;
                outcomes[i] = RecordOutcome.Updated(link.SourceId, entry.TargetId, entry.TargetUrl);
            }
        }

        return new BatchOutcome(outcomes);
    }

    private void ThrowIfUnauthenticated()
    {
        if (AuthenticationFailure)
        {
            throw new MigrationConfigurationException(FailureCategory.Authentication, AuthenticationMessage);
        }
    }

    private void UpdateMax(int active)
    {
        int max = Volatile.Read(ref _maxActive);
        while (active > max)
        {
            int seen = Interlocked.CompareExchange(ref _maxActive, active, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    private TransientFailureTiming? DecideFailure(EntityType type)
    {
        lock (_gate)
        {
            int index = _types[(int)type].WriteIndex++;
            if (MaxTransientFailures is { } cap && _injectedFailures >= cap)
            {
                return null;
            }

            TransientFailureTiming? timing = FailBatch is { } hook
                ? hook(type, index)
                : TransientFailureRate > 0 && _random.NextDouble() < TransientFailureRate ? TransientFailureTiming : null;
            if (timing == TransientFailureTiming.Either)
            {
                timing = _random.Next(2) == 0 ? TransientFailureTiming.BeforeWrite : TransientFailureTiming.AfterWrite;
            }

            if (timing is not null)
            {
                _injectedFailures++;
            }

            return timing;
        }
    }

    private static MigrationException TransientFailure(EntityType type, bool landed)
        => new(
            landed
                ? $"The connection was reset after the {type.ToCamelCase()} batch was sent; the response was lost (simulated)."
                : $"The connection was reset before the {type.ToCamelCase()} batch was sent (simulated).",
            FailureCategory.Connection,
            isTransient: true);

    private RecordOutcome Apply(EntityType type, TargetRecord record, TargetLimits limits)
    {
        Entity entity = record.Entity;
        if (RejectRecord?.Invoke(entity) is { } message)
        {
            return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, message);
        }

        Dictionary<EntityRef, string> references = [];
        foreach (EntityReference reference in entity.GetReferences())
        {
            if (record.TryResolve(reference.Target, out ResolvedTarget target))
            {
                references[reference.Target] = target.TargetId;
            }
            else if (RequireResolvedReferences && reference.Kind == ReferenceKind.Required)
            {
                return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, $"The {reference.Role} reference {reference.Target} does not exist on the target.");
            }
        }

        string? redirectTo = null;
        if (entity is Redirect redirect)
        {
            redirectTo = redirect.ToPath ?? (redirect.TargetEntity is { } to && record.TryResolve(to, out ResolvedTarget resolved) ? resolved.TargetUrl ?? resolved.TargetId : null);
            if (redirectTo is null)
            {
                return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, "Target can't be blank.");
            }
        }

        TypeState state = _types[(int)type];
        return record.Action == WriteAction.Update
            ? Update(type, state, record, references, redirectTo)
            : Create(type, state, record, limits, references, redirectTo);
    }

    private RecordOutcome Create(EntityType type, TypeState state, TargetRecord record, TargetLimits limits, Dictionary<EntityRef, string> references, string? redirectTo)
    {
        Entity entity = record.Entity;
        List<string> keys = UniqueKeys(entity);
        foreach (string key in keys)
        {
            if (state.Keys.ContainsKey(key))
            {
                return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, TakenMessage(type, key));
            }
        }

        string targetId;
        if (record.PreserveId && limits.SupportsPreserveIds)
        {
            if (state.ByTargetId.ContainsKey(entity.SourceId))
            {
                return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, $"ID {entity.SourceId} is already used on the target.");
            }

            targetId = entity.SourceId;
        }
        else
        {
            do
            {
                targetId = $"t-{type.ToCamelCase()}-{++state.Counter}";
            }
            while (state.ByTargetId.ContainsKey(targetId));
        }

        string? handle = HandleBase(entity) is { } handleBase ? UniqueHandle(state, handleBase, owner: null) : null;
        ChildMapping[] variants = entity is Product product
            ? [.. product.Variants.Select(v => new ChildMapping(v.SourceId, $"t-variant-{++_variantCounter}"))]
            : [];
        string? url = UrlOf(type, entity, handle);
        InMemoryTargetEntry entry = new()
        {
            Type = type,
            TargetId = targetId,
            SourceId = entity.SourceId,
            Entity = entity,
            Handle = handle,
            TargetUrl = url,
            RedirectTo = redirectTo,
            References = references.ToFrozenDictionary(),
            Variants = variants,
            Version = 1,
            Sequence = ++_sequence,
        };

        state.Add(entry, keys);
        _totalWrites++;
        return RecordOutcome.Created(entity.SourceId, targetId, url) with { Children = variants };
    }

    private RecordOutcome Update(EntityType type, TypeState state, TargetRecord record, Dictionary<EntityRef, string> references, string? redirectTo)
    {
        Entity entity = record.Entity;
        string targetId = record.ExistingTargetId!;
        if (!state.ByTargetId.TryGetValue(targetId, out InMemoryTargetEntry? existing))
        {
            return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, $"{Label(type)} {targetId} does not exist on the target.");
        }

        List<string> keys = UniqueKeys(entity);
        foreach (string key in keys)
        {
            if (state.Keys.TryGetValue(key, out string? owner) && owner != targetId)
            {
                return RecordOutcome.Failed(entity.SourceId, FailureCategory.Validation, TakenMessage(type, key));
            }
        }

        string? handle = existing.Handle;
        string? handleBase = HandleBase(entity);
        if (!string.Equals(handleBase, HandleBase(existing.Entity), StringComparison.Ordinal))
        {
            handle = handleBase is null ? null : UniqueHandle(state, handleBase, owner: targetId);
        }

        // Fields not sent are kept: a link set earlier survives an update that still holds the reference.
        HashSet<EntityRef> held = [.. entity.GetReferences().Select(r => r.Target)];
        foreach (KeyValuePair<EntityRef, string> previous in existing.References)
        {
            if (held.Contains(previous.Key))
            {
                references.TryAdd(previous.Key, previous.Value);
            }
        }

        Dictionary<string, string> oldVariants = existing.Variants.ToDictionary(v => v.SourceId, v => v.TargetId, StringComparer.Ordinal);
        ChildMapping[] variants = entity is Product product
            ? [.. product.Variants.Select(v => new ChildMapping(v.SourceId, oldVariants.GetValueOrDefault(v.SourceId) ?? $"t-variant-{++_variantCounter}"))]
            : [];
        string? url = UrlOf(type, entity, handle);
        InMemoryTargetEntry updated = existing with
        {
            SourceId = entity.SourceId,
            Entity = entity,
            Handle = handle,
            TargetUrl = url,
            RedirectTo = redirectTo,
            References = references.ToFrozenDictionary(),
            Variants = variants,
            Version = existing.Version + 1,
        };

        state.Replace(existing, updated, keys);
        _totalWrites++;
        return RecordOutcome.Updated(entity.SourceId, targetId, url) with { Children = variants };
    }

    private static string? FindByNaturalKey(EntityType type, TypeState state, string key)
    {
        if (state.Keys.TryGetValue(key, out string? byKey))
        {
            return byKey;
        }

        if (state.Handles.TryGetValue(NormalizeHandle(key), out string? byHandle))
        {
            return byHandle;
        }

        if (type == EntityType.Orders)
        {
            return state.ByTargetId.Values.Where(e => e.Entity is Order o && o.Number == key).OrderBy(e => e.Sequence).Select(e => e.TargetId).FirstOrDefault();
        }

        return null;
    }

    private static List<string> UniqueKeys(Entity entity)
    {
        List<string> keys = [];
        switch (entity)
        {
            case Product product:
                AddKey(keys, product.Sku);
                foreach (ProductVariant variant in product.Variants)
                {
                    AddKey(keys, variant.Sku);
                }

                break;
            case Customer customer:
                AddKey(keys, customer.Email);
                break;
            case Coupon coupon:
                AddKey(keys, coupon.Code);
                break;
            case Redirect redirect:
                AddKey(keys, redirect.FromPath);
                break;
        }

        return keys;

        static void AddKey(List<string> keys, string? key)
        {
            if (!string.IsNullOrWhiteSpace(key) && !keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                keys.Add(key);
            }
        }
    }

    private static string TakenMessage(EntityType type, string key) => type switch
    {
        EntityType.Products => $"SKU '{key}' is already used by another product or variant.",
        EntityType.Customers => "Email has already been taken",
        EntityType.Coupons => "Discount code has already been taken",
        EntityType.Redirects => "Path has already been taken",
        _ => $"'{key}' has already been taken",
    };

    private static string? HandleBase(Entity entity)
    {
        string? source = entity switch
        {
            Product p => p.Slug ?? p.Name,
            Category c => c.Slug ?? c.Name,
            Manufacturer m => m.Slug ?? m.Name,
            Page p => p.Slug ?? p.Title,
            BlogPost b => b.Slug ?? b.Title,
            _ => null,
        };

        if (source is null)
        {
            return null;
        }

        string handle = NormalizeHandle(source);
        return handle.Length == 0 ? "untitled" : handle;
    }

    private static string NormalizeHandle(string value)
    {
        System.Text.StringBuilder builder = new(value.Length);
        bool dash = false;
        foreach (char c in value.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (dash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else
            {
                dash = true;
            }
        }

        return builder.ToString();
    }

    private static string UniqueHandle(TypeState state, string handleBase, string? owner)
    {
        string handle = handleBase;
        for (int suffix = 1; state.Handles.TryGetValue(handle, out string? holder) && holder != owner; suffix++)
        {
            handle = $"{handleBase}-{suffix}";
        }

        return handle;
    }

    private static string? UrlOf(EntityType type, Entity entity, string? handle) => type switch
    {
        EntityType.Products => $"/products/{handle}",
        EntityType.Categories => $"/collections/{handle}",
        EntityType.Pages => $"/pages/{handle}",
        EntityType.BlogPosts => $"/blogs/news/{handle}",
        EntityType.Redirects => ((Redirect)entity).FromPath,
        _ => null,
    };

    private static string Label(EntityType type) => type.ToCamelCase() + " record";

    /// <summary>The records of one type and their unique indexes.</summary>
    private sealed class TypeState
    {
        public long Counter;
        public int WriteIndex;

        public Dictionary<string, InMemoryTargetEntry> ByTargetId { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<string>> BySourceId { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string> Handles { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Add(InMemoryTargetEntry entry, List<string> keys)
        {
            ByTargetId[entry.TargetId] = entry;
            AddSource(entry.SourceId, entry.TargetId);
            foreach (string key in keys)
            {
                Keys[key] = entry.TargetId;
            }

            if (entry.Handle is not null)
            {
                Handles[entry.Handle] = entry.TargetId;
            }
        }

        public void Replace(InMemoryTargetEntry existing, InMemoryTargetEntry updated, List<string> keys)
        {
            foreach (string key in UniqueKeys(existing.Entity))
            {
                Keys.Remove(key);
            }

            if (existing.Handle is not null)
            {
                Handles.Remove(existing.Handle);
            }

            if (!string.Equals(existing.SourceId, updated.SourceId, StringComparison.Ordinal) && BySourceId.TryGetValue(existing.SourceId, out List<string>? ids))
            {
                ids.Remove(existing.TargetId);
                if (ids.Count == 0)
                {
                    BySourceId.Remove(existing.SourceId);
                }

                AddSource(updated.SourceId, updated.TargetId);
            }

            ByTargetId[updated.TargetId] = updated;
            foreach (string key in keys)
            {
                Keys[key] = updated.TargetId;
            }

            if (updated.Handle is not null)
            {
                Handles[updated.Handle] = updated.TargetId;
            }
        }

        public void Clear()
        {
            ByTargetId.Clear();
            BySourceId.Clear();
            Keys.Clear();
            Handles.Clear();
        }

        private void AddSource(string sourceId, string targetId)
        {
            if (!BySourceId.TryGetValue(sourceId, out List<string>? ids))
            {
                ids = [];
                BySourceId[sourceId] = ids;
            }

            ids.Add(targetId);
        }
    }
}
