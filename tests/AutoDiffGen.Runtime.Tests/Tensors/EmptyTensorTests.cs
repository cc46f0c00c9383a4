using System;
using Xunit;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class EmptyTensorTests
{
    [Fact]
    public void OpsOnTensorsWithAZeroDimensionProduceEmptyResults()
    {
        var empty = Tensor.Zeros(0, 3);
        Assert.Equal([0, 3], Add(empty, Tensor.Ones(3)).Shape.ToArray());
        Assert.Empty(Relu(empty).ToArray());
        Assert.Equal([0, 4], MatMul(empty, Tensor.Zeros(3, 4)).Shape.ToArray());
        Assert.Equal([0f, 0, 0], Sum(empty, 0).ToArray());
        Assert.Equal([0], Max(empty, 1).Shape.ToArray());
        Assert.Empty(Softmax(empty).ToArray());
        Assert.Empty(SoftmaxCrossEntropy(empty, empty).ToArray());
        Assert.Equal(0f, Accuracy(empty, ReadOnlySpan<int>.Empty));
        Assert.Equal([0, 3], Dense(Tensor.Zeros(0, 5), Tensor.Zeros(5, 3), Tensor.Ones(3)).Shape.ToArray());

        var dx = Tensor.Zeros(0, 3);
        Grad.Relu(empty, empty, null, dx, accumulate: false);
        Grad.Sum(Tensor.Zeros(3), 0, false, dx, accumulate: false);
        var db = Tensor.Full(5f, 3);
        Grad.Add(empty, empty, Tensor.Ones(3), null, db, accumulate: false);
        Assert.Equal([0f, 0, 0], db.ToArray());
        Grad.Dense(Tensor.Zeros(0, 3), Tensor.Zeros(0, 5), Tensor.Zeros(5, 3), null, Tensor.Full(1f, 5, 3), db, accumulate: false);
        Assert.Equal([0f, 0, 0], db.ToArray());
        FusedOpsOnEmptyBatches(Device.Cpu);
    }

    /// <summary>The generated plan's fused ops on a batch of no rows: empty results, and bias sums of zero.</summary>
    internal static void FusedOpsOnEmptyBatches(Device device)
    {
        Assert.Equal([0, 3], DenseRelu(Tensor.Zeros(device, 0, 5), Tensor.Zeros(device, 5, 3), Tensor.Ones(device, 3)).Shape.ToArray());
        var db = Tensor.Full(device, 5f, 3);
        Grad.ReluAndBias(Tensor.Zeros(device, 0, 3), Tensor.Zeros(device, 0, 3), Tensor.Zeros(device, 0, 3), db, accumulateBias: false);
        Assert.Equal([0f, 0, 0], db.ToArray());
        var losses = Tensor.Zeros(device, 0);
        SoftmaxCrossEntropyWithGradient(Tensor.Zeros(device, 0, 3), Tensor.Zeros(device, 0, 3), losses, 1f, Tensor.Zeros(device, 0, 3), accumulate: false);
        Assert.Empty(losses.ToArray());
    }
}
