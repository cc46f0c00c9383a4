using System;
using System.Collections.Generic;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Bandwidth of the element struct the generator emits for a user's [Differentiable] float F(float), run by the
/// runtime's grid-stride float4 kernels through the generated SwishMap/SwishMapBackward, next to the runtime's own
/// Relu on the same tensors. The PyTorch peer times silu and its backward.
/// </summary>
internal static class UserKernelBenchmark
{
    public static List<JsonRecord> Run(Device device, CheckSizes sizes)
    {
        var results = new List<JsonRecord>();
        foreach (int n in sizes.ElementwiseLengths)
        {
            MeasureSize(results, device, sizes, n);

            // Frees the device memory of this size's tensors before the next, larger one.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return results;
    }

    private static void MeasureSize(List<JsonRecord> results, Device device, CheckSizes sizes, int n)
    {
        var x = Tensor.Full(device, 0.5f, n);
        var dy = Tensor.Full(device, 1f, n);
        var y = Tensor.ZerosLike(x);
        var dx = Tensor.ZerosLike(x);
        long f = sizeof(float) * (long)n;
        Measure(results, device, sizes, "swish_forward", n, 2 * f, () => Activations.SwishMap(x, y));
        Measure(results, device, sizes, "swish_backward", n, 3 * f, () => Activations.SwishMapBackward(dy, x, dx, accumulate: false));
        Measure(results, device, sizes, "tensor_relu_forward", n, 2 * f, () => TensorOps.Relu(x, y));
        Measure(results, device, sizes, "tensor_relu_backward", n, 3 * f, () => TensorGradients.Relu(dy, x, null, dx, accumulate: false));
    }

    private static void Measure(List<JsonRecord> results, Device device, CheckSizes sizes, string name, int n, long bytes, Action work)
    {
        for (int i = 0; i < sizes.Warmups; i++)
        {
            work();
        }

        device.Synchronize();
        const int callsPerRepetition = 10;
        var samples = new List<double>();
        for (int r = 0; r < sizes.Repetitions; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int c = 0; c < callsPerRepetition; c++)
            {
                work();
            }

            device.Synchronize();
            samples.Add(watch.Elapsed.TotalSeconds / callsPerRepetition);
        }

        samples.Sort();
        double seconds = samples[samples.Count / 2];
        results.Add(new JsonRecord()
            .Add("op", name)
            .Add("elements", n)
            .Add("bytes", bytes)
            .Add("median_ms", seconds * 1e3)
            .Add("gb_per_s", bytes / seconds / 1e9));
        Console.WriteLine($"  {name,-22} n=2^{Math.Log2(n),-4:F0} {seconds * 1e3,9:F3} ms  {bytes / seconds / 1e9,8:F1} GB/s");
    }
}
