using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Backends.Ilgpu.Classification;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using AutoDiffGen.Backends.Ilgpu.Gemm;
using AutoDiffGen.Backends.Ilgpu.Optimizers;
using AutoDiffGen.Backends.Ilgpu.Reductions;
using AutoDiffGen.Backends.Ilgpu.Softmax;
using AutoDiffGen.Backends.Ilgpu.Strided;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// One ILGPU context and accelerator, with the kernel sets that run on it. Prefers a CUDA GPU and
/// falls back to ILGPU's CPU simulator. Kernels compile on first use and are cached for the
/// lifetime of the device. Dispose it to release the accelerator and everything allocated on it.
/// </summary>
public sealed class IlgpuDevice : IDisposable
{
    private readonly Context _context;
    private bool _disposed;

    private IlgpuDevice(Context context, Accelerator accelerator, string? fallbackReason)
    {
        _context = context;
        Accelerator = accelerator;
        FallbackReason = fallbackReason;
        Geometry = new LaunchGeometry(accelerator);
        Retirement = new BufferRetirement();
        Gemm = new GemmKernels(accelerator, Geometry, Retirement);
        Elementwise = new ElementwiseKernels(accelerator, Geometry);
        Reductions = new ReductionKernels(accelerator, Geometry, Retirement);
        Softmax = new SoftmaxKernels(accelerator, Geometry);
        Classification = new ClassificationKernels(accelerator, Geometry, Reductions);
        Strided = new StridedKernels(accelerator, Geometry);
        Optimizers = new OptimizerKernels(accelerator, Geometry);
    }

    /// <summary>The ILGPU accelerator the kernels run on; allocate buffers and streams from it.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>True when the kernels run on a CUDA GPU.</summary>
    public bool IsGpu => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>
    /// A one-line description, e.g. <c>Cuda NVIDIA H200 (SM_90, 132 SMs, 139.8 GiB, products by cuBLAS 12.8.4)</c>.
    /// </summary>
    public string Name => Accelerator is CudaAccelerator cuda
        ? $"Cuda {cuda.Name} ({cuda.Architecture}, {cuda.NumMultiprocessors} SMs, {cuda.MemorySize / (1024.0 * 1024 * 1024):F1} GiB, products by {ProductLibrary})"
        : $"CPU simulator ({Accelerator.MaxNumThreadsPerGroup} threads per group, warp {Accelerator.WarpSize})";

    private string ProductLibrary => Gemm.Library == GemmLibrary.CuBlas && Gemm.CuBlasDescription is { } cuBlas
        ? cuBlas.Split(" (")[0]
        : "ILGPU kernels";

    /// <summary>Why <see cref="IlgpuDeviceKind.Auto"/> settled on the CPU simulator, or null when it did not.</summary>
    public string? FallbackReason { get; }

    /// <summary>Matrix products.</summary>
    public GemmKernels Gemm { get; }

    /// <summary>Elementwise ops with broadcasting, and their gradients.</summary>
    public ElementwiseKernels Elementwise { get; }

    /// <summary>Sums and maxima over rows, columns or everything.</summary>
    public ReductionKernels Reductions { get; }

    /// <summary>Softmax, log-softmax, softmax cross-entropy and their gradients.</summary>
    public SoftmaxKernels Softmax { get; }

    /// <summary>Argmax per row and accuracy.</summary>
    public ClassificationKernels Classification { get; }

    /// <summary>Elementwise ops on arbitrary views, and reductions, max routing and argmax over any axes (for tensors).</summary>
    internal StridedKernels Strided { get; }

    /// <summary>Optimizer updates (momentum, Adam) in one pass per parameter tensor.</summary>
    internal OptimizerKernels Optimizers { get; }

    internal LaunchGeometry Geometry { get; }

    /// <summary>What happens to outgrown workspaces: freed, or kept for the recorded graphs that use them.</summary>
    internal BufferRetirement Retirement { get; }

    /// <summary>Creates a device of the requested kind.</summary>
    /// <param name="kind">Which accelerator to use.</param>
    /// <param name="profiling">
    /// Enables ILGPU profiling markers (<see cref="AcceleratorStream.AddProfilingMarker"/>), which
    /// time work on the device itself (CUDA events); for benchmarks.
    /// </param>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="kind"/> is <see cref="IlgpuDeviceKind.Cuda"/> and no CUDA GPU is usable.
    /// </exception>
    public static IlgpuDevice Create(IlgpuDeviceKind kind = IlgpuDeviceKind.Auto, bool profiling = false)
    {
        string? fallbackReason = null;
        if (kind != IlgpuDeviceKind.CpuSimulator)
        {
            CudaDriverResolver.EnsureInstalled();
            var cuda = TryCreateCuda(profiling, out string? failure);
            if (cuda is not null)
            {
                return cuda;
            }

            if (kind == IlgpuDeviceKind.Cuda)
            {
                throw new InvalidOperationException($"No usable CUDA GPU: {failure}");
            }

            fallbackReason = failure;
        }

        // 32-lane warps and 256-thread groups, as on NVIDIA GPUs, so the simulator runs the same launch shapes.
        var simulated = new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: LaunchGeometry.WarpsPerGroup, numMultiprocessors: 1);
        var context = Context.Create(builder =>
        {
            builder.CPU(simulated).EnableAlgorithms().Optimize(OptimizationLevel.O2);
            if (profiling)
            {
                builder.Profiling();
            }
        });
        try
        {
            return new IlgpuDevice(context, context.CreateCPUAccelerator(0), fallbackReason);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static IlgpuDevice? TryCreateCuda(bool profiling, out string? failure)
    {
        Context? context = null;
        try
        {
            context = Context.Create(builder =>
            {
                builder.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2).PTXBackend(PTXBackendMode.Enhanced);
                if (profiling)
                {
                    builder.Profiling();
                }
            });
            if (context.GetCudaDevices().Count == 0)
            {
                failure = "ILGPU found no CUDA device (no NVIDIA driver, or no GPU visible).";
                context.Dispose();
                return null;
            }

            failure = null;
            return new IlgpuDevice(context, context.CreateCudaAccelerator(0), null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException or CudaException)
        {
            failure = $"{e.GetType().Name}: {e.Message}";
            context?.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Compiles every kernel now instead of on first use, so that the first training step is not
    /// slowed by compilation (a few seconds on CUDA, longer on the CPU simulator).
    /// </summary>
    public void CompileAll()
    {
        Gemm.LoadAll();
        Elementwise.LoadAll();
        Reductions.LoadAll();
        Softmax.LoadAll();
        Classification.LoadAll();
        Strided.LoadAll();
        Optimizers.LoadAll();
    }

    /// <summary>Every kernel method instantiation of every kernel set, for ahead-of-time compile checks.</summary>
    internal static IEnumerable<MethodInfo> KernelMethods() =>
        GemmKernels.KernelMethods()
            .Concat(ElementwiseKernels.KernelMethods())
            .Concat(ReductionKernels.KernelMethods())
            .Concat(SoftmaxKernels.KernelMethods())
            .Concat(ClassificationKernels.KernelMethods())
            .Concat(StridedKernels.KernelMethods())
            .Concat(OptimizerKernels.KernelMethods());

    /// <summary>Allocates a float buffer of <paramref name="length"/> elements on this device.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Allocate(long length) => Accelerator.Allocate1D<float>(length);

    /// <summary>Waits until all work on all streams of this device is done.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Reductions.Dispose();
        Gemm.Dispose();
        Retirement.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }
}
