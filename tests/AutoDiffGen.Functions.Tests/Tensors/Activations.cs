using System;
using AutoDiffGen;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>User activations: scalar [Differentiable] functions applied elementwise to tensors.</summary>
public static partial class Activations
{
    [Differentiable]
    public static float Swish(float x) => x / (1f + MathF.Exp(-x));

    [Differentiable]
    public static float LeakyRelu(float x) => x > 0f ? x : 0.1f * x;

    [Differentiable]
    public static float SoftSign(float x) => x / (1f + MathF.Abs(x)) + MathF.Tanh(x) * MathF.Sqrt(1f + x * x);

    /// <summary>A loop: no vector form, so the kernels fall back to scalar code.</summary>
    [Differentiable]
    public static float Iterated(float x)
    {
        float y = x;
        for (int i = 0; i < 3; i++)
        {
            y = MathF.Sin(y) + 0.5f * x;
        }

        return y;
    }

    /// <summary>
    /// A sum over independent trips: each trip's reverse runs inside the pullback's forward sweep, which therefore is
    /// not the function's value alone.
    /// </summary>
    [Differentiable]
    public static float SumOfHarmonics(float x)
    {
        float sum = 0f;
        for (int i = 1; i <= 3; i++)
        {
            float t = MathF.Sin(x * i);
            sum += t * t / i;
        }

        return sum;
    }

    /// <summary>Double math inside: scalar kernels keep its exact numerics.</summary>
    [Differentiable]
    public static float ThroughDouble(float x) => (float)Math.Atan(x) * x;

    // Calls another one-variable activation: its derivative comes from SwishGradient in the forward sweep.
    [Differentiable]
    public static float SwishPlusHalf(float x) => Swish(x) * 0.5f + x;

    // Double twins: the gradient checks compare each activation with its twin, itself checked against finite differences.
    [Differentiable] public static double SwishDouble(double x) => x / (1 + Math.Exp(-x));
    [Differentiable] public static double LeakyReluDouble(double x) => x > 0 ? x : 0.1 * x;
    [Differentiable] public static double SoftSignDouble(double x) => x / (1 + Math.Abs(x)) + Math.Tanh(x) * Math.Sqrt(1 + x * x);
    [Differentiable] public static double ThroughDoubleDouble(double x) => Math.Atan(x) * x;
    [Differentiable] public static double SwishPlusHalfDouble(double x) => SwishDouble(x) * 0.5 + x;

    [Differentiable]
    public static double SumOfHarmonicsDouble(double x)
    {
        double sum = 0;
        for (int i = 1; i <= 3; i++)
        {
            double t = Math.Sin(x * i);
            sum += t * t / i;
        }

        return sum;
    }

    [Differentiable]
    public static double IteratedDouble(double x)
    {
        double y = x;
        for (int i = 0; i < 3; i++)
        {
            y = Math.Sin(y) + 0.5 * x;
        }

        return y;
    }
}

/// <summary>A model with a user activation inside: its backward pass uses the generated kernels.</summary>
public partial class SwishNet
{
    [Parameter] public Tensor W;
    [Parameter] public Tensor B;

    public SwishNet(ulong seed)
    {
        W = Tensor.RandomNormal(new[] { 4, 3 }, seed, stddev: 0.7f);
        B = Tensor.RandomNormal(new[] { 3 }, seed + 1, stddev: 0.3f);
    }

    [Differentiable]
    public float Loss(Tensor x) =>
        Mean(Map(Map(Dense(x, W, B), Activations.Swish), Activations.LeakyRelu) * Map(Dense(x, W, B), Activations.SoftSign) + Map(Dense(x, W, B), Activations.Iterated)).ToScalar();
}

/// <summary>User activations whose bodies have GPU kernels (no loops): runs on any device.</summary>
public partial class KernelNet
{
    [Parameter] public Tensor W;
    [Parameter] public Tensor B;

    public KernelNet(ulong seed)
    {
        W = Tensor.RandomNormal(new[] { 4, 3 }, seed, stddev: 0.7f);
        B = Tensor.RandomNormal(new[] { 3 }, seed + 1, stddev: 0.3f);
    }

    [Differentiable]
    public float Loss(Tensor x) =>
        Mean(Map(Map(Dense(x, W, B), Activations.Swish), Activations.LeakyRelu) * Map(Dense(x, W, B), Activations.SoftSign));
}
