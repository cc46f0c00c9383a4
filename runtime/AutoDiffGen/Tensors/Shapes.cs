using System;
using System.Text;

namespace AutoDiffGen;

/// <summary>Shape arithmetic and the shape text used in error messages ("[100,784]").</summary>
internal static class Shapes
{
    /// <summary>Formats a shape as <c>[d0,d1,...]</c>; a scalar is <c>[]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(shape[i]);
        }

        return text.Append(']').ToString();
    }

    /// <summary>The element count of a shape; throws when it is negative, too long or overflows.</summary>
    public static int CheckedLength(string op, ReadOnlySpan<int> shape)
    {
        if (shape.Length > Tensor.MaxRank)
        {
            throw new ArgumentException($"{op}: shape {Format(shape)} has rank {shape.Length}; tensors have at most {Tensor.MaxRank} axes.");
        }

        long length = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"{op}: shape {Format(shape)} has a negative dimension.");
            }

            length *= dim;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"{op}: shape {Format(shape)} has more elements than one tensor can hold.");
            }
        }

        return (int)length;
    }

    /// <summary>The element count of a valid shape.</summary>
    public static int Product(ReadOnlySpan<int> shape)
    {
        int length = 1;
        foreach (int dim in shape)
        {
            length *= dim;
        }

        return length;
    }

    /// <summary>Row-major (C order) strides for a shape.</summary>
    public static int[] RowMajorStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    /// <summary>Whether two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>
    /// Writes the NumPy broadcast of <paramref name="a"/> and <paramref name="b"/> into <paramref name="result"/>
    /// (length ≥ the larger rank) and returns its rank; throws naming the op and both shapes when they do not broadcast.
    /// </summary>
    public static int Broadcast(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int rank = Math.Max(a.Length, b.Length);
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Length ? a[^i] : 1;
            int db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (axis {-i}: {da} != {db}).");
            }

            result[rank - i] = da == 1 ? db : da;
        }

        return rank;
    }
}
