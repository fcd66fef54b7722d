using NextCart.Migration.Internal;

namespace NextCart.Migration.Tests.Internal;

public class HtmlTextTests
{
    [Theory]
    [InlineData("<p>Soft <b>cotton</b> &amp; linen</p><p>Second</p>", "Soft cotton & linen\nSecond")]
    [InlineData("plain text", "plain text")]
    [InlineData("Line<br/>Break", "Line\nBreak")]
    public void Strip_Html_ReturnsPlainText(string html, string expected)
        => Assert.Equal(expected, HtmlText.Strip(html));

    [Fact]
    public void Strip_Null_ReturnsNull() => Assert.Null(HtmlText.Strip(null));
}
