using System.Net;

namespace NextCart.Migration.Http;

/// <summary>
/// A failed call to a store's HTTP API, classified into the engine's <see cref="FailureCategory"/>. Its message says what to fix and
/// never contains secrets: URIs are redacted with <see cref="SecretRedactor"/>.
/// </summary>
/// <remarks>Create instances with <see cref="HttpFailureClassifier"/>.</remarks>
public sealed class StoreHttpException : MigrationException
{
    /// <summary>Initializes a new instance of the <see cref="StoreHttpException"/> class.</summary>
    /// <param name="message">The message, which must say what to fix and never contain secrets.</param>
    /// <param name="category">The troubleshooting category.</param>
    /// <param name="isTransient">Whether the call may succeed if repeated.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="innerException">The underlying exception, or <see langword="null"/>.</param>
    public StoreHttpException(string message, FailureCategory category, bool isTransient, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, category, isTransient, innerException)
        => StatusCode = statusCode;

    /// <summary>Gets the HTTP status of the response, or <see langword="null"/> when no response arrived (connection, TLS or timeout failures).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the HTTP method of the failed request, when known.</summary>
    public string? RequestMethod { get; init; }

    /// <summary>Gets the failed request's URI, redacted with <see cref="SecretRedactor.RedactUri(Uri?)"/>, when known.</summary>
    public string? RequestUri { get; init; }

    /// <summary>Gets the error code the store sent in its response body (such as WooCommerce's <c>product_invalid_sku</c>), when it sent one.</summary>
    public string? ServerCode { get; init; }

    /// <summary>Gets the error message the store sent in its response body, redacted and shortened, when it sent one.</summary>
    public string? ServerMessage { get; init; }
}
