using System;
using Xunit;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class OpErrorTests
{
    [Fact]
    public void MatMulNamesBothShapesAndTheMismatchedDimensions()
    {
        var error = Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(100, 784), Tensor.Zeros(256, 10)));
        Assert.Equal("MatMul: shapes [100,784] and [256,10] do not match (784 != 256).", error.Message);
        Assert.Equal(
            "MatMul: shapes [3,4,5] and [2,5,6] have batch sizes that do not broadcast (3 != 2).",
            Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(3, 4, 5), Tensor.Zeros(2, 5, 6))).Message);
        Assert.Equal(
            "MatMul: shapes [5] and [5,2] cannot be multiplied; operands must be 2-D matrices or 3-D batches of matrices.",
            Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(5), Tensor.Zeros(5, 2))).Message);
    }

    [Fact]
    public void GemmNamesTheTransposedShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm(true, false, 1f, Tensor.Zeros(100, 784), Tensor.Zeros(256, 10), 0f, Tensor.Zeros(784, 10)));
        Assert.Equal("Gemm: op(a) is [784,100] (a [100,784], transposed) and op(b) is [256,10] (b [256,10]); they do not match (100 != 256).", error.Message);
        Assert.Equal(
            "Gemm: c has shape [3,3] but op(a)·op(b) is [2,4].",
            Assert.Throws<ArgumentException>(() => Gemm(false, false, 1f, Tensor.Zeros(2, 5), Tensor.Zeros(5, 4), 0f, Tensor.Zeros(3, 3))).Message);
        var shared = Tensor.Zeros(3, 3);
        Assert.Equal(
            "Gemm: c shares storage with a; use a separate tensor.",
            Assert.Throws<ArgumentException>(() => Gemm(false, false, 1f, shared, Tensor.Zeros(3, 3), 0f, shared.Transpose())).Message);
    }

    [Fact]
    public void BroadcastFailuresNameTheOpAndBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Add(Tensor.Zeros(2, 3), Tensor.Zeros(4)));
        Assert.Equal("Add: shapes [2,3] and [4] cannot be broadcast together (axis -1: 3 != 4).", error.Message);
        Assert.StartsWith("Maximum: shapes [5,2] and [3,2]", Assert.Throws<ArgumentException>(() => Maximum(Tensor.Zeros(5, 2), Tensor.Zeros(3, 2))).Message);
    }

    [Fact]
    public void DestinationsOfTheWrongShapeAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Add(Tensor.Zeros(2, 3), Tensor.Zeros(3), Tensor.Zeros(2, 2)));
        Assert.StartsWith("Add: destination has shape [2,2] but the result has shape [2,3].", error.Message);
        Assert.StartsWith("Relu: destination has shape [3] but the result has shape [2,3].", Assert.Throws<ArgumentException>(() => Relu(Tensor.Zeros(2, 3), Tensor.Zeros(3))).Message);
        Assert.StartsWith("Sum: destination has shape [2,1] but the result has shape [2].", Assert.Throws<ArgumentException>(() => Sum(Tensor.Zeros(2, 3), 1, false, Tensor.Zeros(2, 1))).Message);
        Assert.StartsWith("MatMul: destination has shape [2,3] but the result has shape [2,4].", Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(2, 5), Tensor.Zeros(5, 4), Tensor.Zeros(2, 3))).Message);
    }

    [Fact]
    public void TheLossWithItsGradientChecksItsShapesAndBuffers()
    {
        var logits = Tensor.Zeros(4, 3);
        Assert.StartsWith(
            "SoftmaxCrossEntropyWithGradient: dlogits has shape [4,2] but the result has shape [4,3].",
            Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropyWithGradient(logits, Tensor.Zeros(4, 3), Tensor.Zeros(4), 0.25f, Tensor.Zeros(4, 2), accumulate: false)).Message);
        Assert.StartsWith(
            "SoftmaxCrossEntropyWithGradient: dlogits shares storage with logits",
            Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropyWithGradient(logits, Tensor.Zeros(4, 3), Tensor.Zeros(4), 0.25f, logits, accumulate: false)).Message);
    }

    [Fact]
    public void TheReluAndBiasGradientChecksItsShapes()
    {
        Assert.StartsWith(
            "ReluAndBias: db has shape [4] but the result has shape [3].",
            Assert.Throws<ArgumentException>(() => TensorGradients.ReluAndBias(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Zeros(4), accumulateBias: false)).Message);
        Assert.StartsWith(
            "ReluAndBias: dy has shape [3,2] but y has shape [2,3]; they must match.",
            Assert.Throws<ArgumentException>(() => TensorGradients.ReluAndBias(Tensor.Zeros(3, 2), Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Zeros(3), accumulateBias: false)).Message);
    }

    [Fact]
    public void DenseChecksItsInputsAndBias()
    {
        Assert.Equal(
            "Dense: shapes [100,784] and [256,10] do not match (784 != 256).",
            Assert.Throws<ArgumentException>(() => Dense(Tensor.Zeros(100, 784), Tensor.Zeros(256, 10), Tensor.Zeros(10))).Message);
        Assert.Equal(
            "Dense: bias has shape [7] but W [4,10] has 10 outputs; the bias must be [10].",
            Assert.Throws<ArgumentException>(() => Dense(Tensor.Zeros(2, 4), Tensor.Zeros(4, 10), Tensor.Zeros(7))).Message);
        Assert.Equal(
            "DenseRelu: shapes [100,784] and [256,10] do not match (784 != 256).",
            Assert.Throws<ArgumentException>(() => DenseRelu(Tensor.Zeros(100, 784), Tensor.Zeros(256, 10), Tensor.Zeros(10))).Message);
    }

    [Fact]
    public void AxesOutOfRangeOrRepeatedAreRejected()
    {
        Assert.Equal("Sum: axis 2 is out of range for shape [2,3].", Assert.Throws<ArgumentException>(() => Sum(Tensor.Zeros(2, 3), 2)).Message);
        Assert.Equal("Mean: axis -1 is given more than once for shape [2,3].", Assert.Throws<ArgumentException>(() => Mean(Tensor.Zeros(2, 3), [1, -1])).Message);
        Assert.Equal("ArgMax: axis -3 is out of range for shape [2,3].", Assert.Throws<ArgumentException>(() => ArgMax(Tensor.Zeros(2, 3), -3)).Message);
    }

    [Fact]
    public void CrossEntropyNeedsLabelsShapedLikeTheLogits()
    {
        Assert.Equal(
            "SoftmaxCrossEntropy: logits [100,10] and labels [100,9] do not match; labels must be one-hot or probability rows of the logits' shape.",
            Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(Tensor.Zeros(100, 10), Tensor.Zeros(100, 9))).Message);
        Assert.Equal("SoftmaxCrossEntropy: logits has shape [10] but must be 2-D.", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(Tensor.Zeros(10), Tensor.Zeros(10))).Message);
    }

    [Fact]
    public void GradientKernelsCheckEveryShape()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(3);
        Assert.StartsWith("Mul: dy has shape [3] but the result has shape [2,3].", Assert.Throws<ArgumentException>(() => Grad.Mul(Tensor.Zeros(3), a, b, null, null, false)).Message);
        Assert.StartsWith("Mul: db has shape [2,3] but b has shape [3]; they must match.", Assert.Throws<ArgumentException>(() => Grad.Mul(Tensor.Zeros(2, 3), a, b, null, Tensor.Zeros(2, 3), false)).Message);
        Assert.StartsWith("Relu: dy has shape [2,3] but x has shape [3]; they must match.", Assert.Throws<ArgumentException>(() => Grad.Relu(a, b, null, Tensor.Zeros(2, 3), false)).Message);
        Assert.StartsWith("Exp: y is null.", Assert.Throws<ArgumentNullException>(() => Grad.Exp(a, a, null, Tensor.Zeros(2, 3), false)).Message);
        Assert.StartsWith("MatMul: dy has shape [2,2] but the result has shape [2,4].", Assert.Throws<ArgumentException>(() => Grad.MatMul(Tensor.Zeros(2, 2), Tensor.Zeros(2, 5), Tensor.Zeros(5, 4), null, null, false)).Message);
        Assert.StartsWith("Dense: db has shape [3] but the result has shape [4].", Assert.Throws<ArgumentException>(() => Grad.Dense(Tensor.Zeros(2, 4), Tensor.Zeros(2, 5), Tensor.Zeros(5, 4), null, null, Tensor.Zeros(3), false)).Message);
        Assert.StartsWith("Sum: dy has shape [2,1] but the result has shape [2].", Assert.Throws<ArgumentException>(() => Grad.Sum(Tensor.Zeros(2, 1), 1, false, a, false)).Message);
        Assert.Equal("Mul: da shares storage with a; use a separate tensor.", Assert.Throws<ArgumentException>(() => Grad.Mul(Tensor.Zeros(2, 3), a, b, a, null, false)).Message);
    }

    [Fact]
    public void MixingDevicesNamesBothDevices()
    {
        var device = new OtherDevice();
        var foreign = new Tensor(new OtherStorage(device, 3), [3], [1], 0);
        Assert.Equal(
            "Add: tensors are on different devices (cpu and other); move them to one device first.",
            Assert.Throws<ArgumentException>(() => Add(Tensor.Zeros(3), foreign)).Message);
        Assert.Equal(
            "MatMul: tensors are on different devices (cpu and other); move them to one device first.",
            Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(3, 3), Tensor.Zeros(3, 1), new Tensor(new OtherStorage(device, 3), [3, 1], [1, 1], 0))).Message);
        Assert.Equal(
            "Relu: tensors are on different devices (other and cpu); move them to one device first.",
            Assert.Throws<ArgumentException>(() => Grad.Relu(foreign, Tensor.Zeros(3), null, Tensor.Zeros(3), false)).Message);
    }

    private sealed class OtherDevice : Device
    {
        public override string Name => "other";

        internal override ITensorBackend Backend => throw new NotSupportedException("No kernel should run: the device check comes first.");
    }

    private sealed class OtherStorage(Device device, int length) : TensorStorage
    {
        public override Device Device { get; } = device;

        public override int Length { get; } = length;
    }
}
