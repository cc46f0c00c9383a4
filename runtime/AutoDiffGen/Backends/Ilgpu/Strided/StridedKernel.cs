using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>
/// Kernels over tensors of any strides and rank up to four: views (transposes, slices), broadcast operands (stride
/// 0) and scalar operands. Grid-stride loops; each element's offsets come from splitting its linear index, unless the
/// layout says every operand is dense. The dense float4 kernels are faster; the backend uses these where they do not fit.
/// </summary>
internal static class StridedKernel
{
    /// <summary>output[i] (+)= op(first, second, third at element i), for every element of the output.</summary>
    public static void Apply<TOp>(ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
        where TOp : struct, IElementOp
    {
        var op = default(TOp);
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < layout.Length; i += stride)
        {
            int o = i, a = i, b = i, c = i;
            if (layout.Dense == 0)
            {
                var index = layout.Extent.Split(i);
                o = layout.Output.At(index);
                a = layout.First.At(index);
                b = layout.Second.At(index);
                c = layout.Third.At(index);
            }

            float value = op.Compute(first, a, second, b, third, c, layout);
            output[o] = layout.Accumulate != 0 ? output[o] + value : value;
        }
    }

    /// <summary>y[group] (+)= Scale · reduction of the group's elements of x; one thread per group.</summary>
    public static void Reduce<TReduction>(ArrayView<float> x, ArrayView<float> y, GroupLayout layout)
        where TReduction : struct, IReduction
    {
        var r = default(TReduction);
        int stride = Grid.DimX * Group.DimX;
        for (int g = Grid.GlobalIndex.X; g < layout.Groups; g += stride)
        {
            var outer = layout.Outer.Split(g);
            int start = layout.X.At(outer);
            float value = r.Identity;
            for (int e = 0; e < layout.GroupSize; e++)
            {
                value = r.Combine(value, x[start + layout.X.At(layout.Inner.Split(e))]);
            }

            value *= layout.Scale;
            int at = layout.Y.At(outer);
            y[at] = layout.Accumulate != 0 ? y[at] + value : value;
        }
    }

    /// <summary>
    /// Backward of a max reduction: dy goes to the first element (row-major within the group) equal to the forward
    /// maximum y, 0 to the others (which keep their value when accumulating).
    /// </summary>
    public static void MaxRoute(ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, GroupLayout layout)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int g = Grid.GlobalIndex.X; g < layout.Groups; g += stride)
        {
            var outer = layout.Outer.Split(g);
            int xStart = layout.X.At(outer);
            int dxStart = layout.Dx.At(outer);
            float maximum = y[layout.Y.At(outer)];
            float upstream = dy[layout.Dy.At(outer)];
            bool routed = false;
            for (int e = 0; e < layout.GroupSize; e++)
            {
                var inner = layout.Inner.Split(e);
                bool first = !routed && x[xStart + layout.X.At(inner)] == maximum;
                routed |= first;
                int at = dxStart + layout.Dx.At(inner);
                if (layout.Accumulate == 0)
                {
                    dx[at] = first ? upstream : 0f;
                }
                else if (first)
                {
                    dx[at] += upstream;
                }
            }
        }
    }

    /// <summary>y[group] = the index (as a float) of the first maximum along the group's one axis; a NaN counts as the maximum.</summary>
    public static void ArgMax(ArrayView<float> x, ArrayView<float> y, GroupLayout layout)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int g = Grid.GlobalIndex.X; g < layout.Groups; g += stride)
        {
            var outer = layout.Outer.Split(g);
            int start = layout.X.At(outer);
            int best = 0;
            float maximum = x[start];
            for (int e = 1; e < layout.GroupSize; e++)
            {
                if (float.IsNaN(maximum))
                {
                    break;
                }

                float value = x[start + layout.X.At(layout.Inner.Split(e))];
                if (value > maximum || float.IsNaN(value))
                {
                    maximum = value;
                    best = e;
                }
            }

            y[layout.Y.At(outer)] = best;
        }
    }
}
