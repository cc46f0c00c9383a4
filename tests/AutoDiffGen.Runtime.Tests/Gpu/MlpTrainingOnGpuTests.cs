using System.Linq;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// A few SGD steps of an MNIST-shaped MLP on ILGPU's CPU accelerator follow the SIMD CPU device's loss trajectory
/// and end with the same weights (1e-4 relative: the devices sum products in different orders, and the differences
/// compound over the steps).
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class MlpTrainingOnGpuTests
{
    [Fact]
    public void Training_steps_on_the_gpu_device_follow_the_cpu_loss_trajectory()
    {
        // Short and narrow: the CPU accelerator simulates every GPU thread, so each step takes a while.
        const int steps = 4;
        var cpu = new MlpTrainingStep(Device.Cpu, batch: 16, hidden: [32, 16], batches: 2);
        var gpu = new MlpTrainingStep(UnderTest, batch: 16, hidden: [32, 16], batches: 2);
        float[] cpuLosses = Enumerable.Range(0, steps).Select(_ => cpu.Run()).ToArray();
        float[] gpuLosses = Enumerable.Range(0, steps).Select(_ => gpu.Run()).ToArray();

        for (int s = 0; s < steps; s++)
        {
            Assert.True(System.Math.Abs(gpuLosses[s] - cpuLosses[s]) <= 1e-4 * cpuLosses[s], $"step {s}: cpu loss {cpuLosses[s]}, gpu loss {gpuLosses[s]}");
        }

        // It trains: the loss on each of the two batches is lower the second time round.
        Assert.True(cpuLosses[2] < cpuLosses[0] && cpuLosses[3] < cpuLosses[1], $"losses {string.Join(", ", cpuLosses)} did not fall");
        for (int p = 0; p < cpu.Parameters.Length; p++)
        {
            Close(cpu.Parameters[p], gpu.Parameters[p], relative: 1e-4, absolute: 1e-5, what: $"parameter {p}");
        }
    }
}
