using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Reductions;

/// <summary>Scalar arguments of <see cref="ReluColumnSumsKernel.Run"/>.</summary>
internal struct ReluColumnSumsArguments
{
    public int Rows;
    public int Cols;

    /// <summary>Consecutive rows one group takes; the grid has one group per (chunk of rows, 32 columns).</summary>
    public int RowsPerChunk;

    /// <summary>How many chunks of rows there are.</summary>
    public int Chunks;

    /// <summary>1 to add the column sums to the output instead of overwriting it.</summary>
    public int AccumulateSums;
}

/// <summary>
/// The ReLU and bias part of a dense layer's backward pass in one launch, from the layer's output y:
/// dz = dy ⊙ [y &gt; 0] (the pre-activation's adjoint) and the column sums of dz (the bias gradient). Each group takes
/// 32 columns of a chunk of rows, a warp per row and a lane per column, writes dz and its 32 partial sums. The group
/// that finishes its 32 columns last (counted per column tile with an atomic increment after a device-wide fence) adds
/// that tile's partials, its eight warps taking every eighth chunk and then adding their sums in warp order, so the
/// result does not depend on which group that is; it sets the tile's count back to zero for the next launch.
/// Where the ReLU gradient and a column sum take two or three launches, this takes one.
/// </summary>
internal static class ReluColumnSumsKernel
{
    public static void Run(
        ArrayView<float> dy,
        ArrayView<float> y,
        ArrayView<float> dz,
        ArrayView<float> partials,
        ArrayView<int> finishedGroups,
        ArrayView<float> sums,
        ReluColumnSumsArguments args)
    {
        var shared = SharedMemory.Allocate<float>(LaunchGeometry.GroupSize);
        var isLast = SharedMemory.Allocate<int>(1);
        int lane = Group.IdxX & 31;
        int warp = Group.IdxX >> 5;
        int tiles = (args.Cols + 31) / 32;
        int tile = Grid.IdxX % tiles;
        int chunk = Grid.IdxX / tiles;
        int col = (tile * 32) + lane;
        int firstRow = chunk * args.RowsPerChunk;
        int endRow = XMath.Min(args.Rows, firstRow + args.RowsPerChunk);
        const int Warps = LaunchGeometry.WarpsPerGroup;
        float sum = 0f;
        if (col < args.Cols)
        {
            // Two rows a step, both loaded before either is used: half the memory round trips one after another.
            int row = firstRow + warp;
            for (; row + Warps < endRow; row += 2 * Warps)
            {
                int at = (row * args.Cols) + col, next = at + (Warps * args.Cols);
                float y0 = y[at], y1 = y[next], dy0 = dy[at], dy1 = dy[next];

                // As the ReLU's own gradient computes it (x > 0 ? dy : 0), from the output, positive exactly where x is.
                float g0 = y0 > 0f ? dy0 : 0f, g1 = y1 > 0f ? dy1 : 0f;
                dz[at] = g0;
                dz[next] = g1;
                sum += g0;
                sum += g1;
            }

            if (row < endRow)
            {
                int at = (row * args.Cols) + col;
                float g = y[at] > 0f ? dy[at] : 0f;
                dz[at] = g;
                sum += g;
            }
        }

        shared[Group.IdxX] = sum;
        Group.Barrier();
        if (warp == 0 && col < args.Cols)
        {
            for (int w = 1; w < Warps; w++)
            {
                sum += shared[(w * 32) + lane];
            }

            partials[(chunk * args.Cols) + col] = sum;
        }

        // This group's partials reach device memory before it counts itself finished.
        MemoryFence.DeviceLevel();
        Group.Barrier();
        if (Group.IdxX == 0)
        {
            isLast[0] = Atomic.Add(ref finishedGroups[tile], 1) == args.Chunks - 1 ? 1 : 0;
        }

        Group.Barrier();
        if (isLast[0] == 0)
        {
            return;
        }

        MemoryFence.DeviceLevel();
        float total = 0f;
        if (col < args.Cols)
        {
            // Four chunks' partials loaded before any is added (in chunk order): one memory round trip per four.
            int k = warp;
            for (; k + (3 * Warps) < args.Chunks; k += 4 * Warps)
            {
                float p0 = partials[(k * args.Cols) + col];
                float p1 = partials[((k + Warps) * args.Cols) + col];
                float p2 = partials[((k + (2 * Warps)) * args.Cols) + col];
                float p3 = partials[((k + (3 * Warps)) * args.Cols) + col];
                total += p0;
                total += p1;
                total += p2;
                total += p3;
            }

            for (; k < args.Chunks; k += Warps)
            {
                total += partials[(k * args.Cols) + col];
            }
        }

        shared[Group.IdxX] = total;
        Group.Barrier();
        if (warp == 0 && col < args.Cols)
        {
            for (int w = 1; w < Warps; w++)
            {
                total += shared[(w * 32) + lane];
            }

            sums[col] = args.AccumulateSums != 0 ? sums[col] + total : total;
        }

        if (Group.IdxX == 0)
        {
            finishedGroups[tile] = 0;
        }
    }
}
