using System.Runtime.CompilerServices;
using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// The source of the redirects type: the source store's own redirects first, then one generated redirect for every
/// migrated product and category whose URL path changed, pointing at the record so it follows the final handle.
/// </summary>
/// <remarks>Resume tokens are prefixed <c>s:</c> (source) or <c>g:</c> (generated, the last source id of the page).</remarks>
internal sealed class RedirectSource : ISourceConnector
{
    private const int PageSize = 100;
    private readonly RunContext _run;
    private readonly bool _generate;

    public RedirectSource(RunContext run, bool generate)
    {
        _run = run;
        _generate = generate;
    }

    public string ProviderId => _run.Project.Source.ProviderId;

    public ValueTask<ConnectorCheck> CheckAsync(CancellationToken cancellationToken = default) => _run.Project.Source.CheckAsync(cancellationToken);

    public ValueTask<long?> CountAsync(EntityType type, SourceQuery query, CancellationToken cancellationToken = default)
        => _run.Project.Source.CountAsync(type, query, cancellationToken);

    public async IAsyncEnumerable<SourcePage> ReadAsync(EntityType type, SourceQuery query, string? resumeToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (resumeToken is null || resumeToken.StartsWith("s:", StringComparison.Ordinal))
        {
            string? inner = resumeToken?[2..];
            await foreach (SourcePage page in _run.Project.Source.ReadAsync(type, query, inner, cancellationToken).ConfigureAwait(false))
            {
                bool last = page.ResumeToken is null;
                yield return page with { ResumeToken = last ? (_generate ? "g:" : null) : "s:" + page.ResumeToken };
                if (last)
                {
                    break;
                }
            }

            resumeToken = "g:";
        }

        if (!_generate)
        {
            yield break;
        }

        string after = resumeToken[2..];
        List<Entity> buffer = new(PageSize);
        foreach (EntityType owner in (EntityType[])[EntityType.Categories, EntityType.Products])
        {
            string prefix = owner == EntityType.Categories ? "c" : "p";
            await foreach (IdMapEntry entry in _run.Store.ReadIdMapAsync(_run.ProjectId, owner, cancellationToken).ConfigureAwait(false))
            {
                string id = $"{prefix}{entry.SourceId}";
                // "c…" ids sort before "p…" ids and the map is read in ordinal order, so one comparison resumes correctly.
                if (after.Length > 0 && string.CompareOrdinal(id, after) <= 0)
                {
                    continue;
                }

                if (entry.SourceUrl is not { Length: > 0 } from || !PathChanged(from, entry.TargetUrl))
                {
                    continue;
                }

                buffer.Add(new Redirect
                {
                    SourceId = $"auto-{owner.ToCamelCase()}-{entry.SourceId}",
                    FromPath = PathOf(from),
                    TargetEntity = new EntityRef(owner, entry.SourceId),
                });
                if (buffer.Count == PageSize)
                {
                    yield return new SourcePage(buffer.ToArray(), "g:" + id);
                    buffer.Clear();
                }
            }
        }

        yield return new SourcePage(buffer.ToArray(), null);
    }

    private static bool PathChanged(string sourceUrl, string? targetUrl)
        => targetUrl is not null && !string.Equals(PathOf(sourceUrl).TrimEnd('/'), PathOf(targetUrl).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string PathOf(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https" ? absolute.PathAndQuery : url;
}
