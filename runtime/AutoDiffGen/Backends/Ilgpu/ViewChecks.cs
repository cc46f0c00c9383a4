using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Argument checks done on the host before a launch, so that a wrong shape fails with a message
/// naming the operation and the sizes instead of reading out of bounds on the device.
/// </summary>
internal static class ViewChecks
{
    public static void Length(string op, string name, ArrayView1D<float, Stride1D.Dense> view, long expected, string shape)
    {
        if (view.Length != expected)
        {
            throw new ArgumentException(
                $"{op}: '{name}' has {view.Length} elements but shape {shape} needs {expected}.", name);
        }
    }

    public static void Length(string op, string name, ArrayView1D<int, Stride1D.Dense> view, long expected, string shape)
    {
        if (view.Length != expected)
        {
            throw new ArgumentException(
                $"{op}: '{name}' has {view.Length} elements but shape {shape} needs {expected}.", name);
        }
    }

    public static void Positive(string op, string name, long value)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{op}: '{name}' must be positive, got {value}.");
        }
    }

    /// <summary>Checks a rows x cols shape and returns its element count, which must fit an int index.</summary>
    public static int Matrix(string op, int rows, int cols)
    {
        Positive(op, "rows", rows);
        Positive(op, "cols", cols);
        long count = (long)rows * cols;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), $"{op}: shape [{rows}, {cols}] has {count} elements; the kernels index with 32-bit integers.");
        }

        return (int)count;
    }

    /// <summary>True when a view starts on a 16-byte boundary, so it can be read as <see cref="Float4"/>.</summary>
    public static bool IsAligned16(ArrayView1D<float, Stride1D.Dense> view) => OffsetInBytes(view.BaseView) % 16 == 0;

    // A constrained generic call reads the explicitly implemented property without boxing the view.
    private static long OffsetInBytes<TView>(TView view)
        where TView : IContiguousArrayView => view.IndexInBytes;
}
