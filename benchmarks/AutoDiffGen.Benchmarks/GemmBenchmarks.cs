using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AutoDiffGen.Backends.Cpu;
using Kernels = AutoDiffGen.Backends.Cpu.Gemm;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AutoDiffGen.Benchmarks;

/// <summary>
/// The machine's FP32 peak (independent FMA chains on every core) and SGEMM throughput for square sizes and the
/// MNIST MLP's forward and backward shapes, each reported as GFLOP/s and as a fraction of the peak measured in the
/// same run.
/// </summary>
[Config(typeof(ShortConfig))]
public unsafe class GemmBenchmarks
{
    /// <summary>Iterations of the peak loop per thread: long enough to dwarf waking the pool.</summary>
    internal const int PeakIterations = 2_000_000;

    /// <summary>Independent accumulators per thread: more than FMA latency × FMA ports, fewer than the registers.</summary>
    internal const int PeakChains = 12;

    public static IEnumerable<GemmShape> Shapes()
    {
        foreach (int size in new[] { 256, 512, 1024, 2048 })
        {
            yield return new GemmShape("square", size, size, size, false, false);
        }

        foreach (int batch in new[] { 100, 1000 })
        {
            yield return new GemmShape($"fwd1 b{batch}", batch, 256, 784, false, false);
            yield return new GemmShape($"fwd2 b{batch}", batch, 256, 256, false, false);
            yield return new GemmShape($"fwd3 b{batch}", batch, 10, 256, false, false);
            yield return new GemmShape($"dW1 b{batch}", 784, 256, batch, true, false);
            yield return new GemmShape($"dW2 b{batch}", 256, 256, batch, true, false);
            yield return new GemmShape($"dW3 b{batch}", 256, 10, batch, true, false);
            yield return new GemmShape($"dx2 b{batch}", batch, 256, 256, false, true);
            yield return new GemmShape($"dx3 b{batch}", batch, 256, 10, false, true);
        }
    }

    /// <summary>Flops of one <see cref="FmaPeak"/> call.</summary>
    internal static double PeakFlops => (double)CpuWorkerPool.Shared.ThreadCount * PeakIterations * PeakChains * 2 * Lanes;

    /// <summary>Flops of one <see cref="FmaPeakOneThread"/> call.</summary>
    internal static double OneThreadPeakFlops => (double)PeakIterations * PeakChains * 2 * Lanes;

    /// <summary>The single-thread rows: kernel efficiency without the second core (or its absence on a shared VM).</summary>
    public static IEnumerable<GemmShape> OneThreadShapes()
    {
        yield return new GemmShape("square", 1024, 1024, 1024, false, false);
        yield return new GemmShape("fwd1 b100", 100, 256, 784, false, false);
    }

    private static int Lanes => Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>The FP32 peak: every pool thread runs <see cref="PeakChains"/> independent FMA chains at full width.</summary>
    [Benchmark]
    public void FmaPeak() => CpuWorkerPool.Shared.Run(&PeakChunk, null, CpuWorkerPool.Shared.ThreadCount);

    /// <summary>C = op(A)·op(B) through the public API the generated code calls (operands made on first use).</summary>
    [Benchmark]
    [ArgumentsSource(nameof(Shapes))]
    public void Sgemm(GemmShape shape) => TensorOps.Gemm(shape.TransposeA, shape.TransposeB, 1f, shape.A, shape.B, 0f, shape.C);

    /// <summary>The FP32 peak of one thread, for the single-thread rows.</summary>
    [Benchmark]
    public float FmaPeakOneThread() => Vector512.IsHardwareAccelerated ? Peak512() : Peak256();

    /// <summary>The same product on the calling thread alone (the backend's kernel, without the worker pool).</summary>
    [Benchmark]
    [ArgumentsSource(nameof(OneThreadShapes))]
    public void SgemmOneThread(GemmShape shape)
    {
        Tensor a = shape.A, b = shape.B, c = shape.C;
        fixed (float* pa = CpuBackend.Data(a), pb = CpuBackend.Data(b), pc = CpuBackend.Data(c))
        {
            var left = shape.TransposeA ? new Kernels.Sgemm.Matrix(pa, 1, shape.M) : new Kernels.Sgemm.Matrix(pa, shape.K, 1);
            var right = shape.TransposeB ? new Kernels.Sgemm.Matrix(pb, 1, shape.K) : new Kernels.Sgemm.Matrix(pb, shape.N, 1);
            Kernels.Sgemm.Multiply(shape.M, shape.N, shape.K, 1f, left, right, 0f, pc, shape.N, null, Kernels.Sgemm.Detected, allowThreads: false);
        }
    }

    private static void PeakChunk(void* state, int chunk)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Peak512();
        }
        else
        {
            Peak256();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Peak256()
    {
        Vector256<float> m = Vector256.Create(0.9999f), a = Vector256.Create(1e-4f);
        Vector256<float> x0 = Vector256.Create(1f), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0;
        Vector256<float> x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0;
        for (int i = 0; i < PeakIterations; i++)
        {
            x0 = Fma.MultiplyAdd(x0, m, a);
            x1 = Fma.MultiplyAdd(x1, m, a);
            x2 = Fma.MultiplyAdd(x2, m, a);
            x3 = Fma.MultiplyAdd(x3, m, a);
            x4 = Fma.MultiplyAdd(x4, m, a);
            x5 = Fma.MultiplyAdd(x5, m, a);
            x6 = Fma.MultiplyAdd(x6, m, a);
            x7 = Fma.MultiplyAdd(x7, m, a);
            x8 = Fma.MultiplyAdd(x8, m, a);
            x9 = Fma.MultiplyAdd(x9, m, a);
            x10 = Fma.MultiplyAdd(x10, m, a);
            x11 = Fma.MultiplyAdd(x11, m, a);
        }

        return Vector256.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Peak512()
    {
        Vector512<float> m = Vector512.Create(0.9999f), a = Vector512.Create(1e-4f);
        Vector512<float> x0 = Vector512.Create(1f), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0;
        Vector512<float> x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0;
        for (int i = 0; i < PeakIterations; i++)
        {
            x0 = Vector512.FusedMultiplyAdd(x0, m, a);
            x1 = Vector512.FusedMultiplyAdd(x1, m, a);
            x2 = Vector512.FusedMultiplyAdd(x2, m, a);
            x3 = Vector512.FusedMultiplyAdd(x3, m, a);
            x4 = Vector512.FusedMultiplyAdd(x4, m, a);
            x5 = Vector512.FusedMultiplyAdd(x5, m, a);
            x6 = Vector512.FusedMultiplyAdd(x6, m, a);
            x7 = Vector512.FusedMultiplyAdd(x7, m, a);
            x8 = Vector512.FusedMultiplyAdd(x8, m, a);
            x9 = Vector512.FusedMultiplyAdd(x9, m, a);
            x10 = Vector512.FusedMultiplyAdd(x10, m, a);
            x11 = Vector512.FusedMultiplyAdd(x11, m, a);
        }

        return Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    /// <summary>
    /// In process (no generated project to build and launch per case), two warm-ups and thirty measured iterations of
    /// 20 ms: the whole class finishes in about a minute. Throughput comes from the fastest iteration (the Min
    /// column), because on a shared machine the other iterations measure the neighbours as much as the code.
    /// </summary>
    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig()
        {
            AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(30).WithIterationTime(TimeInterval.FromMilliseconds(20)).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.Min);
            AddColumn(new ThroughputColumn(fractionOfPeak: false), new ThroughputColumn(fractionOfPeak: true));
            WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
            WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));
        }
    }
}
