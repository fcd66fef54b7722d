namespace NextCart.Migration.Http;

/// <summary>
/// Per-request settings of NextCart store clients, carried in <see cref="HttpRequestMessage.Options"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>The retry rule.</b> A request is <em>safe to retry</em> when its method is safe (<c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>, <c>TRACE</c>)
/// or when the caller set <see cref="SafeToRetry"/> to <see langword="true"/>. A request that is safe to retry is retried on every transient
/// failure: HTTP 408, 429, 5xx other than 501 and 505, attempt timeouts, and connection failures.
/// </para>
/// <para>
/// Every other request (<c>POST</c>, <c>PUT</c>, <c>PATCH</c>, <c>DELETE</c>, or a safe method explicitly set to <see langword="false"/>) may
/// already have changed the store when it failed, so it is retried only when the request provably was not processed:
/// the connection could not be established or the host name did not resolve (nothing was sent), HTTP 429 (the store refused it because of
/// its rate limit), or HTTP 503 with a <c>Retry-After</c> header (the store is unavailable and says when to come back).
/// Any other failure of such a request (a 500, a reset connection, an attempt timeout) is returned or thrown at once, so the caller can
/// reconcile before it repeats the write: the engine looks the records up on the target and writes only those that are missing.
/// </para>
/// <para>
/// Set <see cref="SafeToRetry"/> on requests whose repetition is harmless: GraphQL queries (which are POSTs), upserts keyed by a natural
/// key (Shopify <c>productSet</c> by handle), and writes the caller reconciles itself.
/// </para>
/// </remarks>
public static class StoreHttpRequestOptions
{
    /// <summary>
    /// The option that says whether a request may be repeated after a failure whose effect on the store is unknown.
    /// When it is not set, the method decides: only safe methods may.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRetry = new("NextCart.Migration.Http.SafeToRetry");

    /// <summary>Sets <see cref="SafeToRetry"/> on the request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="safeToRetry">Whether the request may be repeated after a failure whose effect is unknown.</param>
    /// <returns>The same request, so that calls can be chained.</returns>
    public static HttpRequestMessage SetSafeToRetry(this HttpRequestMessage request, bool safeToRetry = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(SafeToRetry, safeToRetry);
        return request;
    }

    /// <summary>Gets whether the request may be repeated after a failure whose effect on the store is unknown.</summary>
    /// <param name="request">The request.</param>
    /// <returns>
    /// The value of <see cref="SafeToRetry"/> when it is set; otherwise <see langword="true"/> for <c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>
    /// and <c>TRACE</c>, and <see langword="false"/> for every other method.
    /// </returns>
    public static bool IsSafeToRetry(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(SafeToRetry, out bool value) ? value : IsSafeMethod(request.Method);
    }

    /// <summary>Gets whether an HTTP method is safe: it never changes the store, so it can always be repeated.</summary>
    /// <param name="method">The method.</param>
    /// <returns><see langword="true"/> for <c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c> and <c>TRACE</c>.</returns>
    public static bool IsSafeMethod(HttpMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;
    }
}
