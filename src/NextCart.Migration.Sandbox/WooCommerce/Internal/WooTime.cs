using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>
/// The site clock and the two forms WordPress gives every date: local time in the site's timezone (<c>date_created</c>) and
/// UTC (<c>date_created_gmt</c>), both as <c>YYYY-MM-DDTHH:MM:SS</c> without an offset.
/// </summary>
internal sealed partial class WooTime
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss";

    private readonly TimeProvider _timeProvider;

    public WooTime(TimeProvider timeProvider, TimeSpan utcOffset)
    {
        _timeProvider = timeProvider;
        UtcOffset = utcOffset;
    }

    public TimeSpan UtcOffset { get; }

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets now in UTC, truncated to whole seconds as MySQL <c>DATETIME</c> stores it.</summary>
    public DateTimeOffset Now()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow().ToUniversalTime();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    public string Local(DateTimeOffset utc) => utc.ToUniversalTime().Add(UtcOffset).DateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string Gmt(DateTimeOffset utc) => utc.ToUniversalTime().DateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Sets <c>{field}</c> and <c>{field}_gmt</c>, or both to null.</summary>
    public void Set(JsonObject o, string field, DateTimeOffset? utc)
    {
        o[field] = utc is { } value ? Local(value) : null;
        o[field + "_gmt"] = utc is { } v ? Gmt(v) : null;
    }

    /// <summary>Reads the UTC instant of <c>{field}_gmt</c>.</summary>
    public static DateTimeOffset? ReadGmt(JsonObject o, string field)
        => Json.Str(o[field + "_gmt"]) is { Length: > 0 } text
            && DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime value)
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : null;

    /// <summary>Reads the local wall-clock value of <c>{field}</c>.</summary>
    public static DateTime? ReadLocal(JsonObject o, string field)
        => Json.Str(o[field]) is { Length: > 0 } text
            && DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value)
            ? value
            : null;

    /// <summary>Whether a value passes <c>rest_parse_date</c> (RFC 3339, with or without an offset).</summary>
    public static bool IsValidDate(string value) => DatePattern().IsMatch(value);

    /// <summary>
    /// Interprets a date parameter or field value: with an offset or <c>Z</c> it is an instant; without one it is local site
    /// time, or UTC when <paramref name="assumeGmt"/> is set (a <c>_gmt</c> field or <c>dates_are_gmt=true</c>).
    /// </summary>
    public DateTimeOffset? ParseInstant(string? value, bool assumeGmt)
    {
        if (string.IsNullOrWhiteSpace(value) || !IsValidDate(value.Trim()))
        {
            return null;
        }

        string text = value.Trim().Replace(' ', 'T');
        bool hasOffset = text.EndsWith('Z') || text.EndsWith('z') || OffsetPattern().IsMatch(text);
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset instant)
                ? Truncate(instant.ToUniversalTime())
                : null;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime wall))
        {
            return null;
        }

        TimeSpan offset = assumeGmt ? TimeSpan.Zero : UtcOffset;
        return Truncate(new DateTimeOffset(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), offset).ToUniversalTime());
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"[+-]\d{2}(:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();
}
