using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

public sealed class DocShapeCheckerTests
{
    private static DocShapeChecker Check(string doc, string actual)
    {
        DocShapeChecker checker = new();
        JsonNode expected = JsonNode.Parse(doc)!;
        checker.Collect(expected, "$");
        checker.Compare(expected, JsonNode.Parse(actual), "$", "$");
        return checker;
    }

    [Fact]
    public void Compare_MissingField_IsReported()
        => Assert.Contains("$.price: missing", Check("""{"id":1,"price":"1.00"}""", """{"id":1}""").Errors);

    [Fact]
    public void Compare_NumberWhereTheDocsShowAString_IsReported()
        => Assert.Contains("$.price: the docs show String but the sandbox has Number", Check("""{"price":"1.00"}""", """{"price":1.0}""").Errors);

    [Fact]
    public void Compare_NestedArrayElementWithAMissingField_IsReported()
        => Assert.Contains("$.lines[].sku: missing", Check("""{"lines":[{"id":1,"sku":"a"}]}""", """{"lines":[{"id":1,"sku":"a"},{"id":2}]}""").Errors);

    [Fact]
    public void Compare_NullWhereTheDocsShowNull_AndNullableDates_AreAccepted()
        => Assert.Empty(Check("""{"date_paid":"2017-01-01T00:00:00","usage_limit":null}""", """{"date_paid":null,"usage_limit":5}""").Errors);

    [Fact]
    public void Compare_NullForANonNullableField_IsReported()
        => Assert.NotEmpty(Check("""{"name":"x"}""", """{"name":null}""").Errors);

    [Fact]
    public void Compare_EmptyDocArray_MatchesAnObjectAsPhpEncodesEmptyMaps()
        => Assert.Empty(Check("""{"image":[]}""", """{"image":{"id":1}}""").Errors);

    [Fact]
    public void Coverage_EmptyResponseArrayWhereTheDocsShowItems_IsNotCovered()
    {
        DocShapeChecker checker = Check("""{"taxes":[{"id":1}]}""", """{"taxes":[]}""");

        Assert.Empty(checker.Errors);
        Assert.Contains("$.taxes", checker.Expected.Except(checker.Covered));
    }

    [Fact]
    public void Compare_ConditionalLinks_AreNotRequired()
        => Assert.Empty(Check("""{"_links":{"self":[{"href":"a"}],"collection":[{"href":"b"}],"up":[{"href":"c"}]}}""", """{"_links":{"self":[{"href":"a"}],"collection":[{"href":"b"}]}}""").Errors);
}
