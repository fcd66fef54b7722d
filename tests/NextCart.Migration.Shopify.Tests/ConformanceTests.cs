using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using NextCart.Migration.Sandbox.Shopify;
using NextCart.Migration.Testing;
using NextCart.Migration.Testing.Conformance;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>The shared target conformance kit against an empty Shopify sandbox per test.</summary>
public sealed class ShopifyTargetConformanceTests : TargetConnectorConformanceTests, IAsyncLifetime
{
    private readonly List<ShopifySandbox> _sandboxes = [];
    private readonly HttpClient _http = new();

    /// <summary>Redirects carry no metafields on Shopify, so a redirect found by its path reports the source id asked for; the kit's
    /// natural-key test cannot hold for them, and the redirect contract tests cover them instead.</summary>
    protected override IEnumerable<EntityType> TypesUnderTest =>
    [
        EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Products, EntityType.Customers,
        EntityType.Orders, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts,
    ];

    protected override async ValueTask<ITargetConnector> CreateTargetAsync()
    {
        ShopifySandbox sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Empty = true, BucketSize = 100_000, RestoreRate = 100_000 });
        lock (_sandboxes)
        {
            _sandboxes.Add(sandbox);
        }

        return Shops.Target(sandbox, _http);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (ShopifySandbox sandbox in _sandboxes)
        {
            await sandbox.DisposeAsync();
        }

        _http.Dispose();
    }
}

/// <summary>The shared source conformance kit against a sandbox seeded from a generated sample store.</summary>
public sealed class ShopifySourceConformanceTests : SourceConnectorConformanceTests, IAsyncLifetime
{
    private static readonly SampleStore Sample = SampleStoreGenerator.Generate(new SampleStoreOptions { Seed = 11, Products = 20, Customers = 15, Orders = 30 });
    private readonly HttpClient _http = new();
    private ShopifySandbox? _sandbox;
    private SampleStore? _expected;

    /// <summary>The sample store with the ids the sandbox gave each seeded record (the numeric tail of its global id).</summary>
    protected override SampleStore ExpectedStore => _expected ??= SampleStore.FromEntities(
        TypesUnderTest.SelectMany(t => Sample.Get(t)).Select(e => _sandbox!.View.FindSeeded(e.Type, e.SourceId) is { } gid ? e with { SourceId = gid[(gid.LastIndexOf('/') + 1)..] } : null).OfType<Entity>());

    protected override IEnumerable<EntityType> TypesUnderTest =>
        [EntityType.Categories, EntityType.Products, EntityType.Customers, EntityType.Orders, EntityType.Coupons, EntityType.Pages, EntityType.BlogPosts, EntityType.Redirects];

    protected override ISourceConnector CreateSource() => Shops.Source(_sandbox!, _http);

    public async Task InitializeAsync() => _sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { Store = Sample, BucketSize = 100_000, RestoreRate = 100_000 });

    public async Task DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        _http.Dispose();
    }
}
