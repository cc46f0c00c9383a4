using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>
/// The kernels that run a user's <see cref="IElementwiseKernelFunction"/> over a tensor: grid-stride loops that
/// move four floats per access on aligned views (as the runtime's own elementwise kernels do), then the tail
/// one element at a time. The function is a type argument, so ILGPU inlines it: one kernel per function.
/// </summary>
internal static class FunctionKernel
{
    public static void Forward<TFunction>(ArrayView<float> x, ArrayView<float> y, ElementwiseArguments args)
        where TFunction : struct, IElementwiseKernelFunction
    {
        var f = default(TFunction);
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
                y4[i] = new Float4(f.Forward(v.X), f.Forward(v.Y), f.Forward(v.Z), f.Forward(v.W));
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            y[i] = f.Forward(x[i]);
        }
    }

    public static void Backward<TFunction>(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, ElementwiseArguments args)
        where TFunction : struct, IElementwiseKernelFunction
    {
        var f = default(TFunction);
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var x4 = x.Cast<Float4>().AsAligned16();
            var dy4 = dy.Cast<Float4>().AsAligned16();
            var dx4 = dx.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var v = x4[i];
                var g = dy4[i];
                var result = new Float4(f.Backward(v.X, g.X), f.Backward(v.Y, g.Y), f.Backward(v.Z, g.Z), f.Backward(v.W, g.W));
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
            float g = f.Backward(x[i], dy[i]);
            dx[i] = args.Accumulate != 0 ? dx[i] + g : g;
        }
    }
}
