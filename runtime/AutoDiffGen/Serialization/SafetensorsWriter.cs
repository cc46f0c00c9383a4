using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoDiffGen.Serialization;

/// <summary>
/// Writes the safetensors layout the way the reference implementation does: the header JSON lists
/// <c>__metadata__</c> first (when there is any), then the tensors in name order with their data
/// packed back to back in that order; the header is padded with spaces to a multiple of 8 bytes so
/// the data starts 8-byte aligned.
/// </summary>
internal static class SafetensorsWriter
{
    private const int Alignment = 8;

    public static void Write(Stream stream, SafetensorsFile file)
    {
        byte[] header = BuildHeader(file);

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (NamedTensorData tensor in file.Tensors)
        {
            WriteLittleEndian(stream, tensor.Data);
        }

        stream.Flush();
    }

    private static byte[] BuildHeader(SafetensorsFile file)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names such as "a+b" readable; the output is still plain JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (file.Metadata.Count > 0)
            {
                json.WriteStartObject(NamedTensorData.MetadataKey);
                foreach ((string key, string value) in file.Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (NamedTensorData tensor in file.Tensors)
            {
                long end = offset + (long)tensor.Data.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + Alignment - 1) / Alignment * Alignment;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }

        Span<byte> chunk = stackalloc byte[4096];
        for (int start = 0; start < data.Length; start += chunk.Length / sizeof(float))
        {
            int count = Math.Min(chunk.Length / sizeof(float), data.Length - start);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk.Slice(i * sizeof(float)), data[start + i]);
            }

            stream.Write(chunk.Slice(0, count * sizeof(float)));
        }
    }
}
