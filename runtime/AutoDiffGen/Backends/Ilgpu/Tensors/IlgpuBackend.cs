using System;
using AutoDiffGen.Backends.Ilgpu.Strided;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// <see cref="ITensorBackend"/> on an ILGPU accelerator. Every op is queued on the accelerator's default stream, so
/// ops run in call order without host synchronisation; only reading values back waits. Contiguous tensors go to the
/// dense kernel sets of <see cref="IlgpuDevice"/> (float4 access, warp-per-row reductions, tiled GEMM); views, broadcasts
/// the dense kernels cannot express, and reductions over arbitrary axes go to the strided kernels. Nothing allocates on
/// the host per call; dense copies of strided operands use <see cref="ScratchBuffers"/>.
/// </summary>
internal sealed unsafe partial class IlgpuBackend : ITensorBackend
{
    private readonly ScratchBuffers _scratch;

    public IlgpuBackend(IlgpuTensorDevice device, IlgpuDevice kernels)
    {
        Device = device;
        Kernels = kernels;
        DefaultStream = kernels.Accelerator.DefaultStream;
        _scratch = new ScratchBuffers(kernels.Accelerator, DefaultStream, kernels.Retirement);
        UserKernels = new UserKernels(kernels.Accelerator, kernels.Geometry);
    }

    public IlgpuTensorDevice Device { get; }

    public IlgpuDevice Kernels { get; }

    /// <summary>The stream every op of this device is queued on: the accelerator's default stream, or the stream being captured while recording.</summary>
    public AcceleratorStream Stream => RecordingStream ?? DefaultStream;

    /// <summary>The accelerator's default stream, which ops use outside recording and graphs are replayed on.</summary>
    public AcceleratorStream DefaultStream { get; }

    /// <summary>The stream a <see cref="CudaGraphRecorder"/> is capturing, while it records; null otherwise.</summary>
    public AcceleratorStream? RecordingStream { get; set; }

    /// <summary>The stream CUDA graphs are captured from, created by the first recording.</summary>
    public CudaStream? CaptureStream { get; set; }

    /// <summary>Kernels launched through <see cref="GpuKernels"/>, loaded once each.</summary>
    public UserKernels UserKernels { get; }

    private StridedKernels Strided => Kernels.Strided;

    public TensorStorage Allocate(int length)
    {
        var buffer = AllocateBuffer(length);
        buffer.MemSetToZero(Stream);
        return new IlgpuStorage(this, buffer, length);
    }

    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        if (destination.Length == 0)
        {
            return;
        }

        if (destination.IsContiguous)
        {
            CopyFromHost(source, DenseView(destination));
            return;
        }

        lock (_scratch.Lock)
        {
            var staging = _scratch.Floats(0, destination.Length);
            CopyFromHost(source, staging);
            Strided.Apply<ScaledCopyOp>(Stream, View(destination), staging.BaseView, staging.BaseView, staging.BaseView, TensorLayouts.Scatter(destination, accumulate: false));
        }
    }

    public void Download(Tensor source, Span<float> destination)
    {
        if (source.Length == 0)
        {
            return;
        }

        if (source.IsContiguous)
        {
            CopyToHost(DenseView(source), destination);
            return;
        }

        lock (_scratch.Lock)
        {
            var staging = _scratch.Floats(0, source.Length);
            Gather(source, staging);
            CopyToHost(staging, destination);
        }
    }

    public void Fill(Tensor destination, float value)
    {
        var layout = TensorLayouts.Elementwise(destination, null);
        layout.Scalar = value;
        var view = ViewOrEmpty(destination);
        Strided.Apply<FillOp>(Stream, view, view, view, view, layout);
    }

    public void Copy(Tensor source, Tensor destination)
    {
        if (destination.Length == 0)
        {
            return;
        }

        if (source.IsContiguous && destination.IsContiguous && source.Length == destination.Length)
        {
            DenseView(source).CopyTo(Stream, DenseView(destination));
            return;
        }

        var view = View(source);
        Strided.Apply<ScaledCopyOp>(Stream, View(destination), view, view, view, TensorLayouts.Elementwise(destination, source));
    }

    /// <summary>The buffer behind a tensor of this device.</summary>
    internal static MemoryBuffer1D<float, Stride1D.Dense> BufferOf(Tensor tensor) => ((IlgpuStorage)tensor.Storage).Buffer;

    /// <summary>The elements of a contiguous tensor, in row-major order.</summary>
    internal static ArrayView1D<float, Stride1D.Dense> DenseView(Tensor tensor) => BufferOf(tensor).View.SubView(tensor.Offset, tensor.Length);

    /// <summary>The tensor's storage from its first element on, for kernels that apply its strides themselves.</summary>
    private static ArrayView<float> View(Tensor tensor)
    {
        var buffer = BufferOf(tensor);
        return buffer.View.SubView(tensor.Offset, buffer.Length - tensor.Offset).BaseView;
    }

    /// <summary>Like <see cref="View"/>, but safe for an empty tensor whose offset may sit at the end of its storage.</summary>
    private static ArrayView<float> ViewOrEmpty(Tensor tensor) => tensor.Length == 0 ? BufferOf(tensor).View.BaseView : View(tensor);

    /// <summary>Copies a strided tensor into a dense row-major buffer of its shape.</summary>
    private void Gather(Tensor source, ArrayView1D<float, Stride1D.Dense> dense)
    {
        var view = View(source);
        Strided.Apply<ScaledCopyOp>(Stream, dense.BaseView, view, view, view, TensorLayouts.Gather(source));
    }

    /// <summary>Copies (or adds) a dense row-major buffer into a strided tensor of the same shape.</summary>
    private void Scatter(ArrayView1D<float, Stride1D.Dense> dense, Tensor destination, bool accumulate) =>
        Strided.Apply<ScaledCopyOp>(Stream, View(destination), dense.BaseView, dense.BaseView, dense.BaseView, TensorLayouts.Scatter(destination, accumulate));

    /// <summary>
    /// The tensor's elements as one dense row-major view: the tensor itself when contiguous, else a copy in scratch
    /// <paramref name="slot"/> (the caller holds the scratch lock).
    /// </summary>
    private ArrayView1D<float, Stride1D.Dense> DenseInput(Tensor tensor, int slot)
    {
        if (tensor.IsContiguous)
        {
            return DenseView(tensor);
        }

        var dense = _scratch.Floats(slot, tensor.Length);
        Gather(tensor, dense);
        return dense;
    }

    /// <summary>
    /// Where a kernel that writes dense rows can put a result meant for <paramref name="tensor"/>: the tensor itself
    /// when contiguous, else scratch <paramref name="slot"/>, to be scattered afterwards with <see cref="FinishOutput"/>.
    /// </summary>
    private ArrayView1D<float, Stride1D.Dense> DenseOutput(Tensor tensor, int slot) =>
        tensor.IsContiguous ? DenseView(tensor) : _scratch.Floats(slot, tensor.Length);

    /// <summary>Moves a result computed in scratch (for a non-contiguous output) into the output tensor.</summary>
    private void FinishOutput(ArrayView1D<float, Stride1D.Dense> dense, Tensor tensor, bool accumulate)
    {
        if (!tensor.IsContiguous)
        {
            Scatter(dense, tensor, accumulate);
        }
    }

    private void CopyFromHost(ReadOnlySpan<float> source, ArrayView1D<float, Stride1D.Dense> target)
    {
        // Pinned for the call, which returns only once the copy has completed.
        fixed (float* data = source)
        {
            target.BaseView.CopyFromCPU(Stream, ref *data, source.Length);
        }
    }

    private void CopyToHost(ArrayView1D<float, Stride1D.Dense> source, Span<float> destination)
    {
        fixed (float* data = destination)
        {
            source.BaseView.CopyToCPU(Stream, ref *data, destination.Length);
        }
    }

    private MemoryBuffer1D<float, Stride1D.Dense> AllocateBuffer(int length)
    {
        // One element at least: an empty tensor still needs a valid buffer to take views of.
        long elements = Math.Max(length, 1);
        try
        {
            return Kernels.Accelerator.Allocate1D<float>(elements);
        }
        catch (Exception e) when (e is CudaException or OutOfMemoryException)
        {
            // Unreachable tensors may still hold memory: let their finalizers free it, and try once more.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            try
            {
                return Kernels.Accelerator.Allocate1D<float>(elements);
            }
            catch (Exception again) when (again is CudaException or OutOfMemoryException)
            {
                throw new OutOfMemoryException(
                    $"{Device.Name}: cannot allocate a tensor of {length} floats ({length * 4.0 / (1 << 20):F1} MiB) on {Kernels.Name}: {again.Message} Free tensors that are no longer needed, or use smaller batches.",
                    again);
            }
        }
    }
}
