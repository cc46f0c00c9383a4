using System;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void ArgMax(Tensor x, int axis, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        var groups = TensorLayouts.Groups(x.Shape, 1 << axis);
        groups.X = TensorLayouts.Aligned(x, x.Shape);
        groups.Y = TensorLayouts.Reduced(y, x.Rank, 1 << axis);
        Strided.ArgMax(Stream, View(x), View(y), groups);
    }

    public void OneHot(ReadOnlySpan<int> labels, Tensor y)
    {
        if (y.Length == 0)
        {
            Fill(y, 0f);
            return;
        }

        lock (_scratch.Lock)
        {
            var classes = UploadLabels(labels);
            Kernels.Classification.OneHot(Stream, classes.BaseView, View(y), y.Shape[0], y.Shape[1], y.Strides[0], y.Strides[1]);
        }
    }

    public int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        if (labels.Length == 0)
        {
            return 0;
        }

        lock (_scratch.Lock)
        {
            var classes = UploadLabels(labels);
            var counter = _scratch.Ints(labels.Length + 1).SubView(labels.Length, 1);
            counter.MemSetToZero(Stream);
            Kernels.Classification.CountCorrect(Stream, View(logits), classes.BaseView, counter.BaseView, logits.Shape[0], logits.Shape[1], logits.Strides[0], logits.Strides[1]);
            int correct = 0;
            counter.BaseView.CopyToCPU(Stream, ref correct, 1);
            return correct;
        }
    }

    /// <summary>The labels copied into the start of the integer scratch buffer (the caller holds the scratch lock).</summary>
    private ArrayView1D<int, Stride1D.Dense> UploadLabels(ReadOnlySpan<int> labels)
    {
        // One more slot than the labels: CountCorrect keeps its counter right after them.
        var view = _scratch.Ints(labels.Length + 1).SubView(0, labels.Length);
        view.BaseView.CopyFromCPU(Stream, ref MemoryMarshal.GetReference(labels), labels.Length);
        return view;
    }
}
