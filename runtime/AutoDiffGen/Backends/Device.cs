using System;
using System.Diagnostics.CodeAnalysis;
using AutoDiffGen.Backends.Ilgpu.Tensors;

namespace AutoDiffGen;

/// <summary>
/// Where a <see cref="Tensor"/>'s memory lives and where the ops on it run. Every op requires all of its
/// tensors to be on one device and throws an <see cref="System.ArgumentException"/> naming both devices otherwise;
/// moving a tensor is explicit (<see cref="Tensor.To"/>).
/// </summary>
/// <remarks>
/// <para>
/// The devices: <see cref="Cpu"/> (SIMD, multi-threaded), <see cref="Cuda"/> (an NVIDIA GPU through ILGPU) and
/// <see cref="IlgpuCpu"/> (ILGPU's CPU accelerator: the GPU kernels on the CPU, slowly, for tests). Each is one
/// process-wide instance, created on first use. <see cref="Default"/> is the device a program should create its
/// tensors on: CUDA when usable, else the CPU, unless the <c>AUTODIFFGEN_DEVICE</c> environment variable or code
/// setting <see cref="Default"/> says otherwise.
/// </para>
/// <para>
/// A device owns one backend that allocates storage and runs kernels; adding a device means adding a backend, not
/// touching <see cref="TensorOps"/> or <see cref="TensorGradients"/>, which validate shapes once for every device and
/// then dispatch. Work on a GPU is queued and runs asynchronously; reading values back (<see cref="Tensor.ToArray"/>,
/// <see cref="Tensor.ToScalar"/>) waits for it.
/// </para>
/// </remarks>
public abstract partial class Device
{
    internal Device()
    {
    }

    /// <summary>The SIMD, multi-threaded CPU device. Tensors are created here unless another device is named.</summary>
    public static Device Cpu => Backends.Cpu.CpuDevice.Instance;

    /// <summary>
    /// The first NVIDIA GPU, through ILGPU's CUDA backend. Creating it loads the driver and a CUDA context once per
    /// process; kernels compile on first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable CUDA GPU (the message says why); see <see cref="IsCudaAvailable"/>.</exception>
    public static Device Cuda => IlgpuDevices.TryGetCuda(out string? failure)
        ?? throw new InvalidOperationException($"Device.Cuda: no usable CUDA GPU ({failure}). Use Device.Cpu, or Device.Default to fall back automatically.");

    /// <summary>Whether <see cref="Cuda"/> is usable here: an NVIDIA GPU and driver that ILGPU can load.</summary>
    public static bool IsCudaAvailable => IlgpuDevices.TryGetCuda(out _) is not null;

    /// <summary>
    /// ILGPU's CPU accelerator: it runs the GPU kernels in simulated warps and groups on the CPU. Slow (use small
    /// tensors); meant for testing GPU code paths on machines without a GPU.
    /// </summary>
    public static Device IlgpuCpu => IlgpuDevices.CpuAccelerator;

    /// <summary><see cref="Cuda"/> when a CUDA GPU is usable, otherwise <see cref="Cpu"/>; ignores the environment variable.</summary>
    public static Device Auto => IlgpuDevices.TryGetCuda(out _) ?? Cpu;

    /// <summary>
    /// The device programs should put their tensors on. In order: the device set here in code; else the one the
    /// <c>AUTODIFFGEN_DEVICE</c> environment variable names (<c>cpu</c>, <c>cuda</c>, <c>ilgpu-cpu</c> or <c>auto</c>);
    /// else <see cref="Auto"/>. Setting null returns to the environment variable and automatic choice.
    /// <see cref="DefaultSelection"/> says which rule picked it.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Reading it when the environment variable names an unknown device, or <c>cuda</c> on a machine without a usable GPU.
    /// </exception>
    [AllowNull]
    public static Device Default
    {
        get => DeviceSelection.Current.Device;
        set => DeviceSelection.Override(value);
    }

    /// <summary>
    /// How <see cref="Default"/> was chosen, for logs: e.g. <c>set in code</c>, <c>AUTODIFFGEN_DEVICE=cuda</c>, or
    /// <c>automatic: no usable CUDA GPU (…)</c>.
    /// </summary>
    public static string DefaultSelection => DeviceSelection.Current.Reason;

    /// <summary>A short, stable name for messages: <c>cpu</c>, <c>cuda</c> or <c>ilgpu-cpu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description of the hardware, e.g. <c>cuda: Cuda NVIDIA H200 (SM_90, 132 SMs, 139.8 GiB)</c>.</summary>
    public virtual string Description => Name;

    /// <summary>Whether the device is a GPU (its ops run asynchronously in device memory).</summary>
    public virtual bool IsGpu => false;

    /// <summary>True while <see cref="Record"/> captures this device's work: host code that runs now runs once, not per replay.</summary>
    internal virtual bool IsRecording => false;

    /// <summary>The kernels and storage allocator of this device.</summary>
    internal abstract ITensorBackend Backend { get; }

    /// <summary>
    /// The device with the given name: <c>cpu</c>, <c>cuda</c>, <c>ilgpu-cpu</c>, or <c>auto</c> for <see cref="Auto"/>
    /// (case-insensitive).
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    /// <exception cref="InvalidOperationException">The name is <c>cuda</c> and no CUDA GPU is usable.</exception>
    public static Device FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "cpu" => Cpu,
            "cuda" => Cuda,
            "ilgpu-cpu" => IlgpuCpu,
            "auto" => Auto,
            _ => throw new ArgumentException($"Device.FromName: unknown device '{name}'; use cpu, cuda, ilgpu-cpu or auto.", nameof(name)),
        };
    }

    /// <summary>Waits until all work queued on this device has finished (nothing to wait for on the CPU). For timing.</summary>
    public virtual void Synchronize()
    {
    }

    /// <summary>
    /// Records the device work that <paramref name="work"/> queues, so that <see cref="DeviceGraph.Replay"/> queues all
    /// of it again with one call. On CUDA the work is captured as a CUDA graph; elsewhere a replay calls
    /// <paramref name="work"/> again. Recording runs nothing: on CUDA the kernels are captured, not executed, and
    /// elsewhere the action is only kept.
    /// </summary>
    /// <param name="work">
    /// Queues device work on this device's tensors, e.g. a generated <c>LossGradientOnDevice</c> call and an optimizer
    /// update. Run it once before recording, so that its buffers are allocated and its kernels compiled. It must not read
    /// values back (<see cref="Tensor.ToScalar"/>, <see cref="Tensor.ToArray"/>) or wait for the device, and host code in
    /// it runs only once on CUDA, while recording. Use no other thread on this device while recording.
    /// </param>
    /// <returns>The recorded work; dispose it to release the graph.</returns>
    /// <exception cref="InvalidOperationException">
    /// On CUDA, the work did something a capture cannot hold (the message names it). Exceptions of the work itself (a
    /// shape mismatch) propagate unchanged: on CUDA from this call, elsewhere from the replay.
    /// </exception>
    public virtual DeviceGraph Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new DeviceGraph(this, work, $"{Name}: each replay runs the recorded action again");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
