using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class SteadyStateAllocationTests
{
    [Fact]
    public void AnMlpTrainingStepInDestinationFormAllocatesNothingAfterWarmUp()
    {
        var step = new MlpStep(batch: 100);
        for (int i = 0; i < 3; i++)
        {
            step.Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            step.Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        // The step really trains: the loss after a few more steps is lower than the first one.
        float first = step.Loss;
        for (int i = 0; i < 20; i++)
        {
            step.Run();
        }

        Assert.True(step.Loss < first, $"loss {step.Loss} did not fall below {first}");
    }

    [Fact]
    public void EveryOtherDestinationFormAndBackwardKernelAllocatesNothingAfterWarmUp()
    {
        var ops = new OtherOps();
        ops.Run();
        ops.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            ops.Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The MNIST MLP 784-256-256-10 as generated code would run it: every buffer made once.</summary>
    private sealed class MlpStep
    {
        private readonly Tensor _x, _labels, _w1, _b1, _w2, _b2, _w3, _b3;
        private readonly Tensor _h1, _a1, _h2, _a2, _logits, _rowLoss, _probabilities, _loss, _one;
        private readonly Tensor _dRowLoss, _dLogits, _dA2, _dH2, _dA1, _dH1;
        private readonly Tensor _dW1, _dB1, _dW2, _dB2, _dW3, _dB3;
        private readonly float[] _batch;
        private readonly int[] _classes;

        public MlpStep(int batch)
        {
            var random = new Random(1);
            _batch = TestData.Values(random, batch * 784, 0, 1);
            _classes = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
            _x = Tensor.Zeros(batch, 784);
            _labels = Tensor.Zeros(batch, 10);
            _w1 = Tensor.TruncatedNormal([784, 256], seed: 1, stddev: 0.05f);
            _b1 = Tensor.Zeros(256);
            _w2 = Tensor.TruncatedNormal([256, 256], seed: 2, stddev: 0.05f);
            _b2 = Tensor.Zeros(256);
            _w3 = Tensor.TruncatedNormal([256, 10], seed: 3, stddev: 0.05f);
            _b3 = Tensor.Zeros(10);
            _h1 = Tensor.Zeros(batch, 256);
            _a1 = Tensor.Zeros(batch, 256);
            _h2 = Tensor.Zeros(batch, 256);
            _a2 = Tensor.Zeros(batch, 256);
            _logits = Tensor.Zeros(batch, 10);
            _rowLoss = Tensor.Zeros(batch);
            _probabilities = Tensor.Zeros(batch, 10);
            _loss = Tensor.Scalar(0f);
            _one = Tensor.Scalar(1f);
            _dRowLoss = Tensor.ZerosLike(_rowLoss);
            _dLogits = Tensor.ZerosLike(_logits);
            _dA2 = Tensor.ZerosLike(_a2);
            _dH2 = Tensor.ZerosLike(_h2);
            _dA1 = Tensor.ZerosLike(_a1);
            _dH1 = Tensor.ZerosLike(_h1);
            _dW1 = Tensor.ZerosLike(_w1);
            _dB1 = Tensor.ZerosLike(_b1);
            _dW2 = Tensor.ZerosLike(_w2);
            _dB2 = Tensor.ZerosLike(_b2);
            _dW3 = Tensor.ZerosLike(_w3);
            _dB3 = Tensor.ZerosLike(_b3);
        }

        public float Loss { get; private set; }

        public void Run()
        {
            _x.CopyFrom(_batch);
            OneHot(_classes, 10, _labels);

            Dense(_x, _w1, _b1, _h1);
            Relu(_h1, _a1);
            Dense(_a1, _w2, _b2, _h2);
            Relu(_h2, _a2);
            Dense(_a2, _w3, _b3, _logits);
            SoftmaxCrossEntropy(_logits, _labels, _rowLoss, _probabilities);
            Mean(_rowLoss, _loss);
            Loss = _loss.ToScalar();

            Grad.Mean(_one, _dRowLoss, accumulate: false);
            Grad.SoftmaxCrossEntropy(_dRowLoss, _logits, _labels, _probabilities, _dLogits, accumulate: false);
            Grad.Dense(_dLogits, _a2, _w3, _dA2, _dW3, _dB3, accumulate: false);
            Grad.Relu(_dA2, _h2, null, _dH2, accumulate: false);
            Grad.Dense(_dH2, _a1, _w2, _dA1, _dW2, _dB2, accumulate: false);
            Grad.Relu(_dA1, _h1, null, _dH1, accumulate: false);
            Grad.Dense(_dH1, _x, _w1, null, _dW1, _dB1, accumulate: false);

            Descend(_w1, _dW1);
            Descend(_b1, _dB1);
            Descend(_w2, _dW2);
            Descend(_b2, _dB2);
            Descend(_w3, _dW3);
            Descend(_b3, _dB3);
        }

        private static void Descend(Tensor parameter, Tensor gradient)
        {
            AddScaled(parameter, -0.1f, gradient, parameter);
        }
    }

    /// <summary>The remaining ops and kernels, each in its non-allocating form.</summary>
    private sealed class OtherOps
    {
        // A collection expression such as [1] passed as a span allocates in Debug builds, so axes live in a field,
        // as generated code should keep them.
        private static readonly int[] LastAxis = [1];
        private readonly Tensor _a = TestData.Uniform(new Random(4), [64, 33], 0.1, 2);
        private readonly Tensor _row = TestData.Uniform(new Random(5), [33], 0.1, 2);
        private readonly Tensor _batchA = TestData.Uniform(new Random(6), [3, 8, 5]);
        private readonly Tensor _shared = TestData.Uniform(new Random(7), [5, 4]);
        private readonly Tensor _y = Tensor.Zeros(64, 33), _y2 = Tensor.Zeros(64, 33), _g = Tensor.Zeros(64, 33), _gRow = Tensor.Zeros(33);
        private readonly Tensor _reduced = Tensor.Zeros(64), _reducedKept = Tensor.Zeros(64, 1), _all = Tensor.Scalar(0f);
        private readonly Tensor _product = Tensor.Zeros(3, 8, 4), _dBatchA = Tensor.Zeros(3, 8, 5), _dShared = Tensor.Zeros(5, 4);
        private readonly Tensor _arg = Tensor.Zeros(64);
        private readonly int[] _labels = Enumerable.Range(0, 64).Select(i => i % 33).ToArray();

        public void Run()
        {
            Add(_a, _row, _y);
            Grad.Mul(_y, _a, _row, _g, _gRow, accumulate: false);
            Grad.Div(_y, _a, _row, _g, _gRow, accumulate: true);
            Maximum(_a, 0.5f, _y2);
            Grad.Maximum(_y, _a, 0.5f, _g, accumulate: true);
            Sub(1f, _a, _y2);
            Exp(_a, _y2);
            Grad.Exp(_y, null, _y2, _g, accumulate: false);
            Tanh(_a, _y2);
            Grad.Tanh(_y, null, _y2, _g, accumulate: true);
            Sigmoid(_a, _y2);
            Grad.Sigmoid(_y, null, _y2, _g, accumulate: true);
            Log(_a, _y2);
            Grad.Log(_y, _a, null, _g, accumulate: true);
            Sqrt(_a, _y2);
            Grad.Sqrt(_y, null, _y2, _g, accumulate: true);
            Pow(_a, 3f, _y2);
            Grad.Pow(_y, _a, _y2, 3f, _g, accumulate: true);
            Sum(_a, 1, false, _reduced);
            Grad.Sum(_reduced, 1, false, _g, accumulate: true);
            Max(_a, LastAxis, true, _reducedKept);
            Grad.Max(_reducedKept, _a, _reducedKept, LastAxis, true, _g, accumulate: true);
            Mean(_a, _all);
            Grad.Mean(_all, _g, accumulate: true);
            Softmax(_a, _y2);
            Grad.Softmax(_y, _y2, _g, accumulate: true);
            LogSoftmax(_a, _y2);
            Grad.LogSoftmax(_y, _y2, _g, accumulate: true);
            MatMul(_batchA, _shared, _product);
            Grad.MatMul(_product, _batchA, _shared, _dBatchA, _dShared, accumulate: false);
            Copy(_row, _y2);
            Fill(_g, 0f);
            ArgMax(_a, 1, _arg);
            _ = Accuracy(_a, _labels);
        }
    }
}
