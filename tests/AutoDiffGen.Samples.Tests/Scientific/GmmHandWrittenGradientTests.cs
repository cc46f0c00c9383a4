using System;
using Scientific;
using Scientific.Reference;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

public class GmmHandWrittenGradientTests
{
    [Theory]
    [MemberData(nameof(GaussianMixtureTests.Sizes), MemberType = typeof(GaussianMixtureTests))]
    public void EveryEntryMatchesCentralFiniteDifferences(int d, int k, int n, int seed)
    {
        var gmm = GmmInstance.Random(d, k, n, seed, wishartGamma: 1.3, wishartM: 2);
        var (value, dAlphas, dMeans, dIcf) = Gradient(gmm);

        Assert.Equal(gmm.Objective(), value, 1e-12 * Math.Abs(value));
        AssertMatchesFiniteDifferences(gmm, gmm.Alphas, dAlphas, "alphas");
        AssertMatchesFiniteDifferences(gmm, gmm.Means, dMeans, "means");
        AssertMatchesFiniteDifferences(gmm, gmm.Icf, dIcf, "icf");
    }

    [Fact]
    public void AllocatesNothingAfterWarmUp()
    {
        var gmm = GmmInstance.Random(5, 4, 7, seed: 11);
        double[] dAlphas = new double[gmm.Alphas.Length];
        double[] dMeans = new double[gmm.Means.Length];
        double[] dIcf = new double[gmm.Icf.Length];
        double[] scratch = new double[GmmHandWrittenGradient.ScratchLength(gmm.D, gmm.K)];
        double Run() => GmmHandWrittenGradient.ValueAndGradient(
            gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM,
            dAlphas, dMeans, dIcf, scratch);

        double first = Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0.0;
        for (int i = 0; i < 100; i++)
        {
            sum += Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(100 * first, sum, 1e-9 * Math.Abs(sum));
    }

    [Fact]
    public void OverwritesTheOutputsRatherThanAccumulating()
    {
        var gmm = GmmInstance.Random(3, 2, 4, seed: 5);
        var (_, dAlphas, dMeans, dIcf) = Gradient(gmm);
        double[] again = new double[dIcf.Length];
        Array.Fill(again, 42.0);
        double[] alphasAgain = new double[dAlphas.Length];
        double[] meansAgain = new double[dMeans.Length];
        Array.Fill(meansAgain, -7.0);

        GmmHandWrittenGradient.ValueAndGradient(
            gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM,
            alphasAgain, meansAgain, again, new double[GmmHandWrittenGradient.ScratchLength(gmm.D, gmm.K)]);

        Assert.Equal(dAlphas, alphasAgain);
        Assert.Equal(dMeans, meansAgain);
        Assert.Equal(dIcf, again);
    }

    [Fact]
    public void WrongLengthsAreRejectedWithTheSizesInvolved()
    {
        var gmm = GmmInstance.Random(2, 3, 4, seed: 1);
        int icfLength = gmm.Icf.Length;
        var error = Assert.Throws<ArgumentException>(() => GmmHandWrittenGradient.ValueAndGradient(
            gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM,
            new double[3], new double[6], new double[icfLength - 1], new double[GmmHandWrittenGradient.ScratchLength(2, 3)]));
        Assert.Equal("dIcf", error.ParamName);
        Assert.Contains($"dIcf has length {icfLength - 1}, but d = 2, k = 3, n = 4 need {icfLength}", error.Message);

        var scratchError = Assert.Throws<ArgumentException>(() => GmmHandWrittenGradient.ValueAndGradient(
            gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM,
            new double[3], new double[6], new double[icfLength], new double[5]));
        Assert.Contains("scratch has 5 doubles", scratchError.Message);
    }

    private static (double Value, double[] DAlphas, double[] DMeans, double[] DIcf) Gradient(GmmInstance gmm)
    {
        double[] dAlphas = new double[gmm.Alphas.Length];
        double[] dMeans = new double[gmm.Means.Length];
        double[] dIcf = new double[gmm.Icf.Length];
        double value = GmmHandWrittenGradient.ValueAndGradient(
            gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM,
            dAlphas, dMeans, dIcf, new double[GmmHandWrittenGradient.ScratchLength(gmm.D, gmm.K)]);
        return (value, dAlphas, dMeans, dIcf);
    }

    /// <summary>
    /// Compares each entry with the fourth-order central difference
    /// (8[f(θ + h) − f(θ − h)] − [f(θ + 2h) − f(θ − 2h)]) / 12h, whose error here is near 1e-10:
    /// relative 1e-6, with an absolute floor of 1e-8 for entries that are nearly zero.
    /// </summary>
    private static void AssertMatchesFiniteDifferences(GmmInstance gmm, double[] parameters, double[] gradient, string name)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            double h = 1e-3 * Math.Max(1.0, Math.Abs(original));
            double At(double offset)
            {
                parameters[i] = original + offset;
                double f = gmm.Objective();
                parameters[i] = original;
                return f;
            }

            double numeric = (8 * (At(h) - At(-h)) - (At(2 * h) - At(-2 * h))) / (12 * h);
            double tolerance = 1e-6 * Math.Abs(numeric) + 1e-8;
            Assert.True(
                Math.Abs(gradient[i] - numeric) <= tolerance,
                $"∂/∂{name}[{i}] (d = {gmm.D}, K = {gmm.K}, n = {gmm.N}): hand-written {gradient[i]:R}, finite differences {numeric:R}");
        }
    }
}
