using System;
using System.Linq;
using Xunit;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// The generated GPU element structs of user activations, run by the runtime's grid-stride kernels on ILGPU's CPU
/// accelerator (the same compiler front end as CUDA), against the scalar function and its pullback: an odd length,
/// so the four-floats-per-access loop and the one-element tail both run.
/// </summary>
public sealed class GpuKernelTests
{
    [Theory]
    [InlineData("Swish")]
    [InlineData("LeakyRelu")]
    [InlineData("SoftSign")]
    [InlineData("SwishPlusHalf")]
    [InlineData("SumOfHarmonics")]
    public void GeneratedKernelsComputeTheFunctionAndItsPullback(string name)
    {
        Func<float, float> primal = name switch
        {
            "Swish" => Activations.Swish,
            "LeakyRelu" => Activations.LeakyRelu,
            "SwishPlusHalf" => Activations.SwishPlusHalf,
            "SumOfHarmonics" => Activations.SumOfHarmonics,
            _ => Activations.SoftSign,
        };
        Func<float, float, float> pullback = name switch
        {
            "Swish" => (x, s) => Activations.SwishPullback(x, s).Gradient,
            "LeakyRelu" => (x, s) => Activations.LeakyReluPullback(x, s).Gradient,
            "SwishPlusHalf" => (x, s) => Activations.SwishPlusHalfPullback(x, s).Gradient,
            "SumOfHarmonics" => (x, s) => Activations.SumOfHarmonicsPullback(x, s).Gradient,
            _ => (x, s) => Activations.SoftSignPullback(x, s).Gradient,
        };
        ElementwiseFunction function = name switch
        {
            "Swish" => Activations.SwishElementwise,
            "LeakyRelu" => Activations.LeakyReluElementwise,
            "SwishPlusHalf" => Activations.SwishPlusHalfElementwise,
            "SumOfHarmonics" => Activations.SumOfHarmonicsElementwise,
            _ => Activations.SoftSignElementwise,
        };
        Assert.True(function.HasGpuKernels);

        float[] xs = Enumerable.Range(0, 257).Select(i => (float)Math.Sin(i * 0.61) * 5f).ToArray();
        float[] seeds = Enumerable.Range(0, xs.Length).Select(i => 0.5f + i % 7).ToArray();
        Device device = Device.IlgpuCpu;
        Tensor x = Tensor.FromArray(xs, xs.Length).To(device), dy = Tensor.FromArray(seeds, seeds.Length).To(device);
        Tensor y = function.Apply(x);
        Tensor dx = Tensor.Full(device, 1f, xs.Length);
        function.Backward(dy, x, dx, accumulate: true);
        Assert.Same(device, y.Device);

        float[] values = y.ToArray(), gradients = dx.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(primal(xs[i]), values[i], 5);
            Assert.Equal(1f + pullback(xs[i], seeds[i]), gradients[i], 4);
        }

        function.Backward(dy, x, dx, accumulate: false);
        Assert.Equal(pullback(xs[200], seeds[200]), dx.ToArray()[200], 4);
    }
}
