using System;
using AutoDiffGen.Optim;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// Optimizer steps on ILGPU's CPU accelerator (the GPU's one-pass update kernels) against the SIMD CPU device, over
/// several steps so that the optimizer state (velocity, moments) carries over: a vector, a matrix, and, with
/// <c>strided</c>, transposed views that go through scratch and are scattered back.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class OptimizersOnGpuTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_with_momentum_matches_the_cpu(bool strided) =>
        Same(place => Train(place, new Sgd(learningRate: 0.05f, momentum: 0.9f)), strided);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_matches_the_cpu(bool strided) =>
        Same(place => Train(place, new Adam(learningRate: 0.01f)), strided);

    [Fact]
    public void Adam_refuses_to_be_recorded_because_its_corrections_change_every_step()
    {
        // What Device.Record sets on CUDA while it captures; on the CPU accelerator the ops still run as usual.
        var device = Device.IlgpuCpu;
        var backend = ((AutoDiffGen.Backends.Ilgpu.Tensors.IlgpuTensorDevice)device).IlgpuBackend;
        var model = new ParameterList(("w", Uniform(1, [3]).To(device)));
        var gradients = new ParameterList(("w", Uniform(2, [3]).To(device)));
        var adam = new Adam(learningRate: 0.01f);
        backend.RecordingStream = backend.DefaultStream;
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => adam.Step(model, gradients));
            Assert.Contains("Adam.Step", e.Message);
            Assert.Contains("ilgpu-cpu", e.Message);
            Assert.Equal(0, adam.StepCount);

            // Sgd's update is the same every step: recording it is fine.
            new Sgd(learningRate: 0.1f).Step(model, gradients);
        }
        finally
        {
            backend.RecordingStream = null;
        }

        adam.Step(model, gradients);
        Assert.Equal(1, adam.StepCount);
    }

    private static Tensor[] Train(Func<Tensor, Tensor> place, IOptimizer optimizer)
    {
        var model = new ParameterList(("w", place(Uniform(1, [7, 5]))), ("b", place(Uniform(2, [5]))));
        var gradients = new ParameterList(("w", place(Tensor.Zeros(7, 5))), ("b", place(Tensor.Zeros(5))));
        for (int step = 0; step < 4; step++)
        {
            // Fresh gradients each step, computed on the CPU and copied into the device tensors (views included).
            TensorOps.Copy(Uniform(10 + step, [7, 5]).To(gradients[0].Device), gradients[0]);
            TensorOps.Copy(Uniform(20 + step, [5]).To(gradients[1].Device), gradients[1]);
            optimizer.Step(model, gradients);
        }

        return [model[0], model[1]];
    }
}
