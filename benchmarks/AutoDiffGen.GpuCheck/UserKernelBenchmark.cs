using System;
using System.Collections.Generic;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Bandwidth of elementwise kernels of the shape the generator emits for a user's [Differentiable] float F(float)
/// (one element per index, auto-grouped), launched on tensors through <see cref="GpuKernels"/>: swish forward and
/// backward, written here by hand as the generator would. The PyTorch peer times silu and its backward.
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
        Measure(results, device, sizes, "swish_forward", n, 2 * f, () => GpuKernels.LaunchElementwise(SwishForward, x, y));
        Measure(results, device, sizes, "swish_backward", n, 3 * f, () => GpuKernels.LaunchElementwiseBackward(SwishBackward, x, dy, dx, accumulate: false));
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

    // What the generator emits for [Differentiable] static float Swish(float x) => x / (1f + MathF.Exp(-x)).
    private static void SwishForward(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y)
    {
        float v = x[i];
        y[i] = v / (1f + MathF.Exp(-v));
    }

    private static void SwishBackward(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> dy, ArrayView1D<float, Stride1D.Dense> dx, int accumulate)
    {
        float v = x[i];
        float s = 1f / (1f + MathF.Exp(-v));
        float g = dy[i] * s * (1f + (v * (1f - s)));
        dx[i] = accumulate != 0 ? dx[i] + g : g;
    }
}
