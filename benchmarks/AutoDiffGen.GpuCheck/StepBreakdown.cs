using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Where a training step's time goes on the device: each op of the hand-written step (the same kernels the generated
/// plan launches) recorded as a graph of <see cref="Repeats"/> back-to-back launches and replayed, so the time per
/// launch is the kernel's own plus the graph's gap between kernels, without the host's launch cost.
/// </summary>
internal static class StepBreakdown
{
    private const int Repeats = 20;

    public static List<JsonRecord> Run(Device device, CheckSizes sizes)
    {
        var results = new List<JsonRecord>();
        foreach (int batch in sizes.MlpBatches)
        {
            var step = new HandWrittenMlpStep(device, batch, sizes.MlpWidths);
            step.Run();
            var ops = new JsonRecord();
            double total = 0;
            var line = new System.Text.StringBuilder($"  batch {batch,6}:");
            foreach (var (name, op) in step.Ops())
            {
                double median = PerLaunch(device, sizes, op);
                total += median;
                ops.Add(name, median * 1e6);
                line.Append($" {name} {median * 1e6:F1}");
            }

            // The generated step's fused ops, each standing for two of the ops above: not in the total.
            var fused = new JsonRecord();
            line.Append(" | fused:");
            foreach (var (name, op) in step.FusedOps())
            {
                double median = PerLaunch(device, sizes, op);
                fused.Add(name, median * 1e6);
                line.Append($" {name} {median * 1e6:F1}");
            }

            results.Add(new JsonRecord().Add("batch", batch).Add("library", GemmLibraries.Tag(GemmLibraries.Of(device).Gemm.Library)).Add("total_us", total * 1e6).Add("ops_us", ops)
                .Add("fused_ops_us", fused));
            Console.WriteLine(line.Append($" | total {total * 1e6:F1} µs").ToString());
        }

        return results;
    }

    /// <summary>Seconds per launch of <paramref name="op"/>: the median replay of a graph of <see cref="Repeats"/> launches.</summary>
    private static double PerLaunch(Device device, CheckSizes sizes, Action op)
    {
        op();
        device.Synchronize();
        using var graph = device.Record(() =>
        {
            for (int r = 0; r < Repeats; r++)
            {
                op();
            }
        });
        graph.Replay();
        device.Synchronize();
        var samples = new List<double>();
        for (int s = 0; s < sizes.Repetitions; s++)
        {
            var watch = Stopwatch.StartNew();
            graph.Replay();
            device.Synchronize();
            samples.Add(watch.Elapsed.TotalSeconds / Repeats);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
