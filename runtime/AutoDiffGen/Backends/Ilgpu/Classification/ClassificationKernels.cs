using System;
using System.Collections.Generic;
using System.Reflection;
using AutoDiffGen.Backends.Ilgpu.Reductions;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Classification;

/// <summary>Predicted classes and accuracy from a row-major [rows, classes] float32 matrix of scores.</summary>
public sealed class ClassificationKernels
{
    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly ReductionKernels _reductions;
    private readonly object _loadLock = new();
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<int>, ClassificationArguments>? _argMax;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ClassificationArguments>? _correctCounts;
    private Action<AcceleratorStream, KernelConfig, ArrayView<int>, ArrayView<float>, LabelArguments>? _oneHot;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<int>, LabelArguments>? _countCorrect;

    internal ClassificationKernels(Accelerator accelerator, LaunchGeometry geometry, ReductionKernels reductions)
    {
        _accelerator = accelerator;
        _geometry = geometry;
        _reductions = reductions;
    }

    /// <summary>indices[r] = the column of the largest value in row r (the first one on ties).</summary>
    public void ArgMax(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<int, Stride1D.Dense> indices, int rows, int cols)
    {
        const string op = "ArgMax";
        int length = ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, nameof(x), x, rows, cols);
        ViewChecks.Vector(op, nameof(indices), indices, rows);
        var kernel = _argMax ?? Load(ref _argMax, nameof(ClassificationKernel.ArgMax));
        kernel(stream, _geometry.WarpPerRow(rows), x.BaseView, indices.BaseView, new ClassificationArguments { Rows = rows, Cols = cols });
    }

    /// <summary>
    /// accuracy[0] = the fraction of rows where argmax(logits) equals argmax(labels), for one-hot
    /// (or any) label rows.
    /// </summary>
    public void Accuracy(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> logits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> accuracy,
        int rows,
        int cols)
    {
        const string op = "Accuracy";
        int length = ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, nameof(logits), logits, rows, cols);
        ViewChecks.Matrix(op, nameof(labels), labels, rows, cols);
        ViewChecks.Vector(op, nameof(accuracy), accuracy, 1);
        var config = _geometry.WarpPerRow(rows);
        var kernel = _correctCounts ?? Load(ref _correctCounts, nameof(ClassificationKernel.CorrectCounts));
        lock (_reductions.PassLock)
        {
            kernel(stream, config, logits.BaseView, labels.BaseView, _reductions.PartialsFor(stream).View.BaseView, new ClassificationArguments { Rows = rows, Cols = cols });
            _reductions.FinishSum(stream, config.GridDim.X, accuracy, 1f / rows, accumulate: false);
        }
    }

    /// <summary>
    /// One-hot rows for integer labels already on the device: y[r, c] = labels[r] == c over the [rows, cols] view of
    /// <paramref name="y"/> that starts at its first element and steps by the given strides.
    /// </summary>
    internal void OneHot(AcceleratorStream stream, ArrayView<int> labels, ArrayView<float> y, int rows, int cols, int rowStride, int colStride)
    {
        var args = new LabelArguments { Rows = rows, Cols = cols, RowStride = rowStride, ColStride = colStride };
        var kernel = _oneHot ?? Load(ref _oneHot, nameof(ClassificationKernel.OneHot));
        kernel(stream, _geometry.GridStride((long)rows * cols), labels, y, args);
    }

    /// <summary>count[0] += the rows of the strided [rows, cols] logits whose first maximum is at the row's label.</summary>
    internal void CountCorrect(AcceleratorStream stream, ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> count, int rows, int cols, int rowStride, int colStride)
    {
        var args = new LabelArguments { Rows = rows, Cols = cols, RowStride = rowStride, ColStride = colStride };
        var kernel = _countCorrect ?? Load(ref _countCorrect, nameof(ClassificationKernel.CountCorrect));
        kernel(stream, _geometry.GridStride(rows), logits, labels, count, args);
    }

    /// <summary>Every kernel this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods() =>
    [
        typeof(ClassificationKernel).GetMethod(nameof(ClassificationKernel.ArgMax))!,
        typeof(ClassificationKernel).GetMethod(nameof(ClassificationKernel.CorrectCounts))!,
        typeof(ClassificationKernel).GetMethod(nameof(ClassificationKernel.OneHot))!,
        typeof(ClassificationKernel).GetMethod(nameof(ClassificationKernel.CountCorrect))!,
    ];

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        _ = _argMax ?? Load(ref _argMax, nameof(ClassificationKernel.ArgMax));
        _ = _correctCounts ?? Load(ref _correctCounts, nameof(ClassificationKernel.CorrectCounts));
        _ = _oneHot ?? Load(ref _oneHot, nameof(ClassificationKernel.OneHot));
        _ = _countCorrect ?? Load(ref _countCorrect, nameof(ClassificationKernel.CountCorrect));
    }

    private TLauncher Load<TLauncher>(ref TLauncher? slot, string kernelName)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return slot ??= KernelLoading.Load<TLauncher>(_accelerator, typeof(ClassificationKernel), kernelName);
        }
    }
}
