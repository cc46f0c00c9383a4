using System;
using System.Collections.Concurrent;
using System.Reflection;
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
    private readonly ConcurrentDictionary<MethodInfo, Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>>> _forward = new();
    private readonly ConcurrentDictionary<MethodInfo, Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int>> _backward = new();

    public UserKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
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
