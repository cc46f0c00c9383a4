using System;
using System.Diagnostics;
using System.Linq;
using Scientific;
using Scientific.Reference;

namespace AutoDiffGen.Benchmarks.Scientific;

/// <summary>
/// The GMM primal and its generated and hand-written gradients timed in alternation in one process, a round of each after the other:
/// on a shared machine whose neighbours change its speed from minute to minute, a ratio of two rows measured minutes
/// apart (as BenchmarkDotNet measures them, one process per row) moves by tens of percent; a ratio of rounds taken
/// seconds apart does not. A diagnostic beside <see cref="GmmBenchmarks"/>, not a replacement.
/// </summary>
/// <remarks>Run with <c>-- interleave-gmm [rounds] [d,K,n ...]</c>.</remarks>
public static class GmmInterleavedProbe
{
    /// <summary>
    /// Times the sizes given (else the three), printing each row's fastest and median round and the ratios the
    /// issue sets goals for: generated / hand-written and gradient / primal.
    /// </summary>
    public static void Run(string[] args)
    {
        int given = 0;
        bool counted = args.Length > 0 && int.TryParse(args[0], out given);
        int rounds = counted ? given : 40;
        string[] sizes = args.Skip(counted ? 1 : 0).ToArray();
        if (sizes.Length == 0)
        {
            sizes = new[] { "2,5,1000", "10,25,1000", "64,100,1000" };
        }

        Console.WriteLine($"GMM primal and gradients, generated and hand-written, in alternating rounds ({rounds} rounds each).");
        foreach (string size in sizes)
        {
            int[] s = Array.ConvertAll(size.Split(','), int.Parse);
            GmmInstance gmm = GmmInstance.Random(s[0], s[1], s[2], seed: 1);
            var dAlphas = new double[gmm.Alphas.Length];
            var dMeans = new double[gmm.Means.Length];
            var dIcf = new double[gmm.Icf.Length];
            var scratch = new double[GmmHandWrittenGradient.ScratchLength(gmm.D, gmm.K)];
            double Generated() => GaussianMixture.ObjectiveGradient(
                gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, dAlphas, dMeans, dIcf);
            double HandWritten() => GmmHandWrittenGradient.ValueAndGradient(
                gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM, dAlphas, dMeans, dIcf, scratch);
            double Primal() => GaussianMixture.Objective(
                gmm.D, gmm.K, gmm.N, gmm.Alphas, gmm.Means, gmm.Icf, gmm.X, gmm.WishartGamma, gmm.WishartM);

            // About 20 ms a round: enough calls that the timer's resolution does not matter.
            var warmUp = Stopwatch.StartNew();
            int calls = 0;
            while (warmUp.ElapsedMilliseconds < 200)
            {
                Generated();
                HandWritten();
                Primal();
                calls++;
            }

            int repetitions = Math.Max(1, (int)(calls * 20.0 / warmUp.Elapsed.TotalMilliseconds));
            var generated = new double[rounds];
            var handWritten = new double[rounds];
            var primal = new double[rounds];
            for (int round = 0; round < rounds; round++)
            {
                generated[round] = Time(Generated, repetitions);
                handWritten[round] = Time(HandWritten, repetitions);
                primal[round] = Time(Primal, repetitions);
            }

            Array.Sort(generated);
            Array.Sort(handWritten);
            Array.Sort(primal);
            Console.WriteLine(
                $"  (d, K, n) = ({size}): generated {generated[0]:F1} µs (median {generated[rounds / 2]:F1}), " +
                $"hand-written {handWritten[0]:F1} µs (median {handWritten[rounds / 2]:F1}); " +
                $"generated / hand-written {generated[0] / handWritten[0]:F2} fastest, {generated[rounds / 2] / handWritten[rounds / 2]:F2} median; " +
                $"primal {primal[0]:F1} µs, generated / primal {generated[0] / primal[0]:F2} fastest, {generated[rounds / 2] / primal[rounds / 2]:F2} median");
        }
    }

    private static double Time(Func<double> gradient, int repetitions)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++)
        {
            gradient();
        }

        return clock.Elapsed.TotalMicroseconds / repetitions;
    }
}
