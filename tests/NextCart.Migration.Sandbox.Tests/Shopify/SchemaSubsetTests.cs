using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Visitors;
using NextCart.Migration.Sandbox.Shopify.Internal;

namespace NextCart.Migration.Sandbox.Tests.Shopify;

/// <summary>The embedded SDL must be a true subset of the published Admin API 2026-01 schema in shared/data.</summary>
public sealed class SchemaSubsetTests
{
    private static readonly Lazy<Dictionary<string, ASTNode>> Published = new(() => Definitions(File.ReadAllText(PublishedSchemaPath())));
    private static readonly Lazy<Dictionary<string, ASTNode>> Embedded = new(() => Definitions(ShopifySchema.ReadSdl()));

    [Fact]
    public void Subset_EveryTypeFieldArgumentAndValue_ExistsWithTheSameType()
    {
        List<string> problems = Problems(Embedded.Value, Published.Value);

        Assert.Empty(problems);
        Assert.True(Embedded.Value.Count > 150);
    }

    [Fact]
    public void Subset_AlteredDefinitions_AreReported()
    {
        const string Altered = """
            type Product { title: Int handle: String! colour: String }
            input SEOInput { title: String slug: String }
            enum ProductStatus { ACTIVE SOLD_OUT }
            type Gadget { id: ID! }
            """;

        List<string> problems = Problems(Definitions(Altered), Published.Value);

        Assert.Equal(
            [
                "Product.title is Int, published as String!",
                "Product.colour is not a published field",
                "SEOInput(slug) is not published",
                "ProductStatus.SOLD_OUT is not a published value",
                "type Gadget is not in the published schema",
            ],
            problems);
    }

    private static List<string> Problems(Dictionary<string, ASTNode> subset, Dictionary<string, ASTNode> schema)
    {
        List<string> problems = [];
        foreach ((string name, ASTNode mine) in subset)
        {
            if (!schema.TryGetValue(name, out ASTNode? theirs))
            {
                problems.Add("type " + name + " is not in the published schema");
                continue;
            }

            if (mine.Kind != theirs.Kind)
            {
                problems.Add($"{name} is a {mine.Kind}, published as {theirs.Kind}");
                continue;
            }

            switch (mine)
            {
                case GraphQLObjectTypeDefinition o:
                    CompareFields(name, o.Fields, ((GraphQLObjectTypeDefinition)theirs).Fields, problems);
                    CompareNames(name + " implements", o.Interfaces?.Items, ((GraphQLObjectTypeDefinition)theirs).Interfaces?.Items, problems);
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    CompareFields(name, i.Fields, ((GraphQLInterfaceTypeDefinition)theirs).Fields, problems);
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    CompareInputValues(name, input.Fields?.Items, ((GraphQLInputObjectTypeDefinition)theirs).Fields?.Items, problems);
                    List<string> required = [.. ((GraphQLInputObjectTypeDefinition)theirs).Fields!.Items.Where(f => f.Type is GraphQLNonNullType && f.DefaultValue is null).Select(f => f.Name.StringValue)];
                    foreach (string field in required.Where(r => input.Fields?.Items.Any(f => f.Name.StringValue == r) != true))
                    {
                        problems.Add($"{name} leaves out the required input field {field}");
                    }

                    break;
                case GraphQLEnumTypeDefinition e:
                    HashSet<string> values = [.. ((GraphQLEnumTypeDefinition)theirs).Values!.Items.Select(v => v.Name.StringValue)];
                    problems.AddRange(e.Values!.Items.Where(v => !values.Contains(v.Name.StringValue)).Select(v => $"{name}.{v.Name.StringValue} is not a published value"));
                    break;
                case GraphQLUnionTypeDefinition u:
                    CompareNames(name + " members", u.Types?.Items, ((GraphQLUnionTypeDefinition)theirs).Types?.Items, problems);
                    break;
            }
        }

        return problems;
    }

    [Fact]
    public void Subset_EveryReferencedTypeIsDeclared()
    {
        HashSet<string> declared = [.. Embedded.Value.Keys, "String", "Int", "Float", "Boolean", "ID"];
        List<string> missing = [];
        foreach ((string name, ASTNode node) in Embedded.Value)
        {
            IEnumerable<(string Where, GraphQLType Type)> references = node switch
            {
                GraphQLObjectTypeDefinition o => o.Fields!.Items.SelectMany(f => new[] { (name + "." + f.Name.StringValue, f.Type) }.Concat(f.Arguments?.Items.Select(a => (name + "." + f.Name.StringValue + "(" + a.Name.StringValue + ")", a.Type)) ?? [])),
                GraphQLInterfaceTypeDefinition i => i.Fields!.Items.Select(f => (name + "." + f.Name.StringValue, f.Type)),
                GraphQLInputObjectTypeDefinition input => input.Fields!.Items.Select(f => (name + "." + f.Name.StringValue, f.Type)),
                _ => [],
            };
            missing.AddRange(references.Where(r => !declared.Contains(Named(r.Type))).Select(r => r.Where + " → " + Named(r.Type)));
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Subset_ContractOperations_Declared()
    {
        GraphQLObjectTypeDefinition query = (GraphQLObjectTypeDefinition)Embedded.Value["QueryRoot"];
        GraphQLObjectTypeDefinition mutation = (GraphQLObjectTypeDefinition)Embedded.Value["Mutation"];
        string[] queries = ["shop", "products", "collections", "customers", "orders", "pages", "blogs", "articles", "discountNodes", "urlRedirects", "productByIdentifier", "customerByIdentifier"];
        string[] mutations = ["metafieldDefinitionCreate", "productSet", "collectionCreate", "collectionUpdate", "collectionAddProducts", "customerSet", "orderCreate", "orderUpdate", "discountCodeBasicCreate", "discountCodeBasicUpdate", "pageCreate", "pageUpdate", "blogCreate", "articleCreate", "articleUpdate", "urlRedirectCreate", "urlRedirectUpdate", "metafieldsSet", "productDelete", "collectionDelete", "customerDelete", "orderDelete", "pageDelete", "articleDelete", "discountCodeDelete", "urlRedirectDelete"];

        List<string> missing = [.. queries.Where(q => query.Fields!.Items.All(f => f.Name.StringValue != q)), .. mutations.Where(m => mutation.Fields!.Items.All(f => f.Name.StringValue != m))];
        Assert.Equal([], missing);
    }

    private static void CompareFields(string type, GraphQLFieldsDefinition? mine, GraphQLFieldsDefinition? theirs, List<string> problems)
    {
        foreach (GraphQLFieldDefinition field in mine?.Items ?? [])
        {
            GraphQLFieldDefinition? published = theirs?.Items.FirstOrDefault(f => f.Name.StringValue == field.Name.StringValue);
            if (published is null)
            {
                problems.Add($"{type}.{field.Name.StringValue} is not a published field");
                continue;
            }

            if (Print(field.Type) != Print(published.Type))
            {
                problems.Add($"{type}.{field.Name.StringValue} is {Print(field.Type)}, published as {Print(published.Type)}");
            }

            CompareInputValues(type + "." + field.Name.StringValue, field.Arguments?.Items, published.Arguments?.Items, problems);
        }
    }

    private static void CompareInputValues(string owner, List<GraphQLInputValueDefinition>? mine, List<GraphQLInputValueDefinition>? theirs, List<string> problems)
    {
        foreach (GraphQLInputValueDefinition value in mine ?? [])
        {
            GraphQLInputValueDefinition? published = theirs?.FirstOrDefault(v => v.Name.StringValue == value.Name.StringValue);
            if (published is null)
            {
                problems.Add($"{owner}({value.Name.StringValue}) is not published");
                continue;
            }

            if (Print(value.Type) != Print(published.Type) || Print(value.DefaultValue) != Print(published.DefaultValue))
            {
                problems.Add($"{owner}({value.Name.StringValue}) is {Print(value.Type)} = {Print(value.DefaultValue)}, published as {Print(published.Type)} = {Print(published.DefaultValue)}");
            }
        }
    }

    private static void CompareNames(string owner, List<GraphQLNamedType>? mine, List<GraphQLNamedType>? theirs, List<string> problems)
    {
        HashSet<string> published = [.. (theirs ?? []).Select(t => t.Name.StringValue)];
        problems.AddRange((mine ?? []).Where(t => !published.Contains(t.Name.StringValue)).Select(t => $"{owner}: {t.Name.StringValue} is not published"));
    }

    private static string Named(GraphQLType type) => type switch
    {
        GraphQLNamedType n => n.Name.StringValue,
        GraphQLListType l => Named(l.Type),
        GraphQLNonNullType nn => Named(nn.Type),
        _ => throw new InvalidOperationException(),
    };

    private static string Print(ASTNode? node)
    {
        if (node is null)
        {
            return string.Empty;
        }

        StringWriter writer = new();
        new SDLPrinter().PrintAsync(node, writer).AsTask().GetAwaiter().GetResult();
        return writer.ToString();
    }

    private static Dictionary<string, ASTNode> Definitions(string sdl)
    {
        GraphQLDocument document = Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.All });
        return document.Definitions.OfType<GraphQLTypeDefinition>().ToDictionary(d => d.Name.StringValue, d => (ASTNode)d, StringComparer.Ordinal);
    }

    private static string PublishedSchemaPath()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "shopify", "admin-2026-01.schema.graphql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No shared/data/shopify/admin-2026-01.schema.graphql above {AppContext.BaseDirectory}.");
    }
}
