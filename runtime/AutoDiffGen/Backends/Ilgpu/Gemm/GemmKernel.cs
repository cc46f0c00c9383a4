using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>Scalar arguments of one GEMM launch (kept in one struct to stay under ILGPU's parameter limit).</summary>
internal struct GemmArguments
{
    public int M;
    public int N;
    public int K;
    public float Alpha;
    public float Beta;

    /// <summary>1 when a bias row vector of length N is added to every row of C.</summary>
    public int AddBias;

    /// <summary>1 when every element of C becomes max(0, ·) after the bias: a dense layer's ReLU, applied as C is written.</summary>
    public int Relu;

    /// <summary>1 when C can be written as aligned float4 (N a multiple of four, C 16-byte aligned).</summary>
    public int VectorStoreC;

    /// <summary>
    /// How much of K each group along the grid's Z axis multiplies: K itself (or 0) for one pass, a multiple of
    /// <see cref="GemmKernel.Depth"/> when the product is split over K into partial products.
    /// </summary>
    public int KChunk;

    /// <summary>Elements between the partial products of consecutive splits in C (0 when not split).</summary>
    public int SplitStride;

    /// <summary>How many partial products <see cref="GemmKernel.SumSplits"/> adds.</summary>
    public int Splits;
}

/// <summary>
/// SGEMM, C = alpha * op(A) * op(B) + beta * C [+ bias] [then ReLU], row-major, float32.
/// Each 256-thread group computes a 128x128 tile of C, stepping through K eight at a time. The
/// A and B slabs go through shared memory, double-buffered: while the group multiplies slab t,
/// each thread already holds its share of slab t+1 in registers, so one barrier per step suffices.
/// Each thread accumulates an 8x8 block (<see cref="MicroTile"/>) from float4 shared-memory reads:
/// 64 FMAs per four 16-byte loads. Edges of C that do not fill a tile are masked, so any M, N, K work.
/// A product with few tiles and a long K (a small batch through a wide layer) is split over K: group z of the
/// grid's Z axis multiplies one chunk of K into its own partial C, and <see cref="SumSplits"/> adds them up.
/// </summary>
internal static class GemmKernel
{
    public const int Tile = 128;
    public const int Depth = 8;

    /// <summary>Floats per k-row of a shared tile: 128 plus 4 of padding, which spreads the transposed stores over banks.</summary>
    public const int Pitch = Tile + 4;

    private const int Pitch4 = Pitch / 4;
    private const int SlabFloats = Depth * Pitch;

    public static void Run<TLoadA, TLoadB>(
        ArrayView<float> a,
        ArrayView<float> b,
        ArrayView<float> c,
        ArrayView<float> bias,
        GemmArguments args)
        where TLoadA : struct, IGemmTileLoader
        where TLoadB : struct, IGemmTileLoader
    {
        var sharedA = SharedMemory.Allocate<float>(2 * SlabFloats);
        var sharedB = SharedMemory.Allocate<float>(2 * SlabFloats);
        var sharedA4 = sharedA.Cast<Float4>();
        var sharedB4 = sharedB.Cast<Float4>();

        int rowBase = Grid.IdxY * Tile;
        int colBase = Grid.IdxX * Tile;
        int chunk = args.KChunk > 0 ? args.KChunk : args.K;
        int kStart = Grid.IdxZ * chunk;
        int kEnd = kStart + chunk < args.K ? kStart + chunk : args.K;
        int threadRow = Group.IdxX >> 4;
        int threadCol = Group.IdxX & 15;

        var loadA = default(TLoadA);
        var loadB = default(TLoadB);
        var acc = default(MicroTile);

        var nextA = loadA.Load(a, rowBase, kStart, args.M, args.K, kEnd);
        var nextB = loadB.Load(b, colBase, kStart, args.N, args.K, kEnd);
        loadA.Store(sharedA, 0, nextA);
        loadB.Store(sharedB, 0, nextB);
        Group.Barrier();

        int steps = (kEnd - kStart + Depth - 1) / Depth;
        for (int step = 0; step < steps; step++)
        {
            bool more = step + 1 < steps;
            if (more)
            {
                int k0 = kStart + ((step + 1) * Depth);
                nextA = loadA.Load(a, rowBase, k0, args.M, args.K, kEnd);
                nextB = loadB.Load(b, colBase, k0, args.N, args.K, kEnd);
            }

            // Eight rank-1 updates, unrolled by hand: ILGPU does not unroll the loop itself.
            int slab4 = (step & 1) * (SlabFloats / 4);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 2 * Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 3 * Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 4 * Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 5 * Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 6 * Pitch4, threadRow, threadCol);
            UpdateFromRow(ref acc, sharedA4, sharedB4, slab4 + 7 * Pitch4, threadRow, threadCol);

            if (more)
            {
                int nextSlab = ((step + 1) & 1) * SlabFloats;
                loadA.Store(sharedA, nextSlab, nextA);
                loadB.Store(sharedB, nextSlab, nextB);
            }

            Group.Barrier();
        }

        int row = rowBase + threadRow * 4;
        int col = colBase + threadCol * 4;

        // Split products write their partial sums side by side; SumSplits applies alpha, beta and the bias.
        c = c.SubView(Grid.IdxZ * args.SplitStride);
        StoreRow(c, bias, args, row, col, acc.R0);
        StoreRow(c, bias, args, row + 1, col, acc.R1);
        StoreRow(c, bias, args, row + 2, col, acc.R2);
        StoreRow(c, bias, args, row + 3, col, acc.R3);
        StoreRow(c, bias, args, row + 64, col, acc.R4);
        StoreRow(c, bias, args, row + 65, col, acc.R5);
        StoreRow(c, bias, args, row + 66, col, acc.R6);
        StoreRow(c, bias, args, row + 67, col, acc.R7);
    }

    /// <summary>C[i] = alpha · Σ_z partial_z[i] + beta · C[i] (+ bias[i mod N]), then max(0, ·) for a ReLU: the second pass of a split product.</summary>
    public static void SumSplits(ArrayView<float> partials, ArrayView<float> c, ArrayView<float> bias, GemmArguments args)
    {
        int length = args.M * args.N;
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < length; i += stride)
        {
            float sum = 0f;
            for (int z = 0; z < args.Splits; z++)
            {
                sum += partials[(z * args.SplitStride) + i];
            }

            float value = args.Alpha * sum;
            if (args.Beta != 0f)
            {
                value += args.Beta * c[i];
            }

            if (args.AddBias != 0)
            {
                value += bias[i % args.N];
            }

            c[i] = args.Relu != 0 ? Relu(value) : value;
        }
    }

    private static void UpdateFromRow(
        ref MicroTile acc, ArrayView<Float4> sharedA4, ArrayView<Float4> sharedB4, int k4, int threadRow, int threadCol)
    {
        acc.Update(
            sharedA4[k4 + threadRow],
            sharedA4[k4 + 16 + threadRow],
            sharedB4[k4 + threadCol],
            sharedB4[k4 + 16 + threadCol]);
    }

    private static void StoreRow(ArrayView<float> c, ArrayView<float> bias, GemmArguments args, int row, int col, MicroRow r)
    {
        if (row >= args.M)
        {
            return;
        }

        StoreQuad(c, bias, args, row, col, new Float4(r.C0, r.C1, r.C2, r.C3));
        StoreQuad(c, bias, args, row, col + 64, new Float4(r.C4, r.C5, r.C6, r.C7));
    }

    private static void StoreQuad(ArrayView<float> c, ArrayView<float> bias, GemmArguments args, int row, int col, Float4 sum)
    {
        if (col >= args.N)
        {
            return;
        }

        int at = row * args.N + col;
        if (args.VectorStoreC != 0)
        {
            var c4 = c.Cast<Float4>().AsAligned16();
            var value = new Float4(args.Alpha * sum.X, args.Alpha * sum.Y, args.Alpha * sum.Z, args.Alpha * sum.W);
            if (args.Beta != 0f)
            {
                var old = c4[at >> 2];
                value.X += args.Beta * old.X;
                value.Y += args.Beta * old.Y;
                value.Z += args.Beta * old.Z;
                value.W += args.Beta * old.W;
            }

            if (args.AddBias != 0)
            {
                value.X += bias[col];
                value.Y += bias[col + 1];
                value.Z += bias[col + 2];
                value.W += bias[col + 3];
            }

            if (args.Relu != 0)
            {
                value = new Float4(Relu(value.X), Relu(value.Y), Relu(value.Z), Relu(value.W));
            }

            c4[at >> 2] = value;
            return;
        }

        StoreOne(c, bias, args, at, col, sum.X);
        if (col + 1 < args.N)
        {
            StoreOne(c, bias, args, at + 1, col + 1, sum.Y);
        }

        if (col + 2 < args.N)
        {
            StoreOne(c, bias, args, at + 2, col + 2, sum.Z);
        }

        if (col + 3 < args.N)
        {
            StoreOne(c, bias, args, at + 3, col + 3, sum.W);
        }
    }

    /// <summary>C[at] = alpha · sum (+ beta · C[at]) (+ bias[col]), then max(0, ·) for a ReLU: one element of C, as every product kernel writes it.</summary>
    internal static void StoreOne(ArrayView<float> c, ArrayView<float> bias, GemmArguments args, int at, int col, float sum)
    {
        float value = args.Alpha * sum;
        if (args.Beta != 0f)
        {
            value += args.Beta * c[at];
        }

        if (args.AddBias != 0)
        {
            value += bias[col];
        }

        c[at] = args.Relu != 0 ? Relu(value) : value;
    }

    /// <summary>max(0, x) as the elementwise ReLU computes it (<c>x &gt; 0 ? x : 0</c>), so a fused layer matches Relu(Dense(…)) bit for bit.</summary>
    private static float Relu(float x) => x > 0f ? x : 0f;
}
