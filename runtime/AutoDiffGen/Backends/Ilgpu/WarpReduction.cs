using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Combining rule of a reduction: an identity and an associative combine, so the kernels can reduce
/// in any order (per thread, across a warp by shuffles, across a group through shared memory).
/// </summary>
internal interface IReduction
{
    float Identity { get; }

    float Combine(float a, float b);
}

internal struct SumReduction : IReduction
{
    public float Identity => 0f;

    public float Combine(float a, float b) => a + b;
}

/// <summary>Maximum that keeps NaN, so a NaN anywhere in the input shows in the result.</summary>
internal struct MaxReduction : IReduction
{
    public float Identity => float.NegativeInfinity;

    public float Combine(float a, float b) => a >= b || float.IsNaN(a) ? a : b;
}

/// <summary>Reductions across the 32 lanes of a warp and across a 256-thread group.</summary>
internal static class WarpReduction
{
    /// <summary>Combines the value of all 32 lanes; every lane gets the result (butterfly shuffles).</summary>
    public static float AllLanes<TReduction>(float value)
        where TReduction : struct, IReduction
    {
        var r = default(TReduction);
        value = r.Combine(value, Warp.ShuffleXor(value, 16));
        value = r.Combine(value, Warp.ShuffleXor(value, 8));
        value = r.Combine(value, Warp.ShuffleXor(value, 4));
        value = r.Combine(value, Warp.ShuffleXor(value, 2));
        value = r.Combine(value, Warp.ShuffleXor(value, 1));
        return value;
    }

    /// <summary>
    /// Combines the value of all threads of the group; the result is valid in thread 0. Every thread
    /// of the group must call it. <paramref name="scratch"/> is shared memory with one slot per warp.
    /// </summary>
    public static float WholeGroup<TReduction>(float value, ArrayView<float> scratch)
        where TReduction : struct, IReduction
    {
        value = AllLanes<TReduction>(value);
        if (Warp.LaneIdx == 0)
        {
            scratch[Warp.WarpIdx] = value;
        }

        Group.Barrier();
        var r = default(TReduction);
        float total = r.Identity;
        if (Group.IdxX == 0)
        {
            for (int w = 0; w < LaunchGeometry.WarpsPerGroup; w++)
            {
                total = r.Combine(total, scratch[w]);
            }
        }

        // Lets the caller reuse the scratch slots right away.
        Group.Barrier();
        return total;
    }
}
