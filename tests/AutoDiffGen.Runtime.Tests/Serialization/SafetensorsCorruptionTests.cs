using System;
using System.IO;
using System.Text;
using AutoDiffGen.Serialization;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Serialization;

public class SafetensorsCorruptionTests
{
    /// <summary>A file with the given header text and <paramref name="dataBytes"/> bytes of data.</summary>
    private static byte[] FileWith(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]];
    }

    private static InvalidDataException LoadFails(byte[] content)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("broken.safetensors");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path));
        Assert.StartsWith($"Safetensors file '{path}' ", error.Message);
        return error;
    }

    private static InvalidDataException HeaderFails(string header, int dataBytes) => LoadFails(FileWith(header, dataBytes));

    private const string Good = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";

    [Fact]
    public void TheWellFormedBaseCaseLoads()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("good"), FileWith(Good, 12));
        Assert.Equal(2, SafetensorsFile.Load(folder.File("good")).Tensors.Count);
    }

    [Fact]
    public void FileShorterThanTheLengthField()
    {
        var error = LoadFails([1, 2, 3]);
        Assert.Contains("is truncated: it holds 3 bytes, but a safetensors file starts with an 8-byte header length", error.Message);
    }

    [Fact]
    public void HeaderLongerThanTheFile()
    {
        byte[] content = FileWith(Good, 12);
        BitConverter.GetBytes(5000UL).CopyTo(content, 0);
        var error = LoadFails(content);
        Assert.Contains($"declares a 5000-byte header, but only {content.Length - 8} bytes follow the length field", error.Message);
    }

    [Fact]
    public void HeaderOverTheSizeLimit()
    {
        byte[] content = FileWith(Good, 12);
        BitConverter.GetBytes(ulong.MaxValue).CopyTo(content, 0);
        var error = LoadFails(content);
        Assert.Contains($"declares a {ulong.MaxValue}-byte header, over the 100000000-byte limit", error.Message);
    }

    [Fact]
    public void HeaderThatIsNotAJsonObject()
    {
        Assert.Contains("header that does not start with '{'", HeaderFails("[1, 2]", 0).Message);
        Assert.Contains("header that is not valid JSON", HeaderFails("{\"a\": ", 0).Message);
    }

    [Fact]
    public void UnsupportedDtype()
    {
        var error = HeaderFails("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 4);
        Assert.Contains("has tensor 'h' of dtype F16; only F32 is supported", error.Message);
    }

    [Fact]
    public void MissingOrMalformedFields()
    {
        Assert.Contains("gives tensor 'a' no \"dtype\" string",
            HeaderFails("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", 4).Message);
        Assert.Contains("gives tensor 'a' no \"shape\" array",
            HeaderFails("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", 4).Message);
        Assert.Contains("gives tensor 'a' shape [2,-1]; dimensions must be integers",
            HeaderFails("""{"a":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,4]}}""", 4).Message);
        Assert.Contains("gives tensor 'a' shape [1.5]; dimensions must be integers",
            HeaderFails("""{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", 4).Message);
        Assert.Contains("gives tensor 'a' no valid \"data_offsets\"",
            HeaderFails("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4).Message);
        Assert.Contains("gives tensor 'a' data_offsets [4, 0], which end before they begin",
            HeaderFails("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4).Message);
        Assert.Contains("describes tensor 'a' with a JSON Array",
            HeaderFails("""{"a":[1,2]}""", 0).Message);
    }

    [Fact]
    public void ShapeThatDoesNotMatchTheByteRange()
    {
        var error = HeaderFails("""{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", 20);
        Assert.Contains("gives tensor 'a' shape [2, 3] (6 F32 elements, 24 bytes), but its data_offsets [0, 20] cover 20 bytes", error.Message);
    }

    [Fact]
    public void GapsOverlapsAndAMisplacedStart()
    {
        Assert.Contains("has a gap in its data: tensor 'a' ends at byte 8 but the next tensor, 'b', starts at byte 12",
            HeaderFails("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}""", 16).Message);
        Assert.Contains("has overlapping tensors: 'a' covers bytes [0, 8) and 'b' covers [4, 8)",
            HeaderFails("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8).Message);
        Assert.Contains("has tensor 'a' first in the data, at byte 4; the data must start at byte 0",
            HeaderFails("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8).Message);
    }

    [Fact]
    public void DuplicateKeysAndBadMetadata()
    {
        Assert.Contains("lists 'a' twice in its header",
            HeaderFails("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8).Message);
        Assert.Contains("has metadata entry 'epoch' as a JSON Number; metadata values must be strings",
            HeaderFails("""{"__metadata__":{"epoch":3}}""", 0).Message);
        Assert.Contains("has '__metadata__' as a JSON String; it must be an object of strings",
            HeaderFails("""{"__metadata__":"v1"}""", 0).Message);
    }

    [Fact]
    public void TruncatedOrOverlongData()
    {
        Assert.Contains("is truncated: its header describes 12 bytes of tensor data, but the file holds 8",
            HeaderFails(Good, 8).Message);
        Assert.Contains("has 3 bytes after the 12 bytes of tensor data its header describes",
            HeaderFails(Good, 15).Message);
    }

    [Fact]
    public void TruncationIsFoundOnStreamsThatCannotSeekToo()
    {
        var cut = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new NonSeekableStream(FileWith(Good, 10)), "pipe"));
        Assert.Contains("Safetensors file 'pipe' is truncated: tensor 'b' needs data bytes [8, 12), but the file ends 2 bytes into it", cut.Message);

        var extra = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new NonSeekableStream(FileWith(Good, 13)), "pipe"));
        Assert.Contains("Safetensors file 'pipe' has bytes after the 12 bytes of tensor data", extra.Message);
    }
}
