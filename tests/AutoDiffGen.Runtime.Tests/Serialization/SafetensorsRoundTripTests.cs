using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AutoDiffGen.Serialization;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Serialization;

public class SafetensorsRoundTripTests
{
    private static SafetensorsFile Checkpoint()
    {
        var weights = new float[4 * 3];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (i - 5) * 0.37f;
        }

        return new SafetensorsFile(
            [
                new NamedTensorData("w", [4, 3], weights),
                new NamedTensorData("b", [3], [float.NaN, float.PositiveInfinity, -0f]),
                new NamedTensorData("scale", [], [2.5f]),
                new NamedTensorData("unused", [0, 7], []),
            ],
            new Dictionary<string, string> { ["epoch"] = "3", ["optimizer"] = "adam" });
    }

    private static void AssertSameTensor(NamedTensorData expected, NamedTensorData actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        // Bit patterns, so that NaN and -0 count as preserved only when they are.
        Assert.Equal(expected.Data.Select(BitConverter.SingleToInt32Bits), actual.Data.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void SavedFileLoadsBackBitForBit()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        SafetensorsFile original = Checkpoint();

        original.Save(path);
        SafetensorsFile loaded = SafetensorsFile.Load(path);

        Assert.Equal(["b", "scale", "unused", "w"], loaded.Tensors.Select(t => t.Name));
        foreach (NamedTensorData tensor in original.Tensors)
        {
            AssertSameTensor(tensor, loaded[tensor.Name]);
        }

        Assert.Equal(original.Metadata, loaded.Metadata);
    }

    [Fact]
    public void LayoutFollowsTheSpecification()
    {
        using var buffer = new MemoryStream();
        Checkpoint().WriteTo(buffer);
        byte[] bytes = buffer.ToArray();

        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8); // padded so the data starts 8-byte aligned
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"epoch\":\"3\",\"optimizer\":\"adam\"},\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}", header);
        string json = header.TrimEnd(' ');
        Assert.EndsWith("}", json);
        Assert.InRange(header.Length - json.Length, 0, 7); // only the padding follows the JSON

        using JsonDocument document = JsonDocument.Parse(header);
        JsonElement w = document.RootElement.GetProperty("w");
        Assert.Equal("[4,3]", w.GetProperty("shape").GetRawText());
        Assert.Equal("[16,64]", w.GetProperty("data_offsets").GetRawText());
        Assert.Equal("[]", document.RootElement.GetProperty("scale").GetProperty("shape").GetRawText());
        Assert.Equal("[16,16]", document.RootElement.GetProperty("unused").GetProperty("data_offsets").GetRawText());

        // Data: little-endian float32, tensors in name order.
        int data = 8 + (int)headerLength;
        Assert.Equal(64, bytes.Length - data);
        Assert.Equal(2.5f, BitConverter.ToSingle(bytes, data + 12));
        Assert.Equal(-5 * 0.37f, BitConverter.ToSingle(bytes, data + 16));
    }

    [Fact]
    public void FileWithoutMetadataOmitsTheMetadataKey()
    {
        using var buffer = new MemoryStream();
        new SafetensorsFile([new NamedTensorData("x", [1], [1f])]).WriteTo(buffer);
        buffer.Position = 0;

        SafetensorsFile loaded = SafetensorsFile.Read(buffer, "memory");

        Assert.Empty(loaded.Metadata);
        Assert.DoesNotContain("__metadata__", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void ReadsFromStreamsThatCannotSeek()
    {
        using var buffer = new MemoryStream();
        Checkpoint().WriteTo(buffer);

        SafetensorsFile loaded = SafetensorsFile.Read(new NonSeekableStream(buffer.ToArray()), "pipe");

        AssertSameTensor(Checkpoint()["w"], loaded["w"]);
    }

    [Fact]
    public void TensorsValidateTheirShapeAndName()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => new NamedTensorData("w", [2, 3], new float[5]));
        Assert.Contains("Tensor 'w' has shape [2, 3], which needs 6 elements, but its data has 5 elements", mismatch.Message);

        var negative = Assert.Throws<ArgumentException>(() => new NamedTensorData("w", [2, -1], new float[2]));
        Assert.Contains("shape [2, -1] with a negative dimension", negative.Message);

        var reserved = Assert.Throws<ArgumentException>(() => new NamedTensorData("__metadata__", [1], new float[1]));
        Assert.Contains("reserved for metadata", reserved.Message);
    }

    [Fact]
    public void DuplicateNamesAndMissingTensorsAreReportedByName()
    {
        var duplicate = Assert.Throws<ArgumentException>(() => new SafetensorsFile(
            [new NamedTensorData("a", [1], [1f]), new NamedTensorData("a", [1], [2f])]));
        Assert.Contains("Two tensors are named 'a'", duplicate.Message);

        var missing = Assert.Throws<KeyNotFoundException>(() => Checkpoint()["W"]);
        Assert.Contains("No tensor named 'W'; the file has 'b', 'scale', 'unused', 'w'", missing.Message);
    }
}
