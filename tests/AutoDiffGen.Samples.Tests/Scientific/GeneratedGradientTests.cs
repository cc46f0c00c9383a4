using System;
using System.Linq;
using Scientific;
using Scientific.Reference;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

/// <summary>
/// The generated gradients of the scientific workloads: GMM against the hand-derived gradient and
/// finite differences, LSTM and log-sum-exp against finite differences, all allocation-free after warm-up.
/// </summary>
public class GeneratedGradientTests
{
    [Theory]
    [InlineData(1, 1, 3, 1)]
    [InlineData(2, 3, 5, 2)]
    [InlineData(3, 2, 4, 3)]
    [InlineData(5, 4, 6, 4)]
    public void GmmGradientMatchesTheHandDerivedGradient(int d, int k, int n, int seed)
    {
        var gmm = GmmInstance.Random(d, k, n, seed, wishartGamma: 1.3, wishartM: 2);
        (double value, double[] dAlphas, double[] dMeans, double[] dIcf) = Generated(gmm);

        double[] hAlphas = new double[gmm.Alphas.Length], hMeans = new double[gmm.Means.Length], hIcf = new double[gmm.Icf.Length];
        double[] scratch = new double[GmmHandWrittenGradient.ScratchLength(d, k)];
        double expected = GmmHandWrittenGradient.ValueAndGradient(d, k, n, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, hAlphas, hMeans, hIcf, scratch);

        Assert.Equal(expected, value, 1e-12 * Math.Abs(expected));
        AssertClose(hAlphas, dAlphas, "alphas");
        AssertClose(hMeans, dMeans, "means");
        AssertClose(hIcf, dIcf, "icf");
    }

    [Fact]
    public void GmmGradientWithUnderflowedWeightsMatchesTheHandDerivedGradientAndFiniteDifferences()
    {
        // Component 0 sits far from every point: its softmax weight underflows to exactly zero, so the generated
        // reverse trip of that component only pops (as the hand-written gradient skips it), between full ones.
        var gmm = GmmInstance.Random(3, 4, 6, seed: 8, wishartGamma: 1.3, wishartM: 2);
        for (int j = 0; j < gmm.D; j++)
        {
            gmm.Means[j] += 80.0;
            gmm.Icf[j] = 1.0;
        }

        (double value, double[] dAlphas, double[] dMeans, double[] dIcf) = Generated(gmm);
        double[] hAlphas = new double[gmm.Alphas.Length], hMeans = new double[gmm.Means.Length], hIcf = new double[gmm.Icf.Length];
        double[] scratch = new double[GmmHandWrittenGradient.ScratchLength(gmm.D, gmm.K)];
        double expected = GmmHandWrittenGradient.ValueAndGradient(gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, hAlphas, hMeans, hIcf, scratch);

        Assert.Equal(expected, value, 1e-12 * Math.Abs(expected));
        Assert.All(dMeans.Take(gmm.D), m => Assert.Equal(0.0, m));
        Assert.Contains(dMeans.Skip(gmm.D), m => m != 0.0);
        AssertClose(hAlphas, dAlphas, "alphas");
        AssertClose(hMeans, dMeans, "means");
        AssertClose(hIcf, dIcf, "icf");
        AssertFiniteDifferences(gmm.Means, dMeans, gmm.Objective);
        AssertFiniteDifferences(gmm.Icf, dIcf, gmm.Objective);
    }

    [Fact]
    public void GmmGradientMatchesFiniteDifferences()
    {
        var gmm = GmmInstance.Random(3, 2, 4, seed: 9, wishartGamma: 1.1, wishartM: 1);
        (_, double[] dAlphas, double[] dMeans, double[] dIcf) = Generated(gmm);
        AssertFiniteDifferences(gmm.Alphas, dAlphas, gmm.Objective);
        AssertFiniteDifferences(gmm.Means, dMeans, gmm.Objective);
        AssertFiniteDifferences(gmm.Icf, dIcf, gmm.Objective);
    }

    [Theory]
    [InlineData(1, 2, 3, 1)]
    [InlineData(2, 3, 4, 2)]
    public void LstmGradientMatchesFiniteDifferences(int l, int b, int c, int seed)
    {
        var lstm = LstmInstance.Random(l, b, c, seed);
        double[] dMain = new double[lstm.MainParams.Length], dExtra = new double[lstm.ExtraParams.Length];
        double value = Lstm.ObjectiveGradient(lstm.L, lstm.C, lstm.B, lstm.MainParams, lstm.ExtraParams, lstm.State, lstm.Sequence, dMain, dExtra);

        Assert.Equal(lstm.Objective(), value, 1e-12);
        AssertFiniteDifferences(lstm.MainParams, dMain, lstm.Objective);
        AssertFiniteDifferences(lstm.ExtraParams, dExtra, lstm.Objective);
    }

    [Fact]
    public void LogSumExpGradientIsTheSoftmaxAndStableForHugeInputs()
    {
        double[] values = { 1000, 999, -5, 1001 };
        double[] gradient = new double[4];
        double value = LogSumExp.OfGradient(values, gradient);
        double max = values.Max();
        double sum = values.Sum(v => Math.Exp(v - max));
        Assert.Equal(max + Math.Log(sum), value, 12);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(Math.Exp(values[i] - max) / sum, gradient[i], 12);
        }
    }

    [Fact]
    public void WorkloadGradientsAllocateNothingAfterWarmUp()
    {
        var gmm = GmmInstance.Random(4, 3, 10, seed: 5);
        var lstm = LstmInstance.Random(2, 4, 6, seed: 5);
        double[] dAlphas = new double[gmm.Alphas.Length], dMeans = new double[gmm.Means.Length], dIcf = new double[gmm.Icf.Length];
        double[] dMain = new double[lstm.MainParams.Length], dExtra = new double[lstm.ExtraParams.Length];
        void Run()
        {
            GaussianMixture.ObjectiveGradient(gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, dAlphas, dMeans, dIcf);
            Lstm.ObjectiveGradient(lstm.L, lstm.C, lstm.B, lstm.MainParams, lstm.ExtraParams, lstm.State, lstm.Sequence, dMain, dExtra);
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TapeHoldsOnePointAtATime()
    {
        // The points are independent trips: each point's reverse runs right after it, so the tape does not grow with n.
        long Bytes(GmmInstance g) => GaussianMixture.ObjectiveTapeBytes(g.D, g.K, g.N, g.Alphas, g.Means, g.Icf, g.X, g.WishartGamma, g.WishartM);
        long tenPoints = Bytes(GmmInstance.Random(3, 2, 10, seed: 1));
        Assert.Equal(tenPoints, Bytes(GmmInstance.Random(3, 2, 20, seed: 1)));
        Assert.Equal(tenPoints, Bytes(GmmInstance.Random(3, 2, 1000, seed: 1)));

        // One point's trip still tapes every component's values, and more dimensions mean more of them.
        Assert.True(Bytes(GmmInstance.Random(3, 4, 10, seed: 1)) > tenPoints);
        Assert.True(Bytes(GmmInstance.Random(6, 2, 10, seed: 1)) > tenPoints);
    }

    private static (double Value, double[] Alphas, double[] Means, double[] Icf) Generated(GmmInstance gmm)
    {
        double[] dAlphas = new double[gmm.Alphas.Length], dMeans = new double[gmm.Means.Length], dIcf = new double[gmm.Icf.Length];
        double value = GaussianMixture.ObjectiveGradient(gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, dAlphas, dMeans, dIcf);
        return (value, dAlphas, dMeans, dIcf);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1e-2, Math.Abs(expected[i])), $"{what}[{i}]: hand-derived {expected[i]:R}, generated {actual[i]:R}.");
        }
    }

    private static void AssertFiniteDifferences(double[] parameters, double[] gradient, Func<double> objective)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            double h = 1e-6 * Math.Max(1, Math.Abs(original));
            parameters[i] = original + h;
            double plus = objective();
            parameters[i] = original - h;
            double minus = objective();
            parameters[i] = original;
            double difference = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(difference - gradient[i]) <= 1e-6 * Math.Max(1, Math.Abs(difference)), $"entry {i}: finite difference {difference:R}, generated {gradient[i]:R}.");
        }
    }
}
