using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Differentiation;

// Generated value-and-gradient against a careful hand-written gradient, in the same run. Each
// benchmark returns a sum of the outputs so nothing is optimised away, and reads its arguments from
// mutable fields: with literal arguments the JIT folds a straight-line gradient to a constant and
// both rows time an empty method.

/// <summary>Straight-line code.</summary>
[MemoryDiagnoser]
public class RosenbrockGradientBenchmarks
{
    private double _x = 0.3, _y = 0.7;

    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var (value, dx, dy) = HandWrittenGradients.Rosenbrock(_x, _y);
        return value + dx + dy;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, gradient) = BenchmarkFunctions.RosenbrockGradient(_x, _y);
        return value + gradient.x + gradient.y;
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

/// <summary>Calls another [Differentiable] method (Sigmoid) twice.</summary>
[MemoryDiagnoser]
public class TwoUnitLossGradientBenchmarks
{
    private double _x = 0.5, _w1 = 0.3, _w2 = -0.8, _b = 0.1, _target = 0.7;

    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var g = HandWrittenGradients.TwoUnitLoss(_x, _w1, _w2, _b, _target);
        return g.Value + g.dx + g.dw1 + g.dw2 + g.db + g.dtarget;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, g) = BenchmarkFunctions.TwoUnitLossGradient(_x, _w1, _w2, _b, _target);
        return value + g.x + g.w1 + g.w2 + g.b + g.target;
    }
}
