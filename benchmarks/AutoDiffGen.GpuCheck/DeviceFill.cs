using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Fills device buffers with reproducible pseudo-random values in [low, high) on the device itself:
/// copying gigabytes of host data would take longer than the measurements.
/// </summary>
internal sealed class DeviceFill(Accelerator accelerator)
{
    private readonly System.Action<AcceleratorStream, Index1D, ArrayView<float>, uint, float, float> _fill =
        accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, uint, float, float>(Fill);

    public void Run(AcceleratorStream stream, ArrayView<float> view, uint seed, float low = -1f, float high = 1f) =>
        _fill(stream, (int)view.Length, view, seed, low, high);

    /// <summary>The value <see cref="Run"/> writes at <paramref name="index"/>, for host-side references.</summary>
    public static float ValueAt(int index, uint seed, float low, float high) =>
        low + (high - low) * (Hash((uint)index * 2654435761u ^ seed) >> 8) * (1f / 16777216f);

    private static void Fill(Index1D index, ArrayView<float> view, uint seed, float low, float high) =>
        view[index] = ValueAt(index, seed, low, high);

    private static uint Hash(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352du;
        x ^= x >> 15;
        x *= 0x846ca68bu;
        x ^= x >> 16;
        return x;
    }
}
