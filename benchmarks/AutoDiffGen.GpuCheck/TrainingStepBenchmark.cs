using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Times MLP training steps through the Tensor API on one device, as the Python peers time theirs: warm-up steps, then
/// repetitions of several back-to-back steps each closed by a device synchronisation, wall clock per step, median over
/// repetitions. Also reports host bytes allocated per step (0 expected) and the loss before and after, to show it trains.
/// </summary>
internal static class TrainingStepBenchmark
{
    /// <summary>The step implementations to time; the generated-plan step joins the hand-written one here.</summary>
    public static readonly List<(string Name, Func<Device, int, int[], ITrainingStep> Create)> Implementations =
    [
        ("tensor_api_hand_written", static (device, batch, widths) => new HandWrittenMlpStep(device, batch, widths)),
        ("generated_plan", static (device, batch, widths) => new GeneratedMlpStep(device, batch, widths)),
        ("generated_plan_graph", static (device, batch, widths) => new RecordedMlpStep(device, batch, widths)),
    ];

    /// <summary>
    /// Every implementation at every batch size, once per product library the device has: the ILGPU kernels under the
    /// implementation's name, cuBLAS for every product (where it loaded) with <c>_cublas</c> appended, and the device's
    /// default (cuBLAS for recorded and large products, the ILGPU kernels for small ones launched directly) with
    /// <c>_default</c>.
    /// </summary>
    public static List<JsonRecord> Run(Device device, CheckSizes sizes)
    {
        var results = new List<JsonRecord>();
        var kernels = GemmLibraries.Of(device);
        foreach (var library in GemmLibraries.Available(kernels))
        {
            string suffix = library == AutoDiffGen.Backends.Ilgpu.Gemm.GemmLibrary.CuBlas ? "_cublas" : "";
            GemmLibraries.With(kernels, library, () =>
            {
                RunWith(device, sizes, suffix, results);
            });
        }

        if (kernels.Gemm.CuBlasDescription is not null)
        {
            RunWith(device, sizes, "_default", results);
        }

        // The recorded step again with the ReLU and bias gradients as two ops each (the ReLU's gradient, then a column
        // sum), to weigh the fused kernel in the whole step.
        kernels.Reductions.FuseReluColumnSums = false;
        try
        {
            RunWith(device, sizes, "_relu_bias_apart", results, only: "generated_plan_graph");
        }
        finally
        {
            kernels.Reductions.FuseReluColumnSums = true;
        }

        return results;
    }

    private static void RunWith(Device device, CheckSizes sizes, string suffix, List<JsonRecord> results, string? only = null)
    {
        foreach (int batch in sizes.MlpBatches)
        {
            foreach (var (implementation, create) in Implementations)
            {
                if (only is not null && implementation != only)
                {
                    continue;
                }

                string name = implementation + suffix;
                var step = create(device, batch, sizes.MlpWidths);
                step.Run();
                float first = step.Loss();
                for (int i = 0; i < sizes.Warmups; i++)
                {
                    step.Run();
                }

                device.Synchronize();
                int stepsPerRepetition = batch >= 10_000 ? 4 : 16;
                var samples = new List<double>();
                long allocated = 0;
                for (int r = 0; r < sizes.Repetitions; r++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    var watch = Stopwatch.StartNew();
                    for (int s = 0; s < stepsPerRepetition; s++)
                    {
                        step.Run();
                    }

                    device.Synchronize();
                    samples.Add(watch.Elapsed.TotalSeconds / stepsPerRepetition);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }

                float last = step.Loss();
                samples.Sort();
                double median = samples[samples.Count / 2];
                long bytesPerStep = allocated / ((long)sizes.Repetitions * stepsPerRepetition);
                results.Add(new JsonRecord()
                    .Add("implementation", name)
                    .Add("batch", batch)
                    .Add("widths", string.Join("-", sizes.MlpWidths))
                    .Add("median_ms", median * 1e3)
                    .Add("min_ms", samples[0] * 1e3)
                    .Add("steps_per_repetition", stepsPerRepetition)
                    .Add("repetitions", sizes.Repetitions)
                    .Add("host_bytes_per_step", bytesPerStep)
                    .Add("loss_first", (double)first)
                    .Add("loss_last", (double)last)
                    .Add("replay", step.Replay));
                Console.WriteLine($"  {name,-33} batch {batch,6}: {median * 1e3,9:F4} ms/step (min {samples[0] * 1e3:F4}), {bytesPerStep} B/step on the host, loss {first:F4} -> {last:F4}");
            }
        }
    }
}
