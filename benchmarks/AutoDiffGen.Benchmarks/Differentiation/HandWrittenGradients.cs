using System;

namespace AutoDiffGen.Benchmarks.Differentiation;

/// <summary>
/// Careful hand-written gradients of <see cref="BenchmarkFunctions"/>: the baseline the generated code
/// is measured against. Each reuses forward values where a person would and allocates nothing.
/// </summary>
public static class HandWrittenGradients
{
    public static (double Value, double dx, double dy) Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        double db = 200 * b;
        return (a * a + 100 * b * b, -2 * a - 2 * x * db, db);
    }

    /// <summary>Stores the trajectory in a caller-provided buffer (reused across calls), then runs backwards.</summary>
    public static (double Value, double dr, double ds0) LogisticMap(double r, double s0, int n, double[] trajectory)
    {
        double s = s0;
        for (int i = 0; i < n; i++)
        {
            trajectory[i] = s;
            s = r * s * (1 - s);
        }

        double value = Math.Sin(s) * r;
        double ds = Math.Cos(s) * r;
        double dr = Math.Sin(s);
        for (int i = n - 1; i >= 0; i--)
        {
            double previous = trajectory[i];
            dr += ds * previous * (1 - previous);
            ds *= r * (1 - 2 * previous);
        }

        return (value, dr, ds);
    }

    public static (double Value, double dx, double dw1, double dw2, double db, double dtarget) TwoUnitLoss(double x, double w1, double w2, double b, double target)
    {
        double h1 = 1 / (1 + Math.Exp(-(w1 * x + b)));
        double h2 = 1 / (1 + Math.Exp(-(w2 * x - b)));
        double error = h1 + h2 - target;
        double dError = 2 * error;
        double dz1 = dError * h1 * (1 - h1);
        double dz2 = dError * h2 * (1 - h2);
        return (error * error, dz1 * w1 + dz2 * w2, dz1 * x, dz2 * x, dz1 - dz2, -dError);
    }
}
