using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Conditions, if/else, ternaries and early returns.</summary>
public static partial class ControlFlow
{
    [Differentiable, Sample(-2, 2)]
    public static double IfElse(double x, double y)
    {
        double r;
        if (x > y)
        {
            r = x * x;
        }
        else
        {
            r = Math.Sin(y) * x;
        }

        return r + y;
    }

    [Differentiable, Sample(-2, 2)]
    public static double IfWithoutElse(double x, double y)
    {
        double r = x * y;
        if (x < 0.3)
        {
            r = r * r + y;
        }

        return r;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ElseIfChain(double x)
    {
        double r;
        if (x < -1)
        {
            r = -x;
        }
        else if (x < 0)
        {
            r = x * x + 1;
        }
        else if (x <= 1)
        {
            r = Math.Exp(x);
        }
        else
        {
            r = 3 * x;
        }

        return r * x;
    }

    [Differentiable, Sample(-2, 2)]
    public static double Ternary(double x, double y) => x > 0 ? x * y : y - x;

    [Differentiable, Sample(-2, 2)]
    public static double NestedTernary(double x, double y) => (x > 0 ? (y > 0 ? x * y : x) : y * y) + x;

    [Differentiable, Sample(-2, 2)]
    public static double LogicalConditions(double x, double y)
    {
        double r = x + y;
        if ((x > 0 && y > 0) || !(x * y < -1))
        {
            r = r * x;
        }

        if (x != y && x >= -1.5 && !(y == 0))
        {
            r = r + y * y;
        }

        return r;
    }

    [Differentiable, Sample(-2, 2)]
    public static double EarlyReturn(double x, double y)
    {
        if (x < -1)
        {
            return x * y;
        }

        double z = x * x;
        if (z > 2)
        {
            return z + y;
        }

        z = z * y;
        return z + x;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ReturnsFromBothBranches(double x)
    {
        if (x > 0)
        {
            return Math.Sqrt(x + 1);
        }
        else
        {
            return Math.Exp(x);
        }
    }

    [Differentiable, Sample(-2, 2)]
    public static double BoolLocal(double x, double y)
    {
        bool positive = x * y > 0;
        bool large = Math.Abs(x) > 1;
        double r = x;
        if (positive && !large)
        {
            r = r * y;
        }

        return positive ? r + y : r - y;
    }

    /// <summary>relu(w·x + b) from the seed talk, with a leaky branch.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double LeakyRelu(double x, double w, double b)
    {
        double v = w * x + b;
        return v > 0 ? v : 0.01 * v;
    }
}
