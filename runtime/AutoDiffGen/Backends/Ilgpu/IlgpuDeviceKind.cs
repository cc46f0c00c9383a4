namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>Which ILGPU accelerator an <see cref="IlgpuDevice"/> should run on.</summary>
public enum IlgpuDeviceKind
{
    /// <summary>The first CUDA GPU when one is usable, otherwise ILGPU's CPU accelerator.</summary>
    Auto,

    /// <summary>The first CUDA GPU; creating the device fails when none is usable.</summary>
    Cuda,

    /// <summary>
    /// ILGPU's CPU accelerator: a thread simulator of a GPU with 32-wide warps and 256-thread
    /// groups. It runs the same kernels as the GPU, slowly; meant for tests, not for speed.
    /// </summary>
    CpuSimulator,
}
