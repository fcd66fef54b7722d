using System.Collections.Frozen;

namespace NextCart.Migration.Model;

/// <summary>A customer account with its addresses.</summary>
public sealed record Customer : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Customers;

    /// <summary>Gets the e-mail address. Most targets enforce it as unique.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Gets the last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gets the phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the customer group or role, as a canonical value after mapping (see <see cref="CustomerGroups"/>).</summary>
    public string? Group { get; init; }

    /// <summary>Gets a value indicating whether the customer accepts marketing e-mail.</summary>
    public bool AcceptsMarketing { get; init; }

    /// <summary>Gets the customer's addresses.</summary>
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets a note about the customer.</summary>
    public string? Note { get; init; }

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Email);
}

/// <summary>Canonical customer group values that status and group maps translate to.</summary>
public static class CustomerGroups
{
    /// <summary>An ordinary retail customer.</summary>
    public const string General = "general";

    /// <summary>A wholesale customer.</summary>
    public const string Wholesale = "wholesale";

    /// <summary>A retailer or reseller.</summary>
    public const string Retailer = "retailer";

    /// <summary>A VIP customer.</summary>
    public const string Vip = "vip";

    /// <summary>Gets every canonical customer group.</summary>
    public static IReadOnlyList<string> All { get; } = [General, Wholesale, Retailer, Vip];

    // Looked up once per customer by the engine's transformer: a set, not a scan of All with a boxed enumerator.
    private static readonly FrozenSet<string> Canonical = All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether a value is a canonical customer group.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when canonical.</returns>
    public static bool IsCanonical(string? value) => value is not null && Canonical.Contains(value);
}

/// <summary>Canonical order status values that status maps translate to.</summary>
public static class OrderStatuses
{
    /// <summary>Awaiting payment.</summary>
    public const string Pending = "pending";

    /// <summary>Paid and being fulfilled.</summary>
    public const string Processing = "processing";

    /// <summary>Waiting on something.</summary>
    public const string OnHold = "on-hold";

    /// <summary>Fulfilled.</summary>
    public const string Completed = "completed";

    /// <summary>Cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Refunded.</summary>
    public const string Refunded = "refunded";

    /// <summary>Payment failed.</summary>
    public const string Failed = "failed";

    /// <summary>Gets every canonical order status.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Processing, OnHold, Completed, Cancelled, Refunded, Failed];

    // Looked up once per order by the engine's transformer: a set, not a scan of All with a boxed enumerator.
    private static readonly FrozenSet<string> Canonical = All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether a value is a canonical order status.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when canonical.</returns>
    public static bool IsCanonical(string? value) => value is not null && Canonical.Contains(value);
}

/// <summary>One line of an order.</summary>
public sealed record OrderLine
{
    /// <summary>Gets the line's id in the source store.</summary>
    public required string SourceId { get; init; }

    /// <summary>Gets the ordered product's source id, or <see langword="null"/> for a custom line.</summary>
    public string? ProductId { get; init; }

    /// <summary>Gets the ordered variant's source id, when the product has variants.</summary>
    public string? VariantId { get; init; }

    /// <summary>Gets the line's name as it was sold. It is kept even when the product was deleted.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the SKU as it was sold.</summary>
    public string? Sku { get; init; }

    /// <summary>Gets the quantity.</summary>
    public int Quantity { get; init; }

    /// <summary>Gets the unit price.</summary>
    public Money UnitPrice { get; init; }

    /// <summary>Gets the line total after discounts, before tax.</summary>
    public Money Total { get; init; }

    /// <summary>Gets the tax on the line.</summary>
    public Money? TaxTotal { get; init; }
}

/// <summary>A note on an order's history.</summary>
public sealed record OrderNote
{
    /// <summary>Gets the note's text.</summary>
    public required string Content { get; init; }

    /// <summary>Gets a value indicating whether the note was shown to the customer.</summary>
    public bool IsCustomerNote { get; init; }

    /// <summary>Gets when the note was written, in UTC.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>An order with its lines, addresses, totals, status and history.</summary>
public sealed record Order : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Orders;

    /// <summary>Gets the order number shown to the customer.</summary>
    public string? Number { get; init; }

    /// <summary>Gets the customer's source id, or <see langword="null"/> for a guest order.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets the e-mail the order was placed with.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the status; after mapping it is one of <see cref="OrderStatuses"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the ISO currency code of every amount on the order.</summary>
    public required string Currency { get; init; }

    /// <summary>Gets the lines.</summary>
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];

    /// <summary>Gets the billing address.</summary>
    public Address? BillingAddress { get; init; }

    /// <summary>Gets the shipping address.</summary>
    public Address? ShippingAddress { get; init; }

    /// <summary>Gets the subtotal of the lines.</summary>
    public Money? Subtotal { get; init; }

    /// <summary>Gets the shipping total.</summary>
    public Money? ShippingTotal { get; init; }

    /// <summary>Gets the tax total.</summary>
    public Money? TaxTotal { get; init; }

    /// <summary>Gets the discount total.</summary>
    public Money? DiscountTotal { get; init; }

    /// <summary>Gets the grand total.</summary>
    public Money Total { get; init; }

    /// <summary>Gets the payment method's id.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary>Gets the payment method's title.</summary>
    public string? PaymentMethodTitle { get; init; }

    /// <summary>Gets the payment transaction id.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets the shipping method's title.</summary>
    public string? ShippingMethod { get; init; }

    /// <summary>Gets when the order was paid, in UTC.</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>Gets when the order was completed, in UTC.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the note the customer left at checkout.</summary>
    public string? CustomerNote { get; init; }

    /// <summary>Gets the order's history notes.</summary>
    public IReadOnlyList<OrderNote> Notes { get; init; } = [];

    /// <summary>Gets the coupon codes applied.</summary>
    public IReadOnlyList<string> CouponCodes { get; init; } = [];

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        if (CustomerId is not null)
        {
            yield return new(new EntityRef(EntityType.Customers, CustomerId), ReferenceRole.Customer, ReferenceKind.Optional);
        }

        foreach (OrderLine line in Lines)
        {
            if (line.ProductId is null)
            {
                continue;
            }

            yield return new(EntityRef.Product(line.ProductId), ReferenceRole.Product, ReferenceKind.Optional);
            if (line.VariantId is not null)
            {
                yield return new(EntityRef.Variant(line.ProductId, line.VariantId), ReferenceRole.Variant, ReferenceKind.Optional);
            }
        }
    }

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Number);
}

/// <summary>A product review.</summary>
public sealed record Review : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Reviews;

    /// <summary>Gets the reviewed product's source id.</summary>
    public required string ProductId { get; init; }

    /// <summary>Gets the reviewing customer's source id, or <see langword="null"/> for a guest review.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets the reviewer's display name.</summary>
    public string? ReviewerName { get; init; }

    /// <summary>Gets the reviewer's e-mail.</summary>
    public string? ReviewerEmail { get; init; }

    /// <summary>Gets the rating from 1 to 5.</summary>
    public int Rating { get; init; }

    /// <summary>Gets the review text, as HTML.</summary>
    public string? Content { get; init; }

    /// <summary>Gets a value indicating whether the review is approved and visible.</summary>
    public bool Approved { get; init; } = true;

    /// <summary>Gets a value indicating whether the reviewer bought the product.</summary>
    public bool VerifiedBuyer { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        yield return new(EntityRef.Product(ProductId), ReferenceRole.Product, ReferenceKind.Required);
        if (CustomerId is not null)
        {
            yield return new(new EntityRef(EntityType.Customers, CustomerId), ReferenceRole.Customer, ReferenceKind.Optional);
        }
    }

    /// <summary>
    /// Gets the review's identity. Platforms keep no unique key or metadata on reviews, so the natural key is the review's content
    /// (see <see cref="GetContentKey"/>), which reconciliation uses to find a review whose create response was lost.
    /// </summary>
    /// <returns>The identity.</returns>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, GetContentKey(ReviewerEmail, Rating, Content));

    /// <summary>Builds the content key of a review: the reviewer's e-mail first (a target can query by it), then rating and text.</summary>
    /// <param name="reviewerEmail">The reviewer's e-mail, or <see langword="null"/>.</param>
    /// <param name="rating">The rating.</param>
    /// <param name="content">The review text, or <see langword="null"/>.</param>
    /// <returns>The key, with the three parts separated by line feeds.</returns>
    public static string GetContentKey(string? reviewerEmail, int rating, string? content)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(reviewerEmail ?? string.Empty).Trim()}\n{rating}\n{(content ?? string.Empty).Trim()}");
}

/// <summary>How a coupon discounts.</summary>
public enum DiscountKind
{
    /// <summary>A percentage off.</summary>
    Percentage = 0,

    /// <summary>A fixed amount off the whole cart.</summary>
    FixedCart = 1,

    /// <summary>A fixed amount off each eligible product.</summary>
    FixedProduct = 2,
}

/// <summary>A coupon or discount code, with its product and category restrictions.</summary>
public sealed record Coupon : Entity
{
    /// <inheritdoc/>
    public override EntityType Type => EntityType.Coupons;

    /// <summary>Gets the code customers enter.</summary>
    public required string Code { get; init; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets how the coupon discounts.</summary>
    public DiscountKind Kind { get; init; }

    /// <summary>Gets the amount: a percentage for <see cref="DiscountKind.Percentage"/>, else money in <see cref="Currency"/>.</summary>
    public decimal Amount { get; init; }

    /// <summary>Gets the currency of fixed amounts.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets when the coupon starts, in UTC.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>Gets when the coupon expires, in UTC.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets how many times the coupon may be used in all.</summary>
    public int? UsageLimit { get; init; }

    /// <summary>Gets how many times one customer may use it.</summary>
    public int? UsageLimitPerCustomer { get; init; }

    /// <summary>Gets how many times it has been used.</summary>
    public int UsageCount { get; init; }

    /// <summary>Gets the minimum order amount.</summary>
    public decimal? MinimumAmount { get; init; }

    /// <summary>Gets the maximum order amount.</summary>
    public decimal? MaximumAmount { get; init; }

    /// <summary>Gets a value indicating whether it grants free shipping.</summary>
    public bool FreeShipping { get; init; }

    /// <summary>Gets a value indicating whether it cannot be combined with other coupons.</summary>
    public bool IndividualUse { get; init; }

    /// <summary>Gets the source ids of the products it is restricted to.</summary>
    public IReadOnlyList<string> ProductIds { get; init; } = [];

    /// <summary>Gets the source ids of the products it excludes.</summary>
    public IReadOnlyList<string> ExcludedProductIds { get; init; } = [];

    /// <summary>Gets the source ids of the categories it is restricted to.</summary>
    public IReadOnlyList<string> CategoryIds { get; init; } = [];

    /// <summary>Gets the source ids of the categories it excludes.</summary>
    public IReadOnlyList<string> ExcludedCategoryIds { get; init; } = [];

    /// <summary>Gets the e-mail addresses it is restricted to.</summary>
    public IReadOnlyList<string> EmailRestrictions { get; init; } = [];

    /// <inheritdoc/>
    public override IEnumerable<EntityReference> GetReferences()
    {
        // A restriction that silently disappeared would widen the discount, so restrictions are required.
        foreach (string id in ProductIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.Product, ReferenceKind.Required);
        }

        foreach (string id in ExcludedProductIds)
        {
            yield return new(EntityRef.Product(id), ReferenceRole.Excluded, ReferenceKind.Required);
        }

        foreach (string id in CategoryIds)
        {
            yield return new(new EntityRef(EntityType.Categories, id), ReferenceRole.Category, ReferenceKind.Required);
        }

        foreach (string id in ExcludedCategoryIds)
        {
            yield return new(new EntityRef(EntityType.Categories, id), ReferenceRole.Excluded, ReferenceKind.Required);
        }
    }

    /// <inheritdoc/>
    public override SourceIdentity GetIdentity() => new(Type, SourceId, Code);
}
