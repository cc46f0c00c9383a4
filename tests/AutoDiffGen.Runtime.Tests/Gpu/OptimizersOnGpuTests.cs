using System;
using System.Linq;
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
    public void Plain_sgd_matches_the_cpu(bool strided) =>
        Same(place => Train(place, new Sgd(learningRate: 0.05f)), strided);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plain_sgd_over_more_tensors_than_one_launch_takes_updates_every_one(bool strided)
    {
        // Eleven tensors of different lengths (one empty): the fused descent kernel takes eight per launch, so this needs
        // two, and each tensor must get its own gradient, at its own offset, and nothing else.
        int[][] shapes = [[7, 5], [5], [3, 4], [1], [0], [6], [2, 9], [4, 4], [13], [3, 1, 2], [8]];
        Same(
            place =>
            {
                var model = new ParameterList(shapes.Select((shape, i) => ($"p{i}", place(Uniform(100 + i, shape)))).ToArray());
                var gradients = new ParameterList(shapes.Select((shape, i) => ($"p{i}", place(Uniform(200 + i, shape)))).ToArray());
                var sgd = new Sgd(learningRate: 0.25f);
                sgd.Step(model, gradients);
                sgd.Step(model, gradients);
                return model.Parameters.Select(p => p.Value).ToArray();
            },
            strided);
    }

    [Fact]
    public void Plain_sgd_updates_a_tensor_listed_twice_once_per_listing_as_the_cpu_does()
    {
        // Tied weights: one tensor under two names, and a third pair whose gradient is that tensor. The fused launch must
        // not update it twice at once, nor read it half-updated.
        Same(place =>
        {
            Tensor tied = place(Uniform(30, [6, 4]));
            var model = new ParameterList(("a", tied), ("b", place(Uniform(31, [5]))), ("c", tied), ("d", place(Uniform(32, [6, 4]))));
            var gradients = new ParameterList(
                ("a", place(Uniform(33, [6, 4]))), ("b", place(Uniform(34, [5]))), ("c", place(Uniform(35, [6, 4]))), ("d", tied));
            new Sgd(learningRate: 0.5f).Step(model, gradients);
            return [tied, model[1], model[3]];
        });
    }

    [Fact]
    public void Plain_sgd_with_parameters_on_two_devices_names_both()
    {
        var model = new ParameterList(("w", Uniform(1, [3])), ("b", Uniform(2, [3]).To(Device.IlgpuCpu)));
        var gradients = new ParameterList(("w", Uniform(3, [3])), ("b", Uniform(4, [3])));

        var e = Assert.Throws<ArgumentException>(() => new Sgd(learningRate: 0.1f).Step(model, gradients));

        Assert.Contains("ilgpu-cpu", e.Message);
        Assert.Contains("cpu", e.Message);
    }

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
