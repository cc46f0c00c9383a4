using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace AutoDiffGen.Functions.Tests.Arrays;

/// <summary>
/// Array functions through the generator: gradients against central finite differences in double,
/// forward mode against reverse mode, the documented buffer rules (the gradient overwrites, the
/// pullback accumulates), vector outputs and their Jacobians, zero allocation and tape sizes.
/// </summary>
public class ArrayGradientTests
{
    public static IEnumerable<object[]> Cases() => ArrayCases.All.Select(c => new object[] { c.Name });

    private static ArrayCase Case(string name) => ArrayCases.All.Single(c => c.Name == name);

    private static (double[][] Arrays, double[] Scalars) Point(ArrayCase c, int seed)
    {
        var random = new Random(seed);
        double Draw() => c.Low + (c.High - c.Low) * random.NextDouble();
        return (c.ArrayLengths.Select(n => Enumerable.Range(0, n).Select(_ => Draw()).ToArray()).ToArray(),
                Enumerable.Range(0, c.ScalarCount).Select(_ => Draw()).ToArray());
    }

    private static double[][] Buffers(ArrayCase c) => c.ArrayLengths.Select(n => new double[n]).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesCentralFiniteDifferences(string name)
    {
        ArrayCase c = Case(name);
        for (int seed = 0; seed < 3; seed++)
        {
            (double[][] arrays, double[] scalars) = Point(c, seed);
            double[][] gradient = Buffers(c);
            (double value, double[] scalarGradient) = c.Gradient(arrays, scalars, gradient);
            Assert.Equal(c.Value(arrays, scalars), value, 12);

            double Difference(Action<double> set, double at)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(at));
                set(at + h);
                double plus = c.Value(arrays, scalars);
                set(at - h);
                double minus = c.Value(arrays, scalars);
                set(at);
                return (plus - minus) / (2 * h);
            }

            for (int a = 0; a < arrays.Length; a++)
            {
                for (int i = 0; i < arrays[a].Length; i++)
                {
                    int ai = a, ii = i;
                    double expected = Difference(v => arrays[ai][ii] = v, arrays[a][i]);
                    AssertClose(expected, gradient[a][i], 1e-6, $"{name}: ∂/∂array{a}[{i}]");
                }
            }

            for (int s = 0; s < scalars.Length; s++)
            {
                int si = s;
                double expected = Difference(v => scalars[si] = v, scalars[s]);
                AssertClose(expected, scalarGradient[s], 1e-6, $"{name}: ∂/∂scalar{s}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardModeMatchesReverseMode(string name)
    {
        ArrayCase c = Case(name);
        (double[][] arrays, double[] scalars) = Point(c, 7);
        double[][] gradient = Buffers(c);
        (double value, double[] scalarGradient) = c.Gradient(arrays, scalars, gradient);

        var random = new Random(11);
        double[][] direction = c.ArrayLengths.Select(n => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        double[] scalarDirection = Enumerable.Range(0, c.ScalarCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double expected = gradient.Zip(direction, (g, d) => g.Zip(d, (x, y) => x * y).Sum()).Sum() + scalarGradient.Zip(scalarDirection, (x, y) => x * y).Sum();

        (double tangentValue, double tangent) = c.Tangent(arrays, scalars, direction, scalarDirection);
        Assert.Equal(value, tangentValue, 12);
        AssertClose(expected, tangent, 1e-10, $"{name}: directional derivative");
    }

    [Fact]
    public void TheGradientOverwritesItsBuffersAndThePullbackAddsIntoThem()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.2 };
        double[] gradient = { 99, 99, 99, 99 };
        ArrayFunctions.SumOfSinesGradient(x, gradient);
        double[] expected = x.Select(v => Math.Cos(v) * v + Math.Sin(v)).ToArray();
        Assert.Equal(expected, gradient, new ToleranceComparer(1e-12));

        double[] accumulated = { 1, 2, 3, 4 };
        ArrayFunctions.SumOfSinesPullback(x, accumulated, 2.0);
        Assert.Equal(expected.Select((g, i) => i + 1 + 2 * g), accumulated, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void VectorOutputPullbackTangentAndJacobianMatchFiniteDifferences()
    {
        double[] x = { 0.3, -0.9, 1.4, 0.1, -0.2 };
        int n = x.Length;
        var expected = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double h = 1e-6;
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double[] yPlus = new double[n], yMinus = new double[n];
            ArrayFunctions.Softmax(plus, yPlus);
            ArrayFunctions.Softmax(minus, yMinus);
            for (int i = 0; i < n; i++)
            {
                expected[i, j] = (yPlus[i] - yMinus[i]) / (2 * h);
            }
        }

        // Jacobian: n outputs, n inputs, so reverse mode (rows).
        var jacobian = new double[n, n];
        ArrayFunctions.SoftmaxJacobian(x, new double[n], jacobian);
        AssertMatrixClose(expected, jacobian, 1e-7);

        // Pullback: seedᵀ J, added into the buffer.
        double[] seed = { 0.5, -1, 2, 0.25, 1 };
        double[] dx = new double[n];
        double[] y = new double[n];
        ArrayFunctions.SoftmaxPullback(x, y, dx, seed);
        for (int j = 0; j < n; j++)
        {
            AssertClose(Enumerable.Range(0, n).Sum(i => seed[i] * expected[i, j]), dx[j], 1e-7, $"pullback entry {j}");
        }

        double[] direct = new double[n];
        ArrayFunctions.Softmax(x, direct);
        Assert.Equal(direct, y);

        // Tangent: J · direction.
        double[] direction = { 1, 0.5, -0.5, 0, 2 };
        double[] dy = { 7, 7, 7, 7, 7 };
        ArrayFunctions.SoftmaxTangent(x, new double[n], direction, dy);
        for (int i = 0; i < n; i++)
        {
            AssertClose(Enumerable.Range(0, n).Sum(j => expected[i, j] * direction[j]), dy[i], 1e-7, $"tangent entry {i}");
        }
    }

    [Fact]
    public void JacobianOfAScalarFunctionUsesOneReverseSweepAndMatchesTheGradient()
    {
        double[] x = { 0.4, -0.3, 0.9 };
        var jacobian = new double[1, 4];
        ArrayFunctions.RecurrenceJacobian(x, 0.7, jacobian);
        double[] gradient = new double[3];
        var (_, dw) = ArrayFunctions.RecurrenceGradient(x, 0.7, gradient);
        Assert.Equal(new[] { gradient[0], gradient[1], gradient[2], dw }, new[] { jacobian[0, 0], jacobian[0, 1], jacobian[0, 2], jacobian[0, 3] });

        var wrong = new double[2, 4];
        var error = Assert.Throws<ArgumentException>(() => ArrayFunctions.RecurrenceJacobian(x, 0.7, wrong));
        Assert.Contains("RecurrenceJacobian: the jacobian is [2, 4] but must be [1, 4]", error.Message);
    }

    [Fact]
    public void GradientsWithLocalArraysTapesAndCallsAllocateNothingAfterWarmUp()
    {
        double[] x = Enumerable.Range(0, 64).Select(i => Math.Sin(i)).ToArray();
        double[] dx = new double[64];
        double[] y = new double[64];
        double[,] a = new double[3, 64];
        double[,] da = new double[3, 64];
        void Calls()
        {
            ArrayFunctions.SmoothingGradient(x, 5, dx);
            ArrayFunctions.RecurrenceGradient(x, 0.5, dx);
            ArrayFunctions.CallsWithArraysGradient(x, 0.5, dx);
            ArrayFunctions.ArrayPerTripGradient(x, 40, dx);
            ArrayFunctions.MatrixVectorGradient(a, x, da, dx);
            ArrayFunctions.SoftmaxPullback(x, y, dx, x);
            ArrayFunctions.CompoundElementsGradient(x, 0.3, dx);
        }

        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Calls();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TapeBytesGrowLinearlyWithTheWorkAndTheTapeHoldsThem()
    {
        double[] x = Enumerable.Range(0, 32).Select(i => Math.Cos(i)).ToArray();
        long one = ArrayFunctions.SmoothingTapeBytes(x, 1);
        long two = ArrayFunctions.SmoothingTapeBytes(x, 2);
        long three = ArrayFunctions.SmoothingTapeBytes(x, 3);
        Assert.True(one > 0);
        Assert.Equal(two - one, three - two);
        Assert.True(two > one);

        // Asking does not leave anything on the tape or in the scratch arrays.
        Assert.Equal(0, Tape<double>.Current.Count);
        ArrayFunctions.SmoothingGradient(x, 3, new double[32]);
        Assert.True(Tape<double>.Current.CapacityBytes + 32L * 2 * sizeof(double) >= three);
    }

    [Fact]
    public void FloatSpansMatchTheirDoubleValues()
    {
        float[] x = { 0.25f, -0.5f, 0.75f };
        float[] dx = new float[3];
        var (value, dw) = ArrayFunctions.FloatWeightedSumGradient(x, 1.5f, dx);
        Assert.Equal(x.Sum(v => Math.Sin(v * 1.5)), value, 5);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Math.Cos(x[i] * 1.5) * 1.5, dx[i], 5);
        }

        Assert.Equal(x.Sum(v => Math.Cos(v * 1.5) * v), dw, 5);
    }

    [Fact]
    public void BuffersThatShareMemoryWithInputsAreRefusedWithTheirNames()
    {
        double[] x = { 0.1, 0.2, 0.3, 0.4 };
        var aliasedGradient = Assert.Throws<ArgumentException>(() => ArrayFunctions.SumOfSinesPullback(x, x, 1.0));
        Assert.Contains("SumOfSinesPullback: 'dx' and 'x' share memory", aliasedGradient.Message);

        var aliasedOutput = Assert.Throws<ArgumentException>(() => ArrayFunctions.SoftmaxPullback(x, x.AsSpan(1, 2), new double[4], new double[2]));
        Assert.Contains("SoftmaxPullback: 'y' and 'x' share memory", aliasedOutput.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GroupsWithAZeroAdjointGetZeroGradientsAndTheOthersStayExact(bool runningIndex)
    {
        // Groups 0 and 2 stay under the rectifier's threshold (their adjoint is exactly zero and their generated reverse
        // trips only pop); groups 1 and 3 are above it and take the full reverse, between skipped ones. With a running
        // index, a skipped trip must still step the index back for group 1 to read its own elements.
        Func<double[], double> energies = runningIndex
            ? x => ArrayFunctions.SteppedGroupEnergies(x, 4)
            : x => ArrayFunctions.RectifiedGroupEnergies(x, 4);
        double[] x = { 0.1, 0.1, 0.1, 0.9, 0.8, 0.7, -0.05, 0.02, 0.03, -0.9, 0.6, -0.8 };
        var dx = new double[x.Length];
        double value = runningIndex
            ? ArrayFunctions.SteppedGroupEnergiesGradient(x, 4, dx)
            : ArrayFunctions.RectifiedGroupEnergiesGradient(x, 4, dx);
        Assert.Equal(energies(x), value, 12);
        for (int i = 0; i < x.Length; i++)
        {
            int group = i / 3;
            double h = 1e-6;
            double saved = x[i];
            x[i] = saved + h;
            double plus = energies(x);
            x[i] = saved - h;
            double minus = energies(x);
            x[i] = saved;
            if (group is 0 or 2)
            {
                Assert.Equal(0.0, dx[i]);
            }
            else
            {
                Assert.NotEqual(0.0, dx[i]);
                AssertClose((plus - minus) / (2 * h), dx[i], 1e-6, $"∂/∂x[{i}]");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZeroAdjointTripsMatchFiniteDifferencesAtManyPoints(bool runningIndex)
    {
        // Random mixes of groups under and over the threshold, in every order the reverse sweep can meet them.
        Func<double[], int, double> objective = runningIndex
            ? (x, groups) => ArrayFunctions.SteppedGroupEnergies(x, groups)
            : (x, groups) => ArrayFunctions.RectifiedGroupEnergies(x, groups);
        Func<double[], int, double[], double> gradient = runningIndex
            ? (x, groups, dx) => ArrayFunctions.SteppedGroupEnergiesGradient(x, groups, dx)
            : (x, groups, dx) => ArrayFunctions.RectifiedGroupEnergiesGradient(x, groups, dx);
        var random = new Random(2026);
        int mixed = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            int groups = 2 + random.Next(5), size = 1 + random.Next(4);
            double[] x = Enumerable.Range(0, groups * size).Select(_ => -1.2 + 2.4 * random.NextDouble()).ToArray();
            double[] energies = Enumerable.Range(0, groups)
                .Select(g => Enumerable.Range(0, size).Sum(i => Math.Sin(x[g * size + i] * (i + 1)) * x[g * size + i] * (i + 1)) - 0.5)
                .ToArray();
            if (energies.Any(e => Math.Abs(e) < 1e-3))
            {
                continue; // too close to the rectifier's kink for a finite difference
            }

            mixed += energies.Any(e => e < 0) && energies.Any(e => e > 0) ? 1 : 0;
            var dx = new double[x.Length];
            gradient(x, groups, dx);
            for (int i = 0; i < x.Length; i++)
            {
                double h = 1e-6, saved = x[i];
                x[i] = saved + h;
                double plus = objective(x, groups);
                x[i] = saved - h;
                double minus = objective(x, groups);
                x[i] = saved;
                AssertClose((plus - minus) / (2 * h), dx[i], 1e-6, $"trial {trial}: ∂/∂x[{i}]");
            }
        }

        Assert.True(mixed >= 10, $"only {mixed} trials mixed skipped and full groups");
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}.");

    private static void AssertMatrixClose(double[,] expected, double[,] actual, double relative)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                AssertClose(expected[i, j], actual[i, j], relative, $"[{i}, {j}]");
            }
        }
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        private readonly double _tolerance;

        public ToleranceComparer(double tolerance) => _tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
