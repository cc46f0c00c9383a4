using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Softmax;

/// <summary>
/// Softmax, log-softmax and softmax cross-entropy over the last axis of a row-major [rows, cols]
/// float32 matrix, with their gradients. All are numerically stable for large logits.
/// </summary>
public sealed class SoftmaxKernels
{
    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly object _loadLock = new();
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, SoftmaxArguments>? _forward;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, SoftmaxArguments>? _gradient;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SoftmaxArguments>? _crossEntropy;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SoftmaxArguments>? _crossEntropyGradient;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SoftmaxArguments>? _crossEntropyGradientFromSoftmax;

    internal SoftmaxKernels(Accelerator accelerator, LaunchGeometry geometry)
    {
        _accelerator = accelerator;
        _geometry = geometry;
    }

    /// <summary>y = softmax(x) per row.</summary>
    public void Softmax(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int rows, int cols) =>
        Forward(stream, "Softmax", x, y, rows, cols, log: false);

    /// <summary>y = log(softmax(x)) per row, computed as x - max - log(sum(exp(x - max))).</summary>
    public void LogSoftmax(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int rows, int cols) =>
        Forward(stream, "LogSoftmax", x, y, rows, cols, log: true);

    /// <summary>dx (+)= y * (dy - sum(dy * y)) per row, from the softmax output y.</summary>
    public void SoftmaxGradient(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> y,
        ArrayView1D<float, Stride1D.Dense> dy,
        ArrayView1D<float, Stride1D.Dense> dx,
        int rows,
        int cols,
        bool accumulate) =>
        Gradient(stream, "SoftmaxGradient", y, dy, dx, rows, cols, log: false, accumulate);

    /// <summary>dx (+)= dy - exp(y) * sum(dy) per row, from the log-softmax output y.</summary>
    public void LogSoftmaxGradient(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> y,
        ArrayView1D<float, Stride1D.Dense> dy,
        ArrayView1D<float, Stride1D.Dense> dx,
        int rows,
        int cols,
        bool accumulate) =>
        Gradient(stream, "LogSoftmaxGradient", y, dy, dx, rows, cols, log: true, accumulate);

    /// <summary>
    /// Per-row cross-entropy of softmax(logits) against <paramref name="labels"/> (one-hot or any
    /// distribution): loss[r] = -sum_j labels[r, j] * log softmax(logits[r])_j. The logits never pass
    /// through a separate softmax, so the loss stays finite for large logits.
    /// </summary>
    public void SoftmaxCrossEntropy(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> logits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> loss,
        int rows,
        int cols)
    {
        const string op = "SoftmaxCrossEntropy";
        var args = Check(op, logits, labels, rows, cols);
        ViewChecks.Vector(op, nameof(loss), loss, rows);
        var kernel = _crossEntropy ?? Load(ref _crossEntropy, nameof(SoftmaxKernel.CrossEntropy));
        kernel(stream, _geometry.WarpPerRow(rows), logits.BaseView, labels.BaseView, loss.BaseView, loss.BaseView, args);
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy(AcceleratorStream, ArrayView1D{float, Stride1D.Dense}, ArrayView1D{float, Stride1D.Dense}, ArrayView1D{float, Stride1D.Dense}, int, int)"/>
    /// that also writes softmax(logits) into <paramref name="softmax"/> in the same pass, for
    /// <see cref="SoftmaxCrossEntropyGradientFromSoftmax"/> to read.
    /// </summary>
    public void SoftmaxCrossEntropy(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> logits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> loss,
        ArrayView1D<float, Stride1D.Dense> softmax,
        int rows,
        int cols)
    {
        const string op = "SoftmaxCrossEntropy";
        var args = Check(op, logits, labels, rows, cols);
        ViewChecks.Vector(op, nameof(loss), loss, rows);
        ViewChecks.Matrix(op, nameof(softmax), softmax, rows, cols);
        args.WriteSoftmax = 1;
        var kernel = _crossEntropy ?? Load(ref _crossEntropy, nameof(SoftmaxKernel.CrossEntropy));
        kernel(stream, _geometry.WarpPerRow(rows), logits.BaseView, labels.BaseView, loss.BaseView, softmax.BaseView, args);
    }

    /// <summary>
    /// The per-row cross-entropy into <paramref name="loss"/> and, in the same pass, its gradient under a loss adjoint
    /// common to every row (a mean or sum of the losses): dlogits (+)= (softmax(logits) * sum(labels) - labels) *
    /// <paramref name="lossAdjoint"/>. One launch where the forward and backward passes take two, and no softmax buffer.
    /// </summary>
    public void SoftmaxCrossEntropyWithGradient(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> logits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> loss,
        float lossAdjoint,
        ArrayView1D<float, Stride1D.Dense> dlogits,
        int rows,
        int cols,
        bool accumulate)
    {
        const string op = "SoftmaxCrossEntropyWithGradient";
        var args = Check(op, logits, labels, rows, cols);
        ViewChecks.Vector(op, nameof(loss), loss, rows);
        ViewChecks.Matrix(op, nameof(dlogits), dlogits, rows, cols);
        args.WriteGradient = 1;
        args.Upstream = lossAdjoint;
        args.Accumulate = accumulate ? 1 : 0;
        var kernel = _crossEntropy ?? Load(ref _crossEntropy, nameof(SoftmaxKernel.CrossEntropy));
        kernel(stream, _geometry.WarpPerRow(rows), logits.BaseView, labels.BaseView, loss.BaseView, dlogits.BaseView, args);
    }

    /// <summary>
    /// dlogits (+)= (softmax * sum(labels) - labels) * dloss row by row, reading the softmax that the forward pass
    /// wrote instead of recomputing it from the logits.
    /// </summary>
    public void SoftmaxCrossEntropyGradientFromSoftmax(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> softmax,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> dloss,
        ArrayView1D<float, Stride1D.Dense> dlogits,
        int rows,
        int cols,
        bool accumulate) =>
        CrossEntropyGradient(stream, fromSoftmax: true, softmax, labels, dloss, uniformDloss: null, dlogits, rows, cols, accumulate);

    /// <summary>
    /// dlogits (+)= (softmax(logits) * sum(labels) - labels) * dloss, row by row, in one pass: the
    /// gradient of the per-row cross-entropy. For one-hot labels it is (softmax - labels) * dloss.
    /// </summary>
    public void SoftmaxCrossEntropyGradient(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> logits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> dloss,
        ArrayView1D<float, Stride1D.Dense> dlogits,
        int rows,
        int cols,
        bool accumulate) =>
        CrossEntropyGradient(stream, fromSoftmax: false, logits, labels, dloss, uniformDloss: null, dlogits, rows, cols, accumulate);

    /// <summary>
    /// Either cross-entropy gradient (from the softmax, or from the logits); with <paramref name="uniformDloss"/>, every
    /// row's dloss is that number and <paramref name="dloss"/> is not read.
    /// </summary>
    internal void CrossEntropyGradient(
        AcceleratorStream stream,
        bool fromSoftmax,
        ArrayView1D<float, Stride1D.Dense> softmaxOrLogits,
        ArrayView1D<float, Stride1D.Dense> labels,
        ArrayView1D<float, Stride1D.Dense> dloss,
        float? uniformDloss,
        ArrayView1D<float, Stride1D.Dense> dlogits,
        int rows,
        int cols,
        bool accumulate)
    {
        const string op = "SoftmaxCrossEntropyGradient";
        var args = Check(op, softmaxOrLogits, labels, rows, cols);
        if (uniformDloss is { } uniform)
        {
            args.UniformUpstream = 1;
            args.Upstream = uniform;
        }
        else
        {
            ViewChecks.Vector(op, nameof(dloss), dloss, rows);
        }

        ViewChecks.Matrix(op, nameof(dlogits), dlogits, rows, cols);
        args.Accumulate = accumulate ? 1 : 0;
        var kernel = fromSoftmax
            ? _crossEntropyGradientFromSoftmax ?? Load(ref _crossEntropyGradientFromSoftmax, nameof(SoftmaxKernel.CrossEntropyGradientFromSoftmax))
            : _crossEntropyGradient ?? Load(ref _crossEntropyGradient, nameof(SoftmaxKernel.CrossEntropyGradient));
        kernel(stream, _geometry.WarpPerRow(rows), softmaxOrLogits.BaseView, labels.BaseView, dloss.BaseView, dlogits.BaseView, args);
    }

    /// <summary>Every kernel this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods() =>
    [
        typeof(SoftmaxKernel).GetMethod(nameof(SoftmaxKernel.Forward))!,
        typeof(SoftmaxKernel).GetMethod(nameof(SoftmaxKernel.Gradient))!,
        typeof(SoftmaxKernel).GetMethod(nameof(SoftmaxKernel.CrossEntropy))!,
        typeof(SoftmaxKernel).GetMethod(nameof(SoftmaxKernel.CrossEntropyGradient))!,
        typeof(SoftmaxKernel).GetMethod(nameof(SoftmaxKernel.CrossEntropyGradientFromSoftmax))!,
    ];

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        _ = _forward ?? Load(ref _forward, nameof(SoftmaxKernel.Forward));
        _ = _gradient ?? Load(ref _gradient, nameof(SoftmaxKernel.Gradient));
        _ = _crossEntropy ?? Load(ref _crossEntropy, nameof(SoftmaxKernel.CrossEntropy));
        _ = _crossEntropyGradient ?? Load(ref _crossEntropyGradient, nameof(SoftmaxKernel.CrossEntropyGradient));
        _ = _crossEntropyGradientFromSoftmax ?? Load(ref _crossEntropyGradientFromSoftmax, nameof(SoftmaxKernel.CrossEntropyGradientFromSoftmax));
    }

    private void Forward(
        AcceleratorStream stream, string op, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int rows, int cols, bool log)
    {
        var args = Check(op, x, y, rows, cols);
        args.Log = log ? 1 : 0;
        var kernel = _forward ?? Load(ref _forward, nameof(SoftmaxKernel.Forward));
        kernel(stream, _geometry.WarpPerRow(rows), x.BaseView, y.BaseView, args);
    }

    private void Gradient(
        AcceleratorStream stream,
        string op,
        ArrayView1D<float, Stride1D.Dense> y,
        ArrayView1D<float, Stride1D.Dense> dy,
        ArrayView1D<float, Stride1D.Dense> dx,
        int rows,
        int cols,
        bool log,
        bool accumulate)
    {
        var args = Check(op, y, dy, rows, cols);
        ViewChecks.Matrix(op, nameof(dx), dx, rows, cols);
        args.Log = log ? 1 : 0;
        args.Accumulate = accumulate ? 1 : 0;
        var kernel = _gradient ?? Load(ref _gradient, nameof(SoftmaxKernel.Gradient));
        kernel(stream, _geometry.WarpPerRow(rows), y.BaseView, dy.BaseView, dx.BaseView, args);
    }

    private static SoftmaxArguments Check(
        string op,
        ArrayView1D<float, Stride1D.Dense> first,
        ArrayView1D<float, Stride1D.Dense> second,
        int rows,
        int cols,
        [CallerArgumentExpression(nameof(first))] string firstName = "",
        [CallerArgumentExpression(nameof(second))] string secondName = "")
    {
        int length = ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, firstName, first, rows, cols);
        ViewChecks.Matrix(op, secondName, second, rows, cols);
        return new SoftmaxArguments { Rows = rows, Cols = cols };
    }

    private TLauncher Load<TLauncher>(ref TLauncher? slot, string kernelName)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return slot ??= KernelLoading.Load<TLauncher>(_accelerator, typeof(SoftmaxKernel), kernelName);
        }
    }
}
