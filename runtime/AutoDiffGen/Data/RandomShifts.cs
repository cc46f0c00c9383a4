using System;

namespace AutoDiffGen.Data;

/// <summary>
/// Data augmentation for images: every example a batch gathers is moved by a random whole number of pixels, up to
/// <see cref="MaxShift"/> in each direction, with zeros shifted in at the edges. A network trained on a few thousand
/// digits then learns that a digit one pixel to the left is the same digit, which plain training never shows it.
/// </summary>
/// <remarks>
/// The shifts come from a seeded generator (xoshiro256**), one pair per example in the order batches are gathered, so
/// the same seed and the same batches give the same images on every machine and runtime. The images are copied, never
/// changed in the source. Gathering allocates nothing. Use it for training only; evaluate on the images as they are.
/// </remarks>
/// <example>
/// <code>
/// var train = MnistDataset.LoadFromDirectory(folder, MnistSplit.Train);
/// var trainer = new Trainer(new RandomShifts(train, width: 28, height: 28, maxShift: 1, seed: 1), options);
/// </code>
/// </example>
public sealed class RandomShifts : IMinibatchSource
{
    private readonly IMinibatchSource _source;
    private readonly float[] _original;
    private Xoshiro256StarStar _random;

    /// <summary>Wraps <paramref name="source"/>, whose features are images of <paramref name="height"/> rows of <paramref name="width"/> pixels.</summary>
    /// <param name="source">The examples; each one's features are one image, row by row.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows per image.</param>
    /// <param name="maxShift">The largest move in pixels, across and down, each way; 0 leaves the images as they are.</param>
    /// <param name="seed">Fixes the sequence of shifts.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A size is below 1, the images do not have <paramref name="width"/> · <paramref name="height"/> features, or the
    /// shift is negative or not smaller than the image.
    /// </exception>
    public RandomShifts(IMinibatchSource source, int width, int height, int maxShift, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width < 1 || height < 1 || (long)width * height != source.FeatureLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"RandomShifts: images of {width}x{height} pixels need {(long)width * height} features, but the examples have {source.FeatureLength}.");
        }

        if (maxShift < 0 || maxShift >= Math.Min(width, height))
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxShift), maxShift, $"RandomShifts: the shift must be between 0 and {Math.Min(width, height) - 1} for {width}x{height} images.");
        }

        _source = source;
        Width = width;
        Height = height;
        MaxShift = maxShift;
        _original = new float[source.FeatureLength];
        _random = Xoshiro256StarStar.FromSeed(seed);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>The largest move in pixels, in each direction.</summary>
    public int MaxShift { get; }

    /// <inheritdoc/>
    public int Count => _source.Count;

    /// <inheritdoc/>
    public int FeatureLength => _source.FeatureLength;

    /// <inheritdoc/>
    public int TargetLength => _source.TargetLength;

    /// <inheritdoc/>
    public void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets)
    {
        _source.GatherBatch(batch, features, targets);
        if (MaxShift == 0)
        {
            return;
        }

        int choices = 2 * MaxShift + 1;
        for (int example = 0; example < batch.Length; example++)
        {
            int across = _random.NextInt32(choices) - MaxShift;
            int down = _random.NextInt32(choices) - MaxShift;
            Shift(features.Slice(example * FeatureLength, FeatureLength), across, down);
        }
    }

    /// <summary>Moves one image <paramref name="across"/> pixels right and <paramref name="down"/> rows down, in place.</summary>
    private void Shift(Span<float> image, int across, int down)
    {
        if (across == 0 && down == 0)
        {
            return;
        }

        image.CopyTo(_original);
        image.Clear();
        // Only the overlap of the moved image and the frame keeps pixels: columns [max(0, across), min(W, W + across)).
        int firstColumn = Math.Max(0, across), columns = Width - Math.Abs(across);
        for (int row = Math.Max(0, down); row < Math.Min(Height, Height + down); row++)
        {
            _original.AsSpan((row - down) * Width + firstColumn - across, columns)
                .CopyTo(image.Slice(row * Width + firstColumn, columns));
        }
    }
}
