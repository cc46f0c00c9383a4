using System;
using AutoDiffGen.Backends.Ilgpu.Strided;
using AutoDiffGen.Backends.Ilgpu.Tensors;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using ILGPU.Runtime;
using ILGPU;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;
using Grad = AutoDiffGen.TensorGradients;
using KernelUnaryOp = AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp;
using Ops = AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// The tensor ops of the GPU device allocate nothing on the host per call once warm: each is compared with bare
/// launches of the kernels it queues, measured the same way, because ILGPU's CPU accelerator itself allocates a little
/// per launch (its CUDA launcher does not). The GPU check reports the bytes per training step on CUDA itself.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class GpuAllocationTests
{
    private static readonly IlgpuBackend Backend = ((IlgpuTensorDevice)UnderTest).IlgpuBackend;
    private readonly Tensor _x = Uniform(70, [8, 24]).To(UnderTest);
    private readonly Tensor _w = Uniform(71, [24, 12]).To(UnderTest);
    private readonly Tensor _b = Uniform(72, [12]).To(UnderTest);
    private readonly Tensor _y = Tensor.Zeros(UnderTest, 8, 12);
    private readonly Tensor _dy = Uniform(73, [8, 12]).To(UnderTest);

    private static AcceleratorStream Stream => Backend.Stream;

    [Fact]
    public void Dense_and_its_backward_queue_only_their_kernels()
    {
        var dx = Tensor.ZerosLike(_x);
        var dw = Tensor.ZerosLike(_w);
        var db = Tensor.ZerosLike(_b);
        var gemm = Backend.Kernels.Gemm;
        Assert.Equal(
            Measure(() => gemm.Run(Stream, false, false, 8, 12, 24, 1f, View(_x), View(_w), 0f, View(_y), View(_b))),
            Measure(() => Ops.Dense(_x, _w, _b, _y)));
        Assert.Equal(
            Measure(() =>
            {
                gemm.Run(Stream, false, true, 8, 24, 12, 1f, View(_dy), View(_w), 0f, View(dx), null);
                gemm.Run(Stream, true, false, 24, 12, 8, 1f, View(_x), View(_dy), 0f, View(dw), null);
                Backend.Kernels.Reductions.OverRows(Stream, false, View(_dy), View(db), 8, 12, 1f, false);
            }),
            Measure(() => Grad.Dense(_dy, _x, _w, dx, dw, db, accumulate: false)));
    }

    [Fact]
    public void Elementwise_updates_and_reductions_queue_only_their_kernels()
    {
        var loss = Tensor.Scalar(UnderTest, 0f);
        var layout = TensorLayouts.Elementwise(_w, _w, _w);
        layout.Scalar = -0.1f;
        var w = View(_w).BaseView;
        Assert.Equal(
            Measure(() => Backend.Kernels.Elementwise.Unary(Stream, KernelUnaryOp.Relu, View(_y), View(_dy))),
            Measure(() => Ops.Relu(_y, _dy)));
        Assert.Equal(
            Measure(() => Backend.Kernels.Strided.Apply<AddScaledOp>(Stream, w, w, w, w, layout)),
            Measure(() => Ops.AddScaled(_w, -0.1f, _w, _w)));
        Assert.Equal(
            Measure(() => Backend.Kernels.Reductions.Full(Stream, false, View(_y), View(loss), 1f / _y.Length, false)),
            Measure(() => Ops.Mean(_y, loss)));
    }

    [Fact]
    public void Cross_entropy_and_user_kernels_queue_only_their_kernels()
    {
        var labels = Ops.Softmax(_dy);
        var rows = Tensor.Zeros(UnderTest, 8);
        var softmax = Tensor.ZerosLike(_y);
        var dlogits = Tensor.ZerosLike(_y);
        var softmaxKernels = Backend.Kernels.Softmax;
        Assert.Equal(
            Measure(() => softmaxKernels.SoftmaxCrossEntropy(Stream, View(_y), View(labels), View(rows), View(softmax), 8, 12)),
            Measure(() => Ops.SoftmaxCrossEntropy(_y, labels, rows, softmax)));
        Assert.Equal(
            Measure(() => softmaxKernels.SoftmaxCrossEntropyGradientFromSoftmax(Stream, View(softmax), View(labels), View(rows), View(dlogits), 8, 12, false)),
            Measure(() => Grad.SoftmaxCrossEntropy(rows, _y, labels, softmax, dlogits, accumulate: false)));

        var launcher = Backend.UserKernels.Forward(Halve);
        Assert.Equal(
            Measure(() => launcher(Stream, _y.Length, View(_y), View(dlogits))),
            Measure(() => GpuKernels.LaunchElementwise(Halve, _y, dlogits)));

        var halve = ElementwiseFunction.Create<HalveElement>("Halve", static (x, y) => { }, static (x, dy, dx, accumulate) => { });
        Assert.Equal(
            Measure(() => Backend.UserKernels.FunctionForward<HalveElement>(Stream, View(_y), View(dlogits))),
            Measure(() => halve.Apply(_y, dlogits)));
        Assert.Equal(
            Measure(() => Backend.UserKernels.FunctionBackward<HalveElement>(Stream, View(_y), View(_dy), View(dlogits), accumulate: true)),
            Measure(() => halve.Backward(_dy, _y, dlogits, accumulate: true)));
    }

    private static ArrayView1D<float, Stride1D.Dense> View(Tensor tensor) => IlgpuBackend.DenseView(tensor);

    private static void Halve(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y) => y[i] = 0.5f * x[i];

    /// <summary>x / 2 at one element, as the generator emits element structs.</summary>
    private readonly struct HalveElement : IElementwiseKernelFunction
    {
        public float Forward(float x) => 0.5f * x;

        public float Backward(float x, float dy) => 0.5f * dy;
    }

    private static long Measure(Action work)
    {
        // Warm up: kernel loading, first use of scratch and of the delegates.
        work();
        work();
        UnderTest.Synchronize();

        // The least of several rounds: when the machine is busy, the simulator's waits for its threads sometimes take
        // a path that allocates, which only ever adds bytes; an allocation of our own shows in every round.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                work();
            }

            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / 5);
            UnderTest.Synchronize();
        }

        return least;
    }
}
