using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Differentiation;

// Generated value-and-gradient against a careful hand-written gradient, in the same run. Each
// benchmark returns a sum of the outputs so nothing is optimised away, and reads its arguments from
// fields: with literal arguments the JIT folds a straight-line gradient to a constant and both rows
// time an empty method.

/// <summary>Straight-line code, at 1,024 points per invocation so a row measures more than the timer's resolution.</summary>
[MemoryDiagnoser]
public class RosenbrockGradientBenchmarks
{
    private const int Points = 1024;
    private readonly double[] _x = PointsBetween(-1.5, 1.5, Points), _y = PointsBetween(-0.5, 2.5, Points);

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double HandWritten()
    {
        double sum = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            var (value, dx, dy) = HandWrittenGradients.Rosenbrock(_x[i], _y[i]);
            sum += value + dx + dy;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        double sum = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            var (value, gradient) = BenchmarkFunctions.RosenbrockGradient(_x[i], _y[i]);
            sum += value + gradient.x + gradient.y;
        }

        return sum;
    }

    internal static double[] PointsBetween(double low, double high, int count)
    {
        var points = new double[count];
        for (int i = 0; i < count; i++)
        {
            points[i] = low + (high - low) * ((i * 0.618034) % 1.0);
        }

        return points;
    }
}

/// <summary>A loop whose trip count is known only at run time; the generated code keeps its values on the tape.</summary>
[MemoryDiagnoser]
public class LogisticMapGradientBenchmarks
{
    private readonly double[] _trajectory = new double[1024];
    private double _r = 3.1, _s0 = 0.4;

    [Params(16, 1024)]
    public int Steps { get; set; }

    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var (value, dr, ds0) = HandWrittenGradients.LogisticMap(_r, _s0, Steps, _trajectory);
        return value + dr + ds0;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, gradient) = BenchmarkFunctions.LogisticMapGradient(_r, _s0, Steps);
        return value + gradient.r + gradient.s0;
    }
}

/// <summary>Calls another [Differentiable] method (Sigmoid) twice; 1,024 points per invocation.</summary>
[MemoryDiagnoser]
public class TwoUnitLossGradientBenchmarks
{
    private const int Points = 1024;
    private readonly double[] _x = RosenbrockGradientBenchmarks.PointsBetween(-2, 2, Points);
    private double _w1 = 0.3, _w2 = -0.8, _b = 0.1, _target = 0.7;

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double HandWritten()
    {
        double sum = 0;
        foreach (double x in _x)
        {
            var g = HandWrittenGradients.TwoUnitLoss(x, _w1, _w2, _b, _target);
            sum += g.Value + g.dx + g.dw1 + g.dw2 + g.db + g.dtarget;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public double Generated()
    {
        double sum = 0;
        foreach (double x in _x)
        {
            var (value, g) = BenchmarkFunctions.TwoUnitLossGradient(x, _w1, _w2, _b, _target);
            sum += value + g.x + g.w1 + g.w2 + g.b + g.target;
        }

        return sum;
    }
}
