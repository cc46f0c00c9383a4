using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using AutoDiffGen.Serialization;

namespace AutoDiffGen.Data;

/// <summary>
/// Reads and writes IDX files of unsigned bytes, the format of the MNIST distribution: a 4-byte
/// magic number (two zero bytes, the type code 0x08, the rank), one big-endian 32-bit size per
/// dimension, then the elements. Files may be gzip-compressed; that is recognised by the gzip
/// magic bytes, not by the file name.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    // Deflate cannot expand data by more than about 1032:1, which bounds what a gzip file of a
    // given size can decompress to; a header claiming more is corrupt, and we refuse to allocate for it.
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an IDX file, gzip-compressed or not.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="InvalidDataException">
    /// The file is not a complete, well-formed IDX file of unsigned bytes; the message names the file
    /// and the problem (wrong magic number, unsupported data type, truncation, trailing bytes, bad gzip data).
    /// </exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(file, path);
    }

    /// <summary>Reads an IDX file, gzip-compressed or not, from the current position to the end of a seekable stream.</summary>
    /// <param name="stream">The stream; must support seeking (to look at the first bytes and know the length).</param>
    /// <param name="sourceName">The name used in error messages, usually the file path.</param>
    /// <exception cref="InvalidDataException">The content is not a complete, well-formed IDX file of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException($"Reading IDX data from '{sourceName}' needs a readable, seekable stream.", nameof(stream));
        }

        long start = stream.Position;
        long storedLength = stream.Length - start;
        Span<byte> magic = stackalloc byte[2];
        int magicBytes = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = start;

        if (magicBytes == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var decompressed = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return ReadContent(decompressed, sourceName, " (decompressed)", storedLength * MaxDeflateRatio);
        }

        return ReadContent(stream, sourceName, string.Empty, storedLength);
    }

    /// <summary>Writes an IDX file atomically (a failure leaves any existing file untouched).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">What to write.</param>
    /// <param name="compress">Whether to gzip-compress the file (the MNIST distribution's <c>.gz</c> form).</param>
    public static void Write(string path, IdxArray array, bool compress)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFileWriter.Write(path, stream =>
        {
            if (compress)
            {
                using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
                Write(gzip, array);
            }
            else
            {
                Write(stream, array);
            }
        });
    }

    /// <summary>Writes the uncompressed IDX form of <paramref name="array"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        Span<byte> header = stackalloc byte[4 + 4 * array.Rank];
        header[0] = 0;
        header[1] = 0;
        header[2] = UnsignedByteType;
        header[3] = (byte)array.Rank;
        for (int i = 0; i < array.Rank; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.Slice(4 + 4 * i), array.Dimensions[i]);
        }

        stream.Write(header);
        stream.Write(array.Data);
    }

    private static IdxArray ReadContent(Stream content, string source, string form, long maxContentBytes)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = Fill(content, magic, source);
        if (got < magic.Length)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' is truncated: expected at least {magic.Length} bytes{form} for the magic number, got {got}.");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' has the wrong magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}: " +
                "an IDX file starts with two zero bytes, a type code and the rank " +
                "(MNIST images 0x00000803, labels 0x00000801).");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' holds data type 0x{magic[2]:X2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported.");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"IDX file '{source}' declares rank 0; an IDX array has at least one dimension.");
        }

        int headerLength = magic.Length + 4 * rank;
        Span<byte> sizes = stackalloc byte[4 * rank];
        got = Fill(content, sizes, source);
        if (got < sizes.Length)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' is truncated: expected {headerLength} header bytes{form} for rank {rank}, got {magic.Length + got}.");
        }

        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes.Slice(4 * i));
            if (size > int.MaxValue)
            {
                throw new InvalidDataException($"IDX file '{source}' declares dimension {i} as {size}, more than {int.MaxValue}.");
            }

            dimensions[i] = (int)size;
        }

        long count = ElementCount(dimensions);

        string dimensionsText = "[" + string.Join(", ", dimensions) + "]";
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' declares dimensions {dimensionsText}, more elements than one array can hold.");
        }

        long expectedTotal = headerLength + count;
        if (expectedTotal > maxContentBytes)
        {
            // The file is far too short for its header; count what is there instead of allocating.
            throw Truncated(source, form, expectedTotal, headerLength + Drain(content, source), dimensionsText);
        }

        var data = new byte[count];
        got = Fill(content, data, source);
        if (got < data.Length)
        {
            throw Truncated(source, form, expectedTotal, headerLength + got, dimensionsText);
        }

        long extra = Drain(content, source);
        if (extra > 0)
        {
            throw new InvalidDataException(
                $"IDX file '{source}' is too long: expected {expectedTotal} bytes{form} for dimensions {dimensionsText}, " +
                $"got {expectedTotal + extra} ({extra} extra bytes after the data).");
        }

        return new IdxArray(dimensions, data);
    }

    /// <summary>The product of the dimensions, or <see cref="long.MaxValue"/> once it passes <see cref="Array.MaxLength"/>.</summary>
    private static long ElementCount(int[] dimensions)
    {
        if (Array.IndexOf(dimensions, 0) >= 0)
        {
            return 0;
        }

        long count = 1;
        foreach (int size in dimensions)
        {
            // Both factors are below 2^31 here, so the product fits in a long.
            count *= size;
            if (count > Array.MaxLength)
            {
                return long.MaxValue;
            }
        }

        return count;
    }

    private static InvalidDataException Truncated(string source, string form, long expected, long actual, string dimensions) =>
        new($"IDX file '{source}' is truncated: expected {expected} bytes{form} for dimensions {dimensions}, got {actual}.");

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int Fill(Stream content, Span<byte> buffer, string source)
    {
        try
        {
            return content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException error)
        {
            // Only GZipStream throws this here: the compressed data itself is damaged.
            throw new InvalidDataException($"IDX file '{source}' has damaged gzip data: {error.Message}", error);
        }
    }

    /// <summary>Reads the stream to its end and returns how many bytes were left.</summary>
    private static long Drain(Stream content, string source)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int got;
        while ((got = Fill(content, scratch, source)) > 0)
        {
            total += got;
        }

        return total;
    }

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };
}
