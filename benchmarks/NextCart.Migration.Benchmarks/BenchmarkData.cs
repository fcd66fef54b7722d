using System.Globalization;
using NextCart.Migration.Model;
using NextCart.Migration.Testing;

namespace NextCart.Migration.Benchmarks;

/// <summary>
/// Builds canonical stores by hand, so every record is valid and every reference resolves: the benchmarks measure the
/// happy path, with no failures, skips or deferred links to blur the comparison.
/// </summary>
internal static class BenchmarkData
{
    public const int VariantsPerProduct = 3;
    public const int LinesPerOrder = 2;

    /// <summary>The references an order holds: its customer, and a product and a variant per line.</summary>
    public const int ReferencesPerOrder = 1 + (2 * LinesPerOrder);

    private static readonly DateTimeOffset BaseTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Sizes = ["S", "M", "L", "XL", "XXL"];

    /// <summary>
    /// Creates a store of variable products (with <see cref="VariantsPerProduct"/> variants each), customers with one
    /// address, and orders whose lines reference products and variants and whose customer exists.
    /// </summary>
    public static SampleStore CreateStore(int products, int customers, int orders)
    {
        List<Entity> entities = new(products + customers + orders);
        for (int i = 1; i <= products; i++)
        {
            entities.Add(CreateProduct(i, VariantsPerProduct));
        }

        for (int i = 1; i <= customers; i++)
        {
            entities.Add(CreateCustomer(i));
        }

        for (int i = 1; i <= orders; i++)
        {
            entities.Add(CreateOrder(i, products, customers));
        }

        return SampleStore.FromEntities(entities);
    }

    /// <summary>Creates a store of simple products without variants, categories or any other reference.</summary>
    public static SampleStore CreateSimpleProducts(int products)
    {
        List<Entity> entities = new(products);
        for (int i = 1; i <= products; i++)
        {
            entities.Add(CreateProduct(i, variants: 0));
        }

        return SampleStore.FromEntities(entities);
    }

    public static Product CreateProduct(int id, int variants)
    {
        string sid = Id(id);
        ProductVariant[] list = new ProductVariant[variants];
        for (int v = 0; v < variants; v++)
        {
            list[v] = new ProductVariant
            {
                SourceId = VariantId(id, v),
                Sku = $"NC-{sid}-{v + 1}",
                Price = new Money(19.99m + v, "USD"),
                OptionValues = [new OptionValue("Size", Sizes[v % Sizes.Length])],
                StockQuantity = 10 + v,
                Position = v,
            };
        }

        return new Product
        {
            SourceId = sid,
            CreatedAt = BaseTime.AddMinutes(id),
            UpdatedAt = BaseTime.AddMinutes(id + 1),
            Name = $"Classic Cotton Shirt {sid}",
            Sku = variants == 0 ? $"NC-{sid}" : null,
            Slug = $"classic-cotton-shirt-{sid}",
            Description = "<p>A soft, breathable cotton shirt for every day.</p>",
            ShortDescription = "Soft cotton shirt.",
            Kind = variants == 0 ? ProductKind.Simple : ProductKind.Variable,
            Status = PublishStatus.Active,
            Price = new Money(19.99m, "USD"),
            StockQuantity = variants == 0 ? 25 : null,
            WeightKg = 0.3m,
            Tags = ["cotton", "summer"],
            Options = variants == 0 ? [] : [new ProductOption { Name = "Size", Values = Sizes[..variants] }],
            Variants = list,
            Images = [new ImageInfo { Url = $"https://source.example/images/{sid}.jpg", Alt = "Shirt", Position = 0 }],
            Url = $"/product/classic-cotton-shirt-{sid}/",
        };
    }

    public static Customer CreateCustomer(int id)
    {
        string sid = Id(id);
        return new Customer
        {
            SourceId = sid,
            CreatedAt = BaseTime.AddMinutes(id),
            Email = $"customer{sid}@example.com",
            FirstName = "Ann",
            LastName = "Smith",
            Phone = "+1 555 0100",
            Group = CustomerGroups.General,
            AcceptsMarketing = id % 2 == 0,
            Addresses =
            [
                new Address
                {
                    FirstName = "Ann", LastName = "Smith", Line1 = $"{sid} Main Street", City = "Springfield", Region = "IL",
                    PostalCode = "62701", CountryCode = "US", IsDefaultBilling = true, IsDefaultShipping = true,
                },
            ],
        };
    }

    private static Order CreateOrder(int id, int products, int customers)
    {
        string sid = Id(id);
        int customer = ((id - 1) % customers) + 1;
        OrderLine[] lines = new OrderLine[LinesPerOrder];
        for (int l = 0; l < LinesPerOrder; l++)
        {
            int product = (((id * 7) + (l * 13)) % products) + 1;
            int variant = (id + l) % VariantsPerProduct;
            lines[l] = new OrderLine
            {
                SourceId = Id((id * 10) + l),
                ProductId = Id(product),
                VariantId = VariantId(product, variant),
                Name = $"Classic Cotton Shirt {Id(product)} - {Sizes[variant]}",
                Sku = $"NC-{Id(product)}-{variant + 1}",
                Quantity = 1,
                UnitPrice = new Money(19.99m + variant, "USD"),
                Total = new Money(19.99m + variant, "USD"),
            };
        }

        return new Order
        {
            SourceId = sid,
            CreatedAt = BaseTime.AddMinutes(id),
            Number = sid,
            CustomerId = Id(customer),
            Email = $"customer{Id(customer)}@example.com",
            Status = OrderStatuses.Completed,
            Currency = "USD",
            Lines = lines,
            Subtotal = new Money(41.98m, "USD"),
            ShippingTotal = new Money(4.99m, "USD"),
            Total = new Money(46.97m, "USD"),
            PaymentMethod = "stripe",
            PaidAt = BaseTime.AddMinutes(id + 5),
        };
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string VariantId(int product, int index) => ((product * 100L) + index + 1).ToString(CultureInfo.InvariantCulture);
}
