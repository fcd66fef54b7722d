using NextCart.Migration.Estimation;
using NextCart.Migration.Model;

namespace NextCart.Migration.Tests.Estimation;

public class PointScheduleTests
{
    [Fact]
    public void Default_Weights_MatchPublishedSchedule()
    {
        PointSchedule schedule = PointSchedule.Default;
        Assert.Equal(1.0m, schedule.GetWeight(EntityType.Products));
        Assert.Equal(0.5m, schedule.GetWeight(EntityType.Customers));
        Assert.Equal(0.8m, schedule.GetWeight(EntityType.Orders));
        Assert.Equal(0.6m, schedule.GetWeight(EntityType.BlogPosts));
        foreach (EntityType free in new[] { EntityType.Taxes, EntityType.Manufacturers, EntityType.Categories, EntityType.Reviews, EntityType.Coupons, EntityType.Pages, EntityType.Redirects })
        {
            Assert.Equal(0m, schedule.GetWeight(free));
        }
    }

    [Fact]
    public void With_ChangesOneWeight_LeavesOriginal()
    {
        PointSchedule changed = PointSchedule.Default.With(EntityType.Reviews, 0.1m);
        Assert.Equal(0.1m, changed.GetWeight(EntityType.Reviews));
        Assert.Equal(0m, PointSchedule.Default.GetWeight(EntityType.Reviews));
    }

    [Fact]
    public void Create_NegativeWeight_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => PointSchedule.Create(new Dictionary<EntityType, decimal> { [EntityType.Products] = -1 }));
}
