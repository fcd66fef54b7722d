namespace NextCart.Migration.Sandbox.Internal;

/// <summary>What the fault injector decided for one request.</summary>
/// <param name="Kind">The fault, or <see langword="null"/> for none.</param>
/// <param name="StatusCode">The status code of a server error.</param>
/// <param name="Latency">The latency to add before anything else.</param>
/// <param name="TimeoutDelay">How long a timed-out request is held.</param>
/// <param name="RetryAfter">The delay a 429 announces.</param>
internal readonly record struct FaultDecision(SandboxFaultKind? Kind, int StatusCode, TimeSpan Latency, TimeSpan TimeoutDelay, TimeSpan RetryAfter);

/// <summary>Draws one fault decision per request from a seeded <see cref="Random"/>, in arrival order.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private SandboxFaultOptions _options;
    private Random _random;

    public FaultInjector(SandboxFaultOptions options, int defaultSeed)
    {
        (_options, _random) = Prepare(options, defaultSeed);
    }

    public SandboxFaultOptions Options
    {
        get
        {
            lock (_gate)
            {
                return _options.Clone();
            }
        }
    }

    /// <summary>Replaces the options and restarts the seeded sequence.</summary>
    public void Update(SandboxFaultOptions options, int defaultSeed)
    {
        (SandboxFaultOptions copy, Random random) = Prepare(options, defaultSeed);
        lock (_gate)
        {
            _options = copy;
            _random = random;
        }
    }

    public FaultDecision Decide()
    {
        lock (_gate)
        {
            SandboxFaultOptions o = _options;
            if (o.TotalRate <= 0)
            {
                return new FaultDecision(null, 0, o.Latency, o.TimeoutDelay, o.RetryAfter);
            }

            double draw = _random.NextDouble();
            SandboxFaultKind? kind = null;
            double edge = o.ServerErrorRate;
            if (draw < edge)
            {
                kind = SandboxFaultKind.ServerError;
            }
            else if (draw < (edge += o.TimeoutRate))
            {
                kind = SandboxFaultKind.Timeout;
            }
            else if (draw < (edge += o.ConnectionResetRate))
            {
                kind = SandboxFaultKind.ConnectionReset;
            }
            else if (draw < (edge += o.RateLimitRate))
            {
                kind = SandboxFaultKind.RateLimited;
            }
            else if (draw < edge + o.LostResponseRate)
            {
                kind = SandboxFaultKind.LostResponse;
            }

            int status = kind switch
            {
                SandboxFaultKind.ServerError => o.ServerErrorStatusCodes[_random.Next(o.ServerErrorStatusCodes.Count)],
                SandboxFaultKind.RateLimited => 429,
                _ => 0,
            };
            return new FaultDecision(kind, status, o.Latency, o.TimeoutDelay, o.RetryAfter);
        }
    }

    private static (SandboxFaultOptions Options, Random Random) Prepare(SandboxFaultOptions options, int defaultSeed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SandboxFaultOptions copy = options.Clone();
        return (copy, new Random(copy.Seed ?? defaultSeed));
    }
}
