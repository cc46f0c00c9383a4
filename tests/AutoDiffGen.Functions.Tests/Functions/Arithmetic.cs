using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Parameters, locals, reassignment, compound assignment, operators, literals and constants.</summary>
public static partial class Arithmetic
{
    private const double Half = 0.5;
    private static readonly double Scale = 3.25;

    [Differentiable, Sample(-2, 2)]
    public static double Add(double x, double y) => x + y;

    [Differentiable, Sample(-2, 2)]
    public static double Subtract(double x, double y) => x - y;

    [Differentiable, Sample(-2, 2)]
    public static double Multiply(double x, double y) => x * y;

    [Differentiable, Sample(0.5, 2)]
    public static double Divide(double x, double y) => x / y;

    [Differentiable, Sample(-2, 2)]
    public static double Negate(double x, double y) => -(x * y) + -x;

    [Differentiable, Sample(-2, 2)]
    public static double Polynomial(double x) => 3 * x * x * x - 2 * x * x + x - 7;

    [Differentiable, Sample(-2, 2)]
    public static double Locals(double x, double y)
    {
        double u = x * y;
        double v = u + x;
        double w = v * u;
        return w - y;
    }

    [Differentiable, Sample(-2, 2)]
    public static double Reassignment(double x, double y)
    {
        double z = x * y;
        z = z * z + x;
        z = z - y * z;
        return z;
    }

    [Differentiable, Sample(0.5, 2)]
    public static double CompoundAssignment(double x, double y)
    {
        double s = x;
        s += y;
        s *= x;
        s -= y * y;
        s /= y;
        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ParameterReassigned(double x, double y)
    {
        x = x * y;
        y = x + y;
        x *= y;
        return x + y;
    }

    [Differentiable, Sample(-2, 2)]
    public static double Constants(double x) => Half * x * x + Math.PI * x + Scale + Math.E;

    [Differentiable, Sample(-2, 2)]
    public static double SelfReferenceInOneExpression(double x) => x * x * x / (1 + x * x);

    [Differentiable, Sample(-2, 2)]
    public static double ManyParameters(double a, double b, double c, double d, double e, double f, double g, double h) =>
        a * b + c * d - e * f + g * h * a;

    [Differentiable, Sample(-2, 2)]
    public static double Increments(double x)
    {
        double y = x;
        y++;
        y = y * y;
        y--;
        return y * x;
    }
}
