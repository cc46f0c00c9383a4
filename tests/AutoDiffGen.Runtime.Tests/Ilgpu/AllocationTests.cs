using System;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using AutoDiffGen.Backends.Ilgpu.Gemm;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// The op layer must not allocate per call once its kernels are loaded. ILGPU's CPU simulator
/// itself allocates a little per launch (the CUDA launcher does not), so each wrapper call is
/// compared with a bare launch of the same cached kernel, measured the same way.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class AllocationTests(CpuSimulatorFixture fixture)
{
    [Fact]
    public void Gemm_call_allocates_no_more_than_a_bare_kernel_launch()
    {
        // 64 columns: the wide kernel (32 or fewer go to the narrow one); K = 16 is too short to split.
        using var a = fixture.Device.Allocate(64 * 16);
        using var b = fixture.Device.Allocate(16 * 64);
        using var c = fixture.Device.Allocate(64 * 64);
        var device = fixture.Device;
        void Wrapped() => device.Gemm.Gemm(fixture.Stream, false, false, 64, 64, 16, 1f, a.View, b.View, 0f, c.View);

        // Both views are aligned and 64 is a multiple of four: the vector/vector kernel, index 2.
        var bare = device.Gemm.Kernel(2);
        var args = new GemmArguments { M = 64, N = 64, K = 16, Alpha = 1f, VectorStoreC = 1, KChunk = 16 };
        var config = new KernelConfig(new Index3D(1, 1, 1), new Index3D(LaunchGeometry.GroupSize, 1, 1));
        void Bare() => bare(fixture.Stream, config, a.View.BaseView, b.View.BaseView, c.View.BaseView, c.View.BaseView, args);

        Assert.Equal(Measure(Bare), Measure(Wrapped));
    }

    [Fact]
    public void Binary_call_allocates_no_more_than_a_bare_kernel_launch()
    {
        using var a = fixture.Device.Allocate(64);
        using var b = fixture.Device.Allocate(8);
        using var c = fixture.Device.Allocate(64);
        var device = fixture.Device;
        void Wrapped() => device.Elementwise.Binary(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Multiply, a.View, b.View, c.View, 8, 8);

        var bare = device.Elementwise.BinaryKernel(global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Multiply);
        var args = new ElementwiseArguments { Length = 64, Cols = 8, BroadcastB = 1, Vector = 1 };
        var config = device.Geometry.GridStride(16);
        void Bare() => bare(fixture.Stream, config, a.View.BaseView, b.View.BaseView, c.View.BaseView, args);

        Assert.Equal(Measure(Bare), Measure(Wrapped));
    }

    private long Measure(Action launch)
    {
        // Warm up: kernel loading, the stream's first use, JIT of the delegates.
        launch();
        launch();
        fixture.Device.Synchronize();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            launch();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        fixture.Device.Synchronize();
        return allocated;
    }
}
