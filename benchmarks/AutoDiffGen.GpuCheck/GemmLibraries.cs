using System;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Gemm;

namespace AutoDiffGen.GpuCheck;

/// <summary>The product libraries a device has (ILGPU's kernels always, cuBLAS where it loaded), to check and time each.</summary>
internal static class GemmLibraries
{
    public static GemmLibrary[] Available(IlgpuDevice device) =>
        device.Gemm.CuBlasDescription is null ? [GemmLibrary.IlgpuKernels] : [GemmLibrary.IlgpuKernels, GemmLibrary.CuBlas];

    /// <summary>
    /// The Tensor API device's own ILGPU device (a separate accelerator from the one the kernel checks use). Read by
    /// reflection: the tensor device type is internal, and making the runtime's internals visible here would clash
    /// with the kernel-level op enums this check uses by name.
    /// </summary>
    public static IlgpuDevice Of(Device device) =>
        device.GetType().GetProperty("Kernels")?.GetValue(device) as IlgpuDevice
        ?? throw new InvalidOperationException($"{device.Description} is not an ILGPU device.");

    public static string Tag(GemmLibrary library) => library == GemmLibrary.CuBlas ? "cublas" : "ilgpu";

    /// <summary>
    /// Runs <paramref name="run"/> with <paramref name="library"/> doing every product (cuBLAS also the small ones
    /// launched directly, which by default stay on the ILGPU kernels), then restores the device's settings.
    /// </summary>
    public static void With(IlgpuDevice device, GemmLibrary library, Action run) =>
        With(device, library, () =>
        {
            run();
            return true;
        });

    /// <inheritdoc cref="With(IlgpuDevice, GemmLibrary, Action)"/>
    public static T With<T>(IlgpuDevice device, GemmLibrary library, Func<T> run)
    {
        var original = device.Gemm.Library;
        long minimum = device.Gemm.CuBlasDirectMinimumWork;
        device.Gemm.Library = library;
        device.Gemm.CuBlasDirectMinimumWork = 0;
        try
        {
            return run();
        }
        finally
        {
            device.Gemm.Library = original;
            device.Gemm.CuBlasDirectMinimumWork = minimum;
        }
    }
}
