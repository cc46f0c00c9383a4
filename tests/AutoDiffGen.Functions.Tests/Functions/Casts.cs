using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Casts among float, double and int.</summary>
public static partial class Casts
{
    [Differentiable, Sample(-2, 2, Twin = nameof(FloatInsideDoubleReference))]
    public static double FloatInsideDouble(double x)
    {
        float f = (float)x;
        float g = f * f + 1f;
        return (double)g * x;
    }

    [Differentiable, Sample(-2, 2)]
    public static double FloatInsideDoubleReference(double x)
    {
        double f = x;
        double g = f * f + 1;
        return g * x;
    }

    [Differentiable, Sample(-2, 2)]
    public static float DoubleInsideFloat(float x, float y)
    {
        double d = x;
        d = Math.Sin(d) * y;
        return (float)d + x * y;
    }

    [Differentiable, Sample(-2, 2)]
    public static double DoubleInsideFloatDouble(double x, double y)
    {
        double d = x;
        d = Math.Sin(d) * y;
        return d + x * y;
    }

#pragma warning disable ADG0010 // the cast to int stops the gradient through y, on purpose
    [Differentiable, Sample(-2, 2)]
    public static double IntCastIsPiecewiseConstant(double x, double y)
    {
        int k = (int)(y * 3);
        return x * k + y;
    }
#pragma warning restore ADG0010

    [Differentiable, Sample(-2, 2, Ints = new[] { 3, 5 })]
    public static double IntToDouble(double x, int n) => x * n + (double)n / 2 * x * x;
}
