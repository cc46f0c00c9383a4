using System;

namespace AutoDiffGen.Nn;

/// <summary>Glorot (Xavier) uniform; see <see cref="Initializer.GlorotUniform"/>.</summary>
internal sealed class GlorotUniformInitializer : Initializer
{
    public override string ToString() => "GlorotUniform";

    protected override Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device)
    {
        (double fanIn, double fanOut) = Fans(shape);
        double limit = Math.Sqrt(6.0 / Math.Max(1.0, fanIn + fanOut));
        var values = new float[length];
        var generator = new Pcg32(seed);
        for (int i = 0; i < values.Length; i++)
        {
            // NextOpenUnit is in (0, 1], so 2u - 1 is in (-1, 1]: within [-limit, limit] after scaling.
            values[i] = (float)(limit * ((2.0 * generator.NextOpenUnit()) - 1.0));
        }

        // Zeros then CopyFrom keeps a rank-0 shape rank 0 (FromArray reads an empty shape as 1-D).
        Tensor result = Tensor.Zeros(device, shape);
        result.CopyFrom(values);
        return result;
    }
}
