using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>How a binary op's input maps onto the [rows, cols] output.</summary>
internal enum Broadcast
{
    /// <summary>Same shape as the output.</summary>
    None = 0,

    /// <summary>A length-cols row vector repeated for every row.</summary>
    Row = 1,

    /// <summary>One value for every element.</summary>
    Scalar = 2,
}

/// <summary>Scalar arguments of an elementwise launch.</summary>
internal struct ElementwiseArguments
{
    public int Length;
    public int Cols;
    public int BroadcastA;
    public int BroadcastB;
    public float Parameter;

    /// <summary>1 when every view starts 16-byte aligned (and row vectors span a multiple of four), so float4 IO is safe.</summary>
    public int Vector;

    /// <summary>1 to add the result to the output instead of overwriting it (gradient accumulation).</summary>
    public int Accumulate;

    /// <summary>For binary gradients: 0 for input a, 1 for input b.</summary>
    public int Operand;
}

/// <summary>
/// Grid-stride elementwise kernels. Each thread walks the array with the stride of the whole grid;
/// on aligned views it moves four floats per access (float4), then finishes the n % 4 tail one at a time.
/// </summary>
internal static class ElementwiseKernel
{
    public static void Unary<TFunction>(ArrayView<float> x, ArrayView<float> y, ElementwiseArguments args)
        where TFunction : struct, IUnaryFunction
    {
        var f = default(TFunction);
        float p = args.Parameter;
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var x4 = x.Cast<Float4>().AsAligned16();
            var y4 = y.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var v = x4[i];
                y4[i] = new Float4(f.Forward(v.X, p), f.Forward(v.Y, p), f.Forward(v.Z, p), f.Forward(v.W, p));
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            y[i] = f.Forward(x[i], p);
        }
    }

    public static void UnaryGradient<TFunction>(
        ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, ElementwiseArguments args)
        where TFunction : struct, IUnaryFunction
    {
        var f = default(TFunction);
        float p = args.Parameter;
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var x4 = x.Cast<Float4>().AsAligned16();
            var y4 = y.Cast<Float4>().AsAligned16();
            var dy4 = dy.Cast<Float4>().AsAligned16();
            var dx4 = dx.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var xv = x4[i];
                var yv = y4[i];
                var g = dy4[i];
                var result = new Float4(
                    f.Backward(xv.X, yv.X, g.X, p),
                    f.Backward(xv.Y, yv.Y, g.Y, p),
                    f.Backward(xv.Z, yv.Z, g.Z, p),
                    f.Backward(xv.W, yv.W, g.W, p));
                if (args.Accumulate != 0)
                {
                    var old = dx4[i];
                    result = new Float4(old.X + result.X, old.Y + result.Y, old.Z + result.Z, old.W + result.W);
                }

                dx4[i] = result;
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            float g = f.Backward(x[i], y[i], dy[i], p);
            dx[i] = args.Accumulate != 0 ? dx[i] + g : g;
        }
    }

    public static void Binary<TFunction>(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ElementwiseArguments args)
        where TFunction : struct, IBinaryFunction
    {
        var f = default(TFunction);
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var c4 = c.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            int cols4 = args.Cols >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var av = Load4(a, args.BroadcastA, i, cols4);
                var bv = Load4(b, args.BroadcastB, i, cols4);
                c4[i] = new Float4(f.Forward(av.X, bv.X), f.Forward(av.Y, bv.Y), f.Forward(av.Z, bv.Z), f.Forward(av.W, bv.W));
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            c[i] = f.Forward(Load(a, args.BroadcastA, i, args.Cols), Load(b, args.BroadcastB, i, args.Cols));
        }
    }

    /// <summary>The full-shape gradient of one input: dx[i] (+)= d f(a, b) / d operand * dc[i].</summary>
    public static void BinaryGradient<TFunction>(
        ArrayView<float> a, ArrayView<float> b, ArrayView<float> dc, ArrayView<float> dx, ElementwiseArguments args)
        where TFunction : struct, IBinaryFunction
    {
        var f = default(TFunction);
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var dc4 = dc.Cast<Float4>().AsAligned16();
            var dx4 = dx.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            int cols4 = args.Cols >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var av = Load4(a, args.BroadcastA, i, cols4);
                var bv = Load4(b, args.BroadcastB, i, cols4);
                var g = dc4[i];
                var result = args.Operand == 0
                    ? new Float4(f.GradientA(av.X, bv.X, g.X), f.GradientA(av.Y, bv.Y, g.Y), f.GradientA(av.Z, bv.Z, g.Z), f.GradientA(av.W, bv.W, g.W))
                    : new Float4(f.GradientB(av.X, bv.X, g.X), f.GradientB(av.Y, bv.Y, g.Y), f.GradientB(av.Z, bv.Z, g.Z), f.GradientB(av.W, bv.W, g.W));
                if (args.Accumulate != 0)
                {
                    var old = dx4[i];
                    result = new Float4(old.X + result.X, old.Y + result.Y, old.Z + result.Z, old.W + result.W);
                }

                dx4[i] = result;
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            float av = Load(a, args.BroadcastA, i, args.Cols);
            float bv = Load(b, args.BroadcastB, i, args.Cols);
            float g = args.Operand == 0 ? f.GradientA(av, bv, dc[i]) : f.GradientB(av, bv, dc[i]);
            dx[i] = args.Accumulate != 0 ? dx[i] + g : g;
        }
    }

    private static float Load(ArrayView<float> view, int broadcast, int i, int cols) =>
        broadcast == (int)Broadcast.Scalar ? view[0]
        : broadcast == (int)Broadcast.Row ? view[i % cols]
        : view[i];

    private static Float4 Load4(ArrayView<float> view, int broadcast, int i4, int cols4)
    {
        if (broadcast == (int)Broadcast.Scalar)
        {
            float s = view[0];
            return new Float4(s, s, s, s);
        }

        var view4 = view.Cast<Float4>().AsAligned16();
        return view4[broadcast == (int)Broadcast.Row ? i4 % cols4 : i4];
    }
}
