using System;

namespace AutoDiffGen.GpuCheck;

/// <summary>A user activation: the generator emits its SIMD and GPU kernels (SwishMap, SwishMapBackward).</summary>
public static partial class Activations
{
    [Differentiable]
    public static float Swish(float x) => x / (1f + MathF.Exp(-x));
}
