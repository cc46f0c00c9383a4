using BenchmarkDotNet.Running;

namespace AutoDiffGen.Benchmarks;

/// <summary>
/// Runs the benchmarks picked by the command line, e.g. <c>-- --filter '*Gemm*'</c>; <c>-- interleave-gmm</c> runs
/// the GMM gradients' alternating-rounds probe instead.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "interleave-gmm")
        {
            Scientific.GmmInterleavedProbe.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
