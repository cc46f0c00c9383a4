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
/// 32 columns of a chunk of rows, a warp per row and a lane per column, writes dz and its 32 partial sums; the group
/// that finishes last (counted with an atomic increment after a device-wide fence) adds every chunk's partials in
/// chunk order, so the sums do not depend on which group that is, and sets the count back to zero for the next launch.
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
        int rowLane = Group.IdxX >> 5;
        int tiles = (args.Cols + 31) / 32;
        int tile = Grid.IdxX % tiles;
        int chunk = Grid.IdxX / tiles;
        int col = (tile * 32) + lane;
        int firstRow = chunk * args.RowsPerChunk;
        int endRow = XMath.Min(args.Rows, firstRow + args.RowsPerChunk);
        float sum = 0f;
        if (col < args.Cols)
        {
            for (int row = firstRow + rowLane; row < endRow; row += LaunchGeometry.WarpsPerGroup)
            {
                int at = (row * args.Cols) + col;

                // As the ReLU's own gradient computes it (x > 0 ? dy : 0), from the output, positive exactly where x is.
                float g = y[at] > 0f ? dy[at] : 0f;
                dz[at] = g;
                sum += g;
            }
        }

        shared[Group.IdxX] = sum;
        Group.Barrier();
        if (rowLane == 0 && col < args.Cols)
        {
            for (int w = 1; w < LaunchGeometry.WarpsPerGroup; w++)
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
            isLast[0] = Atomic.Add(ref finishedGroups[0], 1) == Grid.DimX - 1 ? 1 : 0;
        }

        Group.Barrier();
        if (isLast[0] == 0)
        {
            return;
        }

        MemoryFence.DeviceLevel();
        for (int c = Group.IdxX; c < args.Cols; c += LaunchGeometry.GroupSize)
        {
            float total = 0f;
            for (int k = 0; k < args.Chunks; k++)
            {
                total += partials[(k * args.Cols) + c];
            }

            sums[c] = args.AccumulateSums != 0 ? sums[c] + total : total;
        }

        if (Group.IdxX == 0)
        {
            finishedGroups[0] = 0;
        }
    }
}
