using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Classification;

/// <summary>Scalar arguments of a classification launch.</summary>
internal struct ClassificationArguments
{
    public int Rows;
    public int Cols;
}

/// <summary>Scalar arguments of a launch over a [rows, cols] matrix view with any strides, and one label per row.</summary>
internal struct LabelArguments
{
    public int Rows;
    public int Cols;
    public int RowStride;
    public int ColStride;
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

    /// <summary>y[r, c] = 1 where labels[r] == c, else 0, over a strided [rows, cols] view.</summary>
    public static void OneHot(ArrayView<int> labels, ArrayView<float> y, LabelArguments args)
    {
        int stride = Grid.DimX * Group.DimX;
        int length = args.Rows * args.Cols;
        for (int i = Grid.GlobalIndex.X; i < length; i += stride)
        {
            int row = i / args.Cols;
            int col = i - (row * args.Cols);
            y[(row * args.RowStride) + (col * args.ColStride)] = labels[row] == col ? 1f : 0f;
        }
    }

    /// <summary>
    /// count[0] += the number of rows of the strided [rows, cols] logits whose first maximum (a NaN counting as the
    /// maximum) is at the row's label; one thread per row.
    /// </summary>
    public static void CountCorrect(ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> count, LabelArguments args)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int row = Grid.GlobalIndex.X; row < args.Rows; row += stride)
        {
            int start = row * args.RowStride;
            int best = 0;
            float maximum = logits[start];
            for (int col = 1; col < args.Cols; col++)
            {
                if (float.IsNaN(maximum))
                {
                    break;
                }

                float value = logits[start + (col * args.ColStride)];
                if (value > maximum || float.IsNaN(value))
                {
                    maximum = value;
                    best = col;
                }
            }

            if (best == labels[row])
            {
                Atomic.Add(ref count[0], 1);
            }
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
