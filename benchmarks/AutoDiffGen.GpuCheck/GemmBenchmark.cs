using System;
using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Gemm;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>SGEMM throughput on square sizes and on the GEMMs of an MLP training step.</summary>
internal static class GemmBenchmark
{
    public static List<JsonRecord> Square(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes)
    {
        var stream = device.Accelerator.DefaultStream;
        int largest = sizes.SquareGemm[^1];
        long count = (long)largest * largest;
        using var a = device.Allocate(count);
        using var b = device.Allocate(count);
        using var c = device.Allocate(count);
        fill.Run(stream, a.View.BaseView, 11);
        fill.Run(stream, b.View.BaseView, 12);

        var results = new List<JsonRecord>();
        foreach (var library in GemmLibraries.Available(device))
        {
            GemmLibraries.With(device, library, () =>
            {
                foreach (int s in sizes.SquareGemm)
                {
                    var combinations = s == largest ? new[] { (false, false), (false, true), (true, false), (true, true) } : new[] { (false, false) };
                    foreach (var (ta, tb) in combinations)
                    {
                        long n2 = (long)s * s;
                        var av = a.View.SubView(0, n2);
                        var bv = b.View.SubView(0, n2);
                        var cv = c.View.SubView(0, n2);
                        double seconds = timer.MedianSeconds(() => device.Gemm.Gemm(stream, ta, tb, s, s, s, 1f, av, bv, 0f, cv));
                        double tflops = 2.0 * s * s * s / seconds / 1e12;
                        string layout = (ta ? "T" : "N") + (tb ? "T" : "N");
                        results.Add(new JsonRecord()
                            .Add("library", GemmLibraries.Tag(library))
                            .Add("m", s).Add("n", s).Add("k", s).Add("layout", layout)
                            .Add("median_ms", seconds * 1e3).Add("tflops", tflops));
                        Console.WriteLine($"  sgemm {GemmLibraries.Tag(library),-6} {layout} {s,5}^3 {seconds * 1e3,9:F3} ms  {tflops,7:F2} TFLOP/s");
                    }
                }
            });
        }

        return results;
    }

    /// <summary>
    /// For each batch size: the forward GEMMs (with bias) and the two backward GEMMs per layer of an
    /// MLP with the given widths, weights stored [in, out]: Y = X W + b, dX = dY W^T, dW = X^T dY.
    /// </summary>
    public static List<JsonRecord> Mlp(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes)
    {
        var results = new List<JsonRecord>();
        foreach (var library in GemmLibraries.Available(device))
        {
            GemmLibraries.With(device, library, () =>
            {
                MlpWith(device, fill, timer, sizes, GemmLibraries.Tag(library), results);
            });
        }

        return results;
    }

    private static void MlpWith(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes, string library, List<JsonRecord> results)
    {
        var stream = device.Accelerator.DefaultStream;
        var widths = sizes.MlpWidths;
        foreach (int batch in sizes.MlpBatches)
        {
            var layers = new List<JsonRecord>();
            double forward = 0, backward = 0;
            for (int l = 0; l + 1 < widths.Length; l++)
            {
                int inputs = widths[l], outputs = widths[l + 1];
                using var x = device.Allocate((long)batch * inputs);
                using var w = device.Allocate((long)inputs * outputs);
                using var bias = device.Allocate(outputs);
                using var yv = device.Allocate((long)batch * outputs);
                using var dxv = device.Allocate((long)batch * inputs);
                using var dw = device.Allocate((long)inputs * outputs);
                fill.Run(stream, x.View.BaseView, 21);
                fill.Run(stream, w.View.BaseView, 22);
                fill.Run(stream, bias.View.BaseView, 23);

                double tForward = timer.MedianSeconds(() => device.Gemm.GemmBias(stream, false, false, batch, outputs, inputs, x.View, w.View, bias.View, yv.View));
                double tInput = timer.MedianSeconds(() => device.Gemm.Gemm(stream, false, true, batch, inputs, outputs, 1f, yv.View, w.View, 0f, dxv.View));
                double tWeight = timer.MedianSeconds(() => device.Gemm.Gemm(stream, true, false, inputs, outputs, batch, 1f, x.View, yv.View, 0f, dw.View));
                double flops = 2.0 * batch * inputs * outputs;
                forward += tForward;
                backward += tInput + tWeight;
                layers.Add(new JsonRecord()
                    .Add("inputs", inputs).Add("outputs", outputs)
                    .Add("forward_ms", tForward * 1e3).Add("forward_tflops", flops / tForward / 1e12)
                    .Add("grad_input_ms", tInput * 1e3).Add("grad_input_tflops", flops / tInput / 1e12)
                    .Add("grad_weight_ms", tWeight * 1e3).Add("grad_weight_tflops", flops / tWeight / 1e12));
                Console.WriteLine($"  mlp {library,-6} batch {batch,6} {inputs,4}->{outputs,-4} fwd {tForward * 1e3,8:F4} ms  dX {tInput * 1e3,8:F4} ms  dW {tWeight * 1e3,8:F4} ms");
            }

            results.Add(new JsonRecord()
                .Add("library", library)
                .Add("batch", batch)
                .Add("forward_ms", forward * 1e3)
                .Add("backward_ms", backward * 1e3)
                .Add("layers", layers));
        }
    }

    /// <summary>
    /// The MLP's products at the largest batch and a square one, through the ILGPU kernels, with the split-K target (groups the product aims for,
    /// as multiples of the multiprocessor count; 0 = never split) swept, to choose the heuristic from measurements.
    /// </summary>
    public static List<JsonRecord> SplitSweep(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes)
    {
        var stream = device.Accelerator.DefaultStream;
        var results = new List<JsonRecord>();
        int batch = sizes.MlpBatches[^1];
        int sms = device.Accelerator.NumMultiprocessors;
        int? original = device.Gemm.SplitTargetGroups;
        var originalLibrary = device.Gemm.Library;
        device.Gemm.Library = GemmLibrary.IlgpuKernels;
        var shapes = MlpProducts(sizes, batch);

        int square = sizes.SquareGemm[Math.Min(1, sizes.SquareGemm.Length - 1)];
        shapes.Add(($"NN {square}^3", false, false, square, square, square));
        try
        {
            foreach (var (name, ta, tb, m, n, k) in shapes)
            {
                using var a = device.Allocate((long)m * k);
                using var b = device.Allocate((long)k * n);
                using var c = device.Allocate((long)m * n);
                fill.Run(stream, a.View.BaseView, 31);
                fill.Run(stream, b.View.BaseView, 32);
                var line = new System.Text.StringBuilder($"  split sweep {name,-22}");
                var row = new JsonRecord().Add("shape", name).Add("m", m).Add("n", n).Add("k", k);
                device.Gemm.SplitTargetGroups = null;
                double automatic = timer.MedianSeconds(() => device.Gemm.Gemm(stream, ta, tb, m, n, k, 1f, a.View, b.View, 0f, c.View));
                row.Add("automatic_ms", automatic * 1e3);
                line.Append($" auto:{automatic * 1e3:F4}");
                foreach (int factor in new[] { 0, 1, 2, 3, 4, 6, 8 })
                {
                    device.Gemm.SplitTargetGroups = factor == 0 ? 1 : factor * sms;
                    double seconds = timer.MedianSeconds(() => device.Gemm.Gemm(stream, ta, tb, m, n, k, 1f, a.View, b.View, 0f, c.View));
                    double tflops = 2.0 * m * n * k / seconds / 1e12;
                    row.Add($"target_{factor}_ms", seconds * 1e3);
                    line.Append($" {factor}:{seconds * 1e3:F4}");
                }

                results.Add(row);
                Console.WriteLine(line.Append(" ms").ToString());
            }
        }
        finally
        {
            device.Gemm.SplitTargetGroups = original;
            device.Gemm.Library = originalLibrary;
        }

        return results;
    }

    /// <summary>The three products of each MLP layer's training step at one batch size: forward, input and weight gradients.</summary>
    private static List<(string Name, bool Ta, bool Tb, int M, int N, int K)> MlpProducts(CheckSizes sizes, int batch)
    {
        var shapes = new List<(string Name, bool Ta, bool Tb, int M, int N, int K)>();
        for (int l = 0; l + 1 < sizes.MlpWidths.Length; l++)
        {
            int inputs = sizes.MlpWidths[l], outputs = sizes.MlpWidths[l + 1];
            shapes.Add(($"fwd {batch}x{inputs}->{outputs}", false, false, batch, outputs, inputs));
            shapes.Add(($"dX {batch}x{inputs}->{outputs}", false, true, batch, inputs, outputs));
            shapes.Add(($"dW {batch}x{inputs}->{outputs}", true, false, inputs, outputs, batch));
        }

        return shapes;
    }
}
