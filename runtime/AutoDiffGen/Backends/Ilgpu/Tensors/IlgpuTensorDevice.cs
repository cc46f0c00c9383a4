using System;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// A <see cref="Device"/> backed by an ILGPU accelerator: <see cref="Device.Cuda"/> on an NVIDIA GPU, or
/// <see cref="Device.IlgpuCpu"/>, ILGPU's CPU accelerator, which runs the same kernels slowly for tests.
/// Process-wide: created once on first use and never disposed (the driver frees everything at exit).
/// </summary>
internal sealed class IlgpuTensorDevice : Device
{
    private readonly IlgpuBackend _backend;

    public IlgpuTensorDevice(string name, IlgpuDevice kernels)
    {
        Name = name;
        Kernels = kernels;
        _backend = new IlgpuBackend(this, kernels);
    }

    public override string Name { get; }

    public override string Description => $"{Name}: {Kernels.Name}";

    public override bool IsGpu => Kernels.IsGpu;

    /// <summary>The accelerator and its kernel sets.</summary>
    public IlgpuDevice Kernels { get; }

    internal override ITensorBackend Backend => _backend;

    internal override bool IsRecording => _backend.RecordingStream is not null;

    internal IlgpuBackend IlgpuBackend => _backend;

    public override void Synchronize() => Kernels.Accelerator.DefaultStream.Synchronize();

    /// <summary>On a CUDA GPU, captures the work as a CUDA graph; on ILGPU's CPU accelerator, replays the action.</summary>
    public override DeviceGraph Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Kernels.IsGpu ? CudaGraphRecorder.Record(this, _backend, work) : base.Record(work);
    }
}
