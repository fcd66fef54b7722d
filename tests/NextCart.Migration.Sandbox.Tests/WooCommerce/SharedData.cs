namespace NextCart.Migration.Sandbox.Tests.WooCommerce;

/// <summary>Finds the repository's shared reference data: the first ancestor of the test's base directory that has <c>shared/data</c>.</summary>
internal static class SharedData
{
    public static string DocExamplesDirectory { get; } = Locate("woocommerce", "rest-v3-doc-examples");

    private static string Locate(params string[] parts)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return Path.Combine([candidate, .. parts]);
            }
        }

        throw new DirectoryNotFoundException($"No 'shared/data' directory above {AppContext.BaseDirectory}; the doc-example contract test needs ../shared/data/woocommerce/rest-v3-doc-examples.");
    }
}
