using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NextCart.Migration.Http.Internal;

/// <summary>
/// The outermost handler of a store client: it refuses insecure requests, turns every failure without a response into a classified
/// <see cref="MigrationException"/>, and logs each request once with a redacted URI. Caller cancellation passes through unchanged.
/// </summary>
internal sealed class StoreHttpHandler : DelegatingHandler
{
    private readonly string _clientName;
    private readonly IOptionsMonitor<StoreHttpOptions> _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public StoreHttpHandler(string clientName, IOptionsMonitor<StoreHttpOptions> options, ILogger logger, TimeProvider timeProvider)
    {
        _clientName = clientName;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        StoreHttpOptions options = StoreHttpOptionsAccessor.Get(_options, _clientName);
        string method = request.Method.Method;
        if (request.RequestUri is { IsAbsoluteUri: true } uri && !TransportSecurity.IsAllowed(uri, options.AllowInsecureHttp))
        {
            string redacted = SecretRedactor.RedactUri(uri);
            _logger.InsecureRequestRefused(method, redacted);
            throw new MigrationConfigurationException(FailureCategory.Configuration, TransportSecurity.InsecureMessage("The request URI", uri));
        }

        long started = _timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            MigrationException failure = HttpFailureClassifier.Classify(ex, request);
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                _logger.RequestFailed(method, SecretRedactor.RedactUri(request.RequestUri), ElapsedMilliseconds(started), failure.Category, failure.IsTransient, failure.Message);
            }

            throw failure;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.RequestCompleted(method, SecretRedactor.RedactUri(request.RequestUri), (int)response.StatusCode, ElapsedMilliseconds(started));
        }

        return response;
    }

    private long ElapsedMilliseconds(long started) => (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
}

/// <summary>Reads a client's options, turning validation failures into the engine's configuration failure.</summary>
internal static class StoreHttpOptionsAccessor
{
    public static StoreHttpOptions Get(IOptionsMonitor<StoreHttpOptions> monitor, string clientName)
    {
        try
        {
            return monitor.Get(clientName);
        }
        catch (OptionsValidationException ex)
        {
            throw new MigrationConfigurationException([.. ex.Failures.Select(f => $"Store HTTP client '{clientName}': {f}")]);
        }
    }
}
