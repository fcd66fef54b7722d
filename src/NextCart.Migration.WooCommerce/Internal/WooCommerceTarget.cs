using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NextCart.Migration.Connectors;
using NextCart.Migration.Http;
using NextCart.Migration.Model;

namespace NextCart.Migration.WooCommerce.Internal;

/// <summary>Writes canonical records to a WooCommerce store through the <c>/batch</c> endpoints, <c>wp/v2</c> and the Redirection plugin.</summary>
internal sealed class WooCommerceTarget : ITargetConnector, ITargetLinker, ITargetClearer
{
    private const string WordPressStatuses = "publish,future,draft,pending,private";
    private readonly WooCommerceClient _client;
    private readonly ILogger _logger;
    private volatile string? _redirectsUnsupportedReason = "The Redirection plugin's endpoint has not been checked yet; run the target check first.";

    public WooCommerceTarget(WooCommerceClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    public string ProviderId => WooCommerceConstants.ProviderId;

    public async ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        ConnectorCheck check = await WooCommerceCheck.RunAsync(_client, _logger, cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            return check;
        }

        try
        {
            using HttpResponseMessage response = await _client.SendRawAsync(HttpMethod.Get, WooApi.Redirection, "redirect", [new("per_page", "1")], null, cancellationToken).ConfigureAwait(false);
            _redirectsUnsupportedReason = response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode => null,
                HttpStatusCode.NotFound => "The target store has no Redirection plugin (/wp-json/redirection/v1), so 301 redirects cannot be created; install and activate the Redirection plugin.",
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "The Redirection plugin refused the WordPress credentials; set WordPressUser and WordPressApplicationPassword of an administrator.",
                _ => $"The Redirection plugin answered HTTP {(int)response.StatusCode}; redirects cannot be created.",
            };
        }
        catch (MigrationException ex) when (!ex.IsTransient)
        {
            _redirectsUnsupportedReason = "The Redirection plugin's endpoint could not be reached; redirects cannot be created.";
        }

        return check;
    }

    public TargetLimits GetLimits(EntityType type)
    {
        var limits = new TargetLimits { MaxBatchSize = _client.Options.BatchSize, MaxConcurrency = _client.Options.MaxConcurrency };
        return type switch
        {
            EntityType.Manufacturers => TargetLimits.Unsupported("The WooCommerce connector does not write manufacturers (brands)."),
            EntityType.Pages or EntityType.BlogPosts when !_client.HasWordPressCredentials
                => TargetLimits.Unsupported("WooCommerce keys cannot write WordPress pages and posts; set WordPressUser and WordPressApplicationPassword."),
            EntityType.Redirects when _redirectsUnsupportedReason is { } reason => TargetLimits.Unsupported(reason),
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
        if (Endpoint.For(type).Api != WooApi.WooCommerce)
        {
            for (int i = 0; i < records.Count; i++)
            {
                try
                {
                    results[i] = await WriteSingleAsync(type, records[i], cancellationToken).ConfigureAwait(false);
                }
                catch (MigrationException ex) when (ex.IsTransient || ex.Category == FailureCategory.RateLimit)
                {
                    // One request per record here, so a transient failure belongs to this record alone: the engine reconciles and
                    // retries it, and the records already written keep their outcomes.
                    results[i] = RecordOutcome.Failed(records[i].Entity.SourceId, ex.Category, ex.Message, isTransient: true);
                }
            }

            return new BatchOutcome(results);
        }

        if (type == EntityType.Categories)
        {
            await WriteCategoriesInWavesAsync(records, results, cancellationToken).ConfigureAwait(false);
            return new BatchOutcome(results);
        }

        await WriteChunkedAsync(type, records, results, cancellationToken).ConfigureAwait(false);
        return new BatchOutcome(results);
    }

    private async Task WriteChunkedAsync(EntityType type, IReadOnlyList<TargetRecord> records, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        int batchSize = _client.Options.BatchSize;
        for (int start = 0; start < records.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, records.Count - start);
            await WriteBatchAsync(type, records, start, count, results, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes categories parents first: a category whose parent is in the same batch waits for the wave after its parent's and
    /// is created under it. Creating it flat instead would put it at the root, where WordPress refuses a second sibling of the
    /// same name (<c>term_exists</c>). Parents outside the batch that are not yet resolved are linked in the deferred pass.
    /// </summary>
    private async Task WriteCategoriesInWavesAsync(IReadOnlyList<TargetRecord> records, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        var indexBySource = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            indexBySource[records[i].Entity.SourceId] = i;
        }

        var pending = Enumerable.Range(0, records.Count).ToList();
        while (pending.Count > 0)
        {
            var wave = new List<int>();
            foreach (int i in pending)
            {
                string? parent = ((Category)records[i].Entity).ParentId;
                bool waits = parent is not null
                    && !records[i].TryResolve(new EntityRef(EntityType.Categories, parent), out _)
                    && indexBySource.TryGetValue(parent, out int p) && p != i && results[p] is null;
                if (!waits)
                {
                    wave.Add(i);
                }
            }

            if (wave.Count == 0)
            {
                wave.AddRange(pending); // A cycle: write the rest flat; the deferred pass links what it can.
            }

            var waveRecords = wave.Select(i => WithLocalParent(records[i], records, indexBySource, results)).ToArray();
            var waveResults = new RecordOutcome[waveRecords.Length];
            try
            {
                await WriteChunkedAsync(EntityType.Categories, waveRecords, waveResults, cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationException ex) when (ex.IsTransient || ex.Category == FailureCategory.RateLimit)
            {
                // The waves already written keep their outcomes; this wave and the ones waiting on it fail transiently, and the
                // engine reconciles and retries just those.
                foreach (int i in pending)
                {
                    results[i] = RecordOutcome.Failed(records[i].Entity.SourceId, ex.Category, ex.Message, isTransient: true);
                }

                return;
            }

            for (int k = 0; k < wave.Count; k++)
            {
                results[wave[k]] = waveResults[k];
            }

            pending.RemoveAll(wave.Contains);
        }
    }

    private static TargetRecord WithLocalParent(TargetRecord record, IReadOnlyList<TargetRecord> records, Dictionary<string, int> indexBySource, RecordOutcome[] results)
    {
        string? parent = ((Category)record.Entity).ParentId;
        var key = new EntityRef(EntityType.Categories, parent ?? string.Empty);
        if (parent is null || record.TryResolve(key, out _) || !indexBySource.TryGetValue(parent, out int p) || results[p] is not { Status: not RecordStatus.Failed, TargetId: { } id })
        {
            return record;
        }

        var references = new Dictionary<EntityRef, ResolvedTarget>(record.References) { [key] = new ResolvedTarget(id, results[p].TargetUrl) };
        return new TargetRecord(record.Entity, record.Action, record.ExistingTargetId, references) { PreserveId = record.PreserveId };
    }

    private async Task WriteBatchAsync(EntityType type, IReadOnlyList<TargetRecord> records, int start, int count, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        string path = Endpoint.For(type).Path;
        var creates = new List<(int Index, JsonObject Body)>();
        var updates = new List<(int Index, JsonObject Body)>();
        var warnings = new List<string>[records.Count];
        for (int i = start; i < start + count; i++)
        {
            TargetRecord record = records[i];
            warnings[i] = [];
            try
            {
                JsonObject body = TargetMapper.Build(record, warnings[i]);
                if (record.Action == WriteAction.Update)
                {
                    body["id"] = TargetMapper.Id(record.ExistingTargetId!);
                    updates.Add((i, body));
                }
                else
                {
                    creates.Add((i, body));
                }
            }
            catch (InvalidOperationException ex)
            {
                results[i] = RecordOutcome.Failed(record.Entity.SourceId, FailureCategory.Validation, ex.Message);
            }
        }

        if (creates.Count + updates.Count == 0)
        {
            return;
        }

        JsonElement response = await PostBatchAsync(path, creates.Select(c => c.Body), updates.Select(u => u.Body), [], cancellationToken).ConfigureAwait(false);
        var adopt = new List<(int Index, long Id)>();
        HandleItems(type, records, response.Array("create").ToArray(), creates, results, adopt, created: true);
        HandleItems(type, records, response.Array("update").ToArray(), updates, results, adopt, created: false);
        if (adopt.Count > 0)
        {
            await AdoptAsync(type, path, records, adopt, creates, results, cancellationToken).ConfigureAwait(false);
        }

        for (int i = start; i < start + count; i++)
        {
            if (results[i] is { Status: not RecordStatus.Failed } ok && records[i].Entity is Product { Kind: ProductKind.Variable, Variants.Count: > 0 } product)
            {
                bool existed = records[i].Action == WriteAction.Update || ok.Status == RecordStatus.Updated;
                try
                {
                    (IReadOnlyList<ChildMapping> children, IReadOnlyList<string> failures) =
                        await WriteVariationsAsync(ok.TargetId!, product, existed, cancellationToken).ConfigureAwait(false);
                    warnings[i].AddRange(failures);
                    results[i] = ok with { Children = children };
                }
                catch (MigrationException ex) when (ex.IsTransient || ex.Category == FailureCategory.RateLimit)
                {
                    // The parent is written but its variations are not all there: this product alone fails transiently, and the
                    // engine writes it again as an update of the parent it finds, which adds the missing variations.
                    results[i] = RecordOutcome.Failed(ok.SourceId, ex.Category, $"The product's variations could not all be written yet: {ex.Message}", isTransient: true);
                    continue;
                }
            }

            if (results[i] is { Status: not RecordStatus.Failed, TargetId: { } orderId } written && records[i].Entity is Order { Notes.Count: > 0 } order)
            {
                bool existed = records[i].Action == WriteAction.Update || written.Status == RecordStatus.Updated;
                results[i] = await WriteOrderNotesAsync(orderId, order, existed, warnings[i], cancellationToken).ConfigureAwait(false) ?? written;
            }

            if (results[i] is { } r && warnings[i] is { Count: > 0 } w)
            {
                results[i] = r with { Warnings = [.. r.Warnings, .. w] };
            }
        }

        Log.BatchWritten(_logger, path, count, results.Skip(start).Take(count).Count(r => r?.Status == RecordStatus.Failed));
    }

    private void HandleItems(EntityType type, IReadOnlyList<TargetRecord> records, JsonElement[] items, List<(int Index, JsonObject Body)> sent, RecordOutcome[] results, List<(int Index, long Id)> adopt, bool created)
    {
        for (int k = 0; k < sent.Count; k++)
        {
            int index = sent[k].Index;
            string sourceId = records[index].Entity.SourceId;
            if (k >= items.Length)
            {
                results[index] = RecordOutcome.Failed(sourceId, FailureCategory.Connection, "The store's batch response had no result for this record.", isTransient: true);
                continue;
            }

            JsonElement item = items[k];
            if (item.Prop("error") is { ValueKind: JsonValueKind.Object } error)
            {
                string code = error.Str("code") ?? "error";
                string message = error.Str("message") ?? "The store rejected the record.";
                if (created && code is "product_invalid_sku" or "term_exists" && error.Prop("data")?.Str("resource_id") is { } existing
                    && long.TryParse(existing, NumberStyles.None, CultureInfo.InvariantCulture, out long existingId) && existingId > 0)
                {
                    adopt.Add((index, existingId));
                    continue;
                }

                Log.ItemRejected(_logger, type.ToCamelCase(), sourceId, code);
                results[index] = RecordOutcome.Failed(sourceId, FailureCategory.Validation, $"{code}: {SecretRedactor.Redact(message, WooCommerceCheck.Secrets(_client))}");
                continue;
            }

            string id = item.Str("id") ?? "0";
            results[index] = id == "0"
                ? RecordOutcome.Failed(sourceId, FailureCategory.Validation, "The store returned no id for the record.")
                : created
                    ? RecordOutcome.Created(sourceId, id, UrlOf(item, records[index]))
                    : RecordOutcome.Updated(sourceId, id, UrlOf(item, records[index]));
        }
    }

    /// <summary>
    /// Adopts an existing record whose unique key (SKU, category slug) a create collided with, when that record carries no source
    /// identity or this record's: it is updated in place and reported as <see cref="RecordStatus.Updated"/>. One that carries another
    /// source record's identity is a genuine duplicate and fails.
    /// </summary>
    private async Task AdoptAsync(EntityType type, string path, IReadOnlyList<TargetRecord> records, List<(int Index, long Id)> adopt, List<(int Index, JsonObject Body)> creates, RecordOutcome[] results, CancellationToken cancellationToken)
    {
        WooResponse found = await _client.GetAsync(
            WooApi.WooCommerce,
            path,
            [new("include", string.Join(",", adopt.Select(a => a.Id.ToString(CultureInfo.InvariantCulture)))), new("per_page", "100")],
            cancellationToken).ConfigureAwait(false);
        var existing = found.Body.ValueKind == JsonValueKind.Array
            ? found.Body.EnumerateArray().ToDictionary(e => e.Str("id") ?? "0", e => e, StringComparer.Ordinal)
            : [];
        var updates = new List<(int Index, JsonObject Body)>();
        foreach ((int index, long id) in adopt)
        {
            string sourceId = records[index].Entity.SourceId;
            string idText = id.ToString(CultureInfo.InvariantCulture);
            existing.TryGetValue(idText, out JsonElement current);
            string? owner = current.ValueKind == JsonValueKind.Object ? current.Meta(WooCommerceConstants.SourceIdMetaKey) : null;
            if (type == EntityType.Categories && owner != sourceId && (current.ValueKind != JsonValueKind.Object || current.Str("slug") != ((Category)records[index].Entity).Slug))
            {
                // term_exists compares names among siblings, not identities: another category of the same name is not this one.
                results[index] = RecordOutcome.Failed(
                    sourceId,
                    FailureCategory.Validation,
                    $"term_exists: a different category named '{((Category)records[index].Entity).Name}' already exists at the same level on the target (target id {idText}); WordPress needs sibling category names to be unique.");
                continue;
            }

            if (owner is not null && owner != sourceId)
            {
                results[index] = RecordOutcome.Failed(
                    sourceId,
                    FailureCategory.Validation,
                    $"The key of this {type.ToCamelCase()} record is already used by target record {idText}, migrated from source record {owner}; make the keys unique in the source.");
                continue;
            }

            JsonObject body = (JsonObject)creates.First(c => c.Index == index).Body.DeepClone();
            body["id"] = id;
            updates.Add((index, body));
        }

        if (updates.Count == 0)
        {
            return;
        }

        JsonElement response = await PostBatchAsync(path, [], updates.Select(u => u.Body), [], cancellationToken).ConfigureAwait(false);
        HandleItems(type, records, response.Array("update").ToArray(), updates, results, [], created: false);
        foreach ((int index, _) in updates)
        {
            if (results[index] is { Status: RecordStatus.Updated } adopted)
            {
                Log.ProductAdopted(_logger, adopted.SourceId, adopted.TargetId!);
            }
        }
    }

    private async Task<(IReadOnlyList<ChildMapping> Children, IReadOnlyList<string> Failures)> WriteVariationsAsync(string productId, Product product, bool existed, CancellationToken cancellationToken)
    {
        string path = $"products/{productId}/variations";
        Dictionary<string, string> existing = existed ? await ReadVariationIdsAsync(productId, cancellationToken).ConfigureAwait(false) : [];
        var children = new List<ChildMapping>();
        var failures = new List<string>();
        int batchSize = _client.Options.BatchSize;
        for (int start = 0; start < product.Variants.Count; start += batchSize)
        {
            List<ProductVariant> chunk = product.Variants.Skip(start).Take(batchSize).ToList();
            var creates = new List<(ProductVariant Variant, JsonObject Body)>();
            var updates = new List<(ProductVariant Variant, JsonObject Body)>();
            foreach (ProductVariant variant in chunk)
            {
                JsonObject body = TargetMapper.BuildVariation(variant);
                if (existing.TryGetValue(variant.SourceId, out string? id))
                {
                    body["id"] = TargetMapper.Id(id);
                    updates.Add((variant, body));
                }
                else
                {
                    creates.Add((variant, body));
                }
            }

            JsonElement response = await PostBatchAsync(path + "/batch", creates.Select(c => c.Body), updates.Select(u => u.Body), [], cancellationToken).ConfigureAwait(false);
            Collect(response.Array("create").ToArray(), creates);
            Collect(response.Array("update").ToArray(), updates);
        }

        return (children, failures);

        void Collect(JsonElement[] items, List<(ProductVariant Variant, JsonObject Body)> sent)
        {
            for (int k = 0; k < sent.Count; k++)
            {
                ProductVariant variant = sent[k].Variant;
                if (k < items.Length && items[k].Prop("error") is null && items[k].Str("id") is { } id && id != "0")
                {
                    children.Add(new ChildMapping(variant.SourceId, id));
                }
                else
                {
                    string reason = k < items.Length && items[k].Prop("error") is { } error ? $"{error.Str("code")}: {error.Str("message")}" : "no result";
                    failures.Add($"Variant {variant.SourceId} was not written ({reason}).");
                }
            }
        }
    }

    /// <summary>
    /// Copies an order's history notes. Every note is written as a private note: <c>customer_note: true</c> would e-mail the
    /// customer. On an order that already existed, the notes already there (same text) are skipped, so re-runs and retries add no
    /// duplicates and complete what an interrupted write left out.
    /// </summary>
    /// <returns>
    /// <see langword="null"/> when every note is there; otherwise a transient failure of the order, so that the engine writes it
    /// again (as an update of the order it finds) and the missing notes are added then.
    /// </returns>
    private async Task<RecordOutcome?> WriteOrderNotesAsync(string orderId, Order order, bool existed, List<string> warnings, CancellationToken cancellationToken)
    {
        HashSet<string> present = existed ? await ReadOrderNoteTextsAsync(orderId, cancellationToken).ConfigureAwait(false) : new(StringComparer.Ordinal);
        foreach (OrderNote note in order.Notes.OrderBy(n => n.CreatedAt))
        {
            string prefix = note.CreatedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + (note.IsCustomerNote ? " (note to customer)" : string.Empty) + ": " : string.Empty;
            string text = prefix + note.Content;
            if (!present.Add(text))
            {
                continue;
            }

            var body = new JsonObject { ["note"] = text, ["customer_note"] = false };
            try
            {
                using HttpResponseMessage response = await _client.SendRawAsync(HttpMethod.Post, WooApi.WooCommerce, $"orders/{orderId}/notes", null, body, cancellationToken).ConfigureAwait(false);
                if (HttpFailureClassifier.IsTransient(response.StatusCode))
                {
                    return RecordOutcome.Failed(order.SourceId, HttpFailureClassifier.GetCategory(response.StatusCode), $"An order note could not be copied yet (HTTP {(int)response.StatusCode}).", isTransient: true);
                }

                if (!response.IsSuccessStatusCode)
                {
                    warnings.Add($"An order note was not copied (HTTP {(int)response.StatusCode}).");
                }
            }
            catch (MigrationException ex) when (ex.IsTransient)
            {
                return RecordOutcome.Failed(order.SourceId, ex.Category, $"An order note could not be copied yet: {ex.Message}", isTransient: true);
            }
        }

        return null;
    }

    private async Task<HashSet<string>> ReadOrderNoteTextsAsync(string orderId, CancellationToken cancellationToken)
    {
        // GET /orders/{id}/notes is not paginated: it returns every note of the order (WC_REST_Order_Notes_Controller::get_items).
        WooResponse response = await _client.GetAsync(WooApi.WooCommerce, $"orders/{orderId}/notes", [new("type", "internal")], cancellationToken).ConfigureAwait(false);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement note in response.Body.ValueKind == JsonValueKind.Array ? response.Body.EnumerateArray() : default)
        {
            if (note.Str("note") is { } text)
            {
                texts.Add(text);
            }
        }

        return texts;
    }

    private async Task<Dictionary<string, string>> ReadVariationIdsAsync(string productId, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int page = 1; ; page++)
        {
            WooResponse response = await _client.GetAsync(
                WooApi.WooCommerce,
                $"products/{productId}/variations",
                [new("per_page", "100"), new("page", page.ToString(CultureInfo.InvariantCulture)), new("orderby", "id"), new("order", "asc")],
                cancellationToken).ConfigureAwait(false);
            int count = 0;
            foreach (JsonElement v in response.Body.EnumerateArray())
            {
                count++;
                if (v.Meta(WooCommerceConstants.SourceIdMetaKey) is { } source && v.Str("id") is { } id)
                {
                    map[source] = id;
                }
            }

            if (count < 100 || (response.TotalPages is { } pages && page >= pages))
            {
                return map;
            }
        }
    }

    private async Task<RecordOutcome> WriteSingleAsync(EntityType type, TargetRecord record, CancellationToken cancellationToken)
    {
        Endpoint endpoint = Endpoint.For(type);
        string sourceId = record.Entity.SourceId;
        JsonObject body;
        var warnings = new List<string>();
        try
        {
            body = TargetMapper.Build(record, warnings);
        }
        catch (InvalidOperationException ex)
        {
            return RecordOutcome.Failed(sourceId, FailureCategory.Validation, ex.Message);
        }

        string path = record.Action == WriteAction.Update ? $"{endpoint.Path}/{record.ExistingTargetId}" : endpoint.Path;
        using HttpResponseMessage response = await _client.SendRawAsync(HttpMethod.Post, endpoint.Api, path, null, body, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or (HttpStatusCode)422)
        {
            StoreHttpException rejected = await HttpFailureClassifier.ClassifyAsync(response, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            return RecordOutcome.Failed(sourceId, FailureCategory.Validation, $"{rejected.ServerCode ?? "rejected"}: {rejected.ServerMessage ?? rejected.Message}");
        }

        await HttpFailureClassifier.EnsureSuccessAsync(response, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
        WooResponse parsed = await WooCommerceClient.ParseAsync(response, cancellationToken).ConfigureAwait(false);
        string id = parsed.Body.Str("id") ?? record.ExistingTargetId ?? "0";
        string? url = endpoint.Api == WooApi.Redirection ? record.Entity is Redirect r ? r.FromPath : null : UrlOf(parsed.Body);
        RecordOutcome outcome = record.Action == WriteAction.Update ? RecordOutcome.Updated(sourceId, id, url) : RecordOutcome.Created(sourceId, id, url);
        return warnings.Count == 0 ? outcome : outcome with { Warnings = warnings };
    }

    /// <summary>
    /// Finds orders by the source id they carry in meta. The REST v3 orders list has no meta filter (its documented
    /// parameters filter by dates, status, customer, product and a free-text search), but a create whose outcome is unknown is among
    /// the newest orders: the orders this connector's writers created since are at most <c>MaxConcurrency</c> batches of
    /// <c>BatchSize</c>. So the newest orders are scanned, newest first, 100 per page, until every wanted order is found or
    /// that window, plus a page, is covered.
    /// </summary>
    private async Task<IReadOnlyList<ExistingTarget>> FindNewestOrdersAsync(IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken)
    {
        var found = new List<ExistingTarget>();
        var wanted = identities.Select(i => i.SourceId).ToHashSet(StringComparer.Ordinal);
        int window = ((_client.Options.MaxConcurrency + 1) * _client.Options.BatchSize) + WooCommerceConstants.MaxPageSize;
        for (int page = 1, scanned = 0; wanted.Count > 0 && scanned < window; page++)
        {
            WooResponse newest = await _client.GetAsync(
                WooApi.WooCommerce,
                "orders",
                [new("per_page", WooCommerceConstants.MaxPageSize.ToString(CultureInfo.InvariantCulture)), new("page", page.ToString(CultureInfo.InvariantCulture)), new("orderby", "id"), new("order", "desc"), new("status", "any")],
                cancellationToken).ConfigureAwait(false);
            int count = 0;
            foreach (JsonElement order in newest.Body.EnumerateArray())
            {
                count++;
                if (order.Meta(WooCommerceConstants.SourceIdMetaKey) is { } carried && wanted.Remove(carried))
                {
                    found.Add(new ExistingTarget(carried, order.Id(), null));
                }
            }

            scanned += count;
            if (count < WooCommerceConstants.MaxPageSize || (newest.TotalPages is { } pages && page >= pages))
            {
                break;
            }
        }

        return found;
    }

    public async ValueTask<IReadOnlyList<ExistingTarget>> FindExistingAsync(EntityType type, IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var found = new List<ExistingTarget>();
        if (type == EntityType.Orders)
        {
            return await FindNewestOrdersAsync(identities, cancellationToken).ConfigureAwait(false);
        }

        if (type == EntityType.Taxes)
        {
            return await FindTaxesAsync(identities, cancellationToken).ConfigureAwait(false);
        }

        if (type == EntityType.Reviews)
        {
            return await FindReviewsAsync(identities, cancellationToken).ConfigureAwait(false);
        }

        string? key = type switch
        {
            EntityType.Products => "sku",
            EntityType.Customers => "email",
            EntityType.Coupons => "code",
            EntityType.Categories or EntityType.Pages or EntityType.BlogPosts => "slug",
            _ => null,
        };
        if (key is null)
        {
            return found;
        }

        Endpoint endpoint = Endpoint.For(type);
        foreach (SourceIdentity identity in identities)
        {
            if (string.IsNullOrEmpty(identity.NaturalKey))
            {
                continue;
            }

            JsonElement? match = await LookupAsync(endpoint, key, identity.NaturalKey, cancellationToken).ConfigureAwait(false);
            if (match is null && type == EntityType.Products)
            {
                match = await LookupAsync(endpoint, "slug", identity.NaturalKey, cancellationToken).ConfigureAwait(false);
            }

            if (match is not { } record)
            {
                continue;
            }

            string carried = record.Meta(WooCommerceConstants.SourceIdMetaKey) ?? identity.SourceId;
            string id = record.Id();
            IReadOnlyList<ChildMapping> children = [];
            if (type == EntityType.Products && record.Str("type") == "variable")
            {
                children = (await ReadVariationIdsAsync(id, cancellationToken).ConfigureAwait(false)).Select(p => new ChildMapping(p.Key, p.Value)).ToArray();
            }

            string? url = UrlOf(record);
            if (url is null && type == EntityType.Categories)
            {
                url = await FoundCategoryUrlAsync(record, cancellationToken).ConfigureAwait(false);
            }

            found.Add(new ExistingTarget(carried, id, url) { Children = children });
        }

        return found;
    }

    /// <summary>
    /// Finds tax rates by content: WooCommerce keeps no meta and no unique key on a rate, so every rate of the store is read (stores
    /// have few) and compared with <see cref="Tax.GetContentKey"/>. A rate already claimed by another source record is not offered twice.
    /// </summary>
    private async Task<IReadOnlyList<ExistingTarget>> FindTaxesAsync(IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        for (int page = 1; ; page++)
        {
            WooResponse response = await _client.GetAsync(
                WooApi.WooCommerce, "taxes", [new("per_page", "100"), new("page", page.ToString(CultureInfo.InvariantCulture)), new("orderby", "id"), new("order", "asc")], cancellationToken).ConfigureAwait(false);
            foreach (JsonElement rate in response.Body.ValueKind == JsonValueKind.Array ? response.Body.EnumerateArray() : default)
            {
                string key = Tax.GetContentKey(rate.Str("country"), rate.Str("state"), rate.Str("class"), rate.Str("name"), rate.Dec("rate") ?? 0m, rate.Int("priority") ?? 1);
                if (!byKey.TryGetValue(key, out Queue<string>? ids))
                {
                    byKey[key] = ids = new Queue<string>();
                }

                ids.Enqueue(rate.Id());
            }

            if (response.TotalPages is not { } pages || page >= pages)
            {
                break;
            }
        }

        var found = new List<ExistingTarget>();
        foreach (SourceIdentity identity in identities)
        {
            if (identity.NaturalKey is { } key && byKey.TryGetValue(key, out Queue<string>? ids) && ids.TryDequeue(out string? id))
            {
                found.Add(new ExistingTarget(identity.SourceId, id, null));
            }
        }

        return found;
    }

    /// <summary>
    /// Finds reviews by content: product reviews carry no meta in the REST API, so the reviews of each reviewer e-mail
    /// (<c>reviewer_email</c> filter) are compared with <see cref="Review.GetContentKey"/>.
    /// </summary>
    private async Task<IReadOnlyList<ExistingTarget>> FindReviewsAsync(IReadOnlyList<SourceIdentity> identities, CancellationToken cancellationToken)
    {
        var found = new List<ExistingTarget>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (IGrouping<string, SourceIdentity> byEmail in identities.Where(i => i.NaturalKey is not null).GroupBy(i => i.NaturalKey![..i.NaturalKey!.IndexOf('\n', StringComparison.Ordinal)], StringComparer.Ordinal))
        {
            if (byEmail.Key.Length == 0)
            {
                continue;
            }

            WooResponse response = await _client.GetAsync(
                WooApi.WooCommerce, "products/reviews", [new("reviewer_email", byEmail.Key), new("per_page", "100"), new("status", "all")], cancellationToken).ConfigureAwait(false);
            List<JsonElement> candidates = [.. response.Body.ValueKind == JsonValueKind.Array ? response.Body.EnumerateArray() : default];
            foreach (SourceIdentity identity in byEmail)
            {
                foreach (JsonElement review in candidates)
                {
                    string id = review.Id();
                    if (!claimed.Contains(id) && Review.GetContentKey(review.Str("reviewer_email"), review.Int("rating") ?? 0, review.Str("review")) == identity.NaturalKey)
                    {
                        claimed.Add(id);
                        found.Add(new ExistingTarget(identity.SourceId, id, null));
                        break;
                    }
                }
            }
        }

        return found;
    }

    private async Task<JsonElement?> LookupAsync(Endpoint endpoint, string key, string value, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> query = [new(key, value)];
        if (endpoint.Api == WooApi.WordPress)
        {
            query.Add(new("status", WordPressStatuses));
        }
        else if (endpoint.Path == "customers")
        {
            query.Add(new("role", "all"));
        }

        WooResponse response = await _client.GetAsync(endpoint.Api, endpoint.Path, query, cancellationToken).ConfigureAwait(false);
        return response.Body.ValueKind == JsonValueKind.Array && response.Body.GetArrayLength() > 0 ? response.Body[0] : null;
    }

    public async ValueTask<BatchOutcome> LinkAsync(EntityType type, IReadOnlyList<LinkRecord> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        var results = new RecordOutcome[links.Count];
        if (type is not (EntityType.Categories or EntityType.Products))
        {
            for (int i = 0; i < links.Count; i++)
            {
                results[i] = RecordOutcome.Updated(links[i].SourceId, links[i].TargetId);
            }

            return new BatchOutcome(results);
        }

        string path = Endpoint.For(type).Path;
        var updates = new List<(int Index, JsonObject Body)>();
        var warnings = new string?[links.Count];
        for (int i = 0; i < links.Count; i++)
        {
            LinkRecord link = links[i];
            var body = new JsonObject { ["id"] = TargetMapper.Id(link.TargetId) };
            foreach (IGrouping<ReferenceRole, ResolvedLink> group in link.Links.GroupBy(l => l.Reference.Role))
            {
                JsonArray ids = new(group.Select(l => (JsonNode)JsonValue.Create(TargetMapper.Id(l.Target.TargetId))).ToArray());
                switch (group.Key)
                {
                    case ReferenceRole.Parent when type == EntityType.Categories:
                        body["parent"] = TargetMapper.Id(group.First().Target.TargetId);
                        break;
                    case ReferenceRole.Upsell:
                        body["upsell_ids"] = ids;
                        break;
                    case ReferenceRole.CrossSell:
                        body["cross_sell_ids"] = ids;
                        break;
                    case ReferenceRole.GroupedChild:
                        body["grouped_products"] = ids;
                        break;
                    case ReferenceRole.Related:
                        warnings[i] = "WooCommerce computes related products itself (related_ids is read-only), so related links were not set.";
                        break;
                }
            }

            updates.Add((i, body));
        }

        int batchSize = _client.Options.BatchSize;
        for (int start = 0; start < updates.Count; start += batchSize)
        {
            List<(int Index, JsonObject Body)> chunk = updates.Skip(start).Take(batchSize).ToList();
            JsonElement response = await PostBatchAsync(path, [], chunk.Select(c => c.Body), [], cancellationToken).ConfigureAwait(false);
            JsonElement[] items = response.Array("update").ToArray();
            for (int k = 0; k < chunk.Count; k++)
            {
                int index = chunk[k].Index;
                LinkRecord link = links[index];
                results[index] = k < items.Length && items[k].Prop("error") is { } error
                    ? RecordOutcome.Failed(link.SourceId, FailureCategory.Validation, $"{error.Str("code")}: {error.Str("message")}")
                    : RecordOutcome.Updated(link.SourceId, link.TargetId) with { Warnings = warnings[index] is { } w ? [w] : [] };
            }
        }

        return new BatchOutcome(results);
    }

    public async ValueTask ClearAsync(EntityType type, CancellationToken cancellationToken = default)
    {
        if (type == EntityType.Manufacturers)
        {
            return;
        }

        Endpoint endpoint = Endpoint.For(type);
        for (int round = 0; round < 100_000; round++)
        {
            List<KeyValuePair<string, string>> query = [new("per_page", "100"), new("page", endpoint.Api == WooApi.Redirection ? "0" : "1")];
            if (endpoint.Api == WooApi.WordPress)
            {
                query.Add(new("status", WordPressStatuses));
            }
            else if (type == EntityType.Reviews)
            {
                query.Add(new("status", "all"));
            }
            else if (type == EntityType.Customers)
            {
                query.Add(new("role", "all"));
            }

            using HttpResponseMessage raw = await _client.SendRawAsync(HttpMethod.Get, endpoint.Api, endpoint.Path, query, null, cancellationToken).ConfigureAwait(false);
            if (endpoint.Api == WooApi.Redirection && raw.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            await HttpFailureClassifier.EnsureSuccessAsync(raw, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            WooResponse response = await WooCommerceClient.ParseAsync(raw, cancellationToken).ConfigureAwait(false);
            JsonElement list = endpoint.Api == WooApi.Redirection ? response.Body.Prop("items") ?? default : response.Body;
            string[] ids = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(e => e.Id()).ToArray() : [];
            if (ids.Length == 0)
            {
                return;
            }

            if (endpoint.Api == WooApi.WooCommerce)
            {
                await PostBatchAsync(endpoint.Path, [], [], ids.Select(id => TargetMapper.Id(id)), cancellationToken).ConfigureAwait(false);
            }
            else if (endpoint.Api == WooApi.Redirection)
            {
                using HttpResponseMessage deleted = await _client.SendRawAsync(HttpMethod.Post, WooApi.Redirection, "bulk/redirect/delete", [new("items", string.Join(",", ids))], new JsonObject(), cancellationToken).ConfigureAwait(false);
                await HttpFailureClassifier.EnsureSuccessAsync(deleted, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (string id in ids)
                {
                    using HttpResponseMessage deleted = await _client.SendRawAsync(HttpMethod.Delete, WooApi.WordPress, $"{endpoint.Path}/{id}", [new("force", "true")], null, cancellationToken).ConfigureAwait(false);
                    await HttpFailureClassifier.EnsureSuccessAsync(deleted, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<JsonElement> PostBatchAsync(string path, IEnumerable<JsonObject> creates, IEnumerable<JsonObject> updates, IEnumerable<long> deletes, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        JsonNode[] c = creates.Cast<JsonNode>().ToArray();
        JsonNode[] u = updates.Cast<JsonNode>().ToArray();
        JsonNode[] d = deletes.Select(id => (JsonNode)JsonValue.Create(id)).ToArray();
        if (c.Length + u.Length + d.Length > WooCommerceConstants.MaxBatchSize)
        {
            throw new InvalidOperationException($"A WooCommerce batch carries at most {WooCommerceConstants.MaxBatchSize} items.");
        }

        if (c.Length > 0)
        {
            body["create"] = new JsonArray(c);
        }

        if (u.Length > 0)
        {
            body["update"] = new JsonArray(u);
        }

        if (d.Length > 0)
        {
            body["delete"] = new JsonArray(d);
        }

        string batchPath = path.EndsWith("/batch", StringComparison.Ordinal) ? path : path + "/batch";
        WooResponse response = await _client.SendAsync(HttpMethod.Post, WooApi.WooCommerce, batchPath, null, body, cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>
    /// The URL of a child category found by reconciliation: the ID map gives no parent URL to build it under, so the target's
    /// own ancestors are read (one GET per level) and the path is built from their slugs, as WordPress does.
    /// </summary>
    private async Task<string?> FoundCategoryUrlAsync(JsonElement category, CancellationToken cancellationToken)
        => category.Str("slug") is { Length: > 0 } slug
            ? await WooPermalinks.CategoryAsync(_client.Options.CategoryBase, slug, category.RefId("parent"), ReadCategoryAsync, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>A category's slug and parent id on the store, or <see langword="null"/> when it was deleted since.</summary>
    private async Task<(string? Slug, string? Parent)?> ReadCategoryAsync(string id, CancellationToken cancellationToken)
    {
        WooResponse response;
        try
        {
            response = await _client.GetAsync(WooApi.WooCommerce, "products/categories/" + id, query: null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreHttpException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.Body.ValueKind == JsonValueKind.Object ? (response.Body.Str("slug"), response.Body.RefId("parent")) : null;
    }

    private string? UrlOf(JsonElement item, TargetRecord? record = null)
    {
        if ((item.Str("permalink") ?? item.Str("link")) is { } link)
        {
            return SourceMapper.PathOf(link);
        }

        // A product category has no link in the REST API: its URL is built as WordPress builds it, under its parent's URL, which the
        // ID map gives the record (the parent was written first); a root category found by reconciliation is under the base, and a child
        // one is built from its ancestors on the target (FoundCategoryUrlAsync).
        if (item.Str("slug") is { Length: > 0 } slug && item.Prop("parent") is { } parent)
        {
            if (parent.ValueKind == JsonValueKind.Number && parent.GetInt64() == 0)
            {
                return WooPermalinks.Category(_client.Options.CategoryBase, slug, null);
            }

            if (record?.Entity is Category { ParentId: { } parentId } && record.TryResolve(new EntityRef(EntityType.Categories, parentId), out ResolvedTarget resolved) && resolved.TargetUrl is { } parentUrl)
            {
                return WooPermalinks.Category(_client.Options.CategoryBase, slug, parentUrl);
            }
        }

        return null;
    }
}
