namespace NextCart.Migration.Shopify.Tests;

/// <summary>Finds the shared reference data: the first ancestor of the test's base directory that has <c>shared/data</c>.</summary>
internal static class SharedData
{
    public static string Find(string relativePath)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("shared/data/" + relativePath + " was not found above " + AppContext.BaseDirectory);
    }
}
