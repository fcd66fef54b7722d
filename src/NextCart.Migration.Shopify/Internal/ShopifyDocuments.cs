namespace NextCart.Migration.Shopify.Internal;

/// <summary>
/// Every GraphQL document the Shopify connectors send, as constants, so that a test can enumerate them by reflection and validate
/// each against the published Admin API 2026-01 schema. Mutations are written for one record; <see cref="GraphQLBatch"/> aliases
/// several copies of one into a single request.
/// </summary>
internal static class ShopifyDocuments
{
    /// <summary>The metafield namespace that carries the source identity.</summary>
    public const string Namespace = "nextcart";

    /// <summary>The metafield key that carries the source identity.</summary>
    public const string SourceIdKey = "source_id";

    private const string PageInfo = "pageInfo { hasNextPage endCursor }";
    private const string SourceIdField = "sourceId: metafield(namespace: \"nextcart\", key: \"source_id\") { value }";
    private const string Address = "address1 address2 city company countryCodeV2 provinceCode zip phone firstName lastName";
    private const string UserErrors = "userErrors { field message }";
    private const string CodedUserErrors = "userErrors { field message code }";

    public const string Shop = "query Shop { shop { name myshopifyDomain currencyCode } }";

    public const string ProductFields =
        "id legacyResourceId title handle descriptionHtml vendor productType status tags createdAt updatedAt seo { title description } "
        + "options { id name position optionValues { id name } } "
        + "variants(first: $variants) { nodes { id title sku barcode price compareAtPrice position inventoryQuantity inventoryPolicy taxable selectedOptions { name value } } " + PageInfo + " } "
        + "media(first: $media) { nodes { ... on MediaImage { id alt image { url altText } } } " + PageInfo + " } "
        + "collections(first: $collections) { nodes { id } " + PageInfo + " } "
        + SourceIdField;

    public const string Products =
        "query Products($first: Int!, $after: String, $query: String, $variants: Int!, $media: Int!, $collections: Int!) { products(first: $first, after: $after, query: $query, sortKey: ID) { nodes { "
        + ProductFields + " } " + PageInfo + " } }";

    public const string ProductVariantsPage =
        "query ProductVariants($id: ID!, $first: Int!, $after: String) { product(id: $id) { variants(first: $first, after: $after) { nodes { id title sku barcode price compareAtPrice position inventoryQuantity inventoryPolicy taxable selectedOptions { name value } } "
        + PageInfo + " } } }";

    public const string Collections =
        "query Collections($first: Int!, $after: String, $query: String) { collections(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id handle title descriptionHtml updatedAt seo { title description } "
        + SourceIdField + " } " + PageInfo + " } }";

    public const string Customers =
        "query Customers($first: Int!, $after: String, $query: String, $addresses: Int!) { customers(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } defaultAddress { id } "
        + "addressesV2(first: $addresses) { nodes { id " + Address + " } } tags note taxExempt createdAt updatedAt " + SourceIdField + " } " + PageInfo + " } }";

    public const string Orders =
        "query Orders($first: Int!, $after: String, $query: String, $lines: Int!) { orders(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id name email phone createdAt updatedAt processedAt currencyCode displayFinancialStatus displayFulfillmentStatus note tags sourceName sourceIdentifier "
        + "totalPriceSet { shopMoney { amount currencyCode } } subtotalPriceSet { shopMoney { amount currencyCode } } totalTaxSet { shopMoney { amount currencyCode } } totalShippingPriceSet { shopMoney { amount currencyCode } } "
        + "billingAddress { " + Address + " } shippingAddress { " + Address + " } customer { id } "
        + "lineItems(first: $lines) { nodes { id title sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } } variant { id title } product { id } } " + PageInfo + " } "
        + SourceIdField + " } " + PageInfo + " } }";

    public const string Pages =
        "query Pages($first: Int!, $after: String, $query: String) { pages(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id title handle body isPublished publishedAt createdAt updatedAt "
        + SourceIdField + " } " + PageInfo + " } }";

    public const string Blogs = "query Blogs($first: Int!, $query: String) { blogs(first: $first, query: $query) { nodes { id handle title } } }";

    public const string Articles =
        "query Articles($first: Int!, $after: String, $query: String) { articles(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id title handle body summary author { name } blog { id handle } tags isPublished publishedAt createdAt updatedAt "
        + SourceIdField + " } " + PageInfo + " } }";

    public const string Discounts =
        "query Discounts($first: Int!, $after: String, $query: String, $items: Int!) { discountNodes(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id discount { __typename "
        + "... on DiscountCodeBasic { title status startsAt endsAt usageLimit appliesOncePerCustomer codes(first: 1) { nodes { code } } "
        + "customerGets { value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } } "
        + "items { ... on AllDiscountItems { allItems } ... on DiscountProducts { products(first: $items) { nodes { id } } } ... on DiscountCollections { collections(first: $items) { nodes { id } } } } } "
        + "minimumRequirement { ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount currencyCode } } ... on DiscountMinimumQuantity { greaterThanOrEqualToQuantity } } } } "
        + SourceIdField + " } " + PageInfo + " } }";

    public const string UrlRedirects =
        "query UrlRedirects($first: Int!, $after: String, $query: String) { urlRedirects(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id path target } " + PageInfo + " } }";

    public const string ProductsCount = "query ProductsCount($query: String) { productsCount(query: $query, limit: null) { count precision } }";

    public const string CustomersCount = "query CustomersCount($query: String) { customersCount(query: $query, limit: null) { count precision } }";

    public const string OrdersCount = "query OrdersCount($query: String) { ordersCount(query: $query, limit: null) { count precision } }";

    public const string CollectionsCount = "query CollectionsCount($query: String) { collectionsCount(query: $query, limit: null) { count precision } }";

    public const string DiscountsCount = "query DiscountsCount($query: String) { discountNodesCount(query: $query, limit: null) { count precision } }";

    public const string UrlRedirectsCount = "query UrlRedirectsCount($query: String) { urlRedirectsCount(query: $query, limit: null) { count precision } }";

    public const string PagesCount = "query PagesCount { pagesCount(limit: null) { count precision } }";


    // ------------------------------------------------------------------ lookups (aliased several per request)

    public const string ProductByIdentifier =
        "query ProductByIdentifier($identifier: ProductIdentifierInput!, $variants: Int!) { productByIdentifier(identifier: $identifier) { id handle "
        + SourceIdField + " variants(first: $variants) { nodes { id " + SourceIdField + " } } } }";

    public const string CustomerByIdentifier =
        "query CustomerByIdentifier($identifier: CustomerIdentifierInput!) { customerByIdentifier(identifier: $identifier) { id " + SourceIdField + " } }";

    public const string OrderSearch =
        "query OrderSearch($query: String!) { orders(first: 1, query: $query) { nodes { id name sourceIdentifier " + SourceIdField + " } } }";

    public const string CollectionSearch =
        "query CollectionSearch($query: String!) { collections(first: 1, query: $query) { nodes { id handle title " + SourceIdField + " } } }";

    public const string PageSearch =
        "query PageSearch($query: String!) { pages(first: 1, query: $query) { nodes { id handle " + SourceIdField + " } } }";

    public const string ArticleSearch =
        "query ArticleSearch($query: String!) { articles(first: 1, query: $query) { nodes { id handle blog { handle } " + SourceIdField + " } } }";

    // collectionByIdentifier takes CollectionIdentifierInput { id handle customId } (admin 2026-01; shopify.dev input-objects/CollectionIdentifierInput):
    // customId resolves the nextcart.source_id metafield through its unique-values definition, exactly as for products and customers.
    public const string CollectionByIdentifier =
        "query CollectionByIdentifier($identifier: CollectionIdentifierInput!) { collectionByIdentifier(identifier: $identifier) { id handle title " + SourceIdField + " } }";

    // codeDiscountNodeByCode(code:) returns the DiscountCodeNode with that code, compared case-insensitively (shopify.dev queries/codeDiscountNodeByCode).
    public const string CodeDiscountByCode =
        "query CodeDiscountByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id " + SourceIdField + " } }";

    public const string RedirectSearch =
        "query RedirectSearch($query: String!) { urlRedirects(first: 1, query: $query) { nodes { id path target } } }";


    // ------------------------------------------------------------------ mutations (one record each; aliased by GraphQLBatch)

    public const string MetafieldDefinitionCreate =
        "mutation MetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) { createdDefinition { id } " + CodedUserErrors + " } }";

    public const string ProductSet =
        "mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!, $variants: Int!) { productSet(identifier: $identifier, input: $input, synchronous: true) { product { id handle variants(first: $variants) { nodes { id sku selectedOptions { name value } } } } "
        + CodedUserErrors + " } }";

    public const string CollectionCreate =
        "mutation CollectionCreate($input: CollectionInput!) { collectionCreate(input: $input) { collection { id handle } " + UserErrors + " } }";

    public const string CollectionUpdate =
        "mutation CollectionUpdate($input: CollectionInput!) { collectionUpdate(input: $input) { collection { id handle } " + UserErrors + " } }";

    public const string CollectionAddProducts =
        "mutation CollectionAddProducts($id: ID!, $productIds: [ID!]!) { collectionAddProducts(id: $id, productIds: $productIds) { collection { id } " + UserErrors + " } }";

    public const string CustomerSet =
        "mutation CustomerSet($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) { customerSet(identifier: $identifier, input: $input) { customer { id } " + CodedUserErrors + " } }";

    public const string OrderCreate =
        "mutation OrderCreate($order: OrderCreateOrderInput!) { orderCreate(order: $order, options: { sendReceipt: false, sendFulfillmentReceipt: false, inventoryBehaviour: BYPASS }) { order { id name } "
        + CodedUserErrors + " } }";

    public const string OrderUpdate =
        "mutation OrderUpdate($input: OrderInput!) { orderUpdate(input: $input) { order { id name } " + UserErrors + " } }";

    public const string DiscountCodeBasicCreate =
        "mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) { codeDiscountNode { id } " + CodedUserErrors + " } }";

    public const string DiscountCodeBasicUpdate =
        "mutation DiscountCodeBasicUpdate($id: ID!, $basicCodeDiscount: DiscountCodeBasicInput!) { discountCodeBasicUpdate(id: $id, basicCodeDiscount: $basicCodeDiscount) { codeDiscountNode { id } " + CodedUserErrors + " } }";

    public const string PageCreate =
        "mutation PageCreate($page: PageCreateInput!) { pageCreate(page: $page) { page { id handle } " + CodedUserErrors + " } }";

    public const string PageUpdate =
        "mutation PageUpdate($id: ID!, $page: PageUpdateInput!) { pageUpdate(id: $id, page: $page) { page { id handle } " + CodedUserErrors + " } }";

    public const string BlogCreate =
        "mutation BlogCreate($blog: BlogCreateInput!) { blogCreate(blog: $blog) { blog { id handle } " + CodedUserErrors + " } }";

    public const string ArticleCreate =
        "mutation ArticleCreate($article: ArticleCreateInput!) { articleCreate(article: $article) { article { id handle } " + CodedUserErrors + " } }";

    public const string ArticleUpdate =
        "mutation ArticleUpdate($id: ID!, $article: ArticleUpdateInput!) { articleUpdate(id: $id, article: $article) { article { id handle } " + CodedUserErrors + " } }";

    public const string UrlRedirectCreate =
        "mutation UrlRedirectCreate($urlRedirect: UrlRedirectInput!) { urlRedirectCreate(urlRedirect: $urlRedirect) { urlRedirect { id path target } " + CodedUserErrors + " } }";

    public const string UrlRedirectUpdate =
        "mutation UrlRedirectUpdate($id: ID!, $urlRedirect: UrlRedirectInput!) { urlRedirectUpdate(id: $id, urlRedirect: $urlRedirect) { urlRedirect { id path target } " + CodedUserErrors + " } }";

    public const string MetafieldsSet =
        "mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { id } " + CodedUserErrors + " } }";

    public const string ProductDelete = "mutation ProductDelete($id: ID!) { productDelete(input: { id: $id }) { deletedProductId " + UserErrors + " } }";

    public const string CollectionDelete = "mutation CollectionDelete($id: ID!) { collectionDelete(input: { id: $id }) { deletedCollectionId " + UserErrors + " } }";

    public const string CustomerDelete = "mutation CustomerDelete($id: ID!) { customerDelete(input: { id: $id }) { deletedCustomerId " + UserErrors + " } }";

    public const string OrderDelete = "mutation OrderDelete($id: ID!) { orderDelete(orderId: $id) { deletedId " + CodedUserErrors + " } }";

    public const string PageDelete = "mutation PageDelete($id: ID!) { pageDelete(id: $id) { deletedPageId " + CodedUserErrors + " } }";

    public const string ArticleDelete = "mutation ArticleDelete($id: ID!) { articleDelete(id: $id) { deletedArticleId " + CodedUserErrors + " } }";

    public const string DiscountCodeDelete = "mutation DiscountCodeDelete($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId " + CodedUserErrors + " } }";

    public const string UrlRedirectDelete = "mutation UrlRedirectDelete($id: ID!) { urlRedirectDelete(id: $id) { deletedUrlRedirectId " + CodedUserErrors + " } }";

    // ------------------------------------------------------------------ id sweeps for clearing and for counting where no count query answers

    public const string ProductIds = "query ProductIds($first: Int!, $after: String, $query: String) { products(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string CollectionIds = "query CollectionIds($first: Int!, $after: String, $query: String) { collections(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string CustomerIds = "query CustomerIds($first: Int!, $after: String, $query: String) { customers(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string OrderIds = "query OrderIds($first: Int!, $after: String, $query: String) { orders(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string PageIds = "query PageIds($first: Int!, $after: String, $query: String) { pages(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string ArticleIds = "query ArticleIds($first: Int!, $after: String, $query: String) { articles(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string DiscountIds = "query DiscountIds($first: Int!, $after: String, $query: String) { discountNodes(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string UrlRedirectIds = "query UrlRedirectIds($first: Int!, $after: String, $query: String) { urlRedirects(first: $first, after: $after, query: $query, sortKey: ID) { nodes { id } " + PageInfo + " } }";

    public const string ProductFirstVariant = "query ProductFirstVariant($identifier: ProductIdentifierInput!) { productByIdentifier(identifier: $identifier) { id variants(first: 1) { nodes { id } } } }";

    // ------------------------------------------------------------------ newest pages, articles and discounts: the last resort for a lookup by source id alone

    public const string RecentPages = "query RecentPages($first: Int!) { pages(first: $first, reverse: true, sortKey: ID) { nodes { id handle " + SourceIdField + " } } }";

    public const string RecentArticles = "query RecentArticles($first: Int!) { articles(first: $first, reverse: true, sortKey: ID) { nodes { id handle blog { handle } " + SourceIdField + " } } }";

    public const string RecentDiscounts = "query RecentDiscounts($first: Int!) { discountNodes(first: $first, reverse: true, sortKey: ID) { nodes { id " + SourceIdField + " } } }";
}
