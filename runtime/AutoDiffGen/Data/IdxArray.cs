using System;

namespace AutoDiffGen.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes (the format of the MNIST files): a shape and the
/// elements in row-major order.
/// </summary>
public sealed class IdxArray
{
    private readonly int[] _dimensions;
    private readonly byte[] _data;

    /// <summary>Creates an array; <paramref name="data"/> is kept, not copied.</summary>
    /// <param name="dimensions">The shape: between 1 and 255 dimensions, none negative.</param>
    /// <param name="data">The elements, row-major; its length must be the product of the dimensions.</param>
    public IdxArray(ReadOnlySpan<int> dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is < 1 or > byte.MaxValue)
        {
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions, not {dimensions.Length}.", nameof(dimensions));
        }

        long count = 1;
        foreach (int dimension in dimensions)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"IDX dimensions [{string.Join(", ", dimensions.ToArray())}] include a negative one.", nameof(dimensions));
            }

            count = checked(count * dimension);
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"IDX dimensions [{string.Join(", ", dimensions.ToArray())}] need {count} elements, but the data has {data.Length}.",
                nameof(data));
        }

        _dimensions = dimensions.ToArray();
        _data = data;
    }

    /// <summary>The shape, outermost dimension first.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>How many dimensions there are.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The elements in row-major order.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The shape written as <c>[a, b, c]</c>, for messages.</summary>
    internal string DimensionsText => "[" + string.Join(", ", _dimensions) + "]";
}
