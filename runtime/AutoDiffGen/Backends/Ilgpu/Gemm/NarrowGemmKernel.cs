using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// SGEMM for a product with at most <see cref="Columns"/> columns (a classifier layer: 10 classes), where the 128-wide
/// tiles of <see cref="GemmKernel"/> would compute mostly masked columns. Each 256-thread group computes
/// <see cref="Rows"/> rows of C: lane j of each warp owns column j, and each warp four rows, so a thread keeps four
/// sums. A and B go through shared memory <see cref="Depth"/> of K at a time, loaded coalesced in either layout; the
/// A values a warp multiplies are the same for all its lanes, so those shared reads are broadcasts. Long K splits over
/// the grid's Z axis into partial products that <see cref="GemmKernel.SumSplits"/> adds, as the wide kernel's do.
/// </summary>
internal static class NarrowGemmKernel
{
    /// <summary>The most columns of C this kernel computes: one warp's lanes.</summary>
    public const int Columns = 32;

    /// <summary>Rows of C per group: eight warps of four rows.</summary>
    public const int Rows = 32;

    /// <summary>How much of K each shared-memory slab holds.</summary>
    public const int Depth = 32;

    // A padded row of 33 floats spreads both the row-wise and the column-wise slab stores over all banks.
    private const int Pitch = 33;

    public static void Run(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> bias, NarrowGemmArguments args)
    {
        var sharedA = SharedMemory.Allocate<float>(Depth * Pitch);
        var sharedB = SharedMemory.Allocate<float>(Depth * Pitch);
        int thread = Group.IdxX;
        int lane = thread & 31;
        int firstRow = (thread >> 5) * 4;
        int rowBase = Grid.IdxX * Rows;
        int chunk = args.Gemm.KChunk > 0 ? args.Gemm.KChunk : args.Gemm.K;
        int kStart = Grid.IdxZ * chunk;
        int kEnd = kStart + chunk < args.Gemm.K ? kStart + chunk : args.Gemm.K;
        int m = args.Gemm.M, n = args.Gemm.N, k = args.Gemm.K;
        float sum0 = 0f, sum1 = 0f, sum2 = 0f, sum3 = 0f;

        for (int k0 = kStart; k0 < kEnd; k0 += Depth)
        {
            // 1024 values of each operand per slab, four per thread; out-of-range ones are zero.
            for (int part = 0; part < 4; part++)
            {
                int index = thread + (part * 256);
                int major = index >> 5;
                int minor = index & 31;

                // The slab is stored [depth][row]. Untransposed A is [m, k]: consecutive threads read along k.
                int slabK = args.TransposeA != 0 ? major : minor;
                int slabRow = args.TransposeA != 0 ? minor : major;
                int row = rowBase + slabRow;
                int depth = k0 + slabK;
                float valueA = 0f;
                if (row < m && depth < kEnd)
                {
                    valueA = args.TransposeA != 0 ? a[(depth * m) + row] : a[(row * k) + depth];
                }

                sharedA[(slabK * Pitch) + slabRow] = valueA;

                // Stored [depth][column]. Untransposed B is [k, n]: consecutive threads read along n.
                int slabKB = args.TransposeB != 0 ? minor : major;
                int column = args.TransposeB != 0 ? major : minor;
                int depthB = k0 + slabKB;
                float valueB = 0f;
                if (column < n && depthB < kEnd)
                {
                    valueB = args.TransposeB != 0 ? b[(column * k) + depthB] : b[(depthB * n) + column];
                }

                sharedB[(slabKB * Pitch) + column] = valueB;
            }

            Group.Barrier();
            for (int d = 0; d < Depth; d++)
            {
                float valueB = sharedB[(d * Pitch) + lane];
                int rowAt = (d * Pitch) + firstRow;
                sum0 += sharedA[rowAt] * valueB;
                sum1 += sharedA[rowAt + 1] * valueB;
                sum2 += sharedA[rowAt + 2] * valueB;
                sum3 += sharedA[rowAt + 3] * valueB;
            }

            Group.Barrier();
        }

        // Split products write their partial sums side by side; SumSplits applies alpha, beta and the bias.
        c = c.SubView(Grid.IdxZ * args.Gemm.SplitStride);
        Store(c, bias, args.Gemm, rowBase + firstRow, lane, sum0);
        Store(c, bias, args.Gemm, rowBase + firstRow + 1, lane, sum1);
        Store(c, bias, args.Gemm, rowBase + firstRow + 2, lane, sum2);
        Store(c, bias, args.Gemm, rowBase + firstRow + 3, lane, sum3);
    }

    private static void Store(ArrayView<float> c, ArrayView<float> bias, GemmArguments args, int row, int column, float sum)
    {
        if (row < args.M && column < args.N)
        {
            GemmKernel.StoreOne(c, bias, args, (row * args.N) + column, column, sum);
        }
    }
}

/// <summary>The arguments of one <see cref="NarrowGemmKernel"/> launch: the product's, and which operands are transposed.</summary>
internal struct NarrowGemmArguments
{
    public GemmArguments Gemm;

    /// <summary>1 when A is stored [k, m] (op(A) = Aᵀ).</summary>
    public int TransposeA;

    /// <summary>1 when B is stored [n, k] (op(B) = Bᵀ).</summary>
    public int TransposeB;
}
