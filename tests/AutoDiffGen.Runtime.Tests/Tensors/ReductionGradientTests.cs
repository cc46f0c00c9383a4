using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class ReductionGradientTests
{
    public static IEnumerable<object[]> Cases()
    {
        var shapes = new (int[] Shape, int[][] AxesSets)[]
        {
            ([7], [[0]]),
            ([5, 3], [[0], [1], [-2, -1]]),
            ([2, 3, 4], [[1], [0, 2]]),
            ([2, 1, 3, 2], [[3], [0, 2], [0, 1, 2, 3]]),
        };
        foreach (string op in new[] { "Sum", "Mean", "Max" })
        {
            foreach (var (shape, axesSets) in shapes)
            {
                foreach (int[] axes in axesSets)
                {
                    foreach (bool keepDims in new[] { false, true })
                    {
                        yield return [op, shape, axes, keepDims];
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReductionGradientsMatchFiniteDifferences(string op, int[] shape, int[] axes, bool keepDims)
    {
        var random = new Random(op.Length + shape.Sum() + axes.Sum() + (keepDims ? 1 : 0));
        var x = TestData.Uniform(random, shape);
        var y = ReductionTests.Forward(op, x, axes, keepDims);
        var dy = TestData.Uniform(random, y.Shape.ToArray());
        int mask = Reference.AxesMask(shape.Length, axes);
        var expected = Reference.FiniteDifference(t => Reference.Reduce(op, t, mask, keepDims), RefTensor.Of(x), RefTensor.Of(dy));
        GradientAssert.Matches(expected, (dx, accumulate) => Backward(op, dy, x, y, axes, keepDims, dx, accumulate), op);
        GradientAssert.Matches(expected, (dx, accumulate) => Backward(op, TestData.Strided(dy), TestData.Strided(x), TestData.Strided(y), axes, keepDims, dx, accumulate), op + " strided");
    }

    [Theory]
    [InlineData("Sum")]
    [InlineData("Mean")]
    [InlineData("Max")]
    public void AllAxesAndOneAxisFormsMatchTheAxesForm(string op)
    {
        var random = new Random(op.Length);
        var x = TestData.Uniform(random, [4, 6]);
        var all = ReductionTests.Forward(op, x, [0, 1], keepDims: false);
        var dyAll = Tensor.Scalar(1.5f);
        var expected = Tensor.Zeros(4, 6);
        Backward(op, dyAll, x, all, [0, 1], keepDims: false, expected, accumulate: false);
        var actual = Tensor.Zeros(4, 6);
        switch (op)
        {
            case "Sum": Grad.Sum(dyAll, actual, accumulate: false); break;
            case "Mean": Grad.Mean(dyAll, actual, accumulate: false); break;
            default: Grad.Max(dyAll, x, all, actual, accumulate: false); break;
        }

        Assert.Equal(expected.ToArray(), actual.ToArray());

        var one = ReductionTests.Forward(op, x, [1], keepDims: true);
        var dyOne = TestData.Uniform(random, [4, 1]);
        Backward(op, dyOne, x, one, [1], keepDims: true, expected, accumulate: false);
        switch (op)
        {
            case "Sum": Grad.Sum(dyOne, -1, keepDims: true, actual, accumulate: false); break;
            case "Mean": Grad.Mean(dyOne, -1, keepDims: true, actual, accumulate: false); break;
            default: Grad.Max(dyOne, x, one, -1, keepDims: true, actual, accumulate: false); break;
        }

        Assert.Equal(expected.ToArray(), actual.ToArray());
    }

    [Fact]
    public void MaxRoutesTheGradientToTheFirstMaximumOnly()
    {
        var x = Tensor.FromArray([1f, 3, 3, 2, 2, 1], 2, 3);
        var y = TensorOps.Max(x, 1);
        var dx = Tensor.Full(9f, 2, 3);
        Grad.Max(Tensor.FromArray([10f, 20f]), x, y, 1, keepDims: false, dx, accumulate: false);
        Assert.Equal([0f, 10, 0, 20, 0, 0], dx.ToArray());

        var column = TensorOps.Max(x, 0);
        Grad.Max(Tensor.FromArray([1f, 2f, 3f]), x, column, 0, keepDims: false, dx, accumulate: true);
        Assert.Equal([0f, 12, 3, 21, 0, 0], dx.ToArray());
    }

    private static void Backward(string op, Tensor dy, Tensor x, Tensor y, int[] axes, bool keepDims, Tensor dx, bool accumulate)
    {
        switch (op)
        {
            case "Sum": Grad.Sum(dy, axes, keepDims, dx, accumulate); break;
            case "Mean": Grad.Mean(dy, axes, keepDims, dx, accumulate); break;
            default: Grad.Max(dy, x, y, axes, keepDims, dx, accumulate); break;
        }
    }
}
