using System;
using System.Linq;
using AutoDiffGen.Nn;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Nn;

/// <summary>
/// The initializers' distributions, checked on 200,000 draws against their definitions: bounds exactly, means within
/// five standard errors, standard deviations within 1.5% (the standard error of a sample deviation is about 0.2% here).
/// </summary>
public class InitializerTests
{
    private static (double Mean, double Stddev, double MaxAbs) Statistics(Tensor tensor)
    {
        float[] values = tensor.ToArray();
        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance), values.Max(v => Math.Abs((double)v)));
    }

    private static void AssertNear(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected} ± {tolerance}, got {actual}.");

    [Fact]
    public void TruncatedNormalHasTensorFlowsStddevBeforeTruncationAndNothingBeyondTwoStddevs()
    {
        Tensor w = Initializer.TruncatedNormal(stddev: 0.1f).Create([500, 400], seed: 3);
        (double mean, double stddev, double maxAbs) = Statistics(w);

        Assert.Equal(new[] { 500, 400 }, w.Shape.ToArray());
        Assert.True(maxAbs <= 0.2, $"a value {maxAbs} lies beyond two standard deviations");
        AssertNear(0, mean, 5 * 0.088 / Math.Sqrt(200_000), "mean");
        // A standard normal truncated to [-2, 2] has standard deviation 0.87963.
        AssertNear(0.1 * 0.87963, stddev, 0.015 * 0.088, "stddev");
        // Truncation keeps the bulk: about 27% of a normal lies beyond one stddev, rescaled to the truncated mass.
        double beyondOne = w.ToArray().Count(v => Math.Abs(v) > 0.1f) / 200_000.0;
        AssertNear((0.31731 - 0.04550) / 0.95450, beyondOne, 0.005, "share beyond one stddev");
    }

    [Fact]
    public void TruncatedNormalHonoursTheMean()
    {
        (double mean, _, _) = Statistics(Initializer.TruncatedNormal(stddev: 0.5f, mean: 3f).Create([200_000], seed: 1));
        AssertNear(3, mean, 5 * 0.44 / Math.Sqrt(200_000), "mean");
    }

    [Fact]
    public void GlorotUniformFillsPlusMinusTheLimitEvenly()
    {
        Tensor w = Initializer.GlorotUniform.Create([784, 256], seed: 5);
        (double mean, double stddev, double maxAbs) = Statistics(w);
        double limit = Math.Sqrt(6.0 / (784 + 256));

        Assert.True(maxAbs <= limit * (1 + 1e-6), $"{maxAbs} exceeds the limit {limit}");
        Assert.True(maxAbs > limit * 0.999, $"the largest value {maxAbs} stays far from the limit {limit}");
        AssertNear(0, mean, 5 * limit / Math.Sqrt(3 * 200_704), "mean");
        AssertNear(Math.Sqrt(2.0 / (784 + 256)), stddev, 0.015 * Math.Sqrt(2.0 / 1040), "stddev");
        double inner = w.ToArray().Count(v => Math.Abs(v) < limit / 2) / 200_704.0;
        AssertNear(0.5, inner, 0.005, "share within half the limit");
    }

    [Fact]
    public void HeNormalHasVarianceTwoOverFanInAfterTruncation()
    {
        Tensor w = Initializer.HeNormal.Create([784, 256], seed: 7);
        (double mean, double stddev, double maxAbs) = Statistics(w);
        double target = Math.Sqrt(2.0 / 784);

        AssertNear(0, mean, 5 * target / Math.Sqrt(200_704), "mean");
        AssertNear(target, stddev, 0.015 * target, "stddev");
        Assert.True(maxAbs <= 2 * target / 0.87962566103423978 * (1 + 1e-6), $"{maxAbs} lies beyond the truncation");
    }

    [Fact]
    public void FansFollowKerasForVectorsMatricesAndConvolutionKernels()
    {
        Assert.Equal((1.0, 1.0), Initializer.Fans([]));
        Assert.Equal((10.0, 10.0), Initializer.Fans([10]));
        Assert.Equal((784.0, 256.0), Initializer.Fans([784, 256]));
        Assert.Equal((3.0 * 3 * 16, 3.0 * 3 * 32), Initializer.Fans([3, 3, 16, 32]));
    }

    [Fact]
    public void ZerosAndConstantsIgnoreTheSeed()
    {
        Assert.All(Initializer.Zeros.Create([3, 4], seed: 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Initializer.Constant(0.25f).Create([5], seed: 2).ToArray(), v => Assert.Equal(0.25f, v));
        Assert.Equal(0, Initializer.Zeros.Create([], seed: 0).Rank);
    }

    [Fact]
    public void EqualSeedsGiveEqualTensorsAndOtherSeedsOtherTensors()
    {
        foreach (Initializer initializer in new[] { Initializer.TruncatedNormal(0.1f), Initializer.GlorotUniform, Initializer.HeNormal })
        {
            float[] a = initializer.Create([64, 32], seed: 11).ToArray();
            Assert.Equal(a, initializer.Create([64, 32], seed: 11).ToArray());
            float[] b = initializer.Create([64, 32], seed: 12).ToArray();
            Assert.True(a.Zip(b).Count(p => p.First == p.Second) < 5, $"{initializer}: seeds 11 and 12 gave nearly the same tensor");
        }
    }

    [Fact]
    public void BadSettingsAndShapesAreRefusedWithTheirValues()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.TruncatedNormal(stddev: -1f));
        Assert.Contains("standard deviation", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.TruncatedNormal(stddev: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.TruncatedNormal(stddev: 1f, mean: float.PositiveInfinity));
        var shape = Assert.Throws<ArgumentException>(() => Initializer.HeNormal.Create([3, -1], seed: 0));
        Assert.Contains("[3,-1]", shape.Message);
        Assert.Contains("HeNormal", shape.Message);
    }

    [Fact]
    public void ADerivedInitializerPlugsInAndIsHeldToTheShapeAskedFor()
    {
        Tensor ramp = new Ramp(length => length).Create([2, 3], seed: 0);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], ramp.ToArray());
        Dense layer = Dense.Create(2, 3, new Ramp(length => length), Initializer.Zeros, seed: 0);
        Assert.Equal(ramp.ToArray(), layer.W.ToArray());

        var wrong = Assert.Throws<InvalidOperationException>(() => new Ramp(length => length + 1).Create([2, 3], seed: 0));
        Assert.Equal("Ramp made [7] on cpu when asked for [2,3] on cpu.", wrong.Message);
    }

    /// <summary>0, 1, 2, ... as a tensor of the shape asked for, or of a wrong length when <c>size</c> says so.</summary>
    private sealed class Ramp(Func<int, int> size) : Initializer
    {
        public override string ToString() => "Ramp";

        protected override Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device)
        {
            int count = size(length);
            Tensor flat = Tensor.FromArray(device, Enumerable.Range(0, count).Select(i => (float)i).ToArray(), count);
            return count == length ? flat.Reshape(shape) : flat;
        }
    }

    [Fact]
    public void InitializersDescribeThemselves()
    {
        Assert.Equal("TruncatedNormal(mean: 0, stddev: 0.1)", Initializer.TruncatedNormal(0.1f).ToString());
        Assert.Equal("GlorotUniform", Initializer.GlorotUniform.ToString());
        Assert.Equal("HeNormal", Initializer.HeNormal.ToString());
        Assert.Equal("Zeros", Initializer.Zeros.ToString());
        Assert.Equal("Constant(0.5)", Initializer.Constant(0.5f).ToString());
    }
}
