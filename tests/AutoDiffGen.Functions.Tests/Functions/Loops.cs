using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Loops whose trip counts are known only at run time, nesting, loop-carried values, break and continue.</summary>
public static partial class Loops
{
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 0, 1, 3, 7 })]
    public static double PowerByLoop(double x, int n)
    {
        double result = 1;
        for (int i = 0; i < n; i++)
        {
            result *= x;
        }

        return result;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 4, 9 })]
    public static double Horner(double x, double c, int degree)
    {
        double s = 0;
        for (int k = degree; k >= 0; k--)
        {
            s = s * x + c * (k + 1);
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 5 })]
    public static double LoopUsesCounter(double x, int n)
    {
        double s = x;
        for (int i = 1; i <= n; i++)
        {
            s = Math.Sin(s * i) + x / i;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 2)]
    public static double WhileLoop(double x, double y)
    {
        double s = x;
        int steps = 0;
        while (steps < 5)
        {
            s = s * 0.5 + y * Math.Cos(s);
            steps++;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 2, Ints = new[] { 1, 3, 6 })]
    public static double DoWhileLoop(double x, int n)
    {
        double s = 0;
        int i = 0;
        do
        {
            s += x * (i + 1);
            s = s * x;
            i++;
        }
        while (i < n);
        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 3, 4 })]
    public static double NestedLoops(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double row = x;
            for (int j = 0; j <= i; j++)
            {
                row = row * y + Math.Sin(x * j);
            }

            s += row;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 1.5, Ints = new[] { 4, 10 })]
    public static double BreakOut(double x, int n)
    {
        double s = 1;
        for (int i = 0; i < n; i++)
        {
            if (i >= 3)
            {
                break;
            }

            s = s * x + i;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 1.5, Ints = new[] { 3, 8 })]
    public static double ContinueSkips(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 1)
            {
                continue;
            }

            s += Math.Pow(x, i);
        }

        return s;
    }

    [Differentiable, Sample(0.2, 0.9)]
    public static double DataDependentTripCount(double x, double y)
    {
        // The number of trips depends on x (piecewise constant), the body on both.
        double s = y;
        int trips = 0;
        double threshold = x * 10;
        while (trips < threshold)
        {
            s = s * y + x;
            trips++;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3, 5 })]
    public static double EarlyReturnFromLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = s * x + 0.5;
            if (i == 2)
            {
                return s * s;
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 4 })]
    public static double BranchInsideLoop(double x, double y, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            if (s > 0)
            {
                s = s * y - 0.25;
            }
            else
            {
                s = Math.Exp(s) * x;
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double IntLocalArithmetic(double x, int n)
    {
        int m = n * 2 - 1;
        int k = m / 2;
        double s = 0;
        for (int i = 0; i < m; i++)
        {
            s += x * (i - k) + (double)(i % 3) * x * x;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 1.5, Ints = new[] { 2, 6 })]
    public static double WhileWithBreakAndContinue(double x, int n)
    {
        double s = 0;
        int i = 0;
        while (true)
        {
            i++;
            if (i > n)
            {
                break;
            }

            if (i == 2)
            {
                continue;
            }

            s = s + x * i;
            s = s * x;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 3 })]
    public static double TripleNested(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < 2; k++)
                {
                    s = s * 0.5 + x * (i + j + k);
                }
            }
        }

        return s * x;
    }

    // The reverse sweep recomputes a step's temporaries (r * s, 1 - s) from the restored state instead of
    // taping them; where the step overwrites their input, its reverse restores that input first.

    [Differentiable, Sample(0.1, 0.9, Ints = new[] { 0, 1, 6 })]
    public static double LogisticSteps(double r, double s0, int n)
    {
        double s = s0;
        for (int i = 0; i < n; i++)
        {
            s = r * s * (1 - s);
        }

        return Math.Sin(s) * r;
    }

    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 1, 4 })]
    public static double RationalSteps(double x, double a, int n)
    {
        double s = x;
        int i = 0;
        while (i < n)
        {
            s = a * s / (1 + s * s) + x;
            i++;
        }

        return s * a;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 5 })]
    public static double CoupledSteps(double x, double beta, int n)
    {
        double velocity = 0, position = x;
        for (int i = 0; i < n; i++)
        {
            velocity = beta * velocity + position;
            position = position - 0.1 * velocity * position;
            if (position > 2)
            {
                position = position / velocity;
            }
        }

        return position * velocity;
    }

    // Two values the loop carries, the second computed from the first just before it. A loop's local may take over
    // the last definition of its value (u_loop = v + a), but then v's definition must stay: u's reads it.
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 3 })]
    public static double CarriedValuesDefinedInOrder(double a, double b, int n)
    {
        double v = a * b;
        double u = v + a;
        for (int i = 0; i < n; i++)
        {
            u = u * 0.9 + v * 0.1;
            v = v * 0.8 + u * 0.05;
        }

        return u * v;
    }

    // Found by the random-program property test when dead adjoint resets were dropped without iterating loops to a
    // fixed point: an adjoint reset late in a reverse loop body is read by the next trip and must stay.
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 2, 3 })]
    public static double ResetReadOnTheNextTrip(double x, double y, double z, int n)
    {
        double a = x * 0.5, b = y + 0.25, c = z;
        a *= Math.Tanh((c + z));
        int w0 = 0;
        while (w0 < n)
        {
            w0++;
            int w1 = 0;
            while (w1 < n)
            {
                w1++;
                c += Math.Cbrt(2 + Math.Sin(c));
            }
            if (-1.0 < Math.Exp(Math.Sin(0.0)))
            {
                a += Math.Tanh(Math.Min(0.116, -0.5));
                x += Math.Tanh((b - x));
                a *= Math.Tanh((z + y));
            }
            else
            {
                b -= (b - (Math.Sin(a) * c + a * 0.5));
                b = (b * (x < z ? y : z));
                b *= Math.Tanh((a - 0.0));
                c = ((1.219 + 2.0) - b);
            }
            x = Math.Exp(Math.Sin((a <= -1.877 ? c : c)));
        }
        if ((a / (1.5 + b * b)) > z)
        {
            x -= Math.Abs(Math.Pow(1.5 + Math.Sin(z), 1.5));
            if ((z > y ? y : -0.0) >= (c >= x ? y : a))
            {
                x += Math.Clamp((b + a), -0.75, 0.75);
                if ((0.0 * c) < (y - 0.0)) return (y - a);
                a = ((Math.Sin(c) * z + c * 0.5) > (x - z) ? 0.011 : (c / (1.5 + z * z)));
                x = y;
            }
            else
            {
                b *= Math.Tanh(a);
                a = z;
            }
        }
        else
        {
            b *= Math.Tanh((z + z));
            if (Math.Sinh(Math.Sin(b)) < (0.0 - 0.0)) return x;
            c += z;
            c = ((c - c) * 0.0);
        }
        x = ((z + a) / (1.5 + a * a));
        return c;
    }

    // Found by the random-program property test: the new value of b depends, through a condition with
    // zero derivative, on its old value, whose sign always differs; the partial must see the old one.
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 3 })]
    public static double ConditionOnTheOverwrittenValue(double x, double y, double z, int n)
    {
        double a = x * 0.5, b = -a, c = z;
        for (int i = 0; i < n; i++)
        {
            x += (x + y) - 0.068;
            b = a / (1.5 + (0.0 > b ? -0.0 : 1.0) * (0.0 > b ? -0.0 : 1.0));
            c += Math.Atan(y);
        }

        return (b + b) * (c - -0.02) + x;
    }
    // Independent trips: each trip's reverse runs right after it, in the forward sweep (the tape holds one trip).

    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 1, 5 })]
    public static double SumOfIndependentTerms(double x, double y, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Sin(x * i + y);
            sum += t * t * y;
        }

        return sum;
    }

    /// <summary>Calls a method with a fused loop through its backward core (which keeps what the trips add into).</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 3 })]
    public static double CallsASumOfIndependentTerms(double x, double y, int n) => Math.Sin(SumOfIndependentTerms(x * y, y, n)) + x;

    /// <summary>x also reaches the result after the loop: that first contribution must add to what the trips gave.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 2, 5 })]
    public static double ScaledSumOfIndependentTerms(double x, double y, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Cos(x * (i + 1)) * y;
            sum = sum + t * t;
        }

        return sum * x + y;
    }

    /// <summary>Two sums over independent trips, one after the other, and a branch inside each trip.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 4 })]
    public static double TwoIndependentLoops(double x, double y, int n)
    {
        double first = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Exp(x * i * 0.25);
            if (i % 2 == 0)
            {
                t = t * y;
            }

            first += t * t;
        }

        double second = 0;
        for (int j = 0; j < n; j++)
        {
            double u = Math.Tanh(y * j + first);
            second += u * u * x;
        }

        return first + 2 * second;
    }

    /// <summary>The sum's adjoint needs the sum itself (log), known only after the loop: the trips are not fused.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 4 })]
    public static double LogOfSumOfTerms(double x, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Exp(x * i);
            sum += t * t;
        }

        return Math.Log(sum);
    }

    /// <summary>Each trip reads the value the previous trip left: not independent.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 4 })]
    public static double TripReadsThePreviousTrip(double x, int n)
    {
        double sum = 0;
        double t = x;
        for (int i = 0; i < n; i++)
        {
            sum += t * t;
            t = Math.Sin(t + x);
        }

        return sum;
    }

    /// <summary>Odd trips keep the value an even trip wrote: not independent.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 1, 4 })]
    public static double TripMayKeepThePreviousValue(double x, int n)
    {
        double sum = 0;
        double t = x;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
            {
                t = Math.Sin(x * (i + 1));
            }

            sum += t * t;
        }

        return sum;
    }
}
