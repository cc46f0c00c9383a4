using System;
using Scientific;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

public class LogSumExpTests
{
    [Theory]
    [InlineData(new[] { 0.0 })]
    [InlineData(new[] { 1.0, 2.0, 3.0 })]
    [InlineData(new[] { -3.5, 0.25, 7.0, -1.0, 2.0 })]
    [InlineData(new[] { -20.0, -19.5, -30.0 })]
    public void MatchesTheNaiveFormulaOnModerateValues(double[] values)
    {
        double naive = 0.0;
        foreach (double v in values)
        {
            naive += Math.Exp(v);
        }

        naive = Math.Log(naive);

        Assert.Equal(naive, LogSumExp.Of(values), RelativeTolerance(naive, 1e-14));
    }

    [Fact]
    public void StaysFiniteAndExactOnHugeValues()
    {
        // exp(1000) overflows and exp(−1000) underflows to 0, so the naive formula gives ∞ and −∞ here.
        Assert.True(double.IsPositiveInfinity(Math.Log(Math.Exp(1000.0) + Math.Exp(1000.0))));

        Assert.Equal(1000.0 + Math.Log(2.0), LogSumExp.Of(new[] { 1000.0, 1000.0 }), 1e-12);
        Assert.Equal(1000.0 + Math.Log(1.0 + Math.Exp(-1.0) + Math.Exp(-2.0)), LogSumExp.Of(new[] { 998.0, 1000.0, 999.0 }), 1e-12);
        Assert.Equal(-1000.0 + Math.Log(1.0 + Math.Exp(-1.0)), LogSumExp.Of(new[] { -1001.0, -1000.0 }), 1e-12);
    }

    [Fact]
    public void ASingleValueIsItsOwnLogSumExp()
    {
        Assert.Equal(123.456, LogSumExp.Of(new[] { 123.456 }));
    }

    [Fact]
    public void InfiniteValuesGiveTheLimitRatherThanNaN()
    {
        Assert.Equal(0.0, LogSumExp.Of(new[] { double.NegativeInfinity, 0.0 }));
        Assert.Equal(double.NegativeInfinity, LogSumExp.Of(new[] { double.NegativeInfinity, double.NegativeInfinity }));
        Assert.Equal(double.PositiveInfinity, LogSumExp.Of(new[] { 1.0, double.PositiveInfinity }));
    }

    private static double RelativeTolerance(double expected, double relative) => relative * Math.Max(1.0, Math.Abs(expected));
}
