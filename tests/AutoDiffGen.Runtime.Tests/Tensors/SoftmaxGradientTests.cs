using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class SoftmaxGradientTests
{
    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 4, 10 })]
    [InlineData(new[] { 2, 3, 5 })]
    [InlineData(new[] { 3, 1 })]
    public void SoftmaxAndLogSoftmaxGradientsMatchFiniteDifferences(int[] shape)
    {
        var random = new Random(shape.Sum());
        var x = TestData.Uniform(random, shape, -3, 3);
        var dy = TestData.Uniform(random, shape);
        foreach (bool log in new[] { false, true })
        {
            var y = log ? LogSoftmax(x) : Softmax(x);
            var expected = Reference.FiniteDifference(t => Reference.Softmax(t, log), RefTensor.Of(x), RefTensor.Of(dy));
            GradientAssert.Matches(expected, (dx, accumulate) => Backward(log, dy, y, dx, accumulate), log ? "LogSoftmax" : "Softmax");
            GradientAssert.Matches(expected, (dx, accumulate) => Backward(log, TestData.Strided(dy), TestData.Strided(y), dx, accumulate), (log ? "LogSoftmax" : "Softmax") + " strided");
        }
    }

    [Theory]
    [InlineData(5, 4, "one-hot")]
    [InlineData(3, 10, "probabilities")]
    [InlineData(4, 3, "unnormalized")]
    public void SoftmaxCrossEntropyGradientMatchesFiniteDifferences(int rows, int classes, string labelKind)
    {
        var random = new Random(rows + classes + labelKind.Length);
        var logits = TestData.Uniform(random, [rows, classes], -4, 4);
        var labels = labelKind switch
        {
            "one-hot" => OneHot(Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray(), classes),
            "probabilities" => Softmax(TestData.Uniform(random, [rows, classes])),
            _ => TestData.Uniform(random, [rows, classes], 0, 1),
        };
        var dloss = TestData.Uniform(random, [rows]);
        var refLabels = RefTensor.Of(labels);
        var expected = Reference.FiniteDifference(t => Reference.CrossEntropy(t, refLabels), RefTensor.Of(logits), RefTensor.Of(dloss));

        var loss = Tensor.Zeros(rows);
        var probabilities = Tensor.Zeros(rows, classes);
        SoftmaxCrossEntropy(logits, labels, loss, probabilities);
        GradientAssert.Matches(expected, (dlogits, accumulate) => Grad.SoftmaxCrossEntropy(dloss, logits, labels, null, dlogits, accumulate), "recomputed softmax");
        GradientAssert.Matches(expected, (dlogits, accumulate) => Grad.SoftmaxCrossEntropy(dloss, logits, labels, probabilities, dlogits, accumulate), "forward's softmax");
        GradientAssert.Matches(expected, (dlogits, accumulate) => Grad.SoftmaxCrossEntropy(TestData.Strided(dloss), TestData.Strided(logits), TestData.Strided(labels), null, dlogits, accumulate), "strided");
    }

    [Fact]
    public void MeanOfCrossEntropyBackpropagatesOneOverN()
    {
        // The MNIST loss: Mean(SoftmaxCrossEntropy(logits, labels)); its gradient is (softmax − labels) / N.
        var random = new Random(3);
        var logits = TestData.Uniform(random, [6, 4]);
        var labels = OneHot([0, 1, 2, 3, 0, 1], 4);
        var perRow = SoftmaxCrossEntropy(logits, labels);
        var dPerRow = Tensor.Zeros(6);
        Grad.Mean(Tensor.Scalar(1f), dPerRow, accumulate: false);
        var dlogits = Tensor.Zeros(6, 4);
        Grad.SoftmaxCrossEntropy(dPerRow, logits, labels, null, dlogits, accumulate: false);
        var expected = Reference.Unary(v => v / 6, Reference.Binary((p, l) => p - l, Reference.Softmax(RefTensor.Of(logits), log: false), RefTensor.Of(labels)));
        TensorAssert.Close(expected, dlogits, 1e-5, 1e-7);
        Assert.Equal(6, perRow.Length);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_uniform_loss_adjoint_given_as_a_number_equals_the_same_adjoint_as_a_tensor(bool withSoftmax, bool strided)
    {
        // What generated code passes under Mean(SoftmaxCrossEntropy(...)): seed / rows as a number, no tensor of it.
        var random = new Random(4);
        var logits = TestData.Uniform(random, [7, 5], -4, 4);
        var labels = Softmax(TestData.Uniform(random, [7, 5], -2, 2));
        var softmax = Tensor.ZerosLike(logits);
        SoftmaxCrossEntropy(logits, labels, Tensor.Zeros(7), softmax);
        Tensor? probabilities = withSoftmax ? softmax : null;
        var start = TestData.Uniform(random, [7, 5]);
        foreach (bool accumulate in new[] { false, true })
        {
            Tensor expected = start.Clone(), actual = strided ? TestData.Strided(start.Clone()) : start.Clone();
            Grad.SoftmaxCrossEntropy(Fill(Tensor.Zeros(7), 0.375f), logits, labels, probabilities, expected, accumulate);
            Grad.SoftmaxCrossEntropy(0.375f, logits, labels, probabilities, actual, accumulate);
            Assert.Equal(expected.ToArray(), actual.ToArray());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_loss_with_its_gradient_in_one_pass_equals_the_loss_then_its_gradient_to_the_bit(bool strided)
    {
        // What generated code runs for Mean(SoftmaxCrossEntropy(...)): the adjoint seed / rows is known up front.
        var random = new Random(5);
        var logits = TestData.Uniform(random, [7, 5], -4, 4);
        var labels = Softmax(TestData.Uniform(random, [7, 5], -2, 2));
        var softmax = Tensor.ZerosLike(logits);
        var expectedLoss = SoftmaxCrossEntropy(logits, labels, Tensor.Zeros(7), softmax);
        var start = TestData.Uniform(random, [7, 5]);
        foreach (bool accumulate in new[] { false, true })
        {
            Tensor expected = start.Clone(), actual = strided ? TestData.Strided(start.Clone()) : start.Clone();
            Grad.SoftmaxCrossEntropy(0.375f, logits, labels, softmax, expected, accumulate);
            var loss = Fill(Tensor.Zeros(7), float.NaN);
            SoftmaxCrossEntropyWithGradient(strided ? TestData.Strided(logits) : logits, labels, loss, 0.375f, actual, accumulate);
            Assert.Equal(expectedLoss.ToArray(), loss.ToArray());
            Assert.Equal(expected.ToArray(), actual.ToArray());
        }
    }

    private static void Backward(bool log, Tensor dy, Tensor y, Tensor dx, bool accumulate)
    {
        if (log)
        {
            Grad.LogSoftmax(dy, y, dx, accumulate);
        }
        else
        {
            Grad.Softmax(dy, y, dx, accumulate);
        }
    }
}
