using System.ComponentModel.DataAnnotations;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Internal;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Sandbox;

/// <summary>
/// The settings every platform sandbox shares: the data it is seeded with (or none, for a target), its fault injection and its
/// clock. Each platform's options add their own (credentials, limits).
/// </summary>
public abstract class PlatformSandboxOptions
{
    private int? _productCount;
    private int _port;
    private TimeProvider _timeProvider = TimeProvider.System;
    private SandboxFaultOptions _faults = new();

    private protected PlatformSandboxOptions()
    {
    }

    /// <summary>Gets or sets the loopback port to listen on; 0 picks a free port.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 65535)]
    public int Port
    {
        get => _port;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535);
            _port = value;
        }
    }

    /// <summary>Gets or sets the seed of the sample store (when <see cref="Data"/> is not set), of generated credentials and of the fault draws.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = SandboxFaultConstants.DefaultSeed;

    /// <summary>Gets or sets what the seeded sample store holds, or <see langword="null"/> for <see cref="SampleStoreOptions"/> defaults with <see cref="Seed"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SampleStoreOptions? Data { get; set; }

    /// <summary>Gets or sets the number of products of the seeded store, overriding the product count of <see cref="Data"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    [Range(0, int.MaxValue)]
    public int? ProductCount
    {
        get => _productCount;
        set
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "ProductCount must not be negative.");
            }

            _productCount = value;
        }
    }

    /// <summary>Gets or sets a ready-made store to seed (for example a changed copy of a generated one); it wins over <see cref="Data"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SampleStore? Store { get; set; }

    /// <summary>Gets or sets a value indicating whether the sandbox starts as a fresh, empty shop (for use as a migration target).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Empty { get; set; }

    /// <summary>Gets or sets the fault injection settings.</summary>
    /// <value>The default value injects nothing.</value>
    public SandboxFaultOptions Faults
    {
        get => _faults;
        set => _faults = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the clock: dates of created records, signature time windows, and the delays of latency and timeouts.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the sample store to seed: <see langword="null"/> when <see cref="Empty"/>, else <see cref="Store"/> or one generated from <see cref="Data"/>.</summary>
    /// <returns>The store, or <see langword="null"/>.</returns>
    internal SampleStore? ResolveStore()
    {
        if (Empty)
        {
            return null;
        }

        if (Store is { } store)
        {
            return store;
        }

        SampleStoreOptions data = Data ?? new SampleStoreOptions { Seed = Seed };
        if (ProductCount is { } products)
        {
            data = data.WithCount(EntityType.Products, products);
        }

        return SampleStoreGenerator.Generate(data);
    }

    /// <summary>Throws when the options are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is inconsistent, quoted in the message.</exception>
    internal virtual void Validate() => Faults.Validate();
}
