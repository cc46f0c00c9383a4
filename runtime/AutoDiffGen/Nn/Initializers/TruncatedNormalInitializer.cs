using System;
using System.Globalization;

namespace AutoDiffGen.Nn;

/// <summary>A normal distribution truncated at two standard deviations; see <see cref="Initializer.TruncatedNormal"/>.</summary>
internal sealed class TruncatedNormalInitializer : Initializer
{
    private readonly float _mean;
    private readonly float _stddev;

    public TruncatedNormalInitializer(float mean, float stddev)
    {
        if (!float.IsFinite(stddev) || stddev < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "TruncatedNormal: the standard deviation must be finite and not negative.");
        }

        if (!float.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "TruncatedNormal: the mean must be finite.");
        }

        _mean = mean;
        _stddev = stddev;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"TruncatedNormal(mean: {_mean}, stddev: {_stddev})");

    protected override Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device) =>
        Tensor.TruncatedNormal(shape, seed, _mean, _stddev, device);
}
