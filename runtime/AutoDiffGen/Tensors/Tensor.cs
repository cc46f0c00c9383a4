using System;
using System.Runtime.CompilerServices;

namespace AutoDiffGen;

/// <summary>
/// A float32 tensor of rank 0 to 4: a view (shape, strides in elements, element offset) of storage on one
/// <see cref="AutoDiffGen.Device"/>. Views made by <see cref="Reshape"/> and <see cref="Transpose()"/> share storage with
/// the tensor they came from. Ops live in <see cref="TensorOps"/> (forward) and <see cref="TensorGradients"/> (backward).
/// </summary>
/// <remarks>
/// Creating a tensor or a view allocates a small managed object; code that must not allocate in steady state
/// (generated training steps) creates its tensors once and then calls the destination forms of the ops.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>The largest rank a tensor can have.</summary>
    public const int MaxRank = 4;

    private readonly int[] _shape;
    private readonly int[] _strides;

    internal Tensor(TensorStorage storage, int[] shape, int[] strides, int offset)
    {
        Storage = storage;
        _shape = shape;
        _strides = strides;
        Offset = offset;
        int length = 1;
        foreach (int dim in shape)
        {
            length *= dim;
        }

        Length = length;
        IsContiguous = ComputeIsContiguous(shape, strides);
    }

    /// <summary>The device whose memory holds this tensor and whose backend runs ops on it.</summary>
    public Device Device => Storage.Device;

    /// <summary>The size of each axis, outermost first. Empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>How many elements apart consecutive indices of each axis are in storage.</summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>The number of axes (0 to <see cref="MaxRank"/>).</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (1 for a scalar).</summary>
    public int Length { get; }

    /// <summary>Where element [0, ..., 0] lies in storage, in elements.</summary>
    public int Offset { get; }

    /// <summary>Whether the elements lie densely in row-major order from <see cref="Offset"/>.</summary>
    public bool IsContiguous { get; }

    internal TensorStorage Storage { get; }

    internal ITensorBackend Backend => Storage.Device.Backend;

    /// <summary>The element at <paramref name="indices"/> (one per axis; none for a scalar). Meant for tests and inspection, not loops.</summary>
    /// <exception cref="ArgumentException">The number of indices differs from <see cref="Rank"/>.</exception>
    /// <exception cref="IndexOutOfRangeException">An index is outside its axis.</exception>
    public float this[params ReadOnlySpan<int> indices]
    {
        get
        {
            Span<float> value = stackalloc float[1];
            Backend.Download(ElementView(indices), value);
            return value[0];
        }

        set
        {
            Span<float> source = [value];
            Backend.Upload(source, ElementView(indices));
        }
    }

    /// <summary>The value of a one-element tensor (a scalar or any shape of length 1), such as a mean loss.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public float ToScalar()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"ToScalar: the tensor has shape {Shapes.Format(_shape)} ({Length} elements), not one element.");
        }

        Span<float> value = stackalloc float[1];
        Backend.Download(this, value);
        return value[0];
    }

    /// <summary>A new array with the elements in row-major order.</summary>
    public float[] ToArray()
    {
        var result = new float[Length];
        Backend.Download(this, result);
        return result;
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>, which must be at least <see cref="Length"/> long.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"CopyTo: the destination holds {destination.Length} elements but the tensor {Shapes.Format(_shape)} has {Length}.", nameof(destination));
        }

        Backend.Download(this, destination[..Length]);
    }

    /// <summary>
    /// Overwrites the elements, in row-major order, with <paramref name="source"/>, which must be exactly <see cref="Length"/>
    /// long: how a training loop feeds each batch into a tensor it created once.
    /// </summary>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Length)
        {
            throw new ArgumentException($"CopyFrom: the source holds {source.Length} elements but the tensor {Shapes.Format(_shape)} has {Length}.", nameof(source));
        }

        Backend.Upload(source, this);
    }

    /// <summary>Describes the tensor's shape and device, e.g. <c>Tensor[100,784] on cpu</c>.</summary>
    public override string ToString() => $"Tensor{Shapes.Format(_shape)} on {Device.Name}";

    internal string ShapeText => Shapes.Format(_shape);

    private Tensor ElementView(ReadOnlySpan<int> indices)
    {
        if (indices.Length != Rank)
        {
            throw new ArgumentException($"Indexer: {indices.Length} indices given for a tensor of shape {Shapes.Format(_shape)}.");
        }

        int offset = Offset;
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)_shape[i])
            {
                throw new IndexOutOfRangeException($"Indexer: index {indices[i]} is outside axis {i} of shape {Shapes.Format(_shape)}.");
            }

            offset += indices[i] * _strides[i];
        }

        return new Tensor(Storage, [], [], offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ComputeIsContiguous(int[] shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }
}
