using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Optimizers;

/// <summary>
/// The optimizer update kernels of one accelerator (see <see cref="OptimizerKernel"/>), each compiled on first use
/// and cached.
/// </summary>
internal sealed class OptimizerKernels
{
    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly object _loadLock = new();
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, MomentumArguments>? _momentum;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamArguments>? _adam;
    private Action<AcceleratorStream, KernelConfig, DescentBatch>? _descent;

    internal OptimizerKernels(Accelerator accelerator, LaunchGeometry geometry)
    {
        _accelerator = accelerator;
        _geometry = geometry;
    }

    /// <summary>One plain gradient-descent step over every tensor of <paramref name="batch"/>, in one launch.</summary>
    public void Descent(AcceleratorStream stream, in DescentBatch batch)
    {
        if (batch.Total == 0)
        {
            return;
        }

        var kernel = _descent ?? Load(ref _descent, nameof(OptimizerKernel.Descent));
        kernel(stream, _geometry.GridStride(batch.Total), batch);
    }

    /// <summary>One SGD-with-momentum step over dense views of one length.</summary>
    public void Momentum(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> parameter,
        ArrayView1D<float, Stride1D.Dense> gradient,
        ArrayView1D<float, Stride1D.Dense> velocity,
        float learningRate,
        float momentum)
    {
        var args = new MomentumArguments { Length = checked((int)parameter.Length), LearningRate = learningRate, Momentum = momentum };
        var kernel = _momentum ?? Load(ref _momentum, nameof(OptimizerKernel.Momentum));
        kernel(stream, _geometry.GridStride(args.Length), parameter.BaseView, gradient.BaseView, velocity.BaseView, args);
    }

    /// <summary>One Adam step over dense views of one length.</summary>
    public void Adam(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> parameter,
        ArrayView1D<float, Stride1D.Dense> gradient,
        ArrayView1D<float, Stride1D.Dense> firstMoment,
        ArrayView1D<float, Stride1D.Dense> secondMoment,
        in AdamCoefficients coefficients)
    {
        var args = new AdamArguments
        {
            Length = checked((int)parameter.Length),
            LearningRate = coefficients.LearningRate,
            Beta1 = coefficients.Beta1,
            Beta2 = coefficients.Beta2,
            Epsilon = coefficients.Epsilon,
            Correction1 = coefficients.Correction1,
            Correction2 = coefficients.Correction2,
        };
        var kernel = _adam ?? Load(ref _adam, nameof(OptimizerKernel.Adam));
        kernel(stream, _geometry.GridStride(args.Length), parameter.BaseView, gradient.BaseView, firstMoment.BaseView, secondMoment.BaseView, args);
    }

    /// <summary>Every kernel method this class launches (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods()
    {
        yield return typeof(OptimizerKernel).GetMethod(nameof(OptimizerKernel.Momentum))!;
        yield return typeof(OptimizerKernel).GetMethod(nameof(OptimizerKernel.Adam))!;
        yield return typeof(OptimizerKernel).GetMethod(nameof(OptimizerKernel.Descent))!;
    }

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        _ = _momentum ?? Load(ref _momentum, nameof(OptimizerKernel.Momentum));
        _ = _adam ?? Load(ref _adam, nameof(OptimizerKernel.Adam));
        _ = _descent ?? Load(ref _descent, nameof(OptimizerKernel.Descent));
    }

    private TLauncher Load<TLauncher>(ref TLauncher? slot, string kernelName)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return slot ??= KernelLoading.Load<TLauncher>(_accelerator, typeof(OptimizerKernel), kernelName);
        }
    }
}
