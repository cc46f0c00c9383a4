using System;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// <see cref="Device.Record"/> where no CUDA graph can be made: the CPU devices keep the action and run it again on
/// each replay, and recording itself runs nothing. (On CUDA the GPU check script compares a replayed graph with the
/// direct step; generated steps are tested in the Functions tests' RecordedStepTests.)
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class DeviceGraphTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void Recording_runs_nothing_and_each_replay_runs_the_work_once(string deviceName)
    {
        var device = Device.FromName(deviceName);
        var counter = Tensor.Zeros(device, 4);
        var one = Tensor.Full(device, 1f, 4);
        int hostCalls = 0;

        using var graph = device.Record(() =>
        {
            hostCalls++;
            TensorOps.Add(counter, one, counter);
        });

        Assert.Equal(0, hostCalls);
        Assert.Equal(new float[4], counter.ToArray());
        Assert.False(graph.IsCaptured);
        Assert.Same(device, graph.Device);
        graph.Replay();
        graph.Replay();
        graph.Replay();
        Assert.Equal(new[] { 3f, 3f, 3f, 3f }, counter.ToArray());
        Assert.Equal(3, hostCalls);
    }

    [Fact]
    public void Recording_needs_work()
    {
        Assert.Throws<ArgumentNullException>(() => Device.Cpu.Record(null!));
        Assert.Throws<ArgumentNullException>(() => Device.IlgpuCpu.Record(null!));
    }

    [Fact]
    public void Without_a_cuda_driver_the_graph_api_says_why_it_is_missing()
    {
        // This test machine has no NVIDIA driver; where one is installed, the API loads and there is nothing to check.
        if (CudaGraphApi.TryLoad(out string? failure) is null)
        {
            Assert.NotNull(failure);
            Assert.Contains("graph API", failure);
        }
    }
}
