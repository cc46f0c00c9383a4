using System;

namespace AutoDiffGen;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with another shape (one axis may be -1, inferred). A view sharing storage when this tensor is
    /// contiguous; otherwise a contiguous copy is reshaped.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape has another element count, more than one -1, or too many axes.</exception>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        int[] dims = shape.ToArray();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"Reshape: shape {Shapes.Format(shape)} has more than one -1.");
                }

                inferred = i;
            }
            else if (dims[i] < 0)
            {
                throw new ArgumentException($"Reshape: shape {Shapes.Format(shape)} has a negative dimension.");
            }
            else
            {
                known *= dims[i];
            }
        }

        if (inferred >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Reshape: cannot reshape {ShapeText} ({Length} elements) to {Shapes.Format(shape)}.");
            }

            dims[inferred] = (int)(Length / known);
        }

        int length = Shapes.CheckedLength(nameof(Reshape), dims);
        if (length != Length)
        {
            throw new ArgumentException($"Reshape: cannot reshape {ShapeText} ({Length} elements) to {Shapes.Format(shape)} ({length} elements).");
        }

        Tensor source = Contiguous();
        return new Tensor(source.Storage, dims, Shapes.RowMajorStrides(dims), source.Offset);
    }

    /// <summary>The transpose of a 2-D tensor: a strided view sharing storage, no copy.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not 2-D.</exception>
    public Tensor Transpose()
    {
        if (Rank != 2)
        {
            throw new InvalidOperationException($"Transpose: shape {ShapeText} is not 2-D; pass an axis permutation.");
        }

        return Transpose(1, 0);
    }

    /// <summary>
    /// A strided view with the axes reordered: axis i of the result is axis <paramref name="permutation"/>[i] of this
    /// tensor. Shares storage, no copy.
    /// </summary>
    /// <exception cref="ArgumentException">The permutation does not name each axis exactly once.</exception>
    public Tensor Transpose(params ReadOnlySpan<int> permutation)
    {
        if (permutation.Length != Rank)
        {
            throw new ArgumentException($"Transpose: permutation {Shapes.Format(permutation)} does not fit shape {ShapeText}.");
        }

        var shape = new int[Rank];
        var strides = new int[Rank];
        int seen = 0;
        for (int i = 0; i < Rank; i++)
        {
            int axis = permutation[i];
            if ((uint)axis >= (uint)Rank || (seen & (1 << axis)) != 0)
            {
                throw new ArgumentException($"Transpose: permutation {Shapes.Format(permutation)} is not a permutation of the axes of {ShapeText}.");
            }

            seen |= 1 << axis;
            shape[i] = _shape[axis];
            strides[i] = _strides[axis];
        }

        return new Tensor(Storage, shape, strides, Offset);
    }

    /// <summary>This tensor when it is already contiguous; otherwise a contiguous copy.</summary>
    public Tensor Contiguous() => IsContiguous ? this : Clone();

    /// <summary>This tensor when it already lives on <paramref name="device"/>; otherwise a contiguous copy there.</summary>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (ReferenceEquals(device, Device))
        {
            return this;
        }

        var copy = Zeros(device, Shape);
        device.Backend.Upload(ToArray(), copy);
        return copy;
    }

    /// <summary>A contiguous copy with its own storage on the same device.</summary>
    public Tensor Clone()
    {
        var copy = Zeros(Device, Shape);
        Backend.Copy(this, copy);
        return copy;
    }
}
