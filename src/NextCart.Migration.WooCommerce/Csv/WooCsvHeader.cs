using System.Text.RegularExpressions;

namespace NextCart.Migration.WooCommerce.Csv;

/// <summary>The columns of one WooCommerce product CSV, as found in its header row.</summary>
internal sealed class WooCsvHeader
{
    private readonly Dictionary<string, int> _fixed = new(StringComparer.Ordinal);

    private WooCsvHeader(string[] names) => Names = names;

    public string[] Names { get; }

    public int WeightIndex { get; private set; } = -1;

    public string WeightUnit { get; private set; } = "kg";

    /// <summary>
    /// The dimension columns (<c>Length (cm)</c>, ...) with each one's extension key suffix (<c>{dimension}_cm</c>). Arrays
    /// made once per header, like <see cref="Attributes"/> and <see cref="Downloads"/>: the reader walks them for every row.
    /// </summary>
    public (string Dimension, string KeySuffix, int Index, string Unit)[] Dimensions { get; private set; } = [];

    /// <summary>Attribute columns in number order: name, value(s), visible, global, default.</summary>
    public (int Number, int[] Slots)[] Attributes { get; private set; } = [];

    /// <summary>Download columns in number order: ID, name, URL.</summary>
    public (int Number, int[] Slots)[] Downloads { get; private set; } = [];

    /// <summary>The <c>Meta: key</c> columns.</summary>
    public List<(string Key, int Index)> Meta { get; } = [];

    /// <summary>Columns this connector does not know, kept in the extension bag.</summary>
    public List<(string Name, int Index)> Unknown { get; } = [];

    public int this[string column] => _fixed.GetValueOrDefault(column, -1);

    /// <summary>Parses a header row's names (trimmed, without a byte-order mark: <c>CsvText.HeaderNames</c>), or lists what is missing.</summary>
    public static WooCsvHeader Parse(string[] names, out List<string> missing)
    {
        var header = new WooCsvHeader(names);
        Dictionary<string, (int Index, string Unit)> dimensions = new(StringComparer.Ordinal);
        SortedDictionary<int, int[]> attributes = [];
        SortedDictionary<int, int[]> downloads = [];
        HashSet<string> known = [.. WooCsvFormat.FixedBeforeUnits, .. WooCsvFormat.FixedAfterUnits, WooCsvFormat.CostOfGoods];
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i];
            Match m;
            if (known.Contains(name))
            {
                header._fixed.TryAdd(name, i);
            }
            else if ((m = WooCsvFormat.UnitColumn().Match(name)).Success)
            {
                if (m.Groups[1].Value == "Weight")
                {
                    header.WeightIndex = i;
                    header.WeightUnit = m.Groups[2].Value;
                }
                else
                {
                    dimensions[m.Groups[1].Value.ToLowerInvariant()] = (i, m.Groups[2].Value);
                }
            }
            else if ((m = WooCsvFormat.AttributeColumn().Match(name)).Success)
            {
                int n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                int[] slots = attributes.TryGetValue(n, out int[]? s) ? s : attributes[n] = [-1, -1, -1, -1, -1];
                slots[m.Groups[2].Value switch { "name" => 0, "value(s)" => 1, "visible" => 2, "global" => 3, _ => 4 }] = i;
            }
            else if ((m = WooCsvFormat.DownloadColumn().Match(name)).Success)
            {
                int n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                int[] slots = downloads.TryGetValue(n, out int[]? s) ? s : downloads[n] = [-1, -1, -1];
                slots[m.Groups[2].Value switch { "ID" => 0, "name" => 1, _ => 2 }] = i;
            }
            else if (name.StartsWith("Meta: ", StringComparison.Ordinal))
            {
                header.Meta.Add((name["Meta: ".Length..], i));
            }
            else if (name.Length > 0)
            {
                header.Unknown.Add((name, i));
            }
        }

        header.Attributes = [.. attributes.Select(a => (a.Key, a.Value))];
        header.Downloads = [.. downloads.Select(d => (d.Key, d.Value))];
        header.Dimensions = [.. dimensions.Select(d => (d.Key, d.Key + "_cm", d.Value.Index, d.Value.Unit))];
        missing = WooCsvFormat.Required.Where(r => header[r] < 0).ToList();
        if (header[WooCsvFormat.Id] < 0 && header[WooCsvFormat.Sku] < 0)
        {
            missing.Add($"{WooCsvFormat.Id} or {WooCsvFormat.Sku}");
        }

        return header;
    }
}
