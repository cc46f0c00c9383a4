using System;
using System.Collections.Generic;
using System.Linq;
using Scientific;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

public class LstmTests
{
    public static IEnumerable<object[]> Sizes()
    {
        int seed = 200;
        foreach (int l in new[] { 1, 2, 3 })
        {
            foreach (int b in new[] { 1, 3, 4 })
            {
                foreach (int c in new[] { 2, 5, 9 })
                {
                    yield return new object[] { l, b, c, seed++ };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesAnIndependentImplementationOnOneHotCharacters(int l, int b, int c, int seed)
    {
        var lstm = LstmInstance.Random(l, b, c, seed);

        double expected = StraightforwardLstm.Objective(l, c, b, lstm.MainParams, lstm.ExtraParams, lstm.State, Rows(lstm.Sequence, b));

        Assert.Equal(expected, lstm.Objective(), Math.Abs(expected) * 1e-12);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesAnIndependentImplementationOnBinaryCodedCharacters(int l, int b, int c, int seed)
    {
        // ADBench's data files code each character by its b-bit binary code, not one-hot.
        var lstm = LstmInstance.Random(l, b, c, seed);
        var random = new Random(seed);
        int[] bits = Enumerable.Range(0, c * b).Select(_ => random.Next(2)).ToArray();

        double expected = StraightforwardLstm.Objective(l, c, b, lstm.MainParams, lstm.ExtraParams, lstm.State, Rows(bits, b));
        double actual = Lstm.Objective(l, c, b, lstm.MainParams, lstm.ExtraParams, lstm.State, bits);

        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-12 + 1e-300);
    }

    [Fact]
    public void OneLayerOfSizeOneIsTheWorkedFormula()
    {
        // l = b = 1, c = 2: read character 1, predict character 1.
        double wf = 0.3, wi = -0.2, wo = 0.5, wc = 0.7, bf = 0.1, bi = 0.2, bo = -0.3, bc = 0.4;
        double inWeight = 0.9, outWeight = 1.2, outBias = -0.1, h0 = 0.25, c0 = -0.5;

        double input = 1 * inWeight;
        double forget = 1 / (1 + Math.Exp(-(input * wf + bf)));
        double ingate = 1 / (1 + Math.Exp(-(h0 * wi + bi)));
        double outgate = 1 / (1 + Math.Exp(-(input * wo + bo)));
        double change = Math.Tanh(h0 * wc + bc);
        double cell = c0 * forget + ingate * change;
        double y = outgate * Math.Tanh(cell) * outWeight + outBias;
        double expected = -(y - Math.Log(Math.Exp(y) + 2));

        double actual = Lstm.Objective(
            1, 2, 1,
            new[] { wf, wi, wo, wc, bf, bi, bo, bc },
            new[] { inWeight, outWeight, outBias },
            new[] { h0, c0 },
            new[] { 1, 1 });

        Assert.Equal(expected, actual, 1e-15);
    }

    [Fact]
    public void TheCallersStateIsNotChanged()
    {
        var lstm = LstmInstance.Random(2, 4, 8, seed: 3);
        double[] before = (double[])lstm.State.Clone();

        double first = lstm.Objective();
        double second = lstm.Objective();

        Assert.Equal(before, lstm.State);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(2, 4, 8, 1)]
    [InlineData(4, 8, 64, 2)]
    [InlineData(1, 16, 100, 3)]
    public void TheLossIsFiniteAndWithinTheBoundsItsOutputLayerAllows(int l, int b, int c, int seed)
    {
        // |hidden| < 1, so prediction i lies in [biasᵢ − |weightᵢ|, biasᵢ + |weightᵢ|]; with one-hot
        // characters each step's loss is (normaliser − prediction of the next character) / b.
        var lstm = LstmInstance.Random(l, b, c, seed);
        double[] outWeight = lstm.ExtraParams[b..(2 * b)], outBias = lstm.ExtraParams[(2 * b)..];
        double[] low = outBias.Zip(outWeight, (bias, w) => bias - Math.Abs(w)).ToArray();
        double[] high = outBias.Zip(outWeight, (bias, w) => bias + Math.Abs(w)).ToArray();
        double normaliserLow = Math.Log(low.Sum(Math.Exp) + 2), normaliserHigh = Math.Log(high.Sum(Math.Exp) + 2);
        double lowest = (normaliserLow - high.Max()) / b, highest = (normaliserHigh - low.Min()) / b;

        double loss = lstm.Objective();

        Assert.True(double.IsFinite(loss));
        Assert.InRange(loss, Math.Max(0.0, lowest), highest);
    }

    private static double[][] Rows(int[] sequence, int b) =>
        sequence.Chunk(b).Select(row => row.Select(v => (double)v).ToArray()).ToArray();
}
