using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>The settings that change WooCommerce behaviour, copied from the options at start.</summary>
internal sealed record WooSettings(int BatchLimit, bool CalculateTaxes, IReadOnlyList<string> UnreachableImageHosts, string Currency, string Version);

/// <summary>What every resource shares: the store, the clock, the settings and the helpers WordPress and WooCommerce core provide.</summary>
internal sealed class WooContext
{
    private readonly HashSet<string> _uploads = new(StringComparer.OrdinalIgnoreCase);

    public WooContext(WooStore store, WooSettings settings)
    {
        Store = store;
        Settings = settings;
        Index = new CatalogIndex(store);
    }

    public CatalogIndex Index { get; }

    public WooStore Store { get; }

    public WooTime Time => Store.Time;

    public WooSettings Settings { get; }

    public string RestUrl(string route) => Store.SiteUrl + "/wp-json" + route;

    public static JsonObject Link(string href) => new() { ["href"] = href };

    public static JsonArray Links(string href) => [Link(href)];

    /// <summary><c>sanitize_title</c>: lower case, accents removed, anything else but letters, digits, dashes and underscores dropped.</summary>
    public static string SanitizeTitle(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        string decomposed = value.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        StringBuilder builder = new(decomposed.Length);
        bool dash = false;
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                builder.Append(c);
                dash = false;
            }
            else if ((char.IsWhiteSpace(c) || c == '-' || c == '.' || c == '/') && !dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        return builder.ToString().Trim('-');
    }

    /// <summary><c>wp_unique_post_slug</c>: the slug, or the slug with <c>-2</c>, <c>-3</c>, … when another record of the table uses it.</summary>
    public static string UniqueSlug(string slug, IEnumerable<JsonObject> others, long selfId)
    {
        HashSet<string> taken = new(StringComparer.OrdinalIgnoreCase);
        foreach (JsonObject other in others)
        {
            if (Json.Long(other, "id") != selfId && Json.Str(other, "status") != "trash")
            {
                taken.Add(Json.Str(other, "slug"));
            }
        }

        if (!taken.Contains(slug))
        {
            return slug;
        }

        for (int suffix = 2; ; suffix++)
        {
            string candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{suffix}");
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Applies a <c>meta_data</c> argument as <c>WC_Data::update_meta_data</c> does; a null value deletes the entry.</summary>
    public void ApplyMeta(JsonObject target, JsonNode? metaArgument)
    {
        if (metaArgument is not JsonArray requested)
        {
            return;
        }

        JsonArray current = target["meta_data"] as JsonArray ?? [];
        List<JsonObject> entries = [.. current.OfType<JsonObject>().Select(Json.Clone)];
        foreach (JsonObject meta in requested.OfType<JsonObject>())
        {
            string key = Json.Str(meta["key"]) ?? string.Empty;
            JsonNode? value = Json.Clone(meta["value"]);
            long id = Json.Long(meta["id"]);
            JsonObject? existing = id > 0 ? entries.FirstOrDefault(e => Json.Long(e, "id") == id) : null;
            if (existing is null && key.Length > 0)
            {
                List<JsonObject> sameKey = [.. entries.Where(e => Json.Str(e, "key") == key)];
                existing = sameKey.FirstOrDefault();
                foreach (JsonObject duplicate in sameKey.Skip(1))
                {
                    entries.Remove(duplicate);
                }
            }

            if (Json.IsNull(value))
            {
                if (existing is not null)
                {
                    entries.Remove(existing);
                }

                continue;
            }

            if (existing is not null)
            {
                if (key.Length > 0)
                {
                    existing["key"] = key;
                }

                existing["value"] = value;
            }
            else if (key.Length > 0)
            {
                entries.Add(new JsonObject { ["id"] = Store.NextMetaId(), ["key"] = key, ["value"] = value });
            }
        }

        target["meta_data"] = Json.Array(entries);
    }

    /// <summary>Creates meta entries with fresh ids.</summary>
    public JsonArray NewMeta(params (string Key, JsonNode? Value)[] entries)
        => Json.Array(entries.Select(e => (JsonNode?)new JsonObject { ["id"] = Store.NextMetaId(), ["key"] = e.Key, ["value"] = e.Value }));

    /// <summary>
    /// Resolves an image argument (<c>{id}</c> of an existing attachment, or <c>{src}</c> to sideload) to an attachment, as
    /// <c>WC_REST_Products_Controller::set_product_images</c> does. A sideloaded image gets a new attachment whose <c>src</c>
    /// is the uploads URL, as WordPress copies the file into <c>wp-content/uploads</c>.
    /// </summary>
    public JsonObject ResolveImage(JsonObject image, string errorCode)
    {
        long id = Json.Long(image["id"]);
        JsonObject? attachment;
        if (id == 0 && Json.Str(image["src"]) is { Length: > 0 } src)
        {
            attachment = Sideload(src, errorCode);
        }
        else
        {
            attachment = Store.Attachments.Find(id)
                ?? throw new RestException(errorCode == "woocommerce_product_image_upload_error" ? "woocommerce_product_invalid_image_id" : "woocommerce_term_invalid_image_id", $"#{id} is an invalid image ID.", 400);
        }

        if (Json.Str(image["alt"]) is { Length: > 0 } alt)
        {
            attachment["alt"] = alt;
        }

        if (Json.Str(image["name"]) is { Length: > 0 } name)
        {
            attachment["name"] = name;
        }

        return attachment;
    }

    /// <summary>Creates an attachment for an image URL, checking it as <c>wc_rest_upload_image_from_url</c> does.</summary>
    public JsonObject Sideload(string src, string errorCode)
    {
        if (!Uri.TryCreate(src, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new RestException(errorCode, $"Invalid URL {src}.", 400);
        }

        if (Settings.UnreachableImageHosts.Any(host => uri.Host.EndsWith(host, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RestException(errorCode, $"Error getting remote image {src}. Error: Could not resolve host: {uri.Host}", 400);
        }

        string fileName = Path.GetFileName(Uri.UnescapeDataString(uri.AbsolutePath));
        if (string.IsNullOrEmpty(fileName) || string.IsNullOrEmpty(Path.GetExtension(fileName)))
        {
            throw new RestException(errorCode, $"Invalid image: {src}", 400);
        }

        DateTimeOffset now = Time.Now();
        string folder = string.Create(CultureInfo.InvariantCulture, $"{now.Year:D4}/{now.Month:D2}/");
        string stem = Path.GetFileNameWithoutExtension(fileName);
        string extension = Path.GetExtension(fileName);
        string candidate = fileName;
        for (int n = 1; !_uploads.Add(folder + candidate); n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}{extension}");
        }

        return CreateAttachment(Store.SiteUrl + "/wp-content/uploads/" + folder + candidate, stem, string.Empty, now);
    }

    /// <summary>Creates an attachment record (an image already in the media library).</summary>
    public JsonObject CreateAttachment(string src, string name, string alt, DateTimeOffset created)
    {
        JsonObject attachment = new() { ["id"] = Store.NextPostId() };
        Time.Set(attachment, "date_created", created);
        Time.Set(attachment, "date_modified", created);
        attachment["src"] = src;
        attachment["name"] = name;
        attachment["alt"] = alt;
        Store.Attachments.Put(attachment);
        return attachment;
    }

    /// <summary>Renders an attachment as products and categories show images.</summary>
    public static JsonObject ImageView(JsonObject attachment)
    {
        JsonObject view = Json.Public(attachment);
        return view;
    }

    /// <summary>The Gravatar URL WordPress derives from an e-mail (<c>get_avatar_url</c>).</summary>
    public static string Gravatar(string email, int size = 96)
        => string.Create(CultureInfo.InvariantCulture, $"https://secure.gravatar.com/avatar/{EmailHash(email)}?s={size}&d=mm&r=g");

    public static string EmailHash(string email)
    {
#pragma warning disable CA5351 // Gravatar identifies e-mails by MD5 (as WordPress core computes it); this is not a security use.
        byte[] hash = MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>A deterministic hex token (order keys, download ids).</summary>
    public static string Token(string seed, int length)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
