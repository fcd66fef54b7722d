using NextCart.Migration.Sqlite.Internal;

namespace NextCart.Migration.Sqlite.Tests.Internal;

public sealed class SqliteValuesTests
{
    public static TheoryData<DateTimeOffset> Instants => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1),
        new DateTimeOffset(2025, 3, 1, 14, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567),
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void ParseInstant_FormattedInstant_RoundTripsToTheTick(DateTimeOffset value)
    {
        string text = SqliteValues.ToText(value);

        DateTimeOffset parsed = SqliteValues.ParseInstant(text);

        Assert.Equal(28, text.Length);
        Assert.Equal(value.UtcTicks, parsed.UtcTicks);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Fact]
    public void ToText_Instants_SortAsText()
    {
        DateTimeOffset[] instants = [.. Instants.Cast<object[]>().Select(row => (DateTimeOffset)row[0])];

        Assert.Equal(instants.OrderBy(i => i.UtcTicks).Select(SqliteValues.ToText), instants.Select(SqliteValues.ToText).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0.8")]
    [InlineData("1.0")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-0.0000000000000000000000000001")]
    public void ParseDecimal_FormattedDecimal_RoundTripsWithItsScale(string text)
    {
        decimal value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(text, SqliteValues.ToText(SqliteValues.ParseDecimal(SqliteValues.ToText(value))));
    }
}
