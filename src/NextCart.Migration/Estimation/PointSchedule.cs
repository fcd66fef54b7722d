using System.Collections.Frozen;
using NextCart.Migration.Model;

namespace NextCart.Migration.Estimation;

/// <summary>
/// The Entity Points weights per entity type. Products weigh 1.0 (variants included), customers 0.5, orders 0.8 and
/// blog posts 0.6; every other type is free unless configured.
/// </summary>
/// <remarks>Instances are immutable; <see cref="With"/> returns a copy with one weight changed.</remarks>
public sealed class PointSchedule
{
    private readonly FrozenDictionary<EntityType, decimal> _weights;

    /// <summary>Gets the default schedule.</summary>
    public static PointSchedule Default { get; } = new(new Dictionary<EntityType, decimal>
    {
        [EntityType.Products] = 1.0m,
        [EntityType.Customers] = 0.5m,
        [EntityType.Orders] = 0.8m,
        [EntityType.BlogPosts] = 0.6m,
    });

    /// <summary>Gets the order in which chargeable types are charged under <see cref="LimitPolicy.MigrateUntilLimit"/>.</summary>
    public static IReadOnlyList<EntityType> ChargeOrder { get; } = [EntityType.Products, EntityType.Customers, EntityType.Orders, EntityType.BlogPosts];

    private PointSchedule(IReadOnlyDictionary<EntityType, decimal> weights) => _weights = weights.ToFrozenDictionary();

    /// <summary>Creates a schedule from weights; types not listed weigh 0.</summary>
    /// <param name="weights">The weights.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative.</exception>
    public static PointSchedule Create(IReadOnlyDictionary<EntityType, decimal> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (KeyValuePair<EntityType, decimal> pair in weights)
        {
            if (pair.Value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), pair.Value, $"The weight of {pair.Key} must not be negative.");
            }
        }

        return new PointSchedule(weights);
    }

    /// <summary>Gets the weight of a type.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The points per record.</returns>
    public decimal GetWeight(EntityType type) => _weights.GetValueOrDefault(type);

    /// <summary>Returns a copy of this schedule with one weight changed.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="weight">The new weight.</param>
    /// <returns>The new schedule.</returns>
    public PointSchedule With(EntityType type, decimal weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        Dictionary<EntityType, decimal> copy = new(_weights) { [type] = weight };
        return new PointSchedule(copy);
    }
}
