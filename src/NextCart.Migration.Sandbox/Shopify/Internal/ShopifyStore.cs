using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NextCart.Migration.Sandbox.Shopify.Internal;

/// <summary>The in-memory shop: every record, one id sequence for all GIDs, and the lock that guards them.</summary>
internal sealed partial class ShopifyStore
{
    private readonly Dictionary<long, OwnerRec> _owners = [];
    private long _nextId = 1000;
    private int _nextOrderNumber = 1001;

    public ShopifyStore(TimeProvider time, string shopName, string domain, string currency)
    {
        Time = time;
        ShopName = shopName;
        Domain = domain;
        Currency = currency;
    }

    public Lock Gate { get; } = new();

    public TimeProvider Time { get; }

    public string ShopName { get; }

    public string Domain { get; }

    public string Currency { get; }

    public List<ProductRec> Products { get; } = [];

    public List<CollectionRec> Collections { get; } = [];

    public List<CustomerRec> Customers { get; } = [];

    public List<OrderRec> Orders { get; } = [];

    public List<PageRec> Pages { get; } = [];

    public List<BlogRec> Blogs { get; } = [];

    public List<ArticleRec> Articles { get; } = [];

    public List<DiscountRec> Discounts { get; } = [];

    public List<RedirectRec> Redirects { get; } = [];

    public List<MetafieldDefinitionRec> Definitions { get; } = [];

    /// <summary>Gets the GID type of every id ever issued, so that a cursor or id of another type is recognised.</summary>
    public Dictionary<long, string> IdTypes { get; } = [];

    public DateTimeOffset Now() => Time.GetUtcNow();

    public long NextId(string gidType)
    {
        long id = ++_nextId;
        IdTypes[id] = gidType;
        return id;
    }

    public string NextOrderName() => "#" + (_nextOrderNumber++).ToString(CultureInfo.InvariantCulture);

    public void NoteOrderName(string name)
    {
        if (name.StartsWith('#') && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= _nextOrderNumber)
        {
            _nextOrderNumber = n + 1;
        }
    }

    public static string Gid(string type, long id) => "gid://shopify/" + type + "/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses <c>gid://shopify/{Type}/{n}</c>; returns null when the text is not a GID.</summary>
    public static (string Type, long Id)? ParseGid(string? gid)
    {
        if (gid is null)
        {
            return null;
        }

        Match match = GidPattern().Match(gid);
        return match.Success && long.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? (match.Groups[1].Value, id) : null;
    }

    /// <summary>Adds a record to its list and to the id index (a product with its variants).</summary>
    public void Add<T>(List<T> list, T item)
        where T : OwnerRec
    {
        list.Add(item);
        _owners[item.Id] = item;
        if (item is ProductRec product)
        {
            foreach (VariantRec variant in product.Variants)
            {
                _owners[variant.Id] = variant;
            }
        }
    }

    /// <summary>Removes a record from its list and from the id index (a product with its variants).</summary>
    public void Remove<T>(List<T> list, T item)
        where T : OwnerRec
    {
        list.Remove(item);
        _owners.Remove(item.Id);
        if (item is ProductRec product)
        {
            foreach (VariantRec variant in product.Variants)
            {
                _owners.Remove(variant.Id);
            }
        }
    }

    /// <summary>Replaces a product's variants, keeping the id index in step.</summary>
    public void SetVariants(ProductRec product, List<VariantRec> variants)
    {
        foreach (VariantRec old in product.Variants.Where(v => !variants.Contains(v)))
        {
            _owners.Remove(old.Id);
        }

        product.Variants = variants;
        foreach (VariantRec variant in variants)
        {
            _owners[variant.Id] = variant;
        }
    }

    public T? Find<T>(long id)
        where T : OwnerRec
        => _owners.TryGetValue(id, out OwnerRec? owner) ? owner as T : null;

    public ProductRec? FindProduct(long id) => _owners.TryGetValue(id, out OwnerRec? owner) ? owner as ProductRec : null;

    public VariantRec? FindVariant(long id) => _owners.TryGetValue(id, out OwnerRec? owner) ? owner as VariantRec : null;

    public OwnerRec? FindOwner(string gid)
    {
        if (ParseGid(gid) is not { } parsed || !_owners.TryGetValue(parsed.Id, out OwnerRec? owner))
        {
            return null;
        }

        return owner.GidType == parsed.Type || (parsed.Type == "DiscountNode" && owner is DiscountRec) ? owner : null;
    }

    public IEnumerable<OwnerRec> OwnersOf(string ownerType) => ownerType switch
    {
        "PRODUCT" => Products,
        "PRODUCTVARIANT" => Products.SelectMany(p => p.Variants),
        "COLLECTION" => Collections,
        "CUSTOMER" => Customers,
        "ORDER" => Orders,
        "PAGE" => Pages,
        "BLOG" => Blogs,
        "ARTICLE" => Articles,
        "DISCOUNT" => Discounts,
        _ => [],
    };

    public MetafieldDefinitionRec? FindDefinition(string ownerType, string ns, string key)
        => Definitions.Find(d => d.OwnerType == ownerType && d.Namespace == ns && d.Key == key);

    /// <summary>Finds the owner whose metafield holds a value, for <c>customId</c> identifiers.</summary>
    public OwnerRec? FindByMetafield(string ownerType, string ns, string key, string value)
        => OwnersOf(ownerType).FirstOrDefault(o => o.Metafields.TryGetValue(ns + "." + key, out MetafieldRec? m) && m.Value == value);

    /// <summary>Sets a metafield; returns an error message when a unique-values definition forbids the value.</summary>
    public string? SetMetafield(OwnerRec owner, string ns, string key, string? type, string value)
    {
        if (FindDefinition(owner.OwnerType, ns, key) is { UniqueValues: true } && FindByMetafield(owner.OwnerType, ns, key, value) is { } other && !ReferenceEquals(other, owner))
        {
            return "Value is already taken by another " + owner.GidType.ToLowerInvariant() + ".";
        }

        DateTimeOffset now = Now();
        string full = ns + "." + key;
        if (owner.Metafields.TryGetValue(full, out MetafieldRec? existing))
        {
            existing.Value = value;
            existing.Type = type ?? existing.Type;
            existing.UpdatedAt = now;
        }
        else
        {
            owner.Metafields[full] = new MetafieldRec
            {
                Id = NextId("Metafield"),
                Namespace = ns,
                Key = key,
                Type = type ?? FindDefinition(owner.OwnerType, ns, key)?.Type ?? "single_line_text_field",
                Value = value,
                CreatedAt = now,
                UpdatedAt = now,
            };
        }

        return null;
    }

    /// <summary>Makes a handle from a title as Shopify does: lower case, runs of other characters become one dash.</summary>
    public static string Handleize(string text)
    {
        StringBuilder builder = new(text.Length);
        bool dash = false;
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        return builder.ToString().TrimEnd('-') is { Length: > 0 } handle ? handle : "untitled";
    }

    /// <summary>Returns the handle, or the handle with <c>-1</c>, <c>-2</c>... appended until it is free.</summary>
    public static string UniqueHandle(string handle, Func<string, bool> taken)
    {
        if (!taken(handle))
        {
            return handle;
        }

        for (int i = 1; ; i++)
        {
            string candidate = handle + "-" + i.ToString(CultureInfo.InvariantCulture);
            if (!taken(candidate))
            {
                return candidate;
            }
        }
    }

    [GeneratedRegex(@"^gid://shopify/([A-Za-z]+)/(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GidPattern();
}
