using System;
using System.IO;

namespace AutoDiffGen.Data;

/// <summary>
/// MNIST-style labelled digits in memory: images as floats in [0, 1], one row of 784 pixels
/// (28 x 28, row-major) per example, and labels 0 to 9. As an <see cref="IMinibatchSource"/> its features are the
/// pixels and its targets the one-hot labels.
/// </summary>
public sealed class MnistDataset : IMinibatchSource
{
    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per image, the length of one row of <see cref="Images"/>.</summary>
    public const int PixelsPerImage = ImageSide * ImageSide;

    /// <summary>How many classes (digits) there are; labels are 0 to <see cref="ClassCount"/> - 1.</summary>
    public const int ClassCount = 10;

    private readonly float[] _images;
    private readonly int[] _labels;

    private MnistDataset(float[] images, int[] labels)
    {
        _images = images;
        _labels = labels;
    }

    /// <summary>How many examples there are.</summary>
    public int Count => _labels.Length;

    /// <summary>The <see cref="PixelsPerImage"/> pixels of an image.</summary>
    int IMinibatchSource.FeatureLength => PixelsPerImage;

    /// <summary>The <see cref="ClassCount"/> entries of a one-hot label.</summary>
    int IMinibatchSource.TargetLength => ClassCount;

    /// <summary>All images, shape [<see cref="Count"/>, <see cref="PixelsPerImage"/>], row-major, values in [0, 1].</summary>
    public ReadOnlySpan<float> Images => _images;

    /// <summary>All labels, one per example, each 0 to 9.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The 784 pixels of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        CheckIndex(index, nameof(index));
        return new ReadOnlySpan<float>(_images, index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// Loads an images file and its labels file, each in IDX form, gzip-compressed or not
    /// (e.g. the original <c>train-images-idx3-ubyte.gz</c> and <c>train-labels-idx1-ubyte.gz</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// A file is malformed, the images are not n x 28 x 28, the labels not a list of n values 0 to 9,
    /// or the two counts differ. The message names the file.
    /// </exception>
    public static MnistDataset Load(string imagesPath, string labelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        IdxArray images = IdxFile.Read(imagesPath);
        IdxArray labels = IdxFile.Read(labelsPath);
        return FromIdx(images, imagesPath, labels, labelsPath);
    }

    /// <summary>
    /// Loads one split from a folder holding MNIST files under their standard names: for
    /// <see cref="MnistSplit.Train"/> <c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c>,
    /// for <see cref="MnistSplit.Test"/> <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>,
    /// each with or without <c>.gz</c>, and also in the <c>train-images.idx3-ubyte</c> spelling that
    /// some unpackers produce.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the names tried.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (see <see cref="Load"/>).</exception>
    public static MnistDataset LoadFromDirectory(string directory, MnistSplit split)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"MNIST folder '{directory}' does not exist.");
        }

        string prefix = split switch
        {
            MnistSplit.Train => "train",
            MnistSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Expected MnistSplit.Train or MnistSplit.Test."),
        };

        string images = FindFile(directory, prefix + "-images", "idx3-ubyte");
        string labels = FindFile(directory, prefix + "-labels", "idx1-ubyte");
        return Load(images, labels);
    }

    /// <summary>
    /// Copies the examples of <paramref name="batch"/> into caller-owned buffers, row by row in batch
    /// order: images into <paramref name="images"/> (shape [batch, 784]) and labels one-hot into
    /// <paramref name="oneHotLabels"/> (shape [batch, 10]). Allocates nothing.
    /// </summary>
    /// <param name="batch">Example indices, e.g. from <see cref="MinibatchSampler"/>.</param>
    /// <param name="images">Exactly <c>batch.Length * 784</c> floats.</param>
    /// <param name="oneHotLabels">Exactly <c>batch.Length * 10</c> floats; each row gets a 1 at its label, 0 elsewhere.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0 .. <see cref="Count"/> - 1.</exception>
    public void GatherBatch(ReadOnlySpan<int> batch, Span<float> images, Span<float> oneHotLabels)
    {
        CheckBufferLength(batch.Length, images.Length, PixelsPerImage, "images", nameof(images));
        CheckBufferLength(batch.Length, oneHotLabels.Length, ClassCount, "oneHotLabels", nameof(oneHotLabels));
        oneHotLabels.Clear();
        for (int row = 0; row < batch.Length; row++)
        {
            int example = batch[row];
            CheckIndex(example, nameof(batch), row);
            _images.AsSpan(example * PixelsPerImage, PixelsPerImage).CopyTo(images.Slice(row * PixelsPerImage, PixelsPerImage));
            oneHotLabels[row * ClassCount + _labels[example]] = 1f;
        }
    }

    /// <summary>
    /// Copies the examples of <paramref name="batch"/> into caller-owned buffers: images into
    /// <paramref name="images"/> (shape [batch, 784]) and the labels themselves into
    /// <paramref name="labels"/>. Allocates nothing.
    /// </summary>
    /// <param name="batch">Example indices, e.g. from <see cref="MinibatchSampler"/>.</param>
    /// <param name="images">Exactly <c>batch.Length * 784</c> floats.</param>
    /// <param name="labels">Exactly <c>batch.Length</c> ints.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0 .. <see cref="Count"/> - 1.</exception>
    public void GatherBatch(ReadOnlySpan<int> batch, Span<float> images, Span<int> labels)
    {
        CheckBufferLength(batch.Length, images.Length, PixelsPerImage, "images", nameof(images));
        CheckBufferLength(batch.Length, labels.Length, 1, "labels", nameof(labels));
        for (int row = 0; row < batch.Length; row++)
        {
            int example = batch[row];
            CheckIndex(example, nameof(batch), row);
            _images.AsSpan(example * PixelsPerImage, PixelsPerImage).CopyTo(images.Slice(row * PixelsPerImage, PixelsPerImage));
            labels[row] = _labels[example];
        }
    }

    private static MnistDataset FromIdx(IdxArray images, string imagesSource, IdxArray labels, string labelsSource)
    {
        ReadOnlySpan<int> imageShape = images.Dimensions;
        if (images.Rank != 3 || imageShape[1] != ImageSide || imageShape[2] != ImageSide)
        {
            throw new InvalidDataException(
                $"MNIST images file '{imagesSource}' has dimensions {images.DimensionsText}; expected [n, {ImageSide}, {ImageSide}].");
        }

        if (labels.Rank != 1)
        {
            throw new InvalidDataException(
                $"MNIST labels file '{labelsSource}' has dimensions {labels.DimensionsText}; expected [n], one label per image.");
        }

        int count = imageShape[0];
        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException(
                $"MNIST images file '{imagesSource}' holds {count} images but labels file '{labelsSource}' " +
                $"holds {labels.Dimensions[0]} labels; they must match one to one.");
        }

        ReadOnlySpan<byte> labelBytes = labels.Data;
        var labelValues = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (labelBytes[i] >= ClassCount)
            {
                throw new InvalidDataException(
                    $"MNIST labels file '{labelsSource}' has label {labelBytes[i]} at index {i}; labels must be 0 to {ClassCount - 1}.");
            }

            labelValues[i] = labelBytes[i];
        }

        ReadOnlySpan<byte> pixels = images.Data;
        var imageValues = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            imageValues[i] = pixels[i] / 255f;
        }

        return new MnistDataset(imageValues, labelValues);
    }

    private static string FindFile(string directory, string stem, string kind)
    {
        string[] candidates = [$"{stem}-{kind}.gz", $"{stem}-{kind}", $"{stem}.{kind}.gz", $"{stem}.{kind}"];
        foreach (string candidate in candidates)
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"No MNIST file '{stem}' in '{directory}': looked for {string.Join(", ", candidates)}.",
            Path.Combine(directory, candidates[0]));
    }

    private void CheckIndex(int index, string parameter, int row = -1)
    {
        if ((uint)index >= (uint)_labels.Length)
        {
            string where = row >= 0 ? $" (at {parameter}[{row}])" : string.Empty;
            throw new ArgumentOutOfRangeException(
                parameter, index, $"Example index {index}{where} is outside 0 to {_labels.Length - 1}.");
        }
    }

    private static void CheckBufferLength(int batchLength, int bufferLength, int rowLength, string bufferName, string parameter)
    {
        long needed = (long)batchLength * rowLength;
        if (bufferLength != needed)
        {
            throw new ArgumentException(
                $"Buffer {bufferName} has {bufferLength} elements; a batch of {batchLength} needs exactly {needed} " +
                $"([{batchLength}, {rowLength}]). Slice the buffer for a shorter last batch.",
                parameter);
        }
    }
}
