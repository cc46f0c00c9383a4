using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>
/// Float versions of double functions. The gradient checks compare each float gradient with its double
/// twin's (which is checked against finite differences in double) at float precision.
/// </summary>
public static partial class FloatTwins
{
    [Differentiable, Sample(-2, 2)]
    public static float Activation(float x, float w, float b) => MathF.Max(w * x + b, 0f);

    [Differentiable, Sample(-2, 2)]
    public static double ActivationDouble(double x, double w, double b) => Math.Max(w * x + b, 0);

    [Differentiable, Sample(0.2, 2)]
    public static float Transcendental(float x, float y) => MathF.Exp(MathF.Sin(x) * y) + MathF.Log(x + y) * MathF.Sqrt(x) + MathF.Atan2(y, x) + MathF.Pow(x, y) + MathF.Cbrt(y);

    [Differentiable, Sample(0.2, 2)]
    public static double TranscendentalDouble(double x, double y) => Math.Exp(Math.Sin(x) * y) + Math.Log(x + y) * Math.Sqrt(x) + Math.Atan2(y, x) + Math.Pow(x, y) + Math.Cbrt(y);

    [Differentiable, Sample(-1, 1, Ints = new[] { 3, 6 })]
    public static float Loop(float x, float y, int n)
    {
        float s = x;
        for (int i = 0; i < n; i++)
        {
            s = MathF.Tanh(s * y) + x;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3, 6 })]
    public static double LoopDouble(double x, double y, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = Math.Tanh(s * y) + x;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static float Branches(float x, float y) => x > y ? MathF.Sinh(x) * MathF.Cosh(y) : MathF.Tan(x * 0.5f) - MathF.Abs(y) + Math.Clamp(x, -1f, 1f);

    [Differentiable, Sample(-2, 2)]
    public static double BranchesDouble(double x, double y) => x > y ? Math.Sinh(x) * Math.Cosh(y) : Math.Tan(x * 0.5) - Math.Abs(y) + Math.Clamp(x, -1.0, 1.0);
}
