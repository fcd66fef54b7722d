using NextCart.Migration.Shopify.Csv;
using static NextCart.Migration.TestSupport.Csv.CsvTestFiles;

namespace NextCart.Migration.Shopify.Tests.Csv;

public sealed class FinishedHandlesTests
{
    [Fact]
    public async Task Add_DifferentHandlesSharingAHash_AreAllKeptAndARepeatIsRefused()
    {
        string path = Path.Combine(TempDirectory(), "products.csv");
        await File.WriteAllTextAsync(path, "Handle,Title\nmug,Mug\ncap,Cap\npen,Pen\nCap,Cap again\n");

        // Every handle hashes alike: each new handle is confirmed by reading the rows before its group.
        var handles = new ShopifyCsvSource.FinishedHandles(path, handleIndex: 0, hash: _ => 7);

        Assert.True(handles.Add("mug", 2));
        Assert.True(handles.Add("cap", 3));
        Assert.True(handles.Add("pen", 4));
        Assert.False(handles.Add("Cap", 5));
    }
}
