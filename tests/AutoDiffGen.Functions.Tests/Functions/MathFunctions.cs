using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Every Math function of the differentiable subset.</summary>
public static partial class MathFunctions
{
    [Differentiable, Sample(-2, 2)] public static double Sin(double x) => Math.Sin(x * x);
    [Differentiable, Sample(-2, 2)] public static double Cos(double x) => Math.Cos(3 * x);
    [Differentiable, Sample(-1, 1)] public static double Tan(double x) => Math.Tan(x);
    [Differentiable, Sample(-0.9, 0.9)] public static double Asin(double x) => Math.Asin(x);
    [Differentiable, Sample(-0.9, 0.9)] public static double Acos(double x) => Math.Acos(x);
    [Differentiable, Sample(-3, 3)] public static double Atan(double x) => Math.Atan(x);
    [Differentiable, Sample(0.2, 2)] public static double Atan2(double y, double x) => Math.Atan2(y, x) + Math.Atan2(-x, y);
    [Differentiable, Sample(-2, 2)] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable, Sample(-2, 2)] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable, Sample(-2, 2)] public static double Tanh(double x) => Math.Tanh(2 * x);
    [Differentiable, Sample(-2, 2)] public static double Exp(double x) => Math.Exp(x);
    [Differentiable, Sample(0.1, 3)] public static double Log(double x) => Math.Log(x);
    [Differentiable, Sample(1.5, 3)] public static double LogWithBase(double x, double b) => Math.Log(x, b);
    [Differentiable, Sample(0.1, 3)] public static double Log2(double x) => Math.Log2(x);
    [Differentiable, Sample(0.1, 3)] public static double Log10(double x) => Math.Log10(x);
    [Differentiable, Sample(0.1, 3)] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable, Sample(0.1, 3)] public static double Cbrt(double x) => Math.Cbrt(x);
    [Differentiable, Sample(0.5, 2)] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable, Sample(-2, 2)] public static double PowConstantExponent(double x) => Math.Pow(x, 3) + Math.Pow(x, 2);
    [Differentiable, Sample(-2, 2)] public static double Abs(double x) => Math.Abs(x) * x;
    [Differentiable, Sample(-2, 2)] public static double Max(double x, double y) => Math.Max(x, y) * Math.Max(x * y, 0.5);
    [Differentiable, Sample(-2, 2)] public static double Min(double x, double y) => Math.Min(x, y) + Math.Min(x * y, -0.25);
    [Differentiable, Sample(-2, 2)] public static double Clamp(double x, double lo) => Math.Clamp(x, lo - 1, lo + 1) * x;
    [Differentiable, Sample(-2, 2)] public static double NestedCalls(double x) => Math.Exp(Math.Sin(x) * Math.Cos(x)) / (1 + Math.Tanh(x) * Math.Tanh(x));

    // Piecewise-constant functions: their derivative is zero wherever it exists, stated by ADG0010
    // (and ADG0009 where a parameter only reaches the result through them), suppressed here on purpose.
#pragma warning disable ADG0009, ADG0010
    [Differentiable, Sample(-2, 2)] public static double Sign(double x, double y) => Math.Sign(y) * x;
    [Differentiable, Sample(-2, 2)] public static double Floor(double x, double y) => Math.Floor(y) * x + y;
    [Differentiable, Sample(-2, 2)] public static double Ceiling(double x, double y) => Math.Ceiling(y) * x + y;
    [Differentiable, Sample(-2, 2)] public static double Round(double x, double y) => Math.Round(y) * x + y;
    [Differentiable, Sample(-2, 2)] public static double Truncate(double x, double y) => Math.Truncate(y) * x + y;
#pragma warning restore ADG0009, ADG0010
}
