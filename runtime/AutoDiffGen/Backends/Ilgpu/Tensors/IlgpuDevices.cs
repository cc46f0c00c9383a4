using System;
using System.Threading;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// The process-wide ILGPU devices, each created on first use, thread-safely. Probing for CUDA happens once; its
/// outcome (the device, or why there is none) is remembered.
/// </summary>
internal static class IlgpuDevices
{
    private static readonly Lazy<(IlgpuTensorDevice? Device, string? Failure)> s_cuda = new(CreateCuda, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<IlgpuTensorDevice> s_cpuAccelerator = new(
        () => new IlgpuTensorDevice("ilgpu-cpu", IlgpuDevice.Create(IlgpuDeviceKind.CpuSimulator)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>ILGPU's CPU accelerator as a tensor device.</summary>
    public static IlgpuTensorDevice CpuAccelerator => s_cpuAccelerator.Value;

    /// <summary>The first CUDA GPU, or null with the reason in <paramref name="failure"/>.</summary>
    public static IlgpuTensorDevice? TryGetCuda(out string? failure)
    {
        var (device, reason) = s_cuda.Value;
        failure = reason;
        return device;
    }

    private static (IlgpuTensorDevice?, string?) CreateCuda()
    {
        try
        {
            return (new IlgpuTensorDevice("cuda", IlgpuDevice.Create(IlgpuDeviceKind.Cuda)), null);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            return (null, Reason(e.Message));
        }
    }

    /// <summary>
    /// The bare reason, for callers that say "no usable CUDA GPU (reason)" themselves: without the device's own
    /// "No usable CUDA GPU: " prefix and final period, which would repeat in their message.
    /// </summary>
    private static string Reason(string message)
    {
        const string Prefix = "No usable CUDA GPU: ";
        string reason = message.StartsWith(Prefix, StringComparison.Ordinal) ? message.Substring(Prefix.Length) : message;
        return reason.TrimEnd('.');
    }
}
