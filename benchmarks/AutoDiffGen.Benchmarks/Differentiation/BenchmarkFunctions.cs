using System;
using AutoDiffGen;

namespace AutoDiffGen.Benchmarks.Differentiation;

/// <summary>The functions whose generated gradients the benchmarks time against hand-written ones.</summary>
public static partial class BenchmarkFunctions
{
    /// <summary>Straight-line code: the Rosenbrock function.</summary>
    [Differentiable]
    public static double Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    /// <summary>A data-dependent loop: n steps of the logistic map s ← r·s·(1 − s), then a smooth readout.</summary>
    [Differentiable]
    public static double LogisticMap(double r, double s0, int n)
    {
        double s = s0;
        for (int i = 0; i < n; i++)
        {
            s = r * s * (1 - s);
        }

        return Math.Sin(s) * r;
    }

    [Differentiable]
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Calls another [Differentiable] method: a two-unit logistic layer and a squared-error loss.</summary>
    [Differentiable]
    public static double TwoUnitLoss(double x, double w1, double w2, double b, double target)
    {
        double h1 = Sigmoid(w1 * x + b);
        double h2 = Sigmoid(w2 * x - b);
        double error = h1 + h2 - target;
        return error * error;
    }
}
