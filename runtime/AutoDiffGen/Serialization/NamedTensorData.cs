using System;

namespace AutoDiffGen.Serialization;

/// <summary>
/// One float32 tensor of a checkpoint: its name, shape and elements in row-major order.
/// </summary>
public sealed class NamedTensorData
{
    /// <summary>The header key that safetensors reserves for free-form metadata; no tensor may use it.</summary>
    public const string MetadataKey = "__metadata__";

    private readonly int[] _shape;

    /// <summary>Creates a named tensor. The shape is copied; <paramref name="data"/> is kept as is, not copied.</summary>
    /// <param name="name">A non-empty name other than <c>__metadata__</c>, e.g. <c>"layer1.weight"</c>.</param>
    /// <param name="shape">The dimensions, none negative; empty for a scalar.</param>
    /// <param name="data">The elements, row-major; its length must be the product of <paramref name="shape"/>.</param>
    public NamedTensorData(string name, ReadOnlySpan<int> shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        if (name == MetadataKey)
        {
            throw new ArgumentException($"'{MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(name));
        }

        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has shape {ShapeText(shape)} with a negative dimension.", nameof(shape));
            }
        }

        long count = ElementCount(shape);
        if (count != data.Length)
        {
            string needed = count > Array.MaxLength ? "more than an array can hold" : $"{count} elements";
            throw new ArgumentException(
                $"Tensor '{name}' has shape {ShapeText(shape)}, which needs {needed}, but its data has {data.Length} elements.",
                nameof(data));
        }

        Name = name;
        _shape = shape.ToArray();
        Data = data;
    }

    /// <summary>The tensor's name, its key in the file.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The elements in row-major order: the array given to (or read by) this object, not a copy.</summary>
    public float[] Data { get; }

    /// <summary>
    /// The product of non-negative dimensions (1 for a scalar), or <see cref="long.MaxValue"/> once it
    /// passes <see cref="Array.MaxLength"/>, so that corrupt shapes cannot overflow.
    /// </summary>
    internal static long ElementCount(ReadOnlySpan<int> shape)
    {
        if (shape.Contains(0))
        {
            return 0;
        }

        long count = 1;
        foreach (int dimension in shape)
        {
            // Both factors are below 2^31 here, so the product fits in a long.
            count *= dimension;
            if (count > Array.MaxLength)
            {
                return long.MaxValue;
            }
        }

        return count;
    }

    internal static string ShapeText(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
