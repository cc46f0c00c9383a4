using System;
using System.Linq;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>A dense row-major array of doubles with a shape: the values the naive reference ops work on.</summary>
internal sealed class RefTensor
{
    public RefTensor(double[] data, int[] shape)
    {
        if (data.Length != Product(shape))
        {
            throw new ArgumentException($"data has {data.Length} elements but shape [{string.Join(",", shape)}] needs {Product(shape)}");
        }

        Data = data;
        Shape = shape;
    }

    public double[] Data { get; }

    public int[] Shape { get; }

    public int Rank => Shape.Length;

    public int Length => Data.Length;

    public static RefTensor Of(Tensor tensor) => new(tensor.ToArray().Select(v => (double)v).ToArray(), tensor.Shape.ToArray());

    public static RefTensor Zeros(int[] shape) => new(new double[Product(shape)], shape);

    public static int Product(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    public static int[] RowMajorStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }

        return strides;
    }

    /// <summary>The multi-index of a row-major flat index.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            index[i] = flat % shape[i];
            flat /= shape[i];
        }

        return index;
    }

    /// <summary>The flat index of the element of this tensor that broadcasting maps the target index to.</summary>
    public int BroadcastIndex(int[] targetIndex)
    {
        int lead = targetIndex.Length - Rank;
        int flat = 0;
        for (int axis = 0; axis < Rank; axis++)
        {
            int i = Shape[axis] == 1 ? 0 : targetIndex[axis + lead];
            flat = (flat * Shape[axis]) + i;
        }

        return flat;
    }

    public RefTensor Clone() => new((double[])Data.Clone(), (int[])Shape.Clone());

    public Tensor ToTensor() => TestData.Create(Data.Select(v => (float)v).ToArray(), Shape);

    public override string ToString() => $"[{string.Join(",", Shape)}]";
}
