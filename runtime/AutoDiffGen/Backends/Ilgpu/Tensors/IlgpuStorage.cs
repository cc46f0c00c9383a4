using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// Tensor memory on an ILGPU accelerator. ILGPU frees the buffer when it becomes unreachable (its finalizer binds the
/// accelerator first); this object tells the garbage collector how much device memory it holds, so that tensors
/// dropped in a loop are collected before the device runs out.
/// </summary>
internal sealed class IlgpuStorage : TensorStorage
{
    private readonly IlgpuBackend _backend;
    private readonly long _bytes;

    public IlgpuStorage(IlgpuBackend backend, MemoryBuffer1D<float, Stride1D.Dense> buffer, int length)
    {
        _backend = backend;
        Buffer = buffer;
        Length = length;
        _bytes = buffer.LengthInBytes;
        GC.AddMemoryPressure(_bytes);
    }

    // The buffer's own finalizer may already have run: use the size recorded at allocation, not the buffer.
    ~IlgpuStorage()
    {
        GC.RemoveMemoryPressure(_bytes);
    }

    /// <summary>The device buffer; at least one element long even for an empty tensor.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; }

    public override Device Device => _backend.Device;

    public override int Length { get; }
}
