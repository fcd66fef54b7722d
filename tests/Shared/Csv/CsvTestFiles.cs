using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.TestSupport.Csv;

/// <summary>Paths of the test CSV files and helpers to read every page of a source.</summary>
internal static class CsvTestFiles
{
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Csv", "Data", name);

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nextcart-csv-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<(List<Entity> Records, List<RecordIssue> Errors, List<string?> Tokens)> ReadAllAsync(ISourceConnector source, EntityType type, string? token = null)
    {
        List<Entity> records = [];
        List<RecordIssue> errors = [];
        List<string?> tokens = [];
        await foreach (SourcePage page in source.ReadAsync(type, SourceQuery.All, token))
        {
            records.AddRange(page.Records);
            errors.AddRange(page.Errors);
            tokens.Add(page.ResumeToken);
        }

        return (records, errors, tokens);
    }
}
