using System;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// The ILGPU CPU-simulator device shared by every ILGPU test: the one behind the process-wide
/// <see cref="AutoDiffGen.Device.IlgpuCpu"/> tensor device, so kernels compile once for the kernel-layer tests and the
/// tensor tests (Gpu/) alike. It lives as long as the process. All of them share one collection and so run one after
/// another: the simulator is CPU-bound anyway, and tests that read shared state (allocation counts) stay exact.
/// </summary>
public sealed class CpuSimulatorFixture : IDisposable
{
    public CpuSimulatorFixture()
    {
        Device = ((IlgpuTensorDevice)AutoDiffGen.Device.IlgpuCpu).Kernels;

        // Three groups at most, so even small inputs take several turns of the grid-stride loops.
        Device.Geometry.MaxGridGroups = 3;
    }

    public IlgpuDevice Device { get; }

    public AcceleratorStream Stream => Device.Accelerator.DefaultStream;

    public MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] values)
    {
        var buffer = Device.Allocate(values.Length);
        buffer.View.CopyFromCPU(values);
        return buffer;
    }

    public float[] Download(ArrayView1D<float, Stride1D.Dense> view)
    {
        Device.Synchronize();
        return view.GetAsArray1D();
    }

    // The device belongs to the process-wide tensor device; other tests still use it.
    public void Dispose()
    {
    }
}

[CollectionDefinition(Name)]
public sealed class CpuSimulatorCollection : ICollectionFixture<CpuSimulatorFixture>
{
    public const string Name = "ILGPU CPU simulator";
}
