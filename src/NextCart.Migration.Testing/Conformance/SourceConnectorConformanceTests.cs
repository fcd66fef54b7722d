using System.Collections.Frozen;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using Xunit;
using Xunit.Sdk;

namespace NextCart.Migration.Testing.Conformance;

/// <summary>
/// The conformance kit of <see cref="ISourceConnector"/>. Subclass it with a source that holds the records of
/// <see cref="ExpectedStore"/> (for example a sandbox seeded from it), and xunit checks paging, resuming, counting and filtering.
/// </summary>
/// <remarks>
/// The kit compares source ids only, so a connector that translates records from a platform's shapes passes when it
/// reads the same records. For the paging tests to mean something, the source's page size should be smaller than the
/// number of records of the types under test.
/// </remarks>
public abstract class SourceConnectorConformanceTests
{
    /// <summary>Gets the store whose records the source holds.</summary>
    protected abstract SampleStore ExpectedStore { get; }

    /// <summary>Gets the types to test. By default every type that <see cref="ExpectedStore"/> has records of.</summary>
    protected virtual IEnumerable<EntityType> TypesUnderTest => EntityTypes.All.Where(t => ExpectedStore.Count(t) > 0);

    /// <summary>Gets the limit the limit tests use.</summary>
    /// <value>The default value is 5.</value>
    protected virtual int LimitUnderTest => 5;

    /// <summary>Verifies that the provider id is set.</summary>
    [Fact]
    public void ProviderId_Always_IsNotEmpty() => Assert.False(string.IsNullOrWhiteSpace(CreateSource().ProviderId));

    /// <summary>Verifies that the check of a working source passes.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public async Task CheckAsync_WorkingSource_Succeeds()
    {
        ConnectorCheck check = await CreateSource().CheckAsync().ConfigureAwait(false);

        Assert.True(check.Succeeded, check.Message);
    }

    /// <summary>Verifies that a full read returns every record exactly once, of the type asked for.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_FullRead_ReturnsEveryRecordExactlyOnce() => ForEachTypeAsync(async (source, type) =>
    {
        List<SourcePage> pages = await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false);

        Assert.All(pages.SelectMany(p => p.Records), r => Assert.Equal(type, r.Type));
        List<string> read = Ids(pages);
        Assert.Equal(read.Count, read.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ExpectedIds(type).Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    });

    /// <summary>Verifies that two full reads return the records in the same order.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_TwoFullReads_ReturnTheSameOrder() => ForEachTypeAsync(async (source, type) =>
    {
        List<string> first = Ids(await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false));
        List<string> second = Ids(await ReadAllAsync(CreateSource(), type, SourceQuery.All, null).ConfigureAwait(false));

        Assert.Equal(first, second);
    });

    /// <summary>Verifies that every page but the last carries a resume token, and the last carries none.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_Pages_OnlyTheLastPageHasNoResumeToken() => ForEachTypeAsync(async (source, type) =>
    {
        List<SourcePage> pages = await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false);

        Assert.NotEmpty(pages);
        Assert.All(pages.Take(pages.Count - 1), p => Assert.NotNull(p.ResumeToken));
        Assert.Null(pages[^1].ResumeToken);
    });

    /// <summary>Verifies that resuming from any page's token reads exactly the records after that page.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_ResumeFromEachPageToken_ContinuesWithoutGapOrDuplicate() => ForEachTypeAsync(async (source, type) =>
    {
        List<SourcePage> pages = await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false);
        List<string> all = Ids(pages);
        int readSoFar = 0;
        foreach (SourcePage page in pages)
        {
            readSoFar += page.Records.Count + page.Errors.Count;
            if (page.ResumeToken is null)
            {
                continue;
            }

            List<string> resumed = Ids(await ReadAllAsync(CreateSource(), type, SourceQuery.All, page.ResumeToken).ConfigureAwait(false));
            Assert.Equal(all.Skip(readSoFar), resumed);
        }
    });

    /// <summary>Verifies that the count of everything equals the number of records a full read returns.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task CountAsync_All_EqualsTheRecordsRead() => ForEachTypeAsync(async (source, type) =>
    {
        long? count = await source.CountAsync(type, SourceQuery.All).ConfigureAwait(false);
        if (count is null)
        {
            return;
        }

        List<string> read = Ids(await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false));
        Assert.Equal(read.Count, count.Value);
    });

    /// <summary>Verifies that a limited read returns the first records of a full read, no more than the limit, and counts the same.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_Limit_ReturnsAtMostTheLimit() => ForEachTypeAsync(async (source, type) =>
    {
        SourceQuery query = new() { Limit = LimitUnderTest };
        List<string> all = Ids(await ReadAllAsync(source, type, SourceQuery.All, null).ConfigureAwait(false));

        List<string> limited = Ids(await ReadAllAsync(CreateSource(), type, query, null).ConfigureAwait(false));
        long? count = await source.CountAsync(type, query).ConfigureAwait(false);

        Assert.Equal(all.Take(LimitUnderTest), limited);
        if (count is not null)
        {
            Assert.Equal(Math.Min(LimitUnderTest, all.Count), count.Value);
        }
    });

    /// <summary>Verifies that an id filter returns exactly the selected records that exist, and counts the same.</summary>
    /// <returns>A task that completes when the test does.</returns>
    [Fact]
    public Task ReadAsync_IdsFilter_ReturnsExactlyTheSelectedRecords() => ForEachTypeAsync(async (source, type) =>
    {
        IReadOnlyList<string> ids = ExpectedIds(type);
        string[] selected = [.. new[] { ids[0], ids[ids.Count / 2], ids[^1] }.Distinct(StringComparer.Ordinal)];
        SourceQuery query = new() { Ids = selected.Append("999999999").ToFrozenSet(StringComparer.Ordinal) };

        List<string> read = Ids(await ReadAllAsync(source, type, query, null).ConfigureAwait(false));
        long? count = await source.CountAsync(type, query).ConfigureAwait(false);

        Assert.Equal(selected.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
        if (count is not null)
        {
            Assert.Equal(selected.Length, count.Value);
        }
    });

    /// <summary>Creates the source under test; it is called several times per test and every instance must read the same records.</summary>
    /// <returns>The source.</returns>
    protected abstract ISourceConnector CreateSource();

    /// <summary>Reads every page of a query.</summary>
    /// <param name="source">The source.</param>
    /// <param name="type">The entity type.</param>
    /// <param name="query">The query.</param>
    /// <param name="resumeToken">The token to resume after, or <see langword="null"/>.</param>
    /// <returns>The pages.</returns>
    protected static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, EntityType type, SourceQuery query, string? resumeToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        List<SourcePage> pages = [];
        await foreach (SourcePage page in source.ReadAsync(type, query, resumeToken).ConfigureAwait(false))
        {
            pages.Add(page);
            if (pages.Count > 1_000_000)
            {
                throw new XunitException("The source never stopped returning pages.");
            }
        }

        return pages;
    }

    /// <summary>Gets the source ids of the records and malformed records of pages, in the order read.</summary>
    /// <param name="pages">The pages.</param>
    /// <returns>The ids.</returns>
    protected static List<string> Ids(IEnumerable<SourcePage> pages)
        => [.. (pages ?? throw new ArgumentNullException(nameof(pages))).SelectMany(p => p.Records.Select(r => r.SourceId).Concat(p.Errors.Select(e => e.SourceId)))];

    private IReadOnlyList<string> ExpectedIds(EntityType type) => [.. ExpectedStore.Get(type).Select(e => e.SourceId)];

    private async Task ForEachTypeAsync(Func<ISourceConnector, EntityType, Task> test)
    {
        EntityType[] types = [.. TypesUnderTest];
        Assert.NotEmpty(types);
        foreach (EntityType type in types)
        {
            try
            {
                await test(CreateSource(), type).ConfigureAwait(false);
            }
            catch (XunitException ex)
            {
                throw new XunitException($"{type.ToCamelCase()}: {ex.Message}");
            }
        }
    }
}
