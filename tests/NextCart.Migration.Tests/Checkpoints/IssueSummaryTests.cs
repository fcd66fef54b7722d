using NextCart.Migration.Checkpoints;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Checkpoints;

public sealed class IssueSummaryTests
{
    [Fact]
    public void Create_OneWarningPerRecord_CountsEveryOneAndKeepsABoundedSamplePerKind()
    {
        List<RecordIssue> issues = [];
        for (int i = 0; i < 1000; i++)
        {
            issues.Add(new RecordIssue(EntityType.Products, $"p{i}", FailureCategory.Unsupported, "Shopify has no short description: it was not written.", IssueSeverity.Warning));
        }

        issues.Add(new RecordIssue(EntityType.Categories, "c1", FailureCategory.Unsupported, "CSV cannot hold collections.", IssueSeverity.Warning));
        issues.Add(new RecordIssue(EntityType.Products, "p-bad", FailureCategory.Validation, "the price is not a number."));

        IssueSummary summary = IssueSummary.Create(issues, MigrationReport.MaxWarningExamples);
        IReadOnlyList<RecordIssue> examples = summary.WarningExamples;

        Assert.Equal(
            [new WarningCount(EntityType.Categories, FailureCategory.Unsupported, 1), new WarningCount(EntityType.Products, FailureCategory.Unsupported, 1000)],
            summary.WarningCounts.OrderBy(c => c.Type.ToString(), StringComparer.Ordinal));
        Assert.Equal([issues[^1]], summary.Failures);
        Assert.Equal(MigrationReport.MaxWarningExamples + 1, examples.Count);
        Assert.Equal([.. Enumerable.Range(0, MigrationReport.MaxWarningExamples).Select(i => $"p{i}")], examples.Where(e => e.EntityType == EntityType.Products).Select(e => e.SourceId));
        Assert.Contains(examples, e => e.SourceId == "c1");
        Assert.DoesNotContain(examples, e => e.Severity == IssueSeverity.Failure);
    }

    [Fact]
    public void Create_SameWarningRecordedTwice_CountsItOnce()
    {
        RecordIssue warning = new(EntityType.Products, "p1", FailureCategory.Unsupported, "no short description", IssueSeverity.Warning);

        IssueSummary summary = IssueSummary.Create([warning, warning with { }], MigrationReport.MaxWarningExamples);

        Assert.Equal([warning], summary.WarningExamples);
        Assert.Equal([new WarningCount(EntityType.Products, FailureCategory.Unsupported, 1)], summary.WarningCounts);
        Assert.Empty(summary.Failures);
    }

    [Fact]
    public void Create_NegativeExampleCount_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => IssueSummary.Create([], -1));
}
