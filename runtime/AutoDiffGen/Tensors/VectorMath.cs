using System.Runtime.Intrinsics;

namespace AutoDiffGen;

/// <summary>Vector versions of the few math functions the BCL's <see cref="Vector256"/> lacks; used by generated SIMD kernels.</summary>
public static class VectorMath
{
    /// <summary>tanh(x) = 1 − 2 / (e^{2x} + 1), saturating cleanly for large |x|.</summary>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> e = Vector256.Exp(Vector256.Min(x + x, Vector256.Create(88f)));
        return one - (one + one) / (e + one);
    }

    /// <summary>sign(x) as −1, 0 or 1.</summary>
    public static Vector256<float> Sign(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(1f), Vector256<float>.Zero)
        - Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(1f), Vector256<float>.Zero);
}
