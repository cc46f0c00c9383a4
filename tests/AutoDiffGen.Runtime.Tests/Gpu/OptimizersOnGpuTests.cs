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
