using System;
using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>Effective bandwidth (bytes the op must move / time) of elementwise and reduction kernels.</summary>
internal static class ElementwiseBenchmark
{
    private const int Cols = 1024;

    public static List<JsonRecord> Run(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes)
    {
        var stream = device.Accelerator.DefaultStream;
        int max = 0;
        foreach (int n in sizes.ElementwiseLengths)
        {
            max = Math.Max(max, n);
        }

        using var x = device.Allocate(max);
        using var y = device.Allocate(max);
        using var dy = device.Allocate(max);
        using var dx = device.Allocate(max);
        using var row = device.Allocate(Cols);
        using var columnSums = device.Allocate(Cols);
        using var total = device.Allocate(1);
        fill.Run(stream, x.View.BaseView, 1);
        fill.Run(stream, dy.View.BaseView, 2);
        fill.Run(stream, row.View.BaseView, 3);

        var results = new List<JsonRecord>();
        foreach (int n in sizes.ElementwiseLengths)
        {
            var xv = x.View.SubView(0, n);
            var yv = y.View.SubView(0, n);
            var dyv = dy.View.SubView(0, n);
            var dxv = dx.View.SubView(0, n);
            int rows = n / Cols;
            var ew = device.Elementwise;
            var red = device.Reductions;
            device.Elementwise.Unary(stream, UnaryOp.Sigmoid, xv, yv);

            void Measure(string name, long bytes, Action work)
            {
                double seconds = timer.MedianSeconds(work);
                results.Add(new JsonRecord()
                    .Add("op", name)
                    .Add("elements", n)
                    .Add("bytes", bytes)
                    .Add("median_ms", seconds * 1e3)
                    .Add("gb_per_s", bytes / seconds / 1e9));
                Console.WriteLine($"  {name,-22} n=2^{Math.Log2(n),-4:F0} {seconds * 1e3,9:F3} ms  {bytes / seconds / 1e9,8:F1} GB/s");
            }

            long f = sizeof(float) * (long)n;
            Measure("relu_forward", 2 * f, () => ew.Unary(stream, UnaryOp.Relu, xv, yv));
            Measure("tanh_forward", 2 * f, () => ew.Unary(stream, UnaryOp.Tanh, xv, yv));
            Measure("relu_backward", 3 * f, () => ew.UnaryGradient(stream, UnaryOp.Relu, xv, default, dyv, dxv, accumulate: false));
            Measure("sigmoid_backward", 3 * f, () => ew.UnaryGradient(stream, UnaryOp.Sigmoid, default, yv, dyv, dxv, accumulate: false));
            Measure("add", 3 * f, () => ew.Binary(stream, BinaryOp.Add, xv, dyv, yv, rows, Cols));
            Measure("mul_row_broadcast", 2 * f, () => ew.Binary(stream, BinaryOp.Multiply, xv, row.View, yv, rows, Cols));
            Measure("sum", f, () => red.Sum(stream, xv, total.View));
            Measure("sum_over_rows", f, () => red.SumOverRows(stream, xv, columnSums.View, rows, Cols));
        }

        return results;
    }
}
