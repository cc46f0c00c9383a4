namespace AutoDiffGen;

/// <summary>
/// Where a <see cref="Tensor"/>'s memory lives and where the ops on it run. Every op requires all of its
/// tensors to be on one device and throws an <see cref="System.ArgumentException"/> naming both devices otherwise.
/// </summary>
/// <remarks>
/// A device owns one backend that allocates storage and runs kernels; adding a device (a GPU) means adding a
/// backend, not touching <see cref="TensorOps"/> or <see cref="TensorGradients"/>, which validate shapes once for
/// every device and then dispatch.
/// </remarks>
public abstract class Device
{
    internal Device()
    {
    }

    /// <summary>The SIMD, multi-threaded CPU device. Tensors are created here unless another device is named.</summary>
    public static Device Cpu => Backends.Cpu.CpuDevice.Instance;

    /// <summary>A short, stable name for messages, such as <c>cpu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The kernels and storage allocator of this device.</summary>
    internal abstract ITensorBackend Backend { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
