using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// Moves one operand's Depth x Tile slab (8 x 128 values, four per thread) from global memory
/// into the group's k-major shared tile. A and B share the loaders: op(A) without transpose and
/// op(B) transposed both store the depth (k) index contiguously; the other two store the outer
/// (m or n) index contiguously. The "vector" loaders read one aligned float4 per thread; they need
/// the contiguous extent to be a multiple of four and the view to start 16-byte aligned.
/// </summary>
internal interface IGemmTileLoader
{
    /// <summary>
    /// Reads this thread's four values of the slab starting at depth <paramref name="k0"/>: rows are
    /// <paramref name="depth"/> long, and depths from <paramref name="end"/> on read as 0 (the end of K, or of
    /// this group's share of K in a split product).
    /// </summary>
    Float4 Load(ArrayView<float> source, int outerBase, int k0, int outer, int depth, int end);

    /// <summary>Writes them to the shared tile laid out as [k][outer] with <see cref="GemmKernel.Pitch"/> floats per k.</summary>
    void Store(ArrayView<float> tile, int tileOffset, Float4 value);
}

/// <summary>Source laid out [outer, depth] (k contiguous): thread t reads row t/2, depth t%2*4..+3.</summary>
internal struct DepthContiguousVectorLoader : IGemmTileLoader
{
    public Float4 Load(ArrayView<float> source, int outerBase, int k0, int outer, int depth, int end)
    {
        int o = outerBase + (Group.IdxX >> 1);
        int k = k0 + (Group.IdxX & 1) * 4;
        if (o < outer && k < end)
        {
            return source.Cast<Float4>().AsAligned16()[(o * depth + k) >> 2];
        }

        return default;
    }

    public void Store(ArrayView<float> tile, int tileOffset, Float4 value) =>
        DepthContiguousLayout.StoreTransposed(tile, tileOffset, value);
}

/// <summary>Like <see cref="DepthContiguousVectorLoader"/>, one bounds-checked float at a time.</summary>
internal struct DepthContiguousScalarLoader : IGemmTileLoader
{
    public Float4 Load(ArrayView<float> source, int outerBase, int k0, int outer, int depth, int end)
    {
        int o = outerBase + (Group.IdxX >> 1);
        int k = k0 + (Group.IdxX & 1) * 4;
        var value = default(Float4);
        if (o < outer)
        {
            int row = o * depth;
            if (k < end)
            {
                value.X = source[row + k];
            }

            if (k + 1 < end)
            {
                value.Y = source[row + k + 1];
            }

            if (k + 2 < end)
            {
                value.Z = source[row + k + 2];
            }

            if (k + 3 < end)
            {
                value.W = source[row + k + 3];
            }
        }

        return value;
    }

    public void Store(ArrayView<float> tile, int tileOffset, Float4 value) =>
        DepthContiguousLayout.StoreTransposed(tile, tileOffset, value);
}

/// <summary>Source laid out [depth, outer] (outer contiguous): thread t reads depth t/32, outer t%32*4..+3.</summary>
internal struct OuterContiguousVectorLoader : IGemmTileLoader
{
    public Float4 Load(ArrayView<float> source, int outerBase, int k0, int outer, int depth, int end)
    {
        int k = k0 + (Group.IdxX >> 5);
        int o = outerBase + (Group.IdxX & 31) * 4;
        if (k < end && o < outer)
        {
            return source.Cast<Float4>().AsAligned16()[(k * outer + o) >> 2];
        }

        return default;
    }

    public void Store(ArrayView<float> tile, int tileOffset, Float4 value) =>
        OuterContiguousLayout.Store(tile, tileOffset, value);
}

/// <summary>Like <see cref="OuterContiguousVectorLoader"/>, one bounds-checked float at a time.</summary>
internal struct OuterContiguousScalarLoader : IGemmTileLoader
{
    public Float4 Load(ArrayView<float> source, int outerBase, int k0, int outer, int depth, int end)
    {
        int k = k0 + (Group.IdxX >> 5);
        int o = outerBase + (Group.IdxX & 31) * 4;
        var value = default(Float4);
        if (k < end)
        {
            int row = k * outer;
            if (o < outer)
            {
                value.X = source[row + o];
            }

            if (o + 1 < outer)
            {
                value.Y = source[row + o + 1];
            }

            if (o + 2 < outer)
            {
                value.Z = source[row + o + 2];
            }

            if (o + 3 < outer)
            {
                value.W = source[row + o + 3];
            }
        }

        return value;
    }

    public void Store(ArrayView<float> tile, int tileOffset, Float4 value) =>
        OuterContiguousLayout.Store(tile, tileOffset, value);
}

/// <summary>Shared-tile stores for the [outer, depth] loaders: four depths of one outer index, a column of the tile.</summary>
internal static class DepthContiguousLayout
{
    public static void StoreTransposed(ArrayView<float> tile, int tileOffset, Float4 value)
    {
        int o = Group.IdxX >> 1;
        int k = (Group.IdxX & 1) * 4;
        int at = tileOffset + k * GemmKernel.Pitch + o;
        tile[at] = value.X;
        tile[at + GemmKernel.Pitch] = value.Y;
        tile[at + 2 * GemmKernel.Pitch] = value.Z;
        tile[at + 3 * GemmKernel.Pitch] = value.W;
    }
}

/// <summary>Shared-tile stores for the [depth, outer] loaders: four outer indices of one depth, one float4.</summary>
internal static class OuterContiguousLayout
{
    public static void Store(ArrayView<float> tile, int tileOffset, Float4 value)
    {
        int k = Group.IdxX >> 5;
        int o = (Group.IdxX & 31) * 4;
        tile.Cast<Float4>()[(tileOffset + k * GemmKernel.Pitch + o) >> 2] = value;
    }
}
