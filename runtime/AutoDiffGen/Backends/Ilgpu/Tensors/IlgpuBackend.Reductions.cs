using System;
using AutoDiffGen.Backends.Ilgpu.Strided;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void Reduce(ReduceOp op, Tensor x, int axesMask, Tensor y, bool accumulate)
    {
        if (op == ReduceOp.Max && accumulate)
        {
            throw new NotSupportedException($"Reduce: Max over {x.ShapeText} does not accumulate; reduce into a separate tensor and add it.");
        }

        if (y.Length == 0)
        {
            return;
        }

        if (x.Length == 0)
        {
            // Nothing to reduce: a sum (or mean, as on the CPU) of no elements is 0.
            if (!accumulate)
            {
                Fill(y, op == ReduceOp.Max ? float.NegativeInfinity : 0f);
            }

            return;
        }

        bool max = op == ReduceOp.Max;
        float scale = op == ReduceOp.Mean ? 1f / ReducedCount(x.Shape, axesMask) : 1f;
        if (x.IsContiguous && y.IsContiguous && axesMask != 0)
        {
            int all = (1 << x.Rank) - 1;
            int reducedTrailing = TrailingAxes(axesMask, x.Rank);
            int reducedLeading = LeadingAxes(axesMask);
            if (axesMask == all)
            {
                Kernels.Reductions.Full(Stream, max, DenseView(x), DenseView(y), scale, accumulate);
                return;
            }

            if (reducedTrailing > 0)
            {
                int cols = Product(x.Shape[(x.Rank - reducedTrailing)..]);
                Kernels.Reductions.OverLastAxis(Stream, max, DenseView(x), DenseView(y), x.Length / cols, cols, scale, accumulate);
                return;
            }

            if (reducedLeading > 0)
            {
                int rows = Product(x.Shape[..reducedLeading]);
                if (max)
                {
                    Kernels.Reductions.OverRows(Stream, max, DenseView(x), DenseView(y), rows, x.Length / rows, scale, accumulate);
                }
                else
                {
                    SumOverRows(DenseView(x), DenseView(y), rows, x.Length / rows, scale, accumulate);
                }

                return;
            }
        }

        var groups = TensorLayouts.Groups(x.Shape, axesMask);
        groups.X = TensorLayouts.Aligned(x, x.Shape);
        groups.Y = TensorLayouts.Reduced(y, x.Rank, axesMask);
        groups.Scale = scale;
        groups.Accumulate = accumulate ? 1 : 0;
        Strided.Reduce(Stream, max, View(x), View(y), groups);
    }

    public void ReduceBackward(ReduceOp op, Tensor dy, Tensor? x, Tensor? y, int axesMask, Tensor dx, bool accumulate)
    {
        if (dx.Length == 0)
        {
            return;
        }

        if (op != ReduceOp.Max)
        {
            var layout = TensorLayouts.Elementwise(dx, null);
            layout.First = TensorLayouts.Reduced(dy, dx.Rank, axesMask);
            layout.Dense = 0;
            layout.Scalar = op == ReduceOp.Mean ? 1f / ReducedCount(dx.Shape, axesMask) : 1f;
            layout.Accumulate = accumulate ? 1 : 0;
            var upstream = View(dy);
            Strided.Apply<ScaledCopyOp>(Stream, View(dx), upstream, upstream, upstream, layout);
            return;
        }

        if (x is null || y is null)
        {
            throw new ArgumentNullException(x is null ? nameof(x) : nameof(y), "Max backward needs the forward input and output.");
        }

        var groups = TensorLayouts.Groups(x.Shape, axesMask);
        groups.X = TensorLayouts.Aligned(x, x.Shape);
        groups.Y = TensorLayouts.Reduced(y, x.Rank, axesMask);
        groups.Dy = TensorLayouts.Reduced(dy, x.Rank, axesMask);
        groups.Dx = TensorLayouts.Aligned(dx, dx.Shape);
        groups.Accumulate = accumulate ? 1 : 0;
        Strided.MaxRoute(Stream, View(x), View(y), View(dy), View(dx), groups);
    }

    public void ReluGradientWithColumnSums(Tensor dy, Tensor y, Tensor dz, Tensor columnSums, bool accumulateSums)
    {
        if (Kernels.Reductions.FuseReluColumnSums && dy.IsContiguous && y.IsContiguous && dz.IsContiguous && columnSums.IsContiguous)
        {
            Kernels.Reductions.ReluGradientWithColumnSums(Stream, DenseView(dy), DenseView(y), DenseView(dz), DenseView(columnSums), y.Shape[0], y.Shape[1], accumulateSums);
            return;
        }

        // Views go through the strided kernels, one op at a time (and so does everything when the fusion is off).
        UnaryBackward(UnaryOp.Relu, 0f, dy, y, null, dz, accumulate: false);
        Reduce(ReduceOp.Sum, dz, axesMask: 1, columnSums, accumulateSums);
    }

    /// <summary>
    /// y[c] (+)= scale · Σ_r x[r, c]: through cuBLAS when it multiplies (one launch), else the reduction kernels (two).
    /// Bias gradients land here.
    /// </summary>
    private void SumOverRows(
        ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int rows, int cols, float scale, bool accumulate)
    {
        if (!Kernels.Gemm.TrySumOverRows(Stream, x, y, rows, cols, scale, accumulate))
        {
            Kernels.Reductions.OverRows(Stream, max: false, x, y, rows, cols, scale, accumulate);
        }
    }

    private static int ReducedCount(ReadOnlySpan<int> shape, int axesMask)
    {
        int count = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if ((axesMask & (1 << axis)) != 0)
            {
                count *= shape[axis];
            }
        }

        return count;
    }

    /// <summary>How many of the last axes the mask covers, when it covers exactly those (0 otherwise).</summary>
    private static int TrailingAxes(int axesMask, int rank)
    {
        for (int count = 1; count < rank; count++)
        {
            if (axesMask == ((1 << rank) - 1) - ((1 << (rank - count)) - 1))
            {
                return count;
            }
        }

        return 0;
    }

    /// <summary>How many of the first axes the mask covers, when it covers exactly those (0 otherwise).</summary>
    private static int LeadingAxes(int axesMask)
    {
        int count = 0;
        while ((axesMask & (1 << count)) != 0)
        {
            count++;
        }

        return axesMask == (1 << count) - 1 ? count : 0;
    }

    private static int Product(ReadOnlySpan<int> shape)
    {
        int product = 1;
        foreach (int dim in shape)
        {
            product *= dim;
        }

        return product;
    }
}
