using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Xunit;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// The generated ILGPU kernels of user activations, compiled and run by ILGPU's CPU accelerator (the
/// same compiler front end as CUDA), against the scalar function and its pullback.
/// </summary>
public sealed class GpuKernelTests : IDisposable
{
    private readonly Context _context = Context.Create(builder => builder.CPU().EnableAlgorithms());
    private readonly Accelerator _accelerator;

    public GpuKernelTests()
    {
        _accelerator = _context.CreateCPUAccelerator(0);
    }

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }

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
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> forward = name switch
        {
            "Swish" => Activations.SwishForwardKernel,
            "LeakyRelu" => Activations.LeakyReluForwardKernel,
            "SwishPlusHalf" => Activations.SwishPlusHalfForwardKernel,
            "SumOfHarmonics" => Activations.SumOfHarmonicsForwardKernel,
            _ => Activations.SoftSignForwardKernel,
        };
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> backward = name switch
        {
            "Swish" => Activations.SwishBackwardKernel,
            "LeakyRelu" => Activations.LeakyReluBackwardKernel,
            "SwishPlusHalf" => Activations.SwishPlusHalfBackwardKernel,
            "SumOfHarmonics" => Activations.SumOfHarmonicsBackwardKernel,
            _ => Activations.SoftSignBackwardKernel,
        };

        float[] xs = Enumerable.Range(0, 257).Select(i => (float)Math.Sin(i * 0.61) * 5f).ToArray();
        float[] seeds = Enumerable.Range(0, xs.Length).Select(i => 0.5f + i % 7).ToArray();
        using var x = _accelerator.Allocate1D(xs);
        using var dy = _accelerator.Allocate1D(seeds);
        using var y = _accelerator.Allocate1D<float>(xs.Length);
        using var dx = _accelerator.Allocate1D(Enumerable.Repeat(1f, xs.Length).ToArray());
        _accelerator.LoadAutoGroupedStreamKernel(forward)((int)x.Length, x.View, y.View);
        _accelerator.LoadAutoGroupedStreamKernel(backward)((int)x.Length, x.View, dy.View, dx.View, 1);
        _accelerator.Synchronize();

        float[] values = y.GetAsArray1D(), gradients = dx.GetAsArray1D();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(primal(xs[i]), values[i], 5);
            Assert.Equal(1f + pullback(xs[i], seeds[i]), gradients[i], 4);
        }
    }
}
