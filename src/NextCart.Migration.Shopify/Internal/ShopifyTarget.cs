using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Http;
using NextCart.Migration.Model;

namespace NextCart.Migration.Shopify.Internal;

/// <summary>Writes canonical records to a Shopify shop through Admin GraphQL mutations, several aliased per request.</summary>
internal sealed class ShopifyTarget : ITargetConnector, ITargetLinker, ITargetClearer
{
    private readonly ShopifyClient _client;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _collectionTitles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _firstVariants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _blogLock = new(1, 1);

    // E-mail addresses claimed by customer creates of this target (key: trimmed e-mail, case-insensitive; value: source id), so that
    // two source customers sharing an e-mail in one batch or in concurrent batches never both reach the customerSet upsert.
    private readonly ConcurrentDictionary<string, string> _customerEmails = new(StringComparer.OrdinalIgnoreCase);
    private (string Id, string Handle)? _blog;

    public ShopifyTarget(ShopifyClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    public string ProviderId => ShopifyConstants.ProviderId;

    public ShopifyClient Client => _client;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => ShopifyCheck.RunAsync(_client, _logger, cancellationToken);

    public TargetLimits GetLimits(EntityType type)
    {
        var limits = new TargetLimits { MaxBatchSize = _client.Options.BatchSize, MaxConcurrency = Math.Max(1, Math.Min(4, _client.Options.MaxConcurrency)) };
        return type switch
        {
            EntityType.Taxes => TargetLimits.Unsupported("Shopify computes taxes from its own tax settings per market; tax rates cannot be written over the Admin API. Set them up under Settings > Taxes and duties."),
            EntityType.Manufacturers => TargetLimits.Unsupported("Shopify has no manufacturer resource; a product's brand is its vendor field, which the source product's shopify.vendor extension fills."),
            EntityType.Reviews when _client.Options.ReviewStorage == ShopifyReviewStorage.None => TargetLimits.Unsupported(
                "Shopify has no product reviews in its Admin API (reviews live in review apps). Set ReviewStorage to ProductMetafields to keep them as product metafields, or import them into a review app."),
            _ => limits,
        };
    }

    public async ValueTask<BatchOutcome> WriteAsync(EntityType type, IReadOnlyList<TargetRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (GetLimits(type) is { IsSupported: false } unsupported)
        {
            return new BatchOutcome(records.Select(r => RecordOutcome.Failed(r.Entity.SourceId, FailureCategory.Unsupported, unsupported.UnsupportedReason!)).ToArray());
        }

        var results = new RecordOutcome[records.Count];
        await EnsureDefinitionsAsync(type, cancellationToken).ConfigureAwait(false);
        switch (type)
        {
            case EntityType.Reviews:
                await WriteReviewsAsync(records, results, cancellationToken).ConfigureAwait(false);
                break;
            case EntityType.Categories:
                await WriteCollectionsAsync(records, results, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await WritePlansAsync(type, records, Enumerable.Range(0, records.Count).ToList(), results, cancellationToken).ConfigureAwait(false);
                break;
        }

        Log.BatchWritten(_logger, type.ToCamelCase(), records.Count, results.Count(r => r.Status == RecordStatus.Failed));
        return new BatchOutcome(results);
    }

    private async Task WritePlansAsync(EntityType type, IReadOnlyList<TargetRecord> records, List<int> indexes, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        if (type == EntityType.Orders)
        {
            await LoadFirstVariantsAsync(indexes.Select(i => records[i]), cancellationToken).ConfigureAwait(false);
        }

        List<string> claimed = [];
        if (type == EntityType.Customers)
        {
            indexes = await RejectTakenEmailsAsync(records, indexes, results, claimed, cancellationToken).ConfigureAwait(false);
        }

        (string Id, string Handle)? blog = type == EntityType.BlogPosts ? await EnsureBlogAsync(cancellationToken).ConfigureAwait(false) : null;
        var plans = new List<(int Index, MutationPlan Plan)>();
        foreach (int i in indexes)
        {
            TargetRecord record = records[i];
            try
            {
                MutationPlan plan = type switch
                {
                    EntityType.Products => TargetMapper.Product(record, _client.Options.DefaultCurrency),
                    EntityType.Customers => TargetMapper.Customer(record),
                    EntityType.Orders => TargetMapper.Order(record, _firstVariants, _client.Options.DefaultCurrency),
                    EntityType.Coupons => TargetMapper.Coupon(record),
                    EntityType.Pages => TargetMapper.Page(record),
                    EntityType.BlogPosts => TargetMapper.Article(record, blog!.Value.Id, blog.Value.Handle),
                    EntityType.Redirects => TargetMapper.Redirect(record),
                    _ => throw new NotSupportedException($"The Shopify target cannot write {type.ToCamelCase()}."),
                };
                plans.Add((i, plan));
            }
            catch (InvalidOperationException ex)
            {
                results[i] = RecordOutcome.Failed(record.Entity.SourceId, FailureCategory.Validation, ex.Message);
            }
        }

        IReadOnlyList<PlanResult> outcomes = await RunAsync(type, plans.Select(p => p.Plan).ToList(), records.Count == 0 ? [] : plans.Select(p => records[p.Index].Entity.SourceId).ToList(), cancellationToken).ConfigureAwait(false);
        var customers = new List<(int Index, string TargetId)>();
        var redirectsTaken = new List<int>();
        for (int k = 0; k < plans.Count; k++)
        {
            (int index, MutationPlan plan) = plans[k];
            TargetRecord record = records[index];
            PlanResult result = outcomes[k];
            if (result.Failure is { } failure)
            {
                if (type == EntityType.Customers && CreateEmail(record) is { } email && claimed.Contains(email, StringComparer.OrdinalIgnoreCase))
                {
                    _customerEmails.TryRemove(new KeyValuePair<string, string>(email, record.Entity.SourceId));
                }

                if (type == EntityType.Redirects && record.Action == WriteAction.Create && result.UserErrors.Any(e => e.Field.Contains("path")))
                {
                    redirectsTaken.Add(index);
                }

                results[index] = failure;
                continue;
            }

            JsonElement entity = result.Payload.Prop(EntityField(type, plan.Document)) ?? default;
            string? gid = entity.Str("id");
            if (gid is null)
            {
                results[index] = RecordOutcome.Failed(record.Entity.SourceId, FailureCategory.Validation, "Shopify returned no id for the record.");
                continue;
            }

            string targetId = Handles.Tail(gid);
            string? handle = entity.Str("handle");
            string? url = type switch
            {
                EntityType.Redirects => entity.Str("path"),
                EntityType.Orders => entity.Str("name"),
                _ => plan.UrlPrefix is not null && handle is not null ? plan.UrlPrefix + handle : null,
            };
            RecordOutcome outcome = record.Action == WriteAction.Update ? RecordOutcome.Updated(record.Entity.SourceId, targetId, url) : RecordOutcome.Created(record.Entity.SourceId, targetId, url);
            var warnings = new List<string>(plan.Warnings);
            if (type == EntityType.Products)
            {
                outcome = outcome with { Children = MapVariants(record, plan, entity, targetId, warnings) };
            }
            else if (type is EntityType.Customers or EntityType.Coupons)
            {
                customers.Add((index, gid));
            }

            results[index] = warnings.Count == 0 ? outcome : outcome with { Warnings = warnings };
        }

        if (customers.Count > 0)
        {
            await SetSourceIdsAsync(type, records, customers, results, cancellationToken).ConfigureAwait(false);
        }

        if (redirectsTaken.Count > 0)
        {
            await AdoptRedirectsAsync(records, redirectsTaken, results, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string EntityField(EntityType type, string document) => type switch
    {
        EntityType.Products => "product",
        EntityType.Categories => "collection",
        EntityType.Customers => "customer",
        EntityType.Orders => "order",
        EntityType.Coupons => "codeDiscountNode",
        EntityType.Pages => "page",
        EntityType.BlogPosts => "article",
        EntityType.Redirects => "urlRedirect",
        _ => throw new NotSupportedException(document),
    };

    private IReadOnlyList<ChildMapping> MapVariants(TargetRecord record, MutationPlan plan, JsonElement product, string productId, List<string> warnings)
    {
        var written = product.Nodes("variants").Select(v => (Id: Handles.Tail(v.Str("id") ?? string.Empty), Key: TargetMapper.Key(v.Array("selectedOptions").Select(o => new KeyValuePair<string, string>(o.Str("name") ?? string.Empty, o.Str("value") ?? string.Empty)))))
            .Where(v => v.Id.Length > 0).ToList();
        if (written.Count > 0)
        {
            _firstVariants[productId] = written[0].Id;
        }

        var p = (Product)record.Entity;
        if (p.Kind != ProductKind.Variable || p.Variants.Count == 0)
        {
            return [];
        }

        var byKey = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string id, string key) in written)
        {
            byKey.TryAdd(key, id);
        }

        var children = new List<ChildMapping>();
        foreach ((string sourceId, IReadOnlyList<KeyValuePair<string, string>> options) in plan.Variants)
        {
            if (byKey.TryGetValue(TargetMapper.Key(options), out string? id))
            {
                children.Add(new ChildMapping(sourceId, id));
            }
            else
            {
                warnings.Add($"Variant {sourceId} ({TargetMapper.Key(options)}) was not found among the variants Shopify returned.");
            }
        }

        return children;
    }

    // ---------------------------------------------------------------- the request engine

    internal sealed record UserError(IReadOnlyList<string> Field, string Message, string? Code);

    internal sealed record PlanResult(JsonElement Payload, RecordOutcome? Failure, IReadOnlyList<UserError> UserErrors);

    /// <summary>
    /// Sends plans, several aliased per request (the same document, at most <see cref="ShopifyConnectorOptions.MutationsPerRequest"/> and
    /// within the cost a request may have), the requests concurrently within the client's concurrency. A request rejected as a whole
    /// is re-sent one plan at a time, so each record gets its own outcome.
    /// </summary>
    internal async Task<IReadOnlyList<PlanResult>> RunAsync(EntityType type, IReadOnlyList<MutationPlan> plans, IReadOnlyList<string> sourceIds, CancellationToken cancellationToken)
    {
        var results = new PlanResult[plans.Count];
        var chunks = new List<List<int>>();
        foreach (IGrouping<string, int> group in Enumerable.Range(0, plans.Count).GroupBy(i => plans[i].Document, StringComparer.Ordinal))
        {
            List<int> current = [];
            int cost = 0;
            int limit = Math.Max(1, _client.MaxDocumentCost / 2);
            foreach (int i in group)
            {
                int c = QueryCost.Predict(plans[i].Document, plans[i].Variables);
                if (current.Count > 0 && (current.Count >= _client.Options.MutationsPerRequest || cost + c > limit))
                {
                    chunks.Add(current);
                    current = [];
                    cost = 0;
                }

                current.Add(i);
                cost += c;
            }

            if (current.Count > 0)
            {
                chunks.Add(current);
            }
        }

        await Task.WhenAll(chunks.Select(chunk => SendChunkAsync(type, plans, sourceIds, chunk, results, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    private async Task SendChunkAsync(EntityType type, IReadOnlyList<MutationPlan> plans, IReadOnlyList<string> sourceIds, List<int> chunk, PlanResult[] results, CancellationToken cancellationToken)
    {
        string document = plans[chunk[0]].Document;
        string composed = GraphQLBatch.Compose(document, chunk.Count);
        JsonObject variables = GraphQLBatch.Variables(chunk.Select(i => plans[i].Variables).ToList());
        GraphResult response;
        try
        {
            response = await _client.ExecuteAsync(composed, variables, chunk.All(i => plans[i].Idempotent), cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationException ex) when (ex.Category == FailureCategory.Validation && chunk.Count > 1)
        {
            Log.BatchSplit(_logger, chunk.Count, type.ToCamelCase(), ex.Message);
            foreach (int i in chunk)
            {
                await SendChunkAsync(type, plans, sourceIds, [i], results, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
        catch (MigrationException ex) when (ex.Category is FailureCategory.Validation or FailureCategory.Connection or FailureCategory.RateLimit && ex is not MigrationConfigurationException)
        {
            // A failed request: a rejected record (validation) or an unknown outcome (transient); the engine retries the latter after
            // asking FindExistingAsync whether the write landed.
            foreach (int i in chunk)
            {
                results[i] = new PlanResult(default, RecordOutcome.Failed(sourceIds[i], ex.Category, SecretRedactor.Redact(ex.Message, _client.Secrets), ex.IsTransient || ex.Category == FailureCategory.RateLimit), []);
            }

            return;
        }

        for (int k = 0; k < chunk.Count; k++)
        {
            int i = chunk[k];
            string key = GraphQLBatch.ResponseKey(document, chunk.Count, k);
            if (response.Data.Prop(key) is not { ValueKind: JsonValueKind.Object } payload)
            {
                string reason = response.Errors.Count > 0 ? string.Join("; ", response.Errors.Select(e => e.Message)) : "Shopify returned no result for the record.";
                results[i] = new PlanResult(default, RecordOutcome.Failed(sourceIds[i], FailureCategory.Validation, SecretRedactor.Redact(reason, _client.Secrets)), []);
                continue;
            }

            List<UserError> userErrors = payload.Array("userErrors").Select(e => new UserError(e.Strings("field"), e.Str("message") ?? "rejected", e.Str("code"))).ToList();
            if (userErrors.Count > 0)
            {
                string message = FormatUserErrors(userErrors);
                Log.RecordRejected(_logger, type.ToCamelCase(), sourceIds[i], message);
                results[i] = new PlanResult(payload, RecordOutcome.Failed(sourceIds[i], FailureCategory.Validation, message), userErrors);
                continue;
            }

            results[i] = new PlanResult(payload, null, []);
        }
    }

    internal static string FormatUserErrors(IEnumerable<UserError> errors)
        => string.Join("; ", errors.Select(e => (e.Field.Count > 0 ? string.Join('.', e.Field) + ": " : string.Empty) + e.Message + (e.Code is null ? string.Empty : $" ({e.Code})")));

    // ---------------------------------------------------------------- collections

    private async Task WriteCollectionsAsync(IReadOnlyList<TargetRecord> records, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        var indexBySource = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            indexBySource[records[i].Entity.SourceId] = i;
        }

        var pending = Enumerable.Range(0, records.Count).ToList();
        while (pending.Count > 0)
        {
            var wave = pending.Where(i => ((Category)records[i].Entity).ParentId is not { } parent
                || records[i].TryResolve(new EntityRef(EntityType.Categories, parent), out _)
                || !indexBySource.TryGetValue(parent, out int p) || p == i || results[p] is not null).ToList();
            if (wave.Count == 0)
            {
                wave = [.. pending];
            }

            var plans = new List<(int Index, MutationPlan Plan)>();
            foreach (int i in wave)
            {
                var category = (Category)records[i].Entity;
                string? parentTitle = await ParentTitleAsync(category, records[i], indexBySource, results, cancellationToken).ConfigureAwait(false);
                plans.Add((i, TargetMapper.Collection(records[i], parentTitle)));
            }

            IReadOnlyList<PlanResult> outcomes = await RunAsync(EntityType.Categories, plans.Select(p => p.Plan).ToList(), plans.Select(p => records[p.Index].Entity.SourceId).ToList(), cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < plans.Count; k++)
            {
                (int index, MutationPlan plan) = plans[k];
                TargetRecord record = records[index];
                if (outcomes[k].Failure is { } failure)
                {
                    results[index] = failure;
                    continue;
                }

                JsonElement collection = outcomes[k].Payload.Prop("collection") ?? default;
                if (collection.Str("id") is not { } gid)
                {
                    results[index] = RecordOutcome.Failed(record.Entity.SourceId, FailureCategory.Validation, "Shopify returned no id for the collection.");
                    continue;
                }

                string id = Handles.Tail(gid);
                _collectionTitles[id] = plan.Variables["input"]!["title"]!.GetValue<string>();
                string url = "/collections/" + collection.Str("handle");
                RecordOutcome outcome = record.Action == WriteAction.Update ? RecordOutcome.Updated(record.Entity.SourceId, id, url) : RecordOutcome.Created(record.Entity.SourceId, id, url);
                results[index] = plan.Warnings.Count == 0 ? outcome : outcome with { Warnings = plan.Warnings };
            }

            pending.RemoveAll(wave.Contains);
        }
    }

    private async Task<string?> ParentTitleAsync(Category category, TargetRecord record, Dictionary<string, int> indexBySource, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        if (category.ParentId is not { } parent)
        {
            return null;
        }

        if (record.TryResolve(new EntityRef(EntityType.Categories, parent), out ResolvedTarget resolved))
        {
            return await CollectionTitleAsync(resolved, cancellationToken).ConfigureAwait(false);
        }

        return indexBySource.TryGetValue(parent, out int p) && results[p] is { Status: not RecordStatus.Failed, TargetId: { } id } && _collectionTitles.TryGetValue(id, out string? title) ? title : null;
    }

    private async Task<string?> CollectionTitleAsync(ResolvedTarget target, CancellationToken cancellationToken)
    {
        string id = Handles.Tail(target.TargetId);
        if (_collectionTitles.TryGetValue(id, out string? title))
        {
            return title;
        }

        if (target.TargetUrl is not { } url || !url.StartsWith("/collections/", StringComparison.Ordinal))
        {
            return null;
        }

        GraphResult result = await _client.ExecuteAsync(ShopifyDocuments.CollectionSearch, new JsonObject { ["query"] = "handle:" + url["/collections/".Length..] }, cancellationToken).ConfigureAwait(false);
        JsonElement? found = result.Field("collections").Array("nodes").FirstOrDefault() is { ValueKind: JsonValueKind.Object } n ? n : null;
        if (found?.Str("title") is { } t && found.Value.Str("id") is { } gid && Handles.Tail(gid) == id)
        {
            _collectionTitles[id] = t;
            return t;
        }

        return null;
    }

    // ---------------------------------------------------------------- customers, orders, blogs, reviews, redirects

    /// <summary>The trimmed e-mail a customer create would upsert by, or <see langword="null"/> for updates and customers without one.</summary>
    private static string? CreateEmail(TargetRecord record) =>
        record.Action == WriteAction.Create && record.Entity is Customer { Email: { } email } && !string.IsNullOrWhiteSpace(email) ? email.Trim() : null;

    /// <summary>
    /// Fails customer creates whose e-mail already belongs to a customer migrated from another source record, because
    /// <c>customerSet(identifier: { email })</c> is an upsert and would silently merge the two (the engine never adopts a natural-key
    /// match owned by another source record). A match carrying the same source id (a retry) or no source id (a merchant's own
    /// customer, adopted as reconciliation does) keeps the upsert. Returns the indexes still to write; <paramref name="claimed"/>
    /// receives the e-mails this batch claimed.
    /// </summary>
    private async Task<List<int>> RejectTakenEmailsAsync(IReadOnlyList<TargetRecord> records, List<int> indexes, RecordOutcome[] results, List<string> claimed, CancellationToken cancellationToken)
    {
        var candidates = new List<(int Index, string Email)>();
        var kept = new List<int>();
        foreach (int i in indexes)
        {
            string sourceId = records[i].Entity.SourceId;
            if (CreateEmail(records[i]) is not { } email)
            {
                kept.Add(i);
                continue;
            }

            string owner = _customerEmails.GetOrAdd(email, sourceId);
            if (!string.Equals(owner, sourceId, StringComparison.Ordinal))
            {
                results[i] = EmailTaken(sourceId, email, owner);
                continue;
            }

            claimed.Add(email);
            candidates.Add((i, email));
        }

        if (candidates.Count == 0)
        {
            return kept;
        }

        List<MutationPlan> lookups = candidates.Select(c => new MutationPlan(ShopifyDocuments.CustomerByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["emailAddress"] = c.Email } })).ToList();
        var taken = new Dictionary<int, string>();
        foreach ((JsonElement node, int k) in await QueryAliasedAsync(lookups, cancellationToken).ConfigureAwait(false))
        {
            if (node.ValueKind == JsonValueKind.Object && node.SourceId() is { Length: > 0 } existing
                && !string.Equals(existing, records[candidates[k].Index].Entity.SourceId, StringComparison.Ordinal))
            {
                taken[k] = existing;
            }
        }

        for (int k = 0; k < candidates.Count; k++)
        {
            (int index, string email) = candidates[k];
            if (taken.TryGetValue(k, out string? other))
            {
                _customerEmails.TryRemove(new KeyValuePair<string, string>(email, records[index].Entity.SourceId));
                claimed.Remove(email);
                results[index] = EmailTaken(records[index].Entity.SourceId, email, other);
            }
            else
            {
                kept.Add(index);
            }
        }

        kept.Sort();
        return kept;
    }

    private static RecordOutcome EmailTaken(string sourceId, string email, string otherSourceId) => RecordOutcome.Failed(
        sourceId,
        FailureCategory.Validation,
        $"The e-mail {email} already belongs to the customer migrated from source id {otherSourceId}; Shopify customer e-mails are unique, so this customer was not written (customerSet by e-mail would have overwritten that customer).");

    /// <summary>
    /// Stores the source id on records whose create input has no metafields (customers, whose <c>CustomerSetInput</c> has none in
    /// 2026-01, and discounts), with <c>metafieldsSet</c>, 25 owners per call.
    /// </summary>
    private async Task SetSourceIdsAsync(EntityType type, IReadOnlyList<TargetRecord> records, List<(int Index, string Gid)> customers, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        var plans = new List<MutationPlan>();
        var owners = new List<List<int>>();
        foreach (List<(int Index, string Gid)> chunk in customers.Chunk(ShopifyConstants.MaxMetafieldsPerSet).Select(c => c.ToList()))
        {
            var metafields = new JsonArray(chunk.Select(c =>
            {
                JsonObject m = TargetMapper.SourceIdMetafield(records[c.Index].Entity.SourceId);
                m["ownerId"] = c.Gid;
                return (JsonNode)m;
            }).ToArray());
            // metafieldsSet is an upsert by owner, namespace and key, so the pipeline may repeat it after a transient failure.
            plans.Add(new MutationPlan(ShopifyDocuments.MetafieldsSet, new JsonObject { ["metafields"] = metafields }) { Idempotent = true });
            owners.Add(chunk.Select(c => c.Index).ToList());
        }

        IReadOnlyList<PlanResult> outcomes = await RunAsync(type, plans, plans.Select(_ => "metafields").ToList(), cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < plans.Count; k++)
        {
            if (outcomes[k].Failure is not { } failure)
            {
                continue;
            }

            foreach (int index in owners[k])
            {
                RecordOutcome r = results[index];
                results[index] = failure.IsTransient
                    // The record exists without its source id: fail it as transient, so the engine reconciles it by its natural key,
                    // adopts it and writes it again as an update, which stores the source id.
                    ? RecordOutcome.Failed(r.SourceId, failure.Category ?? FailureCategory.Connection, $"The {type.ToCamelCase()} record was written as {r.TargetId}, but its source id could not be stored ({failure.Message}).", isTransient: true)
                    : r with { Warnings = [.. r.Warnings, $"The source id could not be stored on the {type.ToCamelCase()} record ({failure.Message}); reconciliation falls back to its natural key."] };
            }
        }
    }

    private async Task LoadFirstVariantsAsync(IEnumerable<TargetRecord> records, CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (TargetRecord record in records)
        {
            if (record.Entity is not Order order)
            {
                continue;
            }

            foreach (OrderLine line in order.Lines)
            {
                if (line.ProductId is null || (line.VariantId is not null && record.TryResolve(EntityRef.Variant(line.ProductId, line.VariantId), out _)))
                {
                    continue;
                }

                if (record.TryResolve(EntityRef.Product(line.ProductId), out ResolvedTarget product) && !_firstVariants.ContainsKey(Handles.Tail(product.TargetId)))
                {
                    missing.Add(Handles.Tail(product.TargetId));
                }
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var plans = missing.Select(id => new MutationPlan(ShopifyDocuments.ProductFirstVariant, new JsonObject { ["identifier"] = new JsonObject { ["id"] = Handles.Gid("Product", id) } })).ToList();
        foreach ((JsonElement product, _) in await QueryAliasedAsync(plans, cancellationToken).ConfigureAwait(false))
        {
            if (product.Str("id") is { } gid && product.Nodes("variants").FirstOrDefault() is { ValueKind: JsonValueKind.Object } variant && variant.Str("id") is { } vid)
            {
                _firstVariants[Handles.Tail(gid)] = Handles.Tail(vid);
            }
        }
    }

    private async Task<(string Id, string Handle)> EnsureBlogAsync(CancellationToken cancellationToken)
    {
        if (_blog is { } ready)
        {
            return ready;
        }

        await _blogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_blog is { } again)
            {
                return again;
            }

            string handle = _client.Options.BlogHandle;
            GraphResult found = await _client.ExecuteAsync(ShopifyDocuments.Blogs, new JsonObject { ["first"] = 1, ["query"] = "handle:" + handle }, cancellationToken).ConfigureAwait(false);
            if (found.Field("blogs").Array("nodes").FirstOrDefault(b => b.Str("handle") == handle) is { ValueKind: JsonValueKind.Object } blog && blog.Str("id") is { } existing)
            {
                _blog = (existing, handle);
            }
            else
            {
                GraphResult created = await _client.ExecuteAsync(ShopifyDocuments.BlogCreate, new JsonObject { ["blog"] = new JsonObject { ["title"] = _client.Options.BlogTitle, ["handle"] = handle } }, cancellationToken).ConfigureAwait(false);
                JsonElement payload = created.Field("blogCreate");
                List<UserError> errors = payload.Array("userErrors").Select(e => new UserError(e.Strings("field"), e.Str("message") ?? "rejected", e.Str("code"))).ToList();
                if (errors.Count > 0 || payload.Path("blog", "id")?.GetString() is not { } id)
                {
                    throw new MigrationException($"The blog '{handle}' for blog posts could not be created: {FormatUserErrors(errors)}", FailureCategory.Configuration, isTransient: false);
                }

                _blog = (id, payload.Path("blog", "handle")?.GetString() ?? handle);
            }

            Log.BlogReady(_logger, _blog.Value.Handle, _blog.Value.Id);
            return _blog.Value;
        }
        finally
        {
            _blogLock.Release();
        }
    }

    private async Task WriteReviewsAsync(IReadOnlyList<TargetRecord> records, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        var plans = new List<(int Index, MutationPlan Plan)>();
        for (int i = 0; i < records.Count; i++)
        {
            var review = (Review)records[i].Entity;
            if (!records[i].TryResolve(EntityRef.Product(review.ProductId), out ResolvedTarget product))
            {
                results[i] = RecordOutcome.Failed(review.SourceId, FailureCategory.Validation, $"The reviewed product {review.ProductId} was not migrated.");
                continue;
            }

            plans.Add((i, new MutationPlan(ShopifyDocuments.MetafieldsSet, new JsonObject { ["metafields"] = new JsonArray(TargetMapper.Review(review, product.TargetId)) })));
        }

        IReadOnlyList<PlanResult> outcomes = await RunAsync(EntityType.Reviews, plans.Select(p => p.Plan).ToList(), plans.Select(p => records[p.Index].Entity.SourceId).ToList(), cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < plans.Count; k++)
        {
            (int index, _) = plans[k];
            string sourceId = records[index].Entity.SourceId;
            results[index] = outcomes[k].Failure ?? (outcomes[k].Payload.Array("metafields").FirstOrDefault().Str("id") is { } gid
                ? (records[index].Action == WriteAction.Update ? RecordOutcome.Updated(sourceId, Handles.Tail(gid)) : RecordOutcome.Created(sourceId, Handles.Tail(gid)))
                    with { Warnings = ["Shopify has no reviews; the review was stored as a json metafield of its product (namespace nextcart_reviews)."] }
                : RecordOutcome.Failed(sourceId, FailureCategory.Validation, "Shopify returned no metafield for the review."));
        }
    }

    /// <summary>A redirect whose path already has a redirect (left by an earlier run) is adopted: the existing one is pointed at the new target.</summary>
    private async Task AdoptRedirectsAsync(IReadOnlyList<TargetRecord> records, List<int> indexes, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        var lookups = indexes.Select(i => new MutationPlan(ShopifyDocuments.RedirectSearch, new JsonObject { ["query"] = "path:" + Handles.Quote(TargetMapper.PathOnly(((Redirect)records[i].Entity).FromPath)) })).ToList();
        IReadOnlyList<(JsonElement Data, int Index)> found = await QueryAliasedAsync(lookups, cancellationToken).ConfigureAwait(false);
        var updates = new List<(int Index, MutationPlan Plan)>();
        foreach ((JsonElement data, int k) in found)
        {
            int index = indexes[k];
            string path = TargetMapper.PathOnly(((Redirect)records[index].Entity).FromPath);
            if (data.Array("nodes").FirstOrDefault(n => string.Equals(n.Str("path"), path, StringComparison.OrdinalIgnoreCase)) is { ValueKind: JsonValueKind.Object } existing && existing.Str("id") is { } gid)
            {
                var update = new TargetRecord(records[index].Entity, WriteAction.Update, Handles.Tail(gid), records[index].References);
                updates.Add((index, TargetMapper.Redirect(update)));
            }
        }

        IReadOnlyList<PlanResult> outcomes = await RunAsync(EntityType.Redirects, updates.Select(u => u.Plan).ToList(), updates.Select(u => records[u.Index].Entity.SourceId).ToList(), cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < updates.Count; k++)
        {
            int index = updates[k].Index;
            if (outcomes[k].Failure is null && outcomes[k].Payload.Prop("urlRedirect") is { } redirect && redirect.Str("id") is { } gid)
            {
                results[index] = RecordOutcome.Updated(records[index].Entity.SourceId, Handles.Tail(gid), redirect.Str("path"));
            }
        }
    }

    /// <summary>Sends read-only lookups several aliased per request; returns each lookup's field value with the lookup's index.</summary>
    internal async Task<IReadOnlyList<(JsonElement Data, int Index)>> QueryAliasedAsync(IReadOnlyList<MutationPlan> lookups, CancellationToken cancellationToken)
    {
        var found = new List<(JsonElement, int)>();
        var chunks = new List<List<int>>();
        List<int> current = [];
        int cost = 0;
        // Lookups of one document go together (a stable sort), so alternating lookups (custom id, then natural key) still share requests.
        foreach (int i in Enumerable.Range(0, lookups.Count).OrderBy(i => lookups[i].Document, StringComparer.Ordinal))
        {
            int c = QueryCost.Predict(lookups[i].Document, lookups[i].Variables);
            if (current.Count > 0 && (current.Count >= 25 || cost + c > _client.MaxDocumentCost || lookups[current[0]].Document != lookups[i].Document))
            {
                chunks.Add(current);
                current = [];
                cost = 0;
            }

            current.Add(i);
            cost += c;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        foreach (List<int> chunk in chunks)
        {
            string document = lookups[chunk[0]].Document;
            GraphResult result = await _client.ExecuteAsync(GraphQLBatch.Compose(document, chunk.Count), GraphQLBatch.Variables(chunk.Select(i => lookups[i].Variables).ToList()), cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < chunk.Count; k++)
            {
                if (result.Data.Prop(GraphQLBatch.ResponseKey(document, chunk.Count, k)) is { } value)
                {
                    found.Add((value, chunk[k]));
                }
            }
        }

        return found;
    }

    // ---------------------------------------------------------------- metafield definitions

    private static IEnumerable<string> OwnerTypes(EntityType type) => type switch
    {
        EntityType.Products => ["PRODUCT", "PRODUCTVARIANT"],
        EntityType.Categories => ["COLLECTION"],
        EntityType.Customers => ["CUSTOMER"],
        EntityType.Orders => ["ORDER"],
        EntityType.Pages => ["PAGE"],
        EntityType.BlogPosts => ["ARTICLE"],
        _ => [],
    };

    /// <summary>
    /// Creates the <c>nextcart.source_id</c> metafield definition with unique values for the type's owners, once per connector:
    /// Shopify only resolves <c>customId</c> identifiers through such a definition. A definition that exists already (code
    /// <c>TAKEN</c>) is fine.
    /// </summary>
    private async Task EnsureDefinitionsAsync(EntityType type, CancellationToken cancellationToken)
    {
        foreach (string owner in OwnerTypes(type))
        {
            Lazy<Task> ensure = _definitions.GetOrAdd(owner, o => new Lazy<Task>(() => CreateDefinitionAsync(o, CancellationToken.None)));
            try
            {
                await ensure.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationException)
            {
                _definitions.TryRemove(new KeyValuePair<string, Lazy<Task>>(owner, ensure));
                throw;
            }
        }
    }

    private async Task CreateDefinitionAsync(string owner, CancellationToken cancellationToken)
    {
        var definition = new JsonObject
        {
            ["name"] = "NextCart source id",
            ["namespace"] = ShopifyDocuments.Namespace,
            ["key"] = ShopifyDocuments.SourceIdKey,
            ["type"] = ShopifyConstants.SourceIdType,
            ["ownerType"] = owner,
            ["capabilities"] = new JsonObject { ["uniqueValues"] = new JsonObject { ["enabled"] = true } },
        };
        GraphResult result = await _client.ExecuteAsync(ShopifyDocuments.MetafieldDefinitionCreate, new JsonObject { ["definition"] = definition }, cancellationToken).ConfigureAwait(false);
        List<UserError> errors = result.Field("metafieldDefinitionCreate").Array("userErrors").Select(e => new UserError(e.Strings("field"), e.Str("message") ?? "rejected", e.Str("code"))).ToList();
        if (errors.Any(e => e.Code != "TAKEN"))
        {
            throw new MigrationException(
                $"The metafield definition nextcart.source_id for {owner} could not be created ({FormatUserErrors(errors)}); give the app the write access to metafield definitions.",
                FailureCategory.Configuration,
                isTransient: false);
        }

        Log.DefinitionEnsured(_logger, owner);
    }

    // ---------------------------------------------------------------- reconciliation

    public async ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count > 0)
        {
            // customId lookups resolve only through the unique-values definition, which a connector resuming another process's run
            // may not have ensured yet.
            await EnsureDefinitionsAsync(type, cancellationToken).ConfigureAwait(false);
        }

        var lookups = new List<MutationPlan>();
        var owners = new List<int>();
        for (int i = 0; i < identities.Count; i++)
        {
            SourceIdentity identity = identities[i];
            foreach (MutationPlan lookup in Lookups(type, identity))
            {
                lookups.Add(lookup);
                owners.Add(i);
            }
        }

        // The engine asks with each record's identity, whose natural key gives every page, article and discount a lookup. A caller
        // with a source id alone (no natural key) leaves pages, articles and discounts nothing Shopify can search by (it has no
        // pageByIdentifier or discount lookup by metafield): those alone fall back to scanning the newest records.
        var keyed = owners.ToHashSet();
        var unkeyed = Enumerable.Range(0, identities.Count).Where(i => !keyed.Contains(i)).ToList();
        if (lookups.Count == 0 && (RecentDocument(type) is null || unkeyed.Count == 0))
        {
            return [];
        }

        var found = new Dictionary<int, ExistingTarget>();
        var results = new List<(JsonElement Node, int Owner)>();
        // In lookup order, so a record's custom-id match (its own source id) wins over its natural-key match.
        foreach ((JsonElement data, int k) in (await QueryAliasedAsync(lookups, cancellationToken).ConfigureAwait(false)).OrderBy(r => r.Index))
        {
            results.Add((data.ValueKind == JsonValueKind.Object && data.Prop("nodes") is { ValueKind: JsonValueKind.Array } nodes ? nodes.EnumerateArray().FirstOrDefault() : data, owners[k]));
        }

        if (RecentDocument(type) is { } recent && unkeyed.Count > 0)
        {
            // Only for a page, article or discount asked for by its source id alone: a write whose outcome was lost is then among
            // the newest records, so the newest are scanned for its source id.
            GraphResult newest = await _client.ExecuteAsync(recent.Document, new JsonObject { ["first"] = 100 }, cancellationToken).ConfigureAwait(false);
            var bySource = newest.Field(recent.Field).Array("nodes").Where(n => n.SourceId() is not null).GroupBy(n => n.SourceId()!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (int i in unkeyed)
            {
                if (bySource.TryGetValue(identities[i].SourceId, out JsonElement node))
                {
                    results.Add((node, i));
                }
            }
        }

        foreach ((JsonElement node, int owner) in results)
        {
            if (found.ContainsKey(owner))
            {
                continue;
            }

            SourceIdentity identity = identities[owner];
            if (node.ValueKind != JsonValueKind.Object || node.Str("id") is not { } gid)
            {
                continue;
            }

            if (type == EntityType.Redirects && !string.Equals(node.Str("path"), TargetMapper.PathOnly(identity.NaturalKey ?? string.Empty), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string carried = node.SourceId() ?? (type == EntityType.Orders && node.Str("sourceIdentifier") is { Length: > 0 } si ? si : identity.SourceId);
            string id = Handles.Tail(gid);
            string? url = type switch
            {
                EntityType.Products => "/products/" + node.Str("handle"),
                EntityType.Categories => "/collections/" + node.Str("handle"),
                EntityType.Pages => "/pages/" + node.Str("handle"),
                EntityType.BlogPosts => $"/blogs/{node.Prop("blog")?.Str("handle")}/{node.Str("handle")}",
                EntityType.Redirects => node.Str("path"),
                EntityType.Orders => node.Str("name"),
                _ => null,
            };
            IReadOnlyList<ChildMapping> children = type == EntityType.Products
                ? node.Nodes("variants").Select(v => v.SourceId() is { } s && v.Str("id") is { } vid ? new ChildMapping(s, Handles.Tail(vid)) : (ChildMapping?)null)
                    .OfType<ChildMapping>().Where(c => c.SourceId != carried).ToArray()
                : [];
            found[owner] = new ExistingTarget(carried, id, url) { Children = children };
        }

        return found.Values.ToList();
    }

    private static (string Document, string Field)? RecentDocument(EntityType type) => type switch
    {
        EntityType.Pages => (ShopifyDocuments.RecentPages, "pages"),
        EntityType.BlogPosts => (ShopifyDocuments.RecentArticles, "articles"),
        EntityType.Coupons => (ShopifyDocuments.RecentDiscounts, "discountNodes"),
        _ => null,
    };

    /// <summary>
    /// The documented lookups of a record: products and customers by custom id (the source id metafield) and natural key, orders by
    /// source identifier and name, collections by custom id and handle (<c>collectionByIdentifier</c>), discounts by code
    /// (<c>codeDiscountNodeByCode</c>), pages and articles by handle (the <c>handle</c> filter of <c>pages</c>/<c>articles</c>,
    /// the handle <see cref="TargetMapper.ContentHandle"/> wrote them with), redirects by path.
    /// </summary>
    private IEnumerable<MutationPlan> Lookups(EntityType type, SourceIdentity identity)
    {
        string? key = string.IsNullOrWhiteSpace(identity.NaturalKey) ? null : identity.NaturalKey.Trim();
        switch (type)
        {
            case EntityType.Products:
                yield return new MutationPlan(ShopifyDocuments.ProductByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["customId"] = TargetMapper.CustomId(identity.SourceId) }, ["variants"] = 100 });
                if (TargetMapper.Handle(key) is { } handle && handle == key)
                {
                    yield return new MutationPlan(ShopifyDocuments.ProductByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["handle"] = handle }, ["variants"] = 100 });
                }

                break;
            case EntityType.Customers:
                yield return new MutationPlan(ShopifyDocuments.CustomerByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["customId"] = TargetMapper.CustomId(identity.SourceId) } });
                if (key is not null)
                {
                    yield return new MutationPlan(ShopifyDocuments.CustomerByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["emailAddress"] = key } });
                }

                break;
            case EntityType.Orders:
                yield return new MutationPlan(ShopifyDocuments.OrderSearch, new JsonObject { ["query"] = "source_identifier:" + Handles.Quote(identity.SourceId) });
                if (key is not null)
                {
                    yield return new MutationPlan(ShopifyDocuments.OrderSearch, new JsonObject { ["query"] = "name:" + Handles.Quote(key.StartsWith('#') ? key : "#" + key) });
                }

                break;
            case EntityType.Categories:
                yield return new MutationPlan(ShopifyDocuments.CollectionByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["customId"] = TargetMapper.CustomId(identity.SourceId) } });
                if (TargetMapper.Handle(key) is { } collectionHandle)
                {
                    yield return new MutationPlan(ShopifyDocuments.CollectionByIdentifier, new JsonObject { ["identifier"] = new JsonObject { ["handle"] = collectionHandle } });
                }

                break;
            case EntityType.Pages when key is not null:
                yield return new MutationPlan(ShopifyDocuments.PageSearch, new JsonObject { ["query"] = "handle:" + TargetMapper.ContentHandle(identity) });
                break;
            case EntityType.BlogPosts when key is not null:
                yield return new MutationPlan(ShopifyDocuments.ArticleSearch, new JsonObject { ["query"] = "handle:" + TargetMapper.ContentHandle(identity) });
                break;
            case EntityType.Coupons when key is not null:
                yield return new MutationPlan(ShopifyDocuments.CodeDiscountByCode, new JsonObject { ["code"] = key });
                break;
            case EntityType.Redirects when key is not null:
                yield return new MutationPlan(ShopifyDocuments.RedirectSearch, new JsonObject { ["query"] = "path:" + Handles.Quote(TargetMapper.PathOnly(key)) });
                break;
        }
    }

    // ---------------------------------------------------------------- deferred links

    public async ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        var results = new RecordOutcome[links.Count];
        var plans = new List<(int Index, MutationPlan Plan)>();
        for (int i = 0; i < links.Count; i++)
        {
            LinkRecord link = links[i];
            results[i] = RecordOutcome.Updated(link.SourceId, link.TargetId);
            if (type == EntityType.Products)
            {
                var metafields = new JsonArray();
                foreach ((ReferenceRole role, string key) in TargetMapper.LinkKeys)
                {
                    string[] ids = link.Links.Where(l => l.Reference.Role == role).Select(l => Handles.Tail(l.Target.TargetId)).ToArray();
                    if (ids.Length > 0)
                    {
                        JsonObject m = TargetMapper.ProductList(key, ids);
                        m["ownerId"] = Handles.Gid("Product", link.TargetId);
                        metafields.Add(m);
                    }
                }

                if (metafields.Count > 0)
                {
                    plans.Add((i, new MutationPlan(ShopifyDocuments.MetafieldsSet, new JsonObject { ["metafields"] = metafields })));
                }
            }
            else if (type == EntityType.Categories && link.Links.FirstOrDefault(l => l.Reference.Role == ReferenceRole.Parent) is { Target.TargetId: not null } parent)
            {
                string? parentTitle = await CollectionTitleAsync(parent.Target, cancellationToken).ConfigureAwait(false);
                string? own = await CollectionTitleAsync(new ResolvedTarget(link.TargetId, null), cancellationToken).ConfigureAwait(false);
                if (parentTitle is null || own is null)
                {
                    results[i] = results[i] with { Warnings = ["The parent collection's title could not be read, so the nested collection keeps its own title."] };
                    continue;
                }

                if (own.StartsWith(parentTitle + " / ", StringComparison.Ordinal))
                {
                    continue;
                }

                string title = parentTitle + " / " + own;
                plans.Add((i, new MutationPlan(ShopifyDocuments.CollectionUpdate, new JsonObject { ["input"] = new JsonObject { ["id"] = Handles.Gid("Collection", link.TargetId), ["title"] = title } })));
                _collectionTitles[Handles.Tail(link.TargetId)] = title;
            }
        }

        IReadOnlyList<PlanResult> outcomes = await RunAsync(type, plans.Select(p => p.Plan).ToList(), plans.Select(p => links[p.Index].SourceId).ToList(), cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < plans.Count; k++)
        {
            if (outcomes[k].Failure is { } failure)
            {
                results[plans[k].Index] = failure;
            }
        }

        return new BatchOutcome(results);
    }

    // ---------------------------------------------------------------- clearing

    public async ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default)
    {
        (string? list, string? field, string? delete) = type switch
        {
            EntityType.Products => (ShopifyDocuments.ProductIds, "products", ShopifyDocuments.ProductDelete),
            EntityType.Categories => (ShopifyDocuments.CollectionIds, "collections", ShopifyDocuments.CollectionDelete),
            EntityType.Customers => (ShopifyDocuments.CustomerIds, "customers", ShopifyDocuments.CustomerDelete),
            EntityType.Orders => (ShopifyDocuments.OrderIds, "orders", ShopifyDocuments.OrderDelete),
            EntityType.Pages => (ShopifyDocuments.PageIds, "pages", ShopifyDocuments.PageDelete),
            EntityType.BlogPosts => (ShopifyDocuments.ArticleIds, "articles", ShopifyDocuments.ArticleDelete),
            EntityType.Coupons => (ShopifyDocuments.DiscountIds, "discountNodes", ShopifyDocuments.DiscountCodeDelete),
            EntityType.Redirects => (ShopifyDocuments.UrlRedirectIds, "urlRedirects", ShopifyDocuments.UrlRedirectDelete),
            _ => (null, null, null),
        };
        if (list is null)
        {
            return;
        }

        for (int round = 0; round < 100_000; round++)
        {
            GraphResult page = await _client.ExecuteAsync(list, new JsonObject { ["first"] = 100 }, cancellationToken).ConfigureAwait(false);
            string[] ids = page.Field(field!).Array("nodes").Select(n => n.Str("id")).OfType<string>().ToArray();
            if (ids.Length == 0)
            {
                return;
            }

            IReadOnlyList<PlanResult> outcomes = await RunAsync(type, ids.Select(id => new MutationPlan(delete!, new JsonObject { ["id"] = id })).ToList(), ids, cancellationToken).ConfigureAwait(false);
            if (outcomes.FirstOrDefault(o => o.Failure is not null)?.Failure is { } failure)
            {
                throw new MigrationException($"Shopify refused to delete {type.ToCamelCase()} {failure.SourceId}: {failure.Message}", failure.Category ?? FailureCategory.Validation, failure.IsTransient);
            }
        }
    }
}
