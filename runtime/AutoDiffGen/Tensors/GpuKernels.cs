using System;
using AutoDiffGen.Backends.Ilgpu.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen;

/// <summary>
/// Launches hand-written elementwise ILGPU kernels on tensors of a GPU device (<see cref="Device.Cuda"/> or
/// <see cref="Device.IlgpuCpu"/>). (For every <c>[Differentiable]</c> <c>static float F(float)</c> the generator emits
/// an <see cref="IElementwiseKernelFunction"/> struct instead, which the runtime runs in grid-stride kernels that move
/// four floats per access; see <see cref="ElementwiseFunction.Create{TKernel}"/>.) Each kernel is compiled once per accelerator, on its first launch, and remembered
/// by method; later launches allocate nothing. Launches are queued on the device's stream in order with every other op.
/// </summary>
/// <remarks>
/// A kernel is a <c>static</c> method taking the element index and the views, handling exactly one element:
/// <code>
/// static void SwishForwardKernel(Index1D i, ArrayView1D&lt;float, Stride1D.Dense&gt; x, ArrayView1D&lt;float, Stride1D.Dense&gt; y) => y[i] = x[i] / (1f + MathF.Exp(-x[i]));
/// </code>
/// It is launched over every element of a contiguous tensor (the views span exactly the tensor). Instance methods and
/// lambdas that capture state cannot be compiled for a GPU and are rejected.
/// </remarks>
public static class GpuKernels
{
    /// <summary>Runs <paramref name="kernel"/> for every element: y[i] = f(x[i]).</summary>
    /// <param name="kernel">A static kernel method: (index, x, y).</param>
    /// <param name="x">The input, on a GPU device; contiguous.</param>
    /// <param name="y">The output, same device and shape; contiguous; may be <paramref name="x"/> if the kernel allows it.</param>
    /// <exception cref="ArgumentException">A tensor is on another device, has another shape, or is not contiguous; or the kernel is not static.</exception>
    /// <exception cref="NotSupportedException">The tensors are on a device without ILGPU kernels (the CPU).</exception>
    public static void LaunchElementwise(Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> kernel, Tensor x, Tensor y)
    {
        const string op = nameof(LaunchElementwise);
        CheckKernel(op, kernel);
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, y, nameof(y));
        OpChecks.SameDevice(op, x, y);
        OpChecks.SameShape(op, x, nameof(x), y, nameof(y));
        var backend = GpuBackend(op, kernel, x);
        CheckContiguous(op, x, nameof(x));
        CheckContiguous(op, y, nameof(y));
        if (x.Length == 0)
        {
            return;
        }

        backend.UserKernels.Forward(kernel)(backend.Stream, x.Length, IlgpuBackend.DenseView(x), IlgpuBackend.DenseView(y));
    }

    /// <summary>Runs <paramref name="kernel"/> for every element: dx[i] (+)= f′(x[i])·dy[i].</summary>
    /// <param name="kernel">A static kernel method: (index, x, dy, dx, accumulate as 0 or 1).</param>
    /// <param name="x">The forward input, on a GPU device; contiguous.</param>
    /// <param name="dy">The gradient of the output; same device and shape; contiguous.</param>
    /// <param name="dx">Receives the gradient of the input; same device and shape; contiguous; may be <paramref name="dy"/>.</param>
    /// <param name="accumulate">Add into <paramref name="dx"/> instead of overwriting it (the kernel reads this flag).</param>
    /// <exception cref="ArgumentException">A tensor is on another device, has another shape, or is not contiguous; or the kernel is not static.</exception>
    /// <exception cref="NotSupportedException">The tensors are on a device without ILGPU kernels (the CPU).</exception>
    public static void LaunchElementwiseBackward(
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> kernel,
        Tensor x,
        Tensor dy,
        Tensor dx,
        bool accumulate)
    {
        const string op = nameof(LaunchElementwiseBackward);
        CheckKernel(op, kernel);
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, dy, nameof(dy));
        OpChecks.NotNull(op, dx, nameof(dx));
        OpChecks.SameDevice(op, x, dy, dx);
        OpChecks.SameShape(op, dy, nameof(dy), x, nameof(x));
        OpChecks.SameShape(op, dx, nameof(dx), x, nameof(x));
        var backend = GpuBackend(op, kernel, x);
        CheckContiguous(op, x, nameof(x));
        CheckContiguous(op, dy, nameof(dy));
        CheckContiguous(op, dx, nameof(dx));
        if (x.Length == 0)
        {
            return;
        }

        backend.UserKernels.Backward(kernel)(backend.Stream, x.Length, IlgpuBackend.DenseView(x), IlgpuBackend.DenseView(dy), IlgpuBackend.DenseView(dx), accumulate ? 1 : 0);
    }

    /// <summary>Runs an element struct's forward over a contiguous GPU tensor into another of the same shape.</summary>
    internal static void LaunchFunction<TKernel>(string op, Tensor x, Tensor y)
        where TKernel : struct, IElementwiseKernelFunction
    {
        var backend = FunctionBackend(op, x);
        CheckContiguous(op, x, nameof(x));
        CheckContiguous(op, y, nameof(y));
        if (x.Length == 0)
        {
            return;
        }

        backend.UserKernels.FunctionForward<TKernel>(backend.Stream, IlgpuBackend.DenseView(x), IlgpuBackend.DenseView(y));
    }

    /// <summary>Runs an element struct's pullback over contiguous GPU tensors of one shape (checked by the caller).</summary>
    internal static void LaunchFunctionBackward<TKernel>(string op, Tensor x, Tensor dy, Tensor dx, bool accumulate)
        where TKernel : struct, IElementwiseKernelFunction
    {
        var backend = FunctionBackend(op, x);
        CheckContiguous(op, x, nameof(x));
        CheckContiguous(op, dy, nameof(dy));
        CheckContiguous(op, dx, nameof(dx));
        if (x.Length == 0)
        {
            return;
        }

        backend.UserKernels.FunctionBackward<TKernel>(backend.Stream, IlgpuBackend.DenseView(x), IlgpuBackend.DenseView(dy), IlgpuBackend.DenseView(dx), accumulate);
    }

    private static void CheckKernel(string op, Delegate kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.Target is not null || !kernel.Method.IsStatic)
        {
            throw new ArgumentException($"{op}: kernel {kernel.Method.DeclaringType?.Name}.{kernel.Method.Name} must be a static method (no instance, no captured variables) to compile for a GPU.", nameof(kernel));
        }
    }

    private static IlgpuBackend FunctionBackend(string op, Tensor x) => GpuBackend(op, null, x);

    // The message is built only when thrown: launches allocate nothing.
    private static IlgpuBackend GpuBackend(string op, Delegate? kernel, Tensor x) =>
        x.Device is IlgpuTensorDevice device
            ? device.IlgpuBackend
            : throw new NotSupportedException($"{op}: {(kernel is null ? "its GPU kernels run" : $"kernel {kernel.Method.Name} runs")} on GPU devices (cuda, ilgpu-cpu), but the tensor {x.ShapeText} is on {x.Device.Name}; use the CPU form of the function there, or move the tensor with To(Device.Cuda).");

    private static void CheckContiguous(string op, Tensor tensor, string name)
    {
        if (!tensor.IsContiguous)
        {
            throw new ArgumentException($"{op}: {name} {tensor.ShapeText} is a strided view; kernels read elements densely. Pass {name}.Contiguous().", name);
        }
    }
}
