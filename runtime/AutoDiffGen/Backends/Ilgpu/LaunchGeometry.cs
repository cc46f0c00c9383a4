using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Launch shapes shared by the kernels. Every kernel runs 256-thread groups (eight 32-lane warps),
/// and the grid-stride kernels launch at most enough groups to fill the device once, so each
/// thread walks over several elements instead of the grid growing with the tensor.
/// </summary>
internal sealed class LaunchGeometry
{
    /// <summary>Threads per group for every kernel in this backend.</summary>
    public const int GroupSize = 256;

    /// <summary>Warps per group, with the 32-lane warps that CUDA and the CPU simulator share.</summary>
    public const int WarpsPerGroup = GroupSize / 32;

    public LaunchGeometry(Accelerator accelerator)
    {
        if (accelerator.WarpSize != 32)
        {
            throw new NotSupportedException(
                $"The ILGPU kernels need 32-lane warps; accelerator '{accelerator.Name}' has {accelerator.WarpSize}.");
        }

        if (accelerator.MaxNumThreadsPerGroup < GroupSize)
        {
            throw new NotSupportedException(
                $"The ILGPU kernels need {GroupSize} threads per group; accelerator '{accelerator.Name}' allows {accelerator.MaxNumThreadsPerGroup}.");
        }

        int residentGroups = Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / GroupSize);
        MaxGridGroups = Math.Max(1, accelerator.NumMultiprocessors * residentGroups);
    }

    /// <summary>
    /// The most groups a grid-stride kernel launches: one full wave of resident groups. Tests
    /// lower it to force several passes of the stride loops on small inputs.
    /// </summary>
    public int MaxGridGroups { get; internal set; }

    /// <summary>A one-dimensional grid-stride launch covering <paramref name="workItems"/> items.</summary>
    public KernelConfig GridStride(long workItems)
    {
        long needed = (workItems + GroupSize - 1) / GroupSize;
        int groups = (int)Math.Clamp(needed, 1, MaxGridGroups);
        return new KernelConfig(new Index3D(groups, 1, 1), new Index3D(GroupSize, 1, 1));
    }

    /// <summary>A launch that gives each of <paramref name="rows"/> rows one warp, eight rows per group.</summary>
    public KernelConfig WarpPerRow(int rows) => GridStride((long)rows * 32);
}
