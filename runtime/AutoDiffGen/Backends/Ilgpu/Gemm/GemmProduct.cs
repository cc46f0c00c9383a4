using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// One product C = alpha · op(A) · op(B) + beta · C [+ bias] as the launch paths of <see cref="GemmKernels"/> pass it
/// along (tiles, narrow kernel, cuBLAS): shapes as in <see cref="GemmKernels.Gemm"/>; <see cref="Bias"/> is read only
/// when <see cref="AddBias"/>. <see cref="Relu"/> makes every element of C max(0, ·) after the bias (a dense layer's ReLU).
/// </summary>
internal readonly record struct GemmProduct(
    bool TransposeA,
    bool TransposeB,
    int M,
    int N,
    int K,
    float Alpha,
    ArrayView1D<float, Stride1D.Dense> A,
    ArrayView1D<float, Stride1D.Dense> B,
    float Beta,
    ArrayView1D<float, Stride1D.Dense> C,
    ArrayView1D<float, Stride1D.Dense> Bias,
    bool AddBias,
    bool Relu = false)
{
    /// <summary>Multiply-adds the product takes.</summary>
    public long Work => (long)M * N * K;

    /// <summary>The kernels' arguments for the whole product in one pass (no split, scalar stores of C).</summary>
    public GemmArguments Arguments() =>
        new() { M = M, N = N, K = K, Alpha = Alpha, Beta = Beta, AddBias = AddBias ? 1 : 0, Relu = Relu ? 1 : 0, KChunk = K };
}
