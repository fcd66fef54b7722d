using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace NextCart.Migration.Sandbox.Shopify.Internal.Gql;

/// <summary>A document that passed validation: the operation, its coerced arguments and its requested cost.</summary>
internal sealed class GqlPrepared
{
    public GqlPrepared(GraphQLOperationDefinition operation, Dictionary<string, GraphQLFragmentDefinition> fragments, Dictionary<GraphQLField, GqlArgs> arguments, int requestedCost)
    {
        Operation = operation;
        Fragments = fragments;
        Arguments = arguments;
        RequestedCost = requestedCost;
    }

    public GraphQLOperationDefinition Operation { get; }

    public Dictionary<string, GraphQLFragmentDefinition> Fragments { get; }

    public Dictionary<GraphQLField, GqlArgs> Arguments { get; }

    public int RequestedCost { get; }

    public bool IsMutation => Operation.Operation == OperationType.Mutation;
}

/// <summary>The result of executing a prepared document.</summary>
internal sealed record GqlResult(JsonObject Data, JsonArray Errors, int ActualCost);

/// <summary>
/// A small GraphQL executor over a <see cref="GqlSchema"/>: parses with GraphQLParser, validates every field, argument,
/// fragment and variable against the schema (errors worded and coded as graphql-ruby, which Shopify runs, words them:
/// <c>undefinedField</c>, <c>argumentNotAccepted</c>, <c>missingRequiredArguments</c>, <c>selectionMismatch</c>,
/// <c>argumentLiteralsIncompatible</c>, <c>INVALID_VARIABLE</c>), computes the static query cost before anything runs, and
/// executes against <see cref="GqlObj"/> trees, counting the actual cost.
/// </summary>
/// <remarks>
/// Cost rules, from Shopify's "API rate limits" page (platforms.md §2.5): scalar and enum fields 0, object fields 1,
/// connections 2 plus the requested <c>first</c>/<c>last</c>, everything below a connection multiplied by its size, and each
/// mutation field 10 (or a dynamic cost supplied by <see cref="MutationCost"/>; the payload's selection is not priced, for
/// requested and actual cost alike). Fields of connection and edge types
/// (<c>edges</c>, <c>node</c>, <c>nodes</c>, <c>pageInfo</c>) are paid by the connection's own cost.
/// </remarks>
internal sealed class GqlEngine
{
    public const int MaxPageSize = 250;

    public GqlEngine(GqlSchema schema)
    {
        Schema = schema;
    }

    public GqlSchema Schema { get; }

    /// <summary>Gets or sets the cost of a mutation field from its arguments; the default is 10.</summary>
    public Func<string, GqlArgs, double>? MutationCost { get; set; }

    /// <summary>Parses, validates and costs a request. Returns the errors instead when there are any.</summary>
    public (GqlPrepared? Prepared, JsonArray? Errors) Prepare(string query, JsonObject? variables, string? operationName)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLSyntaxErrorException e)
        {
            return (null, [Error(e.Description, [(e.Location.Line, e.Location.Column)], null, null)]);
        }

        Validator validator = new(this, query, document, variables, operationName);
        return validator.Run();
    }

    /// <summary>Executes a prepared document against the root object.</summary>
    public GqlResult Execute(GqlPrepared prepared, GqlObj root)
    {
        Executor executor = new(this, prepared);
        GqlType rootType = prepared.IsMutation ? Schema.MutationType : Schema.QueryType;
        JsonObject data = executor.ExecuteSelection(rootType, root, prepared.Operation.SelectionSet, [], true);
        return new GqlResult(data, executor.Errors, executor.ActualCost);
    }

    internal static JsonObject Error(string message, IEnumerable<(int Line, int Column)>? locations, IEnumerable<object>? path, JsonObject? extensions)
    {
        JsonObject error = new() { ["message"] = message };
        if (locations is not null)
        {
            JsonArray array = [];
            foreach ((int line, int column) in locations)
            {
                array.Add(new JsonObject { ["line"] = line, ["column"] = column });
            }

            error["locations"] = array;
        }

        if (path is not null)
        {
            JsonArray array = [];
            foreach (object part in path)
            {
                array.Add(part is int i ? JsonValue.Create(i) : JsonValue.Create(part.ToString()));
            }

            error["path"] = array;
        }

        if (extensions is not null)
        {
            error["extensions"] = extensions;
        }

        return error;
    }

    internal static bool IsConnection(GqlField field) => field.Type.NamedType.EndsWith("Connection", StringComparison.Ordinal) && field.Arguments.ContainsKey("first");

    internal static bool IsFreeContainer(GqlType parent)
        => parent.Name.EndsWith("Connection", StringComparison.Ordinal) || parent.Name.EndsWith("Edge", StringComparison.Ordinal);

    private sealed class Validator
    {
        private readonly GqlEngine _engine;
        private readonly string _text;
        private readonly GraphQLDocument _document;
        private readonly JsonObject? _rawVariables;
        private readonly string? _operationName;
        private readonly JsonArray _errors = [];
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = new(StringComparer.Ordinal);
        private readonly Dictionary<GraphQLField, GqlArgs> _arguments = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
        private readonly Stack<string> _spreading = new();
        private int[]? _lineStarts;
        private string _operationLabel = "query";

        public Validator(GqlEngine engine, string text, GraphQLDocument document, JsonObject? variables, string? operationName)
        {
            _engine = engine;
            _text = text;
            _document = document;
            _rawVariables = variables;
            _operationName = operationName;
        }

        private GqlSchema Schema => _engine.Schema;

        public (GqlPrepared?, JsonArray?) Run()
        {
            List<GraphQLOperationDefinition> operations = [];
            foreach (ASTNode definition in _document.Definitions)
            {
                if (definition is GraphQLOperationDefinition operation)
                {
                    operations.Add(operation);
                }
                else if (definition is GraphQLFragmentDefinition fragment)
                {
                    _fragments[fragment.FragmentName.Name.StringValue] = fragment;
                }
            }

            GraphQLOperationDefinition? selected;
            if (_operationName is { Length: > 0 } wanted)
            {
                selected = operations.FirstOrDefault(o => o.Name?.StringValue == wanted);
                if (selected is null)
                {
                    return (null, [Error($"No operation named \"{wanted}\"", null, null, null)]);
                }
            }
            else if (operations.Count == 1)
            {
                selected = operations[0];
            }
            else
            {
                return (null, [Error(operations.Count == 0 ? "No operations in query document" : "An operation name is required", null, null, null)]);
            }

            string kind = selected.Operation == OperationType.Mutation ? "mutation" : selected.Operation == OperationType.Query ? "query" : "subscription";
            if (selected.Operation == OperationType.Subscription)
            {
                return (null, [Error("Schema is not configured for subscriptions", Loc(selected), null, null)]);
            }

            _operationLabel = selected.Name is null ? kind : kind + " " + selected.Name.StringValue;
            CoerceVariables(selected);
            if (_errors.Count > 0)
            {
                return (null, _errors);
            }

            bool mutation = selected.Operation == OperationType.Mutation;
            GqlType root = mutation ? Schema.MutationType : Schema.QueryType;
            double cost = VisitSelection(root, selected.SelectionSet, [_operationLabel], 1, mutation);
            if (_errors.Count > 0)
            {
                return (null, _errors);
            }

            return (new GqlPrepared(selected, _fragments, _arguments, (int)Math.Ceiling(cost - 1e-9)), null);
        }

        private void CoerceVariables(GraphQLOperationDefinition operation)
        {
            foreach (GraphQLVariableDefinition definition in operation.Variables?.Items ?? [])
            {
                string name = definition.Variable.Name.StringValue;
                _declared.Add(name);
                GqlTypeRef type = GqlTypeRef.From(definition.Type);
                if (!Schema.Types.ContainsKey(type.NamedType))
                {
                    _errors.Add(Error($"{type.NamedType} isn't a defined input type (on ${name})", Loc(definition), [_operationLabel], Ext("variableRequiresValidType", ("typeName", type.NamedType), ("variableName", name))));
                    continue;
                }

                JsonNode? raw = null;
                bool given = _rawVariables is not null && _rawVariables.TryGetPropertyValue(name, out raw);
                if (!given)
                {
                    if (definition.DefaultValue is { } defaultValue)
                    {
                        _variables[name] = CoerceLiteral(defaultValue, type, out _);
                        continue;
                    }

                    if (type.IsNonNull)
                    {
                        _errors.Add(Error($"Variable ${name} of type {type} was provided invalid value", Loc(definition), null, Ext("INVALID_VARIABLE", ("value", null), ("problems", new JsonArray(new JsonObject { ["path"] = new JsonArray(), ["explanation"] = "Expected value to not be null" })))));
                    }

                    continue;
                }

                List<(List<object> Path, string Explanation)> problems = [];
                object? value = CoerceJson(raw, type, [], problems);
                if (problems.Count > 0)
                {
                    JsonArray list = [];
                    foreach ((List<object> path, string explanation) in problems)
                    {
                        JsonArray p = [];
                        foreach (object part in path)
                        {
                            p.Add(part is int i ? JsonValue.Create(i) : JsonValue.Create(part.ToString()));
                        }

                        list.Add(new JsonObject { ["path"] = p, ["explanation"] = explanation });
                    }

                    string detail = problems.Count == 1 && problems[0].Path.Count > 0
                        ? $" for {string.Join('.', problems[0].Path)} ({problems[0].Explanation})"
                        : string.Empty;
                    _errors.Add(Error($"Variable ${name} of type {type} was provided invalid value{detail}", Loc(definition), null, Ext("INVALID_VARIABLE", ("value", raw?.DeepClone()), ("problems", list))));
                    continue;
                }

                _variables[name] = value;
            }
        }

        private object? CoerceJson(JsonNode? node, GqlTypeRef type, List<object> path, List<(List<object>, string)> problems)
        {
            if (type.IsNonNull)
            {
                if (node is null)
                {
                    problems.Add((new List<object>(path), "Expected value to not be null"));
                    return null;
                }

                return CoerceJson(node, type.OfType!, path, problems);
            }

            if (node is null)
            {
                return null;
            }

            if (type.IsList)
            {
                List<object?> list = [];
                if (node is JsonArray array)
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        path.Add(i);
                        list.Add(CoerceJson(array[i], type.OfType!, path, problems));
                        path.RemoveAt(path.Count - 1);
                    }
                }
                else
                {
                    list.Add(CoerceJson(node, type.OfType!, path, problems));
                }

                return list;
            }

            GqlType named = Schema.Types[type.Name!];
            switch (named.Kind)
            {
                case GqlKind.InputObject:
                    if (node is not JsonObject obj)
                    {
                        problems.Add((new List<object>(path), $"Expected \"{Compact(node)}\" to be a key-value object."));
                        return null;
                    }

                    Dictionary<string, object?> values = new(StringComparer.Ordinal);
                    foreach ((string key, JsonNode? child) in obj)
                    {
                        if (!named.InputFields.TryGetValue(key, out GqlInputValue? field))
                        {
                            problems.Add((new List<object>(path) { key }, $"Field is not defined on {named.Name}"));
                            continue;
                        }

                        path.Add(key);
                        values[key] = CoerceJson(child, field.Type, path, problems);
                        path.RemoveAt(path.Count - 1);
                    }

                    foreach (GqlInputValue field in named.InputFields.Values)
                    {
                        if (!values.ContainsKey(field.Name))
                        {
                            if (field.DefaultValue is { } defaultValue)
                            {
                                values[field.Name] = CoerceLiteral(defaultValue, field.Type, out _);
                            }
                            else if (field.Type.IsNonNull)
                            {
                                problems.Add((new List<object>(path) { field.Name }, "Expected value to not be null"));
                            }
                        }
                    }

                    return values;
                case GqlKind.Enum:
                    if (node is JsonValue ev && ev.TryGetValue(out string? name) && named.EnumValues.Contains(name))
                    {
                        return name;
                    }

                    problems.Add((new List<object>(path), $"Expected \"{Compact(node)}\" to be one of: {string.Join(", ", named.EnumValues)}"));
                    return null;
                default:
                    object? scalar = CoerceScalarJson(node, named.Name);
                    if (scalar is null)
                    {
                        problems.Add((new List<object>(path), $"Could not coerce value {Compact(node)} to {named.Name}"));
                    }

                    return scalar;
            }
        }

        private static object? CoerceScalarJson(JsonNode node, string scalar)
        {
            if (node is not JsonValue value)
            {
                return scalar == "JSON" ? node.ToJsonString() : null;
            }

            JsonValueKind kind = value.GetValueKind();
            return scalar switch
            {
                "Int" => kind == JsonValueKind.Number && value.TryGetValue(out long l) && l is >= int.MinValue and <= int.MaxValue ? l : null,
                "Float" => kind == JsonValueKind.Number && value.TryGetValue(out double d) ? d : null,
                "Boolean" => kind is JsonValueKind.True or JsonValueKind.False ? kind == JsonValueKind.True : null,
                "String" or "URL" or "HTML" or "DateTime" or "Date" or "FormattedString" or "StorefrontID" or "ARN" or "BigInt" or "UtcOffset" or "Color"
                    => kind == JsonValueKind.String ? value.GetValue<string>() : null,
                "ID" => kind == JsonValueKind.String ? value.GetValue<string>() : kind == JsonValueKind.Number ? value.ToJsonString() : null,
                "Money" or "Decimal" or "UnsignedInt64" => kind is JsonValueKind.String or JsonValueKind.Number ? kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString() : null,
                _ => kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
            };
        }

        private object? CoerceLiteral(GraphQLValue value, GqlTypeRef type, out bool ok)
        {
            ok = true;
            if (value is GraphQLVariable variable)
            {
                string name = variable.Name.StringValue;
                if (!_declared.Contains(name))
                {
                    _errors.Add(Error($"Variable ${name} is used by {_operationLabel} but not declared", Loc(variable), [_operationLabel], Ext("variableNotDefined", ("variableName", name))));
                    return null;
                }

                return _variables.TryGetValue(name, out object? v) ? v : null;
            }

            if (type.IsNonNull)
            {
                if (value is GraphQLNullValue)
                {
                    ok = false;
                    return null;
                }

                return CoerceLiteral(value, type.OfType!, out ok);
            }

            if (value is GraphQLNullValue)
            {
                return null;
            }

            if (type.IsList)
            {
                List<object?> list = [];
                if (value is GraphQLListValue items)
                {
                    foreach (GraphQLValue item in items.Values ?? [])
                    {
                        list.Add(CoerceLiteral(item, type.OfType!, out bool itemOk));
                        ok &= itemOk;
                    }
                }
                else
                {
                    list.Add(CoerceLiteral(value, type.OfType!, out ok));
                }

                return list;
            }

            GqlType named = Schema.Types[type.Name!];
            switch (named.Kind)
            {
                case GqlKind.InputObject:
                    if (value is not GraphQLObjectValue obj)
                    {
                        ok = false;
                        return null;
                    }

                    Dictionary<string, object?> values = new(StringComparer.Ordinal);
                    foreach (GraphQLObjectField field in obj.Fields ?? [])
                    {
                        string key = field.Name.StringValue;
                        if (!named.InputFields.TryGetValue(key, out GqlInputValue? definition))
                        {
                            ok = false;
                            continue;
                        }

                        values[key] = CoerceLiteral(field.Value, definition.Type, out bool fieldOk);
                        ok &= fieldOk;
                    }

                    foreach (GqlInputValue definition in named.InputFields.Values)
                    {
                        if (!values.ContainsKey(definition.Name))
                        {
                            if (definition.DefaultValue is { } defaultValue)
                            {
                                values[definition.Name] = CoerceLiteral(defaultValue, definition.Type, out _);
                            }
                            else if (definition.Type.IsNonNull)
                            {
                                ok = false;
                            }
                        }
                    }

                    return values;
                case GqlKind.Enum:
                    if (value is GraphQLEnumValue e && named.EnumValues.Contains(e.Name.StringValue))
                    {
                        return e.Name.StringValue;
                    }

                    ok = false;
                    return null;
                default:
                    object? scalar = value switch
                    {
                        GraphQLIntValue i when named.Name is "Int" => long.TryParse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) && l is >= int.MinValue and <= int.MaxValue ? l : null,
                        GraphQLIntValue i when named.Name is "Float" => double.Parse(i.Value.Span, CultureInfo.InvariantCulture),
                        GraphQLIntValue i when named.Name is "ID" or "Money" or "Decimal" or "UnsignedInt64" or "JSON" => i.Value.ToString(),
                        GraphQLFloatValue f when named.Name is "Float" => double.Parse(f.Value.Span, CultureInfo.InvariantCulture),
                        GraphQLFloatValue f when named.Name is "Money" or "Decimal" or "JSON" => f.Value.ToString(),
                        GraphQLBooleanValue b when named.Name is "Boolean" => b.BoolValue,
                        GraphQLStringValue s when named.Name is not ("Int" or "Float" or "Boolean") => s.Value.ToString(),
                        _ => null,
                    };
                    ok = scalar is not null;
                    return scalar;
            }
        }

        private double VisitSelection(GqlType parent, GraphQLSelectionSet set, List<object> path, double multiplier, bool mutationRoot)
        {
            double cost = 0;
            foreach (ASTNode selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        cost += VisitField(parent, field, path, multiplier, mutationRoot);
                        break;
                    case GraphQLInlineFragment inline:
                        GqlType target = parent;
                        if (inline.TypeCondition is { } condition)
                        {
                            if (!TryFragmentType(condition.Type.Name.StringValue, inline, path, out target))
                            {
                                break;
                            }
                        }

                        cost += VisitSelection(target, inline.SelectionSet, path, multiplier, mutationRoot);
                        break;
                    case GraphQLFragmentSpread spread:
                        string name = spread.FragmentName.Name.StringValue;
                        if (!_fragments.TryGetValue(name, out GraphQLFragmentDefinition? fragment))
                        {
                            _errors.Add(Error($"Fragment {name} was used, but not defined", Loc(spread), path, Ext("useAndDefineFragment", ("fragmentName", name))));
                            break;
                        }

                        if (_spreading.Contains(name))
                        {
                            _errors.Add(Error($"Fragment {name} contains an infinite loop", Loc(spread), path, Ext("infiniteLoop", ("fragmentName", name))));
                            break;
                        }

                        if (!TryFragmentType(fragment.TypeCondition.Type.Name.StringValue, fragment, path, out GqlType fragmentType))
                        {
                            break;
                        }

                        _spreading.Push(name);
                        cost += VisitSelection(fragmentType, fragment.SelectionSet, path, multiplier, mutationRoot);
                        _spreading.Pop();
                        break;
                }
            }

            return cost;
        }

        private bool TryFragmentType(string name, ASTNode node, List<object> path, out GqlType type)
        {
            if (!Schema.Types.TryGetValue(name, out type!))
            {
                _errors.Add(Error($"No such type {name}, so it can't be a fragment condition", Loc(node), path, Ext("undefinedType", ("typeName", name))));
                return false;
            }

            if (!type.IsComposite)
            {
                _errors.Add(Error($"Invalid fragment on type {name} (must be Union, Interface or Object)", Loc(node), path, Ext("fragmentOnNonCompositeType", ("typeName", name))));
                return false;
            }

            return true;
        }

        private double VisitField(GqlType parent, GraphQLField node, List<object> parentPath, double multiplier, bool mutationRoot)
        {
            string name = node.Name.StringValue;
            List<object> path = [.. parentPath, node.Alias?.Name.StringValue ?? name];
            if (name == "__typename")
            {
                return 0;
            }

            if (!parent.Fields.TryGetValue(name, out GqlField? field))
            {
                _errors.Add(Error($"Field '{name}' doesn't exist on type '{parent.Name}'", Loc(node), path, Ext("undefinedField", ("typeName", parent.Name), ("fieldName", name))));
                return 0;
            }

            GqlArgs args = CoerceArguments(field, node, path);
            _arguments[node] = args;
            GqlType result = Schema.Types[field.Type.NamedType];
            if (result.IsLeaf)
            {
                if (node.SelectionSet is { Selections.Count: > 0 })
                {
                    _errors.Add(Error($"Selections can't be made on {(result.Kind == GqlKind.Enum ? "enums" : "scalars")} (field '{name}' returns {result.Name} but has selections [{string.Join(", ", node.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue))}])", Loc(node), path, Ext("selectionMismatch", ("nodeName", "field '" + name + "'"), ("typeName", result.Name))));
                }

                return 0;
            }

            if (node.SelectionSet is not { Selections.Count: > 0 })
            {
                _errors.Add(Error($"Field must have selections (field '{name}' returns {result.Name} but has no selections. Did you mean '{name} {{ ... }}'?)", Loc(node), path, Ext("selectionMismatch", ("nodeName", "field '" + name + "'"), ("typeName", result.Name))));
                return 0;
            }

            if (mutationRoot)
            {
                double mutationCost = _engine.MutationCost?.Invoke(name, args) ?? 10;
                VisitSelection(result, node.SelectionSet, path, multiplier, false);
                return mutationCost;
            }

            if (IsConnection(field))
            {
                int? first = args.Int("first");
                int? last = args.Int("last");
                if (first is null && last is null)
                {
                    _errors.Add(Error("you must provide one of first or last", Loc(node), path, null));
                    return 0;
                }

                int size = first ?? last ?? 0;
                if (size < 0 || size > MaxPageSize)
                {
                    string argument = first is not null ? "first" : "last";
                    _errors.Add(Error($"The '{argument}' argument must be between 0 and {MaxPageSize}.", Loc(node), path, Ext("argumentLiteralsIncompatible", ("typeName", "Field"), ("argumentName", argument))));
                    return 0;
                }

                return ((2 + size) * multiplier) + VisitSelection(result, node.SelectionSet, path, multiplier * size, false);
            }

            double own = IsFreeContainer(parent) ? 0 : multiplier;
            return own + VisitSelection(result, node.SelectionSet, path, multiplier, false);
        }

        private GqlArgs CoerceArguments(GqlField field, GraphQLField node, List<object> path)
        {
            Dictionary<string, object?> values = new(StringComparer.Ordinal);
            foreach (GraphQLArgument argument in node.Arguments?.Items ?? [])
            {
                string name = argument.Name.StringValue;
                if (!field.Arguments.TryGetValue(name, out GqlInputValue? definition))
                {
                    _errors.Add(Error($"Field '{field.Name}' doesn't accept argument '{name}'", Loc(argument), [.. path, name], Ext("argumentNotAccepted", ("name", field.Name), ("typeName", "Field"), ("argumentName", name))));
                    continue;
                }

                object? value = CoerceLiteral(argument.Value, definition.Type, out bool ok);
                if (!ok)
                {
                    _errors.Add(Error($"Argument '{name}' on Field '{field.Name}' has an invalid value ({Print(argument.Value)}). Expected type '{definition.Type}'.", Loc(argument), [.. path, name], Ext("argumentLiteralsIncompatible", ("typeName", "Field"), ("argumentName", name))));
                    continue;
                }

                values[name] = value;
            }

            List<string> missing = [];
            foreach (GqlInputValue definition in field.Arguments.Values)
            {
                if (values.ContainsKey(definition.Name))
                {
                    if (definition.Type.IsNonNull && values[definition.Name] is null && node.Arguments!.Items.First(a => a.Name.StringValue == definition.Name).Value is GraphQLVariable)
                    {
                        missing.Add(definition.Name);
                    }

                    continue;
                }

                if (definition.DefaultValue is { } defaultValue)
                {
                    values[definition.Name] = CoerceLiteral(defaultValue, definition.Type, out _);
                }
                else if (definition.Type.IsNonNull && node.Arguments?.Items.Any(a => a.Name.StringValue == definition.Name) != true)
                {
                    missing.Add(definition.Name);
                }
            }

            if (missing.Count > 0)
            {
                _errors.Add(Error($"Field '{field.Name}' is missing required arguments: {string.Join(", ", missing)}", Loc(node), path, Ext("missingRequiredArguments", ("className", "Field"), ("name", field.Name), ("arguments", string.Join(", ", missing)))));
            }

            return new GqlArgs(values);
        }

        private string Print(GraphQLValue value)
        {
            GraphQLLocation location = value.Location;
            if (location.End > location.Start && location.End <= _text.Length)
            {
                return _text[location.Start..location.End];
            }

            return value.Kind.ToString();
        }

        private (int, int)[] Loc(ASTNode node)
        {
            GraphQLLocation location = node.Location;
            if (location.End == 0 && location.Start == 0)
            {
                return [];
            }

            _lineStarts ??= LineStarts(_text);
            int line = Array.BinarySearch(_lineStarts, location.Start);
            if (line < 0)
            {
                line = ~line - 1;
            }

            return [(line + 1, location.Start - _lineStarts[line] + 1)];
        }

        private static int[] LineStarts(string text)
        {
            List<int> starts = [0];
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }

            return [.. starts];
        }

        private static string Compact(JsonNode? node) => node?.ToJsonString() ?? "null";

        private static JsonObject Ext(string code, params (string Key, object? Value)[] values)
        {
            JsonObject ext = new() { ["code"] = code };
            foreach ((string key, object? value) in values)
            {
                ext[key] = value switch
                {
                    null => null,
                    JsonNode node => node,
                    string s => s,
                    _ => JsonValue.Create(value.ToString()),
                };
            }

            return ext;
        }
    }

    private sealed class Executor
    {
        private readonly GqlEngine _engine;
        private readonly GqlPrepared _prepared;

        public Executor(GqlEngine engine, GqlPrepared prepared)
        {
            _engine = engine;
            _prepared = prepared;
        }

        public JsonArray Errors { get; } = [];

        public int ActualCost { get; private set; }

        private GqlSchema Schema => _engine.Schema;

        public JsonObject ExecuteSelection(GqlType type, GqlObj source, GraphQLSelectionSet set, List<object> path, bool root)
        {
            JsonObject output = [];
            List<GraphQLField> fields = [];
            Collect(source.TypeName, set, fields);
            foreach (GraphQLField node in fields)
            {
                string name = node.Name.StringValue;
                string key = node.Alias?.Name.StringValue ?? name;
                if (name == "__typename")
                {
                    output[key] = source.TypeName;
                    continue;
                }

                GqlType concrete = Schema.Types[source.TypeName];
                GqlField field = concrete.Fields.TryGetValue(name, out GqlField? f) ? f : type.Fields[name];
                GqlArgs args = _prepared.Arguments.TryGetValue(node, out GqlArgs? a) ? a : GqlArgs.Empty;
                List<object> fieldPath = [.. path, key];
                object? value;
                try
                {
                    value = source.Resolve(name, args);
                }
                catch (GqlException e)
                {
                    JsonObject? extensions = null;
                    if (e.Code is not null || e.Extensions is not null)
                    {
                        extensions = [];
                        if (e.Code is not null)
                        {
                            extensions["code"] = e.Code;
                        }

                        foreach ((string k, object? v) in e.Extensions ?? new Dictionary<string, object?>())
                        {
                            extensions[k] = v is null ? null : JsonValue.Create(v.ToString());
                        }
                    }

                    Errors.Add(Error(e.Message, null, fieldPath, extensions));
                    output[key] = null;
                    continue;
                }

                if (root && _prepared.IsMutation)
                {
                    ActualCost += (int)Math.Ceiling((_engine.MutationCost?.Invoke(name, args) ?? 10) - 1e-9);
                }
                else if (value is not null && !_prepared.IsMutation && Schema.Types[field.Type.NamedType].IsComposite)
                {
                    if (IsConnection(field))
                    {
                        ActualCost += 2 + ((GqlObj)value).NodeCount;
                    }
                    else if (!IsFreeContainer(concrete))
                    {
                        ActualCost += 1;
                    }
                }

                output[key] = Complete(field.Type, value, node, fieldPath);
            }

            return output;
        }

        private JsonNode? Complete(GqlTypeRef type, object? value, GraphQLField node, List<object> path)
        {
            if (type.IsNonNull)
            {
                return Complete(type.OfType!, value, node, path);
            }

            if (value is null)
            {
                return null;
            }

            if (type.IsList)
            {
                JsonArray array = [];
                int i = 0;
                foreach (object? item in (System.Collections.IEnumerable)value)
                {
                    array.Add(Complete(type.OfType!, item, node, [.. path, i]));
                    i++;
                }

                return array;
            }

            GqlType named = Schema.Types[type.Name!];
            if (named.IsComposite)
            {
                GqlObj obj = (GqlObj)value;
                return ExecuteSelection(named, obj, node.SelectionSet!, path, false);
            }

            return value switch
            {
                string s => s,
                bool b => b,
                int i => named.Name is "UnsignedInt64" or "ID" ? i.ToString(CultureInfo.InvariantCulture) : i,
                long l => named.Name is "UnsignedInt64" or "ID" ? l.ToString(CultureInfo.InvariantCulture) : l,
                double d => d,
                decimal m => named.Name is "Float" ? (double)m : m.ToString(CultureInfo.InvariantCulture),
                DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                JsonNode n => n.DeepClone(),
                _ => value.ToString(),
            };
        }

        private void Collect(string concrete, GraphQLSelectionSet set, List<GraphQLField> fields)
        {
            foreach (ASTNode selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (!fields.Any(f => (f.Alias?.Name.StringValue ?? f.Name.StringValue) == (field.Alias?.Name.StringValue ?? field.Name.StringValue)))
                        {
                            fields.Add(field);
                        }
                        else
                        {
                            // Same response key twice: merge the sub-selections as GraphQL's field merging does.
                            GraphQLField existing = fields.First(f => (f.Alias?.Name.StringValue ?? f.Name.StringValue) == (field.Alias?.Name.StringValue ?? field.Name.StringValue));
                            if (existing.SelectionSet is not null && field.SelectionSet is not null && !ReferenceEquals(existing, field))
                            {
                                GraphQLField merged = new(existing.Name)
                                {
                                    Alias = existing.Alias,
                                    Arguments = existing.Arguments,
                                    SelectionSet = new GraphQLSelectionSet([.. existing.SelectionSet.Selections, .. field.SelectionSet.Selections]),
                                };
                                if (_prepared.Arguments.TryGetValue(existing, out GqlArgs? args))
                                {
                                    _prepared.Arguments[merged] = args;
                                }

                                fields[fields.IndexOf(existing)] = merged;
                            }
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        if (inline.TypeCondition is null || Schema.Matches(concrete, inline.TypeCondition.Type.Name.StringValue))
                        {
                            Collect(concrete, inline.SelectionSet, fields);
                        }

                        break;
                    case GraphQLFragmentSpread spread:
                        GraphQLFragmentDefinition fragment = _prepared.Fragments[spread.FragmentName.Name.StringValue];
                        if (Schema.Matches(concrete, fragment.TypeCondition.Type.Name.StringValue))
                        {
                            Collect(concrete, fragment.SelectionSet, fields);
                        }

                        break;
                }
            }
        }
    }
}
