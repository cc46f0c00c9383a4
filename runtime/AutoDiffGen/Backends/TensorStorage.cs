namespace AutoDiffGen;

/// <summary>
/// A device's flat block of float32 elements that one or more <see cref="Tensor"/> views share.
/// Each backend derives its own kind (managed arrays on the CPU, device buffers on a GPU).
/// </summary>
internal abstract class TensorStorage
{
    /// <summary>The device that owns this memory.</summary>
    public abstract Device Device { get; }

    /// <summary>The number of float32 elements the block holds.</summary>
    public abstract int Length { get; }
}
