using NextCart.Migration.Checkpoints;

namespace NextCart.Migration.Tests.Checkpoints;

public class SourceIdComparerTests
{
    [Fact]
    public void Compare_MixedIds_TotalOrderNumbersFirst()
    {
        string[] ids = ["1a", "10", "2", "b", "007", "7"];

        string[] sorted = [.. ids.Order(SourceIdComparer.Instance)];

        Assert.Equal(["2", "007", "7", "10", "1a", "b"], sorted);
        foreach (string x in ids)
        {
            foreach (string y in ids)
            {
                Assert.Equal(Math.Sign(SourceIdComparer.Instance.Compare(x, y)), -Math.Sign(SourceIdComparer.Instance.Compare(y, x)));
            }
        }
    }
}
