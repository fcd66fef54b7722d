using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Http;
using NextCart.Migration.Model;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Reads a WooCommerce store through REST v3, WordPress <c>wp/v2</c> and the Redirection plugin.</summary>
internal sealed class WooCommerceSource : ISourceConnector, ISourceValueInspector
{
    private static readonly string[] WooStatuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"];
    private readonly WooCommerceClient _client;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _currencyLock = new(1, 1);
    private string? _currency;
    private Dictionary<string, (string? Slug, string? Parent)>? _categoryTree;

    public WooCommerceSource(WooCommerceClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    public string ProviderId => WooCommerceConstants.ProviderId;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
        => WooCommerceCheck.RunAsync(_client, _logger, cancellationToken);

    public async ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (type == EntityType.Manufacturers)
        {
            return 0;
        }

        Endpoint endpoint = Endpoint.For(type);
        if (endpoint.Api == WooApi.Redirection)
        {
            using HttpResponseMessage raw = await _client.SendRawAsync(HttpMethod.Get, endpoint.Api, endpoint.Path, [new("per_page", "1"), new("page", "0")], null, cancellationToken).ConfigureAwait(false);
            if (raw.StatusCode == HttpStatusCode.NotFound)
            {
                return 0;
            }

            await HttpFailureClassifier.EnsureSuccessAsync(raw, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            WooResponse r = await WooCommerceClient.ParseAsync(raw, cancellationToken).ConfigureAwait(false);
            long total = r.Body.Prop("total") is { } t && t.TryGetInt64(out long n) ? n : 0;
            return query.Limit is { } l ? Math.Min(l, total) : total;
        }

        if (NeedsClientFilter(type, query))
        {
            return null;
        }

        List<KeyValuePair<string, string>> parameters = BuildQuery(type, query, 1, pageSize: 1, _client.HasWordPressCredentials);
        WooResponse response;
        try
        {
            response = await _client.GetAsync(endpoint.Api, endpoint.Path, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreHttpException ex) when (endpoint.Api == WooApi.WordPress && ex.StatusCode is HttpStatusCode.BadRequest)
        {
            return 0;
        }

        long? count = response.Total ?? (response.Body.ValueKind == JsonValueKind.Array ? response.Body.GetArrayLength() : null);
        return count is { } c && query.Limit is { } limit ? Math.Min(c, limit) : count;
    }

    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (type == EntityType.Manufacturers)
        {
            // Brands are a recent WooCommerce addition without a stable v3 contract; manufacturers are not read.
            yield return new SourcePage([], null);
            yield break;
        }

        Endpoint endpoint = Endpoint.For(type);
        int page = endpoint.Api == WooApi.Redirection ? 0 : 1;
        if (resumeToken is not null && !int.TryParse(resumeToken, NumberStyles.None, CultureInfo.InvariantCulture, out page))
        {
            throw new MigrationConfigurationException(FailureCategory.Configuration, $"The resume token '{resumeToken}' is not a WooCommerce page number; restart the {type.ToCamelCase()} transfer.");
        }

        string currency = type is EntityType.Products or EntityType.Coupons ? await GetCurrencyAsync(cancellationToken).ConfigureAwait(false) : _client.Options.DefaultCurrency;
        int pageSize = _client.Options.PageSize;
        int returned = 0;
        bool clientFilter = NeedsClientFilter(type, query);
        while (true)
        {
            List<KeyValuePair<string, string>> parameters = BuildQuery(type, query, page, pageSize, _client.HasWordPressCredentials);
            (IReadOnlyList<JsonElement> items, bool last) = await FetchPageAsync(endpoint, parameters, page, pageSize, cancellationToken).ConfigureAwait(false);
            Log.SourcePageRead(_logger, endpoint.Path, page, items.Count);
            List<Entity> records = [];
            List<RecordIssue> errors = [];
            foreach (JsonElement item in items)
            {
                if (query.Limit is { } limit && returned >= limit)
                {
                    last = true;
                    break;
                }

                string id = item.Str("id") ?? "?";
                try
                {
                    Entity entity = await MapAsync(type, item, currency, cancellationToken).ConfigureAwait(false);
                    if (clientFilter && !query.Matches(entity))
                    {
                        continue;
                    }

                    records.Add(entity);
                    returned++;
                }
                catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException or OverflowException or JsonException)
                {
                    Log.SourceRecordMalformed(_logger, endpoint.Path, id, ex.Message);
                    errors.Add(new RecordIssue(type, id, FailureCategory.Validation, $"The WooCommerce {type.ToCamelCase()} record {id} could not be read: {ex.Message}"));
                }
            }

            if (query.Limit is { } max && returned >= max)
            {
                last = true;
            }

            page++;
            yield return new SourcePage(records, last ? null : page.ToString(CultureInfo.InvariantCulture)) { Errors = errors };
            if (last)
            {
                yield break;
            }
        }
    }

    public async ValueTask<IReadOnlyCollection<string>> GetDistinctValuesAsync(MappedField field, CancellationToken cancellationToken = default)
    {
        if (field == MappedField.OrderStatus)
        {
            try
            {
                WooResponse totals = await _client.GetAsync(WooApi.WooCommerce, "reports/orders/totals", null, cancellationToken).ConfigureAwait(false);
                return totals.Body.EnumerateArray().Select(s => s.Str("slug")).OfType<string>().Where(s => !s.StartsWith("trash", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
            }
            catch (StoreHttpException ex) when (ex.Category is FailureCategory.Configuration or FailureCategory.Permission)
            {
                return WooStatuses;
            }
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        for (int page = 1; ; page++)
        {
            WooResponse response = await _client.GetAsync(
                WooApi.WooCommerce,
                "customers",
                [new("per_page", "100"), new("page", page.ToString(CultureInfo.InvariantCulture)), new("orderby", "id"), new("order", "asc"), new("_fields", "id,role")],
                cancellationToken).ConfigureAwait(false);
            int count = 0;
            foreach (JsonElement c in response.Body.EnumerateArray())
            {
                count++;
                if (c.Str("role") is { } role)
                {
                    roles.Add(role);
                }
            }

            if (count < 100 || (response.TotalPages is { } pages && page >= pages))
            {
                return roles;
            }
        }
    }

    private async Task<(IReadOnlyList<JsonElement> Items, bool Last)> FetchPageAsync(Endpoint endpoint, List<KeyValuePair<string, string>> parameters, int page, int pageSize, CancellationToken cancellationToken)
    {
        using HttpResponseMessage raw = await _client.SendRawAsync(HttpMethod.Get, endpoint.Api, endpoint.Path, parameters, null, cancellationToken).ConfigureAwait(false);
        if (endpoint.Api == WooApi.Redirection && raw.StatusCode == HttpStatusCode.NotFound)
        {
            Log.RedirectsUnavailable(_logger);
            return ([], true);
        }

        if (!raw.IsSuccessStatusCode)
        {
            StoreHttpException failure = await HttpFailureClassifier.ClassifyAsync(raw, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (endpoint.Api == WooApi.WordPress && failure.ServerCode == "rest_post_invalid_page_number")
            {
                return ([], true); // wp/v2 answers a page past the end with 400.
            }

            throw failure;
        }

        WooResponse response = await WooCommerceClient.ParseAsync(raw, cancellationToken).ConfigureAwait(false);
        JsonElement body = response.Body;
        if (endpoint.Api == WooApi.Redirection && body.ValueKind == JsonValueKind.Object)
        {
            body = body.Prop("items") ?? default;
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new MigrationException($"The store answered {endpoint.Path} with something other than a list; check StoreUrl.", FailureCategory.Configuration, isTransient: false);
        }

        JsonElement[] items = body.EnumerateArray().ToArray();
        bool last = items.Length < pageSize || (response.TotalPages is { } pages && page >= pages);
        return (items, last);
    }

    private async Task<Entity> MapAsync(EntityType type, JsonElement item, string currency, CancellationToken cancellationToken)
    {
        if (type == EntityType.Products)
        {
            IReadOnlyList<JsonElement> variations = [];
            if (item.Str("type") == "variable")
            {
                variations = await ReadAllAsync($"products/{item.Id()}/variations", cancellationToken).ConfigureAwait(false);
            }

            return SourceMapper.MapProduct(item, currency, variations);
        }

        if (type == EntityType.Orders)
        {
            WooResponse notes = await _client.GetAsync(WooApi.WooCommerce, $"orders/{item.Id()}/notes", [new("type", "any")], cancellationToken).ConfigureAwait(false);
            return SourceMapper.MapOrder(item, notes.Body.ValueKind == JsonValueKind.Array ? notes.Body.EnumerateArray().ToArray() : []);
        }

        if (type == EntityType.Categories)
        {
            Category category = SourceMapper.MapCategory(item);
            return category with { Url = await CategoryUrlAsync(category, cancellationToken).ConfigureAwait(false) };
        }

        return SourceMapper.Map(type, item, currency);
    }

    /// <summary>
    /// A category's URL: the REST resource has none, so it is built as WordPress does, from the slugs of the category and its
    /// ancestors (<see cref="WooPermalinks"/>). The tree (id, slug and parent of every category) is read once per source, and
    /// again (once per category) when a category names a parent created since.
    /// </summary>
    private async Task<string?> CategoryUrlAsync(Category category, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(category.Slug))
        {
            return null;
        }

        bool reread = false;
        return await WooPermalinks.CategoryAsync(
            _client.Options.CategoryBase,
            category.Slug,
            category.ParentId,
            async (id, token) =>
            {
                if (_categoryTree is null || (!_categoryTree.ContainsKey(id) && !reread))
                {
                    reread = _categoryTree is not null;
                    _categoryTree = (await ReadAllAsync("products/categories", token).ConfigureAwait(false))
                        .ToDictionary(c => c.Id(), c => (c.Str("slug"), c.RefId("parent")), StringComparer.Ordinal);
                }

                return _categoryTree.TryGetValue(id, out (string? Slug, string? Parent) node) ? node : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<JsonElement>> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        List<JsonElement> all = [];
        for (int page = 1; ; page++)
        {
            WooResponse response = await _client.GetAsync(
                WooApi.WooCommerce,
                path,
                [new("per_page", "100"), new("orderby", "id"), new("order", "asc"), new("page", page.ToString(CultureInfo.InvariantCulture))],
                cancellationToken).ConfigureAwait(false);
            int count = 0;
            foreach (JsonElement e in response.Body.EnumerateArray())
            {
                all.Add(e);
                count++;
            }

            if (count < 100 || (response.TotalPages is { } pages && page >= pages))
            {
                return all;
            }
        }
    }

    internal async Task<string> GetCurrencyAsync(CancellationToken cancellationToken)
    {
        if (_currency is { } known)
        {
            return known;
        }

        await _currencyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_currency is null)
            {
                string? currency = null;
                try
                {
                    WooResponse settings = await _client.GetAsync(WooApi.WooCommerce, "settings/general/woocommerce_currency", null, cancellationToken).ConfigureAwait(false);
                    currency = settings.Body.ValueKind == JsonValueKind.Object ? settings.Body.Str("value") : null;
                }
                catch (MigrationException ex) when (!ex.IsTransient)
                {
                    Log.CurrencyDefaulted(_logger, ex.Category.ToString(), _client.Options.DefaultCurrency);
                }

                _currency = currency ?? _client.Options.DefaultCurrency;
            }

            return _currency;
        }
        finally
        {
            _currencyLock.Release();
        }
    }

    /// <summary>Whether filters the API lacks must be applied on the client (so the server's count is not the answer).</summary>
    private static bool NeedsClientFilter(EntityType type, SourceQuery query)
        => (query.UpdatedSince is not null && !Endpoint.For(type).HasModifiedAfter)
           || ((query.CreatedSince is not null || query.CreatedBefore is not null) && !Endpoint.For(type).HasAfter)
           || (query.Statuses is not null && type != EntityType.Orders)
           || (query.Ids is not null && Endpoint.For(type).Api == WooApi.Redirection);

    internal static List<KeyValuePair<string, string>> BuildQuery(EntityType type, SourceQuery query, int page, int pageSize, bool allWordPressStatuses = false)
    {
        Endpoint endpoint = Endpoint.For(type);
        List<KeyValuePair<string, string>> p = [new("per_page", pageSize.ToString(CultureInfo.InvariantCulture)), new("page", page.ToString(CultureInfo.InvariantCulture))];
        if (endpoint.Api == WooApi.Redirection)
        {
            p.Add(new("orderby", "id"));
            p.Add(new("direction", "asc"));
            return p;
        }

        p.Add(new("orderby", "id"));
        p.Add(new("order", "asc"));
        if (type == EntityType.Reviews)
        {
            p.Add(new("status", "all"));
        }
        else if (endpoint.Api == WooApi.WordPress && allWordPressStatuses)
        {
            // Drafts and private entries need an authenticated user; anonymous reads see published ones only.
            p.Add(new("status", "publish,future,draft,pending,private"));
        }

        if (query.Ids is { Count: > 0 } ids)
        {
            p.Add(new("include", string.Join(",", ids.Order(StringComparer.Ordinal))));
        }

        bool gmt = false;
        if (query.UpdatedSince is { } updated && endpoint.HasModifiedAfter)
        {
            p.Add(new("modified_after", Iso(updated)));
            gmt = true;
        }

        if (endpoint.HasAfter)
        {
            if (query.CreatedSince is { } since)
            {
                // The API's "after" is exclusive; one second earlier keeps the bound inclusive (the engine de-duplicates by id).
                p.Add(new("after", Iso(since.AddSeconds(-1))));
                gmt = true;
            }

            if (query.CreatedBefore is { } before)
            {
                // The API's dates have whole seconds, so a bound inside a second is rounded up: a record created in the same second
                // as the bound is read rather than lost (a later Recent run de-duplicates it against the ID map).
                long ticks = before.UtcTicks % TimeSpan.TicksPerSecond;
                p.Add(new("before", Iso(ticks == 0 ? before : before.AddTicks(TimeSpan.TicksPerSecond - ticks))));
                gmt = true;
            }
        }

        if (type == EntityType.Orders && query.Statuses is { Count: > 0 } statuses)
        {
            p.Add(new("status", string.Join(",", statuses.Order(StringComparer.Ordinal))));
        }
        else if (type == EntityType.Orders)
        {
            p.Add(new("status", "any"));
        }

        if (gmt && endpoint.Api == WooApi.WooCommerce)
        {
            p.Add(new("dates_are_gmt", "true"));
        }

        return p;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
}

/// <summary>Where a type lives and which server-side filters it has.</summary>
internal readonly record struct Endpoint(WooApi Api, string Path, bool HasModifiedAfter, bool HasAfter)
{
    public static Endpoint For(EntityType type) => type switch
    {
        EntityType.Taxes => new(WooApi.WooCommerce, "taxes", false, false),
        EntityType.Categories => new(WooApi.WooCommerce, "products/categories", false, false),
        EntityType.Products => new(WooApi.WooCommerce, "products", true, true),
        EntityType.Customers => new(WooApi.WooCommerce, "customers", false, false),
        EntityType.Orders => new(WooApi.WooCommerce, "orders", true, true),
        EntityType.Reviews => new(WooApi.WooCommerce, "products/reviews", false, true),
        EntityType.Coupons => new(WooApi.WooCommerce, "coupons", true, true),
        EntityType.Pages => new(WooApi.WordPress, "pages", true, true),
        EntityType.BlogPosts => new(WooApi.WordPress, "posts", true, true),
        EntityType.Redirects => new(WooApi.Redirection, "redirect", false, false),
        _ => throw new NotSupportedException($"WooCommerce has no {type.ToCamelCase()}; leave the type out of the run."),
    };
}
