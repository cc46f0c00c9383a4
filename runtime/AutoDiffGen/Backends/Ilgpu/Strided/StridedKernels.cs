using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>
/// The strided kernels of one accelerator (see <see cref="StridedKernel"/>): elementwise ops on arbitrary views, and
/// grouped reductions, max routing and argmax over any set of axes. Each instantiation compiles on first use and stays
/// cached; launching looks the launcher up by op type without allocating.
/// </summary>
internal sealed class StridedKernels
{
    private static readonly Type[] UnaryFunctions =
    [
        typeof(NegateFunction), typeof(ExpFunction), typeof(LogFunction), typeof(SqrtFunction), typeof(PowFunction),
        typeof(TanhFunction), typeof(SigmoidFunction), typeof(ReluFunction),
    ];

    private static readonly Type[] BinaryFunctions =
    [
        typeof(AddFunction), typeof(SubtractFunction), typeof(MultiplyFunction), typeof(DivideFunction),
        typeof(MaximumFunction), typeof(MinimumFunction),
    ];

    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly object _loadLock = new();
    private readonly ConcurrentDictionary<Type, Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseLayout>> _apply = new();
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, GroupLayout>? _sum;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, GroupLayout>? _max;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, GroupLayout>? _argMax;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GroupLayout>? _maxRoute;

    internal StridedKernels(Accelerator accelerator, LaunchGeometry geometry)
    {
        _accelerator = accelerator;
        _geometry = geometry;
    }

    /// <summary>output (+)= op(first, second, third) over the layout's index space; operands an op does not read may be any view.</summary>
    public void Apply<TOp>(AcceleratorStream stream, ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
        where TOp : struct, IElementOp
    {
        if (layout.Length == 0)
        {
            return;
        }

        if (!_apply.TryGetValue(typeof(TOp), out var kernel))
        {
            kernel = LoadApply(typeof(TOp));
        }

        kernel(stream, _geometry.GridStride(layout.Length), output, first, second, third, layout);
    }

    /// <summary>y (+)= Scale · (sum or max) of each group of x.</summary>
    public void Reduce(AcceleratorStream stream, bool max, ArrayView<float> x, ArrayView<float> y, GroupLayout layout)
    {
        if (layout.Groups == 0)
        {
            return;
        }

        var kernel = max
            ? _max ?? Load(ref _max, nameof(StridedKernel.Reduce), typeof(MaxReduction))
            : _sum ?? Load(ref _sum, nameof(StridedKernel.Reduce), typeof(SumReduction));
        kernel(stream, _geometry.GridStride(layout.Groups), x, y, layout);
    }

    /// <summary>dx (+)= dy routed to the first maximum of each group of x (see <see cref="StridedKernel.MaxRoute"/>).</summary>
    public void MaxRoute(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, GroupLayout layout)
    {
        if (layout.Groups == 0)
        {
            return;
        }

        var kernel = _maxRoute ?? Load(ref _maxRoute, nameof(StridedKernel.MaxRoute));
        kernel(stream, _geometry.GridStride(layout.Groups), x, y, dy, dx, layout);
    }

    /// <summary>y = the index of the first maximum of each group of x (one axis per group).</summary>
    public void ArgMax(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, GroupLayout layout)
    {
        if (layout.Groups == 0)
        {
            return;
        }

        var kernel = _argMax ?? Load(ref _argMax, nameof(StridedKernel.ArgMax));
        kernel(stream, _geometry.GridStride(layout.Groups), x, y, layout);
    }

    /// <summary>Every kernel instantiation this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods()
    {
        foreach (var op in ElementOps())
        {
            yield return typeof(StridedKernel).GetMethod(nameof(StridedKernel.Apply))!.MakeGenericMethod(op);
        }

        yield return typeof(StridedKernel).GetMethod(nameof(StridedKernel.Reduce))!.MakeGenericMethod(typeof(SumReduction));
        yield return typeof(StridedKernel).GetMethod(nameof(StridedKernel.Reduce))!.MakeGenericMethod(typeof(MaxReduction));
        yield return typeof(StridedKernel).GetMethod(nameof(StridedKernel.MaxRoute))!;
        yield return typeof(StridedKernel).GetMethod(nameof(StridedKernel.ArgMax))!;
    }

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        foreach (var op in ElementOps())
        {
            if (!_apply.ContainsKey(op))
            {
                LoadApply(op);
            }
        }

        _ = _sum ?? Load(ref _sum, nameof(StridedKernel.Reduce), typeof(SumReduction));
        _ = _max ?? Load(ref _max, nameof(StridedKernel.Reduce), typeof(MaxReduction));
        _ = _maxRoute ?? Load(ref _maxRoute, nameof(StridedKernel.MaxRoute));
        _ = _argMax ?? Load(ref _argMax, nameof(StridedKernel.ArgMax));
    }

    private static IEnumerable<Type> ElementOps()
    {
        yield return typeof(ScaledCopyOp);
        yield return typeof(FillOp);
        yield return typeof(AddScaledOp);
        foreach (var f in UnaryFunctions)
        {
            yield return typeof(MapOp<>).MakeGenericType(f);
            yield return typeof(MapGradientOp<>).MakeGenericType(f);
        }

        foreach (var f in BinaryFunctions)
        {
            yield return typeof(CombineOp<>).MakeGenericType(f);
            yield return typeof(CombineGradientOp<>).MakeGenericType(f);
        }
    }

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseLayout> LoadApply(Type op)
    {
        lock (_loadLock)
        {
            return _apply.GetOrAdd(
                op,
                static (type, accelerator) => KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseLayout>>(
                    accelerator, typeof(StridedKernel), nameof(StridedKernel.Apply), type),
                _accelerator);
        }
    }

    private TLauncher Load<TLauncher>(ref TLauncher? slot, string kernelName, params Type[] typeArguments)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return slot ??= KernelLoading.Load<TLauncher>(_accelerator, typeof(StridedKernel), kernelName, typeArguments);
        }
    }
}
