using System;
using AutoDiffGen.Backends.Cpu.Kernels;

namespace AutoDiffGen.Backends.Cpu;

/// <summary>
/// The CPU kernels behind <see cref="ITensorBackend"/>. Each call pins the arrays involved, describes the operands to a
/// <see cref="StridedLoop"/> (or to <see cref="Gemm.Sgemm"/>) and runs a row kernel, on the worker pool when big enough.
/// </summary>
internal sealed unsafe partial class CpuBackend : ITensorBackend
{
    public CpuBackend(CpuDevice device)
    {
        Device = device;
    }

    public CpuDevice Device { get; }

    public TensorStorage Allocate(int length) => new CpuStorage(length);

    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        Span<int> rowMajor = stackalloc int[Math.Max(destination.Rank, 1)];
        RowMajor(destination.Shape, rowMajor);
        fixed (float* src = source)
        fixed (float* dst = Data(destination))
        {
            var loop = StridedLoop.Create(destination.Shape, dst + destination.Offset, destination.Strides, src, rowMajor);
            var kernel = default(CopyKernel);
            loop.RunParallel(ref kernel);
        }
    }

    public void Download(Tensor source, Span<float> destination)
    {
        Span<int> rowMajor = stackalloc int[Math.Max(source.Rank, 1)];
        RowMajor(source.Shape, rowMajor);
        fixed (float* dst = destination)
        fixed (float* src = Data(source))
        {
            var loop = StridedLoop.Create(source.Shape, dst, rowMajor, src + source.Offset, source.Strides);
            var kernel = default(CopyKernel);
            loop.RunParallel(ref kernel);
        }
    }

    public void Fill(Tensor destination, float value)
    {
        fixed (float* dst = Data(destination))
        {
            var loop = StridedLoop.Create(destination.Shape, dst + destination.Offset, destination.Strides);
            var kernel = new FillKernel { Value = value };
            loop.RunParallel(ref kernel);
        }
    }

    public void Copy(Tensor source, Tensor destination)
    {
        Span<int> sourceStrides = stackalloc int[Math.Max(destination.Rank, 1)];
        AlignStrides(source, destination.Shape, sourceStrides);
        fixed (float* dst = Data(destination))
        fixed (float* src = Data(source))
        {
            var loop = StridedLoop.Create(destination.Shape, dst + destination.Offset, destination.Strides, src + source.Offset, sourceStrides);
            var kernel = default(CopyKernel);
            loop.RunParallel(ref kernel);
        }
    }

    /// <summary>The managed array behind a CPU tensor.</summary>
    internal static float[] Data(Tensor tensor) => ((CpuStorage)tensor.Storage).Data;

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    internal static void RowMajor(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
    }

    /// <summary>
    /// The strides of <paramref name="operand"/> aligned to the (broadcast) <paramref name="shape"/>: 0 along axes the
    /// operand lacks or has size 1 and therefore repeats.
    /// </summary>
    internal static void AlignStrides(Tensor operand, ReadOnlySpan<int> shape, Span<int> strides)
    {
        int lead = shape.Length - operand.Rank;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            int own = axis - lead;
            strides[axis] = own < 0 || operand.Shape[own] == 1 ? 0 : operand.Strides[own];
        }
    }

    /// <summary>
    /// The strides of a reduction's output <paramref name="reduced"/> aligned to its input of rank
    /// <paramref name="rank"/>: 0 along the reduced axes. <paramref name="reduced"/> keeps those axes as size 1
    /// (same rank) or drops them.
    /// </summary>
    internal static void ReducedStrides(Tensor reduced, int rank, int axesMask, Span<int> strides)
    {
        bool kept = reduced.Rank == rank;
        int own = 0;
        for (int axis = 0; axis < rank; axis++)
        {
            bool isReduced = (axesMask & (1 << axis)) != 0;
            if (kept || !isReduced)
            {
                strides[axis] = isReduced || reduced.Shape[own] == 1 ? 0 : reduced.Strides[own];
                own++;
            }
            else
            {
                strides[axis] = 0;
            }
        }
    }

    /// <summary>Whether <paramref name="operand"/>, aligned to <paramref name="shape"/>, repeats along some axis of size &gt; 1.</summary>
    internal static bool IsBroadcast(Tensor operand, ReadOnlySpan<int> shape) => operand.Length != Shapes.Product(shape);
}
