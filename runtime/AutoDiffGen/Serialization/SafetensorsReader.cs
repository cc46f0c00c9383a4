using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AutoDiffGen.Serialization;

/// <summary>
/// Reads safetensors content and checks everything before trusting it: the header length against
/// the file, the JSON structure, each tensor's dtype, shape and byte range, that the ranges tile
/// the data section exactly (no gaps, overlaps or trailing bytes), and that the data is all there.
/// </summary>
internal static class SafetensorsReader
{
    /// <summary>The reference implementation's limit; larger headers are refused as corrupt or hostile.</summary>
    internal const ulong MaxHeaderBytes = 100_000_000;

    private readonly record struct Entry(string Name, int[] Shape, ulong Begin, ulong End);

    public static SafetensorsFile Read(Stream stream, string source)
    {
        Span<byte> lengthField = stackalloc byte[8];
        int got = stream.ReadAtLeast(lengthField, lengthField.Length, throwOnEndOfStream: false);
        if (got < lengthField.Length)
        {
            throw Problem(source, $"is truncated: it holds {got} bytes, but a safetensors file starts with an 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (headerLength > MaxHeaderBytes)
        {
            throw Problem(source, $"declares a {headerLength}-byte header, over the {MaxHeaderBytes}-byte limit: it is corrupt or not a safetensors file.");
        }

        long? afterLength = stream.CanSeek ? stream.Length - stream.Position : null;
        if (afterLength is long available && (ulong)available < headerLength)
        {
            throw Problem(source, $"is truncated: it declares a {headerLength}-byte header, but only {available} bytes follow the length field.");
        }

        var header = new byte[headerLength];
        got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
        {
            throw Problem(source, $"is truncated: it declares a {headerLength}-byte header, but only {got} bytes follow the length field.");
        }

        (List<Entry> entries, Dictionary<string, string> metadata) = ParseHeader(header, source);
        ulong dataLength = CheckContiguous(entries, source);

        if (afterLength is long total)
        {
            ulong present = (ulong)total - headerLength;
            if (present < dataLength)
            {
                throw Problem(source, $"is truncated: its header describes {dataLength} bytes of tensor data, but the file holds {present}.");
            }

            if (present > dataLength)
            {
                throw Problem(source, $"has {present - dataLength} bytes after the {dataLength} bytes of tensor data its header describes.");
            }
        }

        var tensors = new List<NamedTensorData>(entries.Count);
        foreach (Entry entry in entries)
        {
            var data = new float[(entry.End - entry.Begin) / sizeof(float)];
            Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan());
            got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                throw Problem(source, $"is truncated: tensor '{entry.Name}' needs data bytes [{entry.Begin}, {entry.End}), but the file ends {got} bytes into it.");
            }

            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
                }
            }

            tensors.Add(new NamedTensorData(entry.Name, entry.Shape, data));
        }

        if (afterLength is null && stream.ReadByte() >= 0)
        {
            throw Problem(source, $"has bytes after the {dataLength} bytes of tensor data its header describes.");
        }

        return new SafetensorsFile(tensors, metadata);
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header, string source)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw Problem(source, "has a header that does not start with '{': it is corrupt or not a safetensors file.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Safetensors file '{source}' has a header that is not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Problem(source, $"has a header that is a JSON {document.RootElement.ValueKind}, not an object.");
            }

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Problem(source, $"lists '{property.Name}' twice in its header; keys must be unique.");
                }

                if (property.Name == NamedTensorData.MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, source));
                }
            }

            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Problem(source, $"has '{NamedTensorData.MetadataKey}' as a JSON {value.ValueKind}; it must be an object of strings.");
        }

        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Problem(source, $"has metadata entry '{entry.Name}' as a JSON {entry.Value.ValueKind}; metadata values must be strings.");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Problem(source, $"lists metadata entry '{entry.Name}' twice; keys must be unique.");
            }
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string source)
    {
        if (name.Length == 0)
        {
            throw Problem(source, "has a tensor with an empty name.");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Problem(source, $"describes tensor '{name}' with a JSON {value.ValueKind}; expected an object with dtype, shape and data_offsets.");
        }

        if (!value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw Problem(source, $"gives tensor '{name}' no \"dtype\" string.");
        }

        if (dtype.GetString() != "F32")
        {
            throw Problem(source, $"has tensor '{name}' of dtype {dtype.GetString()}; only F32 is supported (save the checkpoint as float32).");
        }

        if (!value.TryGetProperty("shape", out JsonElement shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
        {
            throw Problem(source, $"gives tensor '{name}' no \"shape\" array.");
        }

        var shape = new int[shapeValue.GetArrayLength()];
        int axis = 0;
        foreach (JsonElement dimension in shapeValue.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out int size) || size < 0)
            {
                throw Problem(source, $"gives tensor '{name}' shape {shapeValue.GetRawText()}; dimensions must be integers from 0 to {int.MaxValue}.");
            }

            shape[axis++] = size;
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets)
            || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || !TryGetOffset(offsets[0], out ulong begin)
            || !TryGetOffset(offsets[1], out ulong end))
        {
            throw Problem(source, $"gives tensor '{name}' no valid \"data_offsets\": expected [begin, end] as two non-negative integers.");
        }

        if (end < begin)
        {
            throw Problem(source, $"gives tensor '{name}' data_offsets [{begin}, {end}], which end before they begin.");
        }

        long count = NamedTensorData.ElementCount(shape);
        string shapeText = NamedTensorData.ShapeText(shape);
        if (count > Array.MaxLength)
        {
            throw Problem(source, $"gives tensor '{name}' shape {shapeText}, more elements than one array can hold.");
        }

        ulong expectedBytes = (ulong)count * sizeof(float);
        if (end - begin != expectedBytes)
        {
            throw Problem(source,
                $"gives tensor '{name}' shape {shapeText} ({count} F32 elements, {expectedBytes} bytes), " +
                $"but its data_offsets [{begin}, {end}] cover {end - begin} bytes.");
        }

        return new Entry(name, shape, begin, end);
    }

    private static bool TryGetOffset(JsonElement value, out ulong offset)
    {
        offset = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out offset);
    }

    /// <summary>Sorts the entries by offset and checks that they tile [0, end) exactly; returns end.</summary>
    private static ulong CheckContiguous(List<Entry> entries, string source)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        ulong next = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            Entry entry = entries[i];
            if (entry.Begin == next)
            {
                next = entry.End;
                continue;
            }

            if (i == 0)
            {
                throw Problem(source, $"has tensor '{entry.Name}' first in the data, at byte {entry.Begin}; the data must start at byte 0.");
            }

            Entry previous = entries[i - 1];
            throw entry.Begin > next
                ? Problem(source,
                    $"has a gap in its data: tensor '{previous.Name}' ends at byte {next} but the next tensor, " +
                    $"'{entry.Name}', starts at byte {entry.Begin}; tensor data must be contiguous.")
                : Problem(source,
                    $"has overlapping tensors: '{previous.Name}' covers bytes [{previous.Begin}, {previous.End}) " +
                    $"and '{entry.Name}' covers [{entry.Begin}, {entry.End}).");
        }

        return next;
    }

    private static InvalidDataException Problem(string source, string problem) => new($"Safetensors file '{source}' {problem}");
}
