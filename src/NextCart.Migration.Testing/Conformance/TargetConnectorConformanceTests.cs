using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using Xunit;
using Xunit.Sdk;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>
/// The conformance kit of <see cref="ITargetConnector"/>. Subclass it with a fresh, empty target per test (for example a
/// sandbox emulator), and xunit checks creating, updating, reconciling and the declared limits.
/// </summary>
/// <remarks>
/// The kit writes records from <see cref="SampleData"/> with their references removed (categories without parents,
/// products without categories or links, orders of guests with custom lines), so a target can take them without any
/// other record. Reviews are not written: a review needs its product.
/// </remarks>
public abstract class TargetConnectorConformanceTests
{
    private static readonly Lazy<SampleStore> DefaultSampleData = new(() => SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 20_240_101 }));

    /// <summary>Gets the records the kit writes. By default a generated store of the default size.</summary>
    protected virtual SampleStore SampleData => DefaultSampleData.Value;

    /// <summary>Gets the types to test; unsupported ones are checked for the way they refuse records.</summary>
    protected virtual IEnumerable<EntityType> TypesUnderTest =>
    [
        EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Products, EntityType.Customers,
        EntityType.Orders, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts, EntityType.Redirects,
    ];

    /// <summary>Gets the number of records per type that most tests write.</summary>
    /// <value>The default value is 3.</value>
    protected virtual int RecordsPerType => 3;

    /// <summary>Gets a value indicating whether the target finds records by their stored source id alone, without a natural key.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    protected virtual bool FindsBySourceIdAlone => true;

    /// <summary>Verifies that the provider id is set.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task ProviderId_Always_IsNotEmpty()
        => Assert.False(string.IsNullOrWhiteSpace((await CreateTargetAsync().ConfigureAwait(false)).ProviderId));

    /// <summary>Verifies that the check of a working target passes.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CheckAsync_WorkingTarget_Succeeds()
    {
        ITargetConnector target = await CreateTargetAsync().ConfigureAwait(false);

        ConnectorCheck check = await target.CheckAsync().ConfigureAwait(false);

        Assert.True(check.Succeeded, check.Message);
    }

    /// <summary>Verifies that every type's limits are usable, or say why the type is unsupported.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task GetLimits_EveryType_IsUsableOrUnsupportedWithAReason()
    {
        ITargetConnector target = await CreateTargetAsync().ConfigureAwait(false);
        foreach (EntityType type in EntityTypes.All)
        {
            TargetLimits limits = target.GetLimits(type);
            Assert.NotNull(limits);
            if (limits.IsSupported)
            {
                Assert.True(limits.MaxBatchSize >= 1, $"{type.ToCamelCase()}: MaxBatchSize is {limits.MaxBatchSize}.");
                Assert.True(limits.MaxConcurrency >= 1, $"{type.ToCamelCase()}: MaxConcurrency is {limits.MaxConcurrency}.");
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(limits.UnsupportedReason), $"{type.ToCamelCase()} is unsupported without a reason.");
            }
        }
    }

    /// <summary>Verifies that a write of an unsupported type fails every record as unsupported, and stores nothing.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task WriteAsync_UnsupportedType_FailsEveryRecordAsUnsupported()
    {
        ITargetConnector target = await CreateTargetAsync().ConfigureAwait(false);
        foreach (EntityType type in EntityTypes.All.Where(t => !target.GetLimits(t).IsSupported))
        {
            IReadOnlyList<Entity> records = SampleRecords(type, 2);
            if (records.Count == 0)
            {
                continue;
            }

            BatchOutcome? outcome = null;
            try
            {
                outcome = await target.WriteAsync(type, Creates(records)).ConfigureAwait(false);
            }
            catch (MigrationException ex)
            {
                Assert.Equal(FailureCategory.Unsupported, ex.Category);
                Assert.False(ex.IsTransient);
            }

            if (outcome is not null)
            {
                Assert.Equal(records.Count, outcome.Results.Count);
                Assert.All(outcome.Results, r =>
                {
                    Assert.Equal(RecordStatus.Failed, r.Status);
                    Assert.Equal(FailureCategory.Unsupported, r.Category);
                });
            }

            IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [.. records.Select(r => r.GetIdentity())]).ConfigureAwait(false);
            Assert.Empty(found);
        }
    }

    /// <summary>Verifies that a create returns one created outcome per record, in order, each with a target id.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task WriteAsync_Create_ReturnsOneCreatedOutcomePerRecordInOrder() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        IReadOnlyList<Entity> records = SampleRecords(type, RecordsPerType);

        BatchOutcome outcome = await target.WriteAsync(type, Creates(records)).ConfigureAwait(false);

        Assert.Equal(records.Select(r => r.SourceId), outcome.Results.Select(r => r.SourceId));
        Assert.All(outcome.Results, r =>
        {
            Assert.True(r.Status == RecordStatus.Created, $"Record {r.SourceId}: {r.Status} {r.Category} {r.Message}");
            Assert.False(string.IsNullOrEmpty(r.TargetId));
        });
        Assert.Equal(outcome.Results.Count, outcome.Results.Select(r => r.TargetId).Distinct(StringComparer.Ordinal).Count());
    });

    /// <summary>Verifies that a batch of the largest declared size (up to 50) is accepted with one outcome per record.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task WriteAsync_LargestBatch_ReturnsOneOutcomePerRecord() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        int size = Math.Min(target.GetLimits(type).MaxBatchSize, 50);
        IReadOnlyList<Entity> records = SampleRecords(type, size);

        BatchOutcome outcome = await target.WriteAsync(type, Creates(records)).ConfigureAwait(false);

        Assert.Equal(records.Select(r => r.SourceId), outcome.Results.Select(r => r.SourceId));
    });

    /// <summary>Verifies that a batch holding the same record twice still returns one outcome per record, in order.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task WriteAsync_BatchWithARepeatedRecord_ReturnsOneOutcomePerRecord() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        IReadOnlyList<Entity> records = SampleRecords(type, 2);
        Entity[] batch = [.. records, records[0]];

        BatchOutcome outcome = await target.WriteAsync(type, Creates(batch)).ConfigureAwait(false);

        Assert.Equal(batch.Select(r => r.SourceId), outcome.Results.Select(r => r.SourceId));
        Assert.Equal(RecordStatus.Created, outcome.Results[0].Status);
        Assert.Equal(RecordStatus.Created, outcome.Results[1].Status);
    });

    /// <summary>Verifies that created records are found again by their identity, with the target id the write returned.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task FindExistingAsync_AfterCreate_FindsEachRecordByItsIdentity() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        IReadOnlyList<Entity> records = SampleRecords(type, RecordsPerType);
        BatchOutcome outcome = await target.WriteAsync(type, Creates(records)).ConfigureAwait(false);

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [.. records.Select(r => r.GetIdentity())]).ConfigureAwait(false);

        AssertFound(outcome, found);
    });

    /// <summary>Verifies that created records are found by their source id alone, when the target stores it.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task FindExistingAsync_SourceIdAlone_FindsEachRecord() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        if (!FindsBySourceIdAlone)
        {
            return;
        }

        IReadOnlyList<Entity> records = SampleRecords(type, RecordsPerType);
        BatchOutcome outcome = await target.WriteAsync(type, Creates(records)).ConfigureAwait(false);

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [.. records.Select(r => new SourceIdentity(type, r.SourceId))]).ConfigureAwait(false);

        AssertFound(outcome, found);
    });

    /// <summary>
    /// Verifies that a record found by the natural key of another source record (a duplicate e-mail or SKU) reports the source
    /// id it carries, so the engine never adopts it for the other record.
    /// </summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task FindExistingAsync_NaturalKeyOfAnotherRecord_ReportsTheSourceIdTheRecordCarries() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        if (!FindsBySourceIdAlone)
        {
            return;
        }

        Entity record = SampleRecords(type, 1)[0];
        if (record.GetIdentity().NaturalKey is not { } key)
        {
            return;
        }

        RecordOutcome created = (await target.WriteAsync(type, Creates([record])).ConfigureAwait(false)).Results[0];

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [new SourceIdentity(type, "999999999", key)]).ConfigureAwait(false);

        Assert.All(found, f =>
        {
            Assert.Equal(record.SourceId, f.SourceId);
            Assert.Equal(created.TargetId, f.TargetId);
        });
    });

    /// <summary>Verifies that identities never written are not found.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task FindExistingAsync_NeverWritten_FindsNothing() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        IReadOnlyList<Entity> records = SampleRecords(type, RecordsPerType);

        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [.. records.Select(r => r.GetIdentity())]).ConfigureAwait(false);

        Assert.Empty(found);
    });

    /// <summary>Verifies that a variable product's variants are returned as children by the write and again by reconciliation.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task FindExistingAsync_VariableProduct_ReturnsItsVariants()
    {
        ITargetConnector target = await CreateTargetAsync().ConfigureAwait(false);
        if (!target.GetLimits(EntityType.Products).IsSupported)
        {
            return;
        }

        Product product = (Product)Strip(SampleData.Get<Product>().First(p => p.Variants.Count > 1 && p.Variants.All(v => v.OptionValues.All(o => o.Value is not null))));

        BatchOutcome outcome = await target.WriteAsync(EntityType.Products, Creates([product])).ConfigureAwait(false);
        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(EntityType.Products, [product.GetIdentity()]).ConfigureAwait(false);

        RecordOutcome created = Assert.Single(outcome.Results);
        Assert.Equal(product.Variants.Select(v => v.SourceId).Order(StringComparer.Ordinal), created.Children.Select(c => c.SourceId).Order(StringComparer.Ordinal));
        ExistingTarget existing = Assert.Single(found);
        Assert.Equal(created.Children.OrderBy(c => c.SourceId, StringComparer.Ordinal), existing.Children.OrderBy(c => c.SourceId, StringComparer.Ordinal));
    }

    /// <summary>Verifies that an update returns an updated outcome for the same target id, and does not create another record.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task WriteAsync_Update_UpdatesTheSameTargetRecord() => ForEachSupportedTypeAsync(async (target, type) =>
    {
        Entity record = SampleRecords(type, 1)[0];
        RecordOutcome created = (await target.WriteAsync(type, Creates([record])).ConfigureAwait(false)).Results[0];
        Assert.Equal(RecordStatus.Created, created.Status);
        Entity changed = Change(record);

        BatchOutcome outcome = await target.WriteAsync(type, [new TargetRecord(changed, WriteAction.Update, created.TargetId, null)]).ConfigureAwait(false);

        RecordOutcome updated = Assert.Single(outcome.Results);
        Assert.True(updated.Status == RecordStatus.Updated, $"{updated.Status} {updated.Category} {updated.Message}");
        Assert.Equal(created.TargetId, updated.TargetId);
        IReadOnlyList<ExistingTarget> found = await target.FindExistingAsync(type, [record.GetIdentity()]).ConfigureAwait(false);
        Assert.Equal(created.TargetId, Assert.Single(found).TargetId);
        if (await ReadBackAsync(target, type, created.TargetId!).ConfigureAwait(false) is { } readBack)
        {
            Assert.Equal(Describe(changed), Describe(readBack));
        }
    });

    /// <summary>Creates the target under test: a fresh, empty target for each call.</summary>
    /// <returns>The target.</returns>
    protected abstract ValueTask<ITargetConnector> CreateTargetAsync();

    /// <summary>Reads a record back from the target, translated to the canonical model, so the update test can check what changed.</summary>
    /// <param name="target">The target.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="targetId">The target id.</param>
    /// <returns>The record, or <see langword="null"/> when the target cannot read back (the default).</returns>
    protected virtual ValueTask<Entity?> ReadBackAsync(ITargetConnector target, EntityType type, string targetId) => ValueTask.FromResult<Entity?>(null);

    /// <summary>Gets records of a type from <see cref="SampleData"/> without references and with unique natural keys.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="count">The number of records wanted.</param>
    /// <returns>Up to <paramref name="count"/> records.</returns>
    protected IReadOnlyList<Entity> SampleRecords(EntityType type, int count)
    {
        List<Entity> records = [];
        HashSet<string> keys = new(StringComparer.OrdinalIgnoreCase);
        foreach (Entity entity in SampleData.Get(type))
        {
            if (records.Count == count)
            {
                break;
            }

            if (type == EntityType.Reviews || (entity.GetIdentity().NaturalKey is { } key && !keys.Add(key)))
            {
                continue;
            }

            records.Add(Strip(entity));
        }

        return records;
    }

    /// <summary>Removes the references of a record, so a target can take it without any other record.</summary>
    /// <param name="entity">The record.</param>
    /// <returns>The record without references.</returns>
    protected static Entity Strip(Entity entity) => entity switch
    {
        Category c => c with { ParentId = null },
        Product p => p with { CategoryIds = [], ManufacturerId = null, RelatedIds = [], UpsellIds = [], CrossSellIds = [], GroupedIds = [] },
        Order o => o with { CustomerId = null, Lines = [.. o.Lines.Select(l => l with { ProductId = null, VariantId = null })] },
        Coupon c => c with { ProductIds = [], ExcludedProductIds = [], CategoryIds = [], ExcludedCategoryIds = [] },
        Redirect r => r with { TargetEntity = null, ToPath = r.ToPath ?? "/" },
        null => throw new ArgumentNullException(nameof(entity)),
        _ => entity,
    };

    private static Entity Change(Entity entity) => entity switch
    {
        Tax t => t with { Rate = t.Rate + 1m },
        Manufacturer m => m with { Description = "<p>Changed.</p>" },
        Category c => c with { Description = "<p>Changed.</p>" },
        Product p => p with { Name = p.Name + " (changed)", Price = p.Price is { } price ? price with { Amount = price.Amount + 1m } : null },
        Customer c => c with { FirstName = "Changed" },
        Order o => o with { CustomerNote = "Changed." },
        Coupon c => c with { Description = "Changed." },
        Page p => p with { Title = p.Title + " (changed)" },
        BlogPost b => b with { Title = b.Title + " (changed)" },
        Redirect r => r with { ToPath = "/changed" },
        _ => entity with { UpdatedAt = entity.UpdatedAt?.AddDays(1) },
    };

    private static string Describe(Entity entity) => entity switch
    {
        Tax t => $"{t.Name} {t.Rate}",
        Manufacturer m => $"{m.Name} {m.Description}",
        Category c => $"{c.Name} {c.Description}",
        Product p => $"{p.Name} {p.Price?.Amount}",
        Customer c => $"{c.Email} {c.FirstName}",
        Order o => $"{o.Number} {o.CustomerNote}",
        Coupon c => $"{c.Code} {c.Description}",
        Page p => p.Title,
        BlogPost b => b.Title,
        Redirect r => $"{r.FromPath} {r.ToPath}",
        _ => entity.SourceId,
    };

    private static TargetRecord[] Creates(IEnumerable<Entity> records) => [.. records.Select(r => new TargetRecord(r, WriteAction.Create, null, null))];

    private static void AssertFound(BatchOutcome outcome, IReadOnlyList<ExistingTarget> found)
    {
        Dictionary<string, string?> created = outcome.Results.ToDictionary(r => r.SourceId, r => r.TargetId, StringComparer.Ordinal);
        Assert.Equal(created.Keys.Order(StringComparer.Ordinal), found.Select(f => f.SourceId).Order(StringComparer.Ordinal));
        Assert.All(found, f => Assert.Equal(created[f.SourceId], f.TargetId));
    }

    private async Task ForEachSupportedTypeAsync(Func<ITargetConnector, EntityType, Task> test)
    {
        int tested = 0;
        foreach (EntityType type in TypesUnderTest)
        {
            ITargetConnector target = await CreateTargetAsync().ConfigureAwait(false);
            if (!target.GetLimits(type).IsSupported || SampleRecords(type, 2).Count < 2)
            {
                continue;
            }

            tested++;
            try
            {
                await test(target, type).ConfigureAwait(false);
            }
            catch (XunitException ex)
            {
                throw new XunitException($"{type.ToCamelCase()}: {ex.Message}");
            }
        }

        Assert.True(tested > 0, "No supported type had sample records to test.");
    }
}
