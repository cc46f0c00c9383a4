using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// Device buffers an op borrows for dense copies of strided operands and for intermediate results (a broadcast
/// gradient before its reduction, uploaded labels). They grow to the largest request and are then reused, so ops on
/// views allocate nothing in steady state. Hold <see cref="Lock"/> from taking a view until the work that uses it is
/// queued: the stream runs queued work in order, so the next holder cannot overwrite it too early.
/// </summary>
internal sealed class ScratchBuffers
{
    /// <summary>How many float buffers one op may use at once.</summary>
    public const int Slots = 4;

    private readonly Accelerator _accelerator;
    private readonly AcceleratorStream _stream;
    private readonly BufferRetirement _retirement;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _floats = new MemoryBuffer1D<float, Stride1D.Dense>?[Slots];
    private MemoryBuffer1D<int, Stride1D.Dense>? _ints;

    public ScratchBuffers(Accelerator accelerator, AcceleratorStream stream, BufferRetirement retirement)
    {
        _accelerator = accelerator;
        _stream = stream;
        _retirement = retirement;
    }

    public object Lock { get; } = new();

    /// <summary>The first <paramref name="length"/> floats of buffer <paramref name="slot"/>, grown when too short (contents undefined).</summary>
    public ArrayView1D<float, Stride1D.Dense> Floats(int slot, int length)
    {
        var buffer = _floats[slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = Grow(buffer, length);
            _floats[slot] = buffer;
        }

        _retirement.Used(buffer);
        return buffer.View.SubView(0, Math.Max(length, 1));
    }

    /// <summary>The first <paramref name="length"/> ints of the integer buffer, grown when too short (contents undefined).</summary>
    public ArrayView1D<int, Stride1D.Dense> Ints(int length)
    {
        if (_ints is null || _ints.Length < length)
        {
            _ints = Grow(_ints, length);
        }

        _retirement.Used(_ints);
        return _ints.View.SubView(0, Math.Max(length, 1));
    }

    private MemoryBuffer1D<T, Stride1D.Dense> Grow<T>(MemoryBuffer1D<T, Stride1D.Dense>? old, int length)
        where T : unmanaged
    {
        if (old is not null)
        {
            // Work queued earlier, or a recorded graph, may still read the old buffer.
            _retirement.Retire(_stream, old);
        }

        // Doubling keeps a run of slowly growing requests from reallocating every time.
        long size = Math.Max(Math.Max(length, 1024), 2 * (old?.Length ?? 0));
        return _accelerator.Allocate1D<T>(size);
    }
}
