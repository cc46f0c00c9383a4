using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class ElementwiseGradientTests
{
    private static readonly string[] BinaryOps = ["Add", "Sub", "Mul", "Div", "Maximum", "Minimum"];

    public static IEnumerable<object[]> SmallBinaryCases()
    {
        int[][][] pairs =
        [
            [[7], [7]],
            [[3, 1, 5], [1, 4, 1]],
            [[2, 3, 4], [4]],
            [[], [3, 2]],
            [[33, 1], [1, 7]],
            [[2, 1, 3, 1], [2, 1, 4]],

            // One element in all (a loss adding two scalars): overwritten like any other gradient, not summed into.
            [[], []],
            [[1], [1]],
            [[1, 1], [1]],
            [[1], []],
        ];
        foreach (string op in BinaryOps)
        {
            foreach (int[][] pair in pairs)
            {
                yield return [op, pair[0], pair[1]];
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmallBinaryCases))]
    public void BinaryGradientsMatchFiniteDifferences(string op, int[] shapeA, int[] shapeB)
    {
        var random = new Random(op.Length + (3 * shapeA.Sum()) + shapeB.Sum());
        var a = TestData.Uniform(random, shapeA);
        var b = op == "Div" ? TestData.AwayFromZero(random, shapeB, gap: 0.5) : TestData.Uniform(random, shapeB);
        var f = ElementwiseOpTests.ReferenceBinary(op);
        var refA = RefTensor.Of(a);
        var refB = RefTensor.Of(b);
        var dy = TestData.Uniform(random, Reference.BroadcastShape(shapeA, shapeB));
        var expectedA = Reference.FiniteDifference(x => Reference.Binary(f, x, refB), refA, RefTensor.Of(dy));
        var expectedB = Reference.FiniteDifference(x => Reference.Binary(f, refA, x), refB, RefTensor.Of(dy));

        GradientAssert.Matches(expectedA, (da, accumulate) => Backward(op, dy, a, b, da, null, accumulate), op + " da");
        GradientAssert.Matches(expectedB, (db, accumulate) => Backward(op, dy, a, b, null, db, accumulate), op + " db");
        GradientAssert.Matches(expectedA, (da, accumulate) => Backward(op, TestData.Strided(dy), TestData.Strided(a), TestData.Strided(b), da, null, accumulate), op + " da strided");

        var bothA = Tensor.Zeros(shapeA);
        var bothB = Tensor.Zeros(shapeB);
        Backward(op, dy, a, b, bothA, bothB, accumulate: false);
        TensorAssert.Close(expectedA, bothA, GradientAssert.Relative, GradientAssert.Absolute, op + " da with db");
        TensorAssert.Close(expectedB, bothB, GradientAssert.Relative, GradientAssert.Absolute, op + " db with da");
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void BinaryGradientsOfLargeBroadcastsMatchTheReduction(string op)
    {
        // Large enough for the threaded path (a) and the reduction of a broadcast operand over many rows (b).
        var random = new Random(op.Length);
        var a = TestData.Uniform(random, [300, 257]);
        var b = op == "Div" ? TestData.AwayFromZero(random, [257], gap: 0.5) : TestData.Uniform(random, [257]);
        var dy = TestData.Uniform(random, [300, 257]);
        var refA = RefTensor.Of(a);
        var refB = RefTensor.Of(b);
        var refDy = RefTensor.Of(dy);
        var (partialA, partialB) = Partials(op);
        var expectedA = Reference.Binary((g, p) => g * p, refDy, Reference.Binary(partialA, refA, refB));
        var expectedB = Reference.SumToShape(Reference.Binary((g, p) => g * p, refDy, Reference.Binary(partialB, refA, refB)), [257]);
        GradientAssert.Matches(expectedA, (da, accumulate) => Backward(op, dy, a, b, da, null, accumulate), op + " da");
        GradientAssert.Matches(expectedB, (db, accumulate) => Backward(op, dy, a, b, null, db, accumulate), op + " db", 1e-4, 1e-4);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void ScalarOperandGradientsMatchFiniteDifferences(string op)
    {
        var random = new Random(op.Length + 100);
        var x = TestData.AwayFromZero(random, [3, 7], gap: 0.5);
        var dy = TestData.Uniform(random, [3, 7]);
        const float s = 0.25f;
        var f = ElementwiseOpTests.ReferenceBinary(op);
        var right = Reference.FiniteDifference(t => Reference.Unary(v => f(v, s), t), RefTensor.Of(x), RefTensor.Of(dy));
        var left = Reference.FiniteDifference(t => Reference.Unary(v => f(s, v), t), RefTensor.Of(x), RefTensor.Of(dy));
        GradientAssert.Matches(right, (da, accumulate) => ScalarRight(op, dy, x, s, da, accumulate), op + "(a, s)");
        GradientAssert.Matches(left, (db, accumulate) => ScalarLeft(op, dy, s, x, db, accumulate), op + "(s, b)");
    }

    [Fact]
    public void AddScaledGradientsMatchFiniteDifferences()
    {
        var random = new Random(77);
        var a = TestData.Uniform(random, [3, 5]);
        var b = TestData.Uniform(random, [3, 5]);
        var dy = TestData.Uniform(random, [3, 5]);
        var refA = RefTensor.Of(a);
        var refB = RefTensor.Of(b);
        var expectedA = Reference.FiniteDifference(t => Reference.Binary((x, y) => x + (2.5 * y), t, refB), refA, RefTensor.Of(dy));
        var expectedB = Reference.FiniteDifference(t => Reference.Binary((x, y) => x + (2.5 * y), refA, t), refB, RefTensor.Of(dy));
        GradientAssert.Matches(expectedA, (da, accumulate) => Grad.AddScaled(dy, a, 2.5f, b, da, null, accumulate), "da");
        GradientAssert.Matches(expectedB, (db, accumulate) => Grad.AddScaled(dy, a, 2.5f, b, null, db, accumulate), "db");
        var inPlace = dy.Clone();
        var db = Tensor.Zeros(3, 5);
        Grad.AddScaled(inPlace, a, 2.5f, b, inPlace, db, accumulate: false);
        TensorAssert.Close(expectedA, inPlace, GradientAssert.Relative, GradientAssert.Absolute, "da over dy");
        TensorAssert.Close(expectedB, db, GradientAssert.Relative, GradientAssert.Absolute, "db beside da over dy");
    }

    public static IEnumerable<object[]> UnaryCases()
    {
        foreach (string op in new[] { "Negate", "Exp", "Log", "Sqrt", "Tanh", "Sigmoid", "Relu", "Pow2", "Pow3", "Pow0.5", "Pow-1.5" })
        {
            foreach (int[] shape in new[] { new[] { 1 }, new[] { 7 }, new[] { 3, 17 }, new[] { 2, 3, 5 } })
            {
                yield return [op, shape];
            }
        }
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryGradientsMatchFiniteDifferences(string op, int[] shape)
    {
        var random = new Random(op.Length + shape.Sum());
        bool positive = op is "Log" or "Sqrt" || op.StartsWith("Pow", StringComparison.Ordinal);
        var x = positive ? TestData.Uniform(random, shape, 0.2, 3) : TestData.AwayFromZero(random, shape, gap: 0.05);
        var y = ElementwiseOpTests.ForwardUnary(op, x);
        var dy = TestData.Uniform(random, shape);
        var expected = Reference.FiniteDifference(t => Reference.Unary(ElementwiseOpTests.ReferenceUnary(op), t), RefTensor.Of(x), RefTensor.Of(dy));
        GradientAssert.Matches(expected, (dx, accumulate) => Backward(op, dy, x, y, dx, accumulate), op);
        GradientAssert.Matches(expected, (dx, accumulate) => Backward(op, TestData.Strided(dy), TestData.Strided(x), TestData.Strided(y), dx, accumulate), op + " strided");
    }

    [Theory]
    [InlineData("Exp")]
    [InlineData("Tanh")]
    [InlineData("Sigmoid")]
    [InlineData("Relu")]
    [InlineData("Log")]
    [InlineData("Sqrt")]
    public void UnaryGradientsWorkInPlaceOnLargeTensors(string op)
    {
        // 257×300 runs on the worker pool; dx over dy is how generated code reuses buffers.
        var random = new Random(op.Length + 7);
        var x = op is "Log" or "Sqrt" ? TestData.Uniform(random, [257, 300], 0.2, 3) : TestData.AwayFromZero(random, [257, 300], gap: 0.01);
        var y = ElementwiseOpTests.ForwardUnary(op, x);
        var dy = TestData.Uniform(random, [257, 300]);
        var derivative = Derivative(op);
        var expected = Reference.Binary((g, v) => g * derivative(v), RefTensor.Of(dy), RefTensor.Of(x));
        var inPlace = dy.Clone();
        Backward(op, inPlace, x, y, inPlace, accumulate: false);
        TensorAssert.Close(expected, inPlace, 1e-4, 1e-5, op);
    }

    internal static void Backward(string op, Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        switch (op)
        {
            case "Add": Grad.Add(dy, a, b, da, db, accumulate); break;
            case "Sub": Grad.Sub(dy, a, b, da, db, accumulate); break;
            case "Mul": Grad.Mul(dy, a, b, da, db, accumulate); break;
            case "Div": Grad.Div(dy, a, b, da, db, accumulate); break;
            case "Maximum": Grad.Maximum(dy, a, b, da, db, accumulate); break;
            case "Minimum": Grad.Minimum(dy, a, b, da, db, accumulate); break;
            default: throw new ArgumentException(op);
        }
    }

    private static void ScalarRight(string op, Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
    {
        switch (op)
        {
            case "Add": Grad.Add(dy, a, b, da, accumulate); break;
            case "Sub": Grad.Sub(dy, a, b, da, accumulate); break;
            case "Mul": Grad.Mul(dy, a, b, da, accumulate); break;
            case "Div": Grad.Div(dy, a, b, da, accumulate); break;
            case "Maximum": Grad.Maximum(dy, a, b, da, accumulate); break;
            case "Minimum": Grad.Minimum(dy, a, b, da, accumulate); break;
            default: throw new ArgumentException(op);
        }
    }

    private static void ScalarLeft(string op, Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
    {
        switch (op)
        {
            case "Add": Grad.Add(dy, a, b, db, accumulate); break;
            case "Sub": Grad.Sub(dy, a, b, db, accumulate); break;
            case "Mul": Grad.Mul(dy, a, b, db, accumulate); break;
            case "Div": Grad.Div(dy, a, b, db, accumulate); break;
            case "Maximum": Grad.Maximum(dy, a, b, db, accumulate); break;
            case "Minimum": Grad.Minimum(dy, a, b, db, accumulate); break;
            default: throw new ArgumentException(op);
        }
    }

    private static void Backward(string op, Tensor dy, Tensor x, Tensor y, Tensor dx, bool accumulate)
    {
        switch (op)
        {
            case "Negate": Grad.Negate(dy, null, null, dx, accumulate); break;
            case "Exp": Grad.Exp(dy, null, y, dx, accumulate); break;
            case "Log": Grad.Log(dy, x, null, dx, accumulate); break;
            case "Sqrt": Grad.Sqrt(dy, null, y, dx, accumulate); break;
            case "Tanh": Grad.Tanh(dy, null, y, dx, accumulate); break;
            case "Sigmoid": Grad.Sigmoid(dy, null, y, dx, accumulate); break;
            case "Relu": Grad.Relu(dy, x, null, dx, accumulate); break;
            default: Grad.Pow(dy, x, y, ElementwiseOpTests.Exponent(op), dx, accumulate); break;
        }
    }

    private static Func<double, double> Derivative(string op) => op switch
    {
        "Exp" => Math.Exp,
        "Tanh" => v => 1 - (Math.Tanh(v) * Math.Tanh(v)),
        "Sigmoid" => v => Math.Exp(-v) / ((1 + Math.Exp(-v)) * (1 + Math.Exp(-v))),
        "Relu" => v => v > 0 ? 1 : 0,
        "Log" => v => 1 / v,
        "Sqrt" => v => 0.5 / Math.Sqrt(v),
        _ => throw new ArgumentException(op),
    };

    private static (Func<double, double, double> A, Func<double, double, double> B) Partials(string op) => op switch
    {
        "Add" => ((_, _) => 1, (_, _) => 1),
        "Sub" => ((_, _) => 1, (_, _) => -1),
        "Mul" => ((_, b) => b, (a, _) => a),
        "Div" => ((_, b) => 1 / b, (a, b) => -a / (b * b)),
        "Maximum" => ((a, b) => a >= b ? 1 : 0, (a, b) => a >= b ? 0 : 1),
        "Minimum" => ((a, b) => a <= b ? 1 : 0, (a, b) => a <= b ? 0 : 1),
        _ => throw new ArgumentException(op),
    };
}
