using System;
using System.IO;
using System.IO.Compression;
using AutoDiffGen.Data;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Data;

public class IdxFileTests
{
    private static IdxArray SampleArray()
    {
        var data = new byte[3 * 2 * 4];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 37 + 5);
        }

        return new IdxArray([3, 2, 4], data);
    }

    /// <summary>The raw IDX bytes of <see cref="SampleArray"/>, built by hand from the format description.</summary>
    private static byte[] SampleBytes()
    {
        byte[] header = [0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4];
        return [.. header, .. SampleArray().Data];
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenFilesReadBackUnchanged(bool compress)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("array.idx");
        IdxArray original = SampleArray();

        IdxFile.Write(path, original, compress);
        IdxArray read = IdxFile.Read(path);

        Assert.Equal([3, 2, 4], read.Dimensions.ToArray());
        Assert.Equal(original.Data.ToArray(), read.Data.ToArray());
        byte[] stored = File.ReadAllBytes(path);
        if (compress)
        {
            Assert.Equal([0x1F, 0x8B], stored[..2]);
        }
        else
        {
            Assert.Equal(SampleBytes(), stored);
        }
    }

    [Fact]
    public void GzipIsRecognisedByContentNotByFileName()
    {
        using var folder = new TemporaryFolder();
        string gzipWithoutExtension = folder.File("images-idx3-ubyte");
        string rawWithGzExtension = folder.File("images-idx3-ubyte.gz");
        File.WriteAllBytes(gzipWithoutExtension, Gzip(SampleBytes()));
        File.WriteAllBytes(rawWithGzExtension, SampleBytes());

        Assert.Equal(SampleArray().Data.ToArray(), IdxFile.Read(gzipWithoutExtension).Data.ToArray());
        Assert.Equal(SampleArray().Data.ToArray(), IdxFile.Read(rawWithGzExtension).Data.ToArray());
    }

    private static InvalidDataException ReadFails(byte[] content, string name, bool gzip = false)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File(name);
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void WrongMagicNumberIsRejected()
    {
        byte[] content = SampleBytes();
        content[0] = 0x12;
        content[1] = 0x34;
        var error = ReadFails(content, "bad-magic");
        Assert.Contains("wrong magic number 0x12340803", error.Message);
    }

    [Fact]
    public void DataTypesOtherThanUnsignedByteAreRejected()
    {
        byte[] content = SampleBytes();
        content[2] = 0x0D;
        var error = ReadFails(content, "floats");
        Assert.Contains("data type 0x0D (32-bit float); only 0x08 (unsigned byte) is supported", error.Message);
    }

    [Fact]
    public void RankZeroIsRejected()
    {
        var error = ReadFails([0, 0, 0x08, 0], "rank0");
        Assert.Contains("declares rank 0", error.Message);
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, " (decompressed)")]
    public void TruncatedDataIsRejectedWithBothLengths(bool gzip, string form)
    {
        byte[] content = SampleBytes()[..^5];
        var error = ReadFails(content, "truncated", gzip);
        Assert.Contains($"is truncated: expected 40 bytes{form} for dimensions [3, 2, 4], got 35", error.Message);
    }

    [Fact]
    public void TruncatedHeaderIsRejected()
    {
        var error = ReadFails(SampleBytes()[..10], "short-header");
        Assert.Contains("is truncated: expected 16 header bytes for rank 3, got 10", error.Message);
        error = ReadFails([0, 0], "two-bytes");
        Assert.Contains("is truncated: expected at least 4 bytes for the magic number, got 2", error.Message);
    }

    [Fact]
    public void HeaderClaimingFarMoreThanTheFileHoldsIsTruncatedNotAllocated()
    {
        // One million 28x28 images declared, 24 bytes present: report it, do not allocate 784 MB.
        byte[] content = [0, 0, 0x08, 3, 0, 0x0F, 0x42, 0x40, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[24]];
        var error = ReadFails(content, "huge-claim");
        Assert.Contains("expected 784000016 bytes for dimensions [1000000, 28, 28], got 40", error.Message);
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, " (decompressed)")]
    public void TrailingBytesAreRejected(bool gzip, string form)
    {
        byte[] content = [.. SampleBytes(), 1, 2, 3];
        var error = ReadFails(content, "too-long", gzip);
        Assert.Contains($"is too long: expected 40 bytes{form} for dimensions [3, 2, 4], got 43 (3 extra bytes", error.Message);
    }

    [Fact]
    public void CutGzipStreamIsRejected()
    {
        byte[] compressed = Gzip(SampleBytes());
        using var folder = new TemporaryFolder();
        string path = folder.File("cut.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void DamagedGzipDataIsRejected()
    {
        byte[] compressed = Gzip(SampleBytes());
        // Keep the gzip header (10 bytes) but make the deflate block type invalid (binary 11).
        compressed[10] = 0xFF;
        var error = ReadFails(compressed, "damaged.gz");
        Assert.Contains("damaged gzip data", error.Message);
    }

    [Fact]
    public void ArraysCheckTheirDataAgainstTheirDimensions()
    {
        var error = Assert.Throws<ArgumentException>(() => new IdxArray([2, 3], new byte[5]));
        Assert.Contains("[2, 3] need 6 elements, but the data has 5", error.Message);
    }
}
