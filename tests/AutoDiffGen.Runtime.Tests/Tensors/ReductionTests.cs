using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class ReductionTests
{
    public static IEnumerable<object[]> Cases()
    {
        var shapes = new (int[] Shape, int[][] AxesSets)[]
        {
            ([7], [[0]]),
            ([33, 17], [[0], [1], [-1], [0, 1]]),
            ([2, 3, 5], [[1], [0, 2], [2, 0, 1]]),
            ([2, 3, 4, 7], [[3], [0, 3], [1, 2], [0, 1, 2, 3]]),
            ([257, 300], [[0], [1]]),
            ([1, 257], [[0], [1]]),
        };
        foreach (string op in new[] { "Sum", "Mean", "Max" })
        {
            foreach (var (shape, axesSets) in shapes)
            {
                foreach (int[] axes in axesSets)
                {
                    yield return [op, shape, axes];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReductionsMatchTheReference(string op, int[] shape, int[] axes)
    {
        var random = new Random(op.Length + shape.Sum() + axes.Sum());
        var x = TestData.Uniform(random, shape);
        int mask = Reference.AxesMask(shape.Length, axes);
        double tolerance = 1e-6 * Math.Sqrt(x.Length);
        foreach (bool keepDims in new[] { false, true })
        {
            var expected = Reference.Reduce(op, RefTensor.Of(x), mask, keepDims);
            TensorAssert.Close(expected, Forward(op, x, axes, keepDims), 1e-5, tolerance, $"{op} keepDims={keepDims}");
            TensorAssert.Close(expected, Forward(op, TestData.Strided(x), axes, keepDims), 1e-5, tolerance, $"{op} strided keepDims={keepDims}");
            var destination = Tensor.Full(float.NaN, expected.Shape);
            Forward(op, x, axes, keepDims, destination);
            TensorAssert.Close(expected, destination, 1e-5, tolerance, $"{op} destination keepDims={keepDims}");
            if (axes.Length == 1)
            {
                TensorAssert.Close(expected, ForwardOneAxis(op, x, axes[0], keepDims), 1e-5, tolerance, $"{op} one axis keepDims={keepDims}");
            }
        }

        var all = Reference.Reduce(op, RefTensor.Of(x), (1 << shape.Length) - 1, keepDims: false);
        TensorAssert.Close(all, ForwardAll(op, x), 1e-5, tolerance, $"{op} over all axes");
    }

    [Fact]
    public void ReducingOverNoAxesCopies()
    {
        var x = TestData.Uniform(new Random(2), [3, 4]);
        Assert.Equal(x.ToArray(), Sum(x, ReadOnlySpan<int>.Empty).ToArray());
    }

    [Fact]
    public void MaxOverAnEmptyAxisThrows()
    {
        var error = Assert.Throws<ArgumentException>(() => Max(Tensor.Zeros(2, 0), 1));
        Assert.Equal("Max: cannot take the maximum over axis 1 of size 0 in shape [2,0].", error.Message);
        Assert.Equal([0f, 0f], Sum(Tensor.Zeros(2, 0), 1).ToArray());
    }

    internal static Tensor Forward(string op, Tensor x, int[] axes, bool keepDims, Tensor? destination = null) => (op, destination) switch
    {
        ("Sum", null) => Sum(x, axes, keepDims),
        ("Mean", null) => Mean(x, axes, keepDims),
        ("Max", null) => Max(x, axes, keepDims),
        ("Sum", _) => Sum(x, axes, keepDims, destination),
        ("Mean", _) => Mean(x, axes, keepDims, destination),
        ("Max", _) => Max(x, axes, keepDims, destination),
        _ => throw new ArgumentException(op),
    };

    private static Tensor ForwardOneAxis(string op, Tensor x, int axis, bool keepDims) => op switch
    {
        "Sum" => Sum(x, axis, keepDims),
        "Mean" => Mean(x, axis, keepDims),
        _ => Max(x, axis, keepDims),
    };

    private static Tensor ForwardAll(string op, Tensor x) => op switch
    {
        "Sum" => Sum(x),
        "Mean" => Mean(x),
        _ => Max(x),
    };
}
