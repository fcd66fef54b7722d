using NextCart.Migration.Connectors;
using NextCart.Migration.Internal;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Internal;

public sealed class ReportBuilderTests
{
    [Fact]
    public void SummarizeWarnings_OneWarningPerRecord_CountsEveryOneAndKeepsABoundedSamplePerKind()
    {
        List<RecordIssue> issues = [];
        for (int i = 0; i < 1000; i++)
        {
            issues.Add(new RecordIssue(EntityType.Products, $"p{i}", FailureCategory.Unsupported, "Shopify has no short description: it was not written.", IssueSeverity.Warning));
        }

        issues.Add(new RecordIssue(EntityType.Categories, "c1", FailureCategory.Unsupported, "CSV cannot hold collections.", IssueSeverity.Warning));
        issues.Add(new RecordIssue(EntityType.Products, "p-bad", FailureCategory.Validation, "the price is not a number."));

        (IReadOnlyList<RecordIssue> examples, IReadOnlyList<WarningCount> counts) = ReportBuilder.SummarizeWarnings(issues);

        Assert.Equal(
            [new WarningCount(EntityType.Categories, FailureCategory.Unsupported, 1), new WarningCount(EntityType.Products, FailureCategory.Unsupported, 1000)],
            counts.OrderBy(c => c.Type.ToString(), StringComparer.Ordinal));
        Assert.Equal(MigrationReport.MaxWarningExamples + 1, examples.Count);
        Assert.Equal([.. Enumerable.Range(0, MigrationReport.MaxWarningExamples).Select(i => $"p{i}")], examples.Where(e => e.EntityType == EntityType.Products).Select(e => e.SourceId));
        Assert.Contains(examples, e => e.SourceId == "c1");
        Assert.DoesNotContain(examples, e => e.Severity == IssueSeverity.Failure);
    }

    [Fact]
    public void SummarizeWarnings_SameWarningRecordedTwice_CountsItOnce()
    {
        RecordIssue warning = new(EntityType.Products, "p1", FailureCategory.Unsupported, "no short description", IssueSeverity.Warning);

        (IReadOnlyList<RecordIssue> examples, IReadOnlyList<WarningCount> counts) = ReportBuilder.SummarizeWarnings([warning, warning with { }]);

        Assert.Equal([warning], examples);
        Assert.Equal([new WarningCount(EntityType.Products, FailureCategory.Unsupported, 1)], counts);
    }
}
