namespace NextCart.Migration.ConsoleHost.Tests.Infrastructure;

/// <summary>A temporary directory for a test's SQLite store and report files.</summary>
internal sealed class TestDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nextcart-cli-").FullName;

    public string Store => "sqlite:" + System.IO.Path.Combine(Path, "store.db");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold the file for a moment; the OS temp cleanup takes it.
        }
    }
}
