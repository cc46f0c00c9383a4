using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Reductions;

/// <summary>Scalar arguments of a reduction launch.</summary>
internal struct ReductionArguments
{
    public int Rows;
    public int Cols;

    /// <summary>Element count of a full reduction, or the number of partials its second pass combines.</summary>
    public int Length;

    /// <summary>Factor applied to each result: 1 for a sum or a maximum, 1/n for a mean.</summary>
    public float Scale;

    /// <summary>1 to add to the output instead of overwriting it (sums only).</summary>
    public int Accumulate;

    /// <summary>1 when the input may be read as aligned float4.</summary>
    public int Vector;

    /// <summary>
    /// Over rows: how many consecutive rows one group reduces (all of them when 0 or ≥ Rows). With fewer, chunk k of
    /// each column goes to output[k · Cols + col], the first pass of a two-pass column reduction.
    /// </summary>
    public int RowsPerChunk;
}

/// <summary>
/// Reduction kernels over a row-major [rows, cols] matrix. Over the last axis each row gets one
/// warp; over rows (per column) each group takes 32 adjacent columns so that a warp reads 128
/// contiguous bytes of a row, with eight warps splitting the rows (and, for tall matrices with few
/// columns, groups splitting the rows into chunks whose partials a second pass adds); a full reduction runs in two
/// passes, one partial per group and then one group combining them, so results do not depend on
/// the order in which groups finish.
/// </summary>
internal static class ReductionKernel
{
    public static void OverLastAxis<TReduction>(ArrayView<float> x, ArrayView<float> output, ReductionArguments args)
        where TReduction : struct, IReduction
    {
        var r = default(TReduction);
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float value = r.Identity;
            for (int col = lane; col < args.Cols; col += 32)
            {
                value = r.Combine(value, x[start + col]);
            }

            value = WarpReduction.AllLanes<TReduction>(value) * args.Scale;
            if (lane == 0)
            {
                output[row] = args.Accumulate != 0 ? output[row] + value : value;
            }
        }
    }

    public static void OverRows<TReduction>(ArrayView<float> x, ArrayView<float> output, ReductionArguments args)
        where TReduction : struct, IReduction
    {
        var partials = SharedMemory.Allocate<float>(LaunchGeometry.GroupSize);
        var r = default(TReduction);
        int lane = Group.IdxX & 31;
        int rowLane = Group.IdxX >> 5;
        int tiles = (args.Cols + 31) / 32;
        int rowsPerChunk = args.RowsPerChunk > 0 && args.RowsPerChunk < args.Rows ? args.RowsPerChunk : args.Rows;
        int chunks = (args.Rows + rowsPerChunk - 1) / rowsPerChunk;
        for (int work = Grid.IdxX; work < tiles * chunks; work += Grid.DimX)
        {
            int tile = work % tiles;
            int chunk = work / tiles;
            int col = tile * 32 + lane;
            int firstRow = chunk * rowsPerChunk;
            int endRow = XMath.Min(args.Rows, firstRow + rowsPerChunk);
            float value = r.Identity;
            if (col < args.Cols)
            {
                for (int row = firstRow + rowLane; row < endRow; row += LaunchGeometry.WarpsPerGroup)
                {
                    value = r.Combine(value, x[row * args.Cols + col]);
                }
            }

            partials[Group.IdxX] = value;
            Group.Barrier();
            if (rowLane == 0 && col < args.Cols)
            {
                for (int w = 1; w < LaunchGeometry.WarpsPerGroup; w++)
                {
                    value = r.Combine(value, partials[w * 32 + lane]);
                }

                value *= args.Scale;
                int at = (chunk * args.Cols) + col;
                output[at] = args.Accumulate != 0 ? output[at] + value : value;
            }

            Group.Barrier();
        }
    }

    /// <summary>First pass of a full reduction: group g writes the reduction of its grid-stride share to partials[g].</summary>
    public static void Partials<TReduction>(ArrayView<float> x, ArrayView<float> partials, ReductionArguments args)
        where TReduction : struct, IReduction
    {
        var scratch = SharedMemory.Allocate<float>(LaunchGeometry.WarpsPerGroup);
        var r = default(TReduction);
        int first = Grid.GlobalIndex.X;
        int stride = Grid.DimX * Group.DimX;
        float value = r.Identity;
        int scalarStart = 0;
        if (args.Vector != 0)
        {
            var x4 = x.Cast<Float4>().AsAligned16();
            int length4 = args.Length >> 2;
            for (int i = first; i < length4; i += stride)
            {
                var v = x4[i];
                value = r.Combine(value, r.Combine(r.Combine(v.X, v.Y), r.Combine(v.Z, v.W)));
            }

            scalarStart = length4 << 2;
        }

        for (int i = scalarStart + first; i < args.Length; i += stride)
        {
            value = r.Combine(value, x[i]);
        }

        float total = WarpReduction.WholeGroup<TReduction>(value, scratch);
        if (Group.IdxX == 0)
        {
            partials[Grid.IdxX] = total;
        }
    }

    /// <summary>Second pass, one group: output[0] (+)= Scale * reduction of the first args.Length partials (Scale is 1 for a maximum).</summary>
    public static void Finish<TReduction>(ArrayView<float> partials, ArrayView<float> output, ReductionArguments args)
        where TReduction : struct, IReduction
    {
        var scratch = SharedMemory.Allocate<float>(LaunchGeometry.WarpsPerGroup);
        var r = default(TReduction);
        float value = r.Identity;
        for (int i = Group.IdxX; i < args.Length; i += Group.DimX)
        {
            value = r.Combine(value, partials[i]);
        }

        float total = WarpReduction.WholeGroup<TReduction>(value, scratch) * args.Scale;
        if (Group.IdxX == 0)
        {
            output[0] = args.Accumulate != 0 ? output[0] + total : total;
        }
    }
}
