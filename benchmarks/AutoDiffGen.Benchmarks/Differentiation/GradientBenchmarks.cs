using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Differentiation;

// Generated value-and-gradient against a careful hand-written gradient, in the same run. Each
// benchmark returns a sum of the outputs so nothing is optimised away.

/// <summary>Straight-line code.</summary>
[MemoryDiagnoser]
public class RosenbrockGradientBenchmarks
{
    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var (value, dx, dy) = HandWrittenGradients.Rosenbrock(0.3, 0.7);
        return value + dx + dy;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, gradient) = BenchmarkFunctions.RosenbrockGradient(0.3, 0.7);
        return value + gradient.x + gradient.y;
    }
}

/// <summary>A loop whose trip count is known only at run time; the generated code keeps its values on the tape.</summary>
[MemoryDiagnoser]
public class LogisticMapGradientBenchmarks
{
    private readonly double[] _trajectory = new double[1024];

    [Params(16, 1024)]
    public int Steps { get; set; }

    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var (value, dr, ds0) = HandWrittenGradients.LogisticMap(3.1, 0.4, Steps, _trajectory);
        return value + dr + ds0;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, gradient) = BenchmarkFunctions.LogisticMapGradient(3.1, 0.4, Steps);
        return value + gradient.r + gradient.s0;
    }
}

/// <summary>Calls another [Differentiable] method (Sigmoid) twice.</summary>
[MemoryDiagnoser]
public class TwoUnitLossGradientBenchmarks
{
    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        var g = HandWrittenGradients.TwoUnitLoss(0.5, 0.3, -0.8, 0.1, 0.7);
        return g.Value + g.dx + g.dw1 + g.dw2 + g.db + g.dtarget;
    }

    [Benchmark]
    public double Generated()
    {
        var (value, g) = BenchmarkFunctions.TwoUnitLossGradient(0.5, 0.3, -0.8, 0.1, 0.7);
        return value + g.x + g.w1 + g.w2 + g.b + g.target;
    }
}
