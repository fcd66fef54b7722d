using System.Reflection;
using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using NextCart.Migration.Shopify.Internal;

namespace NextCart.Migration.Shopify.Tests;

/// <summary>
/// Validates every GraphQL document the connectors can send against Shopify's published Admin API 2026-01 schema, with GraphQL.NET's
/// document validator (the same rules a GraphQL server applies: known fields, arguments, types, variables).
/// </summary>
public sealed partial class SchemaValidationTests
{
    private static readonly Lazy<ISchema> AdminSchema = new(LoadSchema);

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (FieldInfo field in AllDocumentFields())
        {
            data.Add(field.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Document_AgainstAdminSchema_IsValid(string name)
    {
        string document = (string)typeof(ShopifyDocuments).GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        IReadOnlyList<string> errors = await ValidateAsync(document);

        Assert.True(errors.Count == 0, $"{name}: {string.Join(" | ", errors)}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task AliasedBatchOfDocument_AgainstAdminSchema_IsValid(string name)
    {
        string document = (string)typeof(ShopifyDocuments).GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        if (!HeaderPattern().IsMatch(document))
        {
            return;
        }

        IReadOnlyList<string> errors = await ValidateAsync(GraphQLBatch.Compose(document, 3));

        Assert.True(errors.Count == 0, $"{name} x3: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void Documents_Enumerated_CoverEveryOperationKind()
    {
        string[] names = AllDocumentFields().Select(f => f.Name).ToArray();

        Assert.True(names.Length >= 40, $"only {names.Length} documents were found");
        Assert.Contains(nameof(ShopifyDocuments.ProductSet), names);
        Assert.Contains(nameof(ShopifyDocuments.Discounts), names);
    }

    [Theory]
    [InlineData("query Bad { shop { name nonexistentField } }")]
    [InlineData("query Bad($first: Int!) { products(first: $first, bogus: 1) { nodes { id } } }")]
    [InlineData("mutation Bad($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { field message nope } } }")]
    [InlineData("query Bad($first: Int!) { discountNodes(first: $first) { nodes { discount { ... on DiscountCodeBasic { codes(first: 1) { nodes { wrong } } } } } } }")]
    public async Task WrongDocument_AgainstAdminSchema_IsRejected(string document)
    {
        IReadOnlyList<string> errors = await ValidateAsync(document);

        Assert.NotEmpty(errors);
    }

    private static IEnumerable<FieldInfo> AllDocumentFields()
        => typeof(ShopifyDocuments).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.GetValue(null) is string s && (s.StartsWith("query ", StringComparison.Ordinal) || s.StartsWith("mutation ", StringComparison.Ordinal)));

    private static async Task<IReadOnlyList<string>> ValidateAsync(string document)
    {
        ISchema schema = AdminSchema.Value;
        GraphQLDocument parsed = GraphQLParser.Parser.Parse(document);
        var validator = new DocumentValidator();
        IValidationResult result = await validator.ValidateAsync(new ValidationOptions
        {
            Schema = schema,
            Document = parsed,
            Operation = parsed.Definitions.OfType<GraphQLOperationDefinition>().First(),
            Rules = DocumentValidator.CoreRules,
            Variables = Inputs.Empty,
            Extensions = Inputs.Empty,
            UserContext = new Dictionary<string, object?>(),
        });
        // No variable values are supplied: the checks of values (not of the document) are left out.
        return result.Errors.Where(e => e is not GraphQL.Validation.InvalidVariableError).Select(e => $"{e.Code}: {e.Message}").ToArray();
    }

    private static ISchema LoadSchema()
    {
        string sdl = File.ReadAllText(SharedData.Find("shopify/admin-2026-01.schema.graphql"));
        string[] objectTypes = ObjectTypePattern().Matches(sdl).Select(m => m.Groups[1].Value).ToArray();
        string[] scalars = ScalarPattern().Matches(sdl).Select(m => m.Groups[1].Value).ToArray();
        Schema schema = Schema.For(sdl, builder =>
        {
            // Interfaces and unions need a way to resolve their members; validation never resolves, so every object type says yes.
            foreach (string name in objectTypes)
            {
                builder.Types.For(name).IsTypeOfFunc = _ => true;
            }
        });
        foreach (string scalar in scalars)
        {
            schema.RegisterType(new OpaqueScalar(scalar));
        }

        schema.Initialize();
        return schema;
    }

    [GeneratedRegex(@"^type (\w+)", RegexOptions.Multiline)]
    private static partial Regex ObjectTypePattern();

    [GeneratedRegex(@"^scalar (\w+)", RegexOptions.Multiline)]
    private static partial Regex ScalarPattern();

    [GeneratedRegex(@"^(query|mutation)\s+\w+")]
    private static partial Regex HeaderPattern();

    /// <summary>A custom scalar of the Admin schema (URL, DateTime, Decimal, Money, HTML, JSON, …) that accepts any literal.</summary>
    private sealed class OpaqueScalar : ScalarGraphType
    {
        public OpaqueScalar(string name) => Name = name;

        public override object? ParseLiteral(GraphQLValue value) => value switch
        {
            GraphQLStringValue s => (string)s.Value,
            GraphQLIntValue i => (string)i.Value,
            GraphQLFloatValue f => (string)f.Value,
            GraphQLBooleanValue b => b.BoolValue,
            GraphQLNullValue => null,
            _ => value,
        };

        public override object? ParseValue(object? value) => value;

        public override bool CanParseLiteral(GraphQLValue value) => true;

        public override bool CanParseValue(object? value) => true;
    }
}
