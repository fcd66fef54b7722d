using System.Collections.ObjectModel;
using System.Globalization;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>
/// An immutable set of canonical records, per entity type in ascending source-id order (see <see cref="SourceIdComparer"/>).
/// <see cref="SampleStoreGenerator"/> makes one from a seed; the <c>With…</c>, <see cref="Mutate"/>, <see cref="Add(Entity)"/>
/// and <see cref="Remove"/> methods return changed copies, so tests can model a source store that changes between runs.
/// </summary>
/// <remarks>
/// Copies share the lists of the types they do not change, so a changed copy of a large store is cheap.
/// Source ids should be numeric, as they are in generated stores.
/// </remarks>
public sealed class SampleStore
{
    private static readonly Dictionary<Type, EntityType> TypeOfClr = new()
    {
        [typeof(Tax)] = EntityType.Taxes,
        [typeof(Manufacturer)] = EntityType.Manufacturers,
        [typeof(Category)] = EntityType.Categories,
        [typeof(Product)] = EntityType.Products,
        [typeof(Customer)] = EntityType.Customers,
        [typeof(Order)] = EntityType.Orders,
        [typeof(Review)] = EntityType.Reviews,
        [typeof(Coupon)] = EntityType.Coupons,
        [typeof(Page)] = EntityType.Pages,
        [typeof(BlogPost)] = EntityType.BlogPosts,
        [typeof(Redirect)] = EntityType.Redirects,
    };

    private readonly ReadOnlyCollection<Entity>[] _lists;

    private SampleStore(ReadOnlyCollection<Entity>[] lists, SampleStoreOptions? options)
    {
        _lists = lists;
        Options = options;
        long total = 0;
        foreach (ReadOnlyCollection<Entity> list in lists)
        {
            total += list.Count;
        }

        TotalCount = total;
    }

    /// <summary>Gets an empty store.</summary>
    public static SampleStore Empty { get; } = new(CreateEmptyLists(), null);

    /// <summary>Gets the options the store was generated from, or <see langword="null"/> when it was built from records.</summary>
    /// <remarks>Changed copies keep the options of the store they were made from.</remarks>
    public SampleStoreOptions? Options { get; }

    /// <summary>Gets the number of records of every type.</summary>
    public long TotalCount { get; }

    /// <summary>Gets every record: the types in dependency order, each in ascending source-id order.</summary>
    public IEnumerable<Entity> All
    {
        get
        {
            foreach (EntityType type in EntityTypes.All)
            {
                foreach (Entity entity in _lists[(int)type])
                {
                    yield return entity;
                }
            }
        }
    }

    /// <summary>Creates a store from records of any types, in any order.</summary>
    /// <param name="entities">The records. Source ids must be unique per type.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">Two records of a type share a source id.</exception>
    public static SampleStore FromEntities(IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        List<Entity>[] buckets = new List<Entity>[EntityTypes.All.Count];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = [];
        }

        foreach (Entity entity in entities)
        {
            ArgumentNullException.ThrowIfNull(entity, nameof(entities));
            buckets[(int)entity.Type].Add(entity);
        }

        ReadOnlyCollection<Entity>[] lists = new ReadOnlyCollection<Entity>[buckets.Length];
        for (int i = 0; i < buckets.Length; i++)
        {
            lists[i] = SortAndCheck(buckets[i]);
        }

        return new SampleStore(lists, null);
    }

    /// <summary>Gets the records of a type, in ascending source-id order.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<Entity> Get(EntityType type) => _lists[CheckType(type)];

    /// <summary>Gets the records of the type that <typeparamref name="T"/> represents, in ascending source-id order.</summary>
    /// <typeparam name="T">The canonical record type, such as <see cref="Product"/>.</typeparam>
    /// <returns>The records.</returns>
    public IEnumerable<T> Get<T>()
        where T : Entity
        => _lists[(int)TypeOf<T>()].Cast<T>();

    /// <summary>Gets the number of records of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The count.</returns>
    public int Count(EntityType type) => _lists[CheckType(type)].Count;

    /// <summary>Finds a record by type and source id.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The source id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public Entity? Find(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ReadOnlyCollection<Entity> list = _lists[CheckType(type)];
        int index = IndexOf(list, sourceId);
        return index >= 0 ? list[index] : null;
    }

    /// <summary>Finds a record by source id.</summary>
    /// <typeparam name="T">The canonical record type.</typeparam>
    /// <param name="sourceId">The source id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public T? Find<T>(string sourceId)
        where T : Entity
        => (T?)Find(TypeOf<T>(), sourceId);

    /// <summary>Gets the index of the first record of a type whose source id is greater than <paramref name="sourceId"/>.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The source id, which need not exist.</param>
    /// <returns>The index, or the count when every record's id is less or equal.</returns>
    public int IndexAfter(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ReadOnlyCollection<Entity> list = _lists[CheckType(type)];
        int index = IndexOf(list, sourceId);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>Gets a source id for a new record of a type: one more than the largest numeric id.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The id.</returns>
    public string NextSourceId(EntityType type)
    {
        long max = 0;
        foreach (Entity entity in _lists[CheckType(type)])
        {
            if (long.TryParse(entity.SourceId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id > max)
            {
                max = id;
            }
        }

        return (max + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the latest creation time among the records of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The time, or <see langword="null"/> when no record has one.</returns>
    public DateTimeOffset? LatestCreatedAt(EntityType type)
    {
        DateTimeOffset? latest = null;
        foreach (Entity entity in _lists[CheckType(type)])
        {
            if (entity.CreatedAt is { } created && (latest is null || created > latest))
            {
                latest = created;
            }
        }

        return latest;
    }

    /// <summary>Returns a copy in which every record has passed through <paramref name="change"/>.</summary>
    /// <param name="change">
    /// Returns the record itself to keep it, a new record to replace it (same type; a changed source id is re-sorted), or
    /// <see langword="null"/> to delete it.
    /// </param>
    /// <returns>The changed store.</returns>
    public SampleStore WithChanges(Func<Entity, Entity?> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        SampleStore store = this;
        foreach (EntityType type in EntityTypes.All)
        {
            store = store.WithChanges(type, change);
        }

        return store;
    }

    /// <summary>Returns a copy in which every record of one type has passed through <paramref name="change"/>.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="change">As in <see cref="WithChanges(Func{Entity, Entity})"/>.</param>
    /// <returns>The changed store; this store when nothing changed.</returns>
    public SampleStore WithChanges(EntityType type, Func<Entity, Entity?> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        ReadOnlyCollection<Entity> list = _lists[CheckType(type)];
        List<Entity> changed = new(list.Count);
        bool any = false;
        bool resort = false;
        foreach (Entity entity in list)
        {
            Entity? result = change(entity);
            if (!ReferenceEquals(result, entity))
            {
                any = true;
            }

            if (result is null)
            {
                continue;
            }

            if (result.Type != type)
            {
                throw new InvalidOperationException($"A change turned {type.ToCamelCase()} record '{entity.SourceId}' into a {result.Type.ToCamelCase()} record.");
            }

            resort |= !string.Equals(result.SourceId, entity.SourceId, StringComparison.Ordinal);
            changed.Add(result);
        }

        if (!any)
        {
            return this;
        }

        return Replace(type, resort ? SortAndCheck(changed) : changed.AsReadOnly());
    }

    /// <summary>Returns a copy in which one record is changed.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The record's source id.</param>
    /// <param name="change">Returns the changed record, of the same type and source id.</param>
    /// <returns>The changed store.</returns>
    /// <exception cref="KeyNotFoundException">The record does not exist.</exception>
    public SampleStore Mutate(EntityType type, string sourceId, Func<Entity, Entity> change)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(change);
        ReadOnlyCollection<Entity> list = _lists[CheckType(type)];
        int index = IndexOf(list, sourceId);
        if (index < 0)
        {
            throw new KeyNotFoundException($"The store has no {type.ToCamelCase()} record '{sourceId}'.");
        }

        Entity result = change(list[index]) ?? throw new InvalidOperationException("The change returned null; use Remove to delete a record.");
        if (result.Type != type || !string.Equals(result.SourceId, sourceId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A change made by Mutate must keep the record's type and source id.");
        }

        Entity[] copy = [.. list];
        copy[index] = result;
        return Replace(type, Array.AsReadOnly(copy));
    }

    /// <summary>Returns a copy in which one record is changed.</summary>
    /// <typeparam name="T">The canonical record type.</typeparam>
    /// <param name="sourceId">The record's source id.</param>
    /// <param name="change">Returns the changed record, with the same source id.</param>
    /// <returns>The changed store.</returns>
    /// <example><c>store.Mutate&lt;Product&gt;("5", p =&gt; p with { Name = "Renamed", UpdatedAt = later })</c>.</example>
    public SampleStore Mutate<T>(string sourceId, Func<T, T> change)
        where T : Entity
    {
        ArgumentNullException.ThrowIfNull(change);
        return Mutate(TypeOf<T>(), sourceId, e => change((T)e));
    }

    /// <summary>Returns a copy with one more record.</summary>
    /// <param name="entity">The record; its source id must be new for its type (see <see cref="NextSourceId"/>).</param>
    /// <returns>The changed store.</returns>
    /// <exception cref="ArgumentException">A record of the type already has the source id.</exception>
    public SampleStore Add(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return AddRange([entity]);
    }

    /// <summary>Returns a copy with more records, of any types.</summary>
    /// <param name="entities">The records; their source ids must be new for their types.</param>
    /// <returns>The changed store.</returns>
    /// <exception cref="ArgumentException">A record of a type already has the source id.</exception>
    public SampleStore AddRange(IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ReadOnlyCollection<Entity>[] lists = (ReadOnlyCollection<Entity>[])_lists.Clone();
        foreach (IGrouping<EntityType, Entity> group in entities.GroupBy(e => e.Type))
        {
            List<Entity> merged = [.. lists[(int)group.Key], .. group];
            lists[(int)group.Key] = SortAndCheck(merged);
        }

        return new SampleStore(lists, Options);
    }

    /// <summary>Returns a copy without one record, as when it is deleted at the source.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="sourceId">The record's source id.</param>
    /// <returns>The changed store; this store when the record does not exist.</returns>
    public SampleStore Remove(EntityType type, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ReadOnlyCollection<Entity> list = _lists[CheckType(type)];
        int index = IndexOf(list, sourceId);
        if (index < 0)
        {
            return this;
        }

        List<Entity> copy = [.. list];
        copy.RemoveAt(index);
        return Replace(type, copy.AsReadOnly());
    }

    /// <summary>Scans the store for the edge cases the generator plants, and reports the ids of the records that hold them.</summary>
    /// <returns>The edge cases. It describes this store, so it stays correct after changes.</returns>
    public SampleStoreEdgeCases FindEdgeCases() => SampleStoreEdgeCases.Find(this);

    /// <summary>Gets the entity type that a canonical record type represents.</summary>
    /// <typeparam name="T">The canonical record type.</typeparam>
    /// <returns>The entity type.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a concrete canonical record type.</exception>
    public static EntityType TypeOf<T>()
        where T : Entity
        => TypeOfClr.TryGetValue(typeof(T), out EntityType type)
            ? type
            : throw new ArgumentException($"{typeof(T).Name} is not a concrete canonical record type.", nameof(T));

    /// <summary>Creates a store from per-type lists that are already sorted and checked (the generator's output).</summary>
    /// <param name="lists">The lists, indexed by entity type.</param>
    /// <param name="options">The options.</param>
    /// <returns>The store.</returns>
    internal static SampleStore FromSortedLists(Entity[][] lists, SampleStoreOptions options)
    {
        ReadOnlyCollection<Entity>[] wrapped = new ReadOnlyCollection<Entity>[lists.Length];
        for (int i = 0; i < lists.Length; i++)
        {
            wrapped[i] = Array.AsReadOnly(lists[i]);
        }

        return new SampleStore(wrapped, options);
    }

    private SampleStore Replace(EntityType type, ReadOnlyCollection<Entity> list)
    {
        ReadOnlyCollection<Entity>[] lists = (ReadOnlyCollection<Entity>[])_lists.Clone();
        lists[(int)type] = list;
        return new SampleStore(lists, Options);
    }

    private static int IndexOf(ReadOnlyCollection<Entity> list, string sourceId)
    {
        int lo = 0;
        int hi = list.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            int c = SourceIdComparer.Instance.Compare(list[mid].SourceId, sourceId);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private static ReadOnlyCollection<Entity> SortAndCheck(List<Entity> list)
    {
        Entity[] array = [.. list];
        Array.Sort(array, static (a, b) => SourceIdComparer.Instance.Compare(a.SourceId, b.SourceId));
        for (int i = 1; i < array.Length; i++)
        {
            if (SourceIdComparer.Instance.Compare(array[i - 1].SourceId, array[i].SourceId) == 0)
            {
                throw new ArgumentException($"Two {array[i].Type.ToCamelCase()} records have the source id '{array[i].SourceId}'.");
            }
        }

        return Array.AsReadOnly(array);
    }

    private static ReadOnlyCollection<Entity>[] CreateEmptyLists()
    {
        ReadOnlyCollection<Entity>[] lists = new ReadOnlyCollection<Entity>[EntityTypes.All.Count];
        Array.Fill(lists, ReadOnlyCollection<Entity>.Empty);
        return lists;
    }

    private static int CheckType(EntityType type)
    {
        if ((uint)type >= (uint)EntityTypes.All.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown entity type.");
        }

        return (int)type;
    }
}
