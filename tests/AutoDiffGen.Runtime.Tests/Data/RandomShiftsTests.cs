using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Data;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Data;

public class RandomShiftsTests
{
    private const int Width = 5, Height = 4;

    /// <summary>Images of 5x4 pixels whose every pixel is distinct and non-zero, so a shifted copy shows how it moved.</summary>
    private sealed class NumberedImages(int count) : IMinibatchSource
    {
        public int Count { get; } = count;

        public int FeatureLength => Width * Height;

        public int TargetLength => 1;

        public static float Pixel(int example, int row, int column) => 1000 * (example + 1) + (10 * row) + column + 1;

        public void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets)
        {
            for (int e = 0; e < batch.Length; e++)
            {
                for (int row = 0; row < Height; row++)
                {
                    for (int column = 0; column < Width; column++)
                    {
                        features[(e * Width * Height) + (row * Width) + column] = Pixel(batch[e], row, column);
                    }
                }

                targets[e] = batch[e];
            }
        }
    }

    private static (float[] Features, float[] Targets) Gather(IMinibatchSource source, int[] batch)
    {
        var features = new float[batch.Length * source.FeatureLength];
        var targets = new float[batch.Length * source.TargetLength];
        source.GatherBatch(batch, features, targets);
        return (features, targets);
    }

    /// <summary>The move (across, down) that turns the example's image into <paramref name="image"/>, or null if none does.</summary>
    private static (int Across, int Down)? MoveOf(int example, ReadOnlySpan<float> image, int maxShift)
    {
        for (int down = -maxShift; down <= maxShift; down++)
        {
            for (int across = -maxShift; across <= maxShift; across++)
            {
                bool fits = true;
                for (int row = 0; row < Height && fits; row++)
                {
                    for (int column = 0; column < Width && fits; column++)
                    {
                        int fromRow = row - down, fromColumn = column - across;
                        bool inside = fromRow is >= 0 and < Height && fromColumn is >= 0 and < Width;
                        fits = image[(row * Width) + column] == (inside ? NumberedImages.Pixel(example, fromRow, fromColumn) : 0f);
                    }
                }

                if (fits)
                {
                    return (across, down);
                }
            }
        }

        return null;
    }

    [Fact]
    public void EveryImageIsItsOriginalMovedByAtMostTheShiftWithZerosAtTheEdges()
    {
        var shifts = new RandomShifts(new NumberedImages(300), Width, Height, maxShift: 1, seed: 5);
        int[] batch = Enumerable.Range(0, 300).ToArray();
        (float[] features, float[] targets) = Gather(shifts, batch);

        var moves = new HashSet<(int, int)>();
        for (int e = 0; e < batch.Length; e++)
        {
            (int, int)? move = MoveOf(e, features.AsSpan(e * Width * Height, Width * Height), maxShift: 1);
            Assert.True(move is not null, $"example {e} is not its image moved by at most one pixel");
            moves.Add(move.Value);
            Assert.Equal(e, targets[e]);
        }

        // All nine moves of up to one pixel occur among 300 examples, the unmoved image among them.
        Assert.Equal(9, moves.Count);
    }

    [Fact]
    public void LargerShiftsReachTheirBound()
    {
        var shifts = new RandomShifts(new NumberedImages(400), Width, Height, maxShift: 2, seed: 3);
        int[] batch = Enumerable.Range(0, 400).ToArray();
        float[] features = Gather(shifts, batch).Features;

        var moves = Enumerable.Range(0, 400).Select(e => MoveOf(e, features.AsSpan(e * Width * Height, Width * Height), maxShift: 2)).ToList();
        Assert.All(moves, move => Assert.NotNull(move));
        Assert.Contains((-2, 2), moves);
        Assert.Contains((2, -2), moves);
    }

    [Fact]
    public void TheSameSeedGivesTheSameImagesAndAnotherSeedOthers()
    {
        int[] batch = [4, 1, 7, 7, 0, 3, 9, 2, 5, 6, 8, 1];
        float[] first = Gather(new RandomShifts(new NumberedImages(10), Width, Height, 1, seed: 11), batch).Features;
        float[] again = Gather(new RandomShifts(new NumberedImages(10), Width, Height, 1, seed: 11), batch).Features;
        float[] other = Gather(new RandomShifts(new NumberedImages(10), Width, Height, 1, seed: 12), batch).Features;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void NoShiftLeavesTheImagesAsTheyAre()
    {
        int[] batch = [2, 0, 1];
        var source = new NumberedImages(3);
        Assert.Equal(Gather(source, batch).Features, Gather(new RandomShifts(source, Width, Height, 0, seed: 1), batch).Features);
    }

    [Fact]
    public void GatheringAllocatesNothing()
    {
        var shifts = new RandomShifts(new NumberedImages(100), Width, Height, 1, seed: 1);
        int[] batch = Enumerable.Range(0, 100).ToArray();
        var features = new float[100 * Width * Height];
        var targets = new float[100];
        shifts.GatherBatch(batch, features, targets);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            shifts.GatherBatch(batch, features, targets);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ImagesOfTheWrongSizeOrTooLargeAShiftAreRefused()
    {
        var source = new NumberedImages(3);
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomShifts(source, 28, 28, 1, seed: 1));
        Assert.Contains("images of 28x28 pixels need 784 features, but the examples have 20", size.Message);

        var shift = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomShifts(source, Width, Height, 4, seed: 1));
        Assert.Contains("the shift must be between 0 and 3 for 5x4 images", shift.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomShifts(source, Width, Height, -1, seed: 1));
    }
}
