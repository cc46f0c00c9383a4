using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Nn;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// Tensor methods through the generator: the generated backward passes against finite differences
/// (in float32, hence the tolerances) and against a hand-written backpropagation of the same model,
/// the buffer rules, re-planning on new shapes, zero allocation, the parameter list and the graph.
/// </summary>
public class TensorGradientTests
{
    private static Tensor Random(int seed, params int[] shape) => Tensor.RandomNormal(shape, (ulong)seed, stddev: 1f);

    private static Tensor Labels(int rows, int classes, int seed)
    {
        var random = new Random(seed);
        return OneHot(Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray(), classes);
    }

    /// <summary>
    /// Central differences of a float objective for some entries of a tensor, against the generated
    /// gradient. Two step sizes must agree first: where they do not, a kink (relu, max) lies within the
    /// step and the entry is skipped; at most a third may be.
    /// </summary>
    private static void AssertFiniteDifferences(Func<float> objective, Tensor parameter, Tensor gradient, string name, int entries = 6)
    {
        float[] data = parameter.ToArray();
        float[] expected = gradient.ToArray();
        var random = new Random(name.Length);
        int skipped = 0, count = Math.Min(entries, data.Length);
        for (int k = 0; k < count; k++)
        {
            int i = entries >= data.Length ? k : random.Next(data.Length);
            float original = data[i];
            double Difference(float h)
            {
                Set(parameter, data, i, original + h);
                double plus = objective();
                Set(parameter, data, i, original - h);
                double minus = objective();
                Set(parameter, data, i, original);
                return (plus - minus) / (2 * h);
            }

            double coarse = Difference(2e-2f), fine = Difference(1e-2f);
            double scale = Math.Max(Math.Abs(fine), 0.05);
            if (Math.Abs(coarse - fine) > 1e-2 * scale)
            {
                skipped++;
                continue;
            }

            Assert.True(Math.Abs(fine - expected[i]) <= 2e-2 * scale, $"{name}[{i}]: finite difference {fine:R}, generated {expected[i]:R}.");
        }

        Assert.True(skipped * 3 <= count, $"{name}: {skipped} of {count} entries sat on kinks.");
    }

    private static void Set(Tensor tensor, float[] data, int index, float value)
    {
        data[index] = value;
        Copy(Tensor.FromArray(data, tensor.Shape), tensor);
    }

    [Fact]
    public void MlpLossGradientMatchesFiniteDifferencesForEveryParameter()
    {
        var model = new SmallMlp(inputs: 6, hidden: 7, classes: 3, seed: 1);
        Tensor x = Random(2, 5, 6), labels = Labels(5, 3, 3);
        SmallMlp.Gradients gradients = model.CreateGradients();
        float loss = model.LossGradient(x, labels, gradients);
        Assert.Equal(model.Loss(x, labels), loss, 5);

        foreach ((NamedParameter parameter, NamedParameter gradient) in model.Parameters.Zip(gradients.Parameters))
        {
            Assert.Equal(parameter.Name, gradient.Name);
            AssertFiniteDifferences(() => model.Loss(x, labels), parameter.Value, gradient.Value, parameter.Name);
        }
    }

    [Fact]
    public void AWrittenDenseReluAndAReluKeptApartFromItsLayerMatchFiniteDifferences()
    {
        var model = new DenseReluNet(inputs: 6, hidden: 7, classes: 3, seed: 5);
        Tensor x = Random(6, 5, 6), labels = Labels(5, 3, 4);
        DenseReluNet.Gradients gradients = model.CreateGradients();
        float loss = model.LossGradient(x, labels, gradients);
        Assert.Equal(model.Loss(x, labels), loss, 5);
        AssertFiniteDifferences(() => model.Loss(x, labels), model.W1, gradients.W1, "W1", entries: 12);
        AssertFiniteDifferences(() => model.Loss(x, labels), model.B1, gradients.B1, "B1", entries: 7);
        AssertFiniteDifferences(() => model.Loss(x, labels), model.W2, gradients.W2, "W2", entries: 12);
        AssertFiniteDifferences(() => model.Loss(x, labels), model.B2, gradients.B2, "B2", entries: 3);
    }

    [Fact]
    public void ADenseReluResultWithAComputedBiasPullsBackLikeFiniteDifferences()
    {
        var model = new DenseReluNet(inputs: 6, hidden: 7, classes: 3, seed: 8);
        Tensor x = Random(9, 5, 6), seed = Random(10, 5, 7);
        DenseReluNet.Gradients gradients = model.CreateGradients();
        Tensor features = model.FeaturesPullback(x, seed, gradients);
        Assert.Equal(model.Features(x).ToArray(), features.ToArray());
        Assert.Contains(features.ToArray(), v => v == 0f);
        float Objective() => Sum(Mul(model.Features(x), seed)).ToScalar();
        AssertFiniteDifferences(Objective, model.W1, gradients.W1, "W1", entries: 12);
        AssertFiniteDifferences(Objective, model.B1, gradients.B1, "B1", entries: 7);
        Assert.All(gradients.W2.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MlpLossGradientEqualsAHandWrittenBackpropagation()
    {
        var model = new SmallMlp(inputs: 6, hidden: 7, classes: 3, seed: 4);
        Tensor x = Random(5, 4, 6), labels = Labels(4, 3, 6);
        SmallMlp.Gradients gradients = model.CreateGradients();
        model.LossGradient(x, labels, gradients);

        // The same backward pass, written by hand with the runtime's adjoint kernels.
        Tensor z1 = Dense(x, model.Hidden1.W, model.Hidden1.B), h1 = Relu(z1);
        Tensor z2 = Dense(h1, model.Hidden2.W, model.Hidden2.B), h2 = Relu(z2);
        Tensor logits = Dense(h2, model.Wout, model.Bout);
        Tensor losses = SoftmaxCrossEntropy(logits, labels);
        Tensor dLosses = Tensor.Full(1f / losses.Length, losses.Shape);
        Tensor dLogits = Tensor.ZerosLike(logits), dH2 = Tensor.ZerosLike(h2), dZ2 = Tensor.ZerosLike(z2), dH1 = Tensor.ZerosLike(h1), dZ1 = Tensor.ZerosLike(z1);
        var expected = model.CreateGradients();
        TensorGradients.SoftmaxCrossEntropy(dLosses, logits, labels, null, dLogits, accumulate: false);
        TensorGradients.Dense(dLogits, h2, model.Wout, dH2, expected.Wout, expected.Bout, accumulate: false);
        TensorGradients.Relu(dH2, z2, h2, dZ2, accumulate: false);
        TensorGradients.Dense(dZ2, h1, model.Hidden2.W, dH1, expected.Hidden2.W, expected.Hidden2.B, accumulate: false);
        TensorGradients.Relu(dH1, z1, h1, dZ1, accumulate: false);
        TensorGradients.Dense(dZ1, x, model.Hidden1.W, null, expected.Hidden1.W, expected.Hidden1.B, accumulate: false);

        foreach ((NamedParameter e, NamedParameter g) in expected.Parameters.Zip(gradients.Parameters))
        {
            float[] a = e.Value.ToArray(), b = g.Value.ToArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f * Math.Max(1f, Math.Abs(a[i])), $"{e.Name}[{i}]: hand-written {a[i]}, generated {b[i]}.");
            }
        }
    }

    [Fact]
    public void OpZooGradientMatchesFiniteDifferencesIncludingADifferentiableArgument()
    {
        var model = new OpZoo(seed: 7);
        Tensor x = Random(8, 5, 3), shift = Random(9, 4);
        OpZoo.Gradients gradients = model.CreateGradients();
        Tensor dShift = Tensor.Zeros(4);
        float value = model.ObjectiveGradient(x, shift, gradients, dShift);
        Assert.Equal(model.Objective(x, shift), value, 4);

        AssertFiniteDifferences(() => model.Objective(x, shift), model.A, gradients.A, "A", entries: 12);
        AssertFiniteDifferences(() => model.Objective(x, shift), model.B, gradients.B, "B", entries: 4);
        AssertFiniteDifferences(() => model.Objective(x, shift), shift, dShift, "shift", entries: 4);
        Assert.All(gradients.Unused.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_second_call_returns_the_same_gradient_not_twice_it()
    {
        // Both objectives end by adding two one-element tensors, whose gradient the CPU once summed into the planned
        // buffers across calls instead of overwriting them.
        Tensor x = Random(10, 3, 4), weights = Random(11, 4);
        Tensor first = Tensor.Zeros(3, 4), second = Tensor.Full(5f, 3, 4);
        TensorFunctions.EnergyGradient(x, weights, first);
        TensorFunctions.EnergyGradient(x, weights, second);
        Assert.Equal(first.ToArray(), second.ToArray());

        var model = new OpZoo(seed: 7);
        Tensor input = Random(8, 5, 3), shift = Random(9, 4);
        OpZoo.Gradients once = model.CreateGradients(), again = model.CreateGradients();
        Tensor dShiftOnce = Tensor.Zeros(4), dShiftAgain = Tensor.Zeros(4);
        model.ObjectiveGradient(input, shift, once, dShiftOnce);
        model.ObjectiveGradient(input, shift, again, dShiftAgain);
        Assert.Equal(dShiftOnce.ToArray(), dShiftAgain.ToArray());
        foreach (var (a, b) in once.Parameters.Zip(again.Parameters))
        {
            Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        }
    }

    [Fact]
    public void StaticTensorFunctionDifferentiatesItsMarkedArgumentOnly()
    {
        Tensor x = Random(10, 3, 4), weights = Random(11, 4);
        Tensor dx = Tensor.Zeros(3, 4);
        float value = TensorFunctions.EnergyGradient(x, weights, dx);
        Assert.Equal(TensorFunctions.Energy(x, weights), value, 4);
        AssertFiniteDifferences(() => TensorFunctions.Energy(x, weights), x, dx, "x", entries: 12);
    }

    [Fact]
    public void A_full_reduction_read_only_as_the_result_fills_the_seed_into_its_input()
    {
        // The generator skips the one-element adjoint of such a reduction and fills seed (over n for a mean) directly.
        Tensor x = Random(15, 3, 4);
        Tensor dx = Tensor.Full(7f, 3, 4);
        float value = TensorFunctions.AverageGradient(x, dx);
        Assert.Equal(TensorFunctions.Average(x), value, 5);
        Assert.All(dx.ToArray(), g => Assert.Equal(1f / 12, g, 6));
        AssertFiniteDifferences(() => TensorFunctions.Average(x), x, dx, "x", entries: 12);

        // The pullback adds seed / n into what the buffer holds.
        TensorFunctions.AveragePullback(x, 6f, dx);
        Assert.All(dx.ToArray(), g => Assert.Equal(1f / 12 + 0.5f, g, 6));

        Tensor dSquare = Tensor.Full(-3f, 3, 4);
        TensorFunctions.TotalSquareGradient(x, dSquare);
        float[] xs = x.ToArray(), overwritten = dSquare.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(2 * xs[i], overwritten[i], 5);
        }

        AssertFiniteDifferences(() => TensorFunctions.TotalSquare(x), x, dSquare, "x", entries: 12);
        TensorFunctions.TotalSquarePullback(x, 0.5f, dSquare);
        float[] accumulated = dSquare.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(3 * xs[i], accumulated[i], 5);
        }
    }

    [Fact]
    public void TheGradientOverwritesAndThePullbackAccumulates()
    {
        var model = new SmallMlp(4, 5, 3, seed: 12);
        Tensor x = Random(13, 3, 4), labels = Labels(3, 3, 14);
        SmallMlp.Gradients once = model.CreateGradients();
        model.LossGradient(x, labels, once);

        SmallMlp.Gradients garbage = model.CreateGradients();
        foreach (NamedParameter p in garbage.Parameters)
        {
            Fill(p.Value, 123f);
        }

        model.LossGradient(x, labels, garbage);
        SmallMlp.Gradients pulled = model.CreateGradients();
        model.LossPullback(x, labels, 2f, pulled);
        model.LossPullback(x, labels, 1f, pulled);
        foreach (((NamedParameter a, NamedParameter b), NamedParameter c) in once.Parameters.Zip(garbage.Parameters).Zip(pulled.Parameters))
        {
            Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
            float[] expected = a.Value.ToArray().Select(v => 3 * v).ToArray();
            float[] actual = c.Value.ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"{c.Name}[{i}]");
            }
        }
    }

    [Fact]
    public void NewBatchSizesArePlannedAgainAndAStepAllocatesNothingOnceKnown()
    {
        var model = new SmallMlp(6, 8, 4, seed: 15);
        SmallMlp.Gradients gradients = model.CreateGradients();
        foreach (int batch in new[] { 5, 9, 5 })
        {
            Tensor x = Random(16 + batch, batch, 6), labels = Labels(batch, 4, batch);
            Assert.Equal(model.Loss(x, labels), model.LossGradient(x, labels, gradients), 5);
        }

        Tensor steadyX = Random(30, 5, 6), steadyLabels = Labels(5, 4, 31);
        model.LossGradient(steadyX, steadyLabels, gradients);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            model.LossGradient(steadyX, steadyLabels, gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ParametersAreListedInDeclarationOrderAndTheGraphShowsTheOperations()
    {
        var model = new SmallMlp(6, 8, 4, seed: 17);
        Assert.Equal(new[] { "Hidden1.W", "Hidden1.B", "Hidden2.W", "Hidden2.B", "Wout", "Bout" }, model.Parameters.Select(p => p.Name));
        Assert.Same(model.Wout, model.Parameters[4].Value);
        Assert.Same(model.Parameters, model.Parameters);

        // Optimizers read the list every step: reading it must not allocate while the fields stay the same.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            _ = model.Parameters;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        model.Wout = Tensor.Zeros(8, 4);
        Assert.Same(model.Wout, model.Parameters[4].Value);
        model.Hidden1 = model.Hidden1.ZerosLike();
        Assert.Same(model.Hidden1.B, model.Parameters[1].Value);

        Assert.Contains("\"h1\" -> \"dense2\"", SmallMlp.LossGraph);
        Assert.Contains("\"Hidden1.W\" -> \"dense\"", SmallMlp.LossGraph);
        Assert.StartsWith("digraph Loss {", SmallMlp.LossGraph);
    }
}
