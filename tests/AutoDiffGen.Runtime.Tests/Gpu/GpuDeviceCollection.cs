using Xunit;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// The tests on <see cref="Device.IlgpuCpu"/>. They share the process-wide device, whose kernels compile once, and run
/// one after another: the CPU accelerator simulates every GPU thread, so running them in parallel only slows each down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GpuDeviceCollection
{
    public const string Name = "ILGPU tensor device";
}
