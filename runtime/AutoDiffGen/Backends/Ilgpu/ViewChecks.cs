using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Argument checks done on the host before a launch, so that a wrong shape fails with a message
/// naming the operation and the sizes instead of reading out of bounds on the device. Messages are
/// only built on failure: a passing check allocates nothing.
/// </summary>
internal static class ViewChecks
{
    /// <summary>Checks that a view holds exactly <paramref name="length"/> elements, shape [length].</summary>
    public static void Vector<T>(string op, string name, ArrayView1D<T, Stride1D.Dense> view, long length)
        where T : unmanaged
    {
        if (view.Length != length)
        {
            throw new ArgumentException($"{op}: '{name}' has {view.Length} elements but shape [{length}] needs {length}.", name);
        }
    }

    /// <summary>Checks that a view holds a [rows, cols] matrix; <paramref name="label"/> prefixes the shape in the message.</summary>
    public static void Matrix<T>(string op, string name, ArrayView1D<T, Stride1D.Dense> view, long rows, long cols, string label = "")
        where T : unmanaged
    {
        if (view.Length != rows * cols)
        {
            throw new ArgumentException(
                $"{op}: '{name}' has {view.Length} elements but shape {label}[{rows}, {cols}] needs {rows * cols}.", name);
        }
    }

    /// <summary>Checks a rows x cols shape and returns its element count, which must fit an int index.</summary>
    public static int Matrix(string op, int rows, int cols)
    {
        if (rows <= 0 || cols <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"{op}: shape [{rows}, {cols}] must have positive sizes.");
        }

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
