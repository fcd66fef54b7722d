using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>
/// Computes the content checksum of a canonical record: SHA-256 over its JSON form, truncated to 128 bits and
/// hex-encoded. The modification time is left out, since it says nothing about content: a record that was touched but
/// not changed keeps its checksum.
/// </summary>
/// <remarks>Not thread-safe: each pipeline stage owns one instance and reuses its buffer.</remarks>
internal sealed class ContentChecksum
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { IgnoreModificationTime } },
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public ContentChecksum() => _writer = new Utf8JsonWriter(_buffer);

    public string Compute(Entity entity)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, entity, entity.GetType(), SerializerOptions);
        _writer.Flush();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(_buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static void IgnoreModificationTime(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(Entity).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        for (int i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Name == nameof(Entity.UpdatedAt))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
