using System.Runtime.Intrinsics;

namespace AutoDiffGen.Backends.Cpu;

/// <summary>The CPU: managed float arrays and the SIMD, multi-threaded kernels of <see cref="CpuBackend"/>.</summary>
internal sealed class CpuDevice : Device
{
    private CpuDevice()
    {
        Backend = new CpuBackend(this);
    }

    public static CpuDevice Instance { get; } = new();

    public override string Name => "cpu";

    public override string Description =>
        $"cpu: {CpuWorkerPool.Shared.ThreadCount} threads, {(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128)}-bit SIMD";

    internal override ITensorBackend Backend { get; }
}
