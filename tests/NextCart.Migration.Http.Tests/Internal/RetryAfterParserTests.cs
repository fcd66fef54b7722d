using NextCart.Migration.Http.Internal;

namespace NextCart.Migration.Http.Tests.Internal;

public class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120)]
    [InlineData("2.0", 2)]
    [InlineData(" 0.5 ", 0.5)]
    [InlineData("0", 0)]
    [InlineData("Sun, 01 Mar 2026 12:00:30 GMT", 30)]
    [InlineData("Sun, 01 Mar 2026 11:59:00 GMT", 0)]
    [InlineData("99999999", 86400)]
    public void Parse_ValidValue_Delay(string value, double expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterParser.Parse(value, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Parse_InvalidValue_Null(string? value)
        => Assert.Null(RetryAfterParser.Parse(value, Now));
}
