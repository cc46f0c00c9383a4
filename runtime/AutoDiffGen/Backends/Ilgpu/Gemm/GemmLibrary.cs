namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>Which implementation multiplies matrices on an ILGPU device (<see cref="GemmKernels.Library"/>).</summary>
public enum GemmLibrary
{
    /// <summary>AutoDiffGen's own ILGPU kernels: available on every accelerator, and the only choice off CUDA.</summary>
    IlgpuKernels,

    /// <summary>NVIDIA's cuBLAS, on CUDA devices where the library is installed; the default there.</summary>
    CuBlas,
}
