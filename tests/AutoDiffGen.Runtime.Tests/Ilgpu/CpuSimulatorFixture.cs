using System;
using AutoDiffGen.Backends.Ilgpu;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// One ILGPU CPU-simulator device shared by every ILGPU test: creating it and compiling kernels is
/// the slow part, so the tests share the compiled kernels and run one after another.
/// </summary>
public sealed class CpuSimulatorFixture : IDisposable
{
    public CpuSimulatorFixture()
    {
        Device = IlgpuDevice.Create(IlgpuDeviceKind.CpuSimulator);

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

    public void Dispose() => Device.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CpuSimulatorCollection : ICollectionFixture<CpuSimulatorFixture>
{
    public const string Name = "ILGPU CPU simulator";
}
