using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Classification;

/// <summary>Scalar arguments of a classification launch.</summary>
internal struct ClassificationArguments
{
    public int Rows;
    public int Cols;
}

/// <summary>Per-row argmax, one warp per row; the first index wins ties, as in NumPy and PyTorch.</summary>
internal static class ClassificationKernel
{
    public static void ArgMax(ArrayView<float> x, ArrayView<int> indices, ClassificationArguments args)
    {
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int best = RowArgMax(x, row * args.Cols, args.Cols);
            if (Warp.LaneIdx == 0)
            {
                indices[row] = best;
            }
        }
    }

    /// <summary>
    /// First pass of accuracy: group g writes to partials[g] how many of its rows have
    /// argmax(logits) == argmax(labels); a full-sum pass then adds the partials.
    /// </summary>
    public static void CorrectCounts(ArrayView<float> logits, ArrayView<float> labels, ArrayView<float> partials, ClassificationArguments args)
    {
        var scratch = SharedMemory.Allocate<float>(LaunchGeometry.WarpsPerGroup);
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        float correct = 0f;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            int predicted = RowArgMax(logits, start, args.Cols);
            int expected = RowArgMax(labels, start, args.Cols);
            if (Warp.LaneIdx == 0 && predicted == expected)
            {
                correct += 1f;
            }
        }

        float total = WarpReduction.WholeGroup<SumReduction>(correct, scratch);
        if (Group.IdxX == 0)
        {
            partials[Grid.IdxX] = total;
        }
    }

    private static int RowArgMax(ArrayView<float> x, int start, int cols)
    {
        float best = float.NegativeInfinity;
        int bestIndex = cols; // beyond any real column: loses every comparison below
        for (int col = Warp.LaneIdx; col < cols; col += 32)
        {
            float v = x[start + col];
            if (v > best || bestIndex == cols)
            {
                best = v;
                bestIndex = col;
            }
        }

        for (int offset = 16; offset > 0; offset >>= 1)
        {
            float otherValue = Warp.ShuffleXor(best, offset);
            int otherIndex = Warp.ShuffleXor(bestIndex, offset);
            bool otherReal = otherIndex < cols;
            bool mineReal = bestIndex < cols;
            if (otherReal && (!mineReal || otherValue > best || (otherValue == best && otherIndex < bestIndex)))
            {
                best = otherValue;
                bestIndex = otherIndex;
            }
        }

        return bestIndex;
    }
}
