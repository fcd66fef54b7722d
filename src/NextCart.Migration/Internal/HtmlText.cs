using System.Net;
using System.Text.RegularExpressions;

namespace NextCart.Migration.Internal;

/// <summary>Turns HTML into plain text for the <see cref="MigrationOptions.StripHtml"/> option.</summary>
internal static partial class HtmlText
{
    public static string? Strip(string? html)
    {
        if (string.IsNullOrEmpty(html) || html.IndexOf('<', StringComparison.Ordinal) < 0 && html.IndexOf('&', StringComparison.Ordinal) < 0)
        {
            return html;
        }

        string text = BlockEnd().Replace(html, "\n");
        text = Tag().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = BlankLines().Replace(text, "\n\n");
        return text.Trim();
    }

    [GeneratedRegex(@"<\s*(br|/p|/div|/li|/h[1-6])\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n\s*\n\s*\n+", RegexOptions.CultureInvariant)]
    private static partial Regex BlankLines();
}
