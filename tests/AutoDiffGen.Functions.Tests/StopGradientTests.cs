using System;
using AutoDiffGen.Functions.Tests.Arrays;
using Xunit;

namespace AutoDiffGen.Functions.Tests;

/// <summary>
/// Functions whose derivative <see cref="AutoDiff.StopGradient(double)"/> changes on purpose; internal, so the
/// finite-difference catalog (which checks public ones) leaves them to the tests below.
/// </summary>
internal static partial class StoppedFunctions
{
    /// <summary>x · stop(x): the generated derivative takes the second factor as a constant, x (not 2x).</summary>
    [Differentiable]
    internal static double TimesStoppedSelf(double x) => x * AutoDiff.StopGradient(x);

    /// <summary>The same in float, through a stopped sine.</summary>
    [Differentiable]
    internal static float SineTimesStoppedSine(float x) => MathF.Sin(x) * AutoDiff.StopGradient(MathF.Sin(x));
}

public class StopGradientTests
{
    [Fact]
    public void NoDerivativeFlowsThroughAStoppedValue()
    {
        (double value, double dx) = StoppedFunctions.TimesStoppedSelfGradient(3.0);
        Assert.Equal(9.0, value);
        Assert.Equal(3.0, dx);
        Assert.Equal((9.0, 1.5), StoppedFunctions.TimesStoppedSelfTangent(3.0, 0.5));

        (float sineValue, float dSine) = StoppedFunctions.SineTimesStoppedSineGradient(0.7f);
        Assert.Equal(MathF.Sin(0.7f) * MathF.Sin(0.7f), sineValue);
        Assert.Equal(MathF.Cos(0.7f) * MathF.Sin(0.7f), dSine, 6);
    }

    [Fact]
    public void AStoppedShiftKeepsTheLogSumExpGradientExact()
    {
        // The shift cancels in shift + log Σ exp(x − shift), so stopping it changes nothing but the work: the gradient is
        // still the softmax, for shifts near and far from the values.
        double[] x = { 0.3, -1.2, 2.5, 0.9, -0.4 };
        var dx = new double[x.Length];
        var dPlain = new double[x.Length];
        double value = ArrayFunctions.ShiftedLogSumExpGradient(x, dx);
        double plain = ArrayFunctions.LogSumExpGradient(x, dPlain);
        Assert.Equal(plain, value, 12);
        double sum = 0;
        foreach (double v in x)
        {
            sum += Math.Exp(v);
        }

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Math.Exp(x[i]) / sum, dx[i], 14);
            Assert.Equal(dPlain[i], dx[i], 14);
        }
    }
}
