using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class SoftmaxTests
{
    public static readonly TheoryData<int[]> Shapes = new()
    {
        { [1] },
        { [7] },
        { [33, 10] },
        { [2, 3, 17] },
        { [2, 3, 4, 33] },
        { [100, 257] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SoftmaxAndLogSoftmaxMatchTheReference(int[] shape)
    {
        var random = new Random(shape.Sum());
        var x = TestData.Uniform(random, shape, -8, 8);
        foreach (bool log in new[] { false, true })
        {
            var expected = Reference.Softmax(RefTensor.Of(x), log);
            TensorAssert.Close(expected, log ? LogSoftmax(x) : Softmax(x), 1e-5, 1e-6, log ? "LogSoftmax" : "Softmax");
            TensorAssert.Close(expected, log ? LogSoftmax(TestData.Strided(x)) : Softmax(TestData.Strided(x)), 1e-5, 1e-6, "strided");
            var inPlace = x.Clone();
            _ = log ? LogSoftmax(inPlace, inPlace) : Softmax(inPlace, inPlace);
            TensorAssert.Close(expected, inPlace, 1e-5, 1e-6, "in place");
        }
    }

    [Fact]
    public void SoftmaxIsStableForHugeLogits()
    {
        var x = Tensor.FromArray([1000f, 1001f, 1002f, -1000f, -1001f, -1002f], 2, 3);
        var expected = Reference.Softmax(RefTensor.Of(x), log: false);
        TensorAssert.Close(expected, Softmax(x), 1e-6, 1e-7);
        TensorAssert.Close(Reference.Softmax(RefTensor.Of(x), log: true), LogSoftmax(x), 1e-6, 1e-5);
        Assert.All(Softmax(x).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(7, 10, false)]
    [InlineData(100, 10, false)]
    [InlineData(33, 17, true)]
    [InlineData(1000, 10, true)]
    public void SoftmaxCrossEntropyMatchesTheReference(int rows, int classes, bool probabilityLabels)
    {
        var random = new Random(rows + classes);
        var logits = TestData.Uniform(random, [rows, classes], -10, 10);
        var labels = probabilityLabels ? Softmax(TestData.Uniform(random, [rows, classes], -2, 2)) : OneHot(Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray(), classes);
        var expected = Reference.CrossEntropy(RefTensor.Of(logits), RefTensor.Of(labels));
        TensorAssert.Close(expected, SoftmaxCrossEntropy(logits, labels), 1e-5, 1e-5);
        TensorAssert.Close(expected, SoftmaxCrossEntropy(TestData.Strided(logits), TestData.Strided(labels)), 1e-5, 1e-5, "strided");

        var loss = Tensor.Full(float.NaN, rows);
        var probabilities = Tensor.Full(float.NaN, rows, classes);
        SoftmaxCrossEntropy(logits, labels, loss, probabilities);
        TensorAssert.Close(expected, loss, 1e-5, 1e-5, "destination");
        TensorAssert.Close(Reference.Softmax(RefTensor.Of(logits), log: false), probabilities, 1e-5, 1e-7, "softmax destination");
    }

    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        var logits = Tensor.FromArray([1000f, -1000f, 0f, -1000f, 1000f, 0f], 2, 3);
        var labels = OneHot([1, 1], 3);
        Assert.Equal([2000f, 0f], SoftmaxCrossEntropy(logits, labels).ToArray());
    }

    [Fact]
    public void ArgMaxFindsTheFirstMaximumAlongAnAxis()
    {
        var x = Tensor.FromArray([1f, 5, 5, 2, 9, 0, 3, 3, 1, 9, 9, 4], 2, 2, 3);
        Assert.Equal([1f, 1, 0, 0], ArgMax(x, -1).ToArray());
        Assert.Equal([2, 2], ArgMax(x, 2).Shape.ToArray());
        Assert.Equal([1f, 1, 0, 1, 1, 1], ArgMax(x, 1).ToArray());
        Assert.Equal([1f, 0, 0, 1, 0, 1], ArgMax(x, 0).ToArray());
        var destination = Tensor.Zeros(2, 2);
        ArgMax(x.Transpose(2, 1, 0), 0, destination);
        Assert.Equal([1f, 1, 0, 0], destination.Transpose().ToArray());
    }

    [Fact]
    public void OneHotAndAccuracy()
    {
        var oneHot = OneHot([2, 0, 1], 3);
        Assert.Equal([0f, 0, 1, 1, 0, 0, 0, 1, 0], oneHot.ToArray());
        var destination = Tensor.Full(7f, 3, 3);
        OneHot([2, 0, 1], 3, destination);
        Assert.Equal(oneHot.ToArray(), destination.ToArray());
        Assert.Contains("label 3 at index 1 is outside [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => OneHot([0, 3], 3)).Message);

        var logits = Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f, 0.5f, 0.5f, 0f, 1f], 4, 2);
        Assert.Equal(0.75f, Accuracy(logits, [1, 0, 0, 0]));
        Assert.Equal(0.75f, Accuracy(logits.Transpose().Contiguous().Transpose(), [1, 0, 0, 0]));
        Assert.Contains("has 4 rows but 3 labels", Assert.Throws<ArgumentException>(() => Accuracy(logits, [1, 0, 0])).Message);
    }
}
