using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>Generated elementwise kernels against the scalar function and its pullback, element by element.</summary>
public class ElementwiseKernelTests
{
    public static TheoryData<string> Functions => new() { "Swish", "LeakyRelu", "SoftSign", "Iterated", "ThroughDouble", "SwishPlusHalf", "SumOfHarmonics" };

    private static (Func<float, float> Primal, Func<float, float, float> Pullback, Func<Tensor, Tensor> Map, Action<Tensor, Tensor, Tensor, bool> Backward) Kernels(string name) => name switch
    {
        "Swish" => (Activations.Swish, (x, s) => Activations.SwishPullback(x, s).Gradient, Activations.SwishMap, Activations.SwishMapBackward),
        "LeakyRelu" => (Activations.LeakyRelu, (x, s) => Activations.LeakyReluPullback(x, s).Gradient, Activations.LeakyReluMap, Activations.LeakyReluMapBackward),
        "SoftSign" => (Activations.SoftSign, (x, s) => Activations.SoftSignPullback(x, s).Gradient, Activations.SoftSignMap, Activations.SoftSignMapBackward),
        "Iterated" => (Activations.Iterated, (x, s) => Activations.IteratedPullback(x, s).Gradient, Activations.IteratedMap, Activations.IteratedMapBackward),
        "SwishPlusHalf" => (Activations.SwishPlusHalf, (x, s) => Activations.SwishPlusHalfPullback(x, s).Gradient, Activations.SwishPlusHalfMap, Activations.SwishPlusHalfMapBackward),
        "SumOfHarmonics" => (Activations.SumOfHarmonics, (x, s) => Activations.SumOfHarmonicsPullback(x, s).Gradient, Activations.SumOfHarmonicsMap, Activations.SumOfHarmonicsMapBackward),
        _ => (Activations.ThroughDouble, (x, s) => Activations.ThroughDoublePullback(x, s).Gradient, Activations.ThroughDoubleMap, Activations.ThroughDoubleMapBackward),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void MapAndItsBackwardMatchTheScalarFunctionOnEveryElement(string name)
    {
        var (primal, pullback, map, backward) = Kernels(name);

        // 70 000 elements: several worker chunks, vector bodies and a scalar tail.
        float[] values = Enumerable.Range(0, 70_003).Select(i => (float)Math.Sin(i * 0.37) * 6f).ToArray();
        float[] seeds = Enumerable.Range(0, values.Length).Select(i => (float)Math.Cos(i * 0.11)).ToArray();
        Tensor x = Tensor.FromArray(values, values.Length), dy = Tensor.FromArray(seeds, seeds.Length);

        float[] y = map(x).ToArray();
        Tensor dx = Tensor.Full(2f, values.Length);
        backward(dy, x, dx, true);
        float[] accumulated = dx.ToArray();
        backward(dy, x, dx, false);
        float[] overwritten = dx.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            AssertClose(primal(values[i]), y[i], $"{name}({values[i]})");
            float g = pullback(values[i], seeds[i]);
            AssertClose(g, overwritten[i], $"{name}'({values[i]})·{seeds[i]}");
            AssertClose(2f + g, accumulated[i], $"2 + {name}'({values[i]})·{seeds[i]}");
        }
    }

    [Fact]
    public void TensorOpsMapFindsTheGeneratedKernels()
    {
        Tensor x = Tensor.FromArray(new[] { -2f, -0.5f, 0f, 0.5f, 3f }, 5);
        Assert.Equal(Activations.SwishMap(x).ToArray(), Map(x, Activations.Swish).ToArray());
        Assert.Equal(x.ToArray().Select(v => MathF.Round(v + 0.25f)), Map(x, v => MathF.Round(v + 0.25f)).ToArray());
    }

    [Fact]
    public void AModelWithUserActivationsHasFiniteDifferenceGradients()
    {
        var model = new SwishNet(seed: 3);
        Tensor x = Tensor.RandomNormal(new[] { 6, 4 }, 9, stddev: 1f);
        var gradients = model.CreateGradients();
        float loss = model.LossGradient(x, gradients);
        Assert.Equal(model.Loss(x), loss, 5);
        foreach ((Tensor parameter, Tensor gradient) in new[] { (model.W, gradients.W), (model.B, gradients.B) })
        {
            float[] data = parameter.ToArray(), expected = gradient.ToArray();
            for (int i = 0; i < data.Length; i++)
            {
                float original = data[i];
                data[i] = original + 1e-2f;
                parameter.CopyFrom(data);
                double plus = model.Loss(x);
                data[i] = original - 1e-2f;
                parameter.CopyFrom(data);
                double minus = model.Loss(x);
                data[i] = original;
                parameter.CopyFrom(data);
                double difference = (plus - minus) / 2e-2;
                Assert.True(Math.Abs(difference - expected[i]) <= 2e-2 * Math.Max(Math.Abs(difference), 0.05), $"[{i}]: finite difference {difference}, generated {expected[i]}");
            }
        }
    }

    private static void AssertClose(float expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5f * Math.Max(1f, Math.Abs(expected)), $"{what}: scalar {expected:R}, kernel {actual:R}.");
}
