using System;
using System.Linq;
using AutoDiffGen.Nn;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// The generated backward pass of a [Differentiable] model, unchanged, on the GPU backend (ILGPU's CPU accelerator,
/// which runs the CUDA kernels' code): its planned buffers land on the inputs' device, and a few SGD steps follow the
/// CPU's losses and gradients (1e-4 relative: the devices sum in different orders).
/// </summary>
public sealed class GpuDeviceTrainingTests
{
    [Fact]
    public void The_generated_training_step_runs_on_the_gpu_device_and_follows_the_cpu()
    {
        var cpu = new SmallMlp(inputs: 24, hidden: 16, classes: 5, seed: 31);
        var gpu = new SmallMlp(inputs: 24, hidden: 16, classes: 5, seed: 31);
        var device = Device.IlgpuCpu;
        gpu.Hidden1 = new Dense(gpu.Hidden1.W.To(device), gpu.Hidden1.B.To(device));
        gpu.Hidden2 = new Dense(gpu.Hidden2.W.To(device), gpu.Hidden2.B.To(device));
        gpu.Wout = gpu.Wout.To(device);
        gpu.Bout = gpu.Bout.To(device);

        var random = new Random(32);
        Tensor x = Tensor.RandomNormal([12, 24], 33), labels = OneHot(Enumerable.Range(0, 12).Select(_ => random.Next(5)).ToArray(), 5);
        Tensor gpuX = x.To(device), gpuLabels = labels.To(device);
        SmallMlp.Gradients cpuGradients = cpu.CreateGradients(), gpuGradients = gpu.CreateGradients();
        Assert.All(gpuGradients.Parameters, g => Assert.Same(device, g.Value.Device));

        var losses = new float[3];
        for (int step = 0; step < losses.Length; step++)
        {
            float expected = cpu.LossGradient(x, labels, cpuGradients);
            float actual = gpu.LossGradient(gpuX, gpuLabels, gpuGradients);
            Assert.True(Math.Abs(actual - expected) <= 1e-4f * expected, $"step {step}: cpu loss {expected}, gpu loss {actual}");
            losses[step] = expected;
            foreach (var ((c, g), (p, q)) in cpuGradients.Parameters.Zip(gpuGradients.Parameters).Zip(cpu.Parameters.Zip(gpu.Parameters)))
            {
                AssertClose(c.Value.ToArray(), g.Value.ToArray(), $"step {step} gradient {c.Name}");
                AddScaled(p.Value, -0.2f, c.Value, p.Value);
                AddScaled(q.Value, -0.2f, g.Value, q.Value);
            }
        }

        Assert.True(losses[2] < losses[0], $"losses {string.Join(", ", losses)} did not fall");
        foreach (var (p, q) in cpu.Parameters.Zip(gpu.Parameters))
        {
            AssertClose(p.Value.ToArray(), q.Value.ToArray(), $"parameter {p.Name}");
        }
    }

    [Fact]
    public void Generated_fused_and_user_kernels_run_on_the_gpu_device()
    {
        // OpZoo's backward pass calls fused elementwise kernels; KernelNet's calls the user's activations.
        var device = Device.IlgpuCpu;
        var zoo = new OpZoo(seed: 41);
        var gpuZoo = new OpZoo(seed: 41) { A = zoo.A.To(device), B = zoo.B.To(device), Unused = zoo.Unused.To(device) };
        Tensor x = Tensor.RandomNormal([4, 3], 42), shift = Tensor.RandomNormal([4], 43);
        OpZoo.Gradients cpuGradients = zoo.CreateGradients(), gpuGradients = gpuZoo.CreateGradients();
        Tensor dShift = Tensor.Zeros(4), gpuDShift = Tensor.Zeros(device, 4);
        float expected = zoo.ObjectiveGradient(x, shift, cpuGradients, dShift);
        float actual = gpuZoo.ObjectiveGradient(x.To(device), shift.To(device), gpuGradients, gpuDShift);
        Assert.True(Math.Abs(actual - expected) <= 1e-4f * Math.Max(1f, Math.Abs(expected)), $"cpu {expected}, gpu {actual}");
        AssertClose(cpuGradients.A.ToArray(), gpuGradients.A.ToArray(), "dA");
        AssertClose(dShift.ToArray(), gpuDShift.ToArray(), "dShift");

        var net = new KernelNet(seed: 44);
        var gpuNet = new KernelNet(seed: 44) { W = net.W.To(device), B = net.B.To(device) };
        Tensor input = Tensor.RandomNormal([5, 4], 45);
        KernelNet.Gradients netGradients = net.CreateGradients(), gpuNetGradients = gpuNet.CreateGradients();
        float loss = net.LossGradient(input, netGradients);
        float gpuLoss = gpuNet.LossGradient(input.To(device), gpuNetGradients);
        Assert.True(Math.Abs(gpuLoss - loss) <= 1e-4f * Math.Max(1f, Math.Abs(loss)), $"cpu {loss}, gpu {gpuLoss}");
        AssertClose(netGradients.W.ToArray(), gpuNetGradients.W.ToArray(), "dW");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"{what}[{i}]: cpu {expected[i]}, gpu {actual[i]}");
        }
    }
}
