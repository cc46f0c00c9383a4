using System;
using System.Linq;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>Seeded random tensors and views for tests.</summary>
internal static class TestData
{
    /// <summary>A contiguous tensor of uniform values in [low, high).</summary>
    public static Tensor Uniform(Random random, int[] shape, double low = -1, double high = 1)
        => Create(Values(random, RefTensor.Product(shape), low, high), shape);

    /// <summary>A tensor of the given shape; unlike <see cref="Tensor.FromArray(float[], ReadOnlySpan{int})"/> an empty shape means a scalar.</summary>
    public static Tensor Create(float[] values, int[] shape)
        => shape.Length == 0 ? Tensor.FromArray(values, 1).Reshape() : Tensor.FromArray(values, shape);

    /// <summary>Uniform values whose magnitude is at least <paramref name="gap"/>: away from the kinks of Relu and Max.</summary>
    public static Tensor AwayFromZero(Random random, int[] shape, double gap = 0.05)
        => Create(Values(random, RefTensor.Product(shape), gap, 1).Select(v => random.Next(2) == 0 ? -v : v).ToArray(), shape);

    public static float[] Values(Random random, int count, double low, double high)
        => Enumerable.Range(0, count).Select(_ => (float)(low + ((high - low) * random.NextDouble()))).ToArray();

    /// <summary>
    /// The same values as <paramref name="contiguous"/> in a non-contiguous view: stored with its axes reversed and
    /// viewed through a transpose, so every kernel's strided path is exercised.
    /// </summary>
    public static Tensor Strided(Tensor contiguous)
    {
        int rank = contiguous.Rank;
        if (rank < 2)
        {
            return contiguous;
        }

        int[] reversed = Enumerable.Range(0, rank).Reverse().ToArray();
        Tensor stored = contiguous.Transpose(reversed).Clone();
        return stored.Transpose(reversed);
    }
}
