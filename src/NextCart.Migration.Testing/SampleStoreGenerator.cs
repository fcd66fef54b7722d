using System.Collections.Immutable;
using System.Globalization;
using NextCart.Migration.Model;

namespace NextCart.Migration.Testing;

/// <summary>
/// Generates a realistic, deterministic <see cref="SampleStore"/> from a seed: the same <see cref="SampleStoreOptions"/> always
/// give the same records, with no clock, no I/O and no shared state.
/// </summary>
/// <remarks>
/// <para>
/// Source ids are <c>"1"</c> to <c>"N"</c> per type. Every timestamp is UTC and derived from
/// <see cref="SampleStoreOptions.BaseTime"/> plus seeded offsets, spread over about <see cref="SampleStoreOptions.Period"/> and
/// increasing with the id; <c>UpdatedAt</c> is equal to or later than <c>CreatedAt</c>. Each type draws from its own
/// seeded <see cref="Random"/>, so changing the count of one type does not change the records of the others.
/// </para>
/// <para>Edge cases are planted at fixed ids, so tests can name them (and <see cref="SampleStore.FindEdgeCases"/> finds them):</para>
/// <list type="bullet">
/// <item><description>
/// Categories (5 or more): <c>1</c> is a root; <c>5</c>'s parent is <c>1</c>, <c>4</c>'s is <c>5</c>, <c>3</c>'s is <c>4</c> and
/// <c>2</c>'s is <c>3</c>. So category <c>2</c> is at depth 4, and <c>2</c>, <c>3</c> and <c>4</c> come before their parents
/// in id order. Later ids sometimes repeat the pattern (a category whose parent is the next id). Category names repeat; slugs do not.
/// </description></item>
/// <item><description>
/// Products: <c>1</c> is simple, with related ids <c>2</c>..<c>4</c> and an up-sell to the last product (links to higher ids);
/// <c>2</c> is variable; <c>3</c> is variable with an "any value" variant (its last variant's Color is <see langword="null"/>,
/// as are those of about 10% of other variable products); <c>4</c> is grouped; <c>5</c> is external. About 20% of products
/// have no image. SKUs (<c>NC-000001</c>, variants <c>NC-000001-01</c>) and slugs are unique. Variant ids are the
/// product id times 100 plus the variant's 1-based position (product <c>2</c>: <c>201</c>, <c>202</c>, ...).
/// </description></item>
/// <item><description>
/// Customers, in every block of 1000 ids starting at <c>b</c> (0, 1000, ...): <c>b+7</c> has exactly the e-mail of <c>b+3</c>;
/// <c>b+9</c> has the e-mail of <c>b+5</c> in different case; <c>b+11</c> has an address without first line and city.
/// Every other e-mail is unique.
/// </description></item>
/// <item><description>
/// Orders: every id ending in 2 (10%) is a guest order (no customer id); of those, ids ending in 12, 32, 52, ... (modulo 20 = 12)
/// use an existing customer's e-mail. Ids with modulo 25 = 8 reference a deleted customer. Ids with modulo 20 = 9 have a line
/// for a deleted product. Ids with modulo 50 = 33 have a custom line (no product). Ids ending in 5, 6 and 7 share one
/// <c>CreatedAt</c>. Orders <c>1</c> to <c>7</c> have each of <see cref="OrderStatuses.All"/> in order; the rest are mostly completed.
/// Lines of variable products carry the variant id.
/// </description></item>
/// <item><description>Reviews: ids with modulo 4 = 3 are guest reviews (no customer id, with the reviewer's name and e-mail).</description></item>
/// <item><description>
/// Coupons: codes are unique (<c>WELCOME1</c>, <c>SPRING2</c>, ...); ids with modulo 3 = 1 are restricted to products, modulo 3 = 2
/// to categories; modulo 4 = 0 exclude a product; modulo 6 = 0 exclude a category; modulo 5 = 0 are restricted to an e-mail.
/// </description></item>
/// <item><description>Redirects: ids with modulo 4 = 0 point at a product (<see cref="Redirect.TargetEntity"/>); the others have a fixed <see cref="Redirect.ToPath"/>.</description></item>
/// </list>
/// <para>
/// Deleted records are referenced by ids from <see cref="DeletedIdBase"/> + 1 upward, which never exist in a generated store
/// (and stay clear of <see cref="SampleStore.NextSourceId"/>).
/// </para>
/// </remarks>
public static class SampleStoreGenerator
{
    /// <summary>The base of the ids of deleted records: an order of a deleted customer references customer <c>DeletedIdBase + orderId</c>.</summary>
    public const long DeletedIdBase = 900_000_000;

    private static readonly string[] Adjectives = ["Classic", "Modern", "Vintage", "Organic", "Premium", "Everyday", "Rugged", "Slim", "Cozy", "Bold", "Urban", "Coastal"];
    private static readonly string[] Materials = ["Cotton", "Linen", "Wool", "Leather", "Denim", "Bamboo", "Ceramic", "Steel", "Oak", "Canvas"];
    private static readonly string[] Nouns = ["Shirt", "Mug", "Backpack", "Scarf", "Lamp", "Notebook", "Sneakers", "Jacket", "Bottle", "Wallet", "Hat", "Candle"];
    private static readonly string[] CategoryNames = ["Clothing", "Men", "Women", "Kids", "Accessories", "Home", "Kitchen", "Outdoor", "Sale", "New Arrivals", "Shoes", "Bags", "Decor", "Gifts", "Sports", "Books", "Toys", "Garden", "Beauty", "Travel"];
    private static readonly string[] Brands = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Hooli", "Soylent"];
    private static readonly string[] FirstNames = ["Ann", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tariq"];
    private static readonly string[] LastNames = ["Smith", "Garcia", "Nguyen", "Muller", "Rossi", "Kowalski", "Okafor", "Tanaka", "Silva", "Dubois", "Jensen", "Novak", "Haddad", "Brown", "Larsen"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL", "XXL"];
    private static readonly string[] Colors = ["Red", "Blue", "Green", "Black", "White", "Yellow"];
    private static readonly string[] Tags = ["new", "bestseller", "eco", "gift", "limited", "summer", "winter"];
    private static readonly string[] CouponWords = ["WELCOME", "SPRING", "SUMMER", "AUTUMN", "WINTER", "VIP", "FREESHIP", "FLASH", "LOYAL", "THANKS"];
    private static readonly string[] PageTitles = ["About Us", "Contact", "Shipping Policy", "Returns", "FAQ", "Privacy Policy", "Terms of Service", "Size Guide"];
    private static readonly string[] BlogTopics = ["Spring Collection Preview", "How to Care for Linen", "Behind the Scenes", "Gift Guide", "Our Sustainability Report", "Styling Tips", "Meet the Makers", "Holiday Opening Hours"];
    private static readonly string[] PaymentMethods = ["stripe", "paypal", "bacs", "cod"];
    private static readonly int[] VariantSteps = [1, 7, 11, 13, 17, 19, 23, 29];

    private static readonly (string Country, string? Region, decimal Rate, string Class)[] TaxTable =
    [
        ("US", "CA", 7.25m, "standard"), ("US", "NY", 4.0000m, "standard"), ("GB", null, 20.0000m, "standard"),
        ("GB", null, 5.0000m, "reduced-rate"), ("DE", null, 19.0000m, "standard"), ("DE", null, 7.0000m, "reduced-rate"),
        ("FR", null, 20.0000m, "standard"), ("CA", "ON", 13.0000m, "standard"), ("AU", null, 10.0000m, "standard"),
    ];

    private static readonly (string City, string Region, string Postal, string Country)[] Places =
    [
        ("Springfield", "IL", "62701", "US"), ("Portland", "OR", "97201", "US"), ("Austin", "TX", "73301", "US"),
        ("London", "LND", "SW1A 1AA", "GB"), ("Berlin", "BE", "10115", "DE"), ("Paris", "IDF", "75001", "FR"),
        ("Toronto", "ON", "M5H 2N2", "CA"), ("Sydney", "NSW", "2000", "AU"),
    ];

    /// <summary>Generates a store with the default options and a seed.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The store.</returns>
    public static SampleStore Generate(int seed) => Generate(new SampleStoreOptions { Seed = seed });

    /// <summary>Generates a store.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static SampleStore Generate(SampleStoreOptions? options = null)
    {
        options ??= new SampleStoreOptions();
        options.Validate();
        return new Run(options).Generate();
    }

    /// <summary>Gets the code of the coupon with a source id, as the generator makes it.</summary>
    /// <param name="couponId">The coupon's numeric source id.</param>
    /// <returns>The code, such as <c>WELCOME1</c>.</returns>
    public static string CouponCode(int couponId) => CouponWords[(couponId - 1) % CouponWords.Length] + couponId.ToString(CultureInfo.InvariantCulture);

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Slugify(string value)
    {
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        int length = 0;
        bool dash = false;
        foreach (char c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (dash && length > 0)
                {
                    buffer[length++] = '-';
                }

                buffer[length++] = char.ToLowerInvariant(c);
                dash = false;
            }
            else
            {
                dash = true;
            }
        }

        return new string(buffer[..length]);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static decimal Round2(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    private static string CaseVariant(string email)
    {
        int at = email.IndexOf('@', StringComparison.Ordinal);
        string local = email[..at];
        return string.Concat(char.ToUpperInvariant(local[0]).ToString(), local[1..], "@Example.TEST");
    }

    /// <summary>One generation: the options, and the records generated so far that later types refer to.</summary>
    private sealed class Run
    {
        private readonly SampleStoreOptions _options;
        private readonly string _currency;
        private Product[] _products = [];
        private Customer[] _customers = [];
        private Category[] _categories = [];

        public Run(SampleStoreOptions options)
        {
            _options = options;
            _currency = options.Currency;
        }

        public SampleStore Generate()
        {
            Entity[][] lists = new Entity[EntityTypes.All.Count][];
            lists[(int)EntityType.Taxes] = GenerateTaxes();
            lists[(int)EntityType.Manufacturers] = GenerateManufacturers();
            lists[(int)EntityType.Categories] = _categories = GenerateCategories();
            lists[(int)EntityType.Products] = _products = GenerateProducts();
            lists[(int)EntityType.Customers] = _customers = GenerateCustomers();
            lists[(int)EntityType.Orders] = GenerateOrders();
            lists[(int)EntityType.Reviews] = GenerateReviews();
            lists[(int)EntityType.Coupons] = GenerateCoupons();
            lists[(int)EntityType.Pages] = GeneratePages();
            lists[(int)EntityType.BlogPosts] = GenerateBlogPosts();
            lists[(int)EntityType.Redirects] = GenerateRedirects();
            return SampleStore.FromSortedLists(lists, _options);
        }

        private Random RandomFor(EntityType type, int stream = 0)
            => new(unchecked((_options.Seed * 1_000_003) + ((int)type * 7_919) + (stream * 104_729) + 17));

        private Timeline TimelineFor(Random random, int count) => new(_options.BaseTime, random, count, _options.Period);

        private Tax[] GenerateTaxes()
        {
            int n = _options.Taxes;
            Random random = RandomFor(EntityType.Taxes);
            Timeline timeline = TimelineFor(random, n);
            Tax[] taxes = new Tax[n];
            for (int i = 1; i <= n; i++)
            {
                (string country, string? region, decimal rate, string taxClass) = TaxTable[(i - 1) % TaxTable.Length];
                DateTimeOffset created = timeline.Next();
                string suffix = i > TaxTable.Length ? " " + Id(i) : string.Empty;
                taxes[i - 1] = new Tax
                {
                    SourceId = Id(i),
                    Name = $"{country}{(region is null ? string.Empty : "-" + region)} {taxClass}{suffix}",
                    Rate = rate,
                    CountryCode = country,
                    Region = region,
                    TaxClass = taxClass,
                    AppliesToShipping = random.Next(2) == 0,
                    Priority = 1,
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return taxes;
        }

        private Manufacturer[] GenerateManufacturers()
        {
            int n = _options.Manufacturers;
            Random random = RandomFor(EntityType.Manufacturers);
            Timeline timeline = TimelineFor(random, n);
            Manufacturer[] manufacturers = new Manufacturer[n];
            for (int i = 1; i <= n; i++)
            {
                string name = Brands[(i - 1) % Brands.Length] + (i > Brands.Length ? " " + Id(i) : string.Empty);
                DateTimeOffset created = timeline.Next();
                manufacturers[i - 1] = new Manufacturer
                {
                    SourceId = Id(i),
                    Name = name,
                    Slug = Slugify(name),
                    Description = $"<p>{name} makes things people keep.</p>",
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return manufacturers;
        }

        private Category[] GenerateCategories()
        {
            int n = _options.Categories;
            Random random = RandomFor(EntityType.Categories);
            int[] parents = new int[n + 2];
            bool[] assigned = new bool[n + 2];
            int first = 1;
            if (n >= 5)
            {
                // The planted chain: 1 <- 5 <- 4 <- 3 <- 2, so 2 is at depth 4 and 2, 3, 4 precede their parents.
                parents[1] = 0;
                parents[5] = 1;
                parents[4] = 5;
                parents[3] = 4;
                parents[2] = 3;
                Array.Fill(assigned, true, 1, 5);
                first = 6;
            }

            for (int i = first; i <= n; i++)
            {
                if (assigned[i])
                {
                    continue;
                }

                assigned[i] = true;
                double roll = random.NextDouble();
                if (i == 1 || i == 6 || roll < 0.15)
                {
                    parents[i] = 0;
                }
                else if (roll < 0.23 && i + 1 <= n && !assigned[i + 1])
                {
                    // A child before its parent: i's parent is i + 1, whose own parent has a lower id than i (no cycle).
                    parents[i] = i + 1;
                    parents[i + 1] = random.Next(1, i);
                    assigned[i + 1] = true;
                }
                else
                {
                    parents[i] = random.Next(1, i);
                }
            }

            Timeline timeline = TimelineFor(random, n);
            int[] siblings = new int[n + 1];
            Category[] categories = new Category[n];
            for (int i = 1; i <= n; i++)
            {
                string name = Pick(random, CategoryNames);
                string slug = Slugify(name) + "-" + Id(i);
                int parent = parents[i];
                DateTimeOffset created = timeline.Next();
                categories[i - 1] = new Category
                {
                    SourceId = Id(i),
                    Name = name,
                    Slug = slug,
                    Description = random.Next(3) == 0 ? null : $"<p>Everything in {name}.</p>",
                    ParentId = parent == 0 ? null : Id(parent),
                    Position = siblings[parent]++,
                    Image = random.Next(10) < 3 ? new ImageInfo { SourceId = "cimg-" + Id(i), Url = $"https://images.example.test/categories/{i}.jpg", Alt = name } : null,
                    Seo = random.Next(4) == 0 ? new SeoInfo { Title = name + " | Sample Store", Description = "Shop " + name } : null,
                    Url = $"/product-category/{slug}/",
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return categories;
        }

        private Product[] GenerateProducts()
        {
            int n = _options.Products;
            Random kindRandom = RandomFor(EntityType.Products, 1);
            ProductKind[] kinds = new ProductKind[n + 1];
            for (int i = 1; i <= n; i++)
            {
                double roll = kindRandom.NextDouble();
                kinds[i] = roll < 0.55 ? ProductKind.Simple : roll < 0.88 ? ProductKind.Variable : roll < 0.94 ? ProductKind.Grouped : ProductKind.External;
            }

            ProductKind[] planted = [ProductKind.Simple, ProductKind.Variable, ProductKind.Variable, ProductKind.Grouped, ProductKind.External];
            for (int i = 1; i <= Math.Min(n, planted.Length); i++)
            {
                kinds[i] = planted[i - 1];
            }

            Random random = RandomFor(EntityType.Products);
            Timeline timeline = TimelineFor(random, n);
            Product[] products = new Product[n];
            for (int i = 1; i <= n; i++)
            {
                products[i - 1] = CreateProduct(i, n, kinds, random, timeline.Next(), timeline);
            }

            return products;
        }

        private Product CreateProduct(int i, int n, ProductKind[] kinds, Random random, DateTimeOffset created, Timeline timeline)
        {
            string adjective = Pick(random, Adjectives);
            string material = Pick(random, Materials);
            string noun = Pick(random, Nouns);
            string name = $"{adjective} {material} {noun}";
            string slug = Slugify(name) + "-" + Id(i);
            string sku = $"NC-{i:D6}";
            ProductKind kind = kinds[i];
            Money price = new(random.Next(500, 50_000) / 100m, _currency);
            Money? salePrice = random.Next(5) == 0 ? new Money(Round2(price.Amount * 0.8m), _currency) : null;

            int imageCount = i == 1 ? 2 : random.Next(10) < 2 ? 0 : random.Next(1, 5);
            ImageInfo[] images = new ImageInfo[imageCount];
            for (int k = 0; k < imageCount; k++)
            {
                images[k] = new ImageInfo { SourceId = $"img-{i}-{k + 1}", Url = $"https://images.example.test/products/{i}/{k + 1}.jpg", Alt = name, Position = k };
            }

            string[] categoryIds = _categories.Length == 0 ? [] : DistinctIds(random, random.Next(1, 4), _categories.Length, exclude: 0);
            string[] related = i == 1 ? [.. Enumerable.Range(2, Math.Min(3, n - 1)).Select(x => Id(x))] : DistinctIds(random, random.Next(0, 4), n, exclude: i);
            string[] upsell = i == 1 && n > 1 ? [Id(n)] : DistinctIds(random, random.Next(0, 3), n, exclude: i);
            string[] crossSell = DistinctIds(random, random.Next(0, 3), n, exclude: i);

            ProductOption[] options = [];
            ProductVariant[] variants = [];
            string[] grouped = [];
            if (kind == ProductKind.Variable)
            {
                (options, variants) = CreateVariants(i, sku, price, images, anyValue: i == 3 || random.Next(10) == 0, random);
            }
            else if (kind == ProductKind.Grouped)
            {
                grouped = GroupedChildren(i, n, kinds, random);
            }

            ImmutableSortedDictionary<string, string> extensions = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
            if (random.Next(5) == 0)
            {
                extensions = extensions.Add("woocommerce.tax_status", "taxable").Add("woocommerce.menu_order", Id(random.Next(0, 10)));
            }

            string description = random.Next(10) == 0
                ? $"<p>The {name.ToLowerInvariant()}.</p><p><img src=\"https://images.example.test/descriptions/{i}.jpg\" alt=\"{name}\"></p>"
                : $"<p>The {name.ToLowerInvariant()}, made of {material.ToLowerInvariant()}.</p>";

            int statusRoll = random.Next(100);
            return new Product
            {
                SourceId = Id(i),
                Name = name,
                Sku = sku,
                Slug = slug,
                Description = description,
                ShortDescription = $"<p>{adjective} and {material.ToLowerInvariant()}.</p>",
                Kind = kind,
                Status = statusRoll < 85 ? PublishStatus.Active : statusRoll < 92 ? PublishStatus.Draft : statusRoll < 97 ? PublishStatus.Private : PublishStatus.Archived,
                Price = kind == ProductKind.Grouped ? null : price,
                SalePrice = kind == ProductKind.Grouped ? null : salePrice,
                StockQuantity = kind is ProductKind.Simple && random.Next(10) > 0 ? random.Next(0, 200) : null,
                WeightKg = kind is ProductKind.Simple or ProductKind.Variable ? random.Next(1, 5000) / 1000m : null,
                TaxClass = random.Next(5) == 0 ? "reduced-rate" : "standard",
                ProductType = noun,
                Tags = DistinctWords(random, random.Next(0, 4)),
                Options = options,
                Variants = variants,
                Images = images,
                CategoryIds = categoryIds,
                ManufacturerId = _options.Manufacturers > 0 && random.Next(10) < 6 ? Id(random.Next(1, _options.Manufacturers + 1)) : null,
                RelatedIds = related,
                UpsellIds = upsell,
                CrossSellIds = crossSell,
                GroupedIds = grouped,
                ExternalUrl = kind == ProductKind.External ? $"https://partner.example.test/products/{i}" : null,
                ButtonText = kind == ProductKind.External ? "Buy at partner" : null,
                Seo = random.Next(10) < 3 ? new SeoInfo { Title = name + " | Sample Store", Description = "Buy the " + name.ToLowerInvariant() } : null,
                Url = $"/product/{slug}/",
                Extensions = extensions,
                CreatedAt = created,
                UpdatedAt = timeline.UpdatedAt(created),
            };
        }

        private (ProductOption[] Options, ProductVariant[] Variants) CreateVariants(int productId, string sku, Money price, ImageInfo[] images, bool anyValue, Random random)
        {
            int count = _options.VariantsPerVariableProduct;
            int combos = Sizes.Length * Colors.Length;
            int start = random.Next(combos);
            int step = Pick(random, VariantSteps);
            ProductVariant[] variants = new ProductVariant[count];
            List<string> sizes = [];
            List<string> colors = [];
            for (int k = 0; k < count; k++)
            {
                int combo = (start + (k * step)) % combos;
                string size = Sizes[combo / Colors.Length];
                string? color = anyValue && k == count - 1 ? null : Colors[combo % Colors.Length];
                if (!sizes.Contains(size))
                {
                    sizes.Add(size);
                }

                if (color is not null && !colors.Contains(color))
                {
                    colors.Add(color);
                }

                variants[k] = new ProductVariant
                {
                    SourceId = Id(((long)productId * 100) + k + 1),
                    Sku = $"{sku}-{k + 1:D2}",
                    Barcode = random.Next(3) == 0 ? $"0{productId:D7}{k + 1:D4}" : null,
                    Price = new Money(price.Amount + (Array.IndexOf(Sizes, size) * 2m), _currency),
                    OptionValues = [new OptionValue("Size", size), new OptionValue("Color", color)],
                    StockQuantity = random.Next(0, 50),
                    WeightKg = random.Next(100, 2000) / 1000m,
                    Image = images.Length > 0 && random.Next(3) == 0 ? images[random.Next(images.Length)] : null,
                    Position = k,
                };
            }

            sizes.Sort((a, b) => Array.IndexOf(Sizes, a).CompareTo(Array.IndexOf(Sizes, b)));
            string[] colorValues = anyValue ? Colors : [.. colors];
            ProductOption[] options =
            [
                new ProductOption { Name = "Size", Values = [.. sizes] },
                new ProductOption { Name = "Color", Values = colorValues },
            ];
            return (options, variants);
        }

        private static string[] GroupedChildren(int productId, int n, ProductKind[] kinds, Random random)
        {
            int wanted = random.Next(2, 5);
            List<string> children = [];
            for (int attempt = 0; attempt < 40 && children.Count < wanted; attempt++)
            {
                int candidate = random.Next(1, n + 1);
                string id = Id(candidate);
                if (candidate != productId && kinds[candidate] == ProductKind.Simple && !children.Contains(id))
                {
                    children.Add(id);
                }
            }

            return [.. children];
        }

        private Customer[] GenerateCustomers()
        {
            int n = _options.Customers;
            Random random = RandomFor(EntityType.Customers);
            Timeline timeline = TimelineFor(random, n);
            Customer[] customers = new Customer[n];
            for (int i = 1; i <= n; i++)
            {
                string first = Pick(random, FirstNames);
                string last = Pick(random, LastNames);
                int inBlock = ((i - 1) % 1000) + 1;
                int blockStart = i - inBlock;
                string email = inBlock switch
                {
                    7 => customers[blockStart + 3 - 1].Email!,
                    9 => CaseVariant(customers[blockStart + 5 - 1].Email!),
                    _ => $"{first}.{last}{i}@example.test".ToLowerInvariant(),
                };

                int addressCount = random.Next(1, 3);
                Address[] addresses = new Address[addressCount];
                for (int k = 0; k < addressCount; k++)
                {
                    Address address = CreateAddress(random, first, last, k == 0 ? email : null) with
                    {
                        IsDefaultBilling = k == 0,
                        IsDefaultShipping = k == addressCount - 1,
                    };
                    if (inBlock == 11 && k == 0)
                    {
                        address = address with { Line1 = null, City = null };
                    }

                    addresses[k] = address;
                }

                int groupRoll = random.Next(20);
                DateTimeOffset created = timeline.Next();
                customers[i - 1] = new Customer
                {
                    SourceId = Id(i),
                    Email = email,
                    FirstName = first,
                    LastName = last,
                    Phone = random.Next(10) < 7 ? $"+1-555-{random.Next(100, 1000)}-{random.Next(1000, 10000)}" : null,
                    Group = groupRoll < 16 ? CustomerGroups.General : groupRoll < 18 ? CustomerGroups.Wholesale : groupRoll < 19 ? CustomerGroups.Retailer : CustomerGroups.Vip,
                    AcceptsMarketing = random.Next(2) == 0,
                    Addresses = addresses,
                    Tags = random.Next(4) == 0 ? ["newsletter"] : [],
                    Note = random.Next(10) == 0 ? "Prefers delivery after 5pm." : null,
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return customers;
        }

        private static Address CreateAddress(Random random, string first, string last, string? email)
        {
            (string city, string region, string postal, string country) = Pick(random, Places);
            return new Address
            {
                FirstName = first,
                LastName = last,
                Company = random.Next(8) == 0 ? "Example Ltd" : null,
                Line1 = $"{random.Next(1, 999)} {Pick(random, LastNames)} Street",
                Line2 = random.Next(5) == 0 ? $"Apt {random.Next(1, 50)}" : null,
                City = city,
                Region = region,
                PostalCode = postal,
                CountryCode = country,
                Phone = random.Next(2) == 0 ? $"+1-555-{random.Next(100, 1000)}-{random.Next(1000, 10000)}" : null,
                Email = email,
            };
        }

        private Order[] GenerateOrders()
        {
            int n = _options.Orders;
            Random random = RandomFor(EntityType.Orders);
            Timeline timeline = TimelineFor(random, n);
            Order[] orders = new Order[n];
            DateTimeOffset previous = _options.BaseTime;
            for (int i = 1; i <= n; i++)
            {
                // Ids ending in 5, 6 and 7 share one creation time.
                DateTimeOffset created = i > 1 && (i % 10 == 6 || i % 10 == 7) ? previous : timeline.Next();
                previous = created;
                orders[i - 1] = CreateOrder(i, random, created, timeline);
            }

            return orders;
        }

        private Order CreateOrder(int i, Random random, DateTimeOffset created, Timeline timeline)
        {
            string? customerId;
            string email;
            Address billing;
            string first = Pick(random, FirstNames);
            string last = Pick(random, LastNames);
            if (i % 10 == 2 || _customers.Length == 0)
            {
                customerId = null;
                email = i % 20 == 12 && _customers.Length > 0 ? _customers[(i * 7) % _customers.Length].Email! : $"guest{i}@example.test";
                billing = CreateAddress(random, first, last, email);
            }
            else if (i % 25 == 8)
            {
                customerId = Id(DeletedIdBase + i);
                email = $"deleted.customer{i}@example.test";
                billing = CreateAddress(random, first, last, email);
            }
            else
            {
                Customer customer = _customers[random.Next(_customers.Length)];
                customerId = customer.SourceId;
                email = customer.Email!;
                billing = customer.Addresses[0];
            }

            List<OrderLine> lines = [];
            int lineCount = random.Next(1, 5);
            for (int k = 0; k < lineCount; k++)
            {
                lines.Add(CreateLine(i, lines.Count, random));
            }

            if (i % 20 == 9)
            {
                lines.Add(CustomLine(i, lines.Count, Id(DeletedIdBase + i), $"Discontinued item {i}", $"OLD-{i:D6}", 19.99m, 1));
            }

            if (i % 50 == 33)
            {
                lines.Add(CustomLine(i, lines.Count, null, "Gift wrapping", null, 4.99m, 1));
            }

            string status = i <= OrderStatuses.All.Count ? OrderStatuses.All[i - 1] : RandomStatus(random);
            decimal subtotal = lines.Sum(l => l.Total.Amount);
            decimal tax = lines.Sum(l => l.TaxTotal?.Amount ?? 0m);
            decimal shipping = random.Next(3) switch { 0 => 0m, 1 => 4.99m, _ => 9.99m };
            bool discounted = i % 7 == 0;
            decimal discount = discounted ? Round2(subtotal * 0.1m) : 0m;
            bool paid = status is OrderStatuses.Processing or OrderStatuses.Completed or OrderStatuses.Refunded;
            string payment = Pick(random, PaymentMethods);

            List<OrderNote> notes = [];
            int noteCount = random.Next(0, 3);
            for (int k = 0; k < noteCount; k++)
            {
                notes.Add(new OrderNote { Content = k == 0 ? "Order status changed from Pending payment to Processing." : "Customer asked for gift wrapping.", IsCustomerNote = k == 1, CreatedAt = created.AddMinutes(10 * (k + 1)) });
            }

            return new Order
            {
                SourceId = Id(i),
                Number = Id(1000 + i),
                CustomerId = customerId,
                Email = email,
                Status = status,
                Currency = _currency,
                Lines = lines,
                BillingAddress = billing,
                ShippingAddress = random.Next(5) == 0 ? CreateAddress(random, first, last, null) : billing with { Email = null },
                Subtotal = new Money(subtotal, _currency),
                ShippingTotal = new Money(shipping, _currency),
                TaxTotal = new Money(tax, _currency),
                DiscountTotal = new Money(discount, _currency),
                Total = new Money(subtotal + shipping + tax - discount, _currency),
                PaymentMethod = payment,
                PaymentMethodTitle = payment switch { "stripe" => "Credit card", "paypal" => "PayPal", "bacs" => "Bank transfer", _ => "Cash on delivery" },
                TransactionId = paid ? $"txn_{i:D8}" : null,
                ShippingMethod = shipping == 0m ? "Free shipping" : "Flat rate",
                PaidAt = paid ? created.AddMinutes(5) : null,
                CompletedAt = status == OrderStatuses.Completed ? created.AddDays(2) : null,
                CustomerNote = random.Next(10) == 0 ? "Please leave at the door." : null,
                Notes = notes,
                CouponCodes = discounted && _options.Coupons > 0 ? [CouponCode(1 + (i % _options.Coupons))] : [],
                CreatedAt = created,
                UpdatedAt = timeline.UpdatedAt(created),
            };
        }

        private OrderLine CreateLine(int orderId, int index, Random random)
        {
            Product? product = null;
            for (int attempt = 0; attempt < 6 && _products.Length > 0; attempt++)
            {
                Product candidate = _products[random.Next(_products.Length)];
                if (candidate.Kind != ProductKind.Grouped)
                {
                    product = candidate;
                    break;
                }
            }

            int quantity = random.Next(1, 4);
            if (product is null)
            {
                return CustomLine(orderId, index, null, "Custom item", null, 9.99m, quantity);
            }

            if (product.Variants.Count > 0)
            {
                ProductVariant variant = product.Variants[random.Next(product.Variants.Count)];
                string options = string.Join(" / ", variant.OptionValues.Select(o => o.Value ?? Colors[random.Next(Colors.Length)]));
                return Line(orderId, index, product.SourceId, variant.SourceId, $"{product.Name} - {options}", variant.Sku, variant.Price!.Value.Amount, quantity);
            }

            decimal unit = (product.SalePrice ?? product.Price)?.Amount ?? 9.99m;
            return Line(orderId, index, product.SourceId, null, product.Name, product.Sku, unit, quantity);
        }

        private OrderLine CustomLine(int orderId, int index, string? productId, string name, string? sku, decimal unit, int quantity)
            => Line(orderId, index, productId, null, name, sku, unit, quantity);

        private OrderLine Line(int orderId, int index, string? productId, string? variantId, string name, string? sku, decimal unit, int quantity)
        {
            decimal total = unit * quantity;
            return new OrderLine
            {
                SourceId = Id(((long)orderId * 10) + index + 1),
                ProductId = productId,
                VariantId = variantId,
                Name = name,
                Sku = sku,
                Quantity = quantity,
                UnitPrice = new Money(unit, _currency),
                Total = new Money(total, _currency),
                TaxTotal = new Money(Round2(total * 0.1m), _currency),
            };
        }

        private static string RandomStatus(Random random)
        {
            int roll = random.Next(100);
            return roll switch
            {
                < 55 => OrderStatuses.Completed,
                < 70 => OrderStatuses.Processing,
                < 78 => OrderStatuses.Pending,
                < 83 => OrderStatuses.OnHold,
                < 90 => OrderStatuses.Cancelled,
                < 95 => OrderStatuses.Refunded,
                _ => OrderStatuses.Failed,
            };
        }

        private Review[] GenerateReviews()
        {
            int n = _options.Reviews;
            Random random = RandomFor(EntityType.Reviews);
            Timeline timeline = TimelineFor(random, n);
            Review[] reviews = new Review[n];
            for (int i = 1; i <= n; i++)
            {
                string productId = _products.Length > 0 ? _products[random.Next(_products.Length)].SourceId : Id(DeletedIdBase + i);
                bool guest = i % 4 == 3 || _customers.Length == 0;
                Customer? customer = guest ? null : _customers[random.Next(_customers.Length)];
                int ratingRoll = random.Next(10);
                DateTimeOffset created = timeline.Next();
                reviews[i - 1] = new Review
                {
                    SourceId = Id(i),
                    ProductId = productId,
                    CustomerId = customer?.SourceId,
                    ReviewerName = customer is null ? $"Guest Reviewer {i}" : $"{customer.FirstName} {customer.LastName}",
                    ReviewerEmail = customer?.Email ?? $"reviewer{i}@example.test",
                    Rating = ratingRoll < 5 ? 5 : ratingRoll < 8 ? 4 : ratingRoll < 9 ? 3 : random.Next(1, 3),
                    Content = $"<p>Review {i}: {(ratingRoll < 8 ? "love it" : "could be better")}.</p>",
                    Approved = random.Next(10) > 0,
                    VerifiedBuyer = customer is not null && random.Next(2) == 0,
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return reviews;
        }

        private Coupon[] GenerateCoupons()
        {
            int n = _options.Coupons;
            Random random = RandomFor(EntityType.Coupons);
            Timeline timeline = TimelineFor(random, n);
            Coupon[] coupons = new Coupon[n];
            int products = _products.Length;
            int categories = _categories.Length;
            for (int i = 1; i <= n; i++)
            {
                DiscountKind kind = (DiscountKind)(i % 3);
                DateTimeOffset created = timeline.Next();
                coupons[i - 1] = new Coupon
                {
                    SourceId = Id(i),
                    Code = CouponCode(i),
                    Description = $"Coupon {i}",
                    Kind = kind,
                    Amount = kind == DiscountKind.Percentage ? random.Next(1, 11) * 5m : random.Next(5, 51),
                    Currency = kind == DiscountKind.Percentage ? null : _currency,
                    StartsAt = created,
                    ExpiresAt = random.Next(2) == 0 ? created.AddDays(90) : null,
                    UsageLimit = random.Next(3) == 0 ? random.Next(10, 1000) : null,
                    UsageLimitPerCustomer = random.Next(3) == 0 ? 1 : null,
                    UsageCount = random.Next(0, 50),
                    MinimumAmount = random.Next(4) == 0 ? 50m : null,
                    FreeShipping = random.Next(6) == 0,
                    IndividualUse = random.Next(4) == 0,
                    ProductIds = i % 3 == 1 && products > 0 ? DistinctIds(random, random.Next(1, 4), products, exclude: 0) : [],
                    CategoryIds = i % 3 == 2 && categories > 0 ? DistinctIds(random, random.Next(1, 3), categories, exclude: 0) : [],
                    ExcludedProductIds = i % 4 == 0 && products > 0 ? DistinctIds(random, 1, products, exclude: 0) : [],
                    ExcludedCategoryIds = i % 6 == 0 && categories > 0 ? DistinctIds(random, 1, categories, exclude: 0) : [],
                    EmailRestrictions = i % 5 == 0 && _customers.Length > 0 ? [_customers[random.Next(_customers.Length)].Email!] : [],
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return coupons;
        }

        private Page[] GeneratePages()
        {
            int n = _options.Pages;
            Random random = RandomFor(EntityType.Pages);
            Timeline timeline = TimelineFor(random, n);
            Page[] pages = new Page[n];
            for (int i = 1; i <= n; i++)
            {
                string title = PageTitles[(i - 1) % PageTitles.Length] + (i > PageTitles.Length ? " " + Id(i) : string.Empty);
                string slug = Slugify(title);
                DateTimeOffset created = timeline.Next();
                pages[i - 1] = new Page
                {
                    SourceId = Id(i),
                    Title = title,
                    Slug = slug,
                    Body = i % 3 == 0
                        ? $"<h1>{title}</h1><p><img src=\"https://images.example.test/pages/{i}.jpg\" alt=\"\"></p>"
                        : $"<h1>{title}</h1><p>Text of {title.ToLowerInvariant()}.</p>",
                    Status = random.Next(8) == 0 ? PublishStatus.Draft : PublishStatus.Active,
                    Author = "Store Admin",
                    PublishedAt = created,
                    Seo = random.Next(2) == 0 ? new SeoInfo { Title = title, Description = title + " of the sample store" } : null,
                    Url = $"/{slug}/",
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return pages;
        }

        private BlogPost[] GenerateBlogPosts()
        {
            int n = _options.BlogPosts;
            Random random = RandomFor(EntityType.BlogPosts);
            Timeline timeline = TimelineFor(random, n);
            BlogPost[] posts = new BlogPost[n];
            for (int i = 1; i <= n; i++)
            {
                string title = Pick(random, BlogTopics);
                string slug = Slugify(title) + "-" + Id(i);
                DateTimeOffset created = timeline.Next();
                posts[i - 1] = new BlogPost
                {
                    SourceId = Id(i),
                    Title = title,
                    Slug = slug,
                    Body = $"<p>{title}.</p><p><img src=\"https://images.example.test/blog/{i}-inline.jpg\" alt=\"\"></p>",
                    Excerpt = $"<p>{title}, in short.</p>",
                    Status = random.Next(10) == 0 ? PublishStatus.Draft : PublishStatus.Active,
                    Author = Pick(random, FirstNames),
                    Tags = DistinctWords(random, random.Next(0, 3)),
                    BlogCategories = random.Next(2) == 0 ? ["News"] : ["News", "Guides"],
                    FeaturedImage = random.Next(10) < 7 ? new ImageInfo { SourceId = "bimg-" + Id(i), Url = $"https://images.example.test/blog/{i}.jpg", Alt = title } : null,
                    PublishedAt = created,
                    Seo = random.Next(3) == 0 ? new SeoInfo { Title = title } : null,
                    Url = $"/blog/{slug}/",
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return posts;
        }

        private Redirect[] GenerateRedirects()
        {
            int n = _options.Redirects;
            Random random = RandomFor(EntityType.Redirects);
            Timeline timeline = TimelineFor(random, n);
            Redirect[] redirects = new Redirect[n];
            for (int i = 1; i <= n; i++)
            {
                EntityRef? target = null;
                string? toPath;
                if (i % 4 == 0 && _products.Length > 0)
                {
                    target = EntityRef.Product(_products[random.Next(_products.Length)].SourceId);
                    toPath = null;
                }
                else
                {
                    toPath = (i % 3) switch
                    {
                        0 when _products.Length > 0 => _products[random.Next(_products.Length)].Url,
                        1 when _categories.Length > 0 => _categories[random.Next(_categories.Length)].Url,
                        _ => "/",
                    };
                }

                DateTimeOffset created = timeline.Next();
                redirects[i - 1] = new Redirect
                {
                    SourceId = Id(i),
                    FromPath = $"/old-shop/item-{i}.html",
                    ToPath = toPath,
                    TargetEntity = target,
                    CreatedAt = created,
                    UpdatedAt = timeline.UpdatedAt(created),
                };
            }

            return redirects;
        }

        private static string[] DistinctIds(Random random, int count, int max, int exclude)
        {
            int available = max - (exclude is >= 1 && exclude <= max ? 1 : 0);
            count = Math.Min(count, available);
            if (count <= 0)
            {
                return [];
            }

            int[] picked = new int[count];
            int found = 0;
            while (found < count)
            {
                int candidate = random.Next(1, max + 1);
                if (candidate != exclude && Array.IndexOf(picked, candidate, 0, found) < 0)
                {
                    picked[found++] = candidate;
                }
            }

            string[] ids = new string[count];
            for (int k = 0; k < count; k++)
            {
                ids[k] = Id(picked[k]);
            }

            return ids;
        }

        private static string[] DistinctWords(Random random, int count)
        {
            if (count == 0)
            {
                return [];
            }

            int start = random.Next(Tags.Length);
            string[] words = new string[count];
            for (int k = 0; k < count; k++)
            {
                words[k] = Tags[(start + k) % Tags.Length];
            }

            return words;
        }
    }

    /// <summary>Timestamps that increase with the id, spread over the period, from seeded steps.</summary>
    private sealed class Timeline
    {
        private readonly DateTimeOffset _base;
        private readonly Random _random;
        private readonly long _averageStepSeconds;
        private long _offsetSeconds;

        public Timeline(DateTimeOffset baseTime, Random random, int count, TimeSpan period)
        {
            _base = baseTime;
            _random = random;
            _averageStepSeconds = Math.Max(1, (long)(period.TotalSeconds / Math.Max(1, count)));
        }

        public DateTimeOffset Next()
        {
            _offsetSeconds += _random.NextInt64(1, (2 * _averageStepSeconds) + 1);
            return _base.AddSeconds(_offsetSeconds);
        }

        public DateTimeOffset UpdatedAt(DateTimeOffset created)
            => _random.Next(10) < 3 ? created : created.AddSeconds(_random.NextInt64(60, 30L * 24 * 3600));
    }
}
