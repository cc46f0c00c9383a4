using System;
using AutoDiffGen.Backends.Ilgpu.Strided;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>Describes tensors (shapes, strides, broadcasting) to the strided kernels as four-axis layouts.</summary>
internal static class TensorLayouts
{
    private const int Axes = 4;

    /// <summary>The shape padded with leading axes of size 1 to four axes.</summary>
    public static Extent4 Extent(ReadOnlySpan<int> shape)
    {
        Span<int> d = [1, 1, 1, 1];
        shape.CopyTo(d[(Axes - shape.Length)..]);
        return new Extent4(d[0], d[1], d[2], d[3]);
    }

    /// <summary>
    /// The strides of <paramref name="operand"/> broadcast to <paramref name="shape"/> (NumPy rules: last axes align;
    /// 0 along axes the operand lacks or has of size 1), padded to four axes.
    /// </summary>
    public static Strides4 Aligned(Tensor operand, ReadOnlySpan<int> shape)
    {
        Span<int> s = stackalloc int[Axes];
        s.Clear();
        int lead = Axes - shape.Length;
        int missing = shape.Length - operand.Rank;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            int own = axis - missing;
            s[lead + axis] = own < 0 || operand.Shape[own] == 1 ? 0 : operand.Strides[own];
        }

        return new Strides4(s[0], s[1], s[2], s[3]);
    }

    /// <summary>Row-major strides of a dense tensor of <paramref name="shape"/>, padded to four axes.</summary>
    public static Strides4 RowMajor(ReadOnlySpan<int> shape)
    {
        Span<int> s = stackalloc int[Axes];
        s.Clear();
        int stride = 1;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            s[Axes - shape.Length + axis] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }

        return new Strides4(s[0], s[1], s[2], s[3]);
    }

    /// <summary>
    /// The strides of a reduction's output aligned to its input of rank <paramref name="rank"/>: 0 along the reduced
    /// axes, which the output keeps with size 1 (same rank) or drops.
    /// </summary>
    public static Strides4 Reduced(Tensor reduced, int rank, int axesMask)
    {
        Span<int> s = stackalloc int[Axes];
        s.Clear();
        bool kept = reduced.Rank == rank;
        int own = 0;
        for (int axis = 0; axis < rank; axis++)
        {
            bool isReduced = (axesMask & (1 << axis)) != 0;
            if (kept || !isReduced)
            {
                s[Axes - rank + axis] = isReduced || reduced.Shape[own] == 1 ? 0 : reduced.Strides[own];
                own++;
            }
        }

        return new Strides4(s[0], s[1], s[2], s[3]);
    }

    /// <summary>
    /// An elementwise layout over <paramref name="output"/>'s shape with the given operands broadcast to it (null ones are
    /// not read). Dense when every tensor involved is contiguous and full-sized.
    /// </summary>
    public static ElementwiseLayout Elementwise(Tensor output, Tensor? first, Tensor? second = null, Tensor? third = null)
    {
        var shape = output.Shape;
        return new ElementwiseLayout
        {
            Length = output.Length,
            Dense = output.IsContiguous && IsDense(first, output) && IsDense(second, output) && IsDense(third, output) ? 1 : 0,
            Extent = Extent(shape),
            Output = Aligned(output, shape),
            First = first is null ? default : Aligned(first, shape),
            Second = second is null ? default : Aligned(second, shape),
            Third = third is null ? default : Aligned(third, shape),
            Scalar = 1f,
        };
    }

    /// <summary>A copy of the strided <paramref name="source"/> into a dense row-major buffer of its shape.</summary>
    public static ElementwiseLayout Gather(Tensor source) => new()
    {
        Length = source.Length,
        Dense = source.IsContiguous ? 1 : 0,
        Extent = Extent(source.Shape),
        Output = RowMajor(source.Shape),
        First = Aligned(source, source.Shape),
        Scalar = 1f,
    };

    /// <summary>A copy (or, with accumulate, an addition) of a dense row-major buffer into the strided <paramref name="destination"/>.</summary>
    public static ElementwiseLayout Scatter(Tensor destination, bool accumulate) => new()
    {
        Length = destination.Length,
        Dense = destination.IsContiguous ? 1 : 0,
        Extent = Extent(destination.Shape),
        Output = Aligned(destination, destination.Shape),
        First = RowMajor(destination.Shape),
        Scalar = 1f,
        Accumulate = accumulate ? 1 : 0,
    };

    /// <summary>
    /// Splits <paramref name="shape"/> into groups: the axes in <paramref name="axesMask"/> form each group (inner), the
    /// others index the groups (outer). Strides are left for the caller.
    /// </summary>
    public static GroupLayout Groups(ReadOnlySpan<int> shape, int axesMask)
    {
        Span<int> outer = [1, 1, 1, 1];
        Span<int> inner = [1, 1, 1, 1];
        int groups = 1, groupSize = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if ((axesMask & (1 << axis)) != 0)
            {
                inner[Axes - shape.Length + axis] = shape[axis];
                groupSize *= shape[axis];
            }
            else
            {
                outer[Axes - shape.Length + axis] = shape[axis];
                groups *= shape[axis];
            }
        }

        return new GroupLayout
        {
            Groups = groups,
            GroupSize = groupSize,
            Outer = new Extent4(outer[0], outer[1], outer[2], outer[3]),
            Inner = new Extent4(inner[0], inner[1], inner[2], inner[3]),
            Scale = 1f,
        };
    }

    private static bool IsDense(Tensor? operand, Tensor output) => operand is null || (operand.IsContiguous && operand.Length == output.Length);
}
