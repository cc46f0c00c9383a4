using System;
using System.Linq;
using AutoDiffGen.Backends.Ilgpu.Tensors;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using ILGPU.Runtime;
using ILGPU;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>Launching elementwise kernels written outside the runtime (as the generator emits them) on GPU tensors.</summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class GpuKernelsTests
{
    private static readonly ElementwiseFunction Cube = new("Cube", CubeSpans, CubeBackwardSpans, CubeKernel, CubeBackwardKernel);
    private static readonly ElementwiseFunction CpuOnlyCube = new("CpuOnlyCube", CubeSpans, CubeBackwardSpans);
    private static readonly ElementwiseFunction CubeOfElements = ElementwiseFunction.Create<CubeElement>("CubeOfElements", CubeSpans, CubeBackwardSpans);

    [Fact]
    public void Kernels_run_on_gpu_tensors_forward_and_backward_with_accumulation()
    {
        var values = Uniform(60, [3, 37]);
        var seeds = Uniform(61, [3, 37]);
        var x = values.To(UnderTest);
        var y = Tensor.ZerosLike(x);
        GpuKernels.LaunchElementwise(CubeKernel, x, y);
        var dx = Tensor.Full(UnderTest, 1f, 3, 37);
        GpuKernels.LaunchElementwiseBackward(CubeBackwardKernel, x, seeds.To(UnderTest), dx, accumulate: true);

        float[] v = values.ToArray(), s = seeds.ToArray(), forward = y.ToArray(), backward = dx.ToArray();
        for (int i = 0; i < v.Length; i++)
        {
            Assert.Equal(v[i] * v[i] * v[i], forward[i], 6);
            Assert.Equal(1f + (3f * v[i] * v[i] * s[i]), backward[i], 6);
        }

        GpuKernels.LaunchElementwiseBackward(CubeBackwardKernel, x, seeds.To(UnderTest), dx, accumulate: false);
        Assert.Equal(3f * v[5] * v[5] * s[5], dx.ToArray()[5], 6);
    }

    [Fact]
    public void An_elementwise_function_with_gpu_kernels_gives_the_cpu_results_on_a_gpu_device()
    {
        Assert.True(Cube.HasGpuKernels);
        Assert.False(CpuOnlyCube.HasGpuKernels);
        Same(place =>
        {
            var x = place(Uniform(62, [5, 9]));
            var y = Cube.Apply(x);
            var dx = TensorOps.Fill(Tensor.ZerosLike(x), 0.5f);
            Cube.Backward(place(Uniform(63, [5, 9])), x, dx, accumulate: true);
            return [y, dx];
        }, strided: true);
    }

    [Fact]
    public void An_element_struct_gives_the_cpu_results_on_a_gpu_device()
    {
        Assert.True(CubeOfElements.HasGpuKernels);
        Same(place =>
        {
            var x = place(Uniform(64, [7, 9]));
            var y = CubeOfElements.Apply(x);
            var dx = TensorOps.Fill(Tensor.ZerosLike(x), 0.5f);
            CubeOfElements.Backward(place(Uniform(65, [7, 9])), x, dx, accumulate: true);
            var overwritten = TensorOps.Fill(Tensor.ZerosLike(x), 0.5f);
            CubeOfElements.Backward(place(Uniform(65, [7, 9])), x, overwritten, accumulate: false);
            return [y, dx, overwritten];
        }, strided: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Element_struct_kernels_move_four_floats_per_access_on_aligned_views_and_one_otherwise(bool aligned)
    {
        // 1037 = 4 * 259 + 1: the float4 loop and a one-element tail; an offset of one float forces the scalar loop.
        const int length = 1037;
        int offset = aligned ? 0 : 1;
        var backend = ((IlgpuTensorDevice)UnderTest).IlgpuBackend;
        float[] values = Uniform(66, [length]).ToArray(), seeds = Uniform(67, [length]).ToArray();
        using var xBuffer = backend.Kernels.Allocate(length + offset);
        using var yBuffer = backend.Kernels.Allocate(length + offset);
        using var dyBuffer = backend.Kernels.Allocate(length + offset);
        using var dxBuffer = backend.Kernels.Allocate(length + offset);
        var x = xBuffer.View.SubView(offset, length);
        var y = yBuffer.View.SubView(offset, length);
        var dy = dyBuffer.View.SubView(offset, length);
        var dx = dxBuffer.View.SubView(offset, length);
        x.CopyFromCPU(values);
        dy.CopyFromCPU(seeds);
        dx.CopyFromCPU(Enumerable.Repeat(1f, length).ToArray());

        backend.UserKernels.FunctionForward<CubeElement>(backend.Stream, x, y);
        backend.UserKernels.FunctionBackward<CubeElement>(backend.Stream, x, dy, dx, accumulate: true);
        backend.Stream.Synchronize();
        float[] forward = y.GetAsArray1D(), backward = dx.GetAsArray1D();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(values[i] * values[i] * values[i], forward[i], 6);
            Assert.Equal(1f + (3f * values[i] * values[i] * seeds[i]), backward[i], 5);
        }
    }

    [Fact]
    public void Launches_check_devices_shapes_layouts_and_kernels()
    {
        var gpu = Tensor.Ones(UnderTest, 2, 3);
        Assert.Equal(
            "LaunchElementwise: kernel CubeKernel runs on GPU devices (cuda, ilgpu-cpu), but the tensor [2,3] is on cpu; use the CPU form of the function there, or move the tensor with To(Device.Cuda).",
            Assert.Throws<NotSupportedException>(() => GpuKernels.LaunchElementwise(CubeKernel, Tensor.Ones(2, 3), Tensor.Ones(2, 3))).Message);
        Assert.Equal(
            "LaunchElementwise: tensors are on different devices (ilgpu-cpu and cpu); move them to one device first.",
            Assert.Throws<ArgumentException>(() => GpuKernels.LaunchElementwise(CubeKernel, gpu, Tensor.Ones(2, 3))).Message);
        Assert.Equal(
            "LaunchElementwiseBackward: dx has shape [3,2] but x has shape [2,3]; they must match.",
            Assert.Throws<ArgumentException>(() => GpuKernels.LaunchElementwiseBackward(CubeBackwardKernel, gpu, gpu, Tensor.Ones(UnderTest, 3, 2), false)).Message);
        Assert.StartsWith(
            "LaunchElementwise: y [3,2] is a strided view; kernels read elements densely. Pass y.Contiguous().",
            Assert.Throws<ArgumentException>(() => GpuKernels.LaunchElementwise(CubeKernel, Tensor.Ones(UnderTest, 3, 2), gpu.Transpose())).Message);

        float factor = 2f;
        var error = Assert.Throws<ArgumentException>(() => GpuKernels.LaunchElementwise((i, a, b) => b[i] = factor * a[i], gpu, gpu));
        Assert.Contains("must be a static method (no instance, no captured variables)", error.Message);

        Assert.Equal(
            "CpuOnlyCube: the tensor [2,3] is on ilgpu-cpu, but CpuOnlyCube has no GPU kernels (the generator emits them only for bodies that need no tape or scratch arrays). Move the tensor with To(Device.Cpu), or simplify CpuOnlyCube.",
            Assert.Throws<NotSupportedException>(() => CpuOnlyCube.Apply(gpu)).Message);
        Assert.StartsWith(
            "CubeOfElements: dx [2,3] is a strided view; kernels read elements densely. Pass dx.Contiguous().",
            Assert.Throws<ArgumentException>(() => CubeOfElements.Backward(gpu, gpu, Tensor.Ones(UnderTest, 3, 2).Transpose(), accumulate: false)).Message);
    }

    /// <summary>x³ at one element, as a struct the runtime's grid-stride kernels run (the form the generator emits).</summary>
    private readonly struct CubeElement : IElementwiseKernelFunction
    {
        public float Forward(float x) => x * x * x;

        public float Backward(float x, float dy) => 3f * x * x * dy;
    }

    private static void CubeKernel(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y) => y[i] = x[i] * x[i] * x[i];

    private static void CubeBackwardKernel(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> dy, ArrayView1D<float, Stride1D.Dense> dx, int accumulate)
    {
        float gradient = 3f * x[i] * x[i] * dy[i];
        dx[i] = accumulate != 0 ? dx[i] + gradient : gradient;
    }

    private static void CubeSpans(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * x[i] * x[i];
        }
    }

    private static void CubeBackwardSpans(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float gradient = 3f * x[i] * x[i] * dy[i];
            dx[i] = accumulate ? dx[i] + gradient : gradient;
        }
    }
}
