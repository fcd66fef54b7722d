using System.Globalization;

namespace NextCart.Migration.Sandbox.Shopify.Internal.Gql;

/// <summary>
/// An object the executor can read fields from: values set eagerly, or resolvers that take the field's arguments. Its type
/// name decides which fragments apply (the sandbox's answer to <c>IsTypeOf</c> for interface and union members).
/// </summary>
internal sealed class GqlObj
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public GqlObj(string typeName)
    {
        TypeName = typeName;
    }

    public string TypeName { get; }

    /// <summary>Gets or sets the number of nodes of a connection object, which its actual cost counts.</summary>
    public int NodeCount { get; set; }

    public object? this[string field]
    {
        set => _values[field] = value;
    }

    public GqlObj Set(string field, object? value)
    {
        _values[field] = value;
        return this;
    }

    public GqlObj Lazy(string field, Func<GqlArgs, object?> resolve)
    {
        _values[field] = resolve;
        return this;
    }

    public object? Resolve(string field, GqlArgs args)
    {
        if (!_values.TryGetValue(field, out object? value))
        {
            return null;
        }

        return value is Func<GqlArgs, object?> resolve ? resolve(args) : value;
    }
}

/// <summary>Coerced argument values: strings, longs, doubles, booleans, enum names, lists and input objects (dictionaries).</summary>
internal sealed class GqlArgs
{
    public static readonly GqlArgs Empty = new(new Dictionary<string, object?>(StringComparer.Ordinal));

    public GqlArgs(IReadOnlyDictionary<string, object?> values)
    {
        Values = values;
    }

    public IReadOnlyDictionary<string, object?> Values { get; }

    public bool Has(string name) => Values.TryGetValue(name, out object? v) && v is not null;

    public object? Get(string name) => Values.TryGetValue(name, out object? v) ? v : null;

    public string? Str(string name) => Input.Str(Get(name));

    public int? Int(string name) => Get(name) is long l ? (int)l : null;

    public bool? Bool(string name) => Get(name) as bool?;

    public Input? Obj(string name) => Get(name) is Dictionary<string, object?> d ? new Input(d) : null;

    public IReadOnlyList<object?>? List(string name) => Get(name) as List<object?>;
}

/// <summary>A coerced input object, with typed reads and knowledge of which fields were given.</summary>
internal sealed class Input
{
    public Input(Dictionary<string, object?> values)
    {
        Values = values;
    }

    public Dictionary<string, object?> Values { get; }

    public bool Has(string name) => Values.ContainsKey(name);

    public bool HasValue(string name) => Values.TryGetValue(name, out object? v) && v is not null;

    public object? Get(string name) => Values.TryGetValue(name, out object? v) ? v : null;

    public string? Str(string name) => Str(Get(name));

    public int? Int(string name) => Get(name) is long l ? (int)l : null;

    public bool? Bool(string name) => Get(name) as bool?;

    public decimal? Dec(string name) => Get(name) switch
    {
        null => null,
        long l => l,
        double d => (decimal)d,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal m) => m,
        _ => null,
    };

    public Input? Obj(string name) => Get(name) is Dictionary<string, object?> d ? new Input(d) : null;

    public IReadOnlyList<Input> Objs(string name)
        => Get(name) is List<object?> list ? [.. list.OfType<Dictionary<string, object?>>().Select(d => new Input(d))] : [];

    public IReadOnlyList<string>? Strs(string name)
        => Get(name) is List<object?> list ? [.. list.Select(Str).OfType<string>()] : null;

    public static string? Str(object? value) => value switch
    {
        null => null,
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString(),
    };
}

/// <summary>A GraphQL error raised while resolving a field: a top-level <c>errors[]</c> entry.</summary>
internal sealed class GqlException : Exception
{
    public GqlException(string message, string? code = null, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        Extensions = extensions;
    }

    public GqlException()
    {
    }

    public GqlException(string message)
        : base(message)
    {
    }

    public GqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Code { get; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; }
}
