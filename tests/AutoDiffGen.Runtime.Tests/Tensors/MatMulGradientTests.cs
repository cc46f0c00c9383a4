using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class MatMulGradientTests
{
    [Theory]
    [InlineData(new[] { 7, 5 }, new[] { 5, 3 })]
    [InlineData(new[] { 1, 9 }, new[] { 9, 1 })]
    [InlineData(new[] { 3, 4, 5 }, new[] { 5, 2 })]
    [InlineData(new[] { 4, 5 }, new[] { 3, 5, 2 })]
    [InlineData(new[] { 1, 4, 5 }, new[] { 3, 5, 2 })]
    [InlineData(new[] { 2, 4, 5 }, new[] { 2, 5, 3 })]
    public void MatMulGradientsMatchFiniteDifferences(int[] shapeA, int[] shapeB)
    {
        var random = new Random(shapeA.Sum() + (7 * shapeB.Sum()));
        var a = TestData.Uniform(random, shapeA);
        var b = TestData.Uniform(random, shapeB);
        var dy = TestData.Uniform(random, MatMul(a, b).Shape.ToArray());
        var refA = RefTensor.Of(a);
        var refB = RefTensor.Of(b);
        var expectedA = Reference.FiniteDifference(x => Reference.MatMul(x, refB), refA, RefTensor.Of(dy));
        var expectedB = Reference.FiniteDifference(x => Reference.MatMul(refA, x), refB, RefTensor.Of(dy));
        GradientAssert.Matches(expectedA, (da, accumulate) => Grad.MatMul(dy, a, b, da, null, accumulate), "da");
        GradientAssert.Matches(expectedB, (db, accumulate) => Grad.MatMul(dy, a, b, null, db, accumulate), "db");
        GradientAssert.Matches(expectedA, (da, accumulate) => Grad.MatMul(TestData.Strided(dy), TestData.Strided(a), TestData.Strided(b), da, null, accumulate), "da strided");
        GradientAssert.Matches(expectedB, (db, accumulate) => Grad.MatMul(TestData.Strided(dy), TestData.Strided(a), TestData.Strided(b), null, db, accumulate), "db strided");
    }

    [Theory]
    [InlineData(7, 5, 3)]
    [InlineData(1, 4, 1)]
    [InlineData(33, 17, 10)]
    public void DenseGradientsMatchFiniteDifferences(int rows, int inputs, int outputs)
    {
        var random = new Random(rows + inputs + outputs);
        var x = TestData.Uniform(random, [rows, inputs]);
        var w = TestData.Uniform(random, [inputs, outputs]);
        var b = TestData.Uniform(random, [outputs]);
        var dy = TestData.Uniform(random, [rows, outputs]);
        var refX = RefTensor.Of(x);
        var refW = RefTensor.Of(w);
        var refB = RefTensor.Of(b);
        RefTensor Forward(RefTensor xs, RefTensor ws, RefTensor bs) => Reference.Binary((p, s) => p + s, Reference.MatMul(xs, ws), bs);
        var expectedX = Reference.FiniteDifference(t => Forward(t, refW, refB), refX, RefTensor.Of(dy));
        var expectedW = Reference.FiniteDifference(t => Forward(refX, t, refB), refW, RefTensor.Of(dy));
        var expectedB = Reference.FiniteDifference(t => Forward(refX, refW, t), refB, RefTensor.Of(dy));
        GradientAssert.Matches(expectedX, (dx, accumulate) => Grad.Dense(dy, x, w, dx, null, null, accumulate), "dx");
        GradientAssert.Matches(expectedW, (dw, accumulate) => Grad.Dense(dy, x, w, null, dw, null, accumulate), "dW");
        GradientAssert.Matches(expectedB, (db, accumulate) => Grad.Dense(dy, x, w, null, null, db, accumulate), "db");

        var allX = Tensor.Zeros(rows, inputs);
        var allW = Tensor.Zeros(inputs, outputs);
        var allB = Tensor.Zeros(outputs);
        Grad.Dense(TestData.Strided(dy), TestData.Strided(x), TestData.Strided(w), allX, allW, allB, accumulate: false);
        TensorAssert.Close(expectedX, allX, GradientAssert.Relative, GradientAssert.Absolute, "dx of all");
        TensorAssert.Close(expectedW, allW, GradientAssert.Relative, GradientAssert.Absolute, "dW of all");
        TensorAssert.Close(expectedB, allB, GradientAssert.Relative, GradientAssert.Absolute, "db of all");
    }
}
