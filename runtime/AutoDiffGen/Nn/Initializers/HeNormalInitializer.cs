using System;

namespace AutoDiffGen.Nn;

/// <summary>He normal: truncated normal with variance 2 / fanIn after truncation; see <see cref="Initializer.HeNormal"/>.</summary>
internal sealed class HeNormalInitializer : Initializer
{
    /// <summary>
    /// The standard deviation of a standard normal truncated to [-2, 2]; dividing by it makes the truncated values'
    /// variance the one asked for (Keras' VarianceScaling uses the same constant).
    /// </summary>
    internal const double TruncatedStddev = 0.87962566103423978;

    public override string ToString() => "HeNormal";

    protected override Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device)
    {
        (double fanIn, _) = Fans(shape);
        float stddev = (float)(Math.Sqrt(2.0 / Math.Max(1.0, fanIn)) / TruncatedStddev);
        return Tensor.TruncatedNormal(shape, seed, 0f, stddev, device);
    }
}
