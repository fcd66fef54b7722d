using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>
/// Reads canonical records from a Shopify shop with cursor pagination (<c>first</c>/<c>after</c>, sorted by id); the resume token is
/// the end cursor of the last page. Page sizes are the largest whose predicted cost fits one request.
/// </summary>
internal sealed class ShopifySource : ISourceConnector
{
    private const int NestedVariants = 50;
    private const int NestedMedia = 20;
    private const int NestedCollections = 20;
    private const int NestedAddresses = 10;
    private const int NestedLines = 50;
    private const int NestedItems = 20;
    private readonly ShopifyClient _client;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<EntityType, bool> _countsUnavailable = new();

    public ShopifySource(ShopifyClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    public string ProviderId => ShopifyConstants.ProviderId;

    public ShopifyClient Client => _client;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => ShopifyCheck.RunAsync(_client, _logger, cancellationToken);

    private sealed record Listing(string Document, string Field, JsonObject Nested, bool Searchable);

    private static Listing? ListingOf(EntityType type) => type switch
    {
        EntityType.Products => new(ShopifyDocuments.Products, "products", new JsonObject { ["variants"] = NestedVariants, ["media"] = NestedMedia, ["collections"] = NestedCollections }, true),
        EntityType.Categories => new(ShopifyDocuments.Collections, "collections", [], true),
        EntityType.Customers => new(ShopifyDocuments.Customers, "customers", new JsonObject { ["addresses"] = NestedAddresses }, true),
        EntityType.Orders => new(ShopifyDocuments.Orders, "orders", new JsonObject { ["lines"] = NestedLines }, true),
        EntityType.Pages => new(ShopifyDocuments.Pages, "pages", [], true),
        EntityType.BlogPosts => new(ShopifyDocuments.Articles, "articles", [], true),
        EntityType.Coupons => new(ShopifyDocuments.Discounts, "discountNodes", new JsonObject { ["items"] = NestedItems }, true),
        EntityType.Redirects => new(ShopifyDocuments.UrlRedirects, "urlRedirects", [], false),
        _ => null,
    };

    /// <summary>Builds the search string of a query: Shopify filters on the server; <see cref="SourceQuery.Matches"/> re-checks on the client.</summary>
    internal static string? SearchOf(SourceQuery query)
    {
        var terms = new List<string>();
        if (query.UpdatedSince is { } updated)
        {
            terms.Add("updated_at:>=" + Handles.Quote(ShopifyClient.Iso(updated)));
        }

        if (query.CreatedSince is { } since)
        {
            terms.Add("created_at:>=" + Handles.Quote(ShopifyClient.Iso(since)));
        }

        if (query.CreatedBefore is { } before)
        {
            terms.Add("created_at:<" + Handles.Quote(ShopifyClient.Iso(before)));
        }

        return terms.Count == 0 ? null : string.Join(' ', terms);
    }

    /// <summary>The largest <c>first</c> (up to the configured page size) whose predicted cost fits one request.</summary>
    internal int PageSizeFor(string document, JsonObject nested)
    {
        JsonObject Variables(int first)
        {
            var v = (JsonObject)nested.DeepClone();
            v["first"] = first;
            return v;
        }

        int one = QueryCost.Predict(document, Variables(1));
        int two = QueryCost.Predict(document, Variables(2));
        int perNode = Math.Max(1, two - one);
        int fixedCost = one - perNode;
        int size = Math.Clamp((_client.MaxDocumentCost - fixedCost) / perNode, 1, _client.Options.PageSize);
        while (size > 1 && QueryCost.Predict(document, Variables(size)) > _client.MaxDocumentCost)
        {
            size--;
        }

        return size;
    }

    public async ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? search = SearchOf(query);
        (string? document, string? field, bool searchable) = type switch
        {
            EntityType.Products => (ShopifyDocuments.ProductsCount, "productsCount", true),
            EntityType.Customers => (ShopifyDocuments.CustomersCount, "customersCount", true),
            EntityType.Orders => (ShopifyDocuments.OrdersCount, "ordersCount", true),
            EntityType.Categories => (ShopifyDocuments.CollectionsCount, "collectionsCount", true),
            EntityType.Coupons => (ShopifyDocuments.DiscountsCount, "discountNodesCount", true),
            EntityType.Redirects => (ShopifyDocuments.UrlRedirectsCount, "urlRedirectsCount", false),
            EntityType.Pages => (ShopifyDocuments.PagesCount, "pagesCount", false),
            _ => (null, null, false),
        };
        if ((search is not null && !searchable) || query.Ids is not null || query.Statuses is not null)
        {
            return null;
        }

        if (document is null)
        {
            // Articles have no shop-wide count in 2026-01 (articlesCount lives on Blog): they are counted by paging their ids.
            long? articles = type == EntityType.BlogPosts ? await CountByIdsAsync(type, search, cancellationToken).ConfigureAwait(false) : 0;
            return articles is { } a && query.Limit is { } max ? Math.Min(a, max) : articles;
        }

        long? count = null;
        if (!_countsUnavailable.ContainsKey(type))
        {
            try
            {
                GraphResult result = await _client.ExecuteAsync(document, searchable ? new JsonObject { ["query"] = search } : null, cancellationToken).ConfigureAwait(false);
                count = result.Field(field!).Prop("count") is { ValueKind: JsonValueKind.Number } c && result.Field(field!).Str("precision") != "AT_LEAST" ? c.GetInt64() : null;
            }
            catch (MigrationException ex) when (ex.Category == FailureCategory.Validation)
            {
                // The shop (or an emulator) does not know the count query: count by paging ids instead.
                _countsUnavailable[type] = true;
            }
        }

        count ??= await CountByIdsAsync(type, searchable ? search : null, cancellationToken).ConfigureAwait(false);
        return count is { } n && query.Limit is { } limit ? Math.Min(n, limit) : count;
    }

    private async Task<long?> CountByIdsAsync(EntityType type, string? search, CancellationToken cancellationToken)
    {
        (string? document, string field) = type switch
        {
            EntityType.Products => (ShopifyDocuments.ProductIds, "products"),
            EntityType.Categories => (ShopifyDocuments.CollectionIds, "collections"),
            EntityType.Customers => (ShopifyDocuments.CustomerIds, "customers"),
            EntityType.Orders => (ShopifyDocuments.OrderIds, "orders"),
            EntityType.Pages => (ShopifyDocuments.PageIds, "pages"),
            EntityType.BlogPosts => (ShopifyDocuments.ArticleIds, "articles"),
            EntityType.Coupons => (ShopifyDocuments.DiscountIds, "discountNodes"),
            EntityType.Redirects => (ShopifyDocuments.UrlRedirectIds, "urlRedirects"),
            _ => (null, string.Empty),
        };
        if (document is null)
        {
            return 0;
        }

        long count = 0;
        string? after = null;
        do
        {
            GraphResult page = await _client.ExecuteAsync(document, new JsonObject { ["first"] = ShopifyConstants.MaxPageSize, ["after"] = after, ["query"] = search }, cancellationToken).ConfigureAwait(false);
            JsonElement connection = page.Field(field);
            count += connection.Array("nodes").Count();
            after = connection.Prop("pageInfo") is { } info && info.Bool("hasNextPage") ? info.Str("endCursor") : null;
        }
        while (after is not null);
        return count;
    }

    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ListingOf(type) is not { } listing)
        {
            yield return new SourcePage([], null);
            yield break;
        }

        int pageSize = PageSizeFor(listing.Document, listing.Nested);
        string? search = listing.Searchable ? SearchOf(query) : null;
        string? after = resumeToken;
        int taken = 0;
        while (true)
        {
            var variables = (JsonObject)listing.Nested.DeepClone();
            variables["first"] = pageSize;
            variables["after"] = after;
            variables["query"] = search;
            GraphResult result = await _client.ExecuteAsync(listing.Document, variables, cancellationToken).ConfigureAwait(false);
            JsonElement connection = result.Field(listing.Field);
            var records = new List<Entity>();
            var issues = new List<RecordIssue>();
            foreach (JsonElement node in connection.Array("nodes"))
            {
                string id = node.Str("id") is { } gid ? Handles.Tail(gid) : "?";
                try
                {
                    Entity entity = SourceMapper.Map(type, node, _client.Options.DefaultCurrency);
                    if (entity is Product product)
                    {
                        entity = await CompleteProductAsync(product, node, issues, cancellationToken).ConfigureAwait(false);
                    }
                    else if (entity is Order && node.Prop("lineItems")?.Prop("pageInfo")?.Bool("hasNextPage") == true)
                    {
                        issues.Add(new RecordIssue(type, id, FailureCategory.Unsupported, $"The order has more than {NestedLines} lines; only the first {NestedLines} were read.", IssueSeverity.Warning));
                    }

                    if (!query.Matches(entity) || (query.Limit is { } limit && taken >= limit))
                    {
                        continue;
                    }

                    records.Add(entity);
                    taken++;
                }
                catch (Exception ex) when (ex is FormatException or NotSupportedException or InvalidOperationException)
                {
                    Log.SourceRecordMalformed(_logger, listing.Field, id, ex.Message);
                    issues.Add(new RecordIssue(type, id, ex is NotSupportedException ? FailureCategory.Unsupported : FailureCategory.Validation, ex.Message));
                }
            }

            JsonElement pageInfo = connection.Prop("pageInfo") ?? default;
            bool more = pageInfo.Bool("hasNextPage") && !(query.Limit is { } max && taken >= max);
            after = pageInfo.Str("endCursor");
            Log.SourcePageRead(_logger, listing.Field, records.Count, pageSize);
            yield return new SourcePage(records, more ? after : null) { Errors = issues };
            if (!more || after is null)
            {
                yield break;
            }
        }
    }

    /// <summary>Reads the rest of a product's variants when it has more than one page of them; reports truncated media and collections.</summary>
    private async Task<Product> CompleteProductAsync(Product product, JsonElement node, List<RecordIssue> issues, CancellationToken cancellationToken)
    {
        if (node.Prop("media")?.Prop("pageInfo")?.Bool("hasNextPage") == true)
        {
            issues.Add(new RecordIssue(EntityType.Products, product.SourceId, FailureCategory.Unsupported, $"The product has more than {NestedMedia} media; only the first {NestedMedia} images were read.", IssueSeverity.Warning));
        }

        if (node.Prop("collections")?.Prop("pageInfo")?.Bool("hasNextPage") == true)
        {
            issues.Add(new RecordIssue(EntityType.Products, product.SourceId, FailureCategory.Unsupported, $"The product is in more than {NestedCollections} collections; only the first {NestedCollections} were read.", IssueSeverity.Warning));
        }

        JsonElement? pageInfo = node.Prop("variants")?.Prop("pageInfo");
        if (pageInfo?.Bool("hasNextPage") != true)
        {
            return product;
        }

        var variants = new List<ProductVariant>(product.Variants);
        string? after = pageInfo.Value.Str("endCursor");
        while (after is not null)
        {
            GraphResult page = await _client.ExecuteAsync(
                ShopifyDocuments.ProductVariantsPage,
                new JsonObject { ["id"] = node.Str("id"), ["first"] = ShopifyConstants.MaxPageSize - 10, ["after"] = after },
                cancellationToken).ConfigureAwait(false);
            JsonElement connection = page.Field("product").Prop("variants") ?? default;
            foreach (JsonElement v in connection.Array("nodes"))
            {
                variants.Add(SourceMapper.Variant(v, _client.Options.DefaultCurrency, variants.Count));
            }

            after = connection.Prop("pageInfo") is { } info && info.Bool("hasNextPage") ? info.Str("endCursor") : null;
        }

        return product with { Kind = ProductKind.Variable, Variants = variants };
    }
}
