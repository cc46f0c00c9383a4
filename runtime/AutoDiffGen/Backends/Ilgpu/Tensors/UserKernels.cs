using System;
using System.Collections.Concurrent;
using System.Reflection;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// Kernels written outside the runtime (generated elementwise kernels of user functions), loaded once per accelerator
/// and remembered by method, so a launch after the first costs a dictionary lookup and the launch itself.
/// </summary>
internal sealed class UserKernels
{
    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly ConcurrentDictionary<Type, Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ElementwiseArguments>> _functionForward = new();
    private readonly ConcurrentDictionary<Type, Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>> _functionBackward = new();
    private readonly ConcurrentDictionary<MethodInfo, Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>>> _forward = new();
    private readonly ConcurrentDictionary<MethodInfo, Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int>> _backward = new();

    public UserKernels(Accelerator accelerator, LaunchGeometry geometry)
    {
        _accelerator = accelerator;
        _geometry = geometry;
    }

    /// <summary>Runs <typeparamref name="TFunction"/>'s forward over <paramref name="x"/> into <paramref name="y"/> (same length, at least one element).</summary>
    public void FunctionForward<TFunction>(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y)
        where TFunction : struct, IElementwiseKernelFunction
    {
        var args = new ElementwiseArguments
        {
            Length = checked((int)x.Length),
            Vector = ViewChecks.IsAligned16(x) && ViewChecks.IsAligned16(y) ? 1 : 0,
        };
        var launcher = _functionForward.TryGetValue(typeof(TFunction), out var loaded)
            ? loaded
            : _functionForward.GetOrAdd(typeof(TFunction), static (type, accelerator) => KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ElementwiseArguments>>(
                accelerator, typeof(ElementwiseKernel), nameof(ElementwiseKernel.Unary), typeof(UserFunction<>).MakeGenericType(type)), _accelerator);
        launcher(stream, _geometry.GridStride((args.Length + 3) / 4), x.BaseView, y.BaseView, args);
    }

    /// <summary>Runs <typeparamref name="TFunction"/>'s pullback: <paramref name="dx"/> = (or +=) F′(x)·dy, all of one length, at least one element.</summary>
    public void FunctionBackward<TFunction>(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> dy, ArrayView1D<float, Stride1D.Dense> dx, bool accumulate)
        where TFunction : struct, IElementwiseKernelFunction
    {
        var args = new ElementwiseArguments
        {
            Length = checked((int)x.Length),
            Accumulate = accumulate ? 1 : 0,
            Vector = ViewChecks.IsAligned16(x) && ViewChecks.IsAligned16(dy) && ViewChecks.IsAligned16(dx) ? 1 : 0,
        };
        var launcher = _functionBackward.TryGetValue(typeof(TFunction), out var loaded)
            ? loaded
            : _functionBackward.GetOrAdd(typeof(TFunction), static (type, accelerator) => KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>>(
                accelerator, typeof(ElementwiseKernel), nameof(ElementwiseKernel.UnaryGradient), typeof(UserFunction<>).MakeGenericType(type)), _accelerator);

        // The forward output is never read: dy stands in for it, as the runtime's own ops do.
        launcher(stream, _geometry.GridStride((args.Length + 3) / 4), x.BaseView, dy.BaseView, dy.BaseView, dx.BaseView, args);
    }

    public Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> Forward(
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> kernel) =>
        _forward.TryGetValue(kernel.Method, out var launcher)
            ? launcher
            : _forward.GetOrAdd(kernel.Method, static (_, state) => state.Accelerator.LoadAutoGroupedKernel(state.Kernel), (Accelerator: _accelerator, Kernel: kernel));

    public Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> Backward(
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> kernel) =>
        _backward.TryGetValue(kernel.Method, out var launcher)
            ? launcher
            : _backward.GetOrAdd(kernel.Method, static (_, state) => state.Accelerator.LoadAutoGroupedKernel(state.Kernel), (Accelerator: _accelerator, Kernel: kernel));
}
