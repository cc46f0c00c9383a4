using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Calls of other [Differentiable] methods, supplied derivatives, [NoDerivative] and recursion.</summary>
public static partial class Calls
{
    [Differentiable, Sample(-2, 2)]
    public static double Square(double x) => x * x;

    [Differentiable, Sample(-2, 2)]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Differentiable, Sample(-2, 2)]
    public static double CallsSameType(double x, double y) => Square(x * y) + Sigmoid(x) * y;

    [Differentiable, Sample(-2, 2)]
    public static double CallsOtherType(double x, double y) => Geometry.Norm(x, y) * Geometry.Dot(x, y, y, x);

    [Differentiable, Sample(-2, 2)]
    public static double CallChain(double x) => Sigmoid(Square(Sigmoid(x)) + x);

    [Differentiable, Sample(-2, 2)]
    public static double CallWithSameArgumentTwice(double x) => Geometry.Dot(x, x, x, 2 * x);

    [Differentiable, Sample(-2, 2)]
    public static double CallResultReassigned(double x, double y)
    {
        double s = Square(x);
        s = Square(s + y);
        s = Geometry.Norm(s, x);
        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 4 })]
    public static double CallInLoop(double x, double y, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = Sigmoid(s * y) + Square(s) * 0.5;
        }

        return s;
    }

    /// <summary>A numerically stable softplus the generator should not see through: its derivative is supplied.</summary>
    public static double SoftPlus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

    [DerivativeOf(nameof(SoftPlus))]
    public static (double Value, double dx) SoftPlusDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double value = Math.Max(x, 0) + Math.Log(1 + e);
        double sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e);
        return (value, sigmoid);
    }

    [Differentiable, Sample(-3, 3)]
    public static double UsesSuppliedDerivative(double x, double y) => SoftPlus(x * y) * y;

    [Differentiable, Sample(-3, 3, Ints = new[] { 3 })]
    public static double SuppliedDerivativeInLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = SoftPlus(s) - 0.5 * s;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 2)]
    public static double UsesLibraryDerivative(double x, double y) => Library.Hypot(x, y) + x;

    [Differentiable, Sample(-2, 2)]
    public static double NoDerivativeParameter(double x, [NoDerivative] double scale) => Math.Sin(x * scale) * scale;

    [Differentiable, Sample(-2, 2)]
    public static double CallsWithNoDerivativeArgument(double x, double y) => NoDerivativeParameter(x * y, 1.5) + y;

    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 0, 2, 5 })]
    public static double Recursive(double x, int n) => n == 0 ? 1 : x * Recursive(x, n - 1) + Math.Sin(x);

    [Differentiable, Sample(-2, 2, Ints = new[] { 3, 4 })]
    public static double IntArgumentToCall(double x, int n) => PowerOf(x, n) + PowerOf(x, n - 1);

    [Differentiable, Sample(-2, 2, Ints = new[] { 3 })]
    public static double PowerOf(double x, int n)
    {
        double r = 1;
        for (int i = 0; i < n; i++)
        {
            r *= x;
        }

        return r;
    }

    /// <summary>Int-only helpers need no derivative.</summary>
    public static int Twice(int n) => 2 * n;

    [Differentiable, Sample(-2, 2, Ints = new[] { 1, 2 })]
    public static double CallsDataOnlyHelper(double x, int n) => x * Twice(n);
}

/// <summary>Differentiable methods of another type.</summary>
public static partial class Geometry
{
    [Differentiable, Sample(0.2, 2)]
    public static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);

    [Differentiable, Sample(-2, 2)]
    public static double Dot(double a, double b, double c, double d) => a * c + b * d;
}

/// <summary>Stands for a library the user cannot change: its method gets a derivative declared elsewhere.</summary>
public static class Library
{
    public static double Hypot(double x, double y) => Math.Sqrt(x * x + y * y);
}

/// <summary>Derivatives supplied for another type's method.</summary>
public static class LibraryDerivatives
{
    [DerivativeOf(typeof(Library), nameof(Library.Hypot))]
    public static (double Value, double dx, double dy) HypotDerivative(double x, double y)
    {
        double r = Math.Sqrt(x * x + y * y);
        return (r, x / r, y / r);
    }
}
