using System;
using System.Runtime.InteropServices;

namespace AutoDiffGen.Backends.Cpu.Gemm;

/// <summary>
/// One thread's packing buffers for <see cref="Sgemm"/>: native, 64-byte aligned, grown to the largest block seen
/// and then reused, so steady-state GEMM calls allocate nothing. Worker threads live as long as the process, so
/// their buffers are never freed; a short-lived calling thread's buffers are freed by the finalizer.
/// </summary>
internal sealed unsafe class SgemmScratch
{
    [ThreadStatic]
    private static SgemmScratch? t_current;

    private nuint _packedACapacity;
    private nuint _packedBCapacity;
    private nuint _zerosCapacity;

    private SgemmScratch()
    {
    }

    ~SgemmScratch()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(Zeros);
    }

    public static SgemmScratch Current => t_current ??= new SgemmScratch();

    public float* PackedA { get; private set; }

    public float* PackedB { get; private set; }

    /// <summary>Zeros that the transposing pack reads for rows past the matrix edge.</summary>
    public float* Zeros { get; private set; }

    /// <summary>Makes every buffer at least as large as asked (in floats), keeping what is already big enough.</summary>
    public void Reserve(nuint packedA, nuint packedB, nuint zeros)
    {
        PackedA = Grow(PackedA, ref _packedACapacity, packedA + SgemmPacking.Slack, clear: false);
        PackedB = Grow(PackedB, ref _packedBCapacity, packedB + SgemmPacking.Slack, clear: false);
        Zeros = Grow(Zeros, ref _zerosCapacity, zeros + 8, clear: true);
    }

    private static float* Grow(float* buffer, ref nuint capacity, nuint needed, bool clear)
    {
        if (needed <= capacity)
        {
            return buffer;
        }

        NativeMemory.AlignedFree(buffer);
        nuint size = Math.Max(needed, capacity * 2);
        var grown = (float*)NativeMemory.AlignedAlloc(size * sizeof(float), 64);
        if (clear)
        {
            NativeMemory.Clear(grown, size * sizeof(float));
        }

        capacity = size;
        return grown;
    }
}
