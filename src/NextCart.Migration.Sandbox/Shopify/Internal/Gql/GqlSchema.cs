using GraphQLParser;
using GraphQLParser.AST;

namespace NextCart.Migration.Sandbox.Shopify.Internal.Gql;

/// <summary>The kind of a named GraphQL type.</summary>
internal enum GqlKind
{
    Scalar,
    Enum,
    Object,
    Interface,
    Union,
    InputObject,
}

/// <summary>A reference to a type: a named type, a list of a type, or a non-null type.</summary>
internal sealed record GqlTypeRef(string? Name, GqlTypeRef? OfType, bool IsList, bool IsNonNull)
{
    public string NamedType => Name ?? OfType!.NamedType;

    public static GqlTypeRef From(GraphQLType type) => type switch
    {
        GraphQLNamedType named => new GqlTypeRef(named.Name.StringValue, null, false, false),
        GraphQLListType list => new GqlTypeRef(null, From(list.Type), true, false),
        GraphQLNonNullType nonNull => new GqlTypeRef(null, From(nonNull.Type), false, true),
        _ => throw new InvalidOperationException("Unknown type node " + type.Kind),
    };

    public override string ToString() => IsNonNull ? OfType + "!" : IsList ? "[" + OfType + "]" : Name!;
}

/// <summary>An argument or an input object field.</summary>
internal sealed record GqlInputValue(string Name, GqlTypeRef Type, GraphQLValue? DefaultValue);

/// <summary>A field of an object or interface type.</summary>
internal sealed record GqlField(string Name, GqlTypeRef Type, IReadOnlyDictionary<string, GqlInputValue> Arguments);

/// <summary>A named type of the schema.</summary>
internal sealed class GqlType
{
    public GqlType(string name, GqlKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public GqlKind Kind { get; }

    public Dictionary<string, GqlField> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GqlInputValue> InputFields { get; } = new(StringComparer.Ordinal);

    public HashSet<string> EnumValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the concrete object types of an interface or union.</summary>
    public HashSet<string> PossibleTypes { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Interfaces { get; } = new(StringComparer.Ordinal);

    public bool IsComposite => Kind is GqlKind.Object or GqlKind.Interface or GqlKind.Union;

    public bool IsLeaf => Kind is GqlKind.Scalar or GqlKind.Enum;
}

/// <summary>A schema read from SDL with GraphQLParser: types, fields, arguments, enum values and possible types.</summary>
internal sealed class GqlSchema
{
    private static readonly string[] BuiltInScalars = ["String", "Int", "Float", "Boolean", "ID"];

    private GqlSchema(Dictionary<string, GqlType> types, string queryType, string mutationType)
    {
        Types = types;
        QueryType = types[queryType];
        MutationType = types[mutationType];
    }

    public IReadOnlyDictionary<string, GqlType> Types { get; }

    public GqlType QueryType { get; }

    public GqlType MutationType { get; }

    public static GqlSchema Parse(string sdl)
    {
        GraphQLDocument document = Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.Comments | IgnoreOptions.Locations });
        Dictionary<string, GqlType> types = new(StringComparer.Ordinal);
        foreach (string scalar in BuiltInScalars)
        {
            types[scalar] = new GqlType(scalar, GqlKind.Scalar);
        }

        string query = "Query", mutation = "Mutation";
        foreach (ASTNode definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition schema:
                    foreach (GraphQLRootOperationTypeDefinition root in schema.OperationTypes)
                    {
                        if (root.Operation == OperationType.Query)
                        {
                            query = root.Type!.Name.StringValue;
                        }
                        else if (root.Operation == OperationType.Mutation)
                        {
                            mutation = root.Type!.Name.StringValue;
                        }
                    }

                    break;
                case GraphQLScalarTypeDefinition scalar:
                    types[scalar.Name.StringValue] = new GqlType(scalar.Name.StringValue, GqlKind.Scalar);
                    break;
                case GraphQLEnumTypeDefinition enumType:
                    GqlType e = new(enumType.Name.StringValue, GqlKind.Enum);
                    foreach (GraphQLEnumValueDefinition value in enumType.Values?.Items ?? [])
                    {
                        e.EnumValues.Add(value.Name.StringValue);
                    }

                    types[e.Name] = e;
                    break;
                case GraphQLObjectTypeDefinition objectType:
                    types[objectType.Name.StringValue] = Composite(objectType.Name.StringValue, GqlKind.Object, objectType.Fields, objectType.Interfaces);
                    break;
                case GraphQLInterfaceTypeDefinition interfaceType:
                    types[interfaceType.Name.StringValue] = Composite(interfaceType.Name.StringValue, GqlKind.Interface, interfaceType.Fields, interfaceType.Interfaces);
                    break;
                case GraphQLUnionTypeDefinition union:
                    GqlType u = new(union.Name.StringValue, GqlKind.Union);
                    foreach (GraphQLNamedType member in union.Types?.Items ?? [])
                    {
                        u.PossibleTypes.Add(member.Name.StringValue);
                    }

                    types[u.Name] = u;
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    GqlType i = new(input.Name.StringValue, GqlKind.InputObject);
                    foreach (GraphQLInputValueDefinition field in input.Fields?.Items ?? [])
                    {
                        i.InputFields[field.Name.StringValue] = new GqlInputValue(field.Name.StringValue, GqlTypeRef.From(field.Type), field.DefaultValue);
                    }

                    types[i.Name] = i;
                    break;
            }
        }

        foreach (GqlType type in types.Values.Where(t => t.Kind == GqlKind.Object))
        {
            foreach (string name in type.Interfaces)
            {
                types[name].PossibleTypes.Add(type.Name);
            }
        }

        return new GqlSchema(types, query, mutation);
    }

    /// <summary>Gets a value indicating whether an object of <paramref name="concrete"/> type matches a type condition.</summary>
    public bool Matches(string concrete, string condition)
        => string.Equals(concrete, condition, StringComparison.Ordinal)
           || (Types.TryGetValue(condition, out GqlType? type) && type.PossibleTypes.Contains(concrete));

    private static GqlType Composite(string name, GqlKind kind, GraphQLFieldsDefinition? fields, GraphQLImplementsInterfaces? interfaces)
    {
        GqlType type = new(name, kind);
        foreach (GraphQLFieldDefinition field in fields?.Items ?? [])
        {
            Dictionary<string, GqlInputValue> arguments = new(StringComparer.Ordinal);
            foreach (GraphQLInputValueDefinition argument in field.Arguments?.Items ?? [])
            {
                arguments[argument.Name.StringValue] = new GqlInputValue(argument.Name.StringValue, GqlTypeRef.From(argument.Type), argument.DefaultValue);
            }

            type.Fields[field.Name.StringValue] = new GqlField(field.Name.StringValue, GqlTypeRef.From(field.Type), arguments);
        }

        foreach (GraphQLNamedType named in interfaces?.Items ?? [])
        {
            type.Interfaces.Add(named.Name.StringValue);
        }

        return type;
    }
}
