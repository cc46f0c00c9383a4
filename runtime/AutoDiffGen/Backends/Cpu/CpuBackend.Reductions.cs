using System;
using AutoDiffGen.Backends.Cpu.Kernels;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Reduce(ReduceOp op, Tensor x, int axesMask, Tensor y, bool accumulate)
    {
        if (op == ReduceOp.Max && accumulate)
        {
            throw new NotSupportedException("Reduce: Max does not accumulate.");
        }

        if (!accumulate)
        {
            Fill(y, op == ReduceOp.Max ? float.NegativeInfinity : 0f);
        }

        int rank = x.Rank;
        Span<int> yStrides = stackalloc int[Math.Max(rank, 1)];
        ReducedStrides(y, rank, axesMask, yStrides);
        fixed (float* py = Data(y))
        fixed (float* px = Data(x))
        {
            var loop = StridedLoop.Create(x.Shape, py + y.Offset, yStrides, px + x.Offset, x.Strides);
            var kernel = new ReduceKernel { IsMax = op == ReduceOp.Max, Scale = op == ReduceOp.Mean ? 1f / ReducedCount(x, axesMask) : 1f };

            // Rows may fold into the same output element, so the reduction stays on one thread.
            loop.Run(ref kernel);
        }
    }

    public void ReduceBackward(ReduceOp op, Tensor dy, Tensor? x, Tensor? y, int axesMask, Tensor dx, bool accumulate)
    {
        int rank = dx.Rank;
        Span<int> dyStrides = stackalloc int[Math.Max(rank, 1)];
        ReducedStrides(dy, rank, axesMask, dyStrides);
        if (op != ReduceOp.Max)
        {
            fixed (float* pdx = Data(dx))
            fixed (float* pdy = Data(dy))
            {
                var loop = StridedLoop.Create(dx.Shape, pdx + dx.Offset, dx.Strides, pdy + dy.Offset, dyStrides);
                var kernel = new ScaledCopyKernel { Scale = op == ReduceOp.Mean ? 1f / ReducedCount(dx, axesMask) : 1f, Accumulate = accumulate };
                loop.RunParallel(ref kernel);
            }

            return;
        }

        if (x is null || y is null)
        {
            throw new ArgumentNullException(x is null ? nameof(x) : nameof(y), "Max backward needs the forward input and output.");
        }

        if (!accumulate)
        {
            Fill(dx, 0f);
        }

        // Copy dy into a dense scratch laid out like the reduced shape; routing clears each entry once it has been
        // added at the first maximum of its group.
        Span<int> yStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> pendingStrides = stackalloc int[Math.Max(rank, 1)];
        ReducedStrides(y, rank, axesMask, yStrides);
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            bool reduced = (axesMask & (1 << axis)) != 0;
            pendingStrides[axis] = reduced ? 0 : stride;
            stride *= reduced ? 1 : dx.Shape[axis];
        }

        float* pending = ScratchBuffer.Get(stride);
        fixed (float* pdx = Data(dx))
        fixed (float* pdy = Data(dy))
        fixed (float* px = Data(x))
        fixed (float* py = Data(y))
        {
            var gather = StridedLoop.Create(dx.Shape, pending, pendingStrides, pdy + dy.Offset, dyStrides);
            var copy = default(CopyKernel);
            gather.Run(ref copy);

            var route = StridedLoop.Create(dx.Shape, pdx + dx.Offset, dx.Strides, px + x.Offset, x.Strides, py + y.Offset, yStrides, pending, pendingStrides);
            var kernel = default(MaxRouteKernel);
            route.Run(ref kernel);
        }
    }

    private static int ReducedCount(Tensor input, int axesMask)
    {
        int count = 1;
        for (int axis = 0; axis < input.Rank; axis++)
        {
            if ((axesMask & (1 << axis)) != 0)
            {
                count *= input.Shape[axis];
            }
        }

        return count;
    }

    public void ReluGradientWithColumnSums(Tensor dy, Tensor y, Tensor dz, Tensor columnSums, bool accumulateSums)
    {
        // Two vectorized passes: on the CPU a second pass costs no launch.
        UnaryBackward(UnaryOp.Relu, 0f, dy, y, null, dz, accumulate: false);
        Reduce(ReduceOp.Sum, dz, axesMask: 1, columnSums, accumulateSums);
    }
}
