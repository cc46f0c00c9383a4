using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// destination = sourceᵀ for a row-major [rows, cols] source: how a large product repacks an operand stored with K
/// contiguous (A untransposed, B transposed) into the layout its tiles load fastest, the outer index contiguous.
/// Each 256-thread group moves one 32 × 32 tile through shared memory, so both the reads and the writes are whole
/// rows of 32 floats.
/// </summary>
internal static class OperandTranspose
{
    public const int Tile = 32;

    // One float of padding per row: the column reads of the transposed write-out hit 32 different banks.
    private const int Pitch = Tile + 1;

    public static void Run(ArrayView<float> source, ArrayView<float> destination, int rows, int cols)
    {
        var tile = SharedMemory.Allocate<float>(Tile * Pitch);
        int lane = Group.IdxX & 31;
        int warp = Group.IdxX >> 5;
        int rowBase = Grid.IdxY * Tile;
        int colBase = Grid.IdxX * Tile;
        for (int r = warp; r < Tile; r += LaunchGeometry.WarpsPerGroup)
        {
            int row = rowBase + r, col = colBase + lane;
            if (row < rows && col < cols)
            {
                tile[(r * Pitch) + lane] = source[(row * cols) + col];
            }
        }

        Group.Barrier();

        // Row c of the destination is column c of the source: lanes walk along the source's rows.
        for (int c = warp; c < Tile; c += LaunchGeometry.WarpsPerGroup)
        {
            int col = colBase + c, row = rowBase + lane;
            if (row < rows && col < cols)
            {
                destination[(col * rows) + row] = tile[(lane * Pitch) + c];
            }
        }
    }
}
