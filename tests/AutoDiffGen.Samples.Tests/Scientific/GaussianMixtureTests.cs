using System;
using System.Collections.Generic;
using Scientific;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

public class GaussianMixtureTests
{
    public static IEnumerable<object[]> Sizes()
    {
        int seed = 100;
        foreach (int d in new[] { 1, 2, 3, 5 })
        {
            foreach (int k in new[] { 1, 2, 4 })
            {
                foreach (int n in new[] { 1, 7 })
                {
                    yield return new object[] { d, k, n, seed++ };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesAnIndependentImplementationWithTheAdBenchPrior(int d, int k, int n, int seed)
    {
        var gmm = GmmInstance.Random(d, k, n, seed);

        double expected = StraightforwardGmm.Objective(d, k, n, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gamma: 1.0, m: 0);

        Assert.Equal(expected, gmm.Objective(), Math.Abs(expected) * 1e-10);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesAnIndependentImplementationWithAnotherPrior(int d, int k, int n, int seed)
    {
        var gmm = GmmInstance.Random(d, k, n, seed, wishartGamma: 1.7, wishartM: 3);

        double expected = StraightforwardGmm.Objective(d, k, n, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gamma: 1.7, m: 3);

        Assert.Equal(expected, gmm.Objective(), Math.Abs(expected) * 1e-10);
    }

    [Fact]
    public void OneComponentInOneDimensionIsTheClosedForm()
    {
        // d = K = n = 1: the mixture weight cancels, Q = e^q, and with m = 0 the prior's constant is
        // 2(log γ − ½ log 2) − log Γ(1) = 2 log γ − log 2. The lower triangle is empty and adds nothing.
        double alpha = 0.3, mu = -0.4, q = 0.2, x = 1.1, gamma = 1.5;
        double expected = -0.5 * Math.Log(2 * Math.PI) + q - 0.5 * Math.Exp(2 * q) * (x - mu) * (x - mu)
            + 0.5 * gamma * gamma * Math.Exp(2 * q) - (2 * Math.Log(gamma) - Math.Log(2.0));

        double actual = GaussianMixture.Objective(1, 1, 1, new[] { alpha }, new[] { mu }, new[] { q }, new[] { x }, gamma, 0);

        Assert.Equal(expected, actual, 1e-14);
    }

    [Fact]
    public void AddingAComponentOfZeroWeightChangesOnlyThePrior()
    {
        // A component with α = −∞ takes no part in the mixture; the likelihood terms stay as they were
        // and the prior gains that component's term.
        var one = GmmInstance.Random(2, 1, 5, seed: 7);
        double[] icfSecond = { 0.1, -0.2, 0.3 };
        double withSecond = GaussianMixture.Objective(
            2, 2, 5,
            new[] { one.Alphas[0], double.NegativeInfinity },
            new[] { one.Means[0], one.Means[1], 9.0, 9.0 },
            new[] { one.Icf[0], one.Icf[1], one.Icf[2], icfSecond[0], icfSecond[1], icfSecond[2] },
            one.X, 1.0, 0);

        double priorOfSecond = GaussianMixture.LogWishartPrior(
            2, 1, 1.0, 0, new[] { icfSecond[0] + icfSecond[1] }, new[] { Math.Exp(icfSecond[0]), Math.Exp(icfSecond[1]) }, icfSecond);

        Assert.Equal(one.Objective() + priorOfSecond, withSecond, 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(131)]
    [InlineData(260)]
    public void LogGammaOfHalfMatchesStirling(int m)
    {
        double expected = StraightforwardGmm.LogGamma(0.5 * m);
        Assert.Equal(expected, GaussianMixture.LogGammaOfHalf(m), 1e-12 * Math.Max(1.0, Math.Abs(expected)));
    }

    [Fact]
    public void LogGammaOfHalfKnowsItsExactValues()
    {
        Assert.Equal(0.5 * Math.Log(Math.PI), GaussianMixture.LogGammaOfHalf(1), 1e-15); // Γ(½) = √π
        Assert.Equal(0.0, GaussianMixture.LogGammaOfHalf(2));                              // Γ(1) = 1
        Assert.Equal(Math.Log(0.75 * Math.Sqrt(Math.PI)), GaussianMixture.LogGammaOfHalf(5), 1e-15); // Γ(5/2) = ¾√π
        Assert.Equal(Math.Log(120.0), GaussianMixture.LogGammaOfHalf(12), 1e-14);          // Γ(6) = 5!
    }

    [Fact]
    public void LogGammaOfHalfRejectsItsPoles()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.LogGammaOfHalf(0));
        Assert.Contains("m = 0", error.Message);
    }
}
