using System;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>
/// A per-thread pinned float buffer for kernels that need temporary rows (softmax, the routing of Max's gradient).
/// It grows to the largest request and is then reused, so steady-state calls allocate nothing.
/// </summary>
internal static unsafe class ScratchBuffer
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>At least <paramref name="length"/> floats, valid until the thread's next call; contents are undefined.</summary>
    public static float* Get(int length)
    {
        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, 256), pinned: true);
            t_buffer = buffer;
        }

        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer));
    }
}
