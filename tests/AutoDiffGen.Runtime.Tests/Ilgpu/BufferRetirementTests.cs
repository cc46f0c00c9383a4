using AutoDiffGen.Backends.Ilgpu;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// An outgrown workspace is freed, unless a recorded graph holds its address: then it must outlive the replacement,
/// or a replay would write through a dangling pointer. While recording, nothing may wait for the device either.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class BufferRetirementTests(CpuSimulatorFixture simulator)
{
    [Fact]
    public void An_outgrown_buffer_that_no_graph_uses_is_freed()
    {
        var retirement = new BufferRetirement();
        var buffer = simulator.Device.Allocate(16);
        retirement.Used(buffer);
        retirement.Retire(simulator.Stream, buffer);
        Assert.True(buffer.IsDisposed);
    }

    [Fact]
    public void A_buffer_handed_out_while_recording_is_kept_after_it_is_outgrown()
    {
        var retirement = new BufferRetirement();
        var recorded = simulator.Device.Allocate(16);
        var later = simulator.Device.Allocate(16);
        retirement.BeginRecording();
        retirement.Used(recorded);
        retirement.EndRecording();
        retirement.Used(later);

        retirement.Retire(simulator.Stream, recorded);
        retirement.Retire(simulator.Stream, later);

        Assert.False(recorded.IsDisposed);
        Assert.True(later.IsDisposed);
        retirement.Dispose();
        Assert.True(recorded.IsDisposed);
    }

    [Fact]
    public void A_buffer_outgrown_during_a_recording_is_kept_without_waiting()
    {
        var retirement = new BufferRetirement();
        var buffer = simulator.Device.Allocate(16);
        retirement.BeginRecording();
        retirement.Retire(simulator.Stream, buffer);
        retirement.EndRecording();
        Assert.False(buffer.IsDisposed);
        retirement.Dispose();
    }
}
