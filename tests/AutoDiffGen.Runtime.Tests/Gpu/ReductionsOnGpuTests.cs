using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;
using Grad = AutoDiffGen.TensorGradients;
using Ops = AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// Reductions, softmax, cross-entropy and classification on ILGPU's CPU accelerator against the SIMD CPU device:
/// all axes, leading and trailing axes (the dense kernels), middle axes and views (the strided kernels), keep-dims,
/// accumulate, and the max-routing backward. Tolerance 1e-5 relative plus 1e-6 absolute.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class ReductionsOnGpuTests
{
    [Theory]
    [InlineData(new int[0], false)]
    [InlineData(new[] { 2 }, false)]
    [InlineData(new[] { 0 }, true)]
    [InlineData(new[] { 0, 1 }, false)]
    [InlineData(new[] { 1 }, true)]
    [InlineData(new[] { 0, 2 }, false)]
    [InlineData(new[] { 1, 2 }, false)]
    public void Sum_mean_max_and_their_gradients_match_the_cpu(int[] axes, bool keepDims)
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var x = place(Uniform(40, [4, 6, 5]));
                bool all = axes.Length == 0;
                var sum = all ? Ops.Sum(x) : Ops.Sum(x, axes, keepDims);
                var mean = all ? Ops.Mean(x) : Ops.Mean(x, axes, keepDims);
                var max = all ? Ops.Max(x) : Ops.Max(x, axes, keepDims);
                var dy = place(Uniform(41, sum.Shape.ToArray()));
                var dSum = Ops.Fill(Tensor.ZerosLike(x), 1f);
                var dMean = Tensor.ZerosLike(x);
                var dMax = Ops.Fill(Tensor.ZerosLike(x), -1f);
                var dMaxOverwrite = Tensor.ZerosLike(x);
                if (all)
                {
                    Grad.Sum(dy, dSum, accumulate: true);
                    Grad.Mean(dy, dMean, accumulate: false);
                    Grad.Max(dy, x, max, dMax, accumulate: true);
                    Grad.Max(dy, x, max, dMaxOverwrite, accumulate: false);
                }
                else
                {
                    Grad.Sum(dy, axes, keepDims, dSum, accumulate: true);
                    Grad.Mean(dy, axes, keepDims, dMean, accumulate: false);
                    Grad.Max(dy, x, max, axes, keepDims, dMax, accumulate: true);
                    Grad.Max(dy, x, max, axes, keepDims, dMaxOverwrite, accumulate: false);
                }

                return [sum, mean, max, dSum, dMean, dMax, dMaxOverwrite];
            }, strided);
        }
    }

    [Fact]
    public void Max_gradient_goes_to_the_first_of_tied_maxima_as_on_the_cpu()
    {
        Same(place =>
        {
            var x = place(Tensor.FromArray([1f, 3f, 3f, 0f, 2f, 2f, 2f, 1f], 2, 4));
            var max = Ops.Max(x, 1);
            var dx = Tensor.ZerosLike(x);
            Grad.Max(place(Tensor.FromArray([10f, 20f], 2)), x, max, 1, false, dx, accumulate: false);
            return [max, dx, Ops.ArgMax(x, 1), Ops.ArgMax(x, 0)];
        });
    }

    [Fact]
    public void Softmax_and_log_softmax_with_their_gradients_match_the_cpu()
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var x = place(Uniform(42, [3, 4, 11], -20, 20));
                var dy = place(Uniform(43, [3, 4, 11]));
                var softmax = Ops.Softmax(x);
                var logSoftmax = Ops.LogSoftmax(x);
                var dSoftmax = Ops.Fill(Tensor.ZerosLike(x), 1f);
                var dLog = Tensor.ZerosLike(x);
                Grad.Softmax(dy, softmax, dSoftmax, accumulate: true);
                Grad.LogSoftmax(dy, logSoftmax, dLog, accumulate: false);
                var inPlace = x.Clone();
                Ops.Softmax(inPlace, inPlace);
                return [softmax, logSoftmax, dSoftmax, dLog, inPlace];
            }, strided);
        }
    }

    [Fact]
    public void Softmax_cross_entropy_and_its_gradient_match_the_cpu()
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var logits = place(Uniform(44, [13, 10], -8, 8));
                var labels = place(Ops.Softmax(Uniform(45, [13, 10], -3, 3)));
                var loss = Ops.SoftmaxCrossEntropy(logits, labels);
                var withSoftmax = Tensor.Zeros(logits.Device, 13);
                var softmax = Tensor.ZerosLike(logits);
                Ops.SoftmaxCrossEntropy(logits, labels, withSoftmax, softmax);
                var dloss = place(Uniform(46, [13]));
                var recomputed = Ops.Fill(Tensor.ZerosLike(logits), 1f);
                var fromSoftmax = Tensor.ZerosLike(logits);
                Grad.SoftmaxCrossEntropy(dloss, logits, labels, null, recomputed, accumulate: true);
                Grad.SoftmaxCrossEntropy(dloss, logits, labels, softmax, fromSoftmax, accumulate: false);

                // Every row's adjoint one number (under a mean of the losses), recomputing the softmax and not.
                var uniform = Ops.Fill(Tensor.ZerosLike(logits), 0.5f);
                var uniformFromSoftmax = Tensor.ZerosLike(logits);
                Grad.SoftmaxCrossEntropy(1f / 13, logits, labels, null, uniform, accumulate: true);
                Grad.SoftmaxCrossEntropy(1f / 13, logits, labels, softmax, uniformFromSoftmax, accumulate: false);

                // The loss and that gradient in one pass: the two passes' values on this device, to the bit.
                var fusedLoss = Tensor.Zeros(logits.Device, 13);
                var fused = Tensor.ZerosLike(logits);
                var fusedAdded = Ops.Fill(Tensor.ZerosLike(logits), 0.5f);
                Ops.SoftmaxCrossEntropyWithGradient(logits, labels, fusedLoss, 1f / 13, fused, accumulate: false);
                Ops.SoftmaxCrossEntropyWithGradient(logits, labels, fusedLoss, 1f / 13, fusedAdded, accumulate: true);
                Assert.Equal(withSoftmax.ToArray(), fusedLoss.ToArray());
                Assert.Equal(uniformFromSoftmax.ToArray(), fused.ToArray());
                return [loss, withSoftmax, softmax, recomputed, fromSoftmax, Ops.Mean(loss), uniform, uniformFromSoftmax, fused, fusedAdded];
            }, strided);
        }
    }

    [Fact]
    public void ArgMax_one_hot_and_accuracy_match_the_cpu()
    {
        int[] labels = [3, 0, 9, 9, 1, 4, 4];
        float cpuAccuracy = 0f, gpuAccuracy = 0f;
        Same(place =>
        {
            var logits = place(Uniform(47, [7, 10]));
            float accuracy = Ops.Accuracy(logits, labels);
            if (logits.Device == Device.Cpu)
            {
                cpuAccuracy = accuracy;
            }
            else
            {
                gpuAccuracy = accuracy;
            }

            var oneHot = Ops.OneHot(labels, 10, Tensor.Zeros(logits.Device, 7, 10));
            return [Ops.ArgMax(logits, -1), Ops.ArgMax(logits, 0), oneHot, Ops.ArgMax(place(Uniform(48, [2, 3, 4])), 1)];
        }, strided: true);
        Assert.Equal(cpuAccuracy, gpuAccuracy);

        // Rows constructed so that exactly three argmaxes hit their labels.
        var scores = Tensor.Zeros(UnderTest, 4, 3);
        scores[0, 2] = 1f;
        scores[1, 0] = 5f;
        scores[2, 1] = 2f;
        scores[3, 2] = 3f;
        Assert.Equal(0.75f, Ops.Accuracy(scores, [2, 0, 1, 0]));
    }
}
