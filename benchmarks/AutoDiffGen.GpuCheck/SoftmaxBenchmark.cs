using System;
using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>Time of softmax cross-entropy (per-row loss, then the fused gradient) and of plain softmax.</summary>
internal static class SoftmaxBenchmark
{
    public static List<JsonRecord> Run(IlgpuDevice device, DeviceFill fill, DeviceTimer timer, CheckSizes sizes)
    {
        var stream = device.Accelerator.DefaultStream;
        var results = new List<JsonRecord>();
        foreach (var (rows, cols) in sizes.SoftmaxShapes)
        {
            long count = (long)rows * cols;
            using var logits = device.Allocate(count);
            using var labels = device.Allocate(count);
            using var loss = device.Allocate(rows);
            using var dloss = device.Allocate(rows);
            using var dlogits = device.Allocate(count);
            using var probabilities = device.Allocate(count);
            fill.Run(stream, logits.View.BaseView, 31, -5f, 5f);
            fill.Run(stream, labels.View.BaseView, 32, 0f, 0.2f); // dense labels: the kernel reads them all either way
            fill.Run(stream, dloss.View.BaseView, 33);
            var sm = device.Softmax;

            double tLoss = timer.MedianSeconds(() => sm.SoftmaxCrossEntropy(stream, logits.View, labels.View, loss.View, rows, cols));
            double tGrad = timer.MedianSeconds(() => sm.SoftmaxCrossEntropyGradient(stream, logits.View, labels.View, dloss.View, dlogits.View, rows, cols, accumulate: false));
            double tSoftmax = timer.MedianSeconds(() => sm.Softmax(stream, logits.View, probabilities.View, rows, cols));
            long bytes = sizeof(float) * count;
            results.Add(new JsonRecord()
                .Add("rows", rows).Add("cols", cols)
                .Add("loss_ms", tLoss * 1e3).Add("loss_gb_per_s", 2 * bytes / tLoss / 1e9)
                .Add("gradient_ms", tGrad * 1e3).Add("gradient_gb_per_s", 3 * bytes / tGrad / 1e9)
                .Add("softmax_ms", tSoftmax * 1e3).Add("softmax_gb_per_s", 2 * bytes / tSoftmax / 1e9));
            Console.WriteLine($"  softmax-xent [{rows}, {cols}] loss {tLoss * 1e3,8:F4} ms  grad {tGrad * 1e3,8:F4} ms  softmax {tSoftmax * 1e3,8:F4} ms");
        }

        return results;
    }
}
